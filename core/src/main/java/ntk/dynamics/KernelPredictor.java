package ntk.dynamics;

import static ntk.BadInputException.param;

import ntk.BadInputException;
import ntk.linalg.Linalg;
import ntk.linalg.SymmetricEigen;

/**
 * The infinite-width network trained on (X, Y) with a fixed kernel K (NTK or NNGP), loss
 * 1/(2n) Σ‖f(xᵢ) − yᵢ‖² (cli-contract.md). Fitting costs one eigendecomposition K + rI = VΛVᵀ and
 * the projections VᵀY; every training time after that is a diagonal scaling.
 *
 * <pre>
 * KernelPredictor p = KernelPredictor.fit(kxx, n, y, o, ridge);        // K(X,X) n×n, Y n×o
 * Prediction at = p.on(kTx, m);                                         // K(T,X) m×n: one m·n·n GEMM
 * double[] mean = at.mean(TrainingTime.flow(10));                       // m×o
 * double[][] all = at.means(TrainingTime.flow(0.1), TrainingTime.INFINITY);
 * Prediction withCov = p.on(kTx, m, PriorCovariance.of(sTT, sTX, sXX)); // adds covariance(time), m×m
 * </pre>
 */
public final class KernelPredictor {
    private final int n;
    private final int o;
    private final double ridge;
    private final SymmetricEigen eigen;
    private final double[] projections;

    private KernelPredictor(int n, int o, double ridge, SymmetricEigen eigen, double[] projections) {
        this.n = n;
        this.o = o;
        this.ridge = ridge;
        this.eigen = eigen;
        this.projections = projections;
    }

    /** Fits to the row-major n×n training kernel kxx (left untouched) and targets y (n×o), adding ridge·I to K. */
    public static KernelPredictor fit(double[] kxx, int n, double[] y, int o, double ridge) {
        return fitInPlace(kxx.clone(), n, y, o, ridge);
    }

    /**
     * Fits to the training kernel K(X, X) (n, n) and targets Y (n, o), or (n,) for one output, adding ridge·I to K;
     * neither array is written.
     *
     * @param kxx the training kernel, (n, n)
     * @param y the targets, (n, o) or (n,)
     * @param ridge r ≥ 0 added to the diagonal
     * @return the fitted predictor
     */
    public static KernelPredictor fit(ntk.NdArray kxx, ntk.NdArray y, double ridge) {
        int n = squareSide(kxx, "kxx");
        return fit(kxx.data(), n, y.data(), outputsOf(y, n, "y"), ridge);
    }

    /** The side n of a square (n, n) array; refuses any other shape naming the parameter. */
    static int squareSide(ntk.NdArray k, String name) {
        if (k.rank() != 2 || k.dim(0) != k.dim(1)) {
            throw BadInputException.of(name + " must be a square (n, n) kernel, got " + k.shapeString());
        }
        return k.dim(0);
    }

    /** o of targets (n, o) or (n,); refuses another first axis or rank. */
    static int outputsOf(ntk.NdArray y, int n, String name) {
        if (y.rank() < 1 || y.rank() > 2 || y.dim(0) != n) {
            throw BadInputException.of(name + " must be (n, o) or (n,) with n = " + n + " training points, got "
                    + y.shapeString());
        }
        return y.rank() == 1 ? 1 : y.dim(1);
    }

    /** As {@link #fit}, but overwrites kxx with the eigenvectors: saves an n×n copy for large n. */
    public static KernelPredictor fitInPlace(double[] kxx, int n, double[] y, int o, double ridge) {
        if (kxx.length != (long) n * n) {
            throw new IllegalArgumentException("training kernel has " + kxx.length + " entries, expected n² = " + (long) n * n);
        }
        checkTargets(y, n, o);
        if (!(ridge >= 0) || Double.isInfinite(ridge)) {
            throw BadInputException.of(param("ridge"), " must be finite and >= 0, got " + ridge);
        }
        for (int i = 0; i < n; i++) {
            kxx[i * n + i] += ridge; // cli-contract.md: --ridge r adds r·I to K
        }
        SymmetricEigen eigen = Linalg.symmetricEigenInPlace(kxx, n);
        double[] proj = Linalg.multiply(false, false, n, o, n, eigen.vectors(), y); // VᵀY
        return new KernelPredictor(n, o, ridge, eigen, proj);
    }

    static void checkTargets(double[] y, int n, int o) {
        if (y.length != (long) n * o) {
            throw new BadInputException("Y has " + y.length + " entries, expected n·o = " + n + "·" + o);
        }
        for (int i = 0; i < y.length; i++) {
            if (!Double.isFinite(y[i])) {
                throw new BadInputException("Y contains " + y[i] + " at row " + i / o + ", column " + i % o);
            }
        }
    }

    /**
     * Test points T given K(T, X) as an (m, n) array: precomputes K(T, X)·V once for all times (means only).
     *
     * @param kTx the test-train kernel, (m, n)
     * @return the prediction at any training time
     */
    public Prediction on(ntk.NdArray kTx) {
        return on(kTx, null);
    }

