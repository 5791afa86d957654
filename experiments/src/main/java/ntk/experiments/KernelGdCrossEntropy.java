package ntk.experiments;

import java.util.List;
import java.util.Locale;
import ntk.BadInputException;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.data.Mnist;
import ntk.dynamics.KernelGradientFlow;
import ntk.finite.FiniteNetwork;
import ntk.finite.Trainer;
import ntk.NdArray;
import ntk.kernels.KernelEngine;

/**
 * Jacot, Gabriel &amp; Hongler 2018, Thm 2 for a cost other than the squared loss: finite networks trained by full-batch
 * gradient descent on the cross-entropy against the infinite-width network's kernel gradient flow
 * ({@link KernelGradientFlow}) with the limiting NTK, started from each network's own initial function (f_θ₀ on the
 * training and test digits), at the same time t = η·steps. The networks are the paper's depth-4 architecture
 * (NTK parameterisation, β = 0.1) with Tanh, which satisfies Thm 2's assumption (Lipschitz, twice differentiable,
 * bounded second derivative; ReLU does not). The distance on the test digits, relative to how far the flow moved
 * them, is fitted against the width on log-log axes.
 */
public final class KernelGdCrossEntropy implements Experiment {

    static final PaperClaim CLAIM = new PaperClaim("We will show that during training, the network function f_θ follows"
            + " a descent along the kernel gradient with respect to the Neural Tangent Kernel (NTK) … Assume that σ is"
            + " a Lipschitz, twice differentiable nonlinearity function, with bounded second derivative. … As a"
            + " consequence, in this limit, the dynamics of f_{θ} is described by the differential equation",
            "Jacot et al. 2018, §3 and Theorem 2");

    /** The depth (Dense layers) of the paper's networks. */
    static final int DEPTH = JacotNetworks.DEPTH;

    public record Config(int train, int test, int[] widths, int seeds, int steps, long seed) {
        public Config {
            if (train < 2 || test < 1 || seeds < 2 || steps < 1 || widths.length < 3) {
                throw new BadInputException("--n must be >= 2, --n-test >= 1, --seeds >= 2, --steps >= 1 and --widths"
                        + " must list at least 3 widths");
            }
            for (int w : widths) {
                if (w < 1 || w > 16384) {
                    throw new BadInputException("--widths must be in 1..16384, got " + w);
                }
            }
            if ((long) steps * train > 2_000_000_000L) {
                throw new BadInputException("--steps × --n must stay below 2e9");
            }
        }
    }

    /**
     * Per width (rows) and seed (columns): the test-digit distance ‖f_net − f_flow‖/‖f_flow − f₀‖ at t, the same on the
     * training digits, and the networks' and the flow's test accuracy; the learning rate and time.
     */
    public record Result(Config config, double[][] testDistance, double[][] trainDistance, double[][] netAccuracy,
            double[][] flowAccuracy, double learningRate, double time, String source) {

        public Estimate distance(int wi) {
            return Estimate.of(testDistance[wi]);
        }

        /** log mean distance against log width. */
        public LogLogFit fit() {
            return LogLogFit.ofMeans(config.widths(), testDistance);
        }
    }

    @Override
    public PaperClaim claim() {
        return CLAIM;
    }

    @Override
    public String name() {
        return "kernel-gd-cross-entropy";
    }

    @Override
    public boolean readsData() {
        return true;
    }

