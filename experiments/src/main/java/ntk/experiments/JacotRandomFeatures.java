package ntk.experiments;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import ntk.BadInputException;
import ntk.KernelKind;
import ntk.data.Mnist;
import ntk.NdArray;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;
import ntk.linalg.Linalg;
import ntk.linalg.SymmetricEigen;

/**
 * Jacot, Gabriel &amp; Hongler 2018, §3.1 (random functions approximation). P functions f⁽ᵖ⁾ drawn independently from
 * the Gaussian process with kernel K (the NNGP or the NTK of the paper's depth-4 ReLU network) on m = n + n_T digits
 * define the random linear model F^lin(θ) = (1/√P) Σ_p θ_p f⁽ᵖ⁾, whose tangent kernel is K̃ = (1/P) Σ_p f⁽ᵖ⁾ ⊗ f⁽ᵖ⁾.
 * Three checks, each against a route not derived from the one it checks:
 * <ol>
 * <li>K̃ → K by the law of large numbers: ‖K̃ − K‖_F/‖K‖_F over seeds against P, its log-log slope with its standard
 * error against −1/2, and its mean square against the closed form E‖K̃ − K‖²_F = ((tr K)² + ‖K‖²_F)/P (Isserlis:
 * E[(f_i f_j − K_ij)²] = K_ii K_jj + K_ij² for one Gaussian draw).</li>
 * <li>Gradient descent on θ for the cost C(f) = (1/2n) Σ_i (f(x_i) − y_i)² (computed with F, in parameter space)
 * equals kernel gradient descent with K̃, f ← f − (η/n) K̃(·, X)(f(X) − y) (computed with K̃, in function space):
 * the largest difference over all points after the steps.</li>
 * <li>Trained from θ = 0 to t → ∞, F^lin predicts K̃(T, X) K̃(X, X)⁺ y on the test digits (the minimum-norm
 * solution gradient flow reaches); its relative distance to kernel regression with K, K(T, X) K(X, X)⁻¹ y, against
 * P, with its slope.</li>
 * </ol>
 */
public final class JacotRandomFeatures implements Experiment {

    static final PaperClaim CLAIM = new PaperClaim("Performing gradient descent on the cost $C \\circ F^{lin}$ is"
            + " therefore equivalent to performing kernel gradient descent with the tangent kernel \\tilde{K} in the"
            + " function space. … With $P \\to \\infty$, by the law of large numbers, the random kernel \\tilde{K}"
            + " tends to the fixed kernel K.",
            "Jacot et al. 2018, §3.1 (random functions approximation), as written out in the review of Jacot et al."
                    + " 2018, §3.1");

    /** The law-of-large-numbers exponent: ‖K̃ − K‖ ∝ P^−1/2. */
    static final double LLN_SLOPE = -0.5;
    /** Slack on a fitted slope beyond its two standard errors (the fit's model error at small P). */
    static final double SLOPE_TOLERANCE = 0.05;
    /** The two descents agree when their largest difference is below this times the largest |output|. */
    static final double ROUNDING = 1e-9;
    /** The distance to kernel regression is fitted over P at least this many times the training digits. */
    static final int FIT_FACTOR = 4;

    public record Config(int train, int test, int[] ps, int seeds, int steps, KernelKind kind, long seed) {
        public Config {
            if (train < 2 || test < 1 || seeds < 2 || steps < 1 || ps.length < 3) {
                throw new BadInputException("--n must be >= 2, --n-test >= 1, --seeds >= 2, --steps >= 1 and"
                        + " --p must list at least 3 values");
            }
            for (int p : ps) {
                if (p < 1 || p > 1_000_000) {
                    throw new BadInputException("--p values must be in 1..1000000, got " + p);
                }
            }
            if ((long) (train + test) * java.util.Arrays.stream(ps).max().getAsInt() > 200_000_000L) {
                throw new BadInputException(String.format(Locale.ROOT, "--p up to %d on %d points needs %.1f GB for the"
                        + " random functions; keep (n + n-test)·max P <= 2e8", java.util.Arrays.stream(ps).max()
                        .getAsInt(), train + test, 8e-9 * (train + test) * java.util.Arrays.stream(ps).max().getAsInt()));
            }
        }
    }

