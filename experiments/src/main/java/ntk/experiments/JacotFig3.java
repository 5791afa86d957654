package ntk.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ntk.BadInputException;
import ntk.KernelKind;
import ntk.data.Mnist;
import ntk.dynamics.KernelPca;
import ntk.finite.FiniteNetwork;
import ntk.Params;
import ntk.finite.Trainer;
import ntk.NdArray;
import ntk.kernels.KernelEngine;
import ntk.model.KernelRegressor;

/**
 * Jacot, Gabriel &amp; Hongler 2018, §6 "Convergence along a principal component" and Fig. 3: the kernel
 * principal components of a batch of N digits with respect to the limiting NTK Θ∞ of the depth-4 ReLU network
 * (β = 0.1), and networks of several widths trained from their own initial function f₀ towards
 * f* = f₀ + ½f⁽²⁾, f⁽²⁾ the second component. In the limit the residual f_t − f* = −½e^{−λ₂t}f⁽²⁾ moves
 * along a straight line and decays at the rate λ₂.
 *
 * <p>Conventions: functions on the batch carry the paper's p_in norm ‖f‖² = (1/N)Σf(xᵢ)², so f⁽ⁱ⁾ = √N·vᵢ
 * with vᵢ the unit eigenvector of the Gram matrix K = Θ∞(X, X) of eigenvalue Λᵢ; the paper's operator
 * eigenvalue is λᵢ = Λᵢ/N, which is also the decay rate under the project's loss 1/(2N)Σ(f − y)²
 * (cli-contract.md: f_t − Y = e^{−tK/N}(f₀ − Y)). Time is t = η·step. At each record the residual
 * r_t = f_t − f* is split into g_t = ⟨r_t, f⁽²⁾⟩ (−½e^{−λ₂t} in the limit) and h_t = r_t − g_t f⁽²⁾ (0 in the
 * limit). {@code pc2RateMeasured}[w] is the mean over seeds of the least-squares slope of −log|g_t| against t;
 * {@code lineDeviation}[w] the root mean square over seeds of max_t ‖h_t‖/‖r_0‖ (‖r_0‖ = ½).
 */
public final class JacotFig3 implements Experiment {

    /**
     * x: N inputs (row-major N×d) as the network sees them; labels (may be null) only colour the plots;
     * widths, seeds per width (parameter seeds {@code seed}, {@code seed}+1, …); the learning rate is
     * {@code stepScale}·N/Λ₁ (so one step moves the first component by the factor 1 − stepScale) and training
     * lasts until λ₂t = {@code decayTimes}; {@code records} records along the way.
     */
    public record Config(double[] x, int n, int d, int[] labels, int[] widths, int seeds, double stepScale,
            double decayTimes, int records, long seed) {
        public Config {
            if (n < 4 || d < 1 || x.length != (long) n * d) {
                throw new BadInputException("jacot-fig3 needs at least 4 inputs of dimension d, got " + n + "×" + d);
            }
            if (widths.length == 0 || seeds < 1 || !(stepScale > 0 && stepScale < 2) || !(decayTimes > 0)
                    || records < 3) {
                throw new BadInputException("jacot-fig3 needs widths, seeds >= 1, 0 < step scale < 2, decay > 0,"
                        + " records >= 3");
            }
        }

        /** Gradient-descent steps for Λ₁ and Λ₂ (eigenvalues of K). */
        int steps(double lambda1, double lambda2) {
            return (int) Math.ceil(decayTimes * lambda1 / (stepScale * lambda2));
        }
    }

