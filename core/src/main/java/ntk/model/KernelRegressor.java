package ntk.model;

import java.util.Arrays;
import java.util.Locale;
import ntk.BadInputException;
import ntk.KernelKind;
import ntk.Shape;
import ntk.arch.Network;
import ntk.dynamics.KernelPca;
import ntk.dynamics.KernelPredictor;
import ntk.dynamics.KernelRegression;
import ntk.dynamics.Prediction;
import ntk.dynamics.PriorCovariance;
import ntk.dynamics.Trainability;
import ntk.dynamics.TrainingTime;
import ntk.io.NdArray;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;

/**
 * The trained infinite-width network as a fit/predict object, in scikit-learn's vocabulary:
 * <pre>
 *   KernelRegressor model = new KernelRegressor(net, KernelKind.NTK).ridge(1e-6).times(TrainingTime.flow(10));
 *   model.fit(x, y);                          // x: (n, d) or (n, L, C); y: (n, o)
 *   Predictions p = model.predict(t);         // means (m, o) per time; covariances with withCovariance(true)
 * </pre>
 * Training is gradient flow (or discrete gradient descent) on the loss 1/(2n) Σ‖f(xᵢ) − yᵢ‖² with the chosen kernel:
 * the NTK trains every layer, the NNGP the read-out only (Lee et al. 2019, eqs. 15-16 for the mean and covariance).
 * The regressor owns the choices the commands used to make: the solver (t = ∞ alone is kernel regression by one
 * Cholesky factorisation, {@link KernelRegression}; any finite time takes one eigendecomposition for every time,
 * {@link KernelPredictor}) and the up-front memory plan ({@link #plan}).
 */
public final class KernelRegressor {
    private final Network network;
    private final KernelKind kind;
    private final KernelEngine engine;
    private double ridge;
    private TrainingTime[] times = {TrainingTime.INFINITY};
    private boolean covariance;

    private NdArray x;
    private int o;
    private KernelRegression cholesky;
    private KernelPredictor eigen;
    private double[] sigmaXX;

    public KernelRegressor(Network network, KernelKind kind) {
        this(network, kind, new KernelEngine());
    }

    /**
     * A regressor on kernels the caller computes (scikit-learn's {@code kernel="precomputed"}), e.g. a finite
     * network's empirical NTK: only {@link #fit(Kernels, NdArray)}, {@link #predict(Kernels)} and
     * {@link #components(Kernels, NdArray)}.
     */
    public static KernelRegressor precomputed(KernelKind kind) {
        return new KernelRegressor(null, kind, null);
    }

    public KernelRegressor(Network network, KernelKind kind, KernelEngine engine) {
        this.network = network;
        this.kind = kind;
        this.engine = engine;
    }

    /** Adds r·I to the training kernel (default 0: a singular kernel is refused, never jittered). */
    public KernelRegressor ridge(double r) {
        if (!(r >= 0) || Double.isInfinite(r)) {
            throw BadInputException.of(BadInputException.param("ridge"), " must be finite and >= 0, got " + r);
        }
        this.ridge = r;
        return this;
    }

    /** The training times to predict at (default: t = ∞ alone); set before {@link #fit}, which picks the solver. */
    public KernelRegressor times(TrainingTime... times) {
        if (times.length == 0) {
            throw new BadInputException("at least one training time is needed");
        }
        this.times = times.clone();
        return this;
    }

    /** Whether {@link #predict} also gives the covariance over initialisations (Lee et al. 2019, eq. 16). */
    public KernelRegressor withCovariance(boolean want) {
        this.covariance = want;
        return this;
    }

    /** t = ∞ alone: kernel regression by Cholesky, no eigendecomposition. */
    public boolean infinityOnly() {
        return Arrays.stream(times).allMatch(TrainingTime::isInfinite);
    }