    /**
     * Per P (rows) and seed (columns): the relative kernel error, the largest |GD on θ − kernel GD with K̃|, the
     * relative distance of the t → ∞ prediction to kernel regression with K; the closed-form RMS relative error per P;
     * the largest |output| of the descents (the scale of the difference); K's λ_max on the training digits.
     */
    public record Result(Config config, double[][] kernelError, double[][] gdDifference, double[][] distance,
            double[] expectedRmsError, double outputScale, String source) {

        public Estimate kernelError(int pi) {
            return Estimate.of(kernelError[pi]);
        }

        public Estimate distance(int pi) {
            return Estimate.of(distance[pi]);
        }

        /** Mean over seeds of the squared relative error, to compare with the closed form's square. */
        public Estimate meanSquareError(int pi) {
            double[] sq = new double[kernelError[pi].length];
            for (int s = 0; s < sq.length; s++) {
                sq[s] = kernelError[pi][s] * kernelError[pi][s];
            }
            return Estimate.of(sq);
        }

        /**
         * Log-log fit of the root mean square over the draws against P. The mean square is what the law of large
         * numbers fixes exactly (c/P); a fit through single draws is biased where one direction of K dominates
         * the error (the log of a χ²-like fluctuation), so the draws are averaged first.
         */
        public LogLogFit kernelErrorFit() {
            return rmsFit(kernelError);
        }

        /**
         * The distance's fit over P ≥ {@link #FIT_FACTOR}·n only: near P = n the minimum-norm interpolant peaks
         * (K̃(X, X) is barely invertible there), so the approach is measured where P is well past n.
         */
        public LogLogFit distanceFit() {
            int from = firstFitted();
            return rmsFit(java.util.Arrays.copyOfRange(distance, from, distance.length), from);
        }

        /** The index of the first P ≥ FIT_FACTOR·n (the length of the list when there is none). */
        public int firstFitted() {
            int i = 0;
            while (i < config.ps().length && config.ps()[i] < FIT_FACTOR * config.train()) {
                i++;
            }
            return i;
        }

        /** Root mean square over the draws of v[pi]. */
        static double rms(double[] v) {
            double s = 0;
            for (double x : v) {
                s += x * x;
            }
            return Math.sqrt(s / v.length);
        }

        private LogLogFit rmsFit(double[][] v) {
            return rmsFit(v, 0);
        }

        private LogLogFit rmsFit(double[][] v, int offset) {
            double[] x = new double[v.length];
            double[] y = new double[v.length];
            for (int pi = 0; pi < v.length; pi++) {
                x[pi] = config.ps()[pi + offset];
                y[pi] = rms(v[pi]);
            }
            return LogLogFit.of(x, y);
        }

        /** The largest difference between the two descents, over every P and seed. */
        public double maxGdDifference() {
            double m = 0;
            for (double[] r : gdDifference) {
                for (double v : r) {
                    m = Math.max(m, Double.isNaN(v) ? Double.POSITIVE_INFINITY : v);
                }
            }
            return m;
        }
    }

    @Override
    public PaperClaim claim() {
        return CLAIM;
    }

    @Override
    public String name() {
        return "jacot-random-features";
    }

    @Override
    public boolean readsData() {
        return true;
    }