    /**
     * eigenvalues: the top {@link #TOP} eigenvalues of K/N (the paper's λᵢ), descending; components: the first
     * three components f⁽¹⁾, f⁽²⁾, f⁽³⁾ on the batch (3×N, p_in-unit); learningRate, steps; time (records,);
     * g[w][s] and h[w][s] (records,) per width and seed; pc2RateTheory = λ₂ (gradient flow) and
     * pc2RateDiscrete = −log(1 − ηλ₂)/η (what η-steps give in the limit); pc2RateMeasured, lineDeviation per width.
     */
    public record Result(Config config, double[] eigenvalues, double[][] components, double learningRate, int steps,
            double[] time, double[][][] g, double[][][] h, double pc2RateTheory, double pc2RateDiscrete,
            double[] pc2RateMeasured, double[] lineDeviation) {

        /** The result of these trajectories, with the per-width mean rate and RMS line deviation computed from them. */
        public static Result of(Config c, double[] eigenvalues, double[][] components, double learningRate, int steps,
                double[] time, double[][][] g, double[][][] h, double pc2RateTheory, double pc2RateDiscrete) {
            int nw = c.widths().length;
            double[] rate = new double[nw];
            double[] line = new double[nw];
            for (int w = 0; w < nw; w++) {
                for (int s = 0; s < c.seeds(); s++) {
                    rate[w] += decayRate(time, g[w][s]) / c.seeds();
                    line[w] += Math.pow(maxLine(h[w][s]), 2) / c.seeds();
                }
                line[w] = Math.sqrt(line[w]);
            }
            return new Result(c, eigenvalues, components, learningRate, steps, time, g, h, pc2RateTheory,
                    pc2RateDiscrete, rate, line);
        }

        /** The decay rate along f⁽²⁾ of network s of width index w. */
        public double rate(int w, int s) {
            return decayRate(time, g[w][s]);
        }

        /** Its rate over the limit's for these steps, minus 1 (0 in the limit). */
        public double excess(int w, int s) {
            return rate(w, s) / pc2RateDiscrete - 1;
        }

        /** max_t ‖h_t‖/‖f₀ − f*‖ of network s of width index w (0 in the limit). */
        public double line(int w, int s) {
            return maxLine(h[w][s]);
        }

        /** Mean ± standard error over the seeds of width index w. */
        public Estimate estimate(Measure m, int w) {
            double[] v = new double[config.seeds()];
            for (int s = 0; s < v.length; s++) {
                v[s] = m.at(this, w, s);
            }
            return Estimate.of(v);
        }

        /** log |m| against log width over every network: a power law's slope with its standard error. */
        public LineFit slope(Measure m) {
            double[][] v = new double[config.widths().length][config.seeds()];
            for (int w = 0; w < v.length; w++) {
                for (int s = 0; s < v[w].length; s++) {
                    v[w][s] = Math.abs(m.at(this, w, s));
                }
            }
            return JacotNetworks.logLogPerSeed(config.widths(), v);
        }
    }

    /** A number measured on one network (width index w, seed index s) of a Result. */
    @FunctionalInterface
    public interface Measure {
        double at(Result r, int w, int s);

        Measure RATE = Result::rate;
        Measure EXCESS = Result::excess;
        Measure LINE = Result::line;
    }

    /** max_t ‖h_t‖ over ‖r₀‖ = ½. */
    static double maxLine(double[] h) {
        double m = 0;
        for (double v : h) {
            m = Math.max(m, v);
        }
        return m / 0.5;
    }

    /** How many eigenvalues the result keeps. */
    public static final int TOP = 10;

    /** The science: the limit's components, then each width's networks trained towards f₀ + ½f⁽²⁾. */
    public static Result compute(Config c, Progress progress) {
        return compute(c, progress, Budget.DEFAULT_MAX_WORK);
    }

