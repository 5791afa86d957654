package ntk.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import ntk.io.AtomicFiles;
import ntk.io.JsonText;
import ntk.NdArray;
import ntk.io.Npy;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The x1 × x2 kernel as a Spark job over B × B blocks: every row block of the inputs is broadcast once (an
 * executor fetches only the blocks its tasks touch), each task computes one block with the core's engine and
 * writes it as a {@code .npy} file, so no block travels back through the driver. For x1 × x1 only the blocks on
 * and below the diagonal are computed; the diagonal blocks take the engine's symmetric path.
 */
final class KernelJob {
    private KernelJob() {
    }

    /** Block (i, j), the index-th task of the job. */
    record Pair(int i, int j, int index) implements Serializable {
    }

    static String fileName(int i, int j) {
        return String.format("block-%05d-%05d.npy", i, j);
    }

    /** The blocks of an nr × nc grid, or those with i ≥ j when symmetric; longest-running (diagonal-free) first. */
    static List<Pair> pairs(int nr, int nc, boolean symmetric) {
        List<Pair> out = new ArrayList<>();
        for (int i = 0; i < nr; i++) {
            for (int j = 0; j < (symmetric ? i + 1 : nc); j++) {
                out.add(new Pair(i, j, out.size()));
            }
        }
        return out;
    }

    /** One broadcast per row block of x. */
    static List<Broadcast<double[]>> broadcastRows(JavaSparkContext sc, NdArray x, Blocking rows) {
        List<Broadcast<double[]>> out = new ArrayList<>();
        for (int i = 0; i < rows.count(); i++) {
            out.add(sc.broadcast(rows.slice(x, i)));
        }
        return out;
    }

    static void destroy(List<Broadcast<double[]>> bs) {
        for (Broadcast<double[]> b : bs) {
            b.destroy();
        }
    }

    /** Failures injected by {@link #failFirstAttempt} in this JVM (tests run local[2,3]: one JVM). */
    static final java.util.concurrent.atomic.AtomicInteger INJECTED = new java.util.concurrent.atomic.AtomicInteger();

    /** Test hook: the task of block {@code index} throws on its first attempt (Spark must retry it). */
    static void failFirstAttempt(int index, int failOnce) {
        TaskContext ctx = TaskContext.get();
        if (index == failOnce && ctx != null && ctx.attemptNumber() == 0) {
            INJECTED.incrementAndGet();
            throw new IllegalStateException("injected failure of block task " + index + " (first attempt)");
        }
    }

    /**
     * Computes the blocks and writes each to dir/{@link #fileName}; x2 == null means x1 × x1 (lower blocks only).
     * failOnce is the index of a block whose first attempt fails (tests), or -1.
     */
    static List<Pair> run(JavaSparkContext sc, KernelSpec spec, NdArray x1, NdArray x2, int b, Path dir, int failOnce) {
        boolean sym = x2 == null;
        Blocking rows = new Blocking(x1.dim(0), b);
        Blocking cols = new Blocking(sym ? x1.dim(0) : x2.dim(0), b);
        List<Broadcast<double[]>> r = broadcastRows(sc, x1, rows);
        List<Broadcast<double[]>> c = sym ? r : broadcastRows(sc, x2, cols);
        List<Pair> pairs = pairs(rows.count(), cols.count(), sym);
        String where = dir.toAbsolutePath().toString();
        try {
            return sc.parallelize(pairs, pairs.size()).map(p -> {
                failFirstAttempt(p.index(), failOnce);
                int i = p.i();
                int j = p.j();
                double[] k = sym && i == j ? spec.block(r.get(i).value(), rows.rows(i), null, 0)
                        : spec.block(r.get(i).value(), rows.rows(i), c.get(j).value(), cols.rows(j));
                Npy.write(Path.of(where, fileName(i, j)), new NdArray(new int[] {rows.rows(i), cols.rows(j)}, k));
                return p;
            }).collect();
        } finally {
            destroy(r);
            if (!sym) {
                destroy(c);
            }
        }
    }

