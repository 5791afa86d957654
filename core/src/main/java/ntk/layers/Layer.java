package ntk.layers;

import ntk.finite.FiniteOp;
import ntk.kernels.Binding;
import ntk.kernels.KernelMap;

/**
 * One layer kind = one class holding both of its lives (design.md): the shape rule and, bound to
 * its input width, the infinite-width map (NNGP Σ → Σ', NTK Θ → Θ') and the finite-width op
 * (raw parameters, forward, backward, JVP).
 */
public interface Layer {

    /** The layer as written in an --arch spec; parsing it gives an equal layer. */
    String spec();

    /** Output width for an input of the given width; refuses a width the layer cannot take. */
    int outputWidth(int inputWidth);

    /** The layer's kernel map for the given input width (the fan-in, where the layer has weights). */
    KernelMap kernelMap(Binding binding, int inputWidth);

    /**
     * The layer's finite-width life for the given input width: parameters under {@code key}
     * (its spec position, dotted inside a Residual: "3" or "3.1"), forward, backward and JVP.
     */
    FiniteOp finiteOp(Binding binding, String key, int inputWidth);

    /** How many residual blocks nest inside this layer (0 for a plain layer). */
    default int nesting() {
        return 0;
    }
}
