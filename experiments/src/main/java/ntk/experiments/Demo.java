package ntk.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ntk.BadInputException;
import ntk.KernelKind;
import ntk.data.Mnist;
import ntk.dynamics.Classification;
import ntk.finite.FiniteNetwork;
import ntk.NdArray;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;
import ntk.meanfield.DepthProfile;
import ntk.meanfield.RateFit;
import ntk.model.KernelRegressor;

/**
 * {@code ntk demo}, the main job, composed of the experiments' cores: on MNIST digits, (1) NNGP and NTK kernel
 * regression of the depth-4 ReLU network (β = 0.1) at t = ∞ on one-hot targets, classified by argmax (Lee et al.
 * 2018 §3; Arora et al. 2019); (2) finite networks of increasing width trained by gradient descent against the
 * infinite-width network from the same f₀, their kernel change and linearisation gap ({@link Linearization}, run
 * once per seed so every number has its spread over seeds); (3) the NTK's spectrum on the training digits with its
 * power law ({@link Spectrum}); (4) Hayou et al.'s depth experiment ({@link HayouFig1}).
 *
 * <p>Each section with a claim has its own verdict ({@link #widthsDecision}, {@link #spectrumDecision}, and the depth
 * experiment's own); section 1 measures accuracies the papers make no claim about and has none. The demo's verdict
 * {@link #decide} combines the sections' verdicts: SHOWN when every one is SHOWN, NOT SHOWN when every one is NOT
 * SHOWN, PARTLY otherwise.
 */
public final class Demo {
    /** The central claim the demo tests (Jacot et al. 2018, abstract): the NNGP at initialisation, the NTK in training. */
    public static final PaperClaim CLAIM = new PaperClaim("At initialization, artificial neural networks (ANNs) are"
            + " equivalent to Gaussian processes in the infinite-width limit … While the NTK is random at initialization"
            + " and varies during training, in the infinite-width limit it converges to an explicit limiting kernel and"
            + " it stays constant during training.", "Jacot, Gabriel & Hongler 2018, abstract");

    /** Section 3's claim (Pleiss' lecture notes §1.2), as {@link Spectrum} tests it. */
    static final PaperClaim SPECTRUM_CLAIM = Spectrum.CLAIM;

    /** Section 4's claim (Hayou, Doucet &amp; Rousseau, §1, contributions 1 and 3). */
    static final PaperClaim DEPTH_CLAIM = new PaperClaim("With an Initialization on the ordered/chaotic phase, the NTK"
            + " converges exponentially to a constant kernel with respect to the depth L … The EOC initialization leads"
            + " to a sub-exponential convergence rate of the NTK to the limiting NTK (w.r.t to L)",
            "Hayou, Doucet & Rousseau, §1 (contributions 1 and 3)");

    /** Section 2's rate: Pleiss' eq. 7 bounds the linearisation gap by a constant times width^−1/2. */
    static final double GAP_RATE = -0.5;

    private Demo() {
    }

    /**
     * train/test: digits for kernel regression; finiteTrain: the first digits of train the finite networks are
     * trained on (their test outputs are compared on all of test); widths, seeds, steps, stepScale as
     * {@link Linearization}; maxDepth of the depth experiment.
     */
    public record Config(Mnist.Split split, int train, int test, int finiteTrain, int[] widths, int seeds, int steps,
            double stepScale, int maxDepth, long seed, int deepDepth) {
        /** Without the depth experiment's deep rate tests (deepDepth 0): a quick demo, e.g. in tests. */
        public Config(Mnist.Split split, int train, int test, int finiteTrain, int[] widths, int seeds, int steps,
                double stepScale, int maxDepth, long seed) {
            this(split, train, test, finiteTrain, widths, seeds, steps, stepScale, maxDepth, seed, 0);
        }

        public Config {
            if (split.train().rows() != split.test().rows() || split.train().cols() != split.test().cols()) {
                throw new BadInputException(String.format(Locale.ROOT, "demo: the test images are %d×%d pixels but the"
                        + " training images %d×%d (%s); both sets must have one size", split.test().rows(),
                        split.test().cols(), split.train().rows(), split.train().cols(), split.source()));
            }
            if (train < 10 || train > split.train().n() || test < 1 || test > split.test().n() || finiteTrain < 1
                    || finiteTrain > train) {
                throw new BadInputException("demo: need 10 <= train <= " + split.train().n() + ", 1 <= test <= "
                        + split.test().n() + " and 1 <= finite-train <= train");
            }
        }

        /**
         * The default demo: 1,000 + 1,000 digits, networks of widths 64..1,024 on 256 of them, the depth experiment
         * with its rate tests to its default deep depth.
         */
        public static Config standard(Mnist.Split split) {
            return new Config(split, 1000, 1000, 256, new int[] {64, 128, 256, 512, 1024}, 2, 50, 1.0, 300, 0,
                    HayouFig1.DEFAULT_DEEP_DEPTH);
        }
    }

