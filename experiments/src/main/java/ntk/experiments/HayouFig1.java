package ntk.experiments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ntk.BadInputException;
import ntk.activations.Activation;
import ntk.activations.Elu;
import ntk.activations.Relu;
import ntk.activations.Tanh;
import ntk.NdArray;
import ntk.io.Npy;
import ntk.meanfield.ArchKind;
import ntk.meanfield.DepthAnalysis;
import ntk.meanfield.DepthProfile;
import ntk.meanfield.EdgeOfChaos;
import ntk.meanfield.RateFit;

/**
 * Hayou, Doucet &amp; Rousseau's Figure 1 ("Mean-field behaviour of the NTK", 2019/2022; formerly {@code experiment
 * depth}, still its alias): the infinite-width NTK of depth L = 1..maxDepth on a few inputs, normalised as
 * {@link DepthAnalysis} does (K^L/α_L: α_L = 1 ordered, L on the EOC; the NTK's correlation for chaotic nets and ResNets,
 * or with {@code --normalisation paper} α_L = L(1 + σ_w²/2)^{L−1} for Relu ResNets), its distance to the mean-field
 * limit against depth with four fitted rate models, and the smallest eigenvalue of the normalised NTK. Panels: (a) the
 * edge of chaos for ReLU and ELU (and Tanh), (b) the ordered phase for ReLU and ELU (and Tanh, plus Tanh chaotic),
 * (c) ReLU ResNets at four σ_w (Thm 2: the rate does not depend on σ_w), plus the 1/√l-scaled ResNets.
 */
public final class HayouFig1 implements Experiment {
    /** One initialisation and architecture, its panel of the figure, and what the theory says of it. */
    public record Family(String key, String name, String panel, String phase, Activation act, double sigmaW,
            double sigmaB, ArchKind kind, String theory) {
        /** The deepest L whose raw NTK stays well inside the double range (ResNets grow like (1 + σ_w²/2)^L). */
        public int depthCap() {
            if (kind != ArchKind.RESNET && kind != ArchKind.CONV_RESNET) {
                return Integer.MAX_VALUE;
            }
            return (int) Math.floor(680 / Math.log1p(sigmaW * sigmaW / 2));
        }
    }

    /** The default depth of the rate tests (one engine pass per family on 2 inputs; a few seconds each). */
    public static final int DEFAULT_DEEP_DEPTH = 30000;

    /**
     * The inputs (n, d) row-major, the deepest L of the curves, whether Relu ResNets take the paper's α_L, and the
     * deepest L of the rate tests (on the first two inputs; 0 = none).
     */
    public record Config(int maxDepth, double[] x, int n, int d, boolean paperNormalisation, int deepDepth) {
        public Config {
            if (maxDepth < 3 || maxDepth > 1700) {
                throw new BadInputException("--max-depth must be in [3, 1700], got " + maxDepth);
            }
            if (deepDepth != 0 && (deepDepth < 100 || deepDepth > 1_000_000)) {
                throw new BadInputException("--deep-depth must be 0 or in [100, 1000000], got " + deepDepth);
            }
        }

        /** The curves to maxDepth and the rate tests to {@link #DEFAULT_DEEP_DEPTH}. */
        public Config(int maxDepth, double[] x, int n, int d, boolean paperNormalisation) {
            this(maxDepth, x, n, d, paperNormalisation, DEFAULT_DEEP_DEPTH);
        }
    }

    /** One family's profile (its depth is min(maxDepth, the family's cap)). */
    public record Row(Family family, DepthProfile profile) {
    }

    /**
     * The curves (rows) and the rate tests (rates; empty without --deep-depth), and the engine's off-diagonal ReLU
     * EOC NTK against a rounding-robust recursion: reluReferenceGap = max |L·e_L(engine) − L·e_L(reference)| over the
     * rate window, reluLevel = the mean |L·e_L| there (NaN when not run).
     */
    public record Result(Config config, List<Row> rows, List<HayouRates.RateCheck> rates, double reluReferenceGap,
            double reluLevel) {
        public Result(Config config, List<Row> rows) {
            this(config, rows, List.of(), Double.NaN, Double.NaN);
        }

        /** This result with other rate checks (tests: the verdict and the text follow the numbers). */
        public Result withRates(List<HayouRates.RateCheck> r) {
            return new Result(config, rows, r, reluReferenceGap, reluLevel);
        }

        /** The row of a family key. */
        public Row row(String key) {
            return rows.stream().filter(r -> r.family().key().equals(key)).findFirst().orElseThrow();
        }
    }

