package ntk.experiments;

import java.util.List;
import java.util.Locale;
import ntk.BadInputException;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.finite.FiniteNetwork;
import ntk.finite.Trainer;
import ntk.NdArray;
import ntk.kernels.KernelEngine;
import ntk.Params;

/**
 * Pleiss' lecture notes, eq. 7, in its own setting: one hidden layer without biases, f(x; θ) = (1/√d) Σ_i β_i σ(w_iᵀx),
 * a smooth σ = tanh with |σ''| ≤ γ = 4/(3√3) and Lipschitz constant C = 1. For any θ,
 * <pre>  |f(x; θ) − f_lin(x; θ)| ≤ (1/√d)(γ/2 ‖x‖² + C ‖x‖) ‖θ − θ⁽⁰⁾‖²,</pre>
 * with f_lin the first-order Taylor model at θ⁽⁰⁾. The networks (NTK parameterisation: the toolkit's {@code Dense} layer
 * divides by √d_in, so Pleiss' x is ours over √d_in and has ‖x‖ = 1 here) are trained by full-batch gradient descent
 * on points of a sphere; after training, the linearisation error on test points is computed in closed form from the
 * trained raw parameters (also checking the toolkit's forward pass) and compared with the bound's right-hand side, and
 * its decay with the width d is fitted.
 */
public final class PleissEq7 implements Experiment {

    static final PaperClaim CLAIM = new PaperClaim("Curiously Eq. (7) tells us that—if we are only $o(\\sqrt{d})$ away"
            + " from the initialization—this Taylor approximation becomes better and better as $d \\to \\infty$ !",
            "Pleiss, lecture notes \"The Neural Tangent Kernel Approximation\", eq. (7)");

    /** sup |tanh''| = 4/(3√3), at tanh z = ±1/√3. */
    static final double GAMMA = 4 / (3 * Math.sqrt(3));
    /** tanh is 1-Lipschitz. */
    static final double LIPSCHITZ = 1;

    public record Config(int train, int test, int inputDim, int[] widths, int seeds, int steps, long seed) {
        public Config {
            if (train < 2 || test < 1 || inputDim < 2 || seeds < 2 || steps < 1 || widths.length < 3) {
                throw new BadInputException("--n >= 2, --n-test >= 1, --input-dim >= 2, --seeds >= 2, --steps >= 1 and"
                        + " at least 3 --widths are needed");
            }
            for (int w : widths) {
                if (w < 1 || (long) w * (inputDim + 1) > 50_000_000L) {
                    throw new BadInputException("--widths must be >= 1 with width·(input-dim + 1) <= 5e7, got " + w);
                }
            }
        }
    }

    /**
     * Per width and seed: the largest linearisation error over the test points, the largest ratio error / bound,
     * ‖θ − θ⁽⁰⁾‖², the largest |toolkit forward − closed form|; the learning rate.
     */
    public record Result(Config config, double[][] error, double[][] ratio, double[][] moved, double[][] forwardGap,
            double learningRate) {

        public Estimate error(int wi) {
            return Estimate.of(error[wi]);
        }

        public Estimate moved(int wi) {
            return Estimate.of(moved[wi]);
        }

        public double maxRatio() {
            double m = 0;
            for (double[] r : ratio) {
                for (double v : r) {
                    m = Math.max(m, Double.isNaN(v) ? Double.POSITIVE_INFINITY : v);
                }
            }
            return m;
        }

        public double maxForwardGap() {
            double m = 0;
            for (double[] r : forwardGap) {
                for (double v : r) {
                    m = Math.max(m, v);
                }
            }
            return m;
        }

        public LogLogFit errorFit() {
            return fit(error);
        }

        public LogLogFit movedFit() {
            return fit(moved);
        }

        private LogLogFit fit(double[][] v) {
            return LogLogFit.ofMeans(config.widths(), v);
        }
    }

    @Override
    public PaperClaim claim() {
        return CLAIM;
    }

    @Override
    public String name() {
        return "pleiss-eq7";
    }

