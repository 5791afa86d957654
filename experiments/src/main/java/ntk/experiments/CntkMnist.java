package ntk.experiments;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ntk.BadInputException;
import ntk.KernelKind;
import ntk.Parameterization;
import ntk.Shape;
import ntk.arch.Network;
import ntk.data.Mnist;
import ntk.dynamics.Classification;
import ntk.NdArray;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;
import ntk.layers.Conv2D;
import ntk.model.KernelRegressor;

/**
 * {@code ntk experiment cntk-mnist}: test accuracy of kernel regression on MNIST digits (one-hot targets, t = ∞, no
 * ridge, argmax of the 10 outputs, as {@link Demo}) with six infinite-width kernels: the fully connected NNGP and
 * NTK, the CNN-GP and CNTK without pooling (a {@code Flatten} readout) and the CNN-GP and CNTK with global average
 * pooling (Novak et al. 2019; Arora et al. 2019). The three architectures have the same depth: D layers of
 * {@code Dense} (fully connected) or of 3 × 3 {@code Conv2D} with zero ("same") padding, each followed by ReLU, W_std =
 * √2, no bias, then the readout and {@code Dense(10)}.
 *
 * <p>The claim (Novak et al. 2019, abstract): without pooling the CNN-GP is the same GP as the network without weight
 * sharing, so translation equivariance plays no role in it. What an accuracy test of it can see: a readout that does
 * use the weight sharing (global average pooling makes the kernel depend on every pair of positions, not only on
 * equal ones) changes the classifier, and if the translation structure matters on digits it helps. {@link #decide}
 * compares the pooled kernels with their Flatten counterparts on the same test digits, by the paired standard error
 * of the difference of accuracies.
 *
 * <p>Cost: the Flatten state is one value per pixel per pair of images, the pooled state every pixel pair ((HW)² per
 * pair, the k²·(HW)² multiply-adds of each conv layer dominate), so the default size pre-pools the digits to 14 × 14
 * (the 2 × 2 mean a first {@code AvgPool2D(2)} computes, 16× fewer pixel pairs) and takes a few hundred digits.
 */
public final class CntkMnist implements Experiment {

    /** Weight scale of every hidden layer: √2 keeps the ReLU layers' variance (He et al.). */
    static final double W_STD = Math.sqrt(2);

    /**
     * Floating-point operations per pixel pair per conv layer in the work estimate (the 3 × 3 sums of Σ and Θ and the
     * ReLU's arc-cosine maps): chosen so that the estimate at the nominal rate of {@link Budget} matches the measured
     * cost of the pooled kernels, about 1.2e-8 CPU-seconds per pixel pair per layer on two shared cores.
     */
    static final double OPS_PER_PAIR_LAYER = 300;

    /**
     * The pooled locally connected network's cost in layers of the pooled CNN: its planes δ ≠ 0 pass only the layers
     * after the last locally connected one (the last ReLU and the readout), measured at 0.13–0.18 of the pooled CNN's
     * three layers.
     */
    static final double LCN_POOLED_LAYERS = 0.5;

    /** The three architectures. */
    public enum Arch {
        FC("fully connected"), FLATTEN("convolutional, no pooling (Flatten)"),
        GAP("convolutional, global average pooling"),
        LCN_FLATTEN("locally connected (no weight sharing), no pooling (Flatten)"),
        LCN_GAP("locally connected (no weight sharing), global average pooling");

        final String words;

        Arch(String words) {
            this.words = words;
        }
    }

    /** The ten kernels, in table order: each architecture's NNGP (GP) and NTK. */
    public enum Kernel {
        FC_NNGP(Arch.FC, KernelKind.NNGP, "fc_nngp", "FC NNGP"),
        FC_NTK(Arch.FC, KernelKind.NTK, "fc_ntk", "FC NTK"),
        CNN_GP_FLATTEN(Arch.FLATTEN, KernelKind.NNGP, "cnn_gp_flatten", "CNN-GP, no pooling"),
        CNTK_FLATTEN(Arch.FLATTEN, KernelKind.NTK, "cntk_flatten", "CNTK, no pooling"),
        CNN_GP_GAP(Arch.GAP, KernelKind.NNGP, "cnn_gp_gap", "CNN-GP, global average pooling"),
        CNTK_GAP(Arch.GAP, KernelKind.NTK, "cntk_gap", "CNTK, global average pooling"),
        LCN_GP_FLATTEN(Arch.LCN_FLATTEN, KernelKind.NNGP, "lcn_gp_flatten", "LCN-GP, no pooling"),
        LCN_NTK_FLATTEN(Arch.LCN_FLATTEN, KernelKind.NTK, "lcn_ntk_flatten", "LCN-NTK, no pooling"),
        LCN_GP_GAP(Arch.LCN_GAP, KernelKind.NNGP, "lcn_gp_gap", "LCN-GP, global average pooling"),
        LCN_NTK_GAP(Arch.LCN_GAP, KernelKind.NTK, "lcn_ntk_gap", "LCN-NTK, global average pooling");

        public final Arch arch;
        public final KernelKind kind;
        public final String key;
        public final String label;

        Kernel(Arch arch, KernelKind kind, String key, String label) {
            this.arch = arch;
            this.kind = kind;
            this.key = key;
            this.label = label;
        }
    }

    /**
     * The first {@code train} training and first {@code test} test digits, each image pre-pooled by
     * {@code pool} × {@code pool} means (1: the full 28 × 28), {@code depth} hidden layers, the conv layers' padding.
     */
    public record Config(int train, int test, int pool, int depth, Conv2D.Padding padding) {
        public Config {
            if (train < 10 || test < 2 || pool < 1 || depth < 1 || padding == null) {
                throw new BadInputException(String.format(Locale.ROOT, "cntk-mnist: need train >= 10, test >= 2, pool"
                        + " >= 1 and depth >= 1, got %d, %d, %d, %d", train, test, pool, depth));
            }
        }

        /** The default run: 250 + 300 digits at 14 × 14, depth 3. */
        public static Config standard() {
            return new Config(250, 300, 2, 3, Conv2D.Padding.SAME);
        }

