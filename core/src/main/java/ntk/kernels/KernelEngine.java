package ntk.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import ntk.BadInputException;
import ntk.arch.Network;
import ntk.linalg.Linalg;

/**
 * Computes the infinite-width NNGP and NTK of a network on batches. Plan: (1) the inputs' Gram
 * matrix by BLAS (syrk on the symmetric path, gemm otherwise) straight into the NNGP array;
 * (2) every diagonal pair (x, x) through the whole network, recording each activation's input
 * variances; (3) every off-diagonal pair through the whole network in row tiles, in parallel,
 * each entry read and written once (Σ⁽⁰⁾ = xᵀx'/d, Θ⁽⁰⁾ = 0); (4) mirror the lower triangle.
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

    /** Prints the time of each phase (Gram, diagonal, pairs, mirror) to the stream; null for silence. */
    public KernelEngine verbose(java.io.PrintStream stream) {
        this.log = stream;
        return this;
    }

    private void phase(String what) {
        if (log != null) {
            long t = System.nanoTime();
            log.printf("  %-10s %.3f s%n", what, (t - mark) * 1e-9);
            mark = t;
        }
    }

    public KernelEngine(int threads) {
        this.threads = Math.max(1, threads);
    }

    public KernelEngine() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** Bytes the outputs of a kernel job take (what {@link #kernels} allocates beyond its inputs). */
    public static long outputBytes(long n1, long n2, boolean wantNtk) {
        return (wantNtk ? 2L : 1L) * n1 * n2 * Double.BYTES;
    }

    /** Refuses a job whose outputs do not fit in one Java array or in the heap, with the estimate. */
    public static void checkFits(long n1, long n2, boolean wantNtk) {
        long entries = n1 * n2;
        if (entries > Integer.MAX_VALUE - 8L) {
            throw new BadInputException(String.format(
                    "kernel of %d x %d = %d entries exceeds the %d entries one array can hold; split the inputs",
                    n1, n2, entries, Integer.MAX_VALUE - 8L));
        }
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        long need = outputBytes(n1, n2, wantNtk);
        if (need > free) {
            throw new BadInputException(String.format(
                    "kernel of %d x %d needs %.2f GB for its %s, but only %.2f GB of heap is free"
                            + " (raise it with NTK_HEAP, e.g. NTK_HEAP=20g)",
                    n1, n2, need / 1e9, wantNtk ? "NNGP and NTK" : "NNGP", free / 1e9));
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
        double[] sig = new double[Math.multiplyExact(n1, n2)];
        double[] ntk = wantNtk ? new double[sig.length] : null;
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
        rowPass(bound, sig, ntk, n1, n2, d, sym, norms1, norms2, diag1, diag2, wantNtk);
        phase("pairs");
        if (sym) {
            // The diagonal pass is the exact value at correlation 1; keep it, then mirror.
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
        return new Kernels(n1, n2, sig, ntk);
    }

    /**
     * Σ and (if wantNtk) Θ on x1 × x2 for (n, d) arrays; x2 == null means x1 × x1 (symmetric path).
     * Refuses NaN/Inf and mismatched feature counts.
     */
    public Kernels kernels(Network net, ntk.io.NdArray x1, ntk.io.NdArray x2, boolean wantNtk) {
        checkInputs(x1, "x1");
        if (x2 != null) {
            checkInputs(x2, "x2");
            if (x2.dim(1) != x1.dim(1)) {
                throw new BadInputException("x2 has " + x2.dim(1) + " features but x1 has " + x1.dim(1));
            }
        }
        return kernels(net, x1.data, x1.dim(0), x2 == null ? null : x2.data, x2 == null ? 0 : x2.dim(0), x1.dim(1),
                wantNtk);
    }

    private static void checkInputs(ntk.io.NdArray x, String what) {
        if (x.rank() != 2) {
            throw new BadInputException(what + " must have shape (n, d), got " + x.shapeString());
        }
        ntk.io.Npy.requireFinite(x, what);
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

    private static void diagonalPass(Network.Bound bound, double[] norms, int n, int d, int side,
            double[][] diag1, double[][] diag2, boolean wantNtk, double[] outSig, double[] outNtk) {
        Tile t = new Tile(TILE, wantNtk, diag1, diag2, bound.nesting());
        t.mode = Tile.Mode.DIAG;
        t.side = side;
        double inv = 1.0 / d;
        for (int start = 0; start < n; start += TILE) {
            int len = Math.min(TILE, n - start);
            t.start = start;
            t.n = len;
            for (int i = 0; i < len; i++) {
                t.sig[i] = norms[start + i] * inv;
                t.ntk[i] = 0.0;
            }
            for (KernelMap m : bound.maps()) {
                m.apply(t);
            }
            System.arraycopy(t.sig, 0, outSig, start, len);
            System.arraycopy(t.ntk, 0, outNtk, start, len);
        }
    }

    private void rowPass(Network.Bound bound, double[] sig, double[] ntk, int n1, int n2, int d, boolean sym,
            double[] norms1, double[] norms2, double[][] diag1, double[][] diag2, boolean wantNtk) {
        final int rowsPerChunk = Math.max(1, Math.min(64, (int) (65536L / Math.max(1, n2))));
        final int chunks = (n1 + rowsPerChunk - 1) / rowsPerChunk;
        final AtomicInteger next = new AtomicInteger();
        final double inv = 1.0 / d;
        Runnable worker = () -> {
            Tile t = new Tile(TILE, wantNtk, diag1, diag2, bound.nesting());
            t.mode = Tile.Mode.ROW;
            KernelMap[] maps = bound.maps();
            int c;
            // Symmetric rows grow with i: hand out the longest (last) chunks first for balance.
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
            }
        };
        runParallel(worker);
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
