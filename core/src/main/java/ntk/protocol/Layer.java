package ntk.protocol;

import ntk.Shape;

/**
 * One layer kind = one class holding both of its lives: the shape rule and, bound to
 * its input shape, the infinite-width map (NNGP Σ → Σ', NTK Θ → Θ') and the finite-width op
 * (raw parameters, forward, backward, JVP). Shapes are flat vectors (dense layers) or 1-D signals
 * (length × channels, convolutional layers) or images (height × width × channels); see {@link Shape}.
 */
public interface Layer {

    /** The layer as written in an --arch spec; parsing it gives an equal layer. */
    String spec();

    /** Output shape for an input of the given shape; refuses a shape the layer cannot take, naming the layer. */
    Shape outputShape(Shape input);

    /**
     * The layer's kernel map for the given input shape (its channels are the fan-in, where the layer has
     * weights; a flat input's fan-in is its width).
     */
    KernelMap kernelMap(Binding binding, Shape input);

    /**
     * The layer's finite-width life for the given input shape: parameters under {@code key}
     * (its spec position, dotted inside a Residual: "3" or "3.1"), forward, backward and JVP.
     */
    FiniteOp finiteOp(Binding binding, String key, Shape input);

    /** How many residual blocks nest inside this layer (0 for a plain layer). */
    default int nesting() {
        return 0;
    }

    /**
     * For a readout (a layer from signals to flat vectors): whether it reads every circular offset p' − p of the
     * position pairs (GlobalAvgPool: all L²) or only the offset-0 pairs (Flatten: L per pair of inputs).
     */
    default boolean readsAllOffsets() {
        return false;
    }

    /**
     * Whether the layer's kernel map mixes the offset planes of a spatial tile (AvgPool2D): then the engine tracks
     * and passes all planes at once.
     */
    default boolean mixesOffsets() {
        return false;
    }

    /**
     * Whether the layer's output covariances between different positions are zero whatever its input (a locally
     * connected layer: independent filters per position): its Σ' and Θ' on every offset plane δ ≠ 0 are 0, so those
     * planes need not be computed by the layers before it.
     */
    default boolean zeroesOtherPositions() {
        return false;
    }

    /** Whether the layer is two-dimensional (Conv2D, AvgPool2D, or a block holding one): the network takes images. */
    default boolean twoDimensional() {
        return false;
    }

    /** Whether the layer is convolutional (Conv1D, a readout, or a block holding one): the network takes (n, L, C). */
    default boolean convolutional() {
        return false;
    }
}
