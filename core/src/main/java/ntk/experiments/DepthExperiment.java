package ntk.experiments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ntk.BadInputException;
import ntk.activations.Activation;
import ntk.activations.Relu;
import ntk.activations.Tanh;
import ntk.io.NdArray;
import ntk.io.Npy;
import ntk.meanfield.ArchKind;
import ntk.meanfield.DepthAnalysis;
import ntk.meanfield.DepthProfile;
import ntk.meanfield.EdgeOfChaos;
import ntk.meanfield.RateFit;

/**
 * Hayou, Doucet &amp; Rousseau's depth experiment ("Mean-field behaviour of the NTK", 2019/2022): the
 * infinite-width NTK of depth L = 1..maxDepth on a few inputs, normalised as {@code ntk depth} does, for dense
 * nets on the edge of chaos (Relu, Tanh), in the ordered and chaotic phases, and for Relu ResNets plain and
 * scaled; its distance to the mean-field limit against depth with fitted rates, and the smallest eigenvalue of
 * the normalised NTK.
 */
public final class DepthExperiment implements Experiment {
    /** One initialisation and architecture, with what the theory says of it. */
    public record Family(String key, String label, Activation act, double sigmaW, double sigmaB, ArchKind kind,
            String theory) {
    }

    /** The inputs (n, d) row-major and the deepest L. */
    public record Config(int maxDepth, double[] x, int n, int d) {
        public Config {
            if (maxDepth < 3 || maxDepth > 1700) {
                throw new BadInputException("--max-depth must be in [3, 1700], got " + maxDepth);
            }
        }
    }

    /** One family's profile. */
    public record Row(Family family, DepthProfile profile) {
    }

    public record Result(Config config, List<Row> rows) {
    }

    @Override
    public String name() {
        return "depth";
    }