        /** --full: 1,000 + 1,000 digits at 28 × 28, depth 3. */
        public static Config full() {
            return new Config(1000, 1000, 1, 3, Conv2D.Padding.SAME);
        }
    }

    /**
     * What the run measured: for each kernel ({@link Kernel} order) whether each test digit was classified right; the
     * seconds (wall and process CPU) of each architecture's kernel pass, which gives its NNGP and NTK together, and of
     * each kernel's regression solve. {@code kernels} are each architecture's train-train and test-train kernels
     * (null in constructed Results; never used by {@link #decide}).
     */
    public record Result(Config config, String source, int height, int width, boolean[][] correct, double[] passSeconds,
            double[] passCpuSeconds, double[] solveSeconds, int[][] predicted, int[] labels, Kernels[][] kernels,
            LcnComparison lcn) {

        /** Test accuracy of kernel k with its standard error over the test digits. */
        public Estimate accuracy(Kernel k) {
            return Estimate.of(indicators(correct[k.ordinal()]));
        }

        /**
         * Accuracy of a minus accuracy of b on the same test digits, with the paired standard error (the standard error
         * of the mean of the per-digit differences, each −1, 0 or 1).
         */
        public Estimate difference(Kernel a, Kernel b) {
            boolean[] ca = correct[a.ordinal()];
            boolean[] cb = correct[b.ordinal()];
            double[] d = new double[ca.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = (ca[i] ? 1 : 0) - (cb[i] ? 1 : 0);
            }
            return Estimate.of(d);
        }

        /** Wall seconds of kernel k: its architecture's pass (shared with the other kind) plus its own solve. */
        public double seconds(Kernel k) {
            return passSeconds[k.arch.ordinal()] + solveSeconds[k.ordinal()];
        }

        public int nTest() {
            return correct[0].length;
        }
    }

    /**
     * The networks with and without weight sharing compared kernel by kernel on the run's train × train and
     * test × train matrices: max |K_CNN − K_LCN| / max |K_CNN| over both, for the NNGP and the NTK, without pooling
     * (Flatten; Novak et al.: identical) and with global average pooling.
     */
    public record LcnComparison(double flattenNngp, double flattenNtk, double pooledNngp, double pooledNtk) {
        /** The larger of the NNGP's and the NTK's difference without pooling. */
        public double flatten() {
            return Math.max(flattenNngp, flattenNtk);
        }

        /** The smaller of the NNGP's and the NTK's difference with pooling. */
        public double pooled() {
            return Math.min(pooledNngp, pooledNtk);
        }
    }

    /**
     * Relative difference that counts as identical to rounding: far above the 1e-16 of a double's last bit summed
     * over a few layers, far below any difference a change of the kernel's terms could make.
     */
    static final double IDENTICAL = 1e-10;

    /** Differences with pooling below this would not discriminate: the identity would then be no finding. */
    static final double DIFFERENT = 1e-6;

    /** max |a − b| / max |a| over the train × train and test × train kernels of one kind. */
    static double maxRelDiff(Kernels[] a, Kernels[] b, KernelKind kind) {
        double max = 0;
        double diff = 0;
        for (int m = 0; m < a.length; m++) {
            double[] x = kind == KernelKind.NTK ? a[m].ntk() : a[m].nngp();
            double[] y = kind == KernelKind.NTK ? b[m].ntk() : b[m].nngp();
            for (int i = 0; i < x.length; i++) {
                max = Math.max(max, Math.abs(x[i]));
                diff = Math.max(diff, Math.abs(x[i] - y[i]));
            }
        }
        return diff / max;
    }