    /**
     * Kernel regression accuracies (fixed data, no seed); the spectrum; per width w and seed s ([w][s]) the finite
     * networks' linearisation gap, kernel change, distance of their test outputs to the infinite-width network from
     * the same f₀, and the test accuracies of both; the depth experiment and its own verdict (HayouFig1's report).
     */
    public record Result(Config config, String source, double nngpAccuracy, double ntkAccuracy, Spectrum.Result spectrum,
            double learningRate, double[][] gap, double[][] kernelChange, double[][] distance,
            double[][] finiteAccuracy, double[][] ntkNetworkAccuracy, HayouFig1.Result depth, Decision depthDecision) {

        /** Mean ± standard error over seeds of one width's values. */
        static Estimate[] perWidth(double[][] v) {
            return Arrays.stream(v).map(Estimate::of).toArray(Estimate[]::new);
        }

        /** The log-log fit against width through every (width, seed) point: slope ± its standard error. */
        LogLogFit fit(double[][] v) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int w = 0; w < v.length; w++) {
                for (double z : v[w]) {
                    x.add((double) config.widths()[w]);
                    y.add(z);
                }
            }
            return LogLogFit.of(x.stream().mapToDouble(Double::doubleValue).toArray(),
                    y.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    /** The fit range of the spectrum's power law on n digits. */
    static int[] fitRange(int n) {
        return new int[] {10, n / 4};
    }

    public static Result compute(Config c, Progress progress) {
        Mnist train = c.split().train().head(c.train());
        Mnist test = c.split().test().head(c.test());
        int d = train.dim();
        double[] x = Linearization.unitVariance(train);
        double[] t = Linearization.unitVariance(test);
        long t0 = System.nanoTime();
        KernelEngine engine = new KernelEngine();
        ntk.arch.Network limit = JacotNetworks.limit(10);
        Kernels kxx = engine.kernels(limit, x, c.train(), null, 0, d, true);
        Kernels ktx = engine.kernels(limit, t, c.test(), x, c.train(), d, true);
        int[] range = fitRange(c.train());
        Spectrum.Result spectrum = Spectrum.ofKernel(kxx.ntk(), c.train(), range[0], range[1]);
        NdArray y = new NdArray(new int[] {c.train(), 10}, train.oneHot(1, 0));
        double nngp = Classification.accuracy(new KernelRegressor(limit, KernelKind.NNGP).fit(kxx, y).predict(ktx)
                .means()[0], c.test(), 10, test.labels());
        double ntk = Classification.accuracy(new KernelRegressor(limit, KernelKind.NTK).fit(kxx, y).predict(ktx)
                .means()[0], c.test(), 10, test.labels());
        progress.log(String.format(Locale.ROOT, "kernel regression on %d digits, tested on %d: NNGP accuracy %.4f, NTK"
                + " accuracy %.4f; NTK spectrum λ_i ~ i^−%s (%.1f s)", c.train(), c.test(), nngp, ntk,
                spectrum.alphaEstimate().show(3), (System.nanoTime() - t0) * 1e-9));
        int nw = c.widths().length;
        int ns = c.seeds();
        double[][] gap = new double[nw][ns];
        double[][] kernel = new double[nw][ns];
        double[][] dist = new double[nw][ns];
        double[][] finiteAcc = new double[nw][ns];
        double[][] ntkNetAcc = new double[nw][ns];
        double eta = Double.NaN;
        // one Linearization run per seed (seeds = 1): its per-width values are that seed's, not an RMS over seeds
        for (int s = 0; s < ns; s++) {
            Linearization.Config lc = Linearization.mnist(c.split(), c.finiteTrain(), c.test(), c.widths(), 1,
                    c.steps(), c.stepScale(), c.seed() + s);
            Linearization.Result lin = Linearization.compute(lc, progress);
            eta = lin.learningRate();
            for (int w = 0; w < nw; w++) {
                gap[w][s] = lin.linearizationGap()[w];
                kernel[w][s] = lin.kernelChange()[w];
                dist[w][s] = lin.distanceToNtk()[w];
                finiteAcc[w][s] = Classification.accuracy(lin.testOut()[w][0], c.test(), 10, test.labels());
                ntkNetAcc[w][s] = Classification.accuracy(lin.ntkOut()[w][0], c.test(), 10, test.labels());
            }
        }
        NdArray xs = HayouFig1.defaultInputs();
        HayouFig1.Result depth = HayouFig1.compute(new HayouFig1.Config(c.maxDepth(), xs.data, xs.dim(0), xs.dim(1),
                false, c.deepDepth()), progress);
        Report dr = HayouFig1.render(depth, DEPTH_INPUTS);
        Decision dd = dr.verdict() == null ? Decision.partly("the depth experiment gave no verdict")
                : new Decision(dr.verdict(), dr.verdictText());
        return new Result(c, c.split().source(), nngp, ntk, spectrum, eta, gap, kernel, dist, finiteAcc, ntkNetAcc,
                depth, dd);
    }

    static final String DEPTH_INPUTS = " (4 points on a circle)";

    /** Where a value stands against 2: "falls" (slope + 2 se &lt; 0), "grows" (slope − 2 se &gt; 0) or "undecided". */
    enum Trend {
        FALLS, GROWS, UNDECIDED
    }

    static Trend trend(Estimate slope) {
        Estimate zero = Estimate.exact(0);
        return zero.aheadOf(slope) ? Trend.FALLS : slope.aheadOf(zero) ? Trend.GROWS : Trend.UNDECIDED;
    }

    /**
     * Section 2 (Jacot et al.: in the infinite-width limit the NTK converges and stays constant during training, so
     * the trained network is kernel gradient descent with the limiting NTK; Pleiss eq. 7: the linearisation gap is
     * bounded by a constant times width^−1/2). From the log-log fits against width through every (width, seed)
     * point, each slope with its standard error: (a) the distance of the test outputs to the infinite-width network
     * falls (slope below 0 by more than two standard errors); (b) the kernel change falls likewise; (c) the gap's
     * slope is not above −1/2 by more than two standard errors. SHOWN: (a), (b) and (c); NOT SHOWN: the distance or
     * the kernel change grows with width by more than two standard errors; PARTLY otherwise.
     */
    static Decision widthsDecision(Result r) {
        Estimate ds = r.fit(r.distance()).slopeEstimate();
        Estimate ks = r.fit(r.kernelChange()).slopeEstimate();
        Estimate gs = r.fit(r.gap()).slopeEstimate();
        Trend a = trend(ds);
        Trend b = trend(ks);
        boolean gapOk = !gs.aheadOf(Estimate.exact(GAP_RATE)) && Double.isFinite(gs.se());
        String text = String.format(Locale.ROOT, "Against width (log-log, %d networks per width), the distance of the"
                + " test outputs to the infinite-width network has slope %s (%s), the kernel change %s (%s), the"
                + " linearisation gap %s (%s than −1/2 by two standard errors).", r.config().seeds(), ds.show(3),
                words(a), ks.show(3), words(b), gs.show(3), gapOk ? "not slower" : "slower");
        if (a == Trend.FALLS && b == Trend.FALLS && gapOk) {
            return Decision.shown(text);
        }
        if (a == Trend.GROWS || b == Trend.GROWS) {
            return Decision.notShown(text);
        }
        return Decision.partly(text);
    }

    private static String words(Trend t) {
        return switch (t) {
            case FALLS -> "falls";
            case GROWS -> "grows";
            case UNDECIDED -> "neither falls nor grows beyond two standard errors";
        };
    }

    /**
     * Section 3 (Pleiss §1.2: λ_i = i^−α with α &gt; 1) on the training digits, by {@link Spectrum#side}: SHOWN when
     * α is above 1 by more than two standard errors, NOT SHOWN when below by more, PARTLY otherwise.
     */
    static Decision spectrumDecision(Result r) {
        Spectrum.Result s = r.spectrum();
        Estimate a = s.alphaEstimate();
        Spectrum.Side side = Spectrum.side(a);
        String text = String.format(Locale.ROOT, "On %d training digits α = %s over i in [%d, %d]: %s.", s.n(),
                a.show(3), s.from(), s.to(), side.words);
        return switch (side) {
            case ABOVE -> Decision.shown(text);
            case BELOW -> Decision.notShown(text);
            case UNDECIDED -> Decision.partly(text);
        };
    }

    /** The sections with a verdict, in page order (section 1 has none). */
    static Map<String, Decision> sections(Result r) {
        Map<String, Decision> m = new LinkedHashMap<>();
        m.put("2. finite networks against the NTK", widthsDecision(r));
        m.put("3. the NTK's spectrum", spectrumDecision(r));
        m.put("4. the NTK against depth", r.depthDecision());
        return m;
    }

    /** SHOWN when every section is SHOWN, NOT SHOWN when every one is NOT SHOWN, PARTLY otherwise. */
    static Report.Verdict combine(List<Report.Verdict> v) {
        if (v.stream().allMatch(x -> x == Report.Verdict.SHOWN)) {
            return Report.Verdict.SHOWN;
        }
        if (v.stream().allMatch(x -> x == Report.Verdict.NOT_SHOWN)) {
            return Report.Verdict.NOT_SHOWN;
        }
        return Report.Verdict.PARTLY;
    }

    /** The demo's verdict: {@link #combine} of the sections' verdicts; its reason names each. */
    public static Decision decide(Result r) {
        Map<String, Decision> s = sections(r);
        List<String> parts = new ArrayList<>();
        s.forEach((k, d) -> parts.add(k.substring(0, 1) + " " + d.verdict().label));
        Report.Verdict v = combine(s.values().stream().map(Decision::verdict).toList());
        return new Decision(v, "Sections " + String.join(", ", parts) + " (section 1 measures accuracies and has no"
                + " verdict): " + v.label + " by the rule \"shown only if every section is shown, not shown only if"
                + " none is\".");
    }

    /** The binomial standard error √(p(1 − p)/m) of an accuracy p on m test digits (test sampling, not seeds). */
    static double binomialSe(double p, int m) {
        return Math.sqrt(p * (1 - p) / m);
    }

    /**
     * A value shown at the precision the data carry: "0 to rounding (|λ| &lt; r)" when |x| is below the rounding
     * level r = {@link #roundingLevel} of an eigenvalue of an n×n matrix whose largest entry is {@code scale},
     * otherwise the value.
     */
    static String roundingAware(double x, double scale, int n, String format) {
        double r = roundingLevel(scale, n);
        if (Math.abs(x) < r) {
            return String.format(Locale.ROOT, "0 to rounding (|λ| < %.2g)", r);
        }
        return Report.show(x, format);
    }

    /**
     * n²·ε·scale: the bound n·ε·‖K‖₂ on the rounding error of a computed eigenvalue of a symmetric n×n matrix K
     * (a backward-stable eigensolver; ε = 2.2e−16 the double's unit round-off), with ‖K‖₂ ≤ n·max|K_ij| = n·scale
     * (equality for the constant matrix the ordered phase tends to).
     */
    static double roundingLevel(double scale, int n) {
        return (double) n * n * Math.ulp(1.0) * scale;
    }

    /** The largest |entry| of the normalised NTK at depth L (1-based) of a profile. */
    static double scale(DepthProfile p, int depth) {
        return Arrays.stream(p.normalised()[depth - 1]).map(Math::abs).max().orElse(Double.NaN);
    }

    /** A column "mean ± se" of the summary lists {@code key} and {@code key_se}. */
    private static Report.Column pm(Report rep, String header, String key, String format) {
        return Report.of(header, w -> Report.show(rep.values(key)[w], format) + " ± "
                + Report.show(rep.values(key + "_se")[w], "%.2g"));
    }

    private static double[] means(Estimate[] e) {
        return Arrays.stream(e).mapToDouble(Estimate::mean).toArray();
    }

    /** The demo's report (name "ntk-demo"); the depth experiment's own report is {@link #depthReport}. */
    public static Report render(Result r) {
        Report rep = new Report("ntk-demo", "ntk demo: Neural Tangent Kernels on MNIST digits");
        describe(rep, r);
        Map<String, Decision> sections = summarise(rep, r);
        rep.verdict(decide(r));
        kernelSection(rep, r);
        widthsSection(rep, r, sections.get("2. finite networks against the NTK"));
        Decision d3 = sections.get("3. the NTK's spectrum");
        rep.heading("3. The NTK's spectrum on the training digits: " + d3.verdict().label);
        rep.paragraph("Pleiss, §1.2: \u201c" + SPECTRUM_CLAIM.quote().replace("$", "") + "\u201d");
        rep.paragraph(d3.reason() + " The r² of log λ over the range is %s. ntk experiment spectrum measures the same on"
                + " the sphere, and α against the fit range, n and input dimension.", rep.num("spectrum_fit_r2", "%.4f"));
        SvgPlot sp = new SvgPlot("Eigenvalues of the limiting NTK on " + r.config().train() + " digits", "index i", "λ_i")
                .logX().logY().floor(1e-14);
        Spectrum.addSpectrum(sp, "MNIST digits", r.spectrum(), 0);
        rep.plot("demo-spectrum", sp, "Solid: eigenvalues; dashed: the fitted power law.");
        Decision d4 = r.depthDecision();
        rep.heading("4. The NTK against depth (Hayou, Doucet & Rousseau): " + d4.verdict().label);
        rep.paragraph(DEPTH_CLAIM.ref() + ": \u201c" + DEPTH_CLAIM.quote() + "\u201d");
        rep.paragraph("The depth experiment's verdict (its own report, depth/report.html): " + d4.reason());
        if (r.depth() != null) {
            depthSection(rep, r);
        }
        return rep;
    }

    /** The claim, what the demo tests, the deviations from the papers' set-ups, the parameters and seeds. */
    private static void describe(Report rep, Result r) {
        Config c = r.config();
        rep.claim(CLAIM);
        rep.claim("Four sections, each with its own verdict where a paper makes a claim: (1) kernel regression with the"
                + " limiting NNGP and NTK kernels (accuracies, no claim tested); (2) whether finite networks trained by"
                + " gradient descent approach kernel gradient descent with the limiting NTK as they widen — their test"
                + " outputs, their kernel's change during training and their linearisation gap against width, slopes"
                + " with standard errors over seeds; (3) Pleiss' spectral decay α > 1 on the digits; (4) Hayou et al.'s"
                + " NTK against depth. The verdict at the top combines the sections' verdicts (shown only if every"
                + " section is shown, not shown only if none is).");
        rep.deviation("points of the unit circle (§6), widths n = 50, 1000 (Fig. 2) and 100, 1000, 10000 (Fig. 3),"
                + " 10 initialisations per width, 1000 steps of learning rate 1.0", String.format(Locale.ROOT,
                        "MNIST digits (%d for the finite networks, %d + %d for kernel regression), widths %s, %d"
                        + " initialisations per width, %d steps of η = %.4g", c.finiteTrain(), c.train(), c.test(),
                        Arrays.toString(c.widths()), c.seeds(), c.steps(), r.learningRate()));
        rep.deviation("gradient flow (continuous time, Thm 2)", "full-batch gradient descent in discrete steps, compared"
                + " with the same discrete steps of kernel gradient descent");
        rep.deviation("Fig. 1's depths and inputs are not stated in the text", "L = 1.." + c.maxDepth()
                + " on 4 points of a circle (the depth experiment's own report: depth/report.html)");
        rep.param("data", String.format(Locale.ROOT, "%s: the first %d training and %d test digits, each scaled to ‖x‖²"
                + " = %d; one-hot targets (1 for the digit, 0 elsewhere)", r.source(), c.train(), c.test(),
                c.split().train().dim()))
                .param("architecture", JacotNetworks.template(10))
                .param("kernel regression", "t = ∞, no ridge (Cholesky), prediction = argmax of the 10 outputs")
                .param("finite networks", String.format(Locale.ROOT, "widths %s, %d per width (seeds %d..%d), trained on"
                        + " the first %d training digits by %d steps of full-batch gradient descent, η = %.4g",
                        Arrays.toString(c.widths()), c.seeds(), c.seed(), c.seed() + c.seeds() - 1, c.finiteTrain(),
                        c.steps(), r.learningRate()))
                .param("depth experiment", "L = 1.." + c.maxDepth() + " (full report: depth/report.html)");
        rep.seedRange(c.seed(), c.seeds());
    }

    /** The headline numbers and each section's verdict (summary.json); returns the sections' decisions. */
    private static Map<String, Decision> summarise(Report rep, Result r) {
        Config c = r.config();
        int nw = c.widths().length;
        Estimate[] dist = Result.perWidth(r.distance());
        Estimate[] kern = Result.perWidth(r.kernelChange());
        Estimate[] gap = Result.perWidth(r.gap());
        Estimate[] facc = Result.perWidth(r.finiteAccuracy());
        Estimate[] nacc = Result.perWidth(r.ntkNetworkAccuracy());
        Estimate alpha = r.spectrum().alphaEstimate();
        rep.summary("mnist_train", c.train()).summary("mnist_test", c.test())
                .summary("nngp_accuracy", r.nngpAccuracy()).summary("nngp_accuracy_se", binomialSe(r.nngpAccuracy(),
                        c.test())).summary("ntk_accuracy", r.ntkAccuracy())
                .summary("ntk_accuracy_se", binomialSe(r.ntkAccuracy(), c.test()))
                .summary("accuracy_se_kind", "binomial over the test digits (kernel regression on fixed data has no seed)")
                .summary("widths", c.widths()).summary("seeds_per_width", c.seeds())
                .estimates("distance_to_ntk", nw, w -> dist[w]).slope("distance_slope", r.fit(r.distance()))
                .estimates("linearization_gap", nw, w -> gap[w]).slope("gap_slope", r.fit(r.gap()))
                .estimates("kernel_change", nw, w -> kern[w]).slope("kernel_slope", r.fit(r.kernelChange()))
                .estimates("finite_accuracy", nw, w -> facc[w]).estimates("ntk_network_accuracy", nw, w -> nacc[w])
                .summary("learning_rate", r.learningRate())
                .summary("spectrum_alpha", alpha.mean()).summary("spectrum_alpha_se", alpha.se())
                .summary("spectrum_fit_range", new int[] {r.spectrum().from(), r.spectrum().to()})
                .summary("spectrum_fit_r2", r.spectrum().fit().r2());
        Map<String, Decision> sections = sections(r);
        List<Map<String, Object>> sj = new ArrayList<>();
        sections.forEach((k, d) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("section", k);
            m.put("verdict", d.verdict().label);
            m.put("reason", d.reason());
            sj.add(m);
        });
        rep.summary("sections", sj);
        return sections;
    }

