package ntk.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import ntk.BadInputException;
import ntk.KernelKind;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.dynamics.SgdOu;
import ntk.dynamics.SgdSde;
import ntk.dynamics.TrainingTime;
import ntk.finite.EmpiricalNtk;
import ntk.finite.FiniteNetwork;
import ntk.finite.Hessians;
import ntk.finite.Trainer;
import ntk.NdArray;
import ntk.kernels.Kernels;
import ntk.linalg.Linalg;
import ntk.model.KernelRegressor;
import ntk.Params;

/**
 * Hayou, Doucet &amp; Rousseau §5 (SGD as an SDE in function space, Prop. 4): one wide network, one initialisation,
 * trained by minibatch SGD many times with different batch draws; the spread of its outputs on test points against
 * the SDE of {@link SgdSde} (Euler–Maruyama, step = learning rate, with the empirical NTK at initialisation and the
 * minibatch gradient covariance) and against gradient flow with the same kernel (no noise: zero spread).
 *
 * <p>Data: n training points on the unit circle (angles evenly spaced, shifted by the seed), targets
 * y = sin(2γ)/2 + cos(3γ)/4, m test points on a grid of angles. SGD draws b distinct points afresh each step (the
 * sampling the SDE assumes); a second family of runs uses the Trainer's epoch-wise reshuffling (every point once per
 * epoch), whose noise partly cancels within an epoch, so it is expected to spread less than the SDE says.
 */
public final class HayouSgd implements Experiment {

    /** The configuration; {@code sdePaths} Euler–Maruyama paths, {@code runs} SGD runs of each kind. */
    public record Config(int width, int hiddenLayers, int n, int m, int batch, double lrFraction, int steps,
            int records, int runs, int sdePaths, long seed, int[] gammaWidths, int gammaSeeds) {
        /** Without the width sweep of Γ (the Γ term, the paper's constant and the closed form still run). */
        public Config(int width, int hiddenLayers, int n, int m, int batch, double lrFraction, int steps, int records,
                int runs, int sdePaths, long seed) {
            this(width, hiddenLayers, n, m, batch, lrFraction, steps, records, runs, sdePaths, seed, new int[0], 0);
        }

        public Config {
            if (width < 1 || hiddenLayers < 1 || n < 3 || m < 2 || batch < 1 || batch >= n || runs < 20
                    || sdePaths < 2 || !(lrFraction > 0) || steps < 1 || records < 1 || records > steps) {
                throw new BadInputException("hayou-sgd: width, layers >= 1, n >= 3, m >= 2, 1 <= batch < n, runs >= 20,"
                        + " steps >= records >= 1 and a positive learning-rate fraction are needed");
            }
        }

        /**
         * The default run: width 1024, 16 points, batches of 2, 50 steps, 40 + 40 SGD runs, 4000 SDE paths; Γ's size
         * at widths 128–1024 over 3 seeds.
         */
        public static Config reduced(long seed) {
            return new Config(1024, 2, 16, 31, 2, 0.5, 50, 10, 40, 4000, seed, new int[] {128, 256, 512, 1024}, 3);
        }

        /** --full: width 4096, 100 + 100 runs, 20,000 SDE paths; Γ's width sweep to 2048 over 4 seeds. */
        public static Config full(long seed) {
            return new Config(4096, 2, 16, 61, 2, 0.5, 50, 25, 100, 20000, seed, new int[] {128, 256, 512, 1024, 2048},
                    4);
        }
    }