    /** The claim this experiment tests: the rates of Thm 1, Prop. 3 and Thm 2 as §6.1 reads them off Fig. 1. */
    static final PaperClaim CLAIM = new PaperClaim("Interestingly the convergence rate of the ANTK to AK^∞ is slow in L"
            + " ($\\mathcal{O}(L^{-1})$) for ReLU-like activation functions and $\\mathcal{O}(\\log(L)L^{-1})$ for activation"
            + " functions of type \\mathcal{S}) … Then the scaling factor α_L in Theorem 2 becomes"
            + " $\\alpha_L = L^{1+\\sigma_w^2/2}$ and the convergence rate is $\\Theta(\\log(L)^{-1})$. … Figure 1a shows a"
            + " convergence rate approximately of order L^{-1} for ReLU and ELU. Recall that for ELU the exact rate is"
            + " $\\mathcal{O}(\\log(L)L^{-1})$ but one cannot observe experimentally the logarithmic factor. … Figure 1b"
            + " demonstrates that this convergence occurs at an exponential convergence rate in the Ordered phase for both"
            + " ReLU and ELU, and Figure 1c shows the convergence rate in the case of FFNN with residual connections. As"
            + " predicted by theorem 2, the convergence rate $\\mathcal{O}(L^{-1})$ is independent of the parameter σ_w in"
            + " that case.", "Hayou, Doucet & Rousseau, Thm 1 (§4.1), Prop. 3 (§4.2), §6.1 and Fig. 1");

    @Override
    public PaperClaim claim() {
        return CLAIM;
    }

    @Override
    public String name() {
        return "hayou-fig1";
    }

    @Override
    public List<String> aliases() {
        return List.of("depth");
    }

    @Override
    public String description() {
        return "Hayou, Doucet & Rousseau's Figure 1: the infinite-width NTK of depth L = 1..--max-depth on a few inputs —"
                + " (a) ReLU, ELU and Tanh on the edge of chaos, (b) ReLU, ELU and Tanh in the ordered phase (and Tanh"
                + " chaotic), (c) ReLU ResNets at σw = 0.5, 1, 1.5, 2 and 1/√l-scaled ResNets — its distance to the"
                + " mean-field limit against depth with fitted rates (exponential, polynomial L^-β, log-polynomial"
                + " log(L)L^-β, logarithmic (log L)^-β), and the smallest eigenvalue of the normalised NTK. Data:"
                + " hayou-fig1.npz (<family>/depth, /distance, /lambda_min, /limit, /fit_<model> = [rate, intercept,"
                + " rss, from, to]).";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("--max-depth", "1000", "deepest L, at most 1700 (ResNets stop earlier, where their NTK"
                        + " would leave the double range)"),
                new Param("--x", null, "inputs .npy (n, d); default: 4 points on a circle, |x|²/d = 1"),
                new Param("--deep-depth", String.valueOf(DEFAULT_DEEP_DEPTH), "deepest L of the rate tests (one"
                        + " engine pass per family on the first two inputs; 0 = none, else 100..1000000)"),
                new Param("--normalisation", "standard", "standard (ResNets: the NTK's correlation) or paper (Relu"
                        + " ResNets: K^L/α_L with α_L = L(1 + σw²/2)^(L-1))"));
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

    /** The ReLU ResNet weight scales of panel (c). */
    public static final double[] RESNET_SIGMAS = {0.5, 1.0, 1.5, 2.0};

    /**
     * The CNN counterparts the rate tests also run (Hayou et al. state Thm 1 and Prop. 2 for CNNs "for any α,α′", and
     * Thm 2 for convolutional ResNets): circular 1-D convolutions, filter 3, on two signals ({@link HayouRates#signals}).
     */
    public static List<Family> cnnFamilies() {
        double tanhEoc = new EdgeOfChaos(new Tanh()).find(0.2).sigmaW();
        return List.of(
                new Family("relu_eoc_cnn", "CNN ReLU, EOC (σw=1.4142, σb=0)", "a", "EOC", new Relu(), Math.sqrt(2), 0,
                        ArchKind.CONV, "K/L → limit like 1/L"),
                new Family("tanh_eoc_cnn", String.format(Locale.ROOT, "CNN Tanh, EOC (σw=%.4f, σb=0.2)", tanhEoc), "a",
                        "EOC", new Tanh(),
                        tanhEoc, 0.2, ArchKind.CONV, "K/L → limit like log(L)/L (Thm 1, smooth φ)"),
                new Family("tanh_ordered_cnn", "CNN Tanh, ordered (σw=1, σb=0.3)", "b", "ordered", new Tanh(), 1.0, 0.3,
                        ArchKind.CONV, "K → constant kernel exponentially, rate −log χ₁"),
                new Family("relu_resnet_cnn", "CNN ReLU ResNet (σw=1, σb=0)", "c", "ResNet", new Relu(), 1.0, 0,
                        ArchKind.CONV_RESNET, "polynomial, the same rate for every σw (Thm 2)"));
    }

