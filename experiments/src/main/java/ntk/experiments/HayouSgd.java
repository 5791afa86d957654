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
import ntk.dynamics.SgdSde;
import ntk.dynamics.TrainingTime;
import ntk.finite.EmpiricalNtk;
import ntk.finite.FiniteNetwork;
import ntk.finite.Trainer;
import ntk.io.NdArray;
import ntk.kernels.Kernels;
import ntk.linalg.Linalg;
import ntk.model.KernelRegressor;
import ntk.protocol.Params;

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
            int records, int runs, int sdePaths, long seed) {
        public Config {
            if (width < 1 || hiddenLayers < 1 || n < 3 || m < 2 || batch < 1 || batch >= n || runs < 20
                    || sdePaths < 2 || !(lrFraction > 0) || steps < 1 || records < 1 || records > steps) {
                throw new BadInputException("hayou-sgd: width, layers >= 1, n >= 3, m >= 2, 1 <= batch < n, runs >= 20,"
                        + " steps >= records >= 1 and a positive learning-rate fraction are needed");
            }
        }

        /** The default run: width 1024, 16 points, batches of 2, 50 steps, 40 + 40 SGD runs, 4000 SDE paths. */
        public static Config reduced(long seed) {
            return new Config(1024, 2, 16, 31, 2, 0.5, 50, 10, 40, 4000, seed);
        }

        /** --full: width 4096, 100 + 100 runs, 20,000 SDE paths. */
        public static Config full(long seed) {
            return new Config(4096, 2, 16, 61, 2, 0.5, 50, 25, 100, 20000, seed);
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
            double[] sgdOutputs, int[] recordSteps, double[] sgdSpread, double[] sdeSpread, double[] reshuffledSpread) {

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
                new Param("--batch-size", "2", "minibatch size b (of 16 training points)"));
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
                double[][] outs = sgdRun(net, p0, x, n, y, t, m, c.batch(), eta, rec,
                        new SplittableRandom(c.seed() * 1_000_003L + run));
                for (int k = 0; k < rec.length; k++) {
                    System.arraycopy(outs[k], 0, sgd[k], run * m, m);
                }
                task.step();
            }
            int every = 0;
            for (int v : rec) {
                every = HayouTable1.gcd(every, v);
            }
            for (int run = 0; run < c.runs(); run++) {
                Trainer.Result r = trainer.train(p0, Trainer.Data.regression(x, n, y), Trainer.Data.inputs(t, m),
                        Trainer.Config.sgd(steps, c.batch(), eta).seed(c.seed() * 7919L + run).recordEvery(every)
                                .kernelProbe(0).build(), null);
                for (int k = 0; k < rec.length; k++) {
                    int idx = Arrays.binarySearch(r.step(), rec[k]);
                    System.arraycopy(r.testOut()[idx], 0, rr[k], run * m, m);
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
        return new Result(c, arch, eta, lambdaMax, gamma, tg, y, f0, head(sgdMoments[last], m),
                tail(sgdMoments[last], m), head(sdeMoments[last], m), tail(sdeMoments[last], m), flow, gd,
                head(rrMoments[last], m), tail(rrMoments[last], m), sgd[last], rec, sgdSpread, sdeSpread, rrSpread);
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
                base.sdePaths(), s.seed());
        double p = Budget.denseParams(16, c.width(), c.hiddenLayers(), 1);
        double work = 2.0 * c.runs() * Budget.trainingWork(p, (double) c.steps() * c.batch())
                + (double) c.sdePaths() * c.steps() * (c.n() + c.m()) * (c.n() + c.m()) + 20 * p * (c.n() + c.m());
        Budget.check("hayou-sgd", 16 * 8 * p + 8.0 * c.sdePaths() * (c.n() + c.m()) * 4, Math.max((double) c.width()
                * c.width(), (double) c.sdePaths() * (c.n() + c.m())), work, Budget.maxWork(s));
        return render(compute(c, progress));
    }

    /** The report of a result. */
    public static Report render(Result r) {
        Config c = r.config();
        int m = c.m();
        Report rep = new Report("hayou-sgd", "SGD as a stochastic differential equation in function space"
                + " (Hayou, Doucet & Rousseau, §5)");
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
        rep.deviation("the drift's Hessian term ½(η/S)Γ_t", "left out (the network's Hessian vanishes with width)");
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
        double ratio = r.spreadRatio();
        double err = r.sgdRatio().se();
        double rrRatio = rms(r.reshuffledStd()) / rms(r.sdeStd());
        double gap = r.meanGapInStandardErrors();
        double flowGap = rms(diff(r.sdeMean(), r.flowMean()));
        rep.summary("learning_rate", r.learningRate()).summary("runs", c.runs()).summary("steps", c.steps())
                .summary("width", c.width()).summary("batch_size", c.batch())
                .summary("sgd_mean", r.sgdMean()).summary("sgd_std", r.sgdStd())
                .summary("sde_mean", r.sdeMean()).summary("sde_std", r.sdeStd()).summary("flow_mean", r.flowMean())
                .summary("reshuffled_std", r.reshuffledStd())
                .summary("spread_ratio_sgd_over_sde", ratio).summary("spread_ratio_standard_error", err)
                .summary("spread_ratio_reshuffled_over_sde", rrRatio)
                .summary("mean_gap_sgd_sde_in_standard_errors", gap);
        rep.summary("spread_ratio_sgd_over_sde_se", r.sgdRatio().se())
                .summary("spread_ratio_reshuffled_over_sde_se", r.reshuffledRatio().se())
                .summary("diverged", r.diverged());
        rep.verdict(decide(r));
        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of("SGD, fresh minibatches", Report.num("spread_ratio_sgd_over_sde", ratio, "%.3f"),
                Report.num("spread_ratio_sgd_over_sde_se", r.sgdRatio().se(), "%.3f"),
                String.format(Locale.ROOT, "%.4g", rms(r.sgdStd()))));
        rows.add(List.of("SDE (Euler–Maruyama)", "1", "—", String.format(Locale.ROOT, "%.4g", rms(r.sdeStd()))));
        rows.add(List.of("SGD, epoch reshuffling", Report.num("spread_ratio_reshuffled_over_sde", rrRatio, "%.3f"),
                Report.num("spread_ratio_reshuffled_over_sde_se", r.reshuffledRatio().se(), "%.3f"),
                String.format(Locale.ROOT, "%.4g", rms(r.reshuffledStd()))));
        rows.add(List.of("gradient flow", "0", "—", "0"));
        rep.table(String.format(Locale.ROOT, "Spread of the outputs on the %d test points after %d steps", m, c.steps()),
                List.of("dynamics", "spread / SDE spread", "± se", "RMS standard deviation over test points"), rows);
        rep.paragraph(String.format(Locale.ROOT, "Means: SGD's mean is %%s standard errors (RMS over test points) from"
                + " the SDE's; the SDE's mean is gradient descent's with the same kernel (the noise has mean zero and the"
                + " drift is linear), which differs from gradient flow's by %.2g (RMS, the O(η) discretisation). Any"
                + " gap between SGD's mean and the SDE's beyond sampling error would come from the finite width: the"
                + " network's kernel moves during training and its outputs are not exactly linear in the parameters.", flowGap),
                Report.num("mean_gap_sgd_sde_in_standard_errors", gap, "%.2f"));
        rep.paragraph("Why the SDE should match SGD here: in the NTK regime one SGD step is"
                + " f ← f − (η/n)Θ(·, X)(w ∘ r) with random weights w_i = (n/b)·1[i ∈ batch], and one Euler–Maruyama step"
                + " of the SDE is the same update with Gaussian weights of the same mean and covariance; the update being"
                + " bilinear in (w, r) with w independent of the past, the two share their mean and covariance at every"
                + " step exactly (ntk's tests check this against an exact moment recursion). Epoch reshuffling breaks the"
                + " independence of successive batches — every point is used once per epoch, so the noise partly cancels"
                + " within an epoch — so it is expected to spread less than the SDE (which assumes independent draws)"
                + " predicts; the table above says whether it did.");
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
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("test_gamma", new NdArray(new int[] {m}, g));
        arrays.put("train_gamma", new NdArray(new int[] {c.n()}, r.trainAngles()));
        arrays.put("train_y", new NdArray(new int[] {c.n()}, r.trainY()));
        arrays.put("sgd_outputs", new NdArray(new int[] {c.runs(), m}, r.sgdOutputs()));
        arrays.put("record_steps", new NdArray(new int[] {stepsD.length}, stepsD));
        arrays.put("sgd_spread", new NdArray(new int[] {stepsD.length}, r.sgdSpread()));
        arrays.put("sde_spread", new NdArray(new int[] {stepsD.length}, r.sdeSpread()));
        arrays.put("reshuffled_spread", new NdArray(new int[] {stepsD.length}, r.reshuffledSpread()));
        arrays.put("gd_mean", new NdArray(new int[] {m}, r.gdMean()));
        rep.npz("hayou-sgd.npz", arrays);
        return rep;
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
