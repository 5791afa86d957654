package ntk.kernels;

import static ntk.BadInputException.param;

import java.util.concurrent.atomic.AtomicInteger;
import ntk.BadInputException;
import ntk.arch.Network;
import ntk.linalg.Linalg;
import ntk.protocol.KernelMap;
import ntk.protocol.Tile;

/**
 * Computes the infinite-width NNGP and NTK of a network on batches. Plan: (1) the inputs' Gram
 * matrix by BLAS (syrk on the symmetric path, gemm otherwise) straight into the NNGP array;
 * (2) every diagonal pair (x, x) through the whole network, recording each activation's input
 * variances; (3) every off-diagonal pair through the whole network in row tiles, in parallel,
 * each entry read and written once (Σ⁽⁰⁾ = xᵀx'/d, Θ⁽⁰⁾ = 0); (4) mirror the lower triangle, chunk of rows by chunk
 * of rows as they become final (handed to a {@link RowSink} if one is set, e.g. to write them while the rest is computed).
 * Peak memory: the output arrays (1 or 2 of n1·n2 doubles) plus O(tile·threads + n·depth).
 */
public final class KernelEngine {
    /** Entries per tile: small enough that a tile's dozen arrays stay in L1/L2. */
    static final int TILE = 256;
    /** |ρ| ≥ sqrt(SNAP) ≈ 1 − 1.8e-15 at the input counts as exactly ±1 (within rounding of the Gram entry). */
    static final double SNAP = 1.0 - 16 * Math.ulp(1.0);

    private final int threads;
    private java.io.PrintStream log;
    private long mark;

    /** Prints the time of each phase (allocate, Gram, diagonal, pairs) to the stream; null for silence. */
    public KernelEngine verbose(java.io.PrintStream stream) {
        this.log = stream;
        return this;
    }

    /**
     * Told when rows {@code [r0, r1)} of the outputs (Σ, and Θ if computed; n1 × n2 row-major) hold their final
     * values, while the rest is still being computed: e.g. to write them to a file at once. Called from the worker
     * threads, possibly concurrently for disjoint rows and in any order, once for every row; an exception stops the
     * job and is rethrown by {@link #kernels}.
     */
    @FunctionalInterface
    public interface RowSink {
        /**
         * Rows {@code [r0, r1)} of {@code sig} (and {@code ntk}, null for an NNGP-only job) are final.
         * @param sig the NNGP array being filled
         * @param ntk the NTK array being filled, or null
         * @param r0 first final row
         * @param r1 one past the last final row
         */
        void rowsFinal(double[] sig, double[] ntk, int r0, int r1);
    }

    private RowSink sink;

    /** Hands finished rows to {@code rows} while the kernel is computed (see {@link RowSink}); null for none. */
    public KernelEngine onRowsFinal(RowSink rows) {
        this.sink = rows;
        return this;
    }

    private void rowsFinal(double[] sig, double[] ntk, int r0, int r1) {
        if (sink != null && r1 > r0) {
            sink.rowsFinal(sig, ntk, r0, r1);
        }
    }

    private void phase(String what) {
        if (log != null) {
            long t = System.nanoTime();
            log.printf("  %-10s %.3f s%n", what, (t - mark) * 1e-9);
            mark = t;
        }
    }

    /**
     * An engine on a given number of threads.
     * @param threads worker threads (at least 1)
     */
    public KernelEngine(int threads) {
        ntk.VectorSupport.require();
        this.threads = Math.max(1, threads);
    }

