package ntk.kernels;

import ntk.arch.Parameterization;

/**
 * What binding a network to its input needs to hand each layer (for its kernel map or its finite op): the parameterisation, the running
 * count of activation "slots" (each activation records the variances of its inputs for the pair pass),
 * and the running count of residual blocks (for the 1/sqrt(l) scaling of Hayou et al., Prop. 3).
 */
public final class Binding {
    public final Parameterization parameterization;
    private int slots;
    private int tapeSlots;
    private int residualBlocks;

    public Binding(Parameterization parameterization) {
        this.parameterization = parameterization;
    }

    /** A fresh slot for an activation's recorded input variances. */
    public int newSlot() {
        return slots++;
    }

    public int slots() {
        return slots;
    }

    /** A fresh slot on a finite network's {@link ntk.finite.Tape}. */
    public int newTapeSlot() {
        return tapeSlots++;
    }

    public int tapeSlots() {
        return tapeSlots;
    }

    /** The 1-based index of the next residual block in network order. */
    public int nextResidualIndex() {
        return ++residualBlocks;
    }
}