    /** As above, refusing (before any training) a run past maxWork operations or the heap. */
    public static Result compute(Config c, Progress progress, double maxWork) {
        int n = c.n();
        ntk.arch.Network limit = JacotNetworks.limit(1);
        KernelPca pca = new KernelRegressor(limit, KernelKind.NTK)
                .components(new KernelEngine().kernels(limit, c.x(), n, null, 0, c.d(), true), null);
        double[] top = new double[Math.min(TOP, n)];
        for (int i = 0; i < top.length; i++) {
            top[i] = pca.eigenvalue(i) / n;
        }
        double[][] comps = new double[3][];
        for (int i = 0; i < 3; i++) {
            comps[i] = pca.eigenvector(i);
            orient(comps[i]);
            for (int j = 0; j < n; j++) {
                comps[i][j] *= Math.sqrt(n);
            }
        }
        double[] f2 = comps[1];
        double eta = c.stepScale() / top[0];
        double stepsWanted = c.decayTimes() / (eta * top[1]);
        Budget.denseRuns(String.format(Locale.ROOT, "jacot-fig3 (%.3g steps to reach λ₂t = %s)", stepsWanted,
                c.decayTimes()), c.widths(), c.d(), JacotNetworks.DEPTH - 1, 1, c.seeds(), stepsWanted * c.n(), 0, maxWork,
                // the trainer's live set, as jacot-fig1's (same trainer): 3 copies of the parameters; 6 allowed
                6);
        int steps = c.steps(top[0], top[1]);
        int every = Math.max(1, steps / (c.records() - 1));
        // records need only the outputs: no kernel change or linearisation gap (kernelProbe 0)
        Trainer.Config tc = Trainer.Config.gradientDescent(steps, eta).recordEvery(every).kernelProbe(0).build();
        double[] time = null;
        int nw = c.widths().length;
        double[][][] g = new double[nw][c.seeds()][];
        double[][][] h = new double[nw][c.seeds()][];
        progress.log(String.format(Locale.ROOT, "limiting NTK on %d inputs: λ₁ = %.4g, λ₂ = %.4g, λ₃ = %.4g; %d steps of"
                + " η = %.4g", n, top[0], top[1], top[2], steps, eta));
        try (Progress.Task task = progress.task("training networks", (long) nw * c.seeds() * steps)) {
            for (int w = 0; w < nw; w++) {
                long t0 = System.nanoTime();
                FiniteNetwork net = JacotNetworks.finite(c.widths()[w], 1, c.d());
                Trainer trainer = new Trainer(net);
                for (int s = 0; s < c.seeds(); s++) {
                    Params p0 = net.init(c.seed() + s);
                    double[] f0 = net.forward(p0, c.x(), n).out();
                    double[] target = new double[n];
                    for (int j = 0; j < n; j++) {
                        target[j] = f0[j] + 0.5 * f2[j]; // f* = f₀ + ½f⁽²⁾
                    }
                    Trainer.Result r = trainer.train(p0, Trainer.Data.regression(c.x(), n, target),
                            Trainer.Data.inputs(c.x(), n), tc, st -> task.step());
                    if (r.divergedAt() >= 0) {
                        throw new BadInputException("jacot-fig3: width " + c.widths()[w] + ", seed " + (c.seed() + s)
                                + " diverged at step " + r.divergedAt() + " (learning rate " + eta + ")");
                    }
                    int rec = r.records();
                    time = new double[rec];
                    g[w][s] = new double[rec];
                    h[w][s] = new double[rec];
                    for (int t = 0; t < rec; t++) {
                        time[t] = eta * r.step()[t];
                        double[] f = r.testOut()[t];
                        double gt = 0;
                        for (int j = 0; j < n; j++) {
                            gt += (f[j] - target[j]) * f2[j];
                        }
                        gt /= n; // ⟨r, f⁽²⁾⟩ in the p_in inner product
                        double hh = 0;
                        for (int j = 0; j < n; j++) {
                            double e = f[j] - target[j] - gt * f2[j];
                            hh += e * e;
                        }
                        g[w][s][t] = gt;
                        h[w][s][t] = Math.sqrt(hh / n);
                    }
                }
                progress.log(String.format(Locale.ROOT, "width %-6d %d networks trained (%.1f s)", c.widths()[w],
                        c.seeds(), (System.nanoTime() - t0) * 1e-9));
            }
        }
        double discrete = -Math.log1p(-eta * top[1]) / eta;
        return Result.of(c, top, comps, eta, steps, time, g, h, top[1], discrete);
    }

    /** Least-squares slope of −log|g| against t (the exponential decay rate of g). */
    static double decayRate(double[] t, double[] g) {
        double st = 0;
        double sy = 0;
        double stt = 0;
        double sty = 0;
        int m = 0;
        for (int i = 0; i < t.length; i++) {
            if (g[i] != 0) {
                double y = Math.log(Math.abs(g[i]));
                st += t[i];
                sy += y;
                stt += t[i] * t[i];
                sty += t[i] * y;
                m++;
            }
        }
        return -(m * sty - st * sy) / (m * stt - st * st);
    }