    /**
     * The peak heap of fitting on n points and predicting on m: the training kernels (Σ and Θ together while they are
     * computed), dsyevd's 2n² workspace unless t = ∞ alone (Cholesky works in place), Σ(X, X) kept for an NTK
     * covariance, and the m×n and m×m test blocks.
     */
    public MemoryPlan plan(int n, int m) {
        boolean ntk = kind == KernelKind.NTK;
        long nn = (long) n * n;
        long squares = infinityOnly() ? (ntk ? 2 : 1) : (ntk && covariance ? 4 : 3);
        return new MemoryPlan(8 * (squares * nn + 4L * m * n + 2L * m * m), String.format(Locale.ROOT,
                "the %d x %d training kernel%s", n, n, infinityOnly() ? "s" : "s and the eigendecomposition's workspace"),
                infinityOnly() && !covariance);
    }

    /** Computes the training kernel on x and factorises it (targets y: (n, o), or (n,) as (n, 1)). */
    public KernelRegressor fit(NdArray x, NdArray y) {
        Kernels kxx = trainKernels(x, kind == KernelKind.NTK);
        this.x = x;
        return factorise(kxx, kxx.of(kind), y);
    }

    /**
     * Fits to training kernels computed beforehand on the training inputs (scikit-learn's "precomputed" kernel), e.g.
     * when one kernel computation serves several fits: Σ (and Θ for the NTK) of x × x, left untouched. Predict with
     * {@link #predict(Kernels)} on the test-train kernels.
     */
    public KernelRegressor fit(Kernels kxx, NdArray y) {
        if (kxx.n1() != kxx.n2() || kxx.of(kind) == null) {
            throw new IllegalArgumentException("fit needs the square train-train " + kind + " kernel, got "
                    + kxx.n1() + " x " + kxx.n2());
        }
        if (covariance && kind == KernelKind.NTK && kxx.nngp() == null) {
            throw new IllegalArgumentException("the NTK covariance needs the NNGP Σ(X, X) beside Θ(X, X): pass kernels"
                    + " computed with both");
        }
        this.x = null;
        return factorise(kxx, kxx.of(kind).clone(), y);
    }

    /** Picks the solver and factorises kTrain (overwritten): Cholesky for t = ∞ alone, else one eigendecomposition. */
    private KernelRegressor factorise(Kernels kxx, double[] kTrain, NdArray y) {
        int n = kxx.n1();
        this.o = y.rank() == 1 ? 1 : y.dim(1);
        this.sigmaXX = covariance && kind == KernelKind.NTK ? kxx.nngp() : null;
        if (infinityOnly()) {
            cholesky = KernelRegression.fitInPlace(kTrain, n, y.data, o, ridge);
            eigen = null;
        } else {
            eigen = KernelPredictor.fitInPlace(kTrain, n, y.data, o, ridge);
            cholesky = null;
        }
        return this;
    }

    /** The fitted eigendecomposition's stable learning-rate limit 2n/λ_max, or NaN on the Cholesky path (t = ∞). */
    public double maxStableLearningRate() {
        requireFitted();
        return eigen == null ? Double.NaN : 2.0 * eigen.trainingPoints() / eigen.eigen().largest();
    }

    /** The means (and covariances when asked) on test inputs t, one per training time. */
    public Predictions predict(NdArray t) {
        requireFitted();
        requireNetwork();
        if (x == null) {
            throw new IllegalStateException("fitted on precomputed kernels: predict(Kernels) takes the test kernels");
        }
        Kernels ktx = engine.kernels(network, t, x, kind == KernelKind.NTK);
        return predict(ktx, covariance ? engine.kernels(network, t, null, false).nngp() : null);
    }

    /** The means on test inputs from their test-train kernels K(T, X) (m × n), after {@link #fit(Kernels, NdArray)}. */
    public Predictions predict(Kernels ktx) {
        if (covariance) {
            throw new IllegalStateException("the covariance needs Σ(T, T): use predict(ktx, sigmaTT)");
        }
        return predict(ktx, null);
    }

