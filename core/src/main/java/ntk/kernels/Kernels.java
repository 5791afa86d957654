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
}