    /** Section 1: kernel regression with the limiting kernels (no claim tested). */
    private static void kernelSection(Report rep, Result r) {
        Config c = r.config();
        rep.heading("1. Kernel regression with the infinite-width kernels (no claim tested: no verdict)");
        rep.table("Test accuracy, one-hot regression at t = ∞, argmax (± binomial standard error over the test digits;"
                + " kernel regression on fixed data has no seed)", List.of("kernel", "training digits", "test digits",
                "accuracy", "± se"), List.of(
                        List.of("NNGP Σ∞ (Bayesian posterior mean; trained read-out)", rep.num("mnist_train", "%.0f"),
                                rep.num("mnist_test", "%.0f"), rep.num("nngp_accuracy", "%.4f"),
                                rep.num("nngp_accuracy_se", "%.2g")),
                        List.of("NTK Θ∞ (gradient descent to convergence)", c.train(), c.test(),
                                rep.num("ntk_accuracy", "%.4f"), rep.num("ntk_accuracy_se", "%.2g"))));
        Estimate nngpE = new Estimate(r.nngpAccuracy(), binomialSe(r.nngpAccuracy(), c.test()), c.test());
        Estimate ntkE = new Estimate(r.ntkAccuracy(), binomialSe(r.ntkAccuracy(), c.test()), c.test());
        rep.paragraph(String.format(Locale.ROOT, "%s (the two are evaluated on the same test digits, so their errors are"
                + " not independent and this comparison is conservative).", nngpE.aheadOf(ntkE)
                        ? "NNGP regression is ahead of NTK regression by more than two standard errors"
                        : ntkE.aheadOf(nngpE) ? "NTK regression is ahead of NNGP regression by more than two standard errors"
                        : "Neither kernel is ahead of the other by more than two standard errors"));
    }