    /**
     * Everything on the m test points (arrays over test points, at the last step unless "over time"): SGD with
     * fresh minibatches, the SDE, gradient flow and gradient descent with the same kernel, SGD with epoch reshuffling;
     * the RMS over test points of each spread at every record step; the mean relative kernel change of the SGD runs.
     */
    public record Result(Config config, String arch, double learningRate, double lambdaMax, double[] testAngles,
            double[] trainAngles, double[] trainY, double[] f0, double[] sgdMean, double[] sgdStd, double[] sdeMean,
            double[] sdeStd, double[] flowMean, double[] gdMean, double[] reshuffledMean, double[] reshuffledStd,
            double[] sgdOutputs, int[] recordSteps, double[] sgdSpread, double[] sdeSpread, double[] reshuffledSpread,
            Routes routes) {

        /** A Result without the second routes (Γ, the paper's constant, the closed form). */
        public Result(Config config, String arch, double learningRate, double lambdaMax, double[] testAngles,
                double[] trainAngles, double[] trainY, double[] f0, double[] sgdMean, double[] sgdStd, double[] sdeMean,
                double[] sdeStd, double[] flowMean, double[] gdMean, double[] reshuffledMean, double[] reshuffledStd,
                double[] sgdOutputs, int[] recordSteps, double[] sgdSpread, double[] sdeSpread,
                double[] reshuffledSpread) {
            this(config, arch, learningRate, lambdaMax, testAngles, trainAngles, trainY, f0, sgdMean, sgdStd, sdeMean,
                    sdeStd, flowMean, gdMean, reshuffledMean, reshuffledStd, sgdOutputs, recordSteps, sgdSpread,
                    sdeSpread, reshuffledSpread, null);
        }

        /** RMS over test points of the SGD spread over that of the SDE, at the last step. */
        public double spreadRatio() {
            return rms(sgdStd) / rms(sdeStd);
        }

        /** The standard error of {@link #spreadRatio} from the SGD runs alone: 1/√(2(R − 1)) (Gaussian outputs). */
        public double spreadRatioError() {
            return 1 / Math.sqrt(2.0 * (config.runs() - 1));
        }

        /**
         * SGD's spread over the SDE's (RMS over test points, last step) with its Monte Carlo standard error: a sample
         * standard deviation from R runs has relative error 1/√(2(R − 1)) (Gaussian outputs), the SDE's from P paths
         * 1/√(2(P − 1)); the RMS over correlated test points is taken to have the error of one point's (conservative).
         */
        public Estimate sgdRatio() {
            return ratio(rms(sgdStd));
        }

        /** The same for SGD with epoch reshuffling (the alternative the SDE's independent batches exclude). */
        public Estimate reshuffledRatio() {
            return ratio(rms(reshuffledStd));
        }

        private Estimate ratio(double spread) {
            double q = spread / rms(sdeStd);
            double rel = Math.sqrt(1 / (2.0 * (config.runs() - 1)) + 1 / (2.0 * (config.sdePaths() - 1)));
            return new Estimate(q, q * rel, config.runs());
        }

        /** Whether any SGD, reshuffled-SGD or SDE output stopped being finite (a learning rate too large). */
        public boolean diverged() {
            for (double[] a : new double[][] {sgdOutputs, sgdStd, sdeStd, sdeMean, reshuffledStd, reshuffledMean}) {
                for (double v : a) {
                    if (!Double.isFinite(v)) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** RMS over test points of (SGD mean − SDE mean), in units of the SGD mean's standard error. */
        public double meanGapInStandardErrors() {
            double s = 0;
            for (int j = 0; j < sgdMean.length; j++) {
                double se = sgdStd[j] / Math.sqrt(config.runs());
                s += Math.pow((sgdMean[j] - sdeMean[j]) / se, 2);
            }
            return Math.sqrt(s / sgdMean.length);
        }
    }

    /**
     * The SDE as the paper writes it, on the m test points at the last step: with the Hessian drift ½ η c Γ_t (eq. 15)
     * from the network's Hessian kernel at θ0, simulated on the same noise draws as without it (so the shift's
     * standard error is that of paired differences); with the paper's noise constant 1/b instead of c_b; the closed
     * form (eqs. 34–35) against paths of the continuous-time SDE ({@code substeps} Euler–Maruyama steps per η); and
     * Γ_0's size at initialisation against width (gammaNorm[w][seed] = RMS over A of Tr(Σ∇²f(a)) at r_0,
     * gammaRelative[w][seed] = RMS of ½ η c Γ_0 over RMS of the kernel drift (1/n)Θ r_0).
     */
    public record Routes(double[] gammaMean, double[] gammaShift, double[] gammaShiftSe, double gammaRelative,
            double[] paperStd, double paperFactor, double cbFactor, double[] ouMean, double[] ouStd,
            double[] contMean, double[] contStd, double[] contStdSe, int substeps, double ouQuadratureError, int[] widths,
            double[][] gammaNorm, double[][] gammaRel) {

        /** Largest |closed-form mean − simulated mean| over test points, in standard errors of the simulated mean. */
        public double ouMeanMaxZ(int paths) {
            double z = 0;
            for (int j = 0; j < ouMean.length; j++) {
                z = Math.max(z, Math.abs(ouMean[j] - contMean[j]) / (contStd[j] / Math.sqrt(paths)));
            }
            return z;
        }

        /**
         * The same for the standard deviations, in the sample std's standard error from the paths' own fourth moment,
         * √((m₄ − s⁴)/P)/(2s) ({@code contStdSe}; the outputs' noise scales with the residuals, so their tails need
         * not be Gaussian's, whose σ/√(2(P − 1)) is used where contStdSe is not finite).
         */
        public double ouStdMaxZ(int paths) {
            double z = 0;
            for (int j = 0; j < ouStd.length; j++) {
                double se = Double.isFinite(contStdSe[j]) ? contStdSe[j] : contStd[j] / Math.sqrt(2.0 * (paths - 1));
                z = Math.max(z, Math.abs(ouStd[j] - contStd[j]) / se);
            }
            return z;
        }

        /** RMS over test points of Γ's mean shift, and the largest shift in its paired standard errors. */
        public double gammaShiftRms() {
            return rms(gammaShift);
        }

        public double gammaShiftMaxZ() {
            double z = 0;
            for (int j = 0; j < gammaShift.length; j++) {
                z = Math.max(z, Math.abs(gammaShift[j]) / gammaShiftSe[j]);
            }
            return z;
        }

        /** Γ_0's size against width: the pooled log-log slope over every (width, seed) with its standard error. */
        public Estimate gammaSlope(boolean relative) {
            LineFit f = JacotNetworks.logLogPerSeed(widths, relative ? gammaRel : gammaNorm);
            return new Estimate(f.slope(), f.slopeSe(), widths.length);
        }

        /** The slopes fitted seed by seed, their mean ± standard error over seeds. */
        public Estimate gammaSlopeOverSeeds(boolean relative) {
            double[][] v = relative ? gammaRel : gammaNorm;
            int seeds = v[0].length;
            double[] slopes = new double[seeds];
            double[] xs = new double[widths.length];
            for (int w = 0; w < widths.length; w++) {
                xs[w] = widths[w];
            }
            for (int sd = 0; sd < seeds; sd++) {
                double[] ys = new double[widths.length];
                for (int w = 0; w < widths.length; w++) {
                    ys[w] = v[w][sd];
                }
                slopes[sd] = LogLogFit.of(xs, ys).slope();
            }
            return Estimate.of(slopes);
        }
    }

    /** The claim this experiment tests, word for word. */
    static final PaperClaim CLAIM = new PaperClaim("with SGD, dynamics are random and the gradient flow is replaced"
            + " with a Stochastic Differential Equation. … SGD updates can therefore be seen as a discretization of the"
            + " previous SDE with time step $\\Delta = \\eta$", "Hayou, Doucet & Rousseau, §5 and App. C (eqs. 14, 29–31,"
            + " Prop. 4)");

    /**
     * The verdict, from the two spread ratios (with their Monte Carlo standard errors) and the divergence check:
     * <ul>
     * <li>NOT SHOWN when an output stopped being finite, when SGD does not spread at all, or when SGD's spread is
     * not consistent with the SDE's (ratio more than 2 standard errors from 1);</li>
     * <li>SHOWN when SGD's spread is consistent with the SDE's and the reshuffled-epochs alternative's is not (its
     * ratio more than 2 standard errors from 1): the SDE's independent minibatches are told apart from epoch
     * reshuffling;</li>
     * <li>PARTLY when both are consistent with the SDE: the run cannot separate the two kinds of minibatch noise.</li>
     * </ul>
     */
    public static Decision decide(Result r) {
        if (r.diverged()) {
            return Decision.notShown(String.format(Locale.ROOT, "Diverged: outputs stopped being finite at learning"
                    + " rate %.4g, so the spreads cannot be compared; a smaller learning-rate fraction would.",
                    r.learningRate()));
        }
        Estimate sgd = r.sgdRatio();
        Estimate rr = r.reshuffledRatio();
        String numbers = String.format(Locale.ROOT, "After %d steps, SGD's spread over the test points (RMS of the"
                + " standard deviations over %d runs) is %.3f ± %.3f times the SDE's; with epoch reshuffling it is"
                + " %.3f ± %.3f times (standard errors from %d runs and %d SDE paths).", r.config().steps(),
                r.config().runs(), sgd.mean(), sgd.se(), rr.mean(), rr.se(), r.config().runs(), r.config().sdePaths());
        if (!(rms(r.sgdStd()) > 0)) {
            return Decision.notShown(numbers + " SGD did not spread at all, unlike the SDE.");
        }
        boolean sgdOk = sgd.consistentWith(1, 0);
        boolean rrOk = rr.consistentWith(1, 0);
        if (!sgdOk) {
            return Decision.notShown(numbers + String.format(Locale.ROOT, " SGD's spread is %.1f standard errors from"
                    + " the SDE's: not consistent with it.", Math.abs(sgd.mean() - 1) / sgd.se()));
        }
        if (!rrOk) {
            return Decision.shown(numbers + String.format(Locale.ROOT, " SGD's spread agrees with the SDE's within 2"
                    + " standard errors (it is %.1f away), and the reshuffled-epochs alternative's is %.1f standard errors"
                    + " away: the"
                    + " SDE describes SGD with independently drawn minibatches and not epoch reshuffling.",
                    Math.abs(sgd.mean() - 1) / sgd.se(), Math.abs(rr.mean() - 1) / rr.se()));
        }
        return Decision.partly(numbers + String.format(Locale.ROOT, " Both agree with the SDE within 2 standard"
                + " errors (%.1f and %.1f away): this run cannot separate independently drawn minibatches from epoch"
                + " reshuffling; more runs (--runs) or more steps per epoch would.", Math.abs(sgd.mean() - 1) / sgd.se(),
                Math.abs(rr.mean() - 1) / rr.se()));
    }

    @Override
    public PaperClaim claim() {
        return CLAIM;
    }

    @Override
    public String name() {
        return "hayou-sgd";
    }

    @Override
    public String description() {
        return "Hayou, Doucet & Rousseau §5: minibatch SGD as a stochastic differential equation in function space. One"
                + " wide network, one initialisation, trained by SGD many times (different minibatch draws); the mean and"
                + " spread of its outputs on test points against the SDE df = -(1/n)Θ(f - y)dt + sqrt(η c_b) C^{1/2} dW"
                + " simulated with the empirical NTK (Euler-Maruyama, step = learning rate) and against gradient flow."
                + " Data: hayou-sgd.npz.";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("--runs", null, "SGD runs of each kind (default 40, 100 with --full)"),
                new Param("--width", null, "hidden width (default 1024, 4096 with --full)"),
                new Param("--steps", "50", "SGD steps (time = steps × learning rate)"),
                new Param("--batch-size", "2", "minibatch size b (of 16 training points)"), Checkpoint.PARAM);
    }

    /** The ReLU network of Jacot et al. (β = 0.1) with {@code hidden} hidden layers of the given width, one output. */
    public static String arch(int width, int hidden) {
        return JacotNetworks.spec(width, hidden + 1, JacotNetworks.BETA, 1);
    }

    static double target(double g) {
        return 0.5 * Math.sin(2 * g) + 0.25 * Math.cos(3 * g);
    }

    /** The science. */
    public static Result compute(Config c, Progress progress) {
        return compute(c, null, progress);
    }

    /**
     * As {@link #compute(Config, Progress)}, each SGD run's recorded outputs, the Hessian kernel and each Γ_0 of the
     * width sweep kept in {@code checkpoint} (null: none) as they finish, and taken from there when a run starts
     * again with the same settings ({@link #checkpointSettings}).
     */
    public static Result compute(Config c, Checkpoint checkpoint, Progress progress) {
        int n = c.n();
        int m = c.m();
        double[] tg = new double[n];
        double[] x = new double[2 * n];
        double[] y = new double[n];
        double shift = new SplittableRandom(c.seed()).nextDouble() * 2 * Math.PI / n;
        for (int i = 0; i < n; i++) {
            tg[i] = -Math.PI + shift + 2 * Math.PI * i / n;
            x[2 * i] = Math.cos(tg[i]);
            x[2 * i + 1] = Math.sin(tg[i]);
            y[i] = target(tg[i]);
        }
        double[] gamma = Points.angles(m);
        double[] t = Points.circle(gamma);
        String arch = arch(c.width(), c.hiddenLayers());
        FiniteNetwork net = new FiniteNetwork(Network.parse(arch, Parameterization.NTK), 2);
        Params p0 = net.init(c.seed());
        // the empirical NTK at θ0 on A = X ∪ T against X, and f0 on A
        double[] a = new double[2 * (n + m)];
        System.arraycopy(x, 0, a, 0, 2 * n);
        System.arraycopy(t, 0, a, 2 * n, 2 * m);
        double[] kAX = EmpiricalNtk.structured(net, p0, a, n + m, x, n, false);
        double[] f0 = net.forward(p0, a, n + m).out();
        double[] kxx = Arrays.copyOf(kAX, n * n);
        double lambdaMax = Linalg.symmetricEigenvalues(kxx, n)[n - 1];
        double eta = c.lrFraction() * n / lambdaMax;
        int steps = c.steps();
        int[] rec = new int[c.records()];
        for (int k = 0; k < rec.length; k++) {
            rec[k] = (int) Math.round((double) steps * (k + 1) / rec.length);
        }
        int last = rec.length - 1;

        long t0 = System.nanoTime();
        SgdSde sde = new SgdSde(kAX, n, m, y, c.batch());
        double[][] paths = sde.simulate(f0, eta, rec, c.sdePaths(), c.seed() ^ 0x5DE5DEL);
        double[][] sdeMoments = new double[rec.length][];
        for (int k = 0; k < rec.length; k++) {
            sdeMoments[k] = moments(paths[k], c.sdePaths(), n + m, n, m);
        }
        progress.log(String.format(Locale.ROOT, "SDE: %d Euler-Maruyama paths of %d steps at η = %.4g (%.1f s)",
                c.sdePaths(), steps, eta, (System.nanoTime() - t0) * 1e-9));

        // gradient flow and gradient descent (the SDE's mean) with the same kernel from the same f0
        double[] r0 = new double[n];
        for (int i = 0; i < n; i++) {
            r0[i] = y[i] - f0[i];
        }
        // the empirical NTK at θ0, precomputed: its rows n..n+m are K(T, X)
        double[][] means = KernelRegressor.precomputed(KernelKind.NTK)
                .times(TrainingTime.flow(steps * eta), TrainingTime.steps(steps, eta))
                .fit(new Kernels(n, n, null, kxx), new NdArray(new int[] {n, 1}, r0))
                .predict(new Kernels(m, n, null, Arrays.copyOfRange(kAX, n * n, (n + m) * n))).means();
        double[] flow = means[0];
        double[] gd = means[1];
        for (int j = 0; j < m; j++) {
            flow[j] += f0[n + j];
            gd[j] += f0[n + j];
        }

        t0 = System.nanoTime();
        double[][] sgd = new double[rec.length][c.runs() * m];
        double[][] rr = new double[rec.length][c.runs() * m];
        Trainer trainer = new Trainer(net);
        try (Progress.Task task = progress.task("SGD runs", 2L * c.runs())) {
            for (int run = 0; run < c.runs(); run++) {
                final int r = run;
                double[] kept = Checkpoint.keptOr(checkpoint, "sgd-run" + run, () -> {
                    double[][] outs = sgdRun(net, p0, x, n, y, t, m, c.batch(), eta, rec,
                            new SplittableRandom(c.seed() * 1_000_003L + r));
                    double[] flat = new double[rec.length * m];
                    for (int k = 0; k < rec.length; k++) {
                        System.arraycopy(outs[k], 0, flat, k * m, m);
                    }
                    return flat;
                });
                for (int k = 0; k < rec.length; k++) {
                    System.arraycopy(kept, k * m, sgd[k], run * m, m);
                }
                task.step();
            }
            int every = 0;
            for (int v : rec) {
                every = HayouTable1.gcd(every, v);
            }
            for (int run = 0; run < c.runs(); run++) {
                final int r = run;
                final int recordEvery = every;
                double[] kept = Checkpoint.keptOr(checkpoint, "reshuffled-run" + run, () -> {
                    Trainer.Result res = trainer.train(p0, Trainer.Data.regression(x, n, y),
                            Trainer.Data.inputs(t, m), Trainer.Config.sgd(steps, c.batch(), eta)
                                    .seed(c.seed() * 7919L + r).recordEvery(recordEvery).kernelProbe(0).build(), null);
                    double[] flat = new double[rec.length * m];
                    for (int k = 0; k < rec.length; k++) {
                        int idx = Arrays.binarySearch(res.step(), rec[k]);
                        System.arraycopy(res.testOut()[idx], 0, flat, k * m, m);
                    }
                    return flat;
                });
                for (int k = 0; k < rec.length; k++) {
                    System.arraycopy(kept, k * m, rr[k], run * m, m);
                }
                task.step();
            }
        }
        progress.log(String.format(Locale.ROOT, "SGD: %d runs with fresh minibatches and %d with epoch reshuffling,"
                + " width %d (%.1f s)", c.runs(), c.runs(), c.width(), (System.nanoTime() - t0) * 1e-9));
        double[] sgdSpread = new double[rec.length];
        double[] sdeSpread = new double[rec.length];
        double[] rrSpread = new double[rec.length];
        double[][] sgdMoments = new double[rec.length][];
        double[][] rrMoments = new double[rec.length][];
        for (int k = 0; k < rec.length; k++) {
            sgdMoments[k] = moments(sgd[k], c.runs(), m, 0, m);
            rrMoments[k] = moments(rr[k], c.runs(), m, 0, m);
            sgdSpread[k] = rms(tail(sgdMoments[k], m));
            sdeSpread[k] = rms(tail(sdeMoments[k], m));
            rrSpread[k] = rms(tail(rrMoments[k], m));
        }
        Routes routes = routes(c, net, p0, x, a, kAX, f0, y, eta, sde, paths[last], checkpoint, progress);
        return new Result(c, arch, eta, lambdaMax, gamma, tg, y, f0, head(sgdMoments[last], m),
                tail(sgdMoments[last], m), head(sdeMoments[last], m), tail(sdeMoments[last], m), flow, gd,
                head(rrMoments[last], m), tail(rrMoments[last], m), sgd[last], rec, sgdSpread, sdeSpread, rrSpread,
                routes);
    }

    /** Euler–Maruyama steps per η for the paths the closed form is checked against (the continuous-time SDE). */
    static final int SUBSTEPS = 40;

    /** The SDE with Γ, with the paper's noise constant, and in closed form; Γ_0 against width (see {@link Routes}). */
    static Routes routes(Config c, FiniteNetwork net, Params p0, double[] x, double[] a, double[] kAX, double[] f0,
            double[] y, double eta, SgdSde sde, double[] last, Checkpoint checkpoint, Progress progress) {
        int n = c.n();
        int m = c.m();
        int na = n + m;
        int steps = c.steps();
        int paths = c.sdePaths();
        long t0 = System.nanoTime();
        NdArray keptHk = checkpoint == null ? null : checkpoint.getArray("hessian-kernel");
        double[] hk = keptHk != null ? keptHk.data : Hessians.hessianKernel(net, p0, a, na, x, n);
        if (checkpoint != null && keptHk == null) {
            checkpoint.putArray("hessian-kernel", new NdArray(new int[] {hk.length}, hk));
        }
        progress.log(String.format(Locale.ROOT, "Hessian kernel on %d x %d x %d points (%.1f s)", na, n, n,
                (System.nanoTime() - t0) * 1e-9));
        SgdSde withGamma = sde.withHessianKernel(hk);
        double[] g = withGamma.simulate(f0, eta, new int[] {steps}, paths, c.seed() ^ 0x5DE5DEL)[0];
        double[] shift = new double[m];
        double[] shiftSe = new double[m];
        for (int j = 0; j < m; j++) {
            double s1 = 0;
            double s2 = 0;
            for (int p = 0; p < paths; p++) {
                double d = g[p * na + n + j] - last[p * na + n + j];
                s1 += d;
                s2 += d * d;
            }
            shift[j] = s1 / paths;
            shiftSe[j] = Math.sqrt(Math.max(s2 / paths - shift[j] * shift[j], 0) / (paths - 1));
        }
        double[] gammaMoments = moments(g, paths, na, n, m);
        double[] gam0 = withGamma.gamma(f0);
        double[] kd0 = sde.drift(f0);
        for (int q = 0; q < na; q++) {
            gam0[q] *= 0.5 * eta * sde.noiseFactor();
        }
        double gammaRelative = rms(gam0) / rms(kd0);
        SgdSde paper = sde.withNoise(SgdSde.NoiseConstant.PAPER);
        double[] pp = paper.simulate(f0, eta, new int[] {steps}, paths, c.seed() ^ 0x9A9E5L)[0];
        double[] paperStd = tail(moments(pp, paths, na, n, m), m);
        t0 = System.nanoTime();
        SgdOu.Moments ou = new SgdOu(sde, eta).at(steps * eta, f0, 400);
        double[] ouMean = Arrays.copyOfRange(ou.mean(), n, na);
        double[] ouStd = new double[m];
        for (int j = 0; j < m; j++) {
            ouStd[j] = Math.sqrt(ou.cov()[(n + j) * na + n + j]);
        }
        double[] cont = sde.simulate(f0, eta, SUBSTEPS, new int[] {steps}, paths, c.seed() ^ 0xC0417L)[0];
        double[] contMoments = moments(cont, paths, na, n, m);
        double[] contStdSe = stdErrors(cont, paths, na, n, m);
        progress.log(String.format(Locale.ROOT, "closed form and %d continuous-time paths (%.1f s)", paths,
                (System.nanoTime() - t0) * 1e-9));
        int[] widths = c.gammaWidths();
        double[][] norm = new double[widths.length][c.gammaSeeds()];
        double[][] rel = new double[widths.length][c.gammaSeeds()];
        try (Progress.Task task = progress.task("Γ_0 against width", (long) widths.length * c.gammaSeeds())) {
            for (int w = 0; w < widths.length; w++) {
                FiniteNetwork nw = new FiniteNetwork(Network.parse(arch(widths[w], c.hiddenLayers()),
                        Parameterization.NTK), 2);
                for (int sd = 0; sd < c.gammaSeeds(); sd++) {
                    final long initSeed = c.seed() * 7_777L + 1000L * w + sd;
                    double[] v = Checkpoint.keptOr(checkpoint, "gamma-width" + widths[w] + "-seed" + sd,
                            () -> gammaAtInit(nw, nw.init(initSeed), x, a, n, na, y, c));
                    norm[w][sd] = v[0];
                    rel[w][sd] = v[1];
                    task.step();
                }
            }
        }
        return new Routes(head(gammaMoments, m), shift, shiftSe, gammaRelative, paperStd,
                SgdSde.NoiseConstant.PAPER.factor(n, c.batch()), sde.noiseFactor(), ouMean, ouStd, head(contMoments, m),
                tail(contMoments, m), contStdSe, SUBSTEPS, ou.quadratureError(), widths, norm, rel);
    }

    /**
     * Γ_0 = (Tr(Σ∇²f(a)))_a at initialisation, Σ = (1/n) Σ_i u_i u_iᵀ with u_i = g_i − ḡ, g_i = ∇f(x_i) r_i:
     * Γ_0(a) = (1/n) Σ_i u_iᵀ∇²f(a)u_i by second directional derivatives. Returns {RMS over A of Γ_0, RMS of ½ η c Γ_0
     * over RMS of the kernel drift (1/n)Θ(A, X) r_0}, η = lrFraction · n/λ_max(Θ) of this network.
     */
    static double[] gammaAtInit(FiniteNetwork net, Params p, double[] x, double[] a, int n, int na, double[] y,
            Config c) {
        double[] kAX = EmpiricalNtk.structured(net, p, a, na, x, n, false);
        double lmax = Linalg.symmetricEigenvalues(Arrays.copyOf(kAX, n * n), n)[n - 1];
        double eta = c.lrFraction() * n / lmax;
        double[] f0 = net.forward(p, a, na).out();
        Params[] u = new Params[n];
        Params mean = p.zerosLike();
        for (int i = 0; i < n; i++) {
            u[i] = Hessians.gradient(net, p, x, i);
            double r = f0[i] - y[i];
            for (NdArray arr : u[i].asMap().values()) {
                for (int q = 0; q < arr.data.length; q++) {
                    arr.data[q] *= r;
                }
            }
            mean.axpy(1.0 / n, u[i]);
        }
        double[] gamma = new double[na];
        for (int i = 0; i < n; i++) {
            u[i].axpy(-1.0, mean);
            double[] d2 = Hessians.secondDirectional(net, p, a, na, u[i]);
            for (int q = 0; q < na; q++) {
                gamma[q] += d2[q] / n;
            }
        }
        SgdSde sde = new SgdSde(kAX, n, na - n, y, c.batch());
        double[] kd = sde.drift(f0);
        double[] scaled = gamma.clone();
        for (int q = 0; q < na; q++) {
            scaled[q] *= 0.5 * eta * sde.noiseFactor();
        }
        return new double[] {rms(gamma), rms(scaled) / rms(kd)};
    }

    /** One SGD run from p0: each step b distinct training points drawn uniformly; test outputs at the record steps. */
    static double[][] sgdRun(FiniteNetwork net, Params p0, double[] x, int n, double[] y, double[] t, int m, int b,
            double eta, int[] rec, SplittableRandom rng) {
        Params theta = p0.copy();
        int d = net.inputDim;
        int[] perm = new int[n];
        double[] xb = new double[b * d];
        double[] yb = new double[b];
        double[][] out = new double[rec.length][];
        Params grad = theta.zerosLike();
        ntk.protocol.Tape tape = net.reusableTape(b);
        int step = 0;
        for (int k = 0; k < rec.length; k++) {
            for (; step < rec[k]; step++) {
                for (int i = 0; i < n; i++) {
                    perm[i] = i;
                }
                for (int i = 0; i < b; i++) { // partial Fisher–Yates: the first b of a uniform permutation
                    int j = i + rng.nextInt(n - i);
                    int tmp = perm[i];
                    perm[i] = perm[j];
                    perm[j] = tmp;
                    System.arraycopy(x, perm[i] * d, xb, i * d, d);
                    yb[i] = y[perm[i]];
                }
                for (NdArray g : grad.asMap().values()) {
                    Arrays.fill(g.data, 0.0);
                }
                net.lossAndGradient(theta, net.forward(theta, xb, b, tape), yb, grad);
                theta.axpy(-eta, grad);
            }
            out[k] = net.forward(theta, t, m).out();
        }
        return out;
    }

    /** Per column q in [from, from + cols) of a (rows × stride) sample: the means, then the sample standard deviations. */
    static double[] moments(double[] s, int rows, int stride, int from, int cols) {
        double[] out = new double[2 * cols];
        for (int q = 0; q < cols; q++) {
            double s1 = 0;
            for (int r = 0; r < rows; r++) {
                s1 += s[r * stride + from + q];
            }
            double mean = s1 / rows;
            double s2 = 0;
            for (int r = 0; r < rows; r++) {
                double e = s[r * stride + from + q] - mean;
                s2 += e * e;
            }
            out[q] = mean;
            out[cols + q] = Math.sqrt(s2 / (rows - 1));
        }
        return out;
    }

    /**
     * The standard error of each column's sample standard deviation from its fourth central moment (delta method):
     * se(s²) = √((m₄ − s⁴)/rows), se(s) = se(s²)/(2s).
     */
    static double[] stdErrors(double[] s, int rows, int stride, int from, int cols) {
        double[] out = new double[cols];
        for (int q = 0; q < cols; q++) {
            double s1 = 0;
            for (int r = 0; r < rows; r++) {
                s1 += s[r * stride + from + q];
            }
            double mean = s1 / rows;
            double m2 = 0;
            double m4 = 0;
            for (int r = 0; r < rows; r++) {
                double e = s[r * stride + from + q] - mean;
                m2 += e * e;
                m4 += e * e * e * e;
            }
            m2 /= rows;
            m4 /= rows;
            out[q] = Math.sqrt(Math.max(m4 - m2 * m2, 0) / rows) / (2 * Math.sqrt(m2));
        }
        return out;
    }

    static double rms(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v * v;
        }
        return Math.sqrt(s / a.length);
    }

    private static double[] head(double[] a, int len) {
        return Arrays.copyOf(a, len);
    }

    private static double[] tail(double[] a, int len) {
        return Arrays.copyOfRange(a, a.length - len, a.length);
    }

    @Override
    public Report run(Settings s, Progress progress) {
        Config base = s.full() ? Config.full(s.seed()) : Config.reduced(s.seed());
        // the flags by name, before the Config's own check of the internal sizes
        if (s.has("--width") && s.integer("--width") < 1) {
            throw new BadInputException("--width must be >= 1, got " + s.integer("--width"));
        }
        if (s.integer("--steps") < 1) {
            throw new BadInputException("--steps must be >= 1, got " + s.integer("--steps"));
        }
        if (s.integer("--batch-size") < 1 || s.integer("--batch-size") >= base.n()) {
            throw new BadInputException("--batch-size must be in 1.." + (base.n() - 1) + " (of " + base.n()
                    + " training points), got " + s.integer("--batch-size"));
        }
        if (s.has("--runs") && s.integer("--runs") < 20) {
            throw new BadInputException("--runs must be >= 20 (the spreads' standard errors need them), got "
                    + s.integer("--runs"));
        }
        Config c = new Config(s.has("--width") ? s.integer("--width") : base.width(), base.hiddenLayers(), base.n(),
                base.m(), s.integer("--batch-size"), base.lrFraction(), s.integer("--steps"),
                Math.min(base.records(), s.integer("--steps")), s.has("--runs") ? s.integer("--runs") : base.runs(),
                base.sdePaths(), s.seed(), base.gammaWidths(), base.gammaSeeds());
        double p = Budget.denseParams(16, c.width(), c.hiddenLayers(), 1);
        double work = 2.0 * c.runs() * Budget.trainingWork(p, (double) c.steps() * c.batch())
                + (double) c.sdePaths() * c.steps() * (c.n() + c.m()) * (c.n() + c.m()) + 20 * p * (c.n() + c.m());
        Budget.check("hayou-sgd", 16 * 8 * p + 8.0 * c.sdePaths() * (c.n() + c.m()) * 4, Math.max((double) c.width()
                * c.width(), (double) c.sdePaths() * (c.n() + c.m())), work, Budget.maxWork(s));
        return render(compute(c, Checkpoint.of(s, checkpointSettings(c)), progress));
    }

    /**
     * What a kept piece's numbers depend on (the folder's settings.txt): the network, the data, the training, the
     * seed and Γ's widths (a width's seeds follow from its place in the list). The number of runs is not among them (run r's draws do not depend on how many runs there are), nor are
     * the SDE's paths (recomputed every time: seconds).
     */
    static List<String> checkpointSettings(Config c) {
        return List.of("experiment hayou-sgd", "width " + c.width(), "hidden layers " + c.hiddenLayers(),
                "training points " + c.n(), "test points " + c.m(), "batch " + c.batch(),
                "learning-rate fraction " + c.lrFraction(), "steps " + c.steps(), "records " + c.records(),
                "seed " + c.seed(), "gamma widths " + Arrays.toString(c.gammaWidths()));
    }

    /** The report of a result. */
    public static Report render(Result r) {
        Report rep = new Report("hayou-sgd", "SGD as a stochastic differential equation in function space"
                + " (Hayou, Doucet & Rousseau, §5)");
        describe(rep, r);
        double ratio = r.spreadRatio();
        double rrRatio = rms(r.reshuffledStd()) / rms(r.sdeStd());
        rep.summary("learning_rate", r.learningRate()).summary("runs", r.config().runs())
                .summary("steps", r.config().steps()).summary("width", r.config().width())
                .summary("batch_size", r.config().batch()).summary("sgd_mean", r.sgdMean()).summary("sgd_std", r.sgdStd())
                .summary("sde_mean", r.sdeMean()).summary("sde_std", r.sdeStd()).summary("flow_mean", r.flowMean())
                .summary("reshuffled_std", r.reshuffledStd())
                .summary("spread_ratio_sgd_over_sde", ratio).summary("spread_ratio_standard_error", r.sgdRatio().se())
                .summary("spread_ratio_reshuffled_over_sde", rrRatio)
                .summary("mean_gap_sgd_sde_in_standard_errors", r.meanGapInStandardErrors());
        rep.summary("spread_ratio_sgd_over_sde_se", r.sgdRatio().se())
                .summary("spread_ratio_reshuffled_over_sde_se", r.reshuffledRatio().se())
                .summary("diverged", r.diverged());
        rep.verdict(decide(r));
        List<List<Object>> rows = List.of(
                List.of("SGD, fresh minibatches", rep.num("spread_ratio_sgd_over_sde", "%.3f"),
                        rep.num("spread_ratio_sgd_over_sde_se", "%.3f"),
                        String.format(Locale.ROOT, "%.4g", rms(r.sgdStd()))),
                List.of("SDE (Euler–Maruyama)", "1", "—", String.format(Locale.ROOT, "%.4g", rms(r.sdeStd()))),
                List.of("SGD, epoch reshuffling", rep.num("spread_ratio_reshuffled_over_sde", "%.3f"),
                        rep.num("spread_ratio_reshuffled_over_sde_se", "%.3f"),
                        String.format(Locale.ROOT, "%.4g", rms(r.reshuffledStd()))),
                List.of("gradient flow", "0", "—", "0"));
        rep.table(String.format(Locale.ROOT, "Spread of the outputs on the %d test points after %d steps", r.config().m(),
                r.config().steps()), List.of("dynamics", "spread / SDE spread", "± se",
                "RMS standard deviation over test points"), rows);
        rep.sentence(String.format(Locale.ROOT, "Means: SGD's mean is {mean_gap_sgd_sde_in_standard_errors|%%.2f} standard"
                + " errors (RMS over test points) from the SDE's; the SDE's mean is gradient descent's with the same kernel"
                + " (the noise has mean zero and the drift is linear), which differs from gradient flow's by %.2g (RMS, the"
                + " O(η) discretisation). Any gap between SGD's mean and the SDE's beyond sampling error would come from"
                + " the finite width: the network's kernel moves during training and its outputs are not exactly linear in"
                + " the parameters.", rms(diff(r.sdeMean(), r.flowMean()))));
        rep.paragraph(WHY_THE_SDE);
        figures(rep, r);
        if (r.routes() != null) {
            renderRoutes(rep, r);
        }
        return npz(rep, r);
    }

    /** Why SGD and the SDE share their moments here: a derivation, written before the data (no numbers). */
    private static final String WHY_THE_SDE = "Why the SDE should match SGD here: in the NTK regime one SGD step is"
            + " f ← f − (η/n)Θ(·, X)(w ∘ r) with random weights w_i = (n/b)·1[i ∈ batch], and one Euler–Maruyama step"
            + " of the SDE is the same update with Gaussian weights of the same mean and covariance; the update being"
            + " bilinear in (w, r) with w independent of the past, the two share their mean and covariance at every"
            + " step exactly (ntk's tests check this against an exact moment recursion). Epoch reshuffling breaks the"
            + " independence of successive batches — every point is used once per epoch, so the noise partly cancels"
            + " within an epoch — so it is expected to spread less than the SDE (which assumes independent draws)"
            + " predicts; the table above says whether it did.";

    /** The claim, what the run tests, the deviations from §5, the parameters and seeds. */
    private static void describe(Report rep, Result r) {
        Config c = r.config();
        int m = c.m();
        rep.claim(CLAIM);
        rep.claim("What this run tests: one wide network, one initialisation, trained by minibatch SGD many times with"
                + " different batch draws; the spread of its outputs on test points must match the SDE's (Euler–Maruyama"
                + " with step η, the empirical NTK at initialisation, the minibatch gradient covariance) within 2"
                + " standard errors, while SGD with epoch reshuffling — batches not drawn independently, which the SDE"
                + " does not describe — must not, and gradient flow has no spread at all.");
        rep.deviation("wide networks: the NTK assumed constant during SGD (\"an open question\")", String.format(
                Locale.ROOT, "one network of width %d, %d hidden layers, NTK parameterisation; the SDE uses its"
                        + " empirical NTK at initialisation", c.width(), c.hiddenLayers()));
        rep.deviation("batch size S = o(N), noise covariance Σ/S (draws with replacement)", String.format(Locale.ROOT,
                "N = %d training points, batches of %d distinct points, covariance factor c_b = (N − b)/(b(N − 1)) (draws"
                        + " without replacement)", c.n(), c.batch()));
        rep.deviation("the drift's Hessian term ½(η/S)Γ_t", r.routes() == null ? "left out (the network's Hessian"
                + " vanishes with width)" : "left out of the main comparison; simulated beside it with Γ_t from the"
                + " network's Hessian kernel at initialisation (the section on the SDE as the paper writes it)");
        rep.deviation("no data set or sizes for §5 (\"illustrated empirically in figure ??\")", String.format(
                Locale.ROOT, "%d points on the unit circle, y = sin(2γ)/2 + cos(3γ)/4, quadratic loss, %d steps at η ="
                        + " %.2g · N/λ_max(Θ)", c.n(), c.steps(), c.lrFraction()));
        rep.param("architecture", r.arch() + " (NTK parameterisation, one initialisation, seed " + c.seed() + ")")
                .param("training set", c.n() + " points on the unit circle, y = sin(2γ)/2 + cos(3γ)/4")
                .param("test points", m + " angles on [−π, π]")
                .param("minibatch", c.batch() + " distinct points drawn afresh each step (and, second family, epoch"
                        + " reshuffling)")
                .param("learning rate η", String.format(Locale.ROOT, "%.4g = %.2g · n/λ_max(Θ)", r.learningRate(),
                        c.lrFraction()))
                .param("steps", c.steps() + String.format(Locale.ROOT, " (time t = %.4g)", c.steps() * r.learningRate()))
                .param("SGD runs", c.runs() + " of each kind").param("SDE paths", c.sdePaths());
        long[] seeds = new long[c.runs()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = c.seed() * 1_000_003L + i;
        }
        rep.seeds(seeds);
    }

    /** The outputs with their spread, and the spread against the step. */
    private static void figures(Report rep, Result r) {
        Config c = r.config();
        SvgPlot out = new SvgPlot(String.format(Locale.ROOT, "Outputs after %d SGD steps: mean ± 2 std over %d runs vs the SDE",
                c.steps(), c.runs()), "γ", "f(cos γ, sin γ)");
        double[] g = r.testAngles();
        out.band("SDE mean ± 2 std", g, plus(r.sdeMean(), r.sdeStd(), -2), plus(r.sdeMean(), r.sdeStd(), 2),
                SvgPlot.color(0));
        out.line("SGD mean + 2 std", g, plus(r.sgdMean(), r.sgdStd(), 2), SvgPlot.color(1), true, true);
        out.line("SGD mean − 2 std", g, plus(r.sgdMean(), r.sgdStd(), -2), SvgPlot.color(1), true, false);
        out.line("SGD mean", g, r.sgdMean(), SvgPlot.color(1), false, true);
        out.line("gradient flow", g, r.flowMean(), "#000000", false, true);
        out.points("training points", r.trainAngles(), r.trainY(), SvgPlot.color(3));
        rep.plot("hayou-sgd-outputs", out, "Band: the SDE's mean ± 2 standard deviations; orange: SGD's; black: gradient"
                + " flow from the same initialisation (no spread).");
        double[] stepsD = Arrays.stream(r.recordSteps()).asDoubleStream().toArray();
        SvgPlot spread = new SvgPlot("Spread (RMS standard deviation over test points) against SGD step", "step",
                "RMS std of f(T)");
        spread.line("SDE", stepsD, r.sdeSpread(), SvgPlot.color(0), false, true);
        spread.line("SGD, fresh minibatches", stepsD, r.sgdSpread(), SvgPlot.color(1), false, true);
        spread.line("SGD, epoch reshuffling", stepsD, r.reshuffledSpread(), SvgPlot.color(2), true, true);
        rep.plot("hayou-sgd-spread", spread, "The spread of each dynamics at every recorded step (for the squared loss"
                + " the SDE's noise is proportional to the residuals, so it is expected to fade as they do).");
    }

    /** The data file. */
    private static Report npz(Report rep, Result r) {
        Config c = r.config();
        int m = c.m();
        double[] stepsD = Arrays.stream(r.recordSteps()).asDoubleStream().toArray();
        return rep.npz("hayou-sgd.npz", "test_gamma", new NdArray(new int[] {m}, r.testAngles()), "train_gamma",
                new NdArray(new int[] {c.n()}, r.trainAngles()), "train_y", new NdArray(new int[] {c.n()}, r.trainY()),
                "sgd_outputs", new NdArray(new int[] {c.runs(), m}, r.sgdOutputs()), "record_steps",
                new NdArray(new int[] {stepsD.length}, stepsD), "sgd_spread", new NdArray(new int[] {stepsD.length},
                r.sgdSpread()), "sde_spread", new NdArray(new int[] {stepsD.length}, r.sdeSpread()), "reshuffled_spread",
                new NdArray(new int[] {stepsD.length}, r.reshuffledSpread()), "gd_mean", new NdArray(new int[] {m},
                r.gdMean()));
    }

    /** The section on Γ_t, the paper's noise constant and the closed form; its numbers also go to summary.json. */
    static void renderRoutes(Report rep, Result r) {
        Routes q = r.routes();
        Config c = r.config();
        int paths = c.sdePaths();
        double ratioPaper = rms(r.sgdStd()) / rms(q.paperStd());
        double relSe = ratioPaper * Math.sqrt(1 / (2.0 * (c.runs() - 1)) + 1 / (2.0 * (paths - 1)));
        double meanShiftSe = rms(q.gammaShiftSe());
        double ouMeanZ = q.ouMeanMaxZ(paths);
        double ouStdZ = q.ouStdMaxZ(paths);
        double discretisation = rms(diff(r.sdeMean(), q.ouMean()));
        rep.heading("The SDE as the paper writes it: the Hessian drift Γ_t, the noise constant η/S, the closed form");
        rep.summary("gamma_drift_over_kernel_drift_at_init", q.gammaRelative())
                .summary("gamma_mean_shift_rms", q.gammaShiftRms()).summary("gamma_mean_shift_rms_se", meanShiftSe)
                .summary("gamma_mean_shift_max_z", q.gammaShiftMaxZ())
                .summary("noise_factor_cb", q.cbFactor()).summary("noise_factor_paper", q.paperFactor())
                .summary("spread_ratio_sgd_over_sde_paper_constant", ratioPaper)
                .summary("spread_ratio_sgd_over_sde_paper_constant_se", relSe);
        Map<String, Object> ou = new LinkedHashMap<>();
        ou.put("mean_max_abs_z", ouMeanZ);
        ou.put("std_max_abs_z", ouStdZ);
        ou.put("paths", paths);
        ou.put("substeps_per_eta", q.substeps());
        ou.put("quadrature_error", q.ouQuadratureError());
        ou.put("test_points", c.m());
        ou.put("rms_mean_gap_to_eta_step_sde", discretisation);
        rep.summary("ou_vs_simulated", ou);
        List<List<Object>> rows = List.of(
                List.of("½ηcΓ_0 against the kernel drift (1/n)Θr_0, RMS over A, at t = 0",
                        rep.num("gamma_drift_over_kernel_drift_at_init", "%.3g"), "—"),
                List.of(String.format(Locale.ROOT, "SDE mean with Γ_t minus without, after %d steps (RMS over test"
                        + " points; same noise draws)", c.steps()), rep.num("gamma_mean_shift_rms", "%.3g"),
                        rep.num("gamma_mean_shift_rms_se", "%.2g")),
                List.of(String.format(Locale.ROOT, "SGD spread / SDE spread, noise constant c_b = %.4f (default)",
                        q.cbFactor()), rep.num("spread_ratio_sgd_over_sde", "%.3f"),
                        rep.num("spread_ratio_sgd_over_sde_se", "%.3f")),
                List.of(String.format(Locale.ROOT, "SGD spread / SDE spread, the paper's η/S (factor 1/b = %.4f)",
                        q.paperFactor()), rep.num("spread_ratio_sgd_over_sde_paper_constant", "%.3f"),
                        rep.num("spread_ratio_sgd_over_sde_paper_constant_se", "%.3f")),
                List.of(String.format(Locale.ROOT, "closed form (eqs. 34–35) vs %d paths of the continuous SDE: largest"
                        + " |Δ mean| over test points, in standard errors", paths),
                        rep.num("ou_vs_simulated/mean_max_abs_z", "%.2f"), "—"),
                List.of("the same for the standard deviations", rep.num("ou_vs_simulated/std_max_abs_z", "%.2f"), "—"));
        rep.table("The SDE as the paper writes it, on the test points", List.of("quantity", "value", "± se"), rows);
        rep.paragraph(String.format(Locale.ROOT, "Closed form: the mean of eq. 35 and the covariance by Itô's isometry"
                + " on its stochastic integrals (the residuals' second moments from their exact linear ODE, Simpson"
                + " quadrature, error %.1g); it is checked against %d Euler–Maruyama paths with %d substeps per η (the"
                + " continuous-time SDE). The η-step SDE of the main comparison (the SGD-matched discretisation) differs"
                + " from the continuous one's mean by %%s RMS over test points. The noise constants differ by the factor"
                + " c_b·b = (n − b)/(n − 1) = %.3f, so the spreads by its square root, %.3f: c_b is exact for b distinct"
                + " points per step (the SGD run here), 1/b for draws with replacement.", q.ouQuadratureError(), paths,
                q.substeps(), q.cbFactor() * c.batch(), Math.sqrt(q.cbFactor() * c.batch())),
                Report.num("ou_vs_simulated/rms_mean_gap_to_eta_step_sde", discretisation, "%.3g"));
        if (q.widths().length >= 2) {
            gammaAgainstWidth(rep, r);
        }
    }

    /** Γ_0 at initialisation against width: per width, the fitted slopes, the plot. */
    private static void gammaAgainstWidth(Report rep, Result r) {
        Routes q = r.routes();
        Config c = r.config();
        int nw = q.widths().length;
        double[] normMean = new double[nw];
        double[] normSe = new double[nw];
        double[] relMean = new double[nw];
        double[] relSeW = new double[nw];
        List<List<Object>> wr = new ArrayList<>();
        for (int w = 0; w < nw; w++) {
            Estimate en = Estimate.of(q.gammaNorm()[w]);
            Estimate er = Estimate.of(q.gammaRel()[w]);
            normMean[w] = en.mean();
            normSe[w] = en.se();
            relMean[w] = er.mean();
            relSeW[w] = er.se();
            wr.add(List.of(q.widths()[w], String.format(Locale.ROOT, "%.4g ± %.2g", en.mean(), en.se()),
                    String.format(Locale.ROOT, "%.4g ± %.2g", er.mean(), er.se())));
        }
        Estimate slope = q.gammaSlope(false);
        Estimate slopeSeeds = q.gammaSlopeOverSeeds(false);
        Estimate relSlope = q.gammaSlope(true);
        rep.summary("gamma_widths", q.widths()).summary("gamma_norm", normMean).summary("gamma_norm_se", normSe)
                .summary("gamma_norm_slope", slope.mean()).summary("gamma_norm_slope_se", slope.se())
                .summary("gamma_norm_slope_over_seeds", slopeSeeds.mean())
                .summary("gamma_norm_slope_over_seeds_se", slopeSeeds.se())
                .summary("gamma_relative", relMean).summary("gamma_relative_se", relSeW)
                .summary("gamma_relative_slope", relSlope.mean()).summary("gamma_relative_slope_se", relSlope.se())
                .summary("gamma_seeds", c.gammaSeeds());
        rep.table(String.format(Locale.ROOT, "Γ_0 at initialisation against width (mean ± se over %d"
                + " initialisations)", c.gammaSeeds()), List.of("width", "RMS over A of Γ_0 = Tr(Σ∇²f)",
                "½ηcΓ_0 / kernel drift"), wr);
        rep.paragraph(String.format(Locale.ROOT, "Γ_0 ∝ width^s: fitted over every (width, initialisation), s = %%s"
                + " ± %%s (seed by seed: %.3f ± %.3f over %d seeds); its share of the drift, s = %%s ± %%s. The paper"
                + " states no rate; Γ_t vanishing in the lazy limit is what dropping it assumes.", slopeSeeds.mean(),
                slopeSeeds.se(), c.gammaSeeds()), Report.num("gamma_norm_slope", slope.mean(), "%.3f"),
                Report.num("gamma_norm_slope_se", slope.se(), "%.3f"),
                Report.num("gamma_relative_slope", relSlope.mean(), "%.3f"),
                Report.num("gamma_relative_slope_se", relSlope.se(), "%.3f"));
        double[] ws = Arrays.stream(q.widths()).asDoubleStream().toArray();
        SvgPlot pl = new SvgPlot("Γ_0 at initialisation against width", "width", "RMS Γ_0");
        pl.line("RMS over A of Tr(Σ∇²f(a))", ws, normMean, SvgPlot.color(0), false, true);
        rep.plot("hayou-sgd-gamma-width", pl, "Mean over initialisations; the fitted slopes are in the text.");
    }

    private static double[] plus(double[] a, double[] b, double k) {
        double[] o = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            o[i] = a[i] + k * b[i];
        }
        return o;
    }

    private static double[] diff(double[] a, double[] b) {
        return plus(a, b, -1);
    }
}
