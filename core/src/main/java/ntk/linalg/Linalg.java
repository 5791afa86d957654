package ntk.linalg;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.lapack.LAPACK;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one façade over BLAS/LAPACK (dev.ludovic.netlib: JNI to the system's OpenBLAS when installed,
 * else a pure-Java Vector-API fallback). All matrices here are row-major; the column-major calls
 * are arranged so that no transposed copy is ever made.
 */
public final class Linalg {
    private static final Logger NETLIB_LOG = Logger.getLogger("dev.ludovic.netlib");
    private static final BLAS BLAS_INSTANCE;

    /**
     * LAPACK, loaded on first use: its initialisation (the JNI library and netlib's Java fallback beside it, ~0.05 s of
     * CPU in a fresh JVM) is not paid by the commands that need BLAS only (a kernel's Gram matrix).
     */
    private static final class Lapack {
        static final LAPACK INSTANCE = LAPACK.getInstance();
    }

    static {
        // The library logs a multi-line warning when OpenBLAS is absent; we report the backend ourselves.
        NETLIB_LOG.setLevel(Level.SEVERE);
        for (String name : new String[] {"dev.ludovic.netlib.blas.InstanceBuilder",
            "dev.ludovic.netlib.lapack.InstanceBuilder"}) {
            Logger.getLogger(name).setLevel(Level.SEVERE);
        }
        BLAS_INSTANCE = BLAS.getInstance();
    }

    private Linalg() {
    }

    /**
     * The BLAS in use (native OpenBLAS when found, else the pure-Java fallback).
     * @return the BLAS
     */
    public static BLAS blas() {
        return BLAS_INSTANCE;
    }

    /**
     * The LAPACK in use.
     * @return the LAPACK
     */
    public static LAPACK lapack() {
        return Lapack.INSTANCE;
    }

    /** "native (OpenBLAS via JNI)" or "pure Java (no native BLAS found)". */
    public static String backend() {
        String name = BLAS_INSTANCE.getClass().getSimpleName();
        return name.startsWith("JNI") ? "native (system BLAS via JNI)" : "pure Java (" + name + "; install libopenblas0 for speed)";
    }

    /**
     * Whether the BLAS/LAPACK in use is native.
     * @return whether native
     */
    public static boolean isNative() {
        return BLAS_INSTANCE.getClass().getSimpleName().startsWith("JNI");
    }

    /**
     * Lower triangle (row-major, entries (i, j) with j ≤ i) of the Gram matrix G = X Xᵀ of the
     * n rows of the row-major n×d matrix x, into out (n×n). The strict upper triangle is left untouched.
     */
    public static void gramLower(double[] x, int n, int d, double[] out) {
        if (n == 0) {
            return;
        }
        // Row-major X is the column-major d×n matrix A; G = AᵀA, and col-major "U" is row-major lower.
        BLAS_INSTANCE.dsyrk("U", "T", n, d, 1.0, x, Math.max(1, d), 0.0, out, n);
    }

    /** out (row-major n1×n2) = X1 X2ᵀ for row-major X1 (n1×d) and X2 (n2×d). */
    public static void cross(double[] x1, int n1, double[] x2, int n2, int d, double[] out) {
        if (n1 == 0 || n2 == 0) {
            return;
        }
        // Row-major C (n1×n2) is col-major Cᵀ (n2×n1) = B_cmᵀ A_cm with A_cm = X1 (d×n1), B_cm = X2 (d×n2).
        BLAS_INSTANCE.dgemm("T", "N", n2, n1, d, 1.0, x2, Math.max(1, d), x1, Math.max(1, d), 0.0, out, n2);
    }