    /** Section 2: finite networks against the NTK as they widen, with its verdict. */
    private static void widthsSection(Report rep, Result r, Decision d2) {
        Config c = r.config();
        int nw = c.widths().length;
        rep.heading("2. Finite networks against the NTK as they widen: " + d2.verdict().label);
        rep.paragraph(d2.reason());
        rep.table(String.format(Locale.ROOT, "After %d steps on %d digits: mean ± standard error over %d networks per"
                + " width", c.steps(), c.finiteTrain(), c.seeds()), nw, rep.label("width", "widths"),
                pm(rep, "‖f_T − f_T^∞‖/‖f_T^∞ − f₀‖ on test digits", "distance_to_ntk", "%.4g"),
                pm(rep, "‖Θ_T − Θ₀‖/‖Θ₀‖", "kernel_change", "%.4g"),
                pm(rep, "‖f − f_lin‖/‖f − f₀‖", "linearization_gap", "%.4g"),
                pm(rep, "test accuracy (network)", "finite_accuracy", "%.4f"),
                pm(rep, "test accuracy (infinite width, same f₀)", "ntk_network_accuracy", "%.4f"));
        rep.sentence("f_T^∞ is the infinite-width network from the same initial function f₀ after the same steps (f₀ plus"
                + " kernel gradient descent with the limiting NTK). Log-log slopes against width through every (width,"
                + " seed) point: distance {distance_slope|%.3f} ± {distance_slope_se|%.2g}, kernel change"
                + " {kernel_slope|%.3f} ± {kernel_slope_se|%.2g}, linearisation gap {gap_slope|%.3f} ±"
                + " {gap_slope_se|%.2g} (Pleiss eq. 7 bounds the gap by a constant times width^−1/2).");
        int last = nw - 1;
        Estimate accGap = Estimate.of(diff(r.finiteAccuracy()[last], r.ntkNetworkAccuracy()[last]));
        rep.paragraph(String.format(Locale.ROOT, "At width %d the network's test accuracy minus the infinite-width"
                + " network's (same f₀, paired by seed) is %s: %s.", c.widths()[last], accGap.show(3),
                accGap.consistentWith(0, 0) ? "zero within two standard errors"
                        : Double.isFinite(accGap.se()) ? "not zero within two standard errors"
                        : "one network, no standard error"));
        rep.plot("demo-widths", widthsPlot(r, Result.perWidth(r.distance()), Result.perWidth(r.kernelChange()),
                Result.perWidth(r.gap()), r.fit(r.distance()), r.fit(r.kernelChange()), r.fit(r.gap())),
                "Markers: means over seeds, bands ± one"
                + " standard error; dashed: least-squares fits through every (width, seed) point; black dashed:"
                + " width^−1/2 through the narrowest gap.");
    }