    /**
     * The means, and with {@link #withCovariance} the covariances, from the test-train kernels K(T, X) (m × n) and
     * the test-test NNGP Σ(T, T) (m × m, row-major; needed only for the covariance).
     */
    public Predictions predict(Kernels ktx, double[] sigmaTT) {
        requireFitted();
        int m = ktx.n1();
        PriorCovariance prior = null;
        if (covariance) {
            if (sigmaTT == null || (kind == KernelKind.NTK && ktx.nngp() == null)) {
                throw new IllegalArgumentException("the covariance needs Σ(T, T)" + (kind == KernelKind.NTK
                        ? " and the test-train NNGP Σ(T, X) beside Θ(T, X)" : ""));
            }
            prior = kind == KernelKind.NTK ? PriorCovariance.of(sigmaTT, ktx.nngp(), sigmaXX)
                    : PriorCovariance.ofFittedKernel(sigmaTT);
        }
        double[] kTest = ktx.of(kind);
        double[][] means = new double[times.length][];
        double[][] covs = covariance ? new double[times.length][] : null;
        if (cholesky != null) {
            Arrays.fill(means, cholesky.mean(kTest, m));
            if (covariance) {
                Arrays.fill(covs, cholesky.covariance(kTest, m, prior));
            }
        } else {
            Prediction at = eigen.on(kTest, m, prior);
            means = at.means(times);
            for (int j = 0; covariance && j < times.length; j++) {
                covs[j] = at.covariance(times[j]);
            }
        }
        return new Predictions(times.clone(), m, o, means, covs);
    }

    /**
     * Whether gradient descent with this kernel can fit (x, y) and how fast (Hayou et al., Lemma 1): the training
     * kernel's extreme eigenvalues, condition number, 2n/λ_max, and the time to fit the given fraction (of y, or of
     * the slowest direction's residual when y is null).
     */
    public Trainability trainability(NdArray x, NdArray y, double fraction) {
        Kernels k = trainKernels(x, kind == KernelKind.NTK);
        int o = y == null ? 1 : y.rank() == 1 ? 1 : y.dim(1);
        return Trainability.diagnose(k.of(kind), x.dim(0), y == null ? null : y.data, o, fraction);
    }

    /**
     * Kernel principal components of the training kernel (+ ridge) on x and the targets y along them (Jacot et al.
     * 2018 §5); y may be null (no targets: projections are zero). Always one eigendecomposition, whatever the times.
     */
    public KernelPca components(NdArray x, NdArray y) {
        return components(x.dim(0), trainKernels(x, kind == KernelKind.NTK).of(kind), y);
    }

    /** As {@link #components(NdArray, NdArray)} on training kernels computed beforehand (left untouched). */
    public KernelPca components(Kernels kxx, NdArray y) {
        return components(kxx.n1(), kxx.of(kind).clone(), y);
    }

    private KernelPca components(int n, double[] kTrain, NdArray y) {
        int o = y == null ? 1 : y.rank() == 1 ? 1 : y.dim(1);
        return KernelPredictor.fitInPlace(kTrain, n, y == null ? new double[n] : y.data, o, ridge).pca();
    }

    /** The peak heap of {@link #components(NdArray, NdArray)} on n points: the kernels and dsyevd's 2n² workspace. */
    public MemoryPlan componentsPlan(int n) {
        long nn = (long) n * n;
        return new MemoryPlan(8 * (4 * nn), String.format(Locale.ROOT, "the %d x %d kernel and its eigendecomposition",
                n, n), false);
    }

    public Network network() {
        return network;
    }

    public KernelKind kind() {
        return kind;
    }

    private Kernels trainKernels(NdArray x, boolean wantNtk) {
        requireNetwork();
        network.outputShape(Shape.ofExample(java.util.Arrays.copyOfRange(x.shape, 1, x.rank())));
        return engine.kernels(network, x, null, wantNtk);
    }

    private void requireNetwork() {
        if (network == null) {
            throw new IllegalStateException("a precomputed-kernel regressor has no network: pass kernels, not inputs");
        }
    }

    private void requireFitted() {
        if (cholesky == null && eigen == null) {
            throw new IllegalStateException("call fit(x, y) before predict");
        }
    }
}
