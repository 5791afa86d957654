package ntk.protocol;

import java.util.Arrays;

/**
 * A run of kernel entries propagated through the whole network at once, so the N² entries are
 * read and written once instead of once per layer (the fused loop that makes deep kernels fast).
 *
 * <p>Two geometries: {@link Mode#DIAG} holds the pairs (x_i, x_i) for i in [start, start+n) of one
 * side (1 = x1, 2 = x2) and records, for every activation, the variance of its inputs; {@link Mode#ROW}
 * holds the pairs (x1_row, x2_j) for j in [start, start+n) and reads those recorded variances.
 *
 * <p>A <em>spatial</em> tile ({@link #length} &gt; 0) holds instead the state of ONE pair of signals or images
 * (x1_row, x2_col) — (x_row, x_row) in DIAG mode — over position pairs, in offset planes: entry e = di·L + p is
 * Σ(p, p ⊕ δ) for the circular offset δ = {@link #offsetStart} + di, where for an image of {@link #width} W
 * (L = H·W, p = (ph, pw), δ = (δh, δw) = (δ / W, δ mod W)) p ⊕ δ = ((ph + δh) mod H, (pw + δw) mod W), and for a
 * signal (H = 1) p ⊕ δ = p + δ mod L. Every position pair is one entry of one plane. All L planes are tracked
 * ({@link #allOffsets}: a GlobalAvgPool readout needs every pair, an AvgPool2D mixes planes), or the δ = 0 plane
 * only (enough for a Flatten readout, since convolutions keep the offset p' − p). Convolutions and activations act
 * on each plane alone, so the engine may hand a tile a run of {@link #offsets} planes at a time (a chunk that
 * stays in cache). Activations read the variances Σ(x; p, p) and Σ(x'; p ⊕ δ, p ⊕ δ) per entry.
 */
public final class Tile {
    /** The tile's geometry (see the class comment). */
    public enum Mode {
        /** Pairs (x_i, x_i) of one side; activations record their inputs' variances. */
        DIAG,
        /** Pairs (x1_row, x2_j); activations read the recorded variances. */
        ROW
    }

    /** Entries the tile's arrays hold. */
    public final int capacity;
    /** Number of live entries. */
    public int n;
    /** NNGP Σ and NTK Θ of the current layer's output, one entry per pair. */
    public final double[] sig;
    /** NTK Θ of the current layer's output (unused when {@link #computeNtk} is false). */
    public final double[] ntk;
    /** Scratch for activations: variances of the two inputs of each pair, and E[φ'φ']. */
    public final double[] q1;
    /** Scratch: the variances of the second input of each pair. */
    public final double[] q2;
    /** Scratch: E[φ'(u)φ'(v)] of each pair. */
    public final double[] dphi;
    /** Scratch for layers that mix entries (a convolution's window sums): 2·length. */
    public final double[] work;
    /** Whether Θ is wanted; when false layers skip all NTK work. */
    public final boolean computeNtk;
    /** Positions L of a spatial tile (signal length, or H·W of an image); 0 for a tile of scalar pairs. */
    public int length;
    /** Positions per row W (the signal length for a signal, so H = 1). */
    public int width;
    /** Offset planes in this tile: entries [di·L, (di+1)·L) are plane {@link #offsetStart} + di. */
    public int offsets;
    /** The first offset plane this tile holds. */
    public int offsetStart;
    /** Whether the pass tracks all L planes (in this tile or across chunks), or the δ = 0 plane only. */
    public boolean allOffsets;

    /** The current geometry. */
    public Mode mode;
    /** DIAG mode: which inputs the pairs are of (1 = x1, 2 = x2). */
    public int side;
    /** ROW mode: the index of x1 (spatial DIAG tiles: the example). */
    public int row;
    /** The first index of the run of pairs (x2 in ROW mode, the side's examples in DIAG mode). */
    public int start;
    /** Spatial ROW tiles: the index of x2. */
    public int col;
    /**
     * Recorded input variances of each activation slot, per example: diag1[slot][i] for x1, diag2 for x2
     * (for a spatial slot a record of {@link #recordStride} values per example from diag1[slot][i·stride]: the
     * variances q(p) at p, then, when {@link #roots}, √q and 1/√q in doubled rows).
     */
    public final double[][] diag1;
    /** Recorded input variances of each activation slot for x2 (as {@link #diag1}). */
    public final double[][] diag2;

    private final double[][] stack;
    private int depth;

    /**
     * A tile of scalar pairs (flat inputs).
     *
     * @param capacity entries per run
     * @param computeNtk whether Θ is wanted
     * @param diag1 recorded variances of x1, per activation slot
     * @param diag2 recorded variances of x2, per activation slot
     * @param maxNesting the deepest residual nesting (levels of saved Σ and Θ)
     */
    public Tile(int capacity, boolean computeNtk, double[][] diag1, double[][] diag2, int maxNesting) {
        this(capacity, computeNtk, diag1, diag2, maxNesting, 0, 0);
    }

    /** A spatial tile for signals of the given length, tracking the given number of offsets (1 or length). */
    public Tile(int capacity, boolean computeNtk, double[][] diag1, double[][] diag2, int maxNesting, int length,
            int offsets) {
        this(capacity, computeNtk, diag1, diag2, maxNesting, length, length, offsets, offsets == length);
    }