    @Override
    public String description() {
        return "Jacot et al.'s Thm 2 with the cross-entropy: depth-4 Tanh networks (NTK parameterisation, β = 0.1) of"
                + " growing width trained by full-batch gradient descent on digits, against the infinite-width kernel"
                + " gradient flow from each network's own initial function (predict --loss cross-entropy's solver), at"
                + " the same time t = η·steps; the distance against width with its fitted slope ± se. Default: 100"
                + " training and 100 test digits, widths 64..1024, 3 seeds, 100 steps; --full: widths up to 4096, 5 seeds.";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("--n", "100", "training digits"),
                new Param("--n-test", "100", "test digits"),
                new Param("--widths", null, "hidden widths (default 64,128,256,512,1024; --full adds 2048,4096)"),
                new Param("--seeds", null, "networks per width (default 3; --full 5)"),
                new Param("--steps", "100", "gradient-descent steps (t = η·steps)"));
    }

    @Override
    public Report run(Settings s, Progress progress) {
        int[] widths = s.has("--widths") ? s.integers("--widths") : s.full() ? new int[] {64, 128, 256, 512, 1024, 2048,
            4096} : new int[] {64, 128, 256, 512, 1024};
        Config c = new Config(s.integer("--n"), s.integer("--n-test"), widths,
                s.has("--seeds") ? s.integer("--seeds") : s.full() ? 5 : 3, s.integer("--steps"), s.seed());
        Budget.denseRuns("kernel-gd-cross-entropy", c.widths(), 784, DEPTH - 1, 10, c.seeds(),
                (double) c.steps() * c.train() + c.train() + c.test(), 0, Budget.maxWork(s));
        Mnist.Split split = Mnist.split(s.data());
        if (c.train() > split.train().n() || c.test() > split.test().n()) {
            throw new BadInputException("--n must be at most " + split.train().n() + " and --n-test at most "
                    + split.test().n());
        }
        return render(compute(c, split, progress));
    }

    static String spec(String width) {
        String dense = "Dense(" + width + ", b_std=" + JacotNetworks.BETA + "), Tanh, ";
        return dense.repeat(DEPTH - 1) + "Dense(10, b_std=" + JacotNetworks.BETA + ")";
    }

    /** The science. */
    public static Result compute(Config c, Mnist.Split split, Progress progress) {
        Mnist tr = split.train().head(c.train());
        Mnist te = split.test().head(c.test());
        int n = c.train();
        int m = c.test();
        int d = tr.dim();
        int k = 10;
        double[] xTrain = Linearization.unitVariance(tr);
        double[] xTest = Linearization.unitVariance(te);
        double[] all = new double[(n + m) * d];
        System.arraycopy(xTrain, 0, all, 0, n * d);
        System.arraycopy(xTest, 0, all, n * d, m * d);
        Network limit = Network.parse(spec("1"), Parameterization.NTK);
        double[] theta = new KernelEngine().kernels(limit, all, n + m, null, 0, d, true).ntk();
        double[] kxx = new double[n * n];
        double[] ktx = new double[m * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(theta, i * (n + m), kxx, i * n, n);
        }
        for (int i = 0; i < m; i++) {
            System.arraycopy(theta, (n + i) * (n + m), ktx, i * n, n);
        }
        KernelGradientFlow flow = new KernelGradientFlow(kxx, n, ktx, m, k);
        // η with η·(1/2)·λ_max(Θ)/n = 1/2 (the cross-entropy's Hessian is at most 1/2): stable, and t = η·steps
        double lambdaMax = ntk.linalg.Linalg.symmetricEigenvalues(kxx, n)[n - 1];
        double eta = n / lambdaMax;
        double time = eta * c.steps();
        KernelGradientFlow.Cost ce = KernelGradientFlow.crossEntropy(tr.labels(), k);
        int nw = c.widths().length;
        double[][] dTest = new double[nw][c.seeds()];
        double[][] dTrain = new double[nw][c.seeds()];
        double[][] accNet = new double[nw][c.seeds()];
        double[][] accFlow = new double[nw][c.seeds()];
        Trainer.Config cfg = Trainer.Config.gradientDescent(c.steps(), eta).loss(Trainer.Loss.CROSS_ENTROPY)
                .recordEvery(c.steps()).kernelProbe(0).build();
        Trainer.Data data = Trainer.Data.classification(xTrain, n, tr.labels());
        Trainer.Data probe = Trainer.Data.inputs(all, n + m);
        try (Progress.Task task = progress.task("training networks", (long) nw * c.seeds())) {
            for (int wi = 0; wi < nw; wi++) {
                long t0 = System.nanoTime();
                FiniteNetwork fn = new FiniteNetwork(Network.parse(spec(Integer.toString(c.widths()[wi])),
                        Parameterization.NTK), d);
                for (int sd = 0; sd < c.seeds(); sd++) {
                    Trainer.Result r = new Trainer(fn).train(fn.init(c.seed() + sd), data, probe, cfg, null);
                    if (r.divergedAt() >= 0) {
                        throw new BadInputException("the width-" + c.widths()[wi] + " network diverged at step "
                                + r.divergedAt());
                    }
                    double[] f0 = r.testOut()[0];
                    double[] f1 = r.testOut()[r.records() - 1];
                    KernelGradientFlow.Trajectory ft = flow.solve(ce, java.util.Arrays.copyOfRange(f0, 0, n * k),
                            java.util.Arrays.copyOfRange(f0, n * k, (n + m) * k), new double[] {time},
                            KernelGradientFlow.RTOL, KernelGradientFlow.ATOL, 10_000_000);
                    dTrain[wi][sd] = distance(f1, 0, f0, ft.train()[0], n * k);
                    dTest[wi][sd] = distance(f1, n * k, f0, ft.test()[0], m * k);
                    accNet[wi][sd] = ntk.dynamics.Classification.accuracy(java.util.Arrays.copyOfRange(f1, n * k,
                            (n + m) * k), m, k, te.labels());
                    accFlow[wi][sd] = ntk.dynamics.Classification.accuracy(ft.test()[0], m, k, te.labels());
                    task.step();
                }
                progress.log(String.format(Locale.ROOT, "width %-5d distance to the kernel flow %s (%.1f s)",
                        c.widths()[wi], Estimate.of(dTest[wi]), (System.nanoTime() - t0) * 1e-9));
            }
        }
        return new Result(c, dTest, dTrain, accNet, accFlow, eta, time, split.source());
    }

    /** ‖net − flow‖ / ‖flow − f₀‖ over {@code len} outputs from {@code off} (net and f₀), flow from 0. */
    static double distance(double[] net, int off, double[] f0, double[] flow, int len) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < len; i++) {
            num += (net[off + i] - flow[i]) * (net[off + i] - flow[i]);
            den += (flow[i] - f0[off + i]) * (flow[i] - f0[off + i]);
        }
        return Math.sqrt(num / den);
    }

    /**
     * The verdict, a pure function of the Result. Thm 2 says the trained network tends to the kernel flow as the
     * width grows; the run shows it when the log-log slope of the mean test distance against the width is below zero
     * by more than two standard errors (SHOWN); when the widest networks are closer than the narrowest by more than
     * two combined standard errors but the slope is not significant (PARTLY); otherwise NOT SHOWN. Whether the slope
     * is consistent with −1/2 (the rate of Lee et al. 2019's bound) is reported, not required: the paper states no
     * rate.
     */
    public static Decision decide(Result r) {
        int nw = r.config().widths().length;
        LogLogFit f = r.fit();
        Estimate narrow = r.distance(0);
        Estimate wide = r.distance(nw - 1);
        boolean falls = f.slope() + Estimate.Z * f.slopeSe() < 0;
        boolean closer = narrow.aheadOf(wide);
        boolean half = Math.abs(f.slope() + 0.5) <= Estimate.Z * f.slopeSe();
        String text = String.format(Locale.ROOT, "On the test digits at t = %.3g the networks are %s (width %d) and %s"
                + " (width %d) of the flow's movement away from the kernel gradient flow; the distance scales as"
                + " width^%.3f ± %.3f (%s; %s with width^−1/2).", r.time(), narrow.show(3), r.config().widths()[0],
                wide.show(3), r.config().widths()[nw - 1], f.slope(), f.slopeSe(), falls ? "falling beyond two standard"
                + " errors" : "not falling beyond two standard errors", half ? "consistent" : "inconsistent");
        if (falls) {
            return Decision.shown(text);
        }
        return closer ? Decision.partly(text) : Decision.notShown(text);
    }

    public static Report render(Result r) {
        Config c = r.config();
        int nw = c.widths().length;
        Report rep = new Report("kernel-gd-cross-entropy",
                "Finite networks against kernel gradient descent on the cross-entropy (Jacot et al., Thm 2)");
        rep.claim(CLAIM).claim("Each network is trained by full-batch gradient descent on the cross-entropy; the"
                + " infinite-width prediction is the kernel gradient flow with the limiting NTK from that network's own"
                + " initial outputs, at the same time t = η·steps. Thm 2 says the two meet as the width grows.");
        rep.param("architecture", spec("w") + " (NTK parameterisation)")
                .param("data", String.format(Locale.ROOT, "%s: the first %d training and %d test digits, ‖x‖² = 784,"
                        + " 10 classes", r.source(), c.train(), c.test()))
                .param("widths", java.util.Arrays.toString(c.widths())).param("networks per width", c.seeds())
                .param("training", String.format(Locale.ROOT, "%d full-batch steps at η = n/λ_max(Θ∞(X, X)) = %.4g,"
                        + " so t = %.4g; cost (1/n) Σ CE(softmax f(x_i), y_i)", c.steps(), r.learningRate(), r.time()))
                .param("kernel flow", String.format(Locale.ROOT, "Dormand–Prince 5(4), rtol %.0e, atol %.0e",
                        KernelGradientFlow.RTOL, KernelGradientFlow.ATOL));
        rep.seedRange(c.seed(), c.seeds());
        rep.deviation("§6's experiments: ReLU networks; Thm 2: σ twice differentiable with bounded second derivative",
                "Tanh, within Thm 2's assumption");
        rep.deviation("gradient flow, widths n_1, …, n_{L−1} → ∞", c.steps() + " discrete steps, widths up to "
                + c.widths()[nw - 1]);
        rep.summary("widths", c.widths()).estimates("distance", nw, r::distance)
                .summary("train_distance", Estimate.means(r.trainDistance())).slope("distance_slope", r.fit())
                .summary("network_accuracy", Estimate.means(r.netAccuracy()))
                .summary("flow_accuracy", Estimate.means(r.flowAccuracy()))
                .summary("time", r.time()).summary("learning_rate", r.learningRate()).summary("steps", c.steps());
        rep.verdict(decide(r));
        rep.table("Per width (means over the networks)", nw, rep.label("width", "widths"),
                rep.column("test distance ‖f − f_flow‖/‖f_flow − f₀‖", "distance"), rep.se("distance_se"),
                rep.column("training-digit distance", "train_distance"),
                rep.column("network test accuracy", "network_accuracy", "%.3f"),
                rep.column("flow test accuracy", "flow_accuracy", "%.3f"));
        rep.sentence("Fitted to the means: distance ∝ width^{distance_slope|%.3f} ± {distance_slope_se|%.2g}.");
        double[] wx = Report.doubles(c.widths());
        double[] dm = rep.values("distance");
        double[] ds = rep.values("distance_se");
        double[] lo = new double[nw];
        double[] hi = new double[nw];
        double[] guide = new double[nw];
        for (int wi = 0; wi < nw; wi++) {
            lo[wi] = Math.max(dm[wi] - 2 * ds[wi], dm[wi] * 1e-3);
            hi[wi] = dm[wi] + 2 * ds[wi];
            guide[wi] = dm[0] * Math.sqrt(wx[0] / wx[wi]);
        }
        SvgPlot p = new SvgPlot("Distance of trained networks to the kernel gradient flow", "width", "relative distance")
                .logX().logY();
        p.band("± 2 se", wx, lo, hi, SvgPlot.color(0));
        p.line("test digits", wx, dm, SvgPlot.color(0), false, true);
        p.line("training digits", wx, rep.values("train_distance"), SvgPlot.color(2), false, true);
        p.line("width^−1/2 through the first point", wx, guide, "#000000", true, true);
        rep.plot("kernel-gd-cross-entropy", p, "Means over the networks at each width, with ± 2 standard errors.");
        rep.npz("kernel-gd-cross-entropy.npz", "widths", NdArray.vector(wx), "test_distance", NdArray.of(r.testDistance()),
                "train_distance", NdArray.of(r.trainDistance()), "network_accuracy", NdArray.of(r.netAccuracy()),
                "flow_accuracy", NdArray.of(r.flowAccuracy()));
        return rep;
    }

}