    /** Fixes an eigenvector's sign (LAPACK's is arbitrary): its largest-magnitude entry positive. */
    private static void orient(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (Math.abs(v[i]) > Math.abs(v[best])) {
                best = i;
            }
        }
        if (v[best] < 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] = -v[i];
            }
        }
    }

    /** The paper's batch size N. */
    public static final int PAPER_N = 512;

    /** The claim: Jacot et al.'s reading of their Fig. 3b and 3c (§6.3). */
    static final PaperClaim CLAIM = new PaperClaim("As expected, we see in Figure 3b that the wider the network, the"
            + " less it deviates from the straight line (for each width n we performed two independent trials). As the"
            + " width grows, the trajectory along the 2nd principal component (shown in Figure 3c) converges to the"
            + " theoretical limit shown in blue. A surprising observation is that smaller networks appear to converge"
            + " faster than wider ones.", "Jacot et al. 2018, §6.3, Fig. 3");

    /** The excess of the decay rate over λ₂ at which the fitted trend is extrapolated, for "what size would". */
    public static final double EXCESS_TARGET = 0.1;

    /**
     * The verdict, from the Result alone. Three parts of the quoted claim:
     * <ol>
     * <li><b>less deviation from the line when wider</b>: log max_t‖h_t‖ against log width, fitted over every
     * network, has a slope below 0 by more than 2 standard errors;</li>
     * <li><b>the trajectory along f⁽²⁾ converges to the limit as the width grows</b>: the relative excess of the decay
     * rate over the limit's, |rate/λ₂ − 1|, falls with width (log-log slope below 0 by more than 2 standard errors)
     * and, at the widest width, the mean excess over the networks is within 2 standard errors of 0 (the trajectory
     * has reached the limit, within error);</li>
     * <li><b>smaller networks converge faster</b>: the narrowest width's mean rate is ahead of the widest's by more
     * than 2 combined standard errors.</li>
     * </ol>
     * SHOWN: all of them. NOT SHOWN: neither the line deviation nor the excess falls with width. PARTLY: the rest;
     * when the excess falls but the widest width has not reached the limit, the reason says "not shown at this size"
     * and at what width the excess would reach {@link #EXCESS_TARGET}, extrapolated from the widest width's measured
     * excess along the fitted power (and along the power ± its standard error).
     */
    public static Decision decide(Result r) {
        Config c = r.config();
        int[] nwi = JacotNetworks.narrowWide(c.widths());
        int narrow = nwi[0];
        int wide = nwi[1];
        LineFit line = r.slope(Measure.LINE);
        LineFit excess = r.slope(Measure.EXCESS);
        Estimate exWide = r.estimate(Measure.EXCESS, wide);
        Estimate rateN = r.estimate(Measure.RATE, narrow);
        Estimate rateW = r.estimate(Measure.RATE, wide);
        boolean lineFalls = falls(line);
        boolean excessFalls = falls(excess);
        boolean reached = exWide.consistentWith(0, 0);
        boolean fasterNarrow = rateN.aheadOf(rateW);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Deviation from the straight line: slope %s against width (%s). Decay rate"
                + " along f⁽²⁾ over the limit's: excess %s at width %d, %s at width %d; the excess's slope against width"
                + " %s (%s). ", JacotNetworks.slope(line), words(line, lineFalls), pct(r.estimate(Measure.EXCESS, narrow)), c.widths()[narrow], pct(exWide),
                c.widths()[wide], JacotNetworks.slope(excess), words(excess, excessFalls)));
        if (reached) {
            b.append(String.format(Locale.ROOT, "At width %d the decay is at the limit's rate within 2 standard errors.",
                    c.widths()[wide]));
        } else if (!Double.isFinite(exWide.se())) {
            b.append(String.format(Locale.ROOT, "At width %d one network gives no error: not shown at this size.",
                    c.widths()[wide]));
        } else {
            b.append(String.format(Locale.ROOT, "At width %d the decay is still off the limit's by more than 2 standard"
                    + " errors: not shown at this size.", c.widths()[wide]));
            if (excessFalls && Math.abs(exWide.mean()) <= EXCESS_TARGET) {
                b.append(String.format(Locale.ROOT, " Its excess there is already below %.0f %%; more networks per width"
                        + " (--seeds) would tell whether it is zero.", 100 * EXCESS_TARGET));
            } else if (excessFalls) {
                // extrapolated from the widest width's measured excess along the fitted power (and the power ± its error)
                double w0 = c.widths()[wide];
                double e0 = Math.abs(exWide.mean());
                double at10 = w0 * Math.pow(EXCESS_TARGET / e0, 1 / excess.slope());
                double steep = excess.slope() - excess.slopeSe();
                double flat = excess.slope() + excess.slopeSe();
                double lo = w0 * Math.pow(EXCESS_TARGET / e0, 1 / steep);
                double hi = flat < 0 ? w0 * Math.pow(EXCESS_TARGET / e0, 1 / flat) : Double.POSITIVE_INFINITY;
                b.append(String.format(Locale.ROOT, " Extrapolated from width %d along the fitted power (excess ∝"
                        + " width^%.2f ± %.2f), the excess reaches %.0f %% at width ≈ %s (%s to %s with the power ± its"
                        + " error).", c.widths()[wide], excess.slope(), excess.slopeSe(), 100 * EXCESS_TARGET,
                        round(at10), round(lo), round(hi)));
            }
        }
        b.append(String.format(Locale.ROOT, " Rate at width %d: %s; at width %d: %s (%s).", c.widths()[narrow],
                rateN.show(4), c.widths()[wide], rateW.show(4), fasterNarrow ? "the smaller networks converge faster"
                        : "the smaller networks are not faster by more than 2 standard errors"));
        if (c.seeds() < 5) {
            b.append(String.format(Locale.ROOT, " (Standard errors over %d network%s per width are rough: %d degree%s of"
                    + " freedom.)", c.seeds(), c.seeds() == 1 ? "" : "s", c.seeds() - 1, c.seeds() == 2 ? "" : "s"));
        }
        String reason = b.toString();
        if (lineFalls && excessFalls && reached && fasterNarrow) {
            return Decision.shown(reason);
        }
        if (!lineFalls && !excessFalls) {
            return Decision.notShown(reason);
        }
        return Decision.partly(reason);
    }

    private static boolean falls(LineFit f) {
        return Double.isFinite(f.slopeSe()) && f.slope() + Estimate.Z * f.slopeSe() < 0;
    }

    private static String words(LineFit f, boolean falls) {
        if (!Double.isFinite(f.slopeSe())) {
            return "no error with " + f.points() + " networks: not shown at this size";
        }
        return falls ? "falls by more than 2 standard errors" : "does not fall by more than 2 standard errors";
    }

    private static String pct(Estimate e) {
        return Double.isFinite(e.se()) ? String.format(Locale.ROOT, "%+.1f ± %.1f %%", 100 * e.mean(), 100 * e.se())
                : String.format(Locale.ROOT, "%+.1f %% (one network)", 100 * e.mean());
    }

    /** A width to two significant digits ("3,000"). */
    static String round(double w) {
        if (!Double.isFinite(w) || w > 1e9) {
            return "beyond 10⁹";
        }
        if (w < 10) {
            return String.format(Locale.ROOT, "%.0f", Math.ceil(w));
        }
        double p = Math.pow(10, Math.floor(Math.log10(w)) - 1);
        return String.format(Locale.ROOT, "%,.0f", Math.ceil(w / p) * p);
    }

    @Override
    public PaperClaim claim() {
        return CLAIM;
    }

    @Override
    public String name() {
        return "jacot-fig3";
    }

    @Override
    public boolean readsData() {
        return true;
    }

    @Override
    public String description() {
        return "Jacot, Gabriel & Hongler's Fig. 3: the first kernel principal components of N = 512 MNIST digits"
                + " (pixels in [0, 1]) under the limiting NTK of the depth-4 ReLU network (β = 0.1), and networks of"
                + " widths 100, 300 and 1,000 (--full: 100, 1,000, 10,000 as the paper), two per width, trained from their"
                + " own f₀ towards f₀ + ½f⁽²⁾: the deviation from the straight line and the decay along f⁽²⁾ against"
                + " e^{−λ₂t}, fitted against width with standard errors; a width that has not reached the limit's rate"
                + " within error gives \"not shown at this size\" and the width the measured trend needs."
                + " Data: jacot-fig3.npz (eigenvalues, components (3, N), labels, time, width_<w>/g and width_<w>/h"
                + " (seeds, records)).";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("--n", Integer.toString(PAPER_N), "digits in the batch (the paper: 512)"),
                new Param("--widths", null, "hidden widths (default 100,300,1000; --full 100,1000,10000 as the paper)"),
                new Param("--seeds", "2", "networks per width (the paper: 2)"),
                new Param("--decay", "2", "train until λ₂t reaches this (the residual along f⁽²⁾ falls by e^−decay)"),
                new Param("--step-scale", "0.5", "learning rate η = step-scale/λ₁"));
    }

    @Override
    public Report run(Settings s, Progress progress) {
        int n = s.integer("--n");
        Mnist.Split split = Mnist.split(s.data());
        if (n < 4 || n > split.train().n()) {
            throw new BadInputException("--n must be in 4.." + split.train().n() + ", got " + n);
        }
        Mnist digits = split.train().head(n);
        int[] widths = s.has("--widths") ? s.integers("--widths")
                : s.full() ? new int[] {100, 1_000, 10_000} : new int[] {100, 300, 1_000};
        Config c = new Config(digits.x(), n, digits.dim(), digits.labels(), widths, s.integer("--seeds"),
                s.number("--step-scale"), s.number("--decay"), 25, s.seed());
        Report rep = render(compute(c, progress, Budget.maxWork(s)));
        rep.param("data", "the first " + n + " digits of the " + split.source() + ", pixels in [0, 1]");
        return rep;
    }

    /** The report: the components, the line deviation and the decay along f⁽²⁾ per width. */
    public static Report render(Result r) {
        Config c = r.config();
        int nw = c.widths().length;
        Report rep = new Report("jacot-fig3", "Convergence along a principal component (Jacot et al., Fig. 3)");
        describe(rep, r);
        rep.summary("n", c.n()).summary("eigenvalues", r.eigenvalues()).summary("widths", c.widths())
                .summary("pc2_rate_theory", r.pc2RateTheory()).summary("pc2_rate_discrete", r.pc2RateDiscrete())
                .summary("pc2_rate_measured", r.pc2RateMeasured()).summary("line_deviation", r.lineDeviation())
                .summary("learning_rate", r.learningRate()).summary("steps", r.steps());
        double[] lineSe = new double[nw];
        for (int w = 0; w < nw; w++) {
            double[] sq = new double[c.seeds()];
            for (int s = 0; s < sq.length; s++) {
                sq[s] = r.line(w, s) * r.line(w, s);
            }
            Estimate m2 = Estimate.of(sq);
            lineSe[w] = m2.se() / (2 * Math.sqrt(m2.mean()));
        }
        rep.summary("pc2_rate_measured_se", Report.errors(nw, w -> r.estimate(Measure.RATE, w)))
                .summary("line_deviation_se", lineSe).estimates("rate_excess", nw, w -> r.estimate(Measure.EXCESS, w))
                .slope("line_slope", r.slope(Measure.LINE)).slope("excess_slope", r.slope(Measure.EXCESS))
                .summary("seeds_per_width", c.seeds());
        rep.verdict(decide(r));
        rep.table("Largest eigenvalues of Θ∞(X, X)/N", Math.min(3, r.eigenvalues().length),
                Report.of("", i -> "λ" + (i + 1)), rep.column("value", "eigenvalues"));
        rep.summary("pc1_constant_cosine", Math.abs(java.util.Arrays.stream(r.components()[0]).average()
                .orElse(Double.NaN))).summary("lambda1_over_lambda2", r.eigenvalues()[0] / r.eigenvalues()[1]);
        rep.sentence("The kernel PCA is not centred: the first component's cosine with the constant function is"
                + " {pc1_constant_cosine|%.4f}, and λ₁/λ₂ = {lambda1_over_lambda2|%.3g}.");
        rep.table(String.format(Locale.ROOT, "Training towards f₀ + ½f⁽²⁾: the limit decays at λ₂ = %.4g (gradient"
                + " flow) or %.4g (these η-steps)", r.pc2RateTheory(), r.pc2RateDiscrete()), nw,
                rep.label("width", "widths"), rep.column("rate of |g_t| (mean over networks)", "pc2_rate_measured"),
                rep.column("±", "pc2_rate_measured_se", "%.2g"), rep.column("rate / limit − 1", "rate_excess", "%+.3f"),
                rep.column("±", "rate_excess_se", "%.2g"),
                rep.column("max_t ‖h_t‖ / ‖f₀ − f*‖ (RMS over networks)", "line_deviation"),
                rep.column("±", "line_deviation_se", "%.2g"));
        rep.table("Against width (least squares of log value on log width over every network)", List.of("quantity",
                "fitted slope", "± standard error", "the paper"), List.of(
                        List.of("deviation from the line", rep.num("line_slope", "%.3f"), rep.num("line_slope_se", "%.2g"),
                                "\"the wider the network, the less it deviates\" (no number)"),
                        List.of("|rate / limit − 1|", rep.num("excess_slope", "%.3f"), rep.num("excess_slope_se", "%.2g"),
                                "\"converges to the theoretical limit\" (no number)")));
        rep.paragraph("g_t = ⟨f_t − f*, f⁽²⁾⟩ is the residual's coordinate along the 2nd component (−½e^{−λ₂t} in the"
                + " limit); h_t = f_t − f* − g_t f⁽²⁾ is what leaves the straight line (0 in the limit). Rates are least"
                + " squares slopes of −log|g_t| over the recorded times t = η·step.");
        return rep.npz("jacot-fig3.npz", figures(rep, r));
    }

    /** The claim, what the run tests, the deviations from Fig. 3's set-up, the parameters and seeds. */
    private static void describe(Report rep, Result r) {
        Config c = r.config();
        rep.claim(CLAIM);
        rep.claim("§5: under the limiting NTK, gradient descent fits the kernel principal components independently, the"
                + " i-th at the rate λ_i; a network trained towards f* = f₀ + ½f⁽²⁾ therefore converges along a straight"
                + " line, its residual along f⁽²⁾ decaying like ½e^{−λ₂t}. Tested here: the deviation from the line"
                + " against width, the decay rate along f⁽²⁾ against the limit's (whether it reaches it at the widest"
                + " width, within error), and whether the narrowest networks decay faster; slopes fitted over every"
                + " network, errors over the networks.");
        rep.deviation("widths n = 100, 1000, 10000", "widths " + java.util.Arrays.toString(c.widths()));
        if (c.seeds() != 2) {
            rep.deviation("two independent trials per width", c.seeds() + " per width");
        }
        rep.deviation("N = 512 digits; pixel scale, learning rate and training length not stated", "N = " + c.n()
                + String.format(Locale.ROOT, ", pixels in [0, 1], η = %s/λ₁, trained until λ₂t = %s (%d steps)",
                        c.stepScale(), c.decayTimes(), r.steps()));
        rep.deviation("rate of the gradient flow, λ₂", String.format(Locale.ROOT, "rates compared with the limit's for"
                + " these η-steps, −log(1 − ηλ₂)/η = %.4g (λ₂ = %.4g)", r.pc2RateDiscrete(), r.pc2RateTheory()));
        rep.param("architecture", JacotNetworks.template(1)).param("widths", java.util.Arrays.toString(c.widths()))
                .param("networks per width", c.seeds()).param("N", c.n())
                .param("training", String.format(Locale.ROOT, "%d steps of full-batch gradient descent, η = %.4g (η λ₁ ="
                        + " %s), until λ₂t = %s; loss 1/(2N) Σ (f(x_i) − f*(x_i))²", r.steps(), r.learningRate(),
                        c.stepScale(), c.decayTimes()))
                .param("inner product", "⟨f, g⟩ = (1/N) Σ f(x_i) g(x_i) (the paper's p_in); eigenvalues λ_i of"
                        + " Θ∞(X, X)/N, so the rate along component i is λ_i");
        rep.seedRange(c.seed(), c.seeds());
    }

    /** Fig. 3a–c: the batch in the components, the deviation from the line, the decay; returns the data file's arrays. */
    private static Map<String, NdArray> figures(Report rep, Result r) {
        Config c = r.config();
        int nw = c.widths().length;
        int[] labels = c.labels();
        SvgPlot pc = new SvgPlot("The batch in the 2nd and 3rd components", "f⁽²⁾(x_i)", "f⁽³⁾(x_i)");
        for (int digit = 0; digit < 10 && labels != null; digit++) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < c.n(); i++) {
                if (labels[i] == digit) {
                    idx.add(i);
                }
            }
            double[] px = idx.stream().mapToDouble(i -> r.components()[1][i]).toArray();
            double[] py = idx.stream().mapToDouble(i -> r.components()[2][i]).toArray();
            pc.points("digit " + digit, px, py, SvgPlot.color(digit));
        }
        if (labels == null) {
            pc.points("inputs", r.components()[1], r.components()[2], SvgPlot.color(0));
        }
        rep.plot("jacot-fig3-components", pc, "Each digit at its coordinates along the 2nd and 3rd principal components"
                + " of the limiting NTK (the paper's Fig. 3a).");
        SvgPlot line = new SvgPlot("Deviation from the straight line", "t", "‖h_t‖");
        SvgPlot decay = new SvgPlot("Decay along the 2nd component", "t", "|g_t|").logY();
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("eigenvalues", NdArray.vector(r.eigenvalues()));
        arrays.put("components", new NdArray(new int[] {3, c.n()}, concat(r.components())));
        if (labels != null) {
            arrays.put("labels", NdArray.vector(java.util.Arrays.stream(labels).asDoubleStream().toArray()));
        }
        arrays.put("time", NdArray.vector(r.time()));
        for (int w = 0; w < nw; w++) {
            for (int s = 0; s < c.seeds(); s++) {
                double[] ag = java.util.Arrays.stream(r.g()[w][s]).map(Math::abs).toArray();
                line.line("width " + c.widths()[w], r.time(), r.h()[w][s], SvgPlot.color(w), false, s == 0);
                decay.line("width " + c.widths()[w], r.time(), ag, SvgPlot.color(w), false, s == 0);
            }
            arrays.put("width_" + c.widths()[w] + "/g", new NdArray(new int[] {c.seeds(), r.time().length},
                    concat(r.g()[w])));
            arrays.put("width_" + c.widths()[w] + "/h", new NdArray(new int[] {c.seeds(), r.time().length},
                    concat(r.h()[w])));
        }
        double[] limit = java.util.Arrays.stream(r.time()).map(t -> 0.5 * Math.exp(-r.pc2RateTheory() * t)).toArray();
        decay.line("½e^{−λ₂t} (limit)", r.time(), limit, "#000000", true, true);
        rep.plot("jacot-fig3-line", line, "The paper's Fig. 3b: one line per network; 0 in the infinite-width limit.");
        rep.plot("jacot-fig3-decay", decay, "The paper's Fig. 3c: |g_t| per network against the limit's ½e^{−λ₂t}"
                + " (dashed).");
        return arrays;
    }

    private static double[] concat(double[][] rows) {
        int len = 0;
        for (double[] r : rows) {
            len += r.length;
        }
        double[] out = new double[len];
        int at = 0;
        for (double[] r : rows) {
            System.arraycopy(r, 0, out, at, r.length);
            at += r.length;
        }
        return out;
    }
}