    /**
     * Row-major GEMM: C (m×n, leading dimension ldc) = alpha·op(A)·op(B) + beta·C, with op(A) m×k and op(B) k×n
     * given by transA/transB over row-major storage with leading dimensions lda/ldb and offsets.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff,
            int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        // Row-major C = op(A)op(B) is column-major Cᵀ = op(B)ᵀ op(A)ᵀ, and row-major storage of X is the
        // column-major storage of Xᵀ, so the same flags apply with A and B swapped.
        BLAS_INSTANCE.dgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha, b, bOff, Math.max(1, ldb), a, aOff,
                Math.max(1, lda), beta, c, cOff, Math.max(1, ldc));
    }

    /** Row-major C (m×n) = alpha·op(A)·op(B) + beta·C with tight leading dimensions. */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, double[] b,
            double beta, double[] c) {
        gemm(transA, transB, m, n, k, alpha, a, 0, transA ? m : k, b, 0, transB ? k : n, beta, c, 0, n);
    }

    /** Eigenvalues, ascending, of a symmetric n×n matrix (LAPACK dsyev; the input is not modified). */
    public static double[] symmetricEigenvalues(double[] m, int n) {
        double[] a = m.clone();
        double[] w = new double[n];
        org.netlib.util.intW info = new org.netlib.util.intW(0);
        double[] query = new double[1];
        Lapack.INSTANCE.dsyev("N", "U", n, a, Math.max(1, n), w, query, -1, info);
        double[] work = new double[Math.max(Math.max(1, 3 * n), (int) query[0])];
        Lapack.INSTANCE.dsyev("N", "U", n, a, Math.max(1, n), w, work, work.length, info);
        if (info.val != 0) {
            throw new IllegalStateException("dsyev did not converge: info=" + info.val);
        }
        return w;
    }

    /** Eigenvalues (ascending) and eigenvectors of the symmetric row-major n×n matrix a; a is left untouched. */
    public static SymmetricEigen symmetricEigen(double[] a, int n) {
        return symmetricEigenInPlace(a.clone(), n);
    }

    /**
     * As {@link #symmetricEigen} but overwrites a with the eigenvectors (saving one n×n copy).
     * LAPACK dsyevd (divide and conquer); its workspace is 1 + 6n + 2n² doubles while it runs.
     */
    public static SymmetricEigen symmetricEigenInPlace(double[] a, int n) {
        double[] w = new double[n];
        if (n == 0) {
            return new SymmetricEigen(0, w, a);
        }
        org.netlib.util.intW info = new org.netlib.util.intW(0);
        double[] wq = new double[1];
        int[] iq = new int[1];
        // A symmetric row-major matrix is its own column-major self; col-major eigenvectors Z come back as rows.
        Lapack.INSTANCE.dsyevd("V", "L", n, a, n, w, wq, -1, iq, -1, info);
        long lwork = Math.max((long) wq[0], 1L + 6L * n + 2L * n * n);
        if (lwork > Integer.MAX_VALUE - 8L) {
            throw new ntk.BadInputException(String.format(
                    "eigendecomposition of a %d x %d matrix needs a %d-element workspace, more than one Java array holds",
                    n, n, lwork));
        }
        double[] work = new double[(int) lwork];
        int[] iwork = new int[Math.max(iq[0], 3 + 5 * n)];
        Lapack.INSTANCE.dsyevd("V", "L", n, a, n, w, work, work.length, iwork, iwork.length, info);
        if (info.val != 0) {
            throw new ArithmeticException("dsyevd failed to converge (info = " + info.val + ")");
        }
        return new SymmetricEigen(n, w, a);
    }

    /**
     * Cholesky factor of the symmetric positive-definite row-major n×n matrix a, in place (LAPACK dpotrf);
     * returns false, leaving a partly overwritten, when a is not positive definite.
     * The factor is only meaningful to {@link #choleskySolve}.
     */
    public static boolean choleskyInPlace(double[] a, int n) {
        org.netlib.util.intW info = new org.netlib.util.intW(0);
        Lapack.INSTANCE.dpotrf("L", n, a, n, info);
        if (info.val < 0) {
            throw new IllegalArgumentException("dpotrf: bad argument " + (-info.val));
        }
        return info.val == 0;
    }

    /** Solves A X = B for the row-major n×nrhs matrix b (overwritten by X), given A's factor from {@link #choleskyInPlace}. */
    public static void choleskySolve(double[] factor, int n, double[] b, int nrhs) {
        double[] cm = new double[b.length]; // row-major n×nrhs → column-major for dpotrs
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < nrhs; j++) {
                cm[j * n + i] = b[i * nrhs + j];
            }
        }
        org.netlib.util.intW info = new org.netlib.util.intW(0);
        Lapack.INSTANCE.dpotrs("L", n, nrhs, factor, n, cm, Math.max(1, n), info);
        if (info.val != 0) {
            throw new IllegalArgumentException("dpotrs: bad argument " + (-info.val));
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < nrhs; j++) {
                b[i * nrhs + j] = cm[j * n + i];
            }
        }
    }

    /** Solves A X = B for B given column-major n×nrhs (overwritten by X), given A's factor from {@link #choleskyInPlace}. */
    public static void choleskySolveColumnMajor(double[] factor, int n, double[] b, int nrhs) {
        org.netlib.util.intW info = new org.netlib.util.intW(0);
        Lapack.INSTANCE.dpotrs("L", n, nrhs, factor, n, b, Math.max(1, n), info);
        if (info.val != 0) {
            throw new IllegalArgumentException("dpotrs: bad argument " + (-info.val));
        }
    }

    /**
     * LAPACK's estimate (dpocon) of the reciprocal 1-norm condition number of a symmetric positive-definite matrix from
     * its factor ({@link #choleskyInPlace}) and its 1-norm before factorisation.
     */
    public static double choleskyReciprocalCondition(double[] factor, int n, double norm1) {
        org.netlib.util.intW info = new org.netlib.util.intW(0);
        org.netlib.util.doubleW rcond = new org.netlib.util.doubleW(0);
        Lapack.INSTANCE.dpocon("L", n, factor, Math.max(1, n), norm1, rcond, new double[3 * Math.max(1, n)],
                new int[Math.max(1, n)], info);
        if (info.val != 0) {
            throw new IllegalArgumentException("dpocon: bad argument " + (-info.val));
        }
        return rcond.val;
    }

    /** Row-major C = op(A)·op(B) (new array), see {@link #gemm}. */
    public static double[] multiply(boolean transA, boolean transB, int m, int n, int k, double[] a, double[] b) {
        double[] c = new double[Math.multiplyExact(m, n)];
        gemm(transA, transB, m, n, k, 1.0, a, b, 0.0, c);
        return c;
    }
}