    @Override
    public String description() {
        return "Hayou, Doucet & Rousseau's depth experiment: the infinite-width NTK of depth L = 1..--max-depth on a few"
                + " inputs, for dense nets on the edge of chaos (Relu, Tanh), in the ordered and chaotic phases, and for"
                + " Relu ResNets plain and scaled; its distance to the mean-field limit against depth with fitted rates,"
                + " and the smallest eigenvalue of the normalised NTK. Data: depth.npz (depth (L,), <family>/distance,"
                + " <family>/lambda_min, <family>/limit, <family>/fit_{exponential,polynomial,log-polynomial,logarithmic}).";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("--max-depth", "1000", "deepest L, at most 1700 (the ResNet's NTK grows like 1.5^L)"),
                new Param("--x", null, "inputs .npy (n, d); default: 4 points on a circle, |x|²/d = 1"));
    }

    /** The default inputs: 4 points on the circle of radius √2 (|x|²/d = 1) at angles 0, 0.5, 1, 2. */
    public static NdArray defaultInputs() {
        double[] ang = {0, 0.5, 1.0, 2.0};
        double[] v = new double[8];
        for (int i = 0; i < 4; i++) {
            v[2 * i] = Math.sqrt(2) * Math.cos(ang[i]);
            v[2 * i + 1] = Math.sqrt(2) * Math.sin(ang[i]);
        }
        return new NdArray(new int[] {4, 2}, v);
    }

    public static List<Family> families() {
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

    /** The science: every family's depth profile. */
    public static Result compute(Config c, Progress progress) {
        List<Row> rows = new ArrayList<>();
        List<Family> fams = families();
        try (Progress.Task t = progress.task("depth families", fams.size())) {
            for (Family f : fams) {
                long t0 = System.nanoTime();
                DepthProfile p;
                try {
                    p = DepthAnalysis.run(f.act(), f.sigmaW(), f.sigmaB(), f.kind(), c.maxDepth(), c.x(), c.n(), c.d());
                } catch (BadInputException e) {
                    throw new BadInputException(f.label() + ": " + e.getMessage());
                }
                rows.add(new Row(f, p));
                t.step();
                progress.log(String.format(Locale.ROOT, "%-50s best fit: %-40s (%.1f s)", f.label(), fit(p.better()),
                        (System.nanoTime() - t0) * 1e-9));
            }
        }
        return new Result(c, rows);
    }

    static String fit(RateFit best) {
        return Double.isNaN(best.rss()) ? "—" : switch (best.model()) {
            case "exponential" -> String.format(Locale.ROOT, "exponential, rate %.4g (ξ = %.4g)", best.rate(), best.xi());
            case "polynomial" -> String.format(Locale.ROOT, "polynomial, L^−%.3f", best.rate());
            case "log-polynomial" -> String.format(Locale.ROOT, "log-polynomial, log(L)·L^−%.3f", best.rate());
            default -> String.format(Locale.ROOT, "logarithmic, (log L)^−%.3f", best.rate());
        };
    }

    @Override
    public Report run(Settings s, Progress progress) {
        NdArray xs = s.has("--x") ? Npy.read(Path.of(s.string("--x"))) : defaultInputs();
        if (xs.rank() != 2) {
            throw new BadInputException(s.string("--x") + ": --x must have shape (n, d), got " + xs.shapeString());
        }
        Npy.requireFinite(xs, "--x");
        Config c = new Config(s.integer("--max-depth"), xs.data, xs.dim(0), xs.dim(1));
        return render(compute(c, progress), s.has("--x") ? " from " + s.string("--x") : " (4 points on a circle)");
    }

    /** The report of a result. */
    public static Report render(Result r, String inputsLabel) {
        Config c = r.config();
        int maxDepth = c.maxDepth();
        Report rep = new Report("depth", "The NTK against depth (Hayou, Doucet & Rousseau)");
        rep.claim("Hayou, Doucet & Rousseau (Mean-field behaviour of the NTK, Thm. 1–3, Lemma 1): at initialisation"
                + " in the ordered or chaotic phase the (normalised) NTK converges exponentially fast in depth to a"
                + " degenerate limit (constant kernel, not invertible, so deep nets there cannot be trained); on the"
                + " edge of chaos the convergence is polynomial (1/L for Relu, log(L)/L for smooth activations) and"
                + " ResNets behave like the EOC, the 1/√l-scaled ResNet even slower (1/log L), keeping the kernel"
                + " invertible at large depth.");
        rep.param("max depth L", maxDepth).param("inputs", c.n() + " points in dimension " + c.d() + inputsLabel)
                .param("parameterisation", "NTK, infinite width");
        double[] depth = new double[maxDepth];
        for (int l = 0; l < maxDepth; l++) {
            depth[l] = l + 1;
        }
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("depth", new NdArray(new int[] {maxDepth}, depth));
        arrays.put("x", new NdArray(new int[] {c.n(), c.d()}, c.x()));
        SvgPlot dist = new SvgPlot("Distance of the normalised NTK to its limit against depth", "depth L",
                "max |K_L/α_L − K∞|").logX().logY().floor(1e-13);
        SvgPlot lam = new SvgPlot("Smallest eigenvalue of the normalised NTK on the inputs", "depth L", "λ_min")
                .logX().logY().floor(1e-16);
        List<Integer> shown = new ArrayList<>();
        for (int l : new int[] {10, 100, 1000, maxDepth}) {
            if (l <= maxDepth && !shown.contains(l)) {
                shown.add(l);
            }
        }
        Map<String, Object> fams = new LinkedHashMap<>();
        List<List<Object>> rows = new ArrayList<>();
        int i = 0;
        boolean ordered = true;
        for (Row row : r.rows()) {
            Family f = row.family();
            DepthProfile p = row.profile();
            arrays.put(f.key() + "/distance", new NdArray(new int[] {maxDepth}, p.distance()));
            arrays.put(f.key() + "/lambda_min", new NdArray(new int[] {maxDepth}, p.lambdaMin()));
            arrays.put(f.key() + "/limit", new NdArray(new int[] {c.n(), c.n()}, p.limit()));
            for (RateFit rf : p.fits()) {
                arrays.put(f.key() + "/fit_" + rf.model(), NdArray.vector(rf.rate(), rf.intercept(), rf.rss(), rf.from(),
                        rf.to()));
            }
            dist.line(f.label(), depth, p.distance(), SvgPlot.color(i), false, true);
            lam.line(f.label(), depth, p.lambdaMin(), SvgPlot.color(i), false, true);
            i++;
            RateFit best = p.better();
            Map<String, Object> fs = new LinkedHashMap<>();
            fs.put("phase", p.meanField() == null ? "ResNet" : p.meanField().phase().label);
            fs.put("best_fit", best.model());
            fs.put("rate", best.rate());
            fs.put("distance_at_max_depth", p.distance()[maxDepth - 1]);
            fs.put("lambda_min_at_max_depth", p.lambdaMin()[maxDepth - 1]);
            fams.put(f.key(), fs);
            boolean expo = "exponential".equals(best.model()) || Double.isNaN(best.rss());
            boolean wantExpo = f.key().endsWith("ordered") || f.key().endsWith("chaotic");
            ordered &= expo == wantExpo;
            double off = c.n() > 1 ? p.limit()[1] : Double.NaN;
            List<String> ds = shown.stream().map(l -> Report.show(p.distance()[l - 1], "%.3g")).toList();
            rows.add(List.of(f.label(), fs.get("phase"), p.normalisation(),
                    Double.isNaN(off) ? "—" : off == 0 ? "0" : String.format(Locale.ROOT, "%.6g", off),
                    String.join(", ", ds), fit(best), f.theory(),
                    Report.num("families/" + f.key() + "/lambda_min_at_max_depth", p.lambdaMin()[maxDepth - 1])));
        }
        rep.summary("max_depth", maxDepth).summary("families", fams);
        rep.verdict(ordered ? Report.Verdict.SHOWN : Report.Verdict.PARTLY, ordered
                ? "The ordered and chaotic rows reach their limit exponentially fast (best fit exponential) while the"
                        + " edge-of-chaos and ResNet rows approach theirs polynomially or logarithmically, as the paper says."
                : "Not every row's best fit has the form the paper predicts at these depths (see the table): asymptotic"
                        + " rates can hide behind large constants, e.g. the scaled ResNet's 1/log L regime needs"
                        + " σ_w² log L ≫ 1.");
        rep.table("Distance to the mean-field limit by initialisation and architecture",
                List.of("family", "phase", "normalisation", "limit off the diagonal", "distance at L = "
                        + String.join(", ", shown.stream().map(String::valueOf).toList()), "best fit", "theory",
                    "λ_min at L = " + maxDepth), rows);
        rep.paragraph("Distance: the largest entry-wise distance of the normalised NTK to its mean-field limit"
                + " (normalisation as in `ntk depth --help`); the fits are least squares of log distance over"
                + " L ≥ max(2, L/10) against L (exponential), log L (polynomial) and log log L (logarithmic)."
                + " On the edge of chaos and for ResNets the normalised NTK keeps a limit with distinct diagonal and"
                + " off-diagonal values, so it stays invertible (λ_min bounded away from 0), and it approaches that"
                + " limit only polynomially (or logarithmically, for the scaled ResNet); in the ordered and chaotic"
                + " phases the limit is reached exponentially fast and, in the ordered phase, is a constant kernel"
                + " (λ_min → 0). Distances at rounding level (below 1e-13) are left out of the fits and the plot.");
        rep.plot("depth-distance", dist, "Log-log: a straight line is a power law; exponential decay bends down.");
        rep.plot("depth-lambda-min", lam, null);
        rep.npz("depth.npz", arrays);
        return rep;
    }
}
