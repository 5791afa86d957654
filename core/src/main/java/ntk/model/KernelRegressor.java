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
import ntk.NdArray;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;

/**
 * The trained infinite-width network as a fit/predict object, in scikit-learn's vocabulary:
 * <pre>
 *   KernelRegressor model = new KernelRegressor(net, KernelKind.NTK).ridge(1e-6).times(TrainingTime.flow(10));
 *   model.fit(x, y);                          // x: (n, d) or (n, L, C); y: (n, o)
 *   Predictions p = model.predict(t);         // means (m, o) per time; covariances with withCovariance(true)
 *   double[] spectrum = model.spectrum();     // eigenvalues of the training kernel, largest first
 * </pre>
 * <b>A finite network against its limit</b>, in one chain: the infinite-width network started from the finite
 * network's own initial function f₀ (Lee et al. 2019, eq. 9: f_t = f₀ + K(·,X)K⁻¹(I − e^{−tK/n})(Y − f₀(X))) is
 * {@code fitAround(x, y, f0x)} (fit on Y − f₀(X)) then {@code predictAround(t, f0t)} (add f₀(T)); with
 * {@code KernelRegressor.precomputed(KernelKind.NTK)} and {@code EmpiricalNtk.kernels}, the same with the finite
 * network's own empirical NTK. f₀ comes from {@code FiniteNetwork.outputs(p0, x)}.
 *
 * <p>Which class is which: this class is the users' model (inputs in, {@link Predictions} out). Under it, in
 * {@code ntk.dynamics}, the array tier on kernels you hold: {@link KernelPredictor} (one eigendecomposition, means and
 * covariances at any time through its {@link Prediction}) and {@link KernelRegression} (t = ∞ alone, by Cholesky).
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
    private Kernels fittedKernels;
    private boolean aroundF0;
    private double[] spectrum;
    private int o;
    private KernelRegression cholesky;
    private KernelPredictor eigen;
    private double[] sigmaXX;

    /**
     * The infinite-width network net trained with the kernel of this kind.
     *
     * @param network the architecture
     * @param kind {@code NTK} (every layer trained) or {@code NNGP} (the read-out only)
     */
    public KernelRegressor(Network network, KernelKind kind) {
        this(network, kind, new KernelEngine());
    }

    /**
     * A regressor on kernels the caller computes (scikit-learn's {@code kernel="precomputed"}), e.g. a finite
     * network's empirical NTK: only {@link #fit(Kernels, NdArray)}, {@link #predict(Kernels)} and
     * {@link #components(Kernels, NdArray)}.
     *
     * @param kind the kind of the kernels that will be passed
     * @return the regressor
     */
    public static KernelRegressor precomputed(KernelKind kind) {
        return new KernelRegressor(null, kind, null);
    }

    /**
     * As {@link #KernelRegressor(Network, KernelKind)}, on a given engine (e.g. with a thread count).
     *
     * @param network the architecture
     * @param kind the kernel
     * @param engine the kernel engine
     */
    public KernelRegressor(Network network, KernelKind kind, KernelEngine engine) {
        this.network = network;
        this.kind = kind;
        this.engine = engine;
    }

    /**
     * Adds r·I to the training kernel (default 0: a singular kernel is refused, never jittered).
     *
     * @param r the ridge, finite and ≥ 0
     * @return this regressor
     */
    public KernelRegressor ridge(double r) {
        if (!(r >= 0) || Double.isInfinite(r)) {
            throw BadInputException.of(BadInputException.param("ridge"), " must be finite and >= 0, got " + r);
        }
        this.ridge = r;
        return this;
    }

    /**
     * The training times to predict at (default: t = ∞ alone); set before {@link #fit}, which picks the solver.
     *
     * @param times gradient-flow times or step counts
     * @return this regressor
     */
    public KernelRegressor times(TrainingTime... times) {
        if (times.length == 0) {
            throw new BadInputException("at least one training time is needed");
        }
        this.times = times.clone();
        return this;
    }

    /**
     * Whether {@link #predict} also gives the covariance over initialisations (Lee et al. 2019, eq. 16).
     *
     * @param want whether to compute it
     * @return this regressor
     */
    public KernelRegressor withCovariance(boolean want) {
        this.covariance = want;
        return this;
    }

    /**
     * t = ∞ alone: kernel regression by Cholesky, no eigendecomposition.
     *
     * @return whether every time is t = ∞
     */
    public boolean infinityOnly() {
        return Arrays.stream(times).allMatch(TrainingTime::isInfinite);
    }

    /**
     * The peak heap of fitting on n points and predicting on m: the training kernels (Σ and Θ together while they are
     * computed), dsyevd's 2n² workspace unless t = ∞ alone (Cholesky works in place), Σ(X, X) kept for an NTK
     * covariance, and the m×n and m×m test blocks.
     *
     * @param n training points
     * @param m test points
     * @return the estimate
     */
    public MemoryPlan plan(int n, int m) {
        boolean ntk = kind == KernelKind.NTK;
        long nn = (long) n * n;
        long squares = infinityOnly() ? (ntk ? 2 : 1) : (ntk && covariance ? 4 : 3);
        return new MemoryPlan(8 * (squares * nn + 4L * m * n + 2L * m * m), String.format(Locale.ROOT,
                "the %d x %d training kernel%s", n, n, infinityOnly() ? "s" : "s and the eigendecomposition's workspace"),
                infinityOnly() && !covariance);
    }

    /**
     * Computes the training kernel on x and factorises it (targets y: (n, o), or (n,) as (n, 1)).
     *
     * @param x training inputs, (n, d) or (n, length, channels)
     * @param y targets
     * @return this regressor, fitted
     */
    public KernelRegressor fit(NdArray x, NdArray y) {
        Kernels kxx = trainKernels(x, kind == KernelKind.NTK);
        this.x = x;
        this.aroundF0 = false;
        return factorise(kxx, kxx.of(kind), y);
    }

    /**
     * Fits the infinite-width network started from a given initial function f₀ rather than averaged over
     * initialisations: fits on Y − f₀(X); {@link #predictAround(NdArray, NdArray)} then adds f₀(T). With f₀ the outputs of
     * a finite network at its initial parameters ({@code FiniteNetwork.outputs(p0, x)}), the predictions are its
     * infinite-width (linearised) counterpart, to compare with the trained finite network. No covariance: given f₀
     * the prediction is deterministic.
     *
     * @param x training inputs
     * @param y targets (n, o)
     * @param f0x the initial outputs on x, the shape of y
     * @return this regressor, fitted
     */
    public KernelRegressor fitAround(NdArray x, NdArray y, NdArray f0x) {
        refuseCovarianceAroundF0();
        fit(x, minus(y, f0x, "f0x"));
        this.aroundF0 = true;
        return this;
    }

    /**
     * As {@link #fitAround(NdArray, NdArray, NdArray)} on precomputed training kernels (e.g. {@code EmpiricalNtk.kernels}).
     *
     * @param kxx the train-train kernels
     * @param y targets (n, o)
     * @param f0x the initial outputs on the training inputs, the shape of y
     * @return this regressor, fitted
     */
    public KernelRegressor fitAround(Kernels kxx, NdArray y, NdArray f0x) {
        refuseCovarianceAroundF0();
        fit(kxx, minus(y, f0x, "f0x"));
        this.aroundF0 = true;
        return this;
    }

    private void refuseCovarianceAroundF0() {
        if (covariance) {
            throw new IllegalStateException("a fit around a given f0 has no covariance over initialisations:"
                    + " drop withCovariance(true)");
        }
    }

    private static NdArray minus(NdArray y, NdArray f0, String name) {
        if (f0.size() != y.size() || f0.dim(0) != y.dim(0)) {
            throw BadInputException.of(name + " has shape " + f0.shapeString()
                    + ", the targets " + y.shapeString());
        }
        double[] r = new double[y.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = y.data()[i] - f0.data()[i];
        }
        return new NdArray(y.shape(), r);
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
        this.aroundF0 = false;
        return factorise(kxx, kxx.of(kind).clone(), y);
    }

    /** Picks the solver and factorises kTrain (overwritten): Cholesky for t = ∞ alone, else one eigendecomposition. */
    private KernelRegressor factorise(Kernels kxx, double[] kTrain, NdArray y) {
        int n = kxx.n1();
        if (y.rank() < 1 || y.rank() > 2 || y.dim(0) != n) {
            throw BadInputException.of("y must be (n, o) or (n,) with n = " + n
                    + " training points, got " + y.shapeString());
        }
        this.o = y.rank() == 1 ? 1 : y.dim(1);
        this.spectrum = null;
        this.fittedKernels = x == null ? kxx : null; // the caller's, untouched: the spectrum's source on Cholesky
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

    /**
     * The largest stable learning rate of discrete gradient descent with the fitted kernel, 2n/λ_max (Hayou et al.,
     * Lemma 1), on either solver path.
     *
     * @return 2n/λ_max of the training kernel (+ ridge)
     */
    public double maxStableLearningRate() {
        double[] s = spectrum();
        return s.length == 0 || !(s[0] > 0) ? Double.POSITIVE_INFINITY : 2.0 * s.length / s[0];
    }

    /**
     * The eigenvalues of the fitted training kernel (+ ridge·I), largest first: the spectrum whose decay sets how fast
     * each direction is learnt (time n/λ_i). On the eigendecomposition path it is the fit's own; on the t = ∞ path
     * (Cholesky) the first call computes it from the training kernel (recomputed from the inputs, or the caller's
     * precomputed kernels, untouched): O(n³) once, like the factorisation.
     *
     * @return a new array of n eigenvalues, descending
     */
    public double[] spectrum() {
        requireFitted();
        if (spectrum == null) {
            double[] ascending;
            if (eigen != null) {
                ascending = eigen.eigen().values().clone();
            } else {
                int n = cholesky.trainingPoints();
                double[] k = fittedKernels != null ? fittedKernels.of(kind).clone()
                        : trainKernels(x, kind == KernelKind.NTK).of(kind);
                for (int i = 0; i < n; i++) {
                    k[i * n + i] += ridge;
                }
                ascending = ntk.linalg.Linalg.symmetricEigenvalues(k, n);
            }
            spectrum = new double[ascending.length];
            for (int i = 0; i < ascending.length; i++) {
                spectrum[i] = ascending[ascending.length - 1 - i];
            }
        }
        return spectrum.clone();
    }

    /**
     * The means (and covariances when asked) on test inputs t, one per training time.
     *
     * @param t test inputs of the training inputs' example shape
     * @return the predictions
     */
    public Predictions predict(NdArray t) {
        requireFitted();
        requireNetwork();
        if (x == null) {
            throw new IllegalStateException("fitted on precomputed kernels: predict(Kernels) takes the test kernels");
        }
        if (aroundF0) {
            throw new IllegalStateException("fitted around f0(X): predictAround(t, f0t) adds the initial outputs on t");
        }
        return predictInputs(t);
    }

    private Predictions predictInputs(NdArray t) {
        Kernels ktx = engine.kernels(network, t, x, "t", "x", kind);
        return predictKernels(ktx, covariance ? engine.kernels(network, t, null, "t", "t", KernelKind.NNGP).nngp() : null);
    }

    /**
     * After {@link #fitAround(NdArray, NdArray, NdArray)}: the means on t of the network started from f₀, i.e. f₀(T) plus
     * the fitted correction at each time.
     *
     * @param t test inputs
     * @param f0t the initial outputs on t, (m, o)
     * @return the predictions (means only)
     */
    public Predictions predictAround(NdArray t, NdArray f0t) {
        requireFitted();
        requireNetwork();
        if (x == null) {
            throw new IllegalStateException("fitted on precomputed kernels: predictAround(ktx, f0t) takes the test kernels");
        }
        requireAroundF0();
        return plus(predictInputs(t), f0t);
    }

    /**
     * After {@link #fitAround(Kernels, NdArray, NdArray)}: the means from the test-train kernels plus f₀(T).
     *
     * @param ktx the test-train kernels K(T, X), m × n
     * @param f0t the initial outputs on the test inputs, (m, o)
     * @return the predictions (means only)
     */
    public Predictions predictAround(Kernels ktx, NdArray f0t) {
        requireFitted();
        requireAroundF0();
        return plus(predictKernels(ktx, null), f0t);
    }

    private void requireAroundF0() {
        if (!aroundF0) {
            throw new IllegalStateException("predictAround follows fitAround(x, y, f0x); after fit(x, y) use predict");
        }
    }

    private static Predictions plus(Predictions p, NdArray f0t) {
        if (f0t.size() != (long) p.m() * p.o() || f0t.dim(0) != p.m()) {
            throw BadInputException.of("f0t must be (m, o) = (" + p.m() + ", " + p.o()
                    + "), got " + f0t.shapeString());
        }
        double[][] means = new double[p.means().length][];
        for (int j = 0; j < means.length; j++) {
            means[j] = p.means()[j].clone();
            for (int i = 0; i < means[j].length; i++) {
                means[j][i] += f0t.data()[i];
            }
        }
        return new Predictions(p.times(), p.m(), p.o(), means, null);
    }

    /**
     * The means on test inputs from their test-train kernels K(T, X) (m × n), after {@link #fit(Kernels, NdArray)}.
     *
     * @param ktx the test-train kernels
     * @return the predictions
     */
    public Predictions predict(Kernels ktx) {
        if (covariance) {
            throw new IllegalStateException("the covariance needs Σ(T, T): use predict(ktx, sigmaTT)");
        }
        return predict(ktx, null);
    }

    /**
     * The means, and with {@link #withCovariance} the covariances, from the test-train kernels K(T, X) (m × n) and
     * the test-test NNGP Σ(T, T) (m × m, row-major; needed only for the covariance).
     *
     * @param ktx the test-train kernels
     * @param sigmaTT the test-test NNGP kernel, or null without covariance
     * @return the predictions
     */
    public Predictions predict(Kernels ktx, double[] sigmaTT) {
        requireFitted();
        if (aroundF0) {
            throw new IllegalStateException("fitted around f0(X): predictAround(ktx, f0t) adds the initial outputs");
        }
        return predictKernels(ktx, sigmaTT);
    }

    private Predictions predictKernels(Kernels ktx, double[] sigmaTT) {
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
     *
     * @param x training inputs
     * @param y targets, or null
     * @param fraction the fraction to fit, in (0, 1)
     * @return the diagnosis
     */
    public Trainability trainability(NdArray x, NdArray y, double fraction) {
        Kernels k = trainKernels(x, kind == KernelKind.NTK);
        int o = y == null ? 1 : y.rank() == 1 ? 1 : y.dim(1);
        return Trainability.diagnose(k.of(kind), x.dim(0), y == null ? null : y.data, o, fraction);
    }

    /**
     * Kernel principal components of the training kernel (+ ridge) on x and the targets y along them (Jacot et al.
     * 2018 §5); y may be null (no targets: projections are zero). Always one eigendecomposition, whatever the times.
     *
     * @param x training inputs
     * @param y targets, or null
     * @return the components
     */
    public KernelPca components(NdArray x, NdArray y) {
        return components(x.dim(0), trainKernels(x, kind == KernelKind.NTK).of(kind), y);
    }

    /**
     * As {@link #components(NdArray, NdArray)} on training kernels computed beforehand (left untouched).
     *
     * @param kxx the train-train kernels
     * @param y targets, or null
     * @return the components
     */
    public KernelPca components(Kernels kxx, NdArray y) {
        return components(kxx.n1(), kxx.of(kind).clone(), y);
    }

    private KernelPca components(int n, double[] kTrain, NdArray y) {
        int o = y == null ? 1 : y.rank() == 1 ? 1 : y.dim(1);
        return KernelPredictor.fitInPlace(kTrain, n, y == null ? new double[n] : y.data, o, ridge).pca();
    }

    /**
     * The peak heap of {@link #components(NdArray, NdArray)} on n points: the kernels and dsyevd's 2n² workspace.
     *
     * @param n training points
     * @return the estimate
     */
    public MemoryPlan componentsPlan(int n) {
        long nn = (long) n * n;
        return new MemoryPlan(8 * (4 * nn), String.format(Locale.ROOT, "the %d x %d kernel and its eigendecomposition",
                n, n), false);
    }

    /**
     * The architecture (null for a precomputed-kernel regressor).
     *
     * @return the network
     */
    public Network network() {
        return network;
    }

    /**
     * The kernel trained with.
     *
     * @return NTK or NNGP
     */
    public KernelKind kind() {
        return kind;
    }

    private Kernels trainKernels(NdArray x, boolean wantNtk) {
        requireNetwork();
        network.outputShape(Shape.ofExample(java.util.Arrays.copyOfRange(x.shape, 1, x.rank())));
        return engine.kernels(network, x, null, "x", "x", wantNtk ? KernelKind.NTK : KernelKind.NNGP);
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