    /**
     * A spatial tile for positions of the given length and row width (width = length for a signal), holding
     * offsets planes at a time, of all planes (allOffsets) or of the δ = 0 plane only.
     */
    public Tile(int capacity, boolean computeNtk, double[][] diag1, double[][] diag2, int maxNesting, int length,
            int width, int offsets, boolean allOffsets) {
        this.capacity = capacity;
        this.computeNtk = computeNtk;
        this.sig = new double[capacity];
        this.ntk = new double[capacity];
        this.q1 = new double[capacity];
        this.q2 = new double[capacity];
        this.dphi = new double[capacity];
        this.work = new double[2 * Math.max(1, length)];
        this.diag1 = diag1;
        this.diag2 = diag2;
        this.stack = new double[2 * maxNesting][capacity];
        this.length = length;
        this.width = length > 0 ? width : 0;
        this.offsets = offsets;
        this.allOffsets = allOffsets;
    }

    /** Rows of positions H = L / W (1 for a signal). */
    public int height() {
        return length / width;
    }

    /** Doubles a tile of this capacity allocates (for the memory plan). */
    public static long doubles(long capacity, int maxNesting) {
        return capacity * (5L + 2L * maxNesting) + capacity;
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

    /** Drops the last saved level (a residual block's end). */
    public void pop() {
        depth--;
    }

    /**
     * Fills {@link #q1} and {@link #q2} with the variances of the two inputs of every pair at
     * an activation slot; in DIAG mode first records them (the inputs' own Σ(x, x)).
     */
    public void loadVariances(int slot) {
        if (length > 0) {
            loadSpatialVariances(slot);
            return;
        }
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

    /**
     * Values a spatial slot records per example for L positions: the variances q(p) (L values); when the network
     * needs every offset plane (roots: the L² position pairs a pair of inputs then carries make an entry's square root
     * and division worth saving), then also √q and 1/√q (0 where q = 0), each in doubled rows (row ph of W positions
     * stored twice, from 2W·ph: the W positions (ph, pw ⊕ δw) for pw = 0.. W − 1 are then contiguous from
     * 2W·ph + δw), 2L values each. With the δ = 0 plane alone (a Flatten readout) the records stay L a slot, as
     * large N wants.
     */
    public static int recordStride(int length, boolean roots) {
        return roots ? 5 * length : length;
    }

    /**
     * Whether the spatial records hold the roots ({@link #recordStride}): when the network itself needs every offset
     * plane (a pooled readout, or a layer that mixes planes), not when a check tracks them all for a Flatten readout
     * (set by the engine from the bound network).
     */
    public boolean roots;

    /** Whether this tile's spatial records hold the roots. */
    public boolean recordsRoots() {
        return roots;
    }

    /**
     * In DIAG mode, in the chunk holding the δ = 0 plane, records the variances Σ(x; p, p) of this slot, and their
     * roots when {@link #recordsRoots} (the engine passes that chunk through every layer first). The record of x is
     * then {@link #record1}/{@link #recordOffset1}, that of x' {@link #record2}/{@link #recordOffset2}.
     */
    public void recordSpatial(int slot) {
        if (mode != Mode.DIAG || offsetStart != 0) {
            return;
        }
        final int len = length;
        final int w = width;
        double[] rec = record1(slot);
        int o = recordOffset1();
        System.arraycopy(sig, 0, rec, o, len);
        if (!recordsRoots()) {
            return;
        }
        for (int p = 0; p < len; p++) {
            double q = rec[o + p];
            double r = q > 0 ? Math.sqrt(q) : 0.0;
            double inv = q > 0 ? 1.0 / r : 0.0;
            int ph = p / w;
            int d = o + len + p + ph * w; // doubled row ph starts at 2W·ph
            rec[d] = r;
            rec[d + w] = r;
            rec[d + 2 * len] = inv;
            rec[d + 2 * len + w] = inv;
        }
    }

    /** The record array of x (the row example) at a spatial slot. */
    public double[] record1(int slot) {
        return (mode == Mode.DIAG && side == 2 ? diag2 : diag1)[slot];
    }

    /** Where x's record starts in {@link #record1}. */
    public int recordOffset1() {
        return row * recordStride(length, recordsRoots());
    }

    /** The record array of x' (the column example; x itself in DIAG mode) at a spatial slot. */
    public double[] record2(int slot) {
        return mode == Mode.DIAG ? record1(slot) : diag2[slot];
    }

    /** Where x''s record starts in {@link #record2}. */
    public int recordOffset2() {
        return (mode == Mode.DIAG ? row : col) * recordStride(length, recordsRoots());
    }

    /**
     * Entry (δ, p): q1 = Σ(x; p, p), q2 = Σ(x'; p ⊕ δ, p ⊕ δ); the δ = 0 plane of a DIAG tile holds both (and is
     * recorded when this tile holds it: the engine passes the chunk with plane 0 through every layer first).
     */
    private void loadSpatialVariances(int slot) {
        final int len = length;
        final int w = width;
        final int h = len / w;
        recordSpatial(slot); // DIAG, δ = 0 plane: Σ(x; p, p)
        double[] v1 = record1(slot);
        int o1 = recordOffset1();
        double[] v2 = record2(slot);
        int o2 = recordOffset2();
        for (int di = 0; di < offsets; di++) {
            int base = di * len;
            int d = offsetStart + di;
            int dh = d / w;
            int dw = d - dh * w;
            System.arraycopy(v1, o1, q1, base, len);
            for (int ph = 0; ph < h; ph++) {
                int src = o2 + (ph + dh < h ? ph + dh : ph + dh - h) * w;
                int dst = base + ph * w;
                // q2[ph, pw] = v2[(ph + δh) mod H, (pw + δw) mod W]: two copies around the wrap
                System.arraycopy(v2, src + dw, q2, dst, w - dw);
                System.arraycopy(v2, src, q2, dst + w - dw, dw);
            }
        }
    }
}
