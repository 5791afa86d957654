package ntk.kernels;

import java.util.Arrays;

/**
 * A run of kernel entries propagated through the whole network at once, so the N² entries are
 * read and written once instead of once per layer (the fused loop that makes deep kernels fast).
 *
 * <p>Two geometries: {@link Mode#DIAG} holds the pairs (x_i, x_i) for i in [start, start+n) of one
 * side (1 = x1, 2 = x2) and records, for every activation, the variance of its inputs; {@link Mode#ROW}
 * holds the pairs (x1_row, x2_j) for j in [start, start+n) and reads those recorded variances.
 */
public final class Tile {
    public enum Mode { DIAG, ROW }

    public final int capacity;
    /** Number of live entries. */
    public int n;
    /** NNGP Σ and NTK Θ of the current layer's output, one entry per pair. */
    public final double[] sig;
    public final double[] ntk;
    /** Scratch for activations: variances of the two inputs of each pair, and E[φ'φ']. */
    public final double[] q1;
    public final double[] q2;
    public final double[] dphi;
    /** Whether Θ is wanted; when false layers skip all NTK work. */
    public final boolean computeNtk;

    public Mode mode;
    public int side;
    public int row;
    public int start;
    /** Recorded input variances of each activation slot, per example: diag1[slot][i] for x1, diag2 for x2. */
    public final double[][] diag1;
    public final double[][] diag2;

    private final double[][] stack;
    private int depth;

    public Tile(int capacity, boolean computeNtk, double[][] diag1, double[][] diag2, int maxNesting) {
        this.capacity = capacity;
        this.computeNtk = computeNtk;
        this.sig = new double[capacity];
        this.ntk = new double[capacity];
        this.q1 = new double[capacity];
        this.q2 = new double[capacity];
        this.dphi = new double[capacity];
        this.diag1 = diag1;
        this.diag2 = diag2;
        this.stack = new double[2 * maxNesting][capacity];
    }

    /** Saves Σ and Θ (for a residual branch); returns the stack level to pass to {@link #saved}. */
    public int push() {
        int level = depth;
        System.arraycopy(sig, 0, stack[2 * level], 0, n);
        if (computeNtk) {
            System.arraycopy(ntk, 0, stack[2 * level + 1], 0, n);
        }
        depth++;
        return level;
    }

    /** The saved Σ (which = 0) or Θ (which = 1) of a level. */
    public double[] saved(int level, int which) {
        return stack[2 * level + which];
    }

    public void pop() {
        depth--;
    }

    /**
     * Fills {@link #q1} and {@link #q2} with the variances of the two inputs of every pair at
     * an activation slot; in DIAG mode first records them (the inputs' own Σ(x, x)).
     */
    public void loadVariances(int slot) {
        if (mode == Mode.DIAG) {
            double[] rec = (side == 1 ? diag1 : diag2)[slot];
            System.arraycopy(sig, 0, rec, start, n);
            System.arraycopy(sig, 0, q1, 0, n);
            System.arraycopy(sig, 0, q2, 0, n);
        } else {
            Arrays.fill(q1, 0, n, diag1[slot][row]);
            System.arraycopy(diag2[slot], start, q2, 0, n);
        }
    }
}