    private static double[] diff(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    /** The depth table (λ_min printed at the precision the matrix carries) and its plot. */
    private static void depthSection(Report rep, Result r) {
        int maxDepth = r.config().maxDepth();
        List<List<Object>> drows = new ArrayList<>();
        List<Map<String, Object>> dj = new ArrayList<>();
        SvgPlot p = new SvgPlot("Distance of the normalised NTK to its mean-field limit", "depth L",
                "max |K_L/α_L − K∞|").logX().logY().floor(1e-12);
        int i = 0;
        for (HayouFig1.Row row : r.depth().rows()) {
            DepthProfile prof = row.profile();
            int nl = prof.maxDepth();
            RateFit best = prof.better();
            double lmin = prof.lambdaMin()[nl - 1];
            double scale = scale(prof, nl);
            double level = roundingLevel(scale, prof.n());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("family", row.family().name());
            m.put("depth", nl);
            m.put("lambda_min", lmin);
            m.put("rounding_level", level);
            m.put("below_rounding", Math.abs(lmin) < level);
            dj.add(m);
            drows.add(List.of(row.family().name(), HayouFig1.fit(best), row.family().theory(), nl,
                    roundingAware(lmin, scale, prof.n(), "%.3g")));
            double[] depth = new double[nl];
            for (int l = 0; l < nl; l++) {
                depth[l] = l + 1;
            }
            p.line(row.family().name(), depth, prof.distance(), SvgPlot.color(i++), false, true);
        }
        rep.summary("depth_lambda_min", dj);
        rep.table("Distance of the normalised NTK to its mean-field limit, L = 1.." + maxDepth + " (λ_min is \"0 to"
                + " rounding\" when below n²·ε·max|K|, the rounding bound n·ε·‖K‖₂ of an eigenvalue of the normalised"
                + " NTK K, with ‖K‖₂ ≤ n·max|K|)", List.of("family", "best fit", "the paper",
                "deepest L", "λ_min at the deepest L"), drows);
        rep.plot("demo-depth", p, "One line per family; distances below 1e-12 are at rounding level and not drawn.");
    }

    /** Means over seeds with ± one standard error, the fits through every point, and width^−1/2. */
    private static SvgPlot widthsPlot(Result r, Estimate[] dist, Estimate[] kern, Estimate[] gap, LogLogFit df,
            LogLogFit kf, LogLogFit gf) {
        double[] w = Arrays.stream(r.config().widths()).asDoubleStream().toArray();
        SvgPlot p = new SvgPlot("Finite networks against width (log-log)", "width", "relative size").logX().logY();
        Object[][] series = {{"distance of test outputs to the NTK network", dist, df},
            {"kernel change ‖Θ_T − Θ₀‖/‖Θ₀‖", kern, kf}, {"linearisation gap ‖f − f_lin‖/‖f − f₀‖", gap, gf}};
        for (int k = 0; k < series.length; k++) {
            Estimate[] e = (Estimate[]) series[k][1];
            LogLogFit f = (LogLogFit) series[k][2];
            String col = SvgPlot.color(k);
            p.points((String) series[k][0], w, means(e), col);
            double[] lo = Arrays.stream(e).mapToDouble(x -> Math.max(x.mean() - (Double.isFinite(x.se()) ? x.se() : 0),
                    x.mean() / 10)).toArray();
            double[] hi = Arrays.stream(e).mapToDouble(x -> x.mean() + (Double.isFinite(x.se()) ? x.se() : 0)).toArray();
            p.band("± 1 se", w, lo, hi, col);
            p.line(String.format(Locale.ROOT, "fit: slope %.3f ± %.2g", f.slope(), f.slopeSe()), w,
                    Arrays.stream(w).map(f::at).toArray(), col, true, true);
        }
        double[] ref = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            ref[i] = gap[0].mean() * Math.sqrt(w[0] / w[i]);
        }
        p.line("width^−1/2", w, ref, "#000000", true, true);
        return p;
    }

    /** The depth experiment's own report (written under depth/). */
    public static Report depthReport(Result r) {
        return HayouFig1.render(r.depth(), DEPTH_INPUTS);
    }
}
