package ntk.finite;

/**
 * Receives, during a backward pass, each weighted layer's input α (n×in) and output cotangent δ (n×out)
 * with the scales of its weight and bias: ∂f/∂W_kj = wScale·δ_k·α_j and ∂f/∂b_k = bScale·δ_k per example.
 * The structured empirical NTK is built from these, never forming the Jacobian.
 */
@FunctionalInterface
public interface GradientSink {
    void accept(String key, int in, int out, double wScale, double bScale, double[] alpha, double[] delta);
}
