package ntk.protocol;

/**
 * Receives, during a backward pass for one output, each weighted layer's per-example parameter
 * gradients in structured form ({@link LayerGradient}: α ⊗ δ for a Dense, Σ_p δ(p) ⊗ patch(p) for a
 * Conv1D). The structured empirical NTK is built from these without forming the network's Jacobian.
 */
@FunctionalInterface
public interface GradientSink {
    /** key: the layer's parameter prefix ("3" or "3.1"); g: its gradients for the current output. */
    void accept(String key, LayerGradient g);
}