    /** An engine on every available core. */
    public KernelEngine() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** Bytes the outputs of a kernel job take (what {@link #kernels} allocates beyond its inputs). */
    public static long outputBytes(long n1, long n2, boolean wantNtk) {
        return (wantNtk ? 2L : 1L) * n1 * n2 * Double.BYTES;
    }

    /** Refuses a job whose outputs do not fit in one Java array or in the heap, with the estimate. */
    public static void checkFits(long n1, long n2, boolean wantNtk) {
        checkFits(n1, n2, wantNtk, 0L, null);
    }

    /**
     * Bytes a convolutional network's kernel job needs beyond its outputs: per worker thread a spatial tile of
     * offsets·L position pairs (L² with a GlobalAvgPool readout, L with Flatten) × (6 + 2·nesting) arrays, and the
     * recorded per-position variances of every activation slot for both inputs.
     */
    public static long spatialWorkspaceBytes(Network.Bound bound, long n1, long n2, int threads) {
        if (!bound.spatial()) {
            return 0;
        }
        long entries = tileEntries(bound);
        long tiles = (long) (threads + 1) * Tile.doubles(entries, bound.nesting());
        long recorded = 0;
        for (int len : bound.slotLengths()) {
            recorded += len * (n1 + n2);
        }
        return (tiles + recorded) * Double.BYTES;
    }

    /** Refuses a kernel job of a network on inputs of the given shape that does not fit (outputs + spatial workspace). */
    public void checkFits(Network net, ntk.Shape shape, long n1, long n2, boolean wantNtk) {
        Network.Bound bound = net.bind(shape, false);
        checkSpatial(bound);
        checkFits(n1, n2, wantNtk, spatialWorkspaceBytes(bound, n1, n2, threads),
                bound.spatial() ? chunkPlanes(bound) + "·L = " + tileEntries(bound) + " position pairs per thread" : null);
    }

    private static void checkSpatial(Network.Bound bound) {
        if (bound.spatial() && tileEntries(bound) > Integer.MAX_VALUE - 8L) {
            throw new BadInputException("inputs of shape " + bound.input() + " need " + tileEntries(bound)
                    + " position pairs per pair of inputs at once, more than one array holds; use Flatten (L pairs),"
                    + " GlobalAvgPool without AvgPool2D (planes in chunks) or smaller inputs");
        }
    }

    private static void checkFits(long n1, long n2, boolean wantNtk, long extra, String extraWhat) {
        long entries = n1 * n2;
        if (entries > Integer.MAX_VALUE - 8L) {
            throw BadInputException.of(String.format(
                    "kernel of %d x %d = %d entries exceeds the %d entries one array can hold; split the inputs,"
                            + " or compute it in blocks with ",
                    n1, n2, entries, Integer.MAX_VALUE - 8L), param("engine"), " spark");
        }
        long free = ntk.HeapBudget.free();
        long need = outputBytes(n1, n2, wantNtk) + extra;
        if (need > free) {
            throw BadInputException.of(String.format(
                    "kernel of %d x %d needs %.3f GB for its %s%s, but only %.3f GB of heap is free for large arrays"
                            + " (raise it with NTK_HEAP, e.g. NTK_HEAP=20g, or compute it in blocks with ",
                    n1, n2, need / 1e9, wantNtk ? "NNGP and NTK" : "NNGP",
                    extraWhat == null ? "" : String.format(" and %.2f GB of spatial state (%s)", extra / 1e9, extraWhat),
                    free / 1e9), param("engine"), " spark)");
        }
    }

    /**
     * Σ and (if wantNtk) Θ on x1 × x2 (row-major n1×d and n2×d); x2 == null means x2 = x1 and takes
     * the symmetric path (half the work).
     */
    public Kernels kernels(Network net, double[] x1, int n1, double[] x2, int n2, int d, boolean wantNtk) {
        boolean sym = x2 == null;
        if (sym) {
            n2 = n1;
        }
        checkFits(n1, n2, wantNtk);
        Network.Bound bound = net.bind(d);
        mark = System.nanoTime();
        double[][] out = allocateOutputs(Math.multiplyExact(n1, n2), wantNtk);
        double[] sig = out[0];
        double[] ntk = out[1];
        phase("allocate");
        double[] norms1 = new double[n1];
        double[] norms2;
        if (sym) {
            Linalg.gramLower(x1, n1, d, sig);
            squaredNorms(x1, n1, d, norms1); // the same sums as diagonal(), so its values are this diagonal
            norms2 = norms1;
        } else {
            Linalg.cross(x1, n1, x2, n2, d, sig);
            squaredNorms(x1, n1, d, norms1);
            norms2 = new double[n2];
            squaredNorms(x2, n2, d, norms2);
        }
        phase("gram");
        double[][] diag1 = new double[bound.slots()][n1];
        double[][] diag2 = sym ? diag1 : new double[bound.slots()][n2];
        double[] dSig1 = new double[n1];
        double[] dNtk1 = new double[n1];
        diagonalPass(bound, norms1, n1, d, 1, diag1, diag2, wantNtk, dSig1, dNtk1);
        if (!sym) {
            diagonalPass(bound, norms2, n2, d, 2, diag1, diag2, wantNtk, new double[n2], new double[n2]);
        }
        phase("diagonal");
        rowPass(bound, sig, ntk, n1, n2, d, sym, norms1, norms2, diag1, diag2, wantNtk, dSig1, dNtk1);
        phase("pairs"); // the symmetric mirror is done chunk by chunk within the pass
        return new Kernels(n1, n2, sig, ntk);
    }

    /**
     * The infinite-width kernels of net on x1 × x2: {@code KernelKind.NNGP} computes Σ alone, {@code KernelKind.NTK}
     * Θ and the Σ it is built from (both are returned). Inputs are (n, d) arrays, or (n, length, channels) for a
     * convolutional network; x2 == null computes x1 × x1 on the symmetric path (half the work). Refuses NaN/Inf and
     * mismatched shapes.
     *
     * @param net the network
     * @param x1 first inputs (n1, ...)
     * @param x2 second inputs (n2, ...) of the same example shape, or null for x1 × x1
     * @param kind the kernel wanted
     * @return Σ, and Θ for {@code KernelKind.NTK}, n1 × n2 row-major
     */
    public Kernels kernels(Network net, ntk.NdArray x1, ntk.NdArray x2, ntk.KernelKind kind) {
        return kernels(net, x1, x2, "x1", "x2", kind);
    }

    /**
     * As {@link #kernels(Network, ntk.NdArray, ntk.NdArray, ntk.KernelKind)}, with the names of the caller's
     * parameters for messages (e.g. "t" and "x" for a regressor's test and training inputs).
     *
     * @param net the network
     * @param x1 first inputs
     * @param x2 second inputs, or null for x1 × x1
     * @param name1 x1's name in messages
     * @param name2 x2's name in messages
     * @param kind the kernel wanted
     * @return Σ, and Θ for {@code KernelKind.NTK}
     */
    public Kernels kernels(Network net, ntk.NdArray x1, ntk.NdArray x2, String name1, String name2,
            ntk.KernelKind kind) {
        ntk.Shape shape = checkInputs(x1, name1);
        if (x2 != null && !checkInputs(x2, name2).equals(shape)) {
            // x1, x2 are flags of the kernel commands; a caller's own names (t, x) are not
            throw BadInputException.of(name2.matches("x[12]") ? param(name2) : name2, " has examples of shape "
                    + checkInputs(x2, name2) + " but ", name1.matches("x[12]") ? param(name1) : name1, " has " + shape);
        }
        return kernels(net, x1.data, x1.dim(0), x2 == null ? null : x2.data, x2 == null ? 0 : x2.dim(0), shape,
                kind == ntk.KernelKind.NTK);
    }

    /**
     * Σ and (if wantNtk) Θ on x1 × x2 for (n, d) arrays, or (n, length, channels) for a convolutional network;
     * x2 == null means x1 × x1 (symmetric path). Refuses NaN/Inf and mismatched shapes.
     *
     * @param net the network
     * @param x1 first inputs
     * @param x2 second inputs, or null for x1 × x1
     * @param wantNtk whether Θ is computed beside Σ
     * @return the kernels
     * @deprecated a positional boolean; use {@link #kernels(Network, ntk.NdArray, ntk.NdArray, ntk.KernelKind)}
     */
    @Deprecated(since = "0.1.0")
    public Kernels kernels(Network net, ntk.NdArray x1, ntk.NdArray x2, boolean wantNtk) {
        ntk.Shape shape = checkInputs(x1, "x1");
        if (x2 != null && !checkInputs(x2, "x2").equals(shape)) {
            throw BadInputException.of(param("x2"), " has examples of shape " + checkInputs(x2, "x2") + " but ",
                    param("x1"), " has " + shape);
        }
        return kernels(net, x1.data, x1.dim(0), x2 == null ? null : x2.data, x2 == null ? 0 : x2.dim(0), shape,
                wantNtk);
    }

    private static ntk.Shape checkInputs(ntk.NdArray x, String what) {
        if (x.rank() < 2 || x.rank() > 4) {
            throw new BadInputException(what + " must have shape (n, d), (n, length, channels) or (n, height, width,"
                    + " channels), got " + x.shapeString());
        }
        ntk.io.Npy.requireFinite(x, what);
        return ntk.Shape.ofExample(java.util.Arrays.copyOfRange(x.shape, 1, x.rank()));
    }

    /**
     * Σ and (if wantNtk) Θ on x1 × x2 for examples of the given shape (row-major n×size); x2 == null means
     * x2 = x1 (symmetric path). Flat shapes take the dense path below.
     */
    public Kernels kernels(Network net, double[] x1, int n1, double[] x2, int n2, ntk.Shape shape,
            boolean wantNtk) {
        if (!shape.spatial()) {
            net.outputShape(shape);
            return kernels(net, x1, n1, x2, n2, shape.channels(), wantNtk);
        }
        return spatialKernels(net, x1, n1, x2, n2, shape, wantNtk, false);
    }

    /** Σ(x, x) and Θ(x, x) for each example of the given shape. */
    public Kernels diagonal(Network net, double[] x, int n, ntk.Shape shape, boolean wantNtk) {
        if (!shape.spatial()) {
            net.outputShape(shape);
            return diagonal(net, x, n, shape.channels(), wantNtk);
        }
        Network.Bound bound = net.bind(shape, false);
        checkSpatial(bound);
        double[] norms = positionNorms(x, n, shape);
        double[][] diag = recorded(bound, n);
        double[] s = new double[n];
        double[] t = new double[n];
        spatialDiagonalPass(bound, x, norms, n, 1, diag, diag, wantNtk, s, t);
        return new Kernels(n, 1, s, wantNtk ? t : null);
    }

    // ---- convolutional networks: a spatial pre-stage per pair of inputs, then the dense tile pipeline ----

    /**
     * The spatial path: each pair of inputs carries its own state over position pairs (a spatial {@link Tile} of
     * offsets·L entries, in L1/L2) through the convolutional layers up to the readout, which hands one scalar Σ
     * (and Θ) to the pair's entry of an ordinary tile; that tile then runs through the dense layers as in the
     * flat path. Peak memory: the outputs plus, per thread, one spatial tile. allOffsets tracks all L offsets even
     * for a Flatten readout (a check that the offset-0 rule loses nothing).
     */
    Kernels spatialKernels(Network net, double[] x1, int n1, double[] x2, int n2, ntk.Shape shape,
            boolean wantNtk, boolean allOffsets) {
        boolean sym = x2 == null;
        if (sym) {
            n2 = n1;
        }
        Network.Bound bound = net.bind(shape, allOffsets);
        checkSpatial(bound);
        checkFits(n1, n2, wantNtk, spatialWorkspaceBytes(bound, n1, n2, threads),
                chunkPlanes(bound) + "·L = " + tileEntries(bound) + " position pairs per thread");
        mark = System.nanoTime();
        double[][] out = allocateOutputs(Math.multiplyExact(n1, n2), wantNtk);
        double[] sig = out[0];
        double[] ntk = out[1];
        double[] norms1 = positionNorms(x1, n1, shape);
        double[] norms2 = sym ? norms1 : positionNorms(x2, n2, shape);
        double[][] diag1 = recorded(bound, n1);
        double[][] diag2 = sym ? diag1 : recorded(bound, n2);
        double[] dSig1 = new double[n1];
        double[] dNtk1 = new double[n1];
        spatialDiagonalPass(bound, x1, norms1, n1, 1, diag1, diag2, wantNtk, dSig1, dNtk1);
        if (!sym) {
            spatialDiagonalPass(bound, x2, norms2, n2, 2, diag1, diag2, wantNtk, new double[n2], new double[n2]);
        }
        phase("diagonal");
        final double[] xb = sym ? x1 : x2;
        final int cols2 = n2;
        final AtomicInteger next = new AtomicInteger();
        runParallel(() -> {
            Tile t = new Tile(TILE, wantNtk, diag1, diag2, bound.nesting());
            t.mode = Tile.Mode.ROW;
            Tile st = spatialTile(bound, wantNtk, diag1, diag2);
            st.mode = Tile.Mode.ROW;
            double[] lay = pairLayout(shape);
            KernelMap[] spatial = bound.spatialPart();
            KernelMap[] dense = bound.densePart();
            int r;
            while ((r = next.getAndIncrement()) < n1) {
                int row = sym ? n1 - 1 - r : r; // longest symmetric rows first
                int cols = sym ? row : cols2;
                t.row = row;
                st.row = row;
                for (int start = 0; start < cols; start += TILE) {
                    int len = Math.min(TILE, cols - start);
                    t.start = start;
                    t.n = len;
                    for (int i = 0; i < len; i++) {
                        st.col = start + i;
                        spatialPair(bound, st, spatial, shape, x1, row, norms1, xb, start + i, norms2, lay);
                        t.sig[i] = st.sig[0];
                        t.ntk[i] = st.ntk[0];
                    }
                    for (KernelMap m : dense) {
                        m.apply(t);
                    }
                    int off = row * cols2 + start;
                    System.arraycopy(t.sig, 0, sig, off, len);
                    if (wantNtk) {
                        System.arraycopy(t.ntk, 0, ntk, off, len);
                    }
                }
            }
        });
        phase("pairs");
        if (sym) {
            for (int i = 0; i < n1; i++) {
                sig[i * n1 + i] = dSig1[i];
                if (wantNtk) {
                    ntk[i * n1 + i] = dNtk1[i];
                }
            }
            mirrorLower(sig, n1);
            if (wantNtk) {
                mirrorLower(ntk, n1);
            }
            phase("mirror");
        }
        rowsFinal(sig, wantNtk ? ntk : null, 0, n1);
        return new Kernels(n1, n2, sig, ntk);
    }

    /** Entries per chunk of offset planes that the spatial maps pass at once when the network allows chunks. */
    static final int CHUNK = 4096;

    /** Offset planes a spatial tile holds at once: all tracked ones, or a cache-sized run of them when chunked. */
    static int chunkPlanes(Network.Bound bound) {
        int len = bound.input().length();
        return bound.chunked() ? Math.max(1, Math.min(bound.offsets(), CHUNK / len)) : bound.offsets();
    }

    /** Entries of one spatial tile. */
    static long tileEntries(Network.Bound bound) {
        return (long) chunkPlanes(bound) * bound.input().length();
    }

    private static Tile spatialTile(Network.Bound bound, boolean wantNtk, double[][] diag1, double[][] diag2) {
        ntk.Shape in = bound.input();
        Tile t = new Tile((int) tileEntries(bound), wantNtk, diag1, diag2, bound.nesting(), in.length(), in.width(),
                chunkPlanes(bound), bound.offsets() == in.length());
        t.roots = bound.roots();
        return t;
    }

    /**
     * One pair of inputs through the spatial maps, chunk of offset planes by chunk (chunk 0, which holds the δ = 0
     * plane a DIAG tile records, first); leaves the readout's Σ and Θ, summed over the chunks, in st.sig[0] and
     * st.ntk[0]. A chunk without the δ = 0 plane starts, from zeros, after the last locally connected layer (which
     * zeroes those planes whatever its input; {@link Network.Bound#otherPlanesFrom}).
     */
    private static void spatialPair(Network.Bound bound, Tile st, KernelMap[] spatial, ntk.Shape shape, double[] xa,
            int a, double[] na, double[] xb, int b, double[] nb, double[] lay) {
        layPair(shape, xa, a, na, xb, b, nb, lay);
        int total = bound.offsets();
        int per = chunkPlanes(bound);
        double s = 0;
        double th = 0;
        for (int d0 = 0; d0 < total; d0 += per) {
            st.length = shape.length();
            st.width = shape.width();
            st.offsetStart = d0;
            st.offsets = Math.min(per, total - d0);
            int from = d0 > 0 ? bound.otherPlanesFrom() : 0;
            if (from > 0) { // planes δ ≠ 0 only, zeroed by a locally connected layer: start after it, from zeros
                st.n = st.offsets * st.length;
                java.util.Arrays.fill(st.sig, 0, st.n, 0.0);
                java.util.Arrays.fill(st.ntk, 0, st.n, 0.0);
            } else {
                initSpatial(st, shape, lay);
            }
            for (int i = from; i < spatial.length; i++) {
                spatial[i].apply(st);
            }
            s += st.sig[0];
            th += st.ntk[0];
        }
        st.sig[0] = s;
        st.ntk[0] = th;
    }

    private static double[][] recorded(Network.Bound bound, int n) {
        double[][] d = new double[bound.slots()][];
        for (int s = 0; s < d.length; s++) {
            d[s] = new double[Math.multiplyExact(n, bound.slotLengths()[s])];
        }
        return d;
    }

    /**
     * Norm of each position's channel vector, n×L: the square root of the sum of squares by the very loop of
     * {@link #initSpatial}'s products (for one channel exactly |x|).
     */
    private static double[] positionNorms(double[] x, int n, ntk.Shape shape) {
        int len = shape.length();
        int c = shape.channels();
        double[] out = new double[n * len];
        for (int e = 0; e < n * len; e++) {
            double s = 0;
            int off = e * c;
            for (int k = 0; k < c; k++) {
                double v = x[off + k];
                s = Math.fma(v, v, s);
            }
            out[e] = Math.sqrt(s);
        }
        return out;
    }

    /** Scratch for {@link #layPair}: (3·C + 3)·L doubles. */
    private static double[] pairLayout(ntk.Shape shape) {
        return new double[(3 * shape.channels() + 3) * shape.length()];
    }

    /**
     * Lays the pair (xa_a, xb_b) out for {@link #initSpatial}'s vector loops: xa channel by channel (C·L from 0), its
     * position norms (L), then xb channel by channel and its norms, each in doubled rows (row qh of W stored twice
     * from 2W·qh, so the W positions (qh, pw ⊕ δw) are contiguous from 2W·qh + δw; (C + 1)·2L).
     */
    private static void layPair(ntk.Shape shape, double[] xa, int a, double[] na, double[] xb, int b, double[] nb,
            double[] lay) {
        final int len = shape.length();
        final int w = shape.width();
        final int c = shape.channels();
        final int xbo = (c + 1) * len;
        for (int p = 0; p < len; p++) {
            int doubled = p + (p / w) * w;
            for (int k = 0; k < c; k++) {
                lay[k * len + p] = xa[(a * len + p) * c + k];
                double v = xb[(b * len + p) * c + k];
                lay[xbo + 2 * k * len + doubled] = v;
                lay[xbo + 2 * k * len + doubled + w] = v;
            }
            lay[c * len + p] = na[a * len + p];
            lay[xbo + 2 * c * len + doubled] = nb[b * len + p];
            lay[xbo + 2 * c * len + doubled + w] = nb[b * len + p];
        }
    }

    private static final jdk.incubator.vector.VectorSpecies<Double> S = jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED;

    /**
     * The input state of the pair laid out by {@link #layPair}: Σ⁰(p, p ⊕ δ) = xa(p)·xb(p ⊕ δ)/C₀ (the per-channel
     * covariance, Novak et al. 2019, §2.2), Θ⁰ = 0; products within rounding of ±|xa(p)||xb(p ⊕ δ)| snap to it, as
     * in the flat path (for one channel the product is that already).
     */
    private static void initSpatial(Tile st, ntk.Shape shape, double[] lay) {
        final int len = shape.length();
        final int w = shape.width();
        final int h = shape.rows();
        for (int di = 0; di < st.offsets; di++) {
            int d = st.offsetStart + di;
            int dh = d / w;
            int dw = d - dh * w;
            for (int ph = 0; ph < h; ph++) {
                int qh = ph + dh < h ? ph + dh : ph + dh - h;
                initRow(st.sig, di * len + ph * w, lay, ph * w, 2 * w * qh + dw, len, w, shape.channels());
            }
        }
        st.n = st.offsets * len;
        java.util.Arrays.fill(st.ntk, 0, st.n, 0.0);
    }

    /** One row of {@link #initSpatial}: W positions from xa's offset pa and xb's doubled-row offset pb. */
    private static void initRow(double[] sig, int e, double[] lay, int pa, int pb, int len, int w, int c) {
        final double inv = 1.0 / c;
        final int xbo = (c + 1) * len;
        final int nbo = xbo + 2 * c * len;
        int i = 0;
        int bound = S.loopBound(w);
        for (; i < bound; i += S.length()) {
            var g = jdk.incubator.vector.DoubleVector.fromArray(S, lay, pa + i)
                    .mul(jdk.incubator.vector.DoubleVector.fromArray(S, lay, xbo + pb + i));
            for (int k = 1; k < c; k++) {
                g = jdk.incubator.vector.DoubleVector.fromArray(S, lay, k * len + pa + i)
                        .fma(jdk.incubator.vector.DoubleVector.fromArray(S, lay, xbo + 2 * k * len + pb + i), g);
            }
            var nn = jdk.incubator.vector.DoubleVector.fromArray(S, lay, c * len + pa + i)
                    .mul(jdk.incubator.vector.DoubleVector.fromArray(S, lay, nbo + pb + i));
            var snap = g.mul(g).compare(jdk.incubator.vector.VectorOperators.GE, nn.mul(nn).mul(SNAP));
            g = g.blend(nn.blend(nn.neg(), g.compare(jdk.incubator.vector.VectorOperators.LT, 0.0)), snap);
            g.mul(inv).intoArray(sig, e + i);
        }
        for (; i < w; i++) {
            double g = lay[pa + i] * lay[xbo + pb + i];
            for (int k = 1; k < c; k++) {
                g = Math.fma(lay[k * len + pa + i], lay[xbo + 2 * k * len + pb + i], g);
            }
            double nn = lay[c * len + pa + i] * lay[nbo + pb + i];
            if (g * g >= nn * nn * SNAP) {
                g = g < 0 ? -nn : nn;
            }
            sig[e + i] = g * inv;
        }
    }

    private static void spatialDiagonalPass(Network.Bound bound, double[] x, double[] norms, int n, int side,
            double[][] diag1, double[][] diag2, boolean wantNtk, double[] outSig, double[] outNtk) {
        Tile t = new Tile(TILE, wantNtk, diag1, diag2, bound.nesting());
        t.mode = Tile.Mode.DIAG;
        t.side = side;
        Tile st = spatialTile(bound, wantNtk, diag1, diag2);
        st.mode = Tile.Mode.DIAG;
        st.side = side;
        double[] lay = pairLayout(bound.input());
        KernelMap[] spatial = bound.spatialPart();
        KernelMap[] dense = bound.densePart();
        for (int start = 0; start < n; start += TILE) {
            int len = Math.min(TILE, n - start);
            t.start = start;
            t.n = len;
            for (int i = 0; i < len; i++) {
                st.row = start + i;
                spatialPair(bound, st, spatial, bound.input(), x, start + i, norms, x, start + i, norms, lay);
                t.sig[i] = st.sig[0];
                t.ntk[i] = st.ntk[0];
            }
            for (KernelMap m : dense) {
                m.apply(t);
            }
            System.arraycopy(t.sig, 0, outSig, start, len);
            System.arraycopy(t.ntk, 0, outNtk, start, len);
        }
    }

    /** Σ(x, x) and Θ(x, x) for each row of x: the diagonal-only mode, O(n·d + n·depth). */
    public Kernels diagonal(Network net, double[] x, int n, int d, boolean wantNtk) {
        Network.Bound bound = net.bind(d);
        double[] norms = new double[n];
        squaredNorms(x, n, d, norms);
        double[][] diag = new double[bound.slots()][n];
        double[] s = new double[n];
        double[] t = wantNtk ? new double[n] : null;
        diagonalPass(bound, norms, n, d, 1, diag, diag, wantNtk, s, t == null ? new double[n] : t);
        return new Kernels(n, 1, s, t);
    }

    private static void squaredNorms(double[] x, int n, int d, double[] out) {
        for (int i = 0; i < n; i++) {
            double s = 0;
            int off = i * d;
            for (int k = 0; k < d; k++) {
                double v = x[off + k];
                s = Math.fma(v, v, s);
            }
            out[i] = s;
        }
    }

    /**
     * The NNGP and (if wantNtk) NTK output arrays. The JVM zeroes a new array in the allocating thread, touching
     * every page for the first time (~0.2 s per GB); with two or more threads the two arrays are made at once,
     * one per thread, so the whole-process cost halves (issue 11). The contents are the same zeros either way.
     */
    private double[][] allocateOutputs(int len, boolean wantNtk) {
        double[][] out = new double[2][];
        if (!wantNtk || threads == 1) {
            out[0] = new double[len];
            out[1] = wantNtk ? new double[len] : null;
            return out;
        }
        AtomicInteger next = new AtomicInteger();
        runParallel(() -> {
            int k = next.getAndIncrement();
            if (k < 2) {
                out[k] = new double[len];
            }
        });
        return out;
    }

    /**
     * Every example (x, x) through the whole network, recording each activation's input variances: tiles of rows are
     * independent (each row's state depends on that row alone), so they are shared among the threads, at most
     * ⌈n/threads⌉ rows a tile. For smooth activations this pass builds the per-variance coefficient tables, one per
     * example and layer, which is most of its time; the values do not depend on how the rows are split.
     */
    private void diagonalPass(Network.Bound bound, double[] norms, int n, int d, int side,
            double[][] diag1, double[][] diag2, boolean wantNtk, double[] outSig, double[] outNtk) {
        final int tile = Math.max(1, Math.min(TILE, (n + threads - 1) / threads));
        final int tiles = (n + tile - 1) / tile;
        final double inv = 1.0 / d;
        final AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            Tile t = new Tile(tile, wantNtk, diag1, diag2, bound.nesting());
            t.mode = Tile.Mode.DIAG;
            t.side = side;
            KernelMap[] maps = bound.maps();
            int k;
            while ((k = next.getAndIncrement()) < tiles) {
                int start = k * tile;
                int len = Math.min(tile, n - start);
                t.start = start;
                t.n = len;
                for (int i = 0; i < len; i++) {
                    t.sig[i] = norms[start + i] * inv;
                    t.ntk[i] = 0.0;
                }
                for (KernelMap m : maps) {
                    m.apply(t);
                }
                System.arraycopy(t.sig, 0, outSig, start, len);
                System.arraycopy(t.ntk, 0, outNtk, start, len);
            }
        };
        if (tiles == 1) {
            worker.run();
        } else {
            runParallel(worker);
        }
    }

    /**
     * Every off-diagonal pair, in chunks of rows shared among the threads. Symmetric: the strict lower triangle,
     * longest (last) rows first; a chunk's rows are final once every chunk below it is done (their columns are its
     * upper part): the chunks are then finished in that order ({@link SymmetricFinisher}: diagonal, mirror, sink)
     * by whichever worker gets there, while the others compute on. Otherwise each chunk is final when done.
     */
    private void rowPass(Network.Bound bound, double[] sig, double[] ntk, int n1, int n2, int d, boolean sym,
            double[] norms1, double[] norms2, double[][] diag1, double[][] diag2, boolean wantNtk,
            double[] dSig1, double[] dNtk1) {
        final int rowsPerChunk = Math.max(1, Math.min(64, (int) (65536L / Math.max(1, n2))));
        final int chunks = (n1 + rowsPerChunk - 1) / rowsPerChunk;
        final AtomicInteger next = new AtomicInteger();
        final double inv = 1.0 / d;
        final double[] ntkOut = wantNtk ? ntk : null;
        final SymmetricFinisher fin = sym
                ? new SymmetricFinisher(sig, ntkOut, n1, rowsPerChunk, chunks, dSig1, dNtk1) : null;
        Runnable worker = () -> {
            Tile t = new Tile(TILE, wantNtk, diag1, diag2, bound.nesting());
            t.mode = Tile.Mode.ROW;
            KernelMap[] maps = bound.maps();
            int c;
            // Symmetric rows grow with i: hand out the longest (last) chunks first for balance.
            try {
                while ((c = next.getAndIncrement()) < chunks) {
                    int chunk = sym ? chunks - 1 - c : c;
                    int r0 = chunk * rowsPerChunk;
                    int r1 = Math.min(n1, r0 + rowsPerChunk);
                    for (int row = r0; row < r1; row++) {
                        int cols = sym ? row : n2; // symmetric: strictly below the diagonal
                        t.row = row;
                        double rowNorm = norms1[row];
                        long base = (long) row * n2;
                        for (int start = 0; start < cols; start += TILE) {
                            int len = Math.min(TILE, cols - start);
                            t.start = start;
                            t.n = len;
                            int off = (int) (base + start);
                            for (int i = 0; i < len; i++) {
                                // Inputs parallel to rounding (duplicates above all) get correlation exactly ±1:
                                // the NTK depends on ρ like sqrt(1 - ρ) there, so rounding in the Gram entry
                                // would otherwise cost ~1e-8. sqrt(n·n) == n exactly, so a duplicate pair then
                                // follows the very arithmetic of the diagonal.
                                double g = sig[off + i];
                                double nn = rowNorm * norms2[start + i];
                                if (g * g >= SNAP * nn) {
                                    g = Math.copySign(Math.sqrt(nn), g);
                                }
                                t.sig[i] = g * inv;
                            }
                            if (wantNtk) {
                                java.util.Arrays.fill(t.ntk, 0, len, 0.0);
                            }
                            for (KernelMap m : maps) {
                                m.apply(t);
                            }
                            System.arraycopy(t.sig, 0, sig, off, len);
                            if (wantNtk) {
                                System.arraycopy(t.ntk, 0, ntk, off, len);
                            }
                        }
                    }
                    if (sym) {
                        fin.done(c);
                    } else {
                        rowsFinal(sig, ntkOut, r0, r1);
                    }
                }
            } catch (RuntimeException | Error e) {
                next.set(chunks); // hand out no more work: the job fails
                throw e;
            }
        };
        runParallel(worker);
        if (sym) {
            fin.drain(); // normally already done by the worker that completed the last chunk
        }
    }

    /**
     * Finishes the chunks of the symmetric pass in the order they were handed out (last rows first): sets each
     * row's diagonal to the diagonal pass's value (the exact value at correlation 1), mirrors its upper part from
     * the columns of the rows below (all final by then), and hands the rows to the sink. One worker at a time
     * finishes, the others compute on; the values are those of a mirror after the whole pass.
     */
    private final class SymmetricFinisher {
        private final double[] sig;
        private final double[] ntk;
        private final int n;
        private final int rowsPerChunk;
        private final int chunks;
        private final double[] dSig;
        private final double[] dNtk;
        private final java.util.concurrent.atomic.AtomicIntegerArray done;
        private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        private volatile int finished;

        SymmetricFinisher(double[] sig, double[] ntk, int n, int rowsPerChunk, int chunks, double[] dSig,
                double[] dNtk) {
            this.sig = sig;
            this.ntk = ntk;
            this.n = n;
            this.rowsPerChunk = rowsPerChunk;
            this.chunks = chunks;
            this.dSig = dSig;
            this.dNtk = dNtk;
            this.done = new java.util.concurrent.atomic.AtomicIntegerArray(chunks);
        }

        /** The chunk handed out c-th is computed. */
        void done(int c) {
            done.set(c, 1);
            drain();
        }

        /** Finishes every chunk now final, unless another thread is at it (it then sees these too). */
        void drain() {
            while (finished < chunks && done.get(finished) == 1) {
                if (!lock.tryLock()) {
                    return; // the holder re-checks after unlocking
                }
                try {
                    int c;
                    while ((c = finished) < chunks && done.get(c) == 1) {
                        finish(chunks - 1 - c);
                        finished = c + 1;
                    }
                } finally {
                    lock.unlock();
                }
            }
        }

        private void finish(int chunk) {
            int r0 = chunk * rowsPerChunk;
            int r1 = Math.min(n, r0 + rowsPerChunk);
            for (int i = r0; i < r1; i++) {
                sig[i * n + i] = dSig[i];
                if (ntk != null) {
                    ntk[i * n + i] = dNtk[i];
                }
            }
            mirrorRows(sig, n, r0, r1);
            if (ntk != null) {
                mirrorRows(ntk, n, r0, r1);
            }
            rowsFinal(sig, ntk, r0, r1);
        }
    }

    /** Fills the strict upper part of rows [r0, r1) of a row-major n×n matrix from its lower triangle, in blocks. */
    private static void mirrorRows(double[] a, int n, int r0, int r1) {
        final int b = 64;
        for (int j0 = r0; j0 < n; j0 += b) {
            int j1 = Math.min(n, j0 + b);
            for (int i = r0; i < r1; i++) {
                int row = i * n;
                for (int j = Math.max(j0, i + 1); j < j1; j++) {
                    a[row + j] = a[j * n + i];
                }
            }
        }
    }

    private void runParallel(Runnable worker) {
        if (threads == 1) {
            worker.run();
            return;
        }
        Thread[] ts = new Thread[threads];
        Throwable[] failure = new Throwable[1];
        for (int k = 0; k < threads; k++) {
            ts[k] = new Thread(worker, "ntk-kernel-" + k);
            ts[k].setUncaughtExceptionHandler((th, e) -> {
                synchronized (failure) {
                    if (failure[0] == null) {
                        failure[0] = e;
                    }
                }
            });
            ts[k].start();
        }
        for (Thread th : ts) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        if (failure[0] instanceof RuntimeException re) {
            throw re;
        } else if (failure[0] instanceof Error err) { // OutOfMemoryError above all: Main reports it
            throw err;
        } else if (failure[0] != null) {
            throw new IllegalStateException(failure[0]);
        }
    }

    /** Copies the strict lower triangle of a row-major n×n matrix onto the upper, in cache blocks. */
    private void mirrorLower(double[] a, int n) {
        final int b = 64;
        final int blocks = (n + b - 1) / b;
        final AtomicInteger next = new AtomicInteger();
        runParallel(() -> {
            int bi;
            while ((bi = next.getAndIncrement()) < blocks) {
                int i0 = bi * b;
                int i1 = Math.min(n, i0 + b);
                for (int j0 = 0; j0 <= i0; j0 += b) {
                    int j1 = Math.min(n, j0 + b);
                    for (int i = i0; i < i1; i++) {
                        int jEnd = Math.min(j1, i);
                        for (int j = j0; j < jEnd; j++) {
                            a[j * n + i] = a[i * n + j];
                        }
                    }
                }
            }
        });
    }
}