    @Override
    public String description() {
        return "Pleiss' eq. 7 in its own setting: one-hidden-layer tanh networks without biases (|σ''| ≤ 4/(3√3), C = 1)"
                + " trained by gradient descent on points of a sphere; the linearisation error against the bound"
                + " (1/√d)(γ/2‖x‖² + C‖x‖)‖θ − θ₀‖² and against the width d (fitted slope ± se), and ‖θ − θ₀‖² against d."
                + " Default: 32 + 32 points on S^15, widths 256..16384, 3 seeds, 200 steps; --full: 5 seeds, to 262144.";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("--n", "32", "training points"), new Param("--n-test", "32", "test points"),
                new Param("--input-dim", "16", "input dimension (points on the unit sphere, scaled to ‖x‖² = dim)"),
                new Param("--widths", null, "hidden widths (default 256,1024,4096,16384; --full adds 65536,262144)"),
                new Param("--seeds", null, "networks per width (default 3; --full 5)"),
                new Param("--steps", "200", "full-batch gradient-descent steps"));
    }

    @Override
    public Report run(Settings s, Progress progress) {
        int[] widths = s.has("--widths") ? s.integers("--widths") : s.full()
                ? new int[] {256, 1024, 4096, 16384, 65536, 262144} : new int[] {256, 1024, 4096, 16384};
        Config c = new Config(s.integer("--n"), s.integer("--n-test"), s.integer("--input-dim"), widths,
                s.has("--seeds") ? s.integer("--seeds") : s.full() ? 5 : 3, s.integer("--steps"), s.seed());
        Budget.denseRuns("pleiss-eq7", c.widths(), c.inputDim(), 1, 1, c.seeds(),
                (double) c.steps() * (c.train() + c.test()), 4.0 * c.test(), Budget.maxWork(s));
        return render(compute(c, progress));
    }

    static String spec(String width) {
        return "Dense(" + width + ", b_std=0), Tanh, Dense(1, b_std=0)";
    }

    /** The science. */
    public static Result compute(Config c, Progress progress) {
        int n = c.train();
        int m = c.test();
        int din = c.inputDim();
        double[] xs = Points.sphere(n + m, din, c.seed() + 12345);
        for (int i = 0; i < xs.length; i++) {
            xs[i] *= Math.sqrt(din); // ‖x‖² = din: Pleiss' x = x/√din has norm 1
        }
        double[] x = java.util.Arrays.copyOfRange(xs, 0, n * din);
        double[] t = java.util.Arrays.copyOfRange(xs, n * din, (n + m) * din);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double a = x[i * din] / Math.sqrt(din);
            double b = x[i * din + 1] / Math.sqrt(din);
            y[i] = Math.sin(3 * a) + b * b - 0.5 * a * b;
        }
        Network limit = Network.parse(spec("1"), Parameterization.NTK);
        double[] theta = new KernelEngine().kernels(limit, x, n, null, 0, din, true).ntk();
        double lambdaMax = ntk.linalg.Linalg.symmetricEigenvalues(theta, n)[n - 1];
        double eta = n / lambdaMax; // η λ_max / n = 1 < 2: stable for the squared loss
        int nw = c.widths().length;
        double[][] err = new double[nw][c.seeds()];
        double[][] ratio = new double[nw][c.seeds()];
        double[][] moved = new double[nw][c.seeds()];
        double[][] gap = new double[nw][c.seeds()];
        Trainer.Config cfg = Trainer.Config.gradientDescent(c.steps(), eta).recordEvery(c.steps()).kernelProbe(0).build();
        try (Progress.Task task = progress.task("training networks", (long) nw * c.seeds())) {
            for (int wi = 0; wi < nw; wi++) {
                int d = c.widths()[wi];
                long t0 = System.nanoTime();
                FiniteNetwork fn = new FiniteNetwork(Network.parse(spec(Integer.toString(d)), Parameterization.NTK), din);
                for (int sd = 0; sd < c.seeds(); sd++) {
                    Params p0 = fn.init(c.seed() + sd);
                    Trainer.Result r = new Trainer(fn).train(p0, Trainer.Data.regression(x, n, y),
                            Trainer.Data.inputs(t, m), cfg, null);
                    if (r.divergedAt() >= 0) {
                        throw new BadInputException("the width-" + d + " network diverged at step " + r.divergedAt());
                    }
                    Params p1 = r.finalParams();
                    double[] w0 = p0.data("0.W");
                    double[] b0 = p0.data("2.W");
                    double[] w1 = p1.data("0.W");
                    double[] b1 = p1.data("2.W");
                    double mv = p1.distance(p0);
                    moved[wi][sd] = mv * mv;
                    double[] netOut = r.testOut()[r.records() - 1];
                    double worst = 0;
                    double worstRatio = 0;
                    double worstGap = 0;
                    double rd = 1 / Math.sqrt(d);
                    double rin = 1 / Math.sqrt(din);
                    for (int i = 0; i < m; i++) {
                        double f = 0;
                        double flin = 0;
                        double norm2 = 0;
                        for (int k = 0; k < din; k++) {
                            norm2 += t[i * din + k] * t[i * din + k] * rin * rin;
                        }
                        for (int u = 0; u < d; u++) {
                            double z0 = 0;
                            double z1 = 0;
                            for (int k = 0; k < din; k++) {
                                z0 += w0[u * din + k] * t[i * din + k];
                                z1 += w1[u * din + k] * t[i * din + k];
                            }
                            z0 *= rin;
                            z1 *= rin;
                            double s0 = Math.tanh(z0);
                            f += b1[u] * Math.tanh(z1);
                            flin += b0[u] * s0 + (b1[u] - b0[u]) * s0 + b0[u] * (1 - s0 * s0) * (z1 - z0);
                        }
                        f *= rd;
                        flin *= rd;
                        double e = Math.abs(f - flin);
                        double bound = rd * (GAMMA / 2 * norm2 + LIPSCHITZ * Math.sqrt(norm2)) * moved[wi][sd];
                        worst = Math.max(worst, e);
                        worstRatio = Math.max(worstRatio, e / bound);
                        worstGap = Math.max(worstGap, Math.abs(f - netOut[i]));
                    }
                    err[wi][sd] = worst;
                    ratio[wi][sd] = worstRatio;
                    gap[wi][sd] = worstGap;
                    task.step();
                }
                progress.log(String.format(Locale.ROOT, "width %-7d linearisation error %s, ‖θ − θ₀‖² %s (%.1f s)", d,
                        Estimate.of(err[wi]), Estimate.of(moved[wi]), (System.nanoTime() - t0) * 1e-9));
            }
        }
        return new Result(c, err, ratio, moved, gap, eta);
    }

    /**
     * The verdict, a pure function of the Result. Eq. 7 is an inequality: a run where the error ever exceeds the
     * bound refutes the implementation or the bound (NOT SHOWN). The claim's two parts are then read off fits against
     * the width with their standard errors: the movement ‖θ − θ⁽⁰⁾‖ is o(√d) when the slope of ‖θ − θ⁽⁰⁾‖² is below 1
     * by more than two standard errors, and the approximation "becomes better and better" when the error's slope is
     * below 0 by more than two standard errors. SHOWN: the bound holds and both fits say so; PARTLY: the bound holds
     * and one does; NOT SHOWN otherwise.
     */
    public static Decision decide(Result r) {
        double worst = r.maxRatio();
        boolean holds = worst <= 1;
        LogLogFit ef = r.errorFit();
        LogLogFit mf = r.movedFit();
        boolean small = mf.slope() + Estimate.Z * mf.slopeSe() < 1;
        boolean better = ef.slope() + Estimate.Z * ef.slopeSe() < 0;
        String text = String.format(Locale.ROOT, "The linearisation error is at most %.3g of eq. 7's bound over every"
                + " network and test point (%s). ‖θ − θ⁽⁰⁾‖² scales as d^%.3f ± %.3f (%s), and the error as d^%.3f ± %.3f"
                + " (%s).", worst, holds ? "the bound holds" : "the bound is VIOLATED", mf.slope(), mf.slopeSe(),
                small ? "so ‖θ − θ⁽⁰⁾‖ = o(√d)" : "not shown to be o(√d)", ef.slope(), ef.slopeSe(),
                better ? "falling beyond two standard errors" : "not falling beyond two standard errors");
        if (!holds) {
            return Decision.notShown(text);
        }
        if (small && better) {
            return Decision.shown(text);
        }
        return small || better ? Decision.partly(text) : Decision.notShown(text);
    }

    public static Report render(Result r) {
        Config c = r.config();
        int nw = c.widths().length;
        Report rep = new Report("pleiss-eq7", "The linearisation bound of a one-hidden-layer network (Pleiss, eq. 7)");
        rep.claim(CLAIM).claim("Eq. 7 bounds the gap between a one-hidden-layer network with a smooth activation and its"
                + " first-order Taylor model by (1/√d)(γ/2‖x‖² + C‖x‖)‖θ − θ⁽⁰⁾‖². The run trains such networks by"
                + " gradient descent, checks the bound at every test point, and measures how the movement ‖θ − θ⁽⁰⁾‖² and"
                + " the error scale with the width d.");
        rep.param("network", "f(x) = (1/√d) Σ_i β_i tanh(w_iᵀx/√d_in), no biases (" + spec("d") + ", NTK"
                + " parameterisation); γ = sup|tanh''| = 4/(3√3), C = 1")
                .param("data", String.format(Locale.ROOT, "%d training and %d test points uniform on S^%d scaled to"
                        + " ‖x‖² = %d (Pleiss' ‖x‖ = 1); targets sin(3a) + b² − ab/2 of the first two coordinates a, b",
                        c.train(), c.test(), c.inputDim() - 1, c.inputDim()))
                .param("training", String.format(Locale.ROOT, "%d full-batch steps, loss (1/2n) Σ (f − y)², η ="
                        + " n/λ_max(Θ∞) = %.4g", c.steps(), r.learningRate()))
                .param("widths", java.util.Arrays.toString(c.widths())).param("networks per width", c.seeds());
        rep.seedRange(c.seed(), c.seeds());
        rep.deviation("σ smooth (the notes suggest softplus as a smooth ReLU)", "tanh");
        rep.deviation("any θ (the bound holds along any path)", "θ after " + c.steps() + " steps of gradient descent");
        rep.summary("widths", c.widths()).estimates("linearization_error", nw, r::error)
                .estimates("moved_squared", nw, r::moved).summary("error_over_bound", Report.largest(r.ratio()))
                .summary("max_error_over_bound", r.maxRatio()).slope("error_slope", r.errorFit())
                .slope("moved_slope", r.movedFit()).summary("forward_check", r.maxForwardGap())
                .summary("gamma", GAMMA).summary("lipschitz", LIPSCHITZ);
        rep.verdict(decide(r));
        rep.table("Per width (means over the networks; the error is the largest over the test points)", nw,
                rep.label("width d", "widths"), rep.column("|f − f_lin|", "linearization_error"),
                rep.se("linearization_error_se"), rep.column("‖θ − θ⁽⁰⁾‖²", "moved_squared"), rep.se("moved_squared_se"),
                rep.column("largest error / bound", "error_over_bound", "%.3g"));
        rep.sentence("Fits against d: error ∝ d^{error_slope|%.3f} ± {error_slope_se|%.2g}, ‖θ − θ⁽⁰⁾‖² ∝"
                + " d^{moved_slope|%.3f} ± {moved_slope_se|%.2g}. The closed-form network used for the error reproduces"
                + " the toolkit's trained outputs to {forward_check|%.2g}.");
        double[] wx = Report.doubles(c.widths());
        double[] em = rep.values("linearization_error");
        double[] mm = rep.values("moved_squared");
        double[] bound = new double[nw];
        for (int wi = 0; wi < nw; wi++) {
            bound[wi] = (GAMMA / 2 + LIPSCHITZ) * mm[wi] / Math.sqrt(wx[wi]);
        }
        SvgPlot p = new SvgPlot("Linearisation error against width", "width d", "|f − f_lin|").logX().logY();
        p.line("largest error over test points (mean over networks)", wx, em);
        p.line("eq. 7's bound at ‖x‖ = 1 (mean ‖θ − θ⁽⁰⁾‖²)", wx, bound, "#000000", true, true);
        rep.plot("pleiss-eq7", p, "Solid: measured; dashed: the right-hand side of eq. 7.");
        return rep.npz("pleiss-eq7.npz", "widths", NdArray.vector(wx), "error", NdArray.of(r.error()), "moved_squared",
                NdArray.of(r.moved()), "error_over_bound", NdArray.of(r.ratio()));
    }


}