    public static List<Family> families() {
        double tanhEoc = new EdgeOfChaos(new Tanh()).find(0.2).sigmaW();
        double eluEoc = new EdgeOfChaos(new Elu()).find(0.2).sigmaW();
        List<Family> f = new ArrayList<>(List.of(
                new Family("relu_eoc", "ReLU, EOC (σw=1.4142, σb=0)", "a", "EOC", new Relu(), Math.sqrt(2), 0,
                        ArchKind.DENSE, "K/L → limit like 1/L"),
                new Family("elu_eoc", String.format(Locale.ROOT, "ELU, EOC (σw=%.4f, σb=0.2)", eluEoc), "a", "EOC",
                        new Elu(), eluEoc, 0.2, ArchKind.DENSE, "K/L → limit like log(L)/L (Thm 1, φ' continuous)"),
                new Family("tanh_eoc", String.format(Locale.ROOT, "Tanh, EOC (σw=%.4f, σb=0.2)", tanhEoc), "a", "EOC",
                        new Tanh(), tanhEoc, 0.2, ArchKind.DENSE, "K/L → limit like log(L)/L (Thm 1, smooth φ)"),
                new Family("relu_ordered", "ReLU, ordered (σw=1.2, σb=0.2)", "b", "ordered", new Relu(), 1.2, 0.2,
                        ArchKind.DENSE, "K → constant kernel exponentially, rate −log χ₁"),
                new Family("elu_ordered", "ELU, ordered (σw=1, σb=0.2)", "b", "ordered", new Elu(), 1.0, 0.2,
                        ArchKind.DENSE, "K → constant kernel exponentially, rate −log χ₁"),
                new Family("tanh_ordered", "Tanh, ordered (σw=1, σb=0.3)", "b", "ordered", new Tanh(), 1.0, 0.3,
                        ArchKind.DENSE, "K → constant kernel exponentially, rate −log χ₁"),
                new Family("tanh_chaotic", "Tanh, chaotic (σw=2.5, σb=0.2)", "b", "chaotic", new Tanh(), 2.5, 0.2,
                        ArchKind.DENSE, "NTK correlation → 0 exponentially, rate log χ₁")));
        for (double sw : RESNET_SIGMAS) {
            f.add(new Family(String.format(Locale.ROOT, "resnet_relu_w%s", key(sw)), String.format(Locale.ROOT,
                    "ReLU ResNet (σw=%s, σb=0)", fmt(sw)), "c", "ResNet", new Relu(), sw, 0, ArchKind.RESNET,
                    "polynomial, the same rate for every σw (Thm 2)"));
        }
        f.add(new Family("scaled_resnet_relu_w1", "ReLU scaled ResNet, blocks ×1/√l (σw=1, σb=0)", "c", "scaled ResNet",
                new Relu(), 1.0, 0, ArchKind.SCALED_RESNET, "slower still: like 1/log L (asymptotically)"));
        f.add(new Family("scaled_resnet_relu_w2", "ReLU scaled ResNet, blocks ×1/√l (σw=2, σb=0)", "c", "scaled ResNet",
                new Relu(), 2.0, 0, ArchKind.SCALED_RESNET, "like 1/log L, reached sooner with larger σw"));
        return f;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static String key(double v) {
        return fmt(v).replace('.', 'p');
    }

    /** The science: every family's depth profile. */
    public static Result compute(Config c, Progress progress) {
        List<Row> rows = new ArrayList<>();
        List<Family> fams = families();
        try (Progress.Task t = progress.task("depth families", fams.size())) {
            for (Family f : fams) {
                long t0 = System.nanoTime();
                int depth = Math.min(c.maxDepth(), f.depthCap());
                DepthProfile p;
                try {
                    p = DepthAnalysis.run(f.act(), f.sigmaW(), f.sigmaB(), f.kind(), depth, c.x(), c.n(), c.d(),
                            c.paperNormalisation());
                } catch (BadInputException e) {
                    throw e.prefixed(f.name() + ": ");
                }
                rows.add(new Row(f, p));
                t.step();
                progress.log(String.format(Locale.ROOT, "%-50s best fit: %-40s (%.1f s)", f.name(), fit(p.better()),
                        (System.nanoTime() - t0) * 1e-9));
            }
        }
        List<Family> rated = new ArrayList<>(fams);
        rated.addAll(cnnFamilies());
        List<HayouRates.RateCheck> rates = HayouRates.compute(c, rated, progress);
        double gap = Double.NaN;
        double level = Double.NaN;
        if (!rates.isEmpty()) {
            double[] g = reluGap(c);
            gap = g[0];
            level = g[1];
        }
        return new Result(c, rows, rates, gap, level);
    }

    /** The engine's Relu EOC off-diagonal L·e_L against {@link HayouRates#reluEocReference} over the rate window. */
    static double[] reluGap(Config c) {
        Family f = families().get(0);
        int[] depths = DepthAnalysis.logSpaced(c.deepDepth(), 20);
        double[] x2 = java.util.Arrays.copyOf(c.x(), 2 * c.d());
        ntk.meanfield.DepthSamples s = DepthAnalysis.sample(f.act(), f.sigmaW(), f.sigmaB(), f.kind(), depths, x2, 2,
                c.d());
        double q = Math.sqrt(s.nngp()[0][0] * s.nngp()[0][3]);
        double[] ref = HayouRates.reluEocReference(q, s.nngp()[0][1] / q, depths);
        double gap = 0;
        double level = 0;
        int m = 0;
        for (int k = 0; k < depths.length; k++) {
            if (depths[k] >= Math.max(2, c.deepDepth() / 100)) {
                double l = depths[k];
                gap = Math.max(gap, Math.abs(l * (s.ntk(k, 0, 1) / l - ref[k])));
                level += Math.abs(l * (ref[k] - q / 4));
                m++;
            }
        }
        return new double[] {gap, level / m};
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
        String norm = s.string("--normalisation");
        if (!norm.equals("standard") && !norm.equals("paper")) {
            throw new BadInputException("--normalisation: expected standard or paper, got '" + norm + "'");
        }
        Config c = new Config(s.integer("--max-depth"), xs.data, xs.dim(0), xs.dim(1), norm.equals("paper"),
                s.integer("--deep-depth"));
        return render(compute(c, progress), s.has("--x") ? " from " + s.string("--x") : " (4 points on a circle)");
    }

    /** The report of a result. */
    public static Report render(Result r, String inputsLabel) {
        Config c = r.config();
        int maxDepth = c.maxDepth();
        Report rep = new Report("hayou-fig1", "The NTK against depth (Hayou, Doucet & Rousseau, Figure 1)");
        rep.claim(CLAIM);
        rep.claim("Whether the distance of the normalised infinite-width NTK to its mean-field limit shrinks with depth L"
                + " at the rates the paper states: Θ(1/L) for ReLU on the edge of chaos and for ReLU ResNets at every σw,"
                + " Θ(log(L)/L) for ELU and Tanh on the edge of chaos (a log factor the paper says cannot be observed),"
                + " Θ(1/log L) for 1/√l-scaled ResNets, and e^{−γL} in the ordered phase (γ predicted here from χ₁). Each"
                + " rate is tested by one fitted number with its standard error, computed to L = " + c.deepDepth()
                + " with one engine pass per family (see 'Rate tests').");
        rep.param("max depth L", maxDepth + " (ReLU ResNets stop where their NTK, growing like (1 + σw²/2)^L, would"
                        + " leave the double range)")
                .param("inputs", c.n() + " points in dimension " + c.d() + inputsLabel)
                .param("parameterisation", "NTK, infinite width")
                .param("normalisation", c.paperNormalisation() ? "paper (ReLU ResNets: α_L = L(1 + σw²/2)^(L−1))"
                        : "standard (ResNets: the NTK's correlation)");
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("x", new NdArray(new int[] {c.n(), c.d()}, c.x()));
        Map<String, SvgPlot> panels = panels();
        SvgPlot lam = new SvgPlot("Smallest eigenvalue of the normalised NTK on the inputs", "depth L", "λ_min")
                .logX().logY().floor(1e-16);
        List<Integer> shown = new ArrayList<>();
        for (int l : new int[] {10, 100, 1000, maxDepth}) {
            if (l <= maxDepth && !shown.contains(l)) {
                shown.add(l);
            }
        }
        List<Object> fams = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        double spread = families(r, shown, arrays, panels, lam, fams, rows);
        rep.summary("max_depth", maxDepth).summary("normalisation", c.paperNormalisation() ? "paper" : "standard")
                .summary("families", fams).summary("resnet_polynomial_rate_spread", spread);
        rep.verdict(decide(r));
        deviations(rep, r);
        renderRates(rep, r);
        rep.table("Distance to the mean-field limit by initialisation and architecture",
                List.of("panel", "family", "phase", "normalisation", "limit off the diagonal", "distance at L = "
                        + String.join(", ", shown.stream().map(String::valueOf).toList()), "best fit", "rate",
                    "polynomial β", "the paper", "λ_min at the deepest L"), rows);
        rep.paragraph(DISTANCE_AND_FITS);
        for (Map.Entry<String, SvgPlot> e : panels.entrySet()) {
            rep.plot("hayou-fig1-" + e.getKey(), e.getValue(), e.getKey().equals("a")
                    ? "Log-log: a straight line is a power law; exponential decay bends down." : null);
        }
        rep.plot("hayou-fig1-lambda-min", lam, "λ_min of the normalised NTK on the inputs against depth; its value at"
                + " the deepest L is the table's last column.");
        return rep.npz("hayou-fig1.npz", arrays);
    }

    /** How the distance and its rate fits are defined (method, not data). */
    private static final String DISTANCE_AND_FITS = "Distance: the largest entry-wise distance of the normalised NTK to"
            + " its mean-field limit (normalisation as in `ntk depth --help`); four rate models are fitted by least"
            + " squares of log distance over L ≥ max(2, L/10): exponential (against L), polynomial L^−β (against log L),"
            + " log-polynomial log(L)·L^−β (Thm 1's form) and logarithmic (log L)^−β; the best has the smallest residual"
            + " sum of squares. Distances at rounding level (below 1e-12 of the limit) are left out of the fits and the"
            + " plots.";

    /** The three panels of Figure 1. */
    private static Map<String, SvgPlot> panels() {
        Map<String, SvgPlot> panels = new LinkedHashMap<>();
        panels.put("a", new SvgPlot("(a) Edge of chaos: distance of K^L/L to its limit", "depth L", "max |K_L/α_L − K∞|")
                .logX().logY().floor(1e-12));
        panels.put("b", new SvgPlot("(b) Ordered (and chaotic) phase: distance to the limit", "depth L",
                "max |K_L/α_L − K∞|").logX().logY().floor(1e-12));
        panels.put("c", new SvgPlot("(c) ResNets: distance of the normalised NTK to its limit", "depth L",
                "max |K_L/α_L − K∞|").logX().logY().floor(1e-12));
        return panels;
    }

    /**
     * Per family: its curves (data file, panel, λ_min plot), its summary entry and its table row; returns the spread
     * of the ReLU ResNets' polynomial rates over σw ≥ 1.
     */
    private static double families(Result r, List<Integer> shown, Map<String, NdArray> arrays,
            Map<String, SvgPlot> panels, SvgPlot lam, List<Object> fams, List<List<Object>> rows) {
        Config c = r.config();
        int i = 0;
        List<Double> resnetRates = new ArrayList<>();
        for (Row row : r.rows()) {
            Family f = row.family();
            DepthProfile p = row.profile();
            int nl = p.maxDepth();
            double[] depth = new double[nl];
            for (int l = 0; l < nl; l++) {
                depth[l] = l + 1;
            }
            arrays.put(f.key() + "/depth", new NdArray(new int[] {nl}, depth));
            arrays.put(f.key() + "/distance", new NdArray(new int[] {nl}, p.distance()));
            arrays.put(f.key() + "/lambda_min", new NdArray(new int[] {nl}, p.lambdaMin()));
            arrays.put(f.key() + "/limit", new NdArray(new int[] {c.n(), c.n()}, p.limit()));
            for (RateFit rf : p.fits()) {
                arrays.put(f.key() + "/fit_" + rf.model(), NdArray.vector(rf.rate(), rf.intercept(), rf.rss(), rf.from(),
                        rf.to()));
            }
            panels.get(f.panel()).line(f.name(), depth, p.distance(), SvgPlot.color(i), false, true);
            lam.line(f.name(), depth, p.lambdaMin(), SvgPlot.color(i), false, true);
            i++;
            RateFit best = p.better();
            Map<String, Object> fs = new LinkedHashMap<>();
            fs.put("name", f.name());
            fs.put("phase", f.phase());
            fs.put("rate_model", Double.isNaN(best.rss()) ? "none" : best.model());
            fs.put("rate", best.rate());
            fs.put("key", f.key());
            fs.put("panel", f.panel());
            fs.put("sigma_w", f.sigmaW());
            fs.put("sigma_b", f.sigmaB());
            fs.put("normalisation", p.normalisation());
            fs.put("max_depth", nl);
            Map<String, Object> allFits = new LinkedHashMap<>();
            for (RateFit rf : p.fits()) {
                Map<String, Object> fit = new LinkedHashMap<>(); // insertion order: summary.json is reproducible
                fit.put("rate", rf.rate());
                fit.put("rss", rf.rss());
                allFits.put(rf.model(), fit);
            }
            fs.put("fits", allFits);
            fs.put("distance_at_max_depth", p.distance()[nl - 1]);
            fs.put("lambda_min_at_max_depth", p.lambdaMin()[nl - 1]);
            int idx = fams.size();
            fams.add(fs);
            if (f.phase().equals("ResNet") && f.sigmaW() >= 1) {
                resnetRates.add(p.polynomial().rate());
            }
            double off = c.n() > 1 ? p.limit()[1] : Double.NaN;
            List<String> ds = shown.stream().map(l -> l <= nl ? Report.show(p.distance()[l - 1], "%.3g") : "—").toList();
            rows.add(List.of(f.panel(), f.name(), f.phase(), p.normalisation(),
                    Double.isNaN(off) ? "—" : off == 0 ? "0" : String.format(Locale.ROOT, "%.6g", off),
                    String.join(", ", ds), fit(best), Report.num("families/" + idx + "/rate", best.rate(), "%.4g"),
                    String.format(Locale.ROOT, "%.3f", p.polynomial().rate()), f.theory(),
                    Report.num("families/" + idx + "/lambda_min_at_max_depth", p.lambdaMin()[nl - 1])));
        }
        return resnetRates.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)
                - resnetRates.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    /** Where this run differs from the paper's setup. */
    private static void deviations(Report rep, Result r) {
        Config c = r.config();
        int maxDepth = c.maxDepth();
        rep.deviation("FFNN and CNN (Thm 1–2, Prop. 3); Fig. 1's depths are not stated (log-scale curves)",
                "infinite width; curves of dense networks, L = 1.." + maxDepth + " on " + c.n() + " inputs; rate tests to"
                        + " L = " + c.deepDepth() + " on the first two" + (r.rates().stream().anyMatch(k -> k.key()
                        .endsWith("_cnn")) ? ", and for " + cnnFamilies().size() + " CNN families (circular 1-D"
                        + " convolutions, filter " + ArchKind.FILTER + ") on 2 signals of length "
                        + HayouRates.SIGNAL_LENGTH : " (dense networks only)"));
        double tanhEoc = families().stream().filter(f -> f.key().equals("tanh_eoc")).findFirst().orElseThrow().sigmaW();
        double eluEoc = families().stream().filter(f -> f.key().equals("elu_eoc")).findFirst().orElseThrow().sigmaW();
        rep.deviation("EOC points (§6.2): (σb, σw) = (0, √2) ReLU, (0.2, 1.225) ELU, (0.2, 1.298) Tanh", String.format(
                Locale.ROOT, "(0, 1.4142) ReLU, (0.2, %.4f) ELU, (0.2, %.4f) Tanh: χ₁ = 1 solved here", eluEoc, tanhEoc));
        rep.deviation("scaled ResNet: block l scaled by 1/√l (eq. 13)", "the block at depth l is the (l−1)-th residual"
                + " block, scaled by 1/√(l−1) (same asymptotics)");
    }

    /** The paper's prediction of a rate check, as shown in the table. */
    private static String predicted(HayouRates.RateCheck k) {
        return switch (k.test()) {
            case "equals" -> String.format(Locale.ROOT, "%.4f", k.predicted());
            case "zero" -> "0 (no log factor)";
            case "nonzero" -> "≠ 0 (log factor)";
            default -> "> 0";
        };
    }

    private static String outcome(HayouRates.RateCheck k) {
        return !k.decided() ? "undecided (too few depths)" : k.passes() ? "as the paper says" : "not as the paper says";
    }

    /**
     * The verdict on the quoted claim, a pure function of the rate checks in the Result (those with inVerdict; see
     * {@link HayouRates} for each test and its tolerance): NOT SHOWN "at this size" when there are none or any is
     * undecided (too few depths in its window); SHOWN when every check agrees with the paper's rate; NOT SHOWN when
     * fewer than half do; PARTLY otherwise. The reason names the checks that do not agree, with their numbers.
     */
    public static Decision decide(Result r) {
        List<HayouRates.RateCheck> checks = r.rates().stream().filter(HayouRates.RateCheck::inVerdict).toList();
        if (checks.isEmpty()) {
            return Decision.notShown("not shown at this size: no rate tests were run (--deep-depth 0); the rates need"
                    + " depths to about 10^4 (the default --deep-depth " + DEFAULT_DEEP_DEPTH + ")");
        }
        List<String> undecided = checks.stream().filter(k -> !k.decided()).map(HayouRates.RateCheck::family).toList();
        if (!undecided.isEmpty()) {
            return Decision.notShown("not shown at this size: too few depths in the fit window of " + String.join(", ",
                    undecided) + " (deepest L = " + r.config().deepDepth() + "); --deep-depth " + DEFAULT_DEEP_DEPTH
                    + " or more gives each window two decades of depth");
        }
        List<HayouRates.RateCheck> fail = checks.stream().filter(k -> !k.passes()).toList();
        int ok = checks.size() - fail.size();
        String failed = String.join("; ", fail.stream().map(k -> String.format(Locale.ROOT, "%s: %s = %.4g ± %.2g"
                + " (the paper's %s predicts %s)", k.family(), k.statistic(), k.value(), k.se(), k.paperRate(),
                predicted(k))).toList());
        String head = String.format(Locale.ROOT, "%d of %d rate checks agree with the paper's rates", ok, checks.size());
        if (fail.isEmpty()) {
            return Decision.shown(head + " (each within two standard errors and the stated tolerance)");
        }
        if (2 * ok < checks.size()) {
            return Decision.notShown(head + "; not: " + failed);
        }
        return Decision.partly(head + "; not: " + failed);
    }

    /** The rate tests' table, the project-vs-paper checks and the sentences about them, all from the Result. */
    static void renderRates(Report rep, Result r) {
        List<HayouRates.RateCheck> all = r.rates();
        rep.summary("deep_depth", r.config().deepDepth()).summary("rate_checks", all.stream().map(HayouFig1::rateJson)
                .toList()).summary("relu_reference_gap", r.reluReferenceGap()).summary("relu_reference_level",
                r.reluLevel());
        rep.heading("Rate tests");
        if (all.isEmpty()) {
            rep.paragraph("No rate tests were run (--deep-depth 0).");
            return;
        }
        rep.table("Rate tests: one fitted number ± its standard error per family (the error of a least-squares fit to"
                + " a deterministic curve: it measures how far the curve is from the fitted form over the window)",
                all.size(), Report.of("family", i -> all.get(i).family()),
                Report.of("the paper's rate", i -> all.get(i).paperRate()),
                Report.of("statistic", i -> all.get(i).statistic()),
                rep.column("value", "rate_checks", "value", "%.4g"), rep.column("± se", "rate_checks", "value_se", "%.2g"),
                Report.of("the paper predicts", i -> predicted(all.get(i))),
                Report.of("depths (points)", i -> all.get(i).from() + "–" + all.get(i).to() + " (" + all.get(i).points()
                        + ")"),
                Report.of("outcome", i -> all.get(i).inVerdict() ? outcome(all.get(i)) : (all.get(i).passes()
                        ? "as this project predicts (not the paper)" : "not as predicted")));
        rep.paragraph(RATE_METHOD);
        reluSentences(rep, r);
        classSAndChaos(rep, all);
        diagonalSection(rep, r);
    }

    /** How each rate-test number is made (method, not data). */
    private static final String RATE_METHOD = "How each number is made: e_L is the signed distance of the normalised"
            + " NTK (Θ/L on the edge of chaos, the NTK's correlation for ResNets) to its limit on the first two"
            + " inputs; a 1/L rate makes L·e_L tend to a constant, a log(L)/L rate makes it grow like A·log L, so A"
            + " (least squares over the deepest two decades) separates them; the log factor counts as present when"
            + " |A| exceeds two standard errors and 1 % of the mean |L·e_L|, and (for log(L)/L) L·e_L is linear in"
            + " log L: the slopes over the two halves of the window agree within two standard errors plus 10 %."
            + " Ordered and chaotic phases: the exponential rate fitted on the depths where the distance is between"
            + " 10^-7 and 10^-3 of the limit for ReLU (whose 1 − c^l reaches rounding next), 10^-11 and 10^-5 for"
            + " smooth φ, 10^-40 and 10^-15 for the chaotic correlation, against the rate predicted from χ₁ (smooth"
            + " φ: −log χ₁, with the factor L that the resonance of the forcing 1 − c^l ∝ χ₁^l gives; φ' jumping at 0"
            + " (ReLU): −½ log χ₁, from Σ̇ − χ₁ ∝ √(1 − c^l)); agreement within two standard errors plus 3 %. Scaled"
            + " ResNets: the slope b of 1/d_L against log L.";

    /** Class S on the edge of chaos (no log factor to observe, says the paper), and the chaotic phase's growth. */
    private static void classSAndChaos(Report rep, List<HayouRates.RateCheck> all) {
        List<String> smooth = new ArrayList<>();
        for (String key : List.of("elu_eoc", "tanh_eoc")) {
            HayouRates.RateCheck k = find(all, key);
            if (k != null && k.decided()) {
                smooth.add(String.format(Locale.ROOT, "%s: A = %.4g ± %.2g (%s)", k.family(), k.value(), k.se(),
                        k.passes() ? "log factor observed" : "no log factor resolved"));
            }
        }
        if (!smooth.isEmpty()) {
            rep.paragraph("Class S on the edge of chaos (the paper: the log factor cannot be observed). " + String.join("; ",
                    smooth) + ".");
        }
        HayouRates.RateCheck chaos = find(all, "tanh_chaotic_diagonal_growth");
        if (chaos != null && chaos.decided()) {
            rep.deviation("Prop. 2: in the ordered or chaotic phase sup|K^L(x, x') − λ| ≤ e^{−γL} (a constant limit)",
                    String.format(Locale.ROOT, "in the chaotic phase K^L(x, x) grows like χ₁^L (fitted growth rate %.4f ±"
                            + " %.2g against log χ₁ = %.4f; the proof's bound sup Σ̇ ≤ α < 1 holds only in the ordered"
                            + " phase), so this project tests the NTK's correlation, whose limit is 0", chaos.value(),
                            chaos.se(), chaos.predicted()));
        }
    }

    /** A rate check as summary.json holds it. */
    private static Map<String, Object> rateJson(HayouRates.RateCheck k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", k.key());
        m.put("family", k.family());
        m.put("paper_rate", k.paperRate());
        m.put("statistic", k.statistic());
        m.put("test", k.test());
        m.put("value", k.value());
        m.put("value_se", k.se());
        m.put("predicted", k.predicted());
        m.put("tolerance", k.tolerance());
        m.put("level", k.level());
        m.put("points", k.points());
        m.put("from_depth", k.from());
        m.put("to_depth", k.to());
        m.put("in_verdict", k.inVerdict());
        m.put("curvature", k.curvature()); // the log-factor test's second-half minus first-half slope
        m.put("curvature_se", k.curvatureSe());
        m.put("agrees", k.passes());
        return m;
    }

    /** ReLU on the edge of chaos: its log coefficient against the one the proof's dropped term predicts; rounding. */
    private static void reluSentences(Report rep, Result r) {
        List<HayouRates.RateCheck> all = r.rates();
        HayouRates.RateCheck relu = find(all, "relu_eoc");
        if (relu != null && relu.decided()) {
            DepthProfile rp = r.row("relu_eoc").profile();
            double q = Math.sqrt(rp.nngp()[0][0] * rp.nngp()[0][rp.n() + 1]); // Σ¹ of the first two inputs
            rep.paragraph("ReLU on the edge of chaos: A = %s ± %s, " + (relu.passes()
                    ? "consistent with no log factor, the paper's Θ(1/L)."
                    : "a log factor the paper's Θ(1/L) does not have.") + " The proof of Thm 1 expands γ_{l+1}^{-1/2} ="
                    + " γ_l^{-1/2} + s/2 + (κ/2)γ_l and drops the term (3/8)s²γ_l^{1/2} of the same expansion; kept, it"
                    + " gives 1 − c^l's square root a log(l)/l² correction, f'(c^l) = 1 − 3/l + (9/2)log(l)/l² + O(l⁻²),"
                    + " and by the paper's own Appendix Lemma 6 L·e_L ≈ (3q/8)·log L + const with q = √(q_x q_x') the"
                    + " inputs' variance (%s here: 3q/8 = %s).",
                    Report.num("rate_checks/" + all.indexOf(relu) + "/value", relu.value(), "%.4g"),
                    Report.num("rate_checks/" + all.indexOf(relu) + "/value_se", relu.se(), "%.2g"),
                    Report.num("relu_q", q, "%.4g"), Report.num("relu_predicted_log_coefficient", 3 * q / 8, "%.4g"));
            rep.summary("relu_q", q).summary("relu_predicted_log_coefficient", 3 * q / 8);
        }
        if (Double.isFinite(r.reluReferenceGap())) {
            rep.paragraph("Rounding check (ReLU, edge of chaos): the engine's L·e_L and a recursion carried in 1 − c (no"
                    + " cancellation; checked against a 40-digit recursion in the tests) differ by at most %s over the"
                    + " window, against a mean |L·e_L| of %s: " + (r.reluReferenceGap() <= 0.01 * r.reluLevel()
                    ? "below 1 %, so rounding does not decide the fit." : "more than 1 %: the deepest depths are at the"
                    + " limit of double precision (1 − c ≈ 9π²/(2L²)); use a smaller --deep-depth."),
                    Report.num("relu_reference_gap", r.reluReferenceGap(), "%.3g"),
                    Report.num("relu_reference_level", r.reluLevel(), "%.4g"));
        }
    }

    /** Thm 2's diagonal constant for the ReLU ResNets, against Lemma 3's exact recursion. */
    private static void diagonalSection(Report rep, Result r) {
        List<List<Object>> diag = new ArrayList<>();
        for (Row row : r.rows()) {
            Family f = row.family();
            if (f.kind() != ArchKind.RESNET) {
                continue;
            }
            DepthProfile p = row.profile();
            int l = p.maxDepth();
            double s = f.sigmaW() * f.sigmaW() / 2;
            double q1 = p.nngp()[0][0];
            // K^L(x, x)/α_L with α_L = L(1 + s)^{L−1}; raw Θ/(1+s)^{L−1} = q1 + (L−1)s·q1/(1+s) exactly (Lemma 3)
            double measured = p.ntk()[l - 1][0] / (l * Math.pow(1 + s, l - 1));
            diag.add(List.of(f.name(), l, String.format(Locale.ROOT, "%.6g", measured),
                    String.format(Locale.ROOT, "%.6g", (q1 + (l - 1) * s * q1 / (1 + s)) / l),
                    String.format(Locale.ROOT, "%.6g", s / (1 + s) * q1), String.format(Locale.ROOT, "%.6g", q1)));
        }
        if (!diag.isEmpty()) {
            rep.table("Thm 2's diagonal constant: K^L_res(x, x)/α_L at the deepest L against the exact value of Lemma 3's"
                    + " recursion, its limit (σw²/2)/(1 + σw²/2)·σw²‖x‖²/d, and the paper's AK∞_res(x, x) = σw²‖x‖²/d",
                    List.of("family", "L", "measured", "exact (q₁ + (L−1)s q₁/(1+s))/L", "limit s/(1+s)·q₁",
                            "the paper: q₁ = σw²‖x‖²/d"), diag);
            rep.deviation("Thm 2: K^L_res(x, x)/α_L → AK∞_res(x, x) = σw²‖x‖²/d", "the recursion of Lemma 3 gives"
                    + " K^L_res(x, x)/(1 + σw²/2)^{L−1} = q₁ + (L−1)(σw²/2)q₁/(1 + σw²/2) exactly, so the limit is"
                    + " (σw²/2)/(1 + σw²/2)·σw²‖x‖²/d (table 'Thm 2's diagonal constant'); --normalisation paper uses it");
        }
    }

    private static HayouRates.RateCheck find(List<HayouRates.RateCheck> all, String key) {
        return all.stream().filter(k -> k.key().equals(key)).findFirst().orElse(null);
    }
}