    @Override
    public String description() {
        return "Jacot, Gabriel & Hongler's random functions approximation (§3.1): P functions drawn from the Gaussian"
                + " process with the NNGP (or NTK) kernel of the depth-4 ReLU network on MNIST digits; the tangent kernel"
                + " K̃ = (1/P) Σ f⊗f against K (the 1/√P law, fitted slope ± se, against the closed-form mean square),"
                + " gradient descent on F^lin against kernel gradient descent with K̃ (to rounding), and the trained F^lin"
                + " against kernel regression with K as P grows. Default: 100 training and 100 test digits,"
                + " P = 16..8192, 10 seeds; --full: 400 + 400 digits, P up to 32768. Data: random-features.npz.";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("--n", null, "training digits (default 100; --full 400)"),
                new Param("--n-test", null, "test digits (default 100; --full 400)"),
                new Param("--p", null, "numbers of random functions P (default 16,64,256,1024,2048,4096,8192;"
                        + " --full up to 32768)"),
                new Param("--seeds", "10", "draws of the P functions per P"),
                new Param("--steps", "100", "gradient-descent steps compared between the two routes"),
                new Param("--kind", "nngp", "the kernel K the functions are drawn from: nngp or ntk"));
    }

    @Override
    public Report run(Settings s, Progress progress) {
        int n = s.has("--n") ? s.integer("--n") : s.full() ? 400 : 100;
        int nt = s.has("--n-test") ? s.integer("--n-test") : s.full() ? 400 : 100;
        int[] ps = s.has("--p") ? s.integers("--p") : s.full() ? new int[] {16, 64, 256, 1024, 4096, 8192, 16384, 32768}
                : new int[] {16, 64, 256, 1024, 2048, 4096, 8192};
        KernelKind kind = switch (s.string("--kind")) {
            case "nngp" -> KernelKind.NNGP;
            case "ntk" -> KernelKind.NTK;
            default -> throw new BadInputException("--kind must be nngp or ntk, got '" + s.string("--kind") + "'");
        };
        Config c = new Config(n, nt, ps, s.integer("--seeds"), s.integer("--steps"), kind, s.seed());
        double m = n + nt;
        double work = 0;
        double largest = m * m;
        for (int p : ps) {
            work += (double) c.seeds() * (2 * m * m * p + 4.0 * c.steps() * n * p + 20 * m * m * m);
            largest = Math.max(largest, m * p);
        }
        Budget.check("jacot-random-features", 8 * 4 * largest, largest, work, Budget.maxWork(s));
        Mnist.Split split = Mnist.split(s.data());
        if (n > split.train().n() || nt > split.test().n()) {
            throw new BadInputException("--n must be at most " + split.train().n() + " and --n-test at most "
                    + split.test().n());
        }
        return render(compute(c, split, progress));
    }

    /** Targets: +1 for the digits 0–4, −1 for 5–9. */
    static double[] targets(Mnist digits) {
        double[] y = new double[digits.n()];
        for (int i = 0; i < y.length; i++) {
            y[i] = digits.labels()[i] < 5 ? 1 : -1;
        }
        return y;
    }

    /** The science. */
    public static Result compute(Config c, Mnist.Split split, Progress progress) {
        Mnist tr = split.train().head(c.train());
        Mnist te = split.test().head(c.test());
        int n = c.train();
        int m = n + c.test();
        int d = tr.dim();
        double[] x = new double[m * d];
        System.arraycopy(Linearization.unitVariance(tr), 0, x, 0, n * d);
        System.arraycopy(Linearization.unitVariance(te), 0, x, n * d, c.test() * d);
        Kernels ks = new KernelEngine().kernels(JacotNetworks.limit(1), x, m, null, 0, d, c.kind() == KernelKind.NTK);
        double[] k = ks.of(c.kind()).clone();
        return compute(c, k, targets(tr), split.source(), progress);
    }

    /** The same on a given kernel k (m × m over training then test points) and training targets y. */
    static Result compute(Config c, double[] k, double[] y, String source, Progress progress) {
        int n = c.train();
        int m = n + c.test();
        // a square root A = V diag(√λ⁺) of K, so that f = A z with z ~ N(0, I) has covariance K
        SymmetricEigen eig = Linalg.symmetricEigen(k, m);
        double[] root = new double[m * m];
        for (int i = 0; i < m; i++) {
            double s = Math.sqrt(Math.max(eig.values()[i], 0));
            for (int r = 0; r < m; r++) {
                root[r * m + i] = eig.vector(i, r) * s;
            }
        }
        double kNorm2 = 0;
        double trace = 0;
        for (int i = 0; i < m; i++) {
            trace += k[i * m + i];
            for (int j = 0; j < m; j++) {
                kNorm2 += k[i * m + j] * k[i * m + j];
            }
        }
        double[] fK = kernelRegression(k, m, n, y);
        double fKNorm = norm(fK);
        int np = c.ps().length;
        double[][] err = new double[np][c.seeds()];
        double[][] gd = new double[np][c.seeds()];
        double[][] dist = new double[np][c.seeds()];
        double[] expected = new double[np];
        double scale = 0;
        try (Progress.Task t = progress.task("random functions", (long) np * c.seeds())) {
            for (int pi = 0; pi < np; pi++) {
                int p = c.ps()[pi];
                expected[pi] = Math.sqrt((trace * trace + kNorm2) / p / kNorm2);
                for (int sd = 0; sd < c.seeds(); sd++) {
                    SplittableRandom rng = new SplittableRandom(c.seed() * 1_000_003L + 7919L * p + sd);
                    double[] z = new double[m * p];
                    for (int i = 0; i < z.length; i++) {
                        z[i] = rng.nextGaussian();
                    }
                    double[] f = Linalg.multiply(false, false, m, p, m, root, z); // m × P, column p = f⁽ᵖ⁾
                    double[] kt = Linalg.multiply(false, true, m, m, p, f, f);
                    double e2 = 0;
                    for (int i = 0; i < m * m; i++) {
                        kt[i] /= p;
                        e2 += (kt[i] - k[i]) * (kt[i] - k[i]);
                    }
                    err[pi][sd] = Math.sqrt(e2 / kNorm2);
                    double[] a = descents(f, kt, m, n, p, y, c.steps());
                    gd[pi][sd] = a[0];
                    scale = Math.max(scale, a[1]);
                    double[] fLin = minimumNormPrediction(kt, m, n, y);
                    double dd = 0;
                    for (int i = 0; i < fK.length; i++) {
                        dd += (fLin[i] - fK[i]) * (fLin[i] - fK[i]);
                    }
                    dist[pi][sd] = Math.sqrt(dd) / fKNorm;
                    t.step();
                }
                progress.log(String.format(Locale.ROOT, "P = %-6d kernel error %s, distance to kernel regression %s",
                        p, Estimate.of(err[pi]), Estimate.of(dist[pi])));
            }
        }
        return new Result(c, err, gd, dist, expected, scale, source);
    }

    /**
     * Runs both descents for {@code steps} steps at η = n/λ_max(K̃(X, X)) from θ = 0 (f = 0): gradient descent on θ
     * through F, and kernel gradient descent with K̃; returns {largest |difference| over all m points, largest
     * |output|}.
     */
    static double[] descents(double[] f, double[] kt, int m, int n, int p, double[] y, int steps) {
        double[] kxx = trainBlock(kt, m, n);
        double[] ev = Linalg.symmetricEigenvalues(kxx, n);
        double eta = n / Math.max(ev[n - 1], Double.MIN_NORMAL);
        double rp = 1 / Math.sqrt(p);
        // route 1: parameters θ ∈ R^P; f_θ = F θ / √P; ∂C/∂θ_p = (1/√P) Σ_i f⁽ᵖ⁾(x_i) (f_θ(x_i) − y_i) / n
        double[] theta = new double[p];
        double[] r = new double[n];
        for (int s = 0; s < steps; s++) {
            for (int i = 0; i < n; i++) {
                double v = 0;
                for (int q = 0; q < p; q++) {
                    v += f[i * p + q] * theta[q];
                }
                r[i] = v * rp - y[i];
            }
            for (int q = 0; q < p; q++) {
                double g = 0;
                for (int i = 0; i < n; i++) {
                    g += f[i * p + q] * r[i];
                }
                theta[q] -= eta * rp * g / n;
            }
        }
        // route 2: function values on all m points; f ← f − (η/n) K̃(·, X)(f(X) − y)
        double[] fn = new double[m];
        for (int s = 0; s < steps; s++) {
            for (int i = 0; i < n; i++) {
                r[i] = fn[i] - y[i];
            }
            double[] upd = new double[m];
            for (int i = 0; i < m; i++) {
                double v = 0;
                for (int j = 0; j < n; j++) {
                    v += kt[i * m + j] * r[j];
                }
                upd[i] = v;
            }
            for (int i = 0; i < m; i++) {
                fn[i] -= eta / n * upd[i];
            }
        }
        double diff = 0;
        double big = 0;
        for (int i = 0; i < m; i++) {
            double v = 0;
            for (int q = 0; q < p; q++) {
                v += f[i * p + q] * theta[q];
            }
            v *= rp;
            diff = Math.max(diff, Math.abs(v - fn[i]));
            big = Math.max(big, Math.abs(fn[i]));
        }
        return new double[] {diff, big};
    }

    /** K(T, X) K(X, X)⁻¹ y on the test points (Cholesky; no ridge, as the paper). */
    static double[] kernelRegression(double[] k, int m, int n, double[] y) {
        double[] kxx = trainBlock(k, m, n);
        if (!Linalg.choleskyInPlace(kxx, n)) {
            throw new BadInputException("the kernel on the training digits is not positive definite; take fewer --n");
        }
        double[] alpha = y.clone();
        Linalg.choleskySolve(kxx, n, alpha, 1);
        return testTimes(k, m, n, alpha);
    }

    /**
     * K̃(T, X) K̃(X, X)⁺ y: where gradient flow on θ from 0 ends (the minimum-norm least-squares solution), with the
     * pseudo-inverse over the eigenvalues above n·ε·λ_max (K̃(X, X) has rank min(P, n)).
     */
    static double[] minimumNormPrediction(double[] kt, int m, int n, double[] y) {
        double[] kxx = trainBlock(kt, m, n);
        SymmetricEigen e = Linalg.symmetricEigen(kxx, n);
        double cut = n * Math.ulp(1.0) * e.largest();
        double[] alpha = new double[n];
        for (int i = 0; i < n; i++) {
            double lam = e.values()[i];
            if (lam <= cut) {
                continue;
            }
            double proj = 0;
            for (int j = 0; j < n; j++) {
                proj += e.vector(i, j) * y[j];
            }
            for (int j = 0; j < n; j++) {
                alpha[j] += e.vector(i, j) * proj / lam;
            }
        }
        return testTimes(kt, m, n, alpha);
    }

    /** The training block K(X, X) (n × n) of a kernel on m = n + n_T points, training points first. */
    static double[] trainBlock(double[] k, int m, int n) {
        double[] kxx = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(k, i * m, kxx, i * n, n);
        }
        return kxx;
    }

    /** K(T, X) α on the test points of a kernel on m = n + n_T points. */
    static double[] testTimes(double[] k, int m, int n, double[] alpha) {
        double[] out = new double[m - n];
        for (int i = n; i < m; i++) {
            double v = 0;
            for (int j = 0; j < n; j++) {
                v += k[i * m + j] * alpha[j];
            }
            out[i - n] = v;
        }
        return out;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /**
     * The verdict, a pure function of the Result. The law of large numbers is shown when the log-log slope of the
     * kernel error's root mean square over the draws is within two standard errors (plus {@link #SLOPE_TOLERANCE}) of −1/2 and its mean square at the largest
     * P agrees with the closed form within two standard errors (plus 5 %); the equivalence when the two descents
     * differ by less than {@link #ROUNDING} of the outputs everywhere; the approach to kernel regression when the
     * distance's slope is below zero by more than two standard errors. SHOWN: all three; PARTLY: the equivalence and
     * one of the others; NOT SHOWN: otherwise.
     */
    public static Decision decide(Result r) {
        int last = r.config().ps().length - 1;
        LogLogFit ef = r.kernelErrorFit();
        boolean rate = Math.abs(ef.slope() - LLN_SLOPE) <= Estimate.Z * ef.slopeSe() + SLOPE_TOLERANCE;
        Estimate ms = r.meanSquareError(last);
        double want = r.expectedRmsError()[last] * r.expectedRmsError()[last];
        boolean level = ms.consistentWith(want, 0.05 * want);
        boolean lln = rate && level;
        double gd = r.maxGdDifference();
        boolean same = gd <= ROUNDING * Math.max(r.outputScale(), 1e-300);
        LogLogFit df = r.distanceFit();
        boolean enough = df.points() >= 3;
        boolean approach = enough && df.slope() + Estimate.Z * df.slopeSe() < 0;
        String text = String.format(Locale.ROOT, "The tangent kernel's relative error falls as P^%.3f ± %.3f (the law of"
                + " large numbers says P^−0.5: %s); at P = %d its mean square is %s against the closed form %.4g (%s)."
                + " Gradient descent on θ and kernel gradient descent with K̃ differ by at most %.2g (outputs up to"
                + " %.3g: %s). %s",
                ef.slope(), ef.slopeSe(), rate ? "consistent" : "inconsistent", r.config().ps()[last], ms.show(4),
                want, level ? "consistent" : "inconsistent", gd, r.outputScale(), same ? "equal to rounding"
                : "NOT equal to rounding", enough ? String.format(Locale.ROOT, "Over P ≥ %dn the trained F^lin's"
                + " distance to kernel regression with K falls as P^%.3f ± %.3f (%s).", FIT_FACTOR, df.slope(),
                df.slopeSe(), approach ? "it approaches" : "no approach shown") : String.format(Locale.ROOT,
                "Only %d value(s) of P reach %dn = %d, so the approach to kernel regression is not shown at this size"
                + " (list at least three such P in --p).", df.points(), FIT_FACTOR, FIT_FACTOR * r.config().train()));
        if (same && lln && approach) {
            return Decision.shown(text);
        }
        if (same && (lln || approach)) {
            return Decision.partly(text);
        }
        return Decision.notShown(text);
    }

    public static Report render(Result r) {
        Config c = r.config();
        int np = c.ps().length;
        Report rep = new Report("jacot-random-features", "Random functions approximation (Jacot et al., §3.1)");
        describe(rep, r);
        rep.deviation("the functions f⁽ᵖ⁾ drawn from any distribution with covariance K, on the whole input space",
                "Gaussian draws on the " + (c.train() + c.test()) + " digits only");
        rep.deviation("gradient flow (continuous time), any cost C", c.steps() + " discrete steps and t → ∞ in closed"
                + " form, least-squares cost");
        double[] rms = new double[np];
        for (int pi = 0; pi < np; pi++) {
            rms[pi] = Math.sqrt(r.meanSquareError(pi).mean());
        }
        rep.summary("P", c.ps()).estimates("kernel_error", np, r::kernelError).summary("kernel_error_rms", rms)
                .summary("kernel_error_expected_rms", r.expectedRmsError()).slope("kernel_error_slope", r.kernelErrorFit())
                .summary("gd_equals_kernel_gd", r.maxGdDifference())
                .summary("gd_difference_by_P", Report.largest(r.gdDifference())).summary("output_scale", r.outputScale())
                .estimates("distance_to_kernel_regression", np, r::distance).slope("distance_slope", r.distanceFit())
                .summary("kind", c.kind() == KernelKind.NTK ? "ntk" : "nngp").summary("n_train", c.train())
                .summary("n_test", c.test());
        rep.verdict(decide(r));
        rep.table("Per number of random functions P (means over the draws, ± standard error)", np, rep.label("P", "P"),
                rep.column("‖K̃ − K‖/‖K‖", "kernel_error"), rep.se("kernel_error_se"),
                rep.column("RMS", "kernel_error_rms"),
                rep.column("closed-form RMS", "kernel_error_expected_rms"),
                rep.column("max |GD on θ − kernel GD|", "gd_difference_by_P", "%.2g"),
                rep.column("distance to kernel regression", "distance_to_kernel_regression"),
                rep.se("distance_to_kernel_regression_se"));
        rep.sentence("Fitted to the root mean squares over the draws: the kernel error falls as P^{kernel_error_slope|%.3f}"
                + " ± {kernel_error_slope_se|%.2g} (all P), the distance to kernel regression as P^{distance_slope|%.3f} ±"
                + " {distance_slope_se|%.2g} (P ≥ " + FIT_FACTOR + "n, since near P = n the matrix K̃(X, X) is close to"
                + " singular).");
        double[] px = Report.doubles(c.ps());
        double[] em = rep.values("kernel_error");
        double[] dm = rep.values("distance_to_kernel_regression");
        SvgPlot p = new SvgPlot("Tangent kernel and trained model against P", "P (random functions)",
                "relative error").logX().logY();
        p.line("‖K̃ − K‖/‖K‖ (mean over draws)", px, em);
        p.line("closed-form RMS √(((tr K)² + ‖K‖²)/P)/‖K‖", px, r.expectedRmsError(), SvgPlot.color(0), true, true);
        p.line("distance of trained F^lin to kernel regression", px, dm);
        double[] guide = new double[np];
        for (int pi = 0; pi < np; pi++) {
            guide[pi] = dm[0] * Math.pow(px[pi] / px[0], LLN_SLOPE);
        }
        p.line("P^−1/2 through the first distance", px, guide, SvgPlot.color(1), true, true);
        rep.plot("random-features", p, "Solid: measured means over the draws; dashed: the closed-form expectation of the"
                + " kernel error and a P^−1/2 guide.");
        rep.npz("random-features.npz", "P", NdArray.vector(px), "kernel_error", NdArray.of(r.kernelError()),
                "gd_difference", NdArray.of(r.gdDifference()), "distance_to_kernel_regression", NdArray.of(r.distance()),
                "kernel_error_expected_rms", NdArray.vector(r.expectedRmsError()));
        return rep;
    }

    /** The claim, what the run tests, the deviations from the paper's set-up, the parameters and seeds. */
    private static void describe(Report rep, Result r) {
        Config c = r.config();
        rep.claim(CLAIM).claim("The run draws P random functions from the Gaussian process with kernel K on digits, and"
                + " tests three things: that the tangent kernel K̃ = (1/P) Σ f⊗f tends to K at the law-of-large-numbers"
                + " rate P^−1/2 (against a closed form for its mean square error), that gradient descent on the random"
                + " linear model equals kernel gradient descent with K̃, and that the trained model tends to kernel"
                + " regression with K.");
        rep.param("kernel K", (c.kind() == KernelKind.NTK ? "NTK Θ∞" : "NNGP Σ") + " of " + JacotNetworks.template(1))
                .param("data", String.format(Locale.ROOT, "%s: the first %d training and %d test digits, ‖x‖² = 784;"
                        + " targets +1 for 0–4, −1 for 5–9", r.source(), c.train(), c.test()))
                .param("P", java.util.Arrays.toString(c.ps())).param("draws per P", c.seeds())
                .param("descent", String.format(Locale.ROOT, "%d steps from θ = 0 at η = n/λ_max(K̃(X, X)), cost"
                        + " (1/2n) Σ (f(x_i) − y_i)²", c.steps()))
                .param("t → ∞ prediction", "K̃(T, X) K̃(X, X)⁺ y (minimum-norm), against K(T, X) K(X, X)⁻¹ y");
        rep.seedRange(c.seed(), c.seeds());
    }

}
