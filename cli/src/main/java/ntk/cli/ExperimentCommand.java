package ntk.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import ntk.BadInputException;
import ntk.activations.Activation;
import ntk.activations.Relu;
import ntk.activations.Tanh;
import ntk.io.NdArray;
import ntk.io.Npz;
import ntk.meanfield.ArchKind;
import ntk.meanfield.DepthAnalysis;
import ntk.meanfield.DepthProfile;
import ntk.meanfield.EdgeOfChaos;
import ntk.meanfield.RateFit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ntk experiment}: the papers' experiments as data, plots and a short report. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "The papers' experiments, reproduced as data (.npz), plots (.png) and a report (.md).",
        subcommands = {ExperimentCommand.Depth.class})
final class ExperimentCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** One initialisation and architecture of the depth experiment, with what the theory says of it. */
    record Family(String key, String label, Activation act, double sigmaW, double sigmaB, ArchKind kind,
            String theory) {
    }

    static List<Family> depthFamilies() {
        double tanhEoc = new EdgeOfChaos(new Tanh()).find(0.2).sigmaW();
        return List.of(
                new Family("dense_relu_eoc", "dense Relu, EOC (σw=√2, σb=0)", new Relu(), Math.sqrt(2), 0, ArchKind.DENSE,
                        "K/L → limit like 1/L"),
                new Family("dense_tanh_eoc", String.format(Locale.ROOT, "dense Tanh, EOC (σw=%.4f, σb=0.2)", tanhEoc),
                        new Tanh(), tanhEoc, 0.2, ArchKind.DENSE, "K/L → limit like log(L)/L"),
                new Family("dense_tanh_ordered", "dense Tanh, ordered (σw=1, σb=0.3)", new Tanh(), 1.0, 0.3,
                        ArchKind.DENSE, "K → constant kernel exponentially, rate −log χ₁"),
                new Family("dense_tanh_chaotic", "dense Tanh, chaotic (σw=2.5, σb=0.2)", new Tanh(), 2.5, 0.2,
                        ArchKind.DENSE, "NTK correlation → 0 exponentially, rate log χ₁"),
                new Family("resnet_relu", "ResNet Relu (σw=1, σb=0)", new Relu(), 1.0, 0, ArchKind.RESNET,
                        "lives on the EOC: polynomial, like 1/L"),
                new Family("scaled_resnet_relu", "scaled ResNet Relu, blocks ×1/√l (σw=1, σb=0)", new Relu(), 1.0, 0,
                        ArchKind.SCALED_RESNET, "slower still: like 1/log L (asymptotically)"),
                new Family("scaled_resnet_relu_w2", "scaled ResNet Relu, blocks ×1/√l (σw=2, σb=0)", new Relu(), 2.0, 0,
                        ArchKind.SCALED_RESNET, "like 1/log L, reached sooner with larger σw"));
    }

    @Command(name = "depth", mixinStandardHelpOptions = true,
            description = {"Hayou, Doucet & Rousseau's depth experiment: the infinite-width NTK of depth L = 1..--max-depth"
                + " on a few inputs, normalised as `ntk depth` does, for dense nets on the edge of chaos (Relu, Tanh), in"
                + " the ordered and chaotic phases, and for Relu ResNets plain and scaled; its distance to the mean-field"
                + " limit against depth with fitted rates, and the smallest eigenvalue of the normalised NTK (invertibility).",
                "Writes into --out: depth.npz (depth (L,), <family>/distance, <family>/lambda_min, <family>/limit,"
                    + " <family>/fit_{exponential,polynomial,logarithmic}), depth-distance.png (log-log),"
                    + " depth-lambda-min.png and depth.md (the report)."})
    static final class Depth implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--out", required = true, description = "output directory (created if missing)")
        Path out;

        @Option(names = "--max-depth", defaultValue = "1000",
                description = "deepest L, at most 1700 (the ResNet's NTK grows like 1.5^L) (default ${DEFAULT-VALUE})")
        int maxDepth;

        @Option(names = "--x", description = "inputs .npy (n, d); default: 4 points on a circle, |x|²/d = 1")
        Path x;

        @Override
        public Integer call() throws Exception {
            if (maxDepth < 3 || maxDepth > 1700) {
                throw new BadInputException("--max-depth must be in [3, 1700], got " + maxDepth);
            }
            NdArray xs = x != null ? Inputs.matrix(x, "--x") : DepthCommand.defaultInputs();
            run(out, maxDepth, xs, x == null ? " (4 points on a circle)" : " from " + x, spec.commandLine().getOut());
            return 0;
        }

        /** The experiment into directory out (created if missing); progress lines go to o. */
        static void run(Path out, int maxDepth, NdArray xs, String inputsLabel, java.io.PrintWriter o)
                throws java.io.IOException {
            Files.createDirectories(out);
            for (String f : new String[] {"depth.npz", "depth-distance.png", "depth-lambda-min.png", "depth.md"}) {
                Inputs.checkWritable(out.resolve(f), "--out");
            }
            int n = xs.dim(0);
            Map<String, NdArray> arrays = new LinkedHashMap<>();
            double[] depth = new double[maxDepth];
            for (int l = 0; l < maxDepth; l++) {
                depth[l] = l + 1;
            }
            arrays.put("depth", new NdArray(new int[] {maxDepth}, depth));
            arrays.put("x", xs);
            Map<String, double[][]> distance = new LinkedHashMap<>();
            Map<String, double[][]> lambda = new LinkedHashMap<>();
            java.util.List<Integer> shown = new java.util.ArrayList<>();
            for (int l : new int[] {10, 100, 1000, maxDepth}) {
                if (l <= maxDepth && !shown.contains(l)) {
                    shown.add(l);
                }
            }
            StringBuilder md = new StringBuilder();
            md.append("# The NTK against depth (Hayou, Doucet & Rousseau)\n\n")
                    .append(String.format(Locale.ROOT, "Infinite-width NTK (NTK parameterisation) of depth L = 1..%d on %d"
                            + " inputs%s, computed by `ntk experiment depth --max-depth %d`. Each row is one"
                            + " initialisation and architecture; *distance* is the largest entry-wise distance of the"
                            + " normalised NTK to its mean-field limit (normalisation as in `ntk depth --help`); the"
                            + " fits are least squares of log distance over L ≥ max(2, L/10) against L (exponential),"
                            + " log L (polynomial) and log log L (logarithmic).%n%n", maxDepth, n,
                            inputsLabel, maxDepth))
                    .append("| family | phase | normalisation | limit off the diagonal | distance at L = ")
                    .append(String.join(", ", shown.stream().map(String::valueOf).toList()))
                    .append(" | best fit | theory | λ_min at L = ").append(maxDepth).append(" |\n")
                    .append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
            for (Family f : depthFamilies()) {
                long t0 = System.nanoTime();
                DepthProfile p;
                try {
                    p = DepthAnalysis.run(f.act(), f.sigmaW(), f.sigmaB(), f.kind(), maxDepth, xs.data, n, xs.dim(1));
                } catch (BadInputException e) {
                    throw new BadInputException(f.label() + ": " + e.getMessage());
                }
                arrays.put(f.key() + "/distance", new NdArray(new int[] {maxDepth}, p.distance()));
                arrays.put(f.key() + "/lambda_min", new NdArray(new int[] {maxDepth}, p.lambdaMin()));
                arrays.put(f.key() + "/limit", new NdArray(new int[] {n, n}, p.limit()));
                for (RateFit r : new RateFit[] {p.exponential(), p.polynomial(), p.logarithmic()}) {
                    arrays.put(f.key() + "/fit_" + r.model(), NdArray.vector(r.rate(), r.intercept(), r.rss(), r.from(),
                            r.to()));
                }
                distance.put(f.label(), new double[][] {depth, p.distance()});
                lambda.put(f.label(), new double[][] {depth, p.lambdaMin()});
                RateFit best = p.better();
                String fit = Double.isNaN(best.rss()) ? "—" : switch (best.model()) {
                    case "exponential" -> String.format(Locale.ROOT, "exponential, rate %.4g (ξ = %.4g)", best.rate(),
                            best.xi());
                    case "polynomial" -> String.format(Locale.ROOT, "polynomial, L^−%.3f", best.rate());
                    default -> String.format(Locale.ROOT, "logarithmic, (log L)^−%.3f", best.rate());
                };
                double off = n > 1 ? p.limit()[1] : Double.NaN;
                List<String> ds = shown.stream().map(l -> sci(p.distance()[l - 1])).toList();
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %.4g |%n", f.label(),
                        p.meanField() == null ? "ResNet" : p.meanField().phase().label, p.normalisation(),
                        Double.isNaN(off) ? "—" : off == 0 ? "0" : String.format(Locale.ROOT, "%.6g", off),
                        String.join(", ", ds), fit, f.theory(), p.lambdaMin()[maxDepth - 1]));
                o.printf(Locale.ROOT, "%-50s best fit: %-40s (%.1f s)%n", f.label(), fit, (System.nanoTime() - t0) * 1e-9);
            }
            md.append("\nReading the table: on the edge of chaos and for ResNets the normalised NTK keeps a limit with"
                    + " distinct diagonal and off-diagonal values, so it stays invertible (λ_min bounded away from 0), and"
                    + " it approaches that limit only polynomially (or logarithmically, for the scaled ResNet); in the"
                    + " ordered and chaotic phases the limit is reached exponentially fast and, in the ordered phase, is a"
                    + " constant kernel (λ_min → 0: the NTK degenerates and deep nets there are untrainable, Lemma 1)."
                    + " Distances at rounding level (below 1e-13 of the limit) are left out of the fits and the plot."
                    + " Asymptotic rates can hide behind large constants at these depths: for smooth φ on the EOC the"
                    + " log(L)/L term has a small coefficient (ntk's tests measure it: L·distance changes by the same"
                    + " amount per doubling of L for every pair of inputs), and the scaled ResNet's 1/log L regime needs"
                    + " σ_w² log L ≫ 1, which is why σw = 2 is shown beside σw = 1.\n\n"
                    + "![distance](depth-distance.png)\n\n![lambda_min](depth-lambda-min.png)\n");
            Npz.write(out.resolve("depth.npz"), arrays);
            Plots.logLog(out.resolve("depth-distance.png"), "Distance of the normalised NTK to its limit against depth",
                    "depth L", "max |K_L/α_L − K∞|", distance, 1e-13);
            Plots.logLog(out.resolve("depth-lambda-min.png"), "Smallest eigenvalue of the normalised NTK on the inputs",
                    "depth L", "λ_min", lambda, 1e-16);
            Outputs.writeText(out.resolve("depth.md"), md);
            o.println("wrote " + out.resolve("depth.md") + " (with depth.npz, depth-distance.png, depth-lambda-min.png)");
        }

        private static String sci(double v) {
            return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.3g", v);
        }
    }
}
