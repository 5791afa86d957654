package ntk.meanfield;

/**
 * The raw infinite-width kernels of one family at chosen depths, from one pass of the engine through the deepest
 * network ({@link DepthAnalysis#sample}). Entry k holds depth {@code depths[k]}: the NNGP Σ and NTK Θ on the n inputs
 * (n×n row-major) divided by 2^{log2Scale[k]} (exact powers of two, applied inside the pass so that networks whose
 * kernels grow geometrically stay in the double range; 0 when no rescaling was needed).
 */
public record DepthSamples(ArchKind kind, String activation, double sigmaW, double sigmaB, int n, int[] depths,
        double[][] nngp, double[][] ntk, double[] log2Scale) {

    /** Θ at sample k, entry (i, j), divided by 2^{log2Scale[k]}. */
    public double ntk(int k, int i, int j) {
        return ntk[k][i * n + j];
    }

    /** The NTK's correlation Θ(x_i, x_j)/√(Θ(x_i, x_i)Θ(x_j, x_j)) at sample k (the rescaling cancels). */
    public double ntkCorrelation(int k, int i, int j) {
        return ntk[k][i * n + j] / Math.sqrt(ntk[k][i * n + i] * ntk[k][j * n + j]);
    }

    /** log Θ(x_i, x_j) at sample k (natural log, the rescaling undone). */
    public double logNtk(int k, int i, int j) {
        return Math.log(ntk[k][i * n + j]) + log2Scale[k] * Math.log(2);
    }
}
