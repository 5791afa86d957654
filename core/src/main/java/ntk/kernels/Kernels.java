package ntk.kernels;

import ntk.BadInputException;
import ntk.KernelKind;
import ntk.NdArray;

/**
 * Infinite-width kernels of one network on x1 × x2: row-major n1×n2 arrays (or length-n vectors
 * for a diagonal), NNGP Σ and NTK Θ per output; the full kernel is this times the identity on outputs.
 * {@code ntk} is null when only the NNGP was asked for ({@code nngp} is null for a finite network's empirical NTK,
 * {@link #ofNtk}).
 *
 * @param n1 rows (points of x1)
 * @param n2 columns (points of x2)
 * @param nngp the NNGP kernel Σ, row-major n1 × n2, or null
 * @param ntk the NTK Θ, row-major n1 × n2, or null when it was not computed
 */
public record Kernels(int n1, int n2, double[] nngp, double[] ntk) {

    /**
     * An NTK alone, e.g. a finite network's empirical NTK ({@code EmpiricalNtk.of(..., Outputs.TRACED)}), as kernels
     * a {@code KernelRegressor.precomputed(KernelKind.NTK)} fits on and predicts from.
     *
     * @param theta the kernel, (n1, n2)
     * @return kernels with this NTK and no NNGP (its array, not a copy)
     */
    public static Kernels ofNtk(NdArray theta) {
        if (theta.rank() != 2) {
            throw BadInputException.of("theta must be (n1, n2), got "
                    + theta.shapeString());
        }
        return new Kernels(theta.dim(0), theta.dim(1), null, theta.data());
    }

    /** The kernel of this kind: nngp() or ntk() (null when it was not computed). */
    public double[] of(KernelKind kind) {
        return kind == KernelKind.NTK ? ntk : nngp;
    }

    /**
     * The kernel of this kind as an (n1, n2) array (a view of {@link #of}, not a copy).
     *
     * @throws IllegalStateException if that kernel was not computed
     */
    public NdArray array(KernelKind kind) {
        return NdArray.matrix(n1, n2, require(kind));
    }

    /**
     * Σ(x1_i, x2_j).
     *
     * @throws IllegalStateException if the NNGP was not computed
     */
    public double nngp(int i, int j) {
        return require(KernelKind.NNGP)[i * n2 + j];
    }

    /**
     * Θ(x1_i, x2_j).
     *
     * @throws IllegalStateException if the NTK was not computed (ask the engine for {@code KernelKind.NTK})
     */
    public double ntk(int i, int j) {
        return require(KernelKind.NTK)[i * n2 + j];
    }

    /** Whether the kernel of this kind was computed. */
    public boolean has(KernelKind kind) {
        return of(kind) != null;
    }

    private double[] require(KernelKind kind) {
        double[] k = of(kind);
        if (k == null) {
            throw new IllegalStateException("the " + kind + " kernel was not computed" + (kind == KernelKind.NTK
                    ? ": ask KernelEngine.kernels for KernelKind.NTK (it computes the NNGP beside it)" : ""));
        }
        return k;
    }

    /**
     * The kernels of rows [r0, r1) of x1 against rows [c0, c1) of x2, copied: e.g. of one computation on
     * [training; test] points, {@code block(0, n, 0, n)} is train × train and {@code block(n, n + m, 0, n)} test × train.
     */
    public Kernels block(int r0, int r1, int c0, int c1) {
        if (r0 < 0 || r1 > n1 || r0 > r1 || c0 < 0 || c1 > n2 || c0 > c1) {
            throw new IllegalArgumentException("block [" + r0 + ", " + r1 + ") x [" + c0 + ", " + c1 + ") of a "
                    + n1 + " x " + n2 + " kernel");
        }
        return new Kernels(r1 - r0, c1 - c0, nngp == null ? null : block(nngp, r0, r1, c0, c1),
                ntk == null ? null : block(ntk, r0, r1, c0, c1));
    }

    private double[] block(double[] a, int r0, int r1, int c0, int c1) {
        double[] b = new double[(r1 - r0) * (c1 - c0)];
        for (int i = r0; i < r1; i++) {
            System.arraycopy(a, i * n2 + c0, b, (i - r0) * (c1 - c0), c1 - c0);
        }
        return b;
    }
}
