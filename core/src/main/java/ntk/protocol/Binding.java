package ntk.protocol;

import ntk.Parameterization;

/**
 * What binding a network to its input needs to hand each layer (for its kernel map or its finite op): the parameterisation, the running
 * count of activation "slots" (each activation records the variances of its inputs for the pair pass),
 * and the running count of residual blocks (for the 1/sqrt(l) scaling of Hayou et al., Prop. 3).
 */
public final class Binding {
    /** The parameterisation every layer of the network uses (NTK or standard). */
    public final Parameterization parameterization;
    private int slots;
    private int tapeSlots;
    private int residualBlocks;
    /**
     * Whether the current layer's input is Gaussian in the infinite-width limit (the output of a Dense, or a
     * residual sum of Gaussians). Activation maps are Gaussian expectations and are valid only then, as
     * neural-tangents also requires; raw inputs are not Gaussian.
     */
    public boolean gaussian;
    /**
     * Whether Θ is exactly zero at the current layer's input: no layer with weights (Dense, Conv1D, Conv2D) comes
     * before it, so every Θ entry is still the inputs' 0. Such layers clear it; a first convolution then skips the
     * window sums of Θ (Θ' = Σ' exactly).
     */
    public boolean ntkZero = true;
    /** The spec of the layer before the current one, for messages ("the input" at first). */
    public String previous = "the input";

    /**
     * A binding at the network's input: no slots or residual blocks taken yet, input not Gaussian.
     *
     * @param parameterization the network's parameterisation
     */
    public Binding(Parameterization parameterization) {
        this.parameterization = parameterization;
    }

    private final java.util.List<Integer> slotLengths = new java.util.ArrayList<>();

    private final java.util.List<Boolean> spatialSlots = new java.util.ArrayList<>();

    /**
     * A fresh slot for an activation's recorded input variances: one per example for a flat input
     * (length 0), one per example and position for a signal or image of the given length (and, when the tiles track
     * every offset plane, their roots: {@link Tile#recordStride}).
     */
    public int newSlot(int length) {
        slotLengths.add(Math.max(1, length));
        spatialSlots.add(length > 0);
        return slots++;
    }

    /** Positions of a slot's input per example: 1 for a flat input, or the signal length. */
    public int slotLength(int slot) {
        return slotLengths.get(slot);
    }

    /** Whether a slot's input is a signal or an image (its record per example is then {@link Tile#recordStride}). */
    public boolean spatialSlot(int slot) {
        return spatialSlots.get(slot);
    }

    /** @return the number of activation slots handed out so far */
    public int slots() {
        return slots;
    }

    /** A fresh slot on a finite network's {@link ntk.protocol.Tape}. */
    public int newTapeSlot() {
        return tapeSlots++;
    }

    /** @return the number of finite-network tape slots handed out so far */
    public int tapeSlots() {
        return tapeSlots;
    }

    /** The 1-based index of the next residual block in network order. */
    public int nextResidualIndex() {
        return ++residualBlocks;
    }
}
