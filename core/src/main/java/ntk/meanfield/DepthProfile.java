package ntk.meanfield;

/**
 * The NTK of one family of networks as a function of depth L = 1..maxDepth on n inputs (Hayou et al.,
 * "Mean-field behaviour of the NTK", Fig. 1 and Lemma 1 as data). Per depth (index L − 1): the raw
 * NNGP and NTK (n×n row-major), the normalised NTK K^L/α_L, its distance to the limit (max over the
 * entries whose limit is known), and the smallest eigenvalue of the normalised NTK on the inputs.
 *
 * @param normalisation "none" (α_L = 1), "depth" (α_L = L, the average NTK) or "diagonal"
 *        (K^L(x, x')/√(K^L(x, x) K^L(x', x')), the NTK's correlation)
 * @param limit the limit of the normalised NTK (n×n; NaN where mean-field theory gives none here)
 * @param meanField the mean-field analysis of (σ_w, σ_b) for the first input (dense nets), or null
 */
public record DepthProfile(ArchKind kind, String activation, double sigmaW, double sigmaB, int n,
        String normalisation, double[][] nngp, double[][] ntk, double[][] normalised, double[] limit,
        double[] distance, double[] lambdaMin, MeanField meanField, RateFit exponential, RateFit polynomial,
        RateFit logarithmic, RateFit logPolynomial) {

    /**
     * The deepest depth computed.
     * @return L_max
     */
    public int maxDepth() {
        return ntk.length;
    }

    /** The depths 1..maxDepth. */
    public int[] depths() {
        int[] d = new int[ntk.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = i + 1;
        }
        return d;
    }

    /** The four fits: exponential, polynomial, log-polynomial, logarithmic. */
    public RateFit[] fits() {
        return new RateFit[] {exponential, polynomial, logPolynomial, logarithmic};
    }

    /** The model whose line fits the log-distances best (smallest residual sum of squares; NaN fits lose). */
    public RateFit better() {
        RateFit best = exponential;
        for (RateFit f : new RateFit[] {polynomial, logPolynomial, logarithmic}) {
            if (Double.isNaN(best.rss()) || f.rss() < best.rss()) {
                best = f;
            }
        }
        return best;
    }
}