    /**
     * As {@link #on(ntk.NdArray)}, with the NNGP prior Σ for covariances (Lee et al. 2019 eq. 16).
     *
     * @param kTx the test-train kernel, (m, n)
     * @param prior the prior covariance blocks, or null for means only
     * @return the prediction at any training time
     */
    public Prediction on(ntk.NdArray kTx, PriorCovariance prior) {
        if (kTx.rank() != 2 || kTx.dim(1) != n) {
            throw BadInputException.of("kTx must be (m, n) with n = " + n + " training points, got "
                    + kTx.shapeString());
        }
        return on(kTx.data(), kTx.dim(0), prior);
    }

    /** Test points T given K(T,X) (row-major m×n): precomputes K(T,X)·V once for all times (means only). */
    public Prediction on(double[] kTx, int m) {
        return on(kTx, m, null);
    }

    /** As {@link #on(double[], int)}, with the NNGP prior Σ for covariances (Lee et al. 2019 eq. 16). */
    public Prediction on(double[] kTx, int m, PriorCovariance prior) {
        checkLength(kTx, (long) m * n, "K(T,X)");
        double[] kTv = Linalg.multiply(false, true, m, n, n, kTx, eigen.vectors()); // K(T,X)·V
        double[] sTv = null;
        if (prior != null) {
            checkLength(prior.testTest(), (long) m * m, "Σ(T,T)");
            if (prior.isFittedKernel()) {
                sTv = kTv;
            } else {
                checkLength(prior.testTrain(), (long) m * n, "Σ(T,X)");
                checkLength(prior.trainTrain(), (long) n * n, "Σ(X,X)");
                sTv = Linalg.multiply(false, true, m, n, n, prior.testTrain(), eigen.vectors()); // Σ(T,X)·V
            }
        }
        return new Prediction(this, m, kTv, prior, sTv);
    }

    static void checkLength(double[] a, long want, String what) {
        if (a == null || a.length != want) {
            throw new IllegalArgumentException(what + " has " + (a == null ? "no" : a.length) + " entries, expected " + want);
        }
    }

    /**
     * Refuses t = ∞ (which needs K⁻¹) for a kernel singular to working precision, rather than jitter it:
     * the smallest eigenvalue must exceed {@link #singularTolerance()}.
     */
    void requireInvertible(TrainingTime time) {
        if (time.isInfinite() && !isInvertible()) {
            throw BadInputException.of(String.format(
                    "t = inf needs K^-1, but the training kernel is singular to working precision: smallest eigenvalue %.3e"
                            + " <= %.3e (n * machine eps * largest %.3e); train for a finite time or add a ridge (",
                    eigen.smallest(), singularTolerance(), eigen.largest()), param("ridge"),
                    String.format(" r, e.g. %.1e)", Math.max(1e-10, 1e-8 * Math.abs(eigen.largest()))));
        }
    }

    /** K + rI is invertible to working precision. */
    public boolean isInvertible() {
        return eigen.smallest() > singularTolerance();
    }

    /** Eigenvalues at or below n·ε·|λ_max| are indistinguishable from 0 (dsyevd's backward error is ~ε‖K‖₂·p(n)). */
    public double singularTolerance() {
        return singularTolerance(eigen);
    }

    static double singularTolerance(SymmetricEigen e) {
        if (e.n() == 0) {
            return 0;
        }
        return e.n() * Math.ulp(1.0) * Math.max(Math.abs(e.largest()), Math.abs(e.smallest()));
    }

    /** The spectral factors (1 − R(λᵢ))/λᵢ, i.e. K⁻¹(I − R(K)) = V diag(these) Vᵀ. */
    double[] solveFactors(TrainingTime time) {
        requireInvertible(time);
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = time.solveFactor(eigen.values()[i], n);
        }
        return g;
    }

    /**
     * The mean on the training points themselves (m×o with T = X) without a test kernel:
     * K(X,X)·V diag(g)·VᵀY with K(X,X) = V(Λ − rI)Vᵀ — (I − R(K))·Y when there is no ridge.
     */
    public double[] trainingMean(TrainingTime time) {
        double[] g = solveFactors(time);
        double[] scaled = new double[n * o];
        for (int i = 0; i < n; i++) {
            double f = (eigen.values()[i] - ridge) * g[i];
            for (int c = 0; c < o; c++) {
                scaled[i * o + c] = f * projections[i * o + c];
            }
        }
        return Linalg.multiply(true, false, n, o, n, eigen.vectors(), scaled); // V·(…)
    }

    /**
     * The number of training points n.
     * @return n
     */
    public int trainingPoints() {
        return n;
    }

    /**
     * The number of outputs o.
     * @return o
     */
    public int outputs() {
        return o;
    }

    /**
     * The ridge added to K.
     * @return r
     */
    public double ridge() {
        return ridge;
    }

    /** Eigendecomposition of K + rI (eigenvalues ascending). */
    public SymmetricEigen eigen() {
        return eigen;
    }

    /** VᵀY, row-major n×o: row i is Y's projection on the eigenvector of the i-th smallest eigenvalue. */
    public double[] projections() {
        return projections;
    }

    /** Kernel principal components of this fit (Jacot et al. §5). */
    public KernelPca pca() {
        return new KernelPca(this);
    }
}
