package ntk.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import ntk.BadInputException;
import ntk.activations.Activation;
import ntk.activations.Activations;
import ntk.meanfield.EdgeOfChaos;
import ntk.meanfield.EocPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ntk eoc}: the edge-of-chaos weight scale for a bias scale (README "Command line"), or the whole curve. */
@Command(name = "eoc", mixinStandardHelpOptions = true,
        description = {"The edge of chaos: the sigma_w with chi1 = sigma_w^2 E[phi'(sqrt(q*) Z)^2] = 1 at the variance"
            + " fixed point q* = sigma_w^2 E[phi(sqrt(q*) Z)^2] + sigma_b^2 (Schoenholz et al. 2017; Hayou et al. 2019).",
            "Prints sigma_w, q* and chi1; --json prints {\"sigma_w\": .., \"q_star\": .., \"chi1\": ..}"
                + " (plus \"every_q_fixed\": true where every q is a fixed point, e.g. Relu at sigma_b = 0; q_star is"
                + " then the value for inputs with |x|^2/d = 1).",
            "--curve tabulates the EOC over sigma_b in [--sigma-b, --sigma-b-max]; --plot draws it as a phase diagram.",
            "An activation with no edge of chaos at sigma_b (e.g. Relu for sigma_b > 0) is bad input: exit status 2."})
final class EocCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--activation", required = true, description = "Relu, Tanh, Erf, Elu, LeakyRelu(0.1), ...")
    String activation;

    @Option(names = "--sigma-b", required = true, description = "bias scale sigma_b >= 0 (with --curve: the start)")
    double sigmaB;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Option(names = "--curve", description = "the EOC curve over sigma_b in [--sigma-b, --sigma-b-max]")
    boolean curve;

    @Option(names = "--sigma-b-max", defaultValue = "2.0", description = "end of the curve (default ${DEFAULT-VALUE})")
    double sigmaBMax;

    @Option(names = "--points", defaultValue = "21", description = "points on the curve (default ${DEFAULT-VALUE})")
    int points;

    @Option(names = "--plot", description = "PNG of the curve in the (sigma_b, sigma_w) plane (with --curve)")
    Path plot;

    @Override
    public Integer call() throws Exception {
        Activation act = Activations.parse(activation);
        EdgeOfChaos eoc = new EdgeOfChaos(act);
        var out = spec.commandLine().getOut();
        if (!curve) {
            if (plot != null) {
                throw new BadInputException("--plot needs --curve");
            }
            EocPoint p = eoc.find(sigmaB);
            if (json) {
                out.println("{\"sigma_w\": " + num(p.sigmaW()) + ", \"q_star\": " + num(p.qStar()) + ", \"chi1\": "
                        + num(p.chi1()) + (p.everyQFixed() ? ", \"every_q_fixed\": true" : "") + "}");
            } else {
                out.printf(Locale.ROOT, "%s, sigma_b = %s: edge of chaos at sigma_w = %.15g%n", act.spec(), num(sigmaB),
                        p.sigmaW());
                out.printf(Locale.ROOT, "q* = %.15g%s%nchi1 = %.15g%n", p.qStar(),
                        p.everyQFixed() ? " (every q is a fixed point: the input variance sigma_w^2 |x|^2/d is kept;"
                                + " shown for |x|^2/d = 1)" : "", p.chi1());
            }
            return 0;
        }
        if (plot != null) {
            Inputs.checkWritable(plot, "--plot");
        }
        if (points < 2 || points > 1_000_000) {
            throw new BadInputException("--points must be in 2..1000000, got " + points);
        }
        List<EocPoint> pts = eoc.curve(sigmaB, sigmaBMax, points);
        if (pts.isEmpty()) {
            throw new BadInputException(act.spec() + " has no edge of chaos for sigma_b in [" + num(sigmaB) + ", "
                    + num(sigmaBMax) + "]");
        }
        if (json) {
            StringBuilder s = new StringBuilder("[");
            for (EocPoint p : pts) {
                s.append(s.length() > 1 ? ", " : "").append("{\"sigma_b\": ").append(num(p.sigmaB()))
                        .append(", \"sigma_w\": ").append(num(p.sigmaW())).append(", \"q_star\": ")
                        .append(num(p.qStar())).append(", \"chi1\": ").append(num(p.chi1())).append('}');
            }
            out.println(s.append(']'));
        } else {
            out.printf("%-10s %-20s %-20s%n", "sigma_b", "sigma_w", "q*");
            for (EocPoint p : pts) {
                out.printf(Locale.ROOT, "%-10.6g %-20.15g %-20.15g%n", p.sigmaB(), p.sigmaW(), p.qStar());
            }
        }
        if (plot != null) {
            double[] sb = new double[pts.size()];
            double[] sw = new double[pts.size()];
            for (int i = 0; i < sb.length; i++) {
                sb[i] = pts.get(i).sigmaB();
                sw[i] = pts.get(i).sigmaW();
            }
            Map<String, double[]> series = new LinkedHashMap<>();
            series.put("edge of chaos (chi1 = 1)", sw);
            Plots.lines(plot, act.spec() + ": phase diagram - ordered below the curve, chaotic above", "sigma_b",
                    "sigma_w", sb, series);
        }
        return 0;
    }

    /** A JSON number: shortest round-trip decimal; NaN and infinities as null. */
    static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }
}