    /**
     * Streams the blocks in dir into one row-major (n1, n2) {@code .npy} at out (atomically), one block row at a
     * time: the driver holds B·n2 doubles, not the kernel. Upper blocks of a symmetric kernel are read transposed.
     */
    static void assemble(Path dir, int n1, int n2, int b, boolean sym, Path out) {
        Blocking rows = new Blocking(n1, b);
        Blocking cols = new Blocking(n2, b);
        AtomicFiles.write(out, os -> {
            os.write(Npy.header(new int[] {n1, n2}));
            ByteBuffer bytes = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < rows.count(); i++) {
                int ri = rows.rows(i);
                double[] buf = new double[Math.multiplyExact(ri, n2)];
                for (int j = 0; j < cols.count(); j++) {
                    int cj = cols.rows(j);
                    int c0 = cols.start(j);
                    if (!sym || j <= i) {
                        double[] blk = read(dir, i, j, ri, cj);
                        for (int rr = 0; rr < ri; rr++) {
                            System.arraycopy(blk, rr * cj, buf, rr * n2 + c0, cj);
                        }
                    } else {
                        double[] blk = read(dir, j, i, cj, ri); // block (j, i) is cj × ri
                        for (int cc = 0; cc < cj; cc++) {
                            for (int rr = 0; rr < ri; rr++) {
                                buf[rr * n2 + c0 + cc] = blk[cc * ri + rr];
                            }
                        }
                    }
                }
                for (int off = 0; off < buf.length; ) {
                    int k = Math.min(bytes.capacity() / 8, buf.length - off);
                    bytes.clear();
                    bytes.asDoubleBuffer().put(buf, off, k);
                    os.write(bytes.array(), 0, k * 8);
                    off += k;
                }
            }
        });
    }

    private static double[] read(Path dir, int i, int j, int rows, int cols) throws IOException {
        Path f = dir.resolve(fileName(i, j));
        NdArray a = Npy.read(f);
        if (a.rank() != 2 || a.dim(0) != rows || a.dim(1) != cols) {
            throw new IOException(f + ": block of shape " + a.shapeString() + ", expected (" + rows + ", " + cols + ")");
        }
        return a.data;
    }

    /** manifest.json of a block directory: what each file holds and how the blocks tile the kernel. */
    static String manifest(KernelSpec spec, int n1, int n2, int b, boolean sym, List<Pair> pairs) {
        Blocking rows = new Blocking(n1, b);
        Blocking cols = new Blocking(n2, b);
        StringBuilder s = new StringBuilder("{\n");
        s.append("  \"format\": \"ntk-kernel-blocks\",\n  \"version\": 1,\n");
        s.append("  \"kind\": \"").append(spec.ntk() ? "ntk" : "nngp").append("\",\n");
        s.append("  \"arch\": ").append(JsonText.quote(spec.arch())).append(",\n");
        s.append("  \"parameterization\": \"").append(spec.parameterization()).append("\",\n");
        s.append("  \"shape\": [").append(n1).append(", ").append(n2).append("],\n");
        s.append("  \"block_size\": ").append(b).append(",\n");
        s.append("  \"symmetric\": ").append(sym).append(",\n");
        s.append("  \"note\": \"").append(sym
                ? "x1 x x1: only blocks with row >= col are stored; block (col, row) is the transpose of (row, col)"
                : "x1 x x2: every block is stored").append("\",\n");
        s.append("  \"blocks\": [\n");
        for (int k = 0; k < pairs.size(); k++) {
            Pair p = pairs.get(k);
            s.append(String.format("    {\"row\": %d, \"col\": %d, \"row_start\": %d, \"col_start\": %d,"
                    + " \"shape\": [%d, %d], \"file\": \"%s\"}%s%n", p.i(), p.j(), rows.start(p.i()),
                    cols.start(p.j()), rows.rows(p.i()), cols.rows(p.j()), fileName(p.i(), p.j()),
                    k + 1 < pairs.size() ? "," : ""));
        }
        return s.append("  ]\n}\n").toString();
    }

    /** Deletes a directory of block files (best effort: a leftover temporary directory is no output). */
    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left behind; nothing else to do
                }
            });
        } catch (IOException e) {
            // left behind
        }
    }
}
