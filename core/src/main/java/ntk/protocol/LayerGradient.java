package ntk.protocol;

/**
 * One weighted layer's per-example gradients ∂f_a(x_i)/∂θ for one output a, over the layer's raw
 * parameters θ, in whatever structured form is cheapest for the layer. Two uses:
 * <ul>
 * <li>the structured empirical NTK adds each layer's contribution Σ_θ ∂f_a(x_i)/∂θ ∂f_b(x'_j)/∂θ
 * ({@link #addGram}), sharing the output-independent part of the work between all pairs of outputs
 * ({@link #share});</li>
 * <li>the reference contraction path reads Jacobian columns ({@link #jacobian}).</li>
 * </ul>
 */
public interface LayerGradient {

    /** Number of examples n. */
    int examples();

    /** Number of raw parameters of the layer (Jacobian columns). */
    long parameters();

    /**
     * The part of the pairing with {@code other} (the gradients of the same layer on the second inputs) that
     * no output depends on, e.g. α(x1)·α(x2)ᵀ for a Dense layer; computed once per layer and handed to
     * every {@link #addGram} of that layer. May be null.
     */
    default Object share(LayerGradient other) {
        return null;
    }

    /** out (n1×n2, row-major) += weight · Σ_θ ∂f_a(x1_i)/∂θ · ∂f_b(x2_j)/∂θ with a = this, b = other. */
    void addGram(LayerGradient other, Object shared, double weight, double[] out);

    /**
     * Jacobian columns [c0, c0 + cols) of the layer's parameters in its own fixed order, for every example i:
     * written to out[(i·o + a)·cols + c] (row (example, output) of the network's Jacobian).
     */
    void jacobian(long c0, int cols, double[] out, int o, int a);
}