    private static double[] indicators(boolean[] c) {
        double[] v = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            v[i] = c[i] ? 1 : 0;
        }
        return v;
    }

    /** The spec of an architecture of the given depth (hidden widths are irrelevant at infinite width: 1). */
    public static String spec(Arch a, int depth, Conv2D.Padding padding) {
        String w = String.format(Locale.ROOT, "W_std=%s", W_STD);
        String conv = a == Arch.LCN_FLATTEN || a == Arch.LCN_GAP ? "LocallyConnected2D" : "Conv2D";
        String layer = a == Arch.FC ? "Dense(1, " + w + "), Relu, "
                : conv + "(1, 3, padding=" + padding.name().toLowerCase(Locale.ROOT) + ", " + w + "), Relu, ";
        String readout = switch (a) {
            case FC -> "";
            case FLATTEN, LCN_FLATTEN -> "Flatten, ";
            case GAP, LCN_GAP -> "GlobalAvgPool, ";
        };
        return layer.repeat(depth) + readout + "Dense(10)";
    }

    /** The same spec for a report: W_std shown as √2. */
    static String shownSpec(Arch a, int depth, Conv2D.Padding padding) {
        return spec(a, depth, padding).replace("W_std=" + W_STD, "W_std=√2");
    }

    static Network network(Arch a, Config c) {
        return Network.parse(spec(a, c.depth(), c.padding()), Parameterization.NTK);
    }

    /**
     * The images of {@code digits} as n × (rows/k)·(cols/k) row-major: each pixel the mean of a k × k block, a partial
     * block at the right or bottom edge dropped (what a first {@code AvgPool2D(k)} layer computes), then each image
     * scaled to mean square 1 per pixel (‖x‖² = its pixel count, as the project's other MNIST experiments scale the
     * flat digits).
     */
    static double[] images(Mnist digits, int k) {
        int h = digits.rows() / k;
        int w = digits.cols() / k;
        double[] out = pool(digits.x(), digits.n(), digits.rows(), digits.cols(), k);
        return Points.rowsToNorm(out, digits.n(), h * w, Math.sqrt(h * w));
    }

    /** k × k block means of n single-channel images rows × cols (row-major), partial blocks dropped. */
    static double[] pool(double[] x, int n, int rows, int cols, int k) {
        int h = rows / k;
        int w = cols / k;
        double[] out = new double[n * h * w];
        double inv = 1.0 / (k * k);
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    double s = 0;
                    for (int u = 0; u < k; u++) {
                        for (int v = 0; v < k; v++) {
                            s += x[i * rows * cols + (k * r + u) * cols + k * c + v];
                        }
                    }
                    out[(i * h + r) * w + c] = s * inv;
                }
            }
        }
        return out;
    }

    /**
     * The work estimate (floating-point operations) of a run: per pair of images and per hidden layer,
     * {@link #OPS_PER_PAIR_LAYER} per state entry: (HW)² entries for the pooled CNN, HW for each Flatten network, 1 for
     * the fully connected one; plus (HW)² for the pooled locally connected network in {@link #LCN_POOLED_LAYERS}
     * layers' worth; pairs are the symmetric half of train × train plus test × train; plus the ten Cholesky solves.
     */
    static double work(Config c, int height, int width) {
        double pairs = c.train() * (c.train() + 1.0) / 2 + (double) c.test() * c.train();
        double l = (double) height * width;
        double perLayer = l * l + 2 * l + 1;
        double n = c.train();
        return pairs * (c.depth() * perLayer + LCN_POOLED_LAYERS * l * l) * OPS_PER_PAIR_LAYER
                + 10 * (n * n * n / 3 + 10.0 * n * (n + c.test()));
    }

    /** Bytes: NNGP and NTK of train × train and test × train for the five architectures, and the images. */
    static double bytes(Config c, int height, int width) {
        double n = c.train();
        double m = c.test();
        return 8 * (5 * 2 * (n * n + m * n) + 2 * n * n + (n + m) * (height * width + 784.0));
    }

    /** Refuses (one line, with the estimate) a run past --max-work or the heap, before any work. */
    static void checkBudget(Config c, int height, int width, double maxWork) {
        Budget.check("cntk-mnist (" + c.train() + " + " + c.test() + " digits at " + height + " × " + width + ", depth "
                + c.depth() + ")", bytes(c, height, width), Math.max((double) c.train() * c.train(),
                (double) c.test() * c.train()), work(c, height, width), maxWork);
    }

    /** The science: the ten kernels' test accuracies on the digits of {@code split}; no checkpoint. */
    public static Result compute(Config c, Mnist.Split split, Progress progress) {
        return compute(c, split, null, progress);
    }

    /**
     * The science, each kernel block kept in {@code checkpoint} (null: none) as it finishes and taken from it when an
     * earlier run had computed it. Every run computes the kernels in the same blocks ({@link #BLOCK_ROWS}), so a
     * resumed run's numbers are bit for bit an uninterrupted one's.
     */
    public static Result compute(Config c, Mnist.Split split, Checkpoint checkpoint, Progress progress) {
        if (c.train() > split.train().n() || c.test() > split.test().n()) {
            throw new BadInputException("cntk-mnist: " + c.train() + " training and " + c.test() + " test digits asked,"
                    + " the data hold " + split.train().n() + " and " + split.test().n());
        }
        Mnist train = split.train().head(c.train());
        Mnist test = split.test().head(c.test());
        if (c.pool() > train.rows() || c.pool() > train.cols()) {
            throw new BadInputException("cntk-mnist: the pooling window " + c.pool() + " is larger than the "
                    + train.rows() + " × " + train.cols() + " images");
        }
        int h = train.rows() / c.pool();
        int w = train.cols() / c.pool();
        double[] x = images(train, c.pool());
        double[] t = images(test, c.pool());
        int n = c.train();
        int m = c.test();
        NdArray y = new NdArray(new int[] {n, 10}, train.oneHot(1, 0));
        KernelEngine engine = new KernelEngine();
        int kernels = Kernel.values().length;
        boolean[][] correct = new boolean[kernels][m];
        int[][] predicted = new int[kernels][];
        double[] passSeconds = new double[Arch.values().length];
        double[] passCpu = new double[Arch.values().length];
        double[] solveSeconds = new double[kernels];
        Kernels[][] all = new Kernels[Arch.values().length][];
        int perArch = blocks(n) + blocks(m);
        int total = Arch.values().length * perArch;
        int kept = 0;
        for (int i = 0; checkpoint != null && i < total; i++) {
            kept += checkpoint.hasArray(blockPiece(Arch.values()[i / perArch], i % perArch, n)) ? 1 : 0;
        }
        if (kept > 0) {
            progress.log(String.format(Locale.ROOT, "%d of %d kernel blocks computed by an earlier run (kept in the"
                    + " checkpoint folder); computing the other %d", kept, total, total - kept));
        }
        Progress.Task task = progress.task("kernel blocks", total);
        for (Arch a : Arch.values()) {
            Network net = network(a, c);
            Shape shape = a == Arch.FC ? Shape.dense(h * w) : Shape.image(h, w, 1);
            double[] seconds = new double[2];
            Kernels[] pair = pass(engine, net, a, x, n, t, m, shape, checkpoint, task, seconds);
            Kernels kxx = pair[0];
            Kernels ktx = pair[1];
            passSeconds[a.ordinal()] = seconds[0];
            passCpu[a.ordinal()] = seconds[1];
            all[a.ordinal()] = pair;
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s: kernels of %d + %d digits at %d × %d"
                    + " in %.1f s (%.1f CPU-s):", a.words, n, m, h, w, passSeconds[a.ordinal()], passCpu[a.ordinal()]));
            for (Kernel k : Kernel.values()) {
                if (k.arch != a) {
                    continue;
                }
                long s0 = System.nanoTime();
                double[] mean = KernelRegressor.precomputed(k.kind).fit(kxx, y).predict(ktx).means()[0];
                int[] p = Classification.argmax(mean, m, 10);
                solveSeconds[k.ordinal()] = (System.nanoTime() - s0) * 1e-9;
                predicted[k.ordinal()] = p;
                int right = 0;
                for (int i = 0; i < m; i++) {
                    correct[k.ordinal()][i] = p[i] == test.labels()[i];
                    right += correct[k.ordinal()][i] ? 1 : 0;
                }
                line.append(String.format(Locale.ROOT, " %s accuracy %.4f", k.kind, (double) right / m));
            }
            progress.log(line.toString());
        }
        task.close();
        LcnComparison lcn = new LcnComparison(
                maxRelDiff(all[Arch.FLATTEN.ordinal()], all[Arch.LCN_FLATTEN.ordinal()], KernelKind.NNGP),
                maxRelDiff(all[Arch.FLATTEN.ordinal()], all[Arch.LCN_FLATTEN.ordinal()], KernelKind.NTK),
                maxRelDiff(all[Arch.GAP.ordinal()], all[Arch.LCN_GAP.ordinal()], KernelKind.NNGP),
                maxRelDiff(all[Arch.GAP.ordinal()], all[Arch.LCN_GAP.ordinal()], KernelKind.NTK));
        progress.log(String.format(Locale.ROOT, "with and without weight sharing: max relative kernel difference %.3g"
                + " (NNGP), %.3g (NTK) without pooling; %.3g, %.3g with global average pooling", lcn.flattenNngp(),
                lcn.flattenNtk(), lcn.pooledNngp(), lcn.pooledNtk()));
        return new Result(c, split.source(), h, w, correct, passSeconds, passCpu, solveSeconds, predicted,
                test.labels().clone(), all, lcn);
    }

    /**
     * Rows of one kernel block: the train × train kernel is computed as its lower triangle in blocks of this many
     * training rows (each against the training digits up to its last row; the symmetric half copied), the test × train
     * kernel in blocks of this many test rows. A block of the pooled kernels at --full size is a few minutes of two
     * cores: what a killed run with {@code --checkpoint} loses at most.
     */
    static final int BLOCK_ROWS = 50;

    /** Blocks of {@link #BLOCK_ROWS} rows over n rows. */
    static int blocks(int n) {
        return (n + BLOCK_ROWS - 1) / BLOCK_ROWS;
    }

    /**
     * Block b of an architecture's pass ({@code b < blocks(n)}: train × train rows, then test × train rows) as a
     * checkpoint piece name, e.g. {@code gap-train-rows-0-50}.
     */
    static String blockPiece(Arch a, int b, int n) {
        boolean train = b < blocks(n);
        int r0 = (train ? b : b - blocks(n)) * BLOCK_ROWS;
        return a.name().toLowerCase(Locale.ROOT) + (train ? "-train" : "-test") + "-rows-" + r0 + "-" + (r0
                + BLOCK_ROWS);
    }

    /** What changes a kernel block's numbers: one line each, the checkpoint folder's {@code settings.txt}. */
    static List<String> checkpointSettings(Config c, String data) {
        return List.of("experiment cntk-mnist", "training digits " + c.train(), "test digits " + c.test(),
                "pool " + c.pool(), "depth " + c.depth(), "padding " + c.padding(), "block rows " + BLOCK_ROWS,
                "data " + data);
    }

    /**
     * One architecture's train × train and test × train kernels (NNGP and NTK), block by block; each block is read
     * from {@code checkpoint} when an earlier run kept it, else computed and kept. {@code seconds} receives the wall
     * and process-CPU seconds the blocks took when they were computed (in this run or the earlier one).
     */
    static Kernels[] pass(KernelEngine engine, Network net, Arch a, double[] x, int n, double[] t, int m, Shape shape,
            Checkpoint checkpoint, Progress.Task task, double[] seconds) {
        int size = shape.size();
        double[][] xx = {new double[n * n], new double[n * n]};
        double[][] tx = {new double[m * n], new double[m * n]};
        for (int b = 0; b < blocks(n) + blocks(m); b++) {
            boolean train = b < blocks(n);
            int r0 = (train ? b : b - blocks(n)) * BLOCK_ROWS;
            int r1 = Math.min(train ? n : m, r0 + BLOCK_ROWS);
            int cols = train ? r1 : n;
            String piece = blockPiece(a, b, n);
            NdArray block = checkpoint == null ? null : checkpoint.getArray(piece);
            double[] took = checkpoint == null ? null : checkpoint.get(piece + "-seconds");
            if (block != null && (block.rank() != 3 || block.dim(0) != 2 || block.dim(1) != r1 - r0
                    || block.dim(2) != cols || took == null || took.length != 2)) {
                throw new BadInputException(piece + ": a checkpoint block of another shape, or without its seconds;"
                        + " delete it to compute it again");
            }
            if (block == null) {
                long t0 = System.nanoTime();
                long cpu0 = cpuNanos();
                double[] rows = Arrays.copyOfRange(train ? x : t, r0 * size, r1 * size);
                Kernels k = engine.kernels(net, rows, r1 - r0, Arrays.copyOfRange(x, 0, cols * size), cols, shape,
                        true);
                double[] both = Arrays.copyOf(k.nngp(), 2 * k.nngp().length);
                System.arraycopy(k.ntk(), 0, both, k.nngp().length, k.ntk().length);
                block = new NdArray(new int[] {2, r1 - r0, cols}, both);
                took = new double[] {(System.nanoTime() - t0) * 1e-9, (cpuNanos() - cpu0) * 1e-9};
                if (checkpoint != null) {
                    checkpoint.put(piece + "-seconds", took); // first: a kill between the two redoes the block
                    checkpoint.putArray(piece, block);
                }
            }
            seconds[0] += took[0];
            seconds[1] += took[1];
            double[] d = block.data();
            int plane = (r1 - r0) * cols;
            for (int kind = 0; kind < 2; kind++) {
                for (int i = r0; i < r1; i++) {
                    System.arraycopy(d, kind * plane + (i - r0) * cols, train ? xx[kind] : tx[kind], i * n, cols);
                }
            }
            task.step();
        }
        for (double[] k : xx) { // the upper triangle from the lower: Σ and Θ symmetric to the bit
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    k[i * n + j] = k[j * n + i];
                }
            }
        }
        return new Kernels[] {new Kernels(n, n, xx[0], xx[1]), new Kernels(m, n, tx[0], tx[1])};
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Where a paired difference stands: ahead (above 0 by more than two standard errors), behind, or undecided. */
    enum Side {
        AHEAD("ahead by more than two paired standard errors"),
        BEHIND("behind by more than two paired standard errors"),
        UNDECIDED("within two paired standard errors");

        final String words;

        Side(String words) {
            this.words = words;
        }
    }

    static Side side(Estimate d) {
        Estimate zero = Estimate.exact(0);
        return d.aheadOf(zero) ? Side.AHEAD : zero.aheadOf(d) ? Side.BEHIND : Side.UNDECIDED;
    }

    /** The claim, word for word, and where it was read (not in shared/papers: checked against that page). */
    static final PaperClaim CLAIM = new PaperClaim("Surprisingly, in the absence of pooling layers, the GPs"
            + " corresponding to CNNs with and without weight sharing are identical. As a consequence, translation"
            + " equivariance, beneficial in finite channel CNNs trained with stochastic gradient descent (SGD), is"
            + " guaranteed to play no role in the Bayesian treatment of the infinite channel limit – a qualitative"
            + " difference between the two regimes that is not present in the FCN case.",
            "Novak et al. 2019, \"Bayesian Deep Convolutional Networks with Many Channels are Gaussian Processes\""
                    + " (ICLR 2019, arXiv:1810.05148), abstract",
            "https://www.arxiv-vanity.com/papers/1810.05148/");

    /** Arora et al.'s CIFAR-10 numbers, word for word from their abstract (the report's paper column). */
    static final PaperClaim ARORA_NUMBERS = new PaperClaim("This results in a significant new benchmark for the"
            + " performance of a pure kernel-based method on CIFAR-10, being $10\\%$ higher than the methods reported"
            + " in [Novak et al., 2019], and only $6\\%$ lower than the performance of the corresponding finite deep"
            + " net architecture (once batch normalization, etc. are turned off).",
            "Arora et al. 2019, \"On Exact Computation with an Infinitely Wide Neural Net\" (NeurIPS 2019,"
                    + " arXiv:1904.11955), abstract",
            "https://arxiv.org/abs/1904.11955");

    /** The comparisons the verdict uses: each pooled kernel against its Flatten counterpart. */
    static final Kernel[][] VERDICT_PAIRS = {{Kernel.CNN_GP_GAP, Kernel.CNN_GP_FLATTEN},
        {Kernel.CNTK_GAP, Kernel.CNTK_FLATTEN}};

    /** Further comparisons shown (no verdict): convolution without pooling against the dense net, NTK against GP. */
    static final Kernel[][] OTHER_PAIRS = {{Kernel.CNN_GP_FLATTEN, Kernel.FC_NNGP},
        {Kernel.CNTK_FLATTEN, Kernel.FC_NTK},
        {Kernel.CNN_GP_GAP, Kernel.FC_NNGP}, {Kernel.CNTK_GAP, Kernel.FC_NTK}, {Kernel.FC_NTK, Kernel.FC_NNGP},
        {Kernel.CNTK_FLATTEN, Kernel.CNN_GP_FLATTEN}, {Kernel.CNTK_GAP, Kernel.CNN_GP_GAP},
        {Kernel.LCN_GP_FLATTEN, Kernel.CNN_GP_FLATTEN}, {Kernel.LCN_NTK_FLATTEN, Kernel.CNTK_FLATTEN},
        {Kernel.CNN_GP_GAP, Kernel.LCN_GP_GAP}, {Kernel.CNTK_GAP, Kernel.LCN_NTK_GAP},
        {Kernel.LCN_GP_GAP, Kernel.LCN_GP_FLATTEN}, {Kernel.LCN_NTK_GAP, Kernel.LCN_NTK_FLATTEN}};

    /**
     * The verdict, from the Result alone, on both parts of the quoted claim.
     *
     * <p>Identity (its first sentence): the kernels of the networks with and without weight sharing, without pooling,
     * must agree to rounding: max |K_CNN − K_LCN| / max |K_CNN| ≤ {@link #IDENTICAL} for the NNGP and the NTK on the
     * run's kernels; and, for that to be a finding about pooling's absence, the pooled kernels of the two must differ
     * (by more than {@link #DIFFERENT}).
     *
     * <p>What weight sharing can add (the consequence it draws: translation equivariance plays no role without
     * pooling): for the CNN-GP and for the CNTK, d = accuracy with global average pooling − accuracy without (Flatten) on
     * the same test digits, with its paired standard error; "ahead" when d is above 0 by more than two.
     *
     * <p>NOT SHOWN: the kernels without pooling differ by more than rounding (the identity fails). SHOWN: identical
     * without pooling, different with, and pooling ahead for both kernels. PARTLY otherwise: the identity holds but the
     * pooled kernels do not differ, or pooling is not ahead for both (on these digits the translation structure the
     * pooled kernels use does not help, or the test digits are too few to tell; that does not contradict the quoted
     * claim, which is about the kernels without pooling, but it is not the advantage the comparison looks for).
     */
    public static Decision decide(Result r) {
        List<String> parts = new ArrayList<>();
        int ahead = 0;
        int behind = 0;
        for (Kernel[] p : VERDICT_PAIRS) {
            Estimate d = r.difference(p[0], p[1]);
            Side s = side(d);
            ahead += s == Side.AHEAD ? 1 : 0;
            behind += s == Side.BEHIND ? 1 : 0;
            parts.add(String.format(Locale.ROOT, "%s %s against %s without pooling (difference %s, %s)",
                    p[0] == Kernel.CNN_GP_GAP ? "the CNN-GP with global average pooling classifies"
                            : "the CNTK with global average pooling classifies",
                    r.accuracy(p[0]).show(3), r.accuracy(p[1]).show(3), d.show(3), s.words));
        }
        LcnComparison lcn = r.lcn();
        boolean identical = lcn.flatten() <= IDENTICAL;
        boolean differ = lcn.pooled() > DIFFERENT;
        String identity = String.format(Locale.ROOT, "Without pooling the kernels of the networks with and without"
                + " weight sharing differ by at most %.2g (NNGP) and %.2g (NTK) of the largest entry, %s the %.0e of"
                + " rounding; with global average pooling by %.3g and %.3g, %s.", lcn.flattenNngp(), lcn.flattenNtk(),
                identical ? "within" : "beyond", IDENTICAL, lcn.pooledNngp(), lcn.pooledNtk(),
                differ ? "so the identity is one of pooling's absence" : "so even pooling does not separate them here");
        String text = String.format(Locale.ROOT, "%s On %d test digits (%d × %d, %d training digits): %s; %s.", identity,
                r.nTest(), r.height(), r.width(), r.config().train(), parts.get(0), parts.get(1));
        if (!identical) {
            return Decision.notShown(text + " The kernels without pooling are not identical: the claim's first"
                    + " sentence fails here.");
        }
        if (!differ) {
            return Decision.partly(text + " The identity holds, but the pooled kernels with and without weight sharing"
                    + " do not differ either.");
        }
        if (ahead == VERDICT_PAIRS.length) {
            return Decision.shown(text + " The kernels are identical without pooling, and pooling, which uses the"
                    + " weight sharing, classifies better for both kernels.");
        }
        if (ahead == 0 && behind > 0) {
            return Decision.partly(text + " The kernels are identical without pooling, but pooling classifies worse:"
                    + " on these digits the translation structure the pooled kernels use does not help.");
        }
        return Decision.partly(text + " The kernels are identical without pooling; " + (ahead > 0 ? "pooling helps one"
                + " kernel but not the other by two paired standard errors." : "neither accuracy difference is decided"
                + " by two paired standard errors at this size."));
    }

    @Override
    public String name() {
        return "cntk-mnist";
    }

    @Override
    public PaperClaim claim() {
        return CLAIM;
    }

    @Override
    public boolean readsData() {
        return true;
    }

    @Override
    public String description() {
        return "Novak et al.'s CNN-GP, Arora et al.'s CNTK on digits: test accuracy of kernel regression (one-hot"
                + " targets, t = ∞, argmax) with the fully connected NNGP and NTK, the CNN-GP and CNTK without pooling"
                + " (Flatten) and with global average pooling; depth-3 ReLU networks, 3 × 3 convolutions with zero"
                + " padding. Default: the first 250 training and 300 test digits, pre-pooled to 14 × 14 by 2 × 2 means"
                + String.format(Locale.ROOT, " (a first AvgPool2D(2)); --full: 1,000 + 1,000 digits at 28 × 28"
                        + " (estimated at %.1e operations, about %s on two cores: the pooled kernels carry every pixel"
                        + " pair).", work(Config.full(), 28, 28), Budget.duration(work(Config.full(), 28, 28)
                                / Budget.NOMINAL_RATE)) + " The same networks without"
                + " weight sharing (LocallyConnected2D) give the LCN-GP and LCN-NTK, compared with the CNN's kernels"
                + " entry by entry (Novak et al.: identical without pooling). Accuracies with standard errors over the"
                + " test digits, paired standard errors of the differences; the verdict covers the identity and"
                + " compares pooled with unpooled kernels.";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("--train", null, "training digits (default 250; --full 1000)"),
                new Param("--test", null, "test digits (default 300; --full 1000)"),
                new Param("--pool", null, "pre-pool the images by k × k means, a first AvgPool2D(k) (default 2:"
                        + " 14 × 14; --full 1: 28 × 28)"),
                new Param("--depth", "3", "hidden layers (Dense or Conv2D 3 × 3, each with ReLU)"),
                new Param("--padding", "same", "padding of the conv layers: same (zeros) or circular"),
                Checkpoint.PARAM);
    }

    @Override
    public Report run(Settings s, Progress progress) {
        Config d = s.full() ? Config.full() : Config.standard();
        String pad = s.string("--padding");
        if (!pad.equals("same") && !pad.equals("circular")) {
            throw new BadInputException("--padding must be same or circular, got " + pad);
        }
        Config c = new Config(s.has("--train") ? s.integer("--train") : d.train(),
                s.has("--test") ? s.integer("--test") : d.test(), s.has("--pool") ? s.integer("--pool") : d.pool(),
                s.integer("--depth"), pad.equals("same") ? Conv2D.Padding.SAME : Conv2D.Padding.CIRCULAR);
        Mnist.Split split = Mnist.split(s.data());
        if (c.pool() > split.train().rows()) {
            throw new BadInputException("--pool must be at most " + split.train().rows() + ", got " + c.pool());
        }
        checkBudget(c, split.train().rows() / c.pool(), split.train().cols() / c.pool(), Budget.maxWork(s));
        return render(compute(c, split, Checkpoint.of(s, checkpointSettings(c, split.source())), progress));
    }

    /** The report, every sentence about the data generated from the Result. */
    public static Report render(Result r) {
        Report rep = new Report("cntk-mnist", "Convolutional kernels on digits: with and without weight"
                + " sharing, pooling against Flatten");
        describe(rep, r);
        rep.verdict(decide(r));
        summarise(rep, r);
        accuracySection(rep, r);
        weightSharingSection(rep, r);
        differencesSection(rep, r);
        papersSection(rep, r);
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("labels", intVector(r.labels()));
        for (Kernel k : Kernel.values()) {
            if (r.predicted() != null && r.predicted()[k.ordinal()] != null) {
                arrays.put("predicted_" + k.key, intVector(r.predicted()[k.ordinal()]));
            }
        }
        return rep.npz("cntk-mnist.npz", arrays);
    }

    /** The claim, what this run tests of it, the run's parameters and where it differs from the papers. */
    private static void describe(Report rep, Result r) {
        Config c = r.config();
        rep.claim(CLAIM);
        rep.claim("Not in shared/papers: the quotation is checked against " + CLAIM.source() + ", where it was read,"
                + " not by the project's quotation checker. Its first sentence is tested directly: the same networks"
                + " with every Conv2D replaced by a LocallyConnected2D (the same windows, a filter of its own at every"
                + " pixel: no weight sharing) give kernels that must equal the CNN-GP's and the CNTK's to rounding"
                + String.format(Locale.ROOT, " (max relative difference ≤ %.0e) on this run's digits without pooling,",
                        IDENTICAL)
                + " and must differ with global average pooling. Its consequence, what an accuracy test on digits can"
                + " see: global average pooling does use the translation structure (the pooled kernel depends on every"
                + " pair of positions), so the verdict also compares, on the same test digits, the pooled kernels with"
                + " their Flatten counterparts by the paired standard error of the difference of accuracies: shown"
                + " when the identity holds and pooling classifies better for both the CNN-GP and the CNTK, partly when"
                + " the identity holds but pooling does not help both, not shown when the identity fails.");
        rep.param("data", String.format(Locale.ROOT, "%s: the first %d training and %d test digits, %s, each scaled to"
                + " mean square 1 per pixel; one-hot targets", r.source(), c.train(), r.nTest(), c.pool() == 1
                        ? "28 × 28" : String.format(Locale.ROOT, "%d × %d (the mean of each %d × %d block, what a first"
                                + " AvgPool2D(%d) computes)", r.height(), r.width(), c.pool(), c.pool(), c.pool())));
        for (Arch a : Arch.values()) {
            rep.param("architecture, " + a.words, shownSpec(a, c.depth(), c.padding()) + " (NTK parameterisation)");
        }
        rep.param("kernel regression", "t = ∞ (gradient flow to convergence for the NTK, the GP posterior mean for"
                + " the NNGP), no ridge (Cholesky), prediction = argmax of the 10 outputs");
        rep.deviation("CIFAR-10 (50,000 training and 10,000 test images, 32 × 32 × 3)", String.format(Locale.ROOT,
                "MNIST digits, %d training and %d test, %d × %d × 1%s", c.train(), r.nTest(), r.height(), r.width(),
                c.pool() == 1 ? "" : " (the 28 × 28 digits pre-pooled by " + c.pool() + " × " + c.pool() + " means,"
                        + " a first AvgPool2D(" + c.pool() + "), so that the pooled kernels, which carry every pixel"
                        + " pair, finish in minutes)"));
        rep.deviation("architectures and hyperparameters of the papers' own choosing, several depths", String.format(
                Locale.ROOT, "one depth (%d hidden layers of 3 × 3 convolutions with %s padding, or of Dense), ReLU,"
                        + " W_std = √2, no bias, no hyperparameter search", c.depth(),
                c.padding() == Conv2D.Padding.SAME ? "zero (\"same\")" : "circular"));
        rep.deviation("the identity derived from the GP recursions; experiments on CIFAR-10", "the identity measured on"
                + " these digits' kernels entry by entry (the NNGP and the NTK of the networks with Conv2D and with"
                + " LocallyConnected2D layers, without and with pooling), with the accuracies of all of them");
    }

    /** Every comparison shown, in table order: the verdict's pairs, then the others. */
    private static List<Kernel[]> allPairs() {
        List<Kernel[]> all = new ArrayList<>(List.of(VERDICT_PAIRS));
        all.addAll(List.of(OTHER_PAIRS));
        return all;
    }

    /** summary.json: per kernel its accuracy and seconds, the paired differences, the sizes. */
    private static void summarise(Report rep, Result r) {
        Config c = r.config();
        List<Map<String, Object>> kj = new ArrayList<>();
        Map<String, Object> acc = new LinkedHashMap<>();
        Map<String, Object> secs = new LinkedHashMap<>();
        Map<String, Object> solve = new LinkedHashMap<>();
        for (Kernel k : Kernel.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", k.key);
            m.put("name", k.label);
            m.put("kind", k.kind.name().toLowerCase(Locale.ROOT));
            m.put("arch", spec(k.arch, c.depth(), c.padding()));
            kj.add(m);
            acc.put(k.key, r.accuracy(k).json());
            secs.put(k.key, r.seconds(k));
            solve.put(k.key, r.solveSeconds()[k.ordinal()]);
        }
        Map<String, Object> pass = new LinkedHashMap<>();
        Map<String, Object> passCpu = new LinkedHashMap<>();
        for (Arch a : Arch.values()) {
            pass.put(archKey(a), r.passSeconds()[a.ordinal()]);
            passCpu.put(archKey(a), r.passCpuSeconds()[a.ordinal()]);
        }
        List<Map<String, Object>> diffs = new ArrayList<>();
        for (Kernel[] p : allPairs()) {
            Map<String, Object> m = new LinkedHashMap<>(r.difference(p[0], p[1]).json());
            m.put("a", p[0].key);
            m.put("b", p[1].key);
            m.put("used_by_verdict", inVerdict(p));
            diffs.add(m);
        }
        rep.summary("kernels", kj).summary("accuracy", acc)
                .summary("accuracy_se_kind", "standard error of the mean of the 0/1 outcomes over the test digits")
                .summary("accuracy_differences", diffs)
                .summary("difference_se_kind", "paired: the standard error of the mean of the per-digit differences")
                .summary("n_train", c.train()).summary("n_test", r.nTest())
                .summary("image_size", r.height()).summary("image_shape", new int[] {r.height(), r.width(), 1})
                .summary("pool", c.pool()).summary("depth", c.depth())
                .summary("seconds", secs)
                .summary("seconds_kind", "wall seconds: the architecture's kernel pass (NNGP and NTK together, shared"
                        + " by its two kernels) plus the kernel's own regression solve")
                .summary("pass_seconds", pass).summary("pass_cpu_seconds", passCpu).summary("solve_seconds", solve)
                .summary("lcn_identity_max_rel_diff", ordered("nngp", r.lcn().flattenNngp(), "ntk", r.lcn().flattenNtk()))
                .summary("lcn_pooled_max_rel_diff", ordered("nngp", r.lcn().pooledNngp(), "ntk", r.lcn().pooledNtk()))
                .summary("lcn_max_rel_diff_kind", "max |K_CNN − K_LCN| / max |K_CNN| over the train × train and"
                        + " test × train kernels of the networks with Conv2D and with LocallyConnected2D layers, without"
                        + " pooling (Flatten) and with global average pooling; exact numbers, no sampling")
                .summary("lcn_identity_tolerance", IDENTICAL);
    }

    /** A JSON object of the given key, value pairs, in order. */
    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String archKey(Arch a) {
        return a.name().toLowerCase(Locale.ROOT);
    }

    private static boolean inVerdict(Kernel[] pair) {
        return List.of(VERDICT_PAIRS).contains(pair);
    }

    /** The six kernels' accuracies and seconds. */
    private static void accuracySection(Report rep, Result r) {
        Kernel[] ks = Kernel.values();
        rep.heading("Test accuracy");
        rep.table(String.format(Locale.ROOT, "Kernel regression on %d training digits, tested on %d (± standard error"
                + " over the test digits; kernel regression on fixed data has no seed). Seconds: wall time of the"
                + " architecture's kernel pass, which gives its GP and NTK together, plus the kernel's own solve; CPU"
                + " seconds of the pass (the machine may be shared)", r.config().train(), r.nTest()), ks.length,
                Report.of("kernel", i -> ks[i].label), Report.of("architecture", i -> ks[i].arch.words),
                Report.of("accuracy", i -> rep.num("accuracy/" + ks[i].key + "/mean", "%.4f")),
                Report.of("± se", i -> rep.num("accuracy/" + ks[i].key + "/se", "%.2g")),
                Report.of("seconds", i -> rep.num("seconds/" + ks[i].key, "%.1f")),
                Report.of("CPU-s of the pass", i -> rep.num("pass_cpu_seconds/" + archKey(ks[i].arch), "%.1f")));
    }

    /** The kernels with and without weight sharing, compared entry by entry. */
    private static void weightSharingSection(Report rep, Result r) {
        rep.heading("With and without weight sharing: the kernels");
        String[] rows = {"no pooling (Flatten)", "global average pooling"};
        String[] keys = {"lcn_identity_max_rel_diff", "lcn_pooled_max_rel_diff"};
        rep.table(String.format(Locale.ROOT, "max |K_CNN − K_LCN| / max |K_CNN| over the train × train and test × train"
                + " kernels of %d training and %d test digits (exact, no sampling); the networks differ only in Conv2D"
                + " against LocallyConnected2D", r.config().train(), r.nTest()), rows.length,
                Report.of("readout", i -> rows[i]),
                Report.of("NNGP (CNN-GP vs LCN-GP)", i -> rep.num(keys[i] + "/nngp", "%.3g")),
                Report.of("NTK (CNTK vs LCN-NTK)", i -> rep.num(keys[i] + "/ntk", "%.3g")),
                Report.of("Novak et al.", i -> i == 0 ? "identical" : "different"));
    }

    /** The paired differences, each against 0, and a sentence on those without a verdict. */
    private static void differencesSection(Report rep, Result r) {
        List<Kernel[]> pairs = allPairs();
        rep.heading("Paired differences (same test digits)");
        rep.table("Accuracy of the first minus the second, with the standard error of the mean per-digit difference",
                pairs.size(), Report.of("comparison", i -> pairs.get(i)[0].label + " − " + pairs.get(i)[1].label),
                rep.column("difference", "accuracy_differences", "mean", "%+.4f"),
                rep.column("± paired se", "accuracy_differences", "se", "%.2g"),
                Report.of("against 0", i -> side(r.difference(pairs.get(i)[0], pairs.get(i)[1])).words),
                Report.of("in the verdict", i -> inVerdict(pairs.get(i)) ? "yes" : "no"));
        rep.paragraph(comparisonSentences(r));
    }

    /** Arora et al.'s CIFAR-10 figures, quoted, beside this run's analogues. */
    private static void papersSection(Report rep, Result r) {
        rep.heading("The papers' numbers (CIFAR-10, a different dataset)");
        rep.paragraph(ARORA_NUMBERS.ref() + " (read at " + ARORA_NUMBERS.source() + "): \u201c"
                + ARORA_NUMBERS.quote().replace("$", "").replace("\\%", "%") + "\u201d");
        Estimate best = r.difference(Kernel.CNTK_GAP, bestGp(r));
        rep.table("CIFAR-10 figures of the papers' abstracts beside this run's analogues on digits (the abstracts give"
                + " these relative figures; the per-architecture accuracies of the papers' tables are not quoted here)",
                List.of("comparison", "paper (CIFAR-10)", "this run (digits)"),
                List.of(List.of("best CNTK (with pooling) against the best CNN-GP", "+10 % (Arora et al., against"
                        + " Novak et al.'s CNN-GPs)", String.format(Locale.ROOT, "%s − %s: %s", Kernel.CNTK_GAP.label,
                                bestGp(r).label, best.show(3))),
                        List.of("CNTK against the corresponding finite network", "−6 % (Arora et al.)",
                                "not measured (no finite networks are trained here)"),
                        List.of("CNN-GP with and without weight sharing, no pooling", "identical (Novak et al.)",
                                String.format(Locale.ROOT, "max relative difference %.2g (NNGP), %.2g (NTK): %s",
                                        r.lcn().flattenNngp(), r.lcn().flattenNtk(), r.lcn().flatten() <= IDENTICAL
                                                ? "identical to rounding" : "not identical")),
                        List.of("with global average pooling", "different (Novak et al.: the identity needs the"
                                + " absence of pooling)", String.format(Locale.ROOT, "max relative difference %.3g"
                                        + " (NNGP), %.3g (NTK)", r.lcn().pooledNngp(), r.lcn().pooledNtk()))));
    }

    /** The CNN-GP (Flatten or pooled) with the higher accuracy. */
    static Kernel bestGp(Result r) {
        return r.accuracy(Kernel.CNN_GP_GAP).mean() >= r.accuracy(Kernel.CNN_GP_FLATTEN).mean() ? Kernel.CNN_GP_GAP
                : Kernel.CNN_GP_FLATTEN;
    }

    /** What the comparisons without a verdict show, grouped by where they stand against 0, from the Result. */
    static String comparisonSentences(Result r) {
        Map<Side, List<String>> by = new java.util.EnumMap<>(Side.class);
        for (Side s : Side.values()) {
            by.put(s, new ArrayList<>());
        }
        for (Kernel[] p : OTHER_PAIRS) {
            by.get(side(r.difference(p[0], p[1]))).add(p[0].label + " − " + p[1].label);
        }
        List<String> parts = new ArrayList<>();
        for (Side s : Side.values()) {
            if (!by.get(s).isEmpty()) {
                String w = s.words.substring(0, 1).toUpperCase(Locale.ROOT) + s.words.substring(1);
                parts.add(w + ": " + String.join("; ", by.get(s)) + ".");
            }
        }
        return "Without a verdict (accuracy of the first minus the second). " + String.join(" ", parts);
    }

    private static NdArray intVector(int[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return NdArray.vector(d);
    }
}
