package ntk.kernels;

import ntk.KernelKind;

/**
 * Infinite-width kernels of one network on x1 × x2: row-major n1×n2 arrays (or length-n vectors
 * for a diagonal), NNGP Σ and NTK Θ per output; the full kernel is this times the identity on outputs.
 * {@code ntk} is null when only the NNGP was asked for.
 */
public record Kernels(int n1, int n2, double[] nngp, double[] ntk) {

    /** The kernel of this kind: nngp() or ntk(). */
    public double[] of(KernelKind kind) {
        return kind == KernelKind.NTK ? ntk : nngp;
    }

    public double nngp(int i, int j) {
        return nngp[i * n2 + j];
    }

    public double ntk(int i, int j) {
        return ntk[i * n2 + j];
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
        return new Kernels(r1 - r0, c1 - c0, block(nngp, r0, r1, c0, c1), ntk == null ? null : block(ntk, r0, r1, c0, c1));
    }

    private double[] block(double[] a, int r0, int r1, int c0, int c1) {
        double[] b = new double[(r1 - r0) * (c1 - c0)];
        for (int i = r0; i < r1; i++) {
            System.arraycopy(a, i * n2 + c0, b, (i - r0) * (c1 - c0), c1 - c0);
        }
        return b;
    }
}
