package ntk.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ntk.BadInputException;
import ntk.Parameterization;
import ntk.Shape;
import ntk.arch.Network;
import ntk.data.Mnist;
import ntk.finite.FiniteNetwork;
import ntk.finite.Trainer;
import ntk.NdArray;
import ntk.linalg.BlasThreads;
import ntk.linalg.ParallelTasks;

/**
 * Hayou, Doucet &amp; Rousseau, Table 2, on what this machine can train: residual networks of several depths, standard
 * blocks y + Dense(ReLU(y)) against blocks scaled by 1/√l (Residual scale=invsqrt_depth, their Prop. 3), dense blocks
 * on MNIST standing in for the paper's convolutional blocks on CIFAR-100; SGD (cross-entropy, standard
 * parameterisation; batches of 128 with --full, 16 by default) with the learning rate divided by 10 at 50 % and 75 %
 * of training; test accuracy early and at the end. The claim: scaling the blocks keeps the NTK of very deep ResNets from degenerating, so scaled ResNets train
 * better as depth grows. With {@code --conv} the blocks are 3 × 3 convolutions on the digits as images (NHWC, averaged
 * to 14 × 14 by default), trained at the paper's learning rate 0.1 ({@link Config#reducedConv}, {@link
 * Config#fullConv}).
 */
public final class HayouTable2 implements Experiment {

    /**
     * The settings. {@code conv}: residual blocks of 2-D convolutions on images (width = channels), the digits first
     * averaged over {@code pool} × {@code pool} windows (AvgPool2D; 1: none); otherwise dense blocks ({@code pool} 1).
     */
    public record Config(int[] depths, int width, double sigmaW, int nTrain, int nTest, int epochsEarly,
            int epochsFinal, int batch, double learningRate, double[] lrDrops, int seeds, long seed, boolean conv,
            int pool) {
        public Config {
            if (depths.length < 1 || width < 1 || !(sigmaW > 0) || nTrain < 10 || nTest < 10 || epochsEarly < 1
                    || epochsFinal <= epochsEarly || batch < 1 || !(learningRate > 0) || seeds < 1 || pool < 1
                    || !conv && pool != 1) {
                throw new BadInputException("hayou-table2: depths, width >= 1, 10+ digits, 1 <= early epoch < final"
                        + " epoch, a batch, a positive learning rate and a seed are needed");
            }
            for (int d : depths) {
                if (d < 1) {
                    throw new BadInputException("--depths must be positive, got " + d);
                }
            }
        }

        /** Dense blocks (the original mode). */
        public Config(int[] depths, int width, double sigmaW, int nTrain, int nTest, int epochsEarly, int epochsFinal,
                int batch, double learningRate, double[] lrDrops, int seeds, long seed) {
            this(depths, width, sigmaW, nTrain, nTest, epochsEarly, epochsFinal, batch, learningRate, lrDrops, seeds,
                    seed, false, 1);
        }

        /**
         * The default: depths 10, 30, 60 blocks of width 32, σw = 0.5, 1,500 digits, 2 and 6 epochs, batches of 16 (8
         * times the updates of the paper's 128 for the same compute), 3 seeds. σw = 0.5, not 1: see
         * {@link #HOW_CHOSEN}.
         */
        public static Config reduced(long seed) {
            return new Config(new int[] {10, 30, 60}, 32, 0.5, 1500, 1000, 2, 6, 16, 0.01, new double[] {0.5, 0.75}, 3,
                    seed);
        }

        /** --full: depths 32, 50, 104 (the paper's ResNet depths), width 256, 10 and 100 epochs, all training digits. */
        public static Config full(long seed, int nTrain, int nTest) {
            return new Config(new int[] {32, 50, 104}, 256, 0.5, nTrain, nTest, 10, 100, 128, 0.01,
                    new double[] {0.5, 0.75}, 3, seed);
        }

        /**
         * --conv: depths 2, 4, 8 convolutional blocks of 8 channels on 14 × 14 digits (a first AvgPool2D(2)),
         * σw = 0.5, the paper's learning rate 0.1 (÷10 at 50 % and 75 %), 1,000 training and 500 test digits, batches
         * of 32 (4 times the updates of the paper's 128), epochs 1 and 6, 3 seeds: see {@link #HOW_CHOSEN_CONV}.
         */
        public static Config reducedConv(long seed) {
            return new Config(new int[] {2, 4, 8}, 8, 0.5, 1000, 500, 1, 6, 32, 0.1, new double[] {0.5, 0.75}, 3,
                    seed, true, 2);
        }

        /**
         * --conv --full: the paper's depths 32, 50, 104, batch 128, learning rate 0.1 and epochs 10 and 160, on
         * 28 × 28 digits with 16 channels (the first stage of the CIFAR ResNets), all training digits.
         */
        public static Config fullConv(long seed, int nTrain, int nTest) {
            return new Config(new int[] {32, 50, 104}, 16, 0.5, nTrain, nTest, 10, 160, 128, 0.1,
                    new double[] {0.5, 0.75}, 3, seed, true, 1);
        }

        /** The default of this mode (dense or convolutional). */
        Config reducedOfMode() {
            return conv ? reducedConv(0) : reduced(0);
        }
    }

    /** One step of how the default's σw and depths were chosen (in order; the last is the default). */
    record Choice(String settings, String outcome, String next) {
    }

    /**
     * How the default was chosen, in order (recorded runs, not this run). The paper's effect needs standard ResNets
     * that still train; without normalisation layers a dense standard block multiplies the forward variance by
     * 1 + σw²/2, so σw decides up to which depth they do.
     */
    static final List<Choice> HOW_CHOSEN = List.of(
            new Choice("σw = 1, depths 10, 30, 100, 1,500 digits, epochs 2 and 6, 2 seeds (the default before issue 18)",
                    "final accuracy standard / scaled 0.836 / 0.845 at 10 blocks, 0.102 / 0.849 at 30, 0.100 / 0.843 at"
                            + " 100: the standard networks diverged from 30 blocks on (reported then as \"shown\")",
                    "measured where standard blocks stop training"),
            new Choice("σw = 1, depths 10, 20, 30, 600 digits, epochs 1 and 3, 4 seeds (exploration)",
                    "standard networks diverged at 20 and 30 blocks (final 0.09–0.25 at 20, 0.100 on every seed at"
                            + " 30); scaled trained (final 0.43–0.63)",
                    "σw lowered to 0.5 (variance factor 1.125 per block instead of 1.5)"),
            new Choice("σw = 0.5, depths 10, 30, 60, 600 digits, epochs 1 and 3, 4 seeds (exploration)",
                    "standard trained at every depth (final 0.42–0.71; at 60 blocks 0.15–0.31), scaled ahead at epoch 1"
                            + " at 30 and 60 blocks on average",
                    "default set to σw = 0.5, depths 10, 30, 60, 3 seeds, the old length; nothing else changed"));

    /**
     * How the default of --conv was chosen, in order (recorded runs with 8 channels on 14 × 14 digits, batches of 32,
     * the paper's learning rate 0.1 ÷10 at 50 % and 75 %, 1,000 training and 500 test digits).
     */
    static final List<Choice> HOW_CHOSEN_CONV = List.of(
            new Choice("global average pooling readout, σw = 0.5 and 1, 4 blocks, 4 epochs, 2 seeds",
                    "standard networks at 0.10–0.22 test accuracy after 4 epochs (σw = 0.5: 0.104, 0.224; σw = 1: 0.136,"
                            + " 0.212): pooled 8-channel networks learn too slowly for a short run",
                    "Flatten readout"),
            new Choice("Flatten readout, σw = 0.5 and 1, 16 blocks, 3 epochs, 1 seed",
                    "standard stuck at chance (0.098 at σw = 0.5, 0.094 at σw = 1 at epoch 3), scaled trained (0.870,"
                            + " 0.834)",
                    "measured where standard blocks stop training at learning rate 0.1"),
            new Choice("Flatten readout, σw = 0.5 at 4 and 8 blocks, σw = 0.25 at 8 and 16 blocks, 3 epochs, 1 seed",
                    "standard trained at 4 blocks (0.858 at epoch 3, scaled 0.862) and stuck at chance at 8 blocks"
                            + " (0.098 at σw = 0.5 and at σw = 0.25) and 16 (0.094); scaled trained at every depth"
                            + " (0.850–0.876): a smaller σw did not keep standard blocks training",
                    "default set to σw = 0.5, depths 2, 4, 8 (two where standard blocks train, one where they do not),"
                            + " 6 epochs with the early one at epoch 1 (the paper's 10 of 160 is 1/16 of training), 3"
                            + " seeds"));

    /** Per depth and variant (0 standard, 1 scaled): accuracy per seed, [early, final]. */
    public record Result(Config config, String data, double[][][][] accuracy, int[][] diverged) {
        /** Mean over seeds of variant v at depth index di, moment k (0 early, 1 final). */
        public double mean(int v, int di, int k) {
            double s = 0;
            for (double[] a : accuracy[v][di]) {
                s += a[k];
            }
            return s / accuracy[v][di].length;
        }

        /** Mean ± standard error over seeds of variant v at depth index di, moment k (0 early, 1 final). */
        public Estimate est(int v, int di, int k) {
            double[] x = new double[accuracy[v][di].length];
            for (int i = 0; i < x.length; i++) {
                x[i] = accuracy[v][di][i][k];
            }
            return Estimate.of(x);
        }
    }

    /** How many (depth, variant) cells diverged. */
    static int countDiverged(Result r) {
        int n = 0;
        for (int[] v : r.diverged()) {
            for (int d : v) {
                n += d >= 0 ? 1 : 0;
            }
        }
        return n;
    }

    /** The claim this experiment tests, word for word. */
    static final PaperClaim CLAIM = new PaperClaim("we expect the test accuracy of Scaled Resnet to be better than"
            + " standard ResNet when the depth becomes large. … Scaled ResNet converges faster than standard ResNet for"
            + " depths 50 and 104 which confirms our result.", "Hayou, Doucet & Rousseau, §6.3, Table 2");

    @Override
    public PaperClaim claim() {
        return CLAIM;
    }

    @Override
    public String name() {
        return "hayou-table2";
    }

    @Override
    public boolean readsData() {
        return true;
    }

    @Override
    public String description() {
        return "Hayou, Doucet & Rousseau's Table 2 on this machine: ReLU residual networks (dense blocks on MNIST in place"
                + " of CIFAR-100's convolutional ones) of several depths, standard blocks vs blocks scaled by 1/sqrt(l),"
                + " trained by SGD (cross-entropy) with the learning rate divided by 10 at 50% and 75% of training; test"
                + " accuracy (mean ± standard error over seeds) early and at the end; verdict: scaled ahead early at the"
                + " deeper depths where standard blocks still train, as in the paper's Table 2. Default: 10, 30, 60 blocks of width 32, σw = 0.5, 1,500 shipped digits,"
                + " batches of 16, epochs 2 and 6, 3 seeds; --full: 32, 50, 104 blocks of width 256, batches of 128, 10 and 100 epochs."
                + " --conv: residual blocks of 3 × 3 convolutions on the digits as images, as the paper's ResNets, at"
                + " the paper's learning rate 0.1; default 2, 4, 8 blocks of 8 channels on 14 × 14 digits (a first"
                + " AvgPool2D(2)), 1,000 digits, batches of 32, epochs 1 and 6, 3 seeds; --conv --full: 32, 50, 104"
                + " blocks of 16 channels on 28 × 28 digits, batches of 128, epochs 10 and 160 (refused up front with"
                + " its estimate past --max-work).";
    }

    @Override
    public List<Param> params() {
        return List.of(Param.flag("--conv", "residual blocks of 2-D convolutions (3 × 3, zero padding) on the digits as"
                        + " images, as the paper's ResNets; default: dense blocks"),
                new Param("--depths", null, "residual blocks per network (default 10,30,60; 2,4,8 with --conv;"
                        + " 32,50,104 with --full)"),
                new Param("--sigma-w", null, "weight scale σw of every Dense or Conv2D layer (default 0.5)"),
                new Param("--width", null, "width, channels with --conv (default 32; 256 with --full; 8 with --conv,"
                        + " 16 with --conv --full)"),
                new Param("--train-size", null, "training digits (default 1500; 1000 with --conv; all of --data's with"
                        + " --full)"),
                new Param("--epochs", null, "early,final epochs (default 2,6; 1,6 with --conv; 10,100 with --full;"
                        + " 10,160 with --conv --full)"),
                new Param("--batch", null, "SGD batch (default 16; 32 with --conv; 128 with --full)"),
                new Param("--seeds", null, "networks per depth and variant (default 3)"),
                new Param("--learning-rate", null, "initial SGD learning rate (default 0.01; 0.1 with --conv, the"
                        + " paper's)"));
    }

    /** Dense(w) from the input, L residual blocks (ReLU then Dense), ReLU, Dense(10). */
    public static String arch(int depth, int width, double sigmaW, boolean scaled) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "Dense(%d, W_std=%s)", width, sigmaW));
        for (int l = 0; l < depth; l++) {
            s.append(String.format(Locale.ROOT, ", Residual(Relu, Dense(%d, W_std=%s)%s)", width, sigmaW,
                    scaled ? ", scale=invsqrt_depth" : ""));
        }
        return s.append(", Relu, Dense(10)").toString();
    }

    /**
     * A first AvgPool2D(pool) when pool > 1, Conv2D(c, 3) from the image, L residual blocks (ReLU then Conv2D(c, 3)),
     * ReLU, Flatten, Dense(10); zero ("same") padding, as the paper's ResNets. A Flatten readout, not global average
     * pooling: with few channels pooled networks learned too slowly for a short run ({@link #HOW_CHOSEN_CONV}).
     */
    public static String convArch(int depth, int channels, double sigmaW, boolean scaled, int pool) {
        String conv = String.format(Locale.ROOT, "Conv2D(%d, 3, padding=same, W_std=%s)", channels, sigmaW);
        StringBuilder s = new StringBuilder(pool > 1 ? "AvgPool2D(" + pool + "), " : "").append(conv);
        for (int l = 0; l < depth; l++) {
            s.append(", Residual(Relu, ").append(conv).append(scaled ? ", scale=invsqrt_depth)" : ")");
        }
        return s.append(", Relu, Flatten, Dense(10)").toString();
    }

    /** The network of depth index di, variant scaled, on digits of rows × cols pixels. */
    static FiniteNetwork network(Config c, int depth, boolean scaled, int rows, int cols) {
        if (c.conv()) {
            return new FiniteNetwork(Network.parse(convArch(depth, c.width(), c.sigmaW(), scaled, c.pool()),
                    Parameterization.STANDARD), Shape.image(rows, cols, 1));
        }
        return new FiniteNetwork(Network.parse(arch(depth, c.width(), c.sigmaW(), scaled), Parameterization.STANDARD),
                rows * cols);
    }

    /** The training of every network: SGD epochs, cross-entropy, the learning-rate drops, records at both epochs. */
    static Trainer.Config training(Config c, long seed) {
        return Trainer.Config.epochs(c.epochsFinal(), c.batch(), c.learningRate()).loss(Trainer.Loss.CROSS_ENTROPY)
                .lrDrops(c.lrDrops()).seed(seed).recordEvery(HayouTable1.gcd(c.epochsEarly(), c.epochsFinal()))
                .kernelProbe(0).build();
    }

    /** The science. */
    public static Result compute(Config c, Mnist.Split split, Progress progress) {
        if (c.nTrain() > split.train().n() || c.nTest() > split.test().n()) {
            throw new BadInputException(String.format(Locale.ROOT, "hayou-table2 wants %d training and %d test digits;"
                    + " the data have %d and %d", c.nTrain(), c.nTest(), split.train().n(), split.test().n()));
        }
        Mnist train = split.train().head(c.nTrain());
        Mnist test = split.test().head(c.nTest());
        int nd = c.depths().length;
        double[][][][] acc = new double[2][nd][c.seeds()][2];
        int[][] diverged = new int[2][nd];
        for (int[] d : diverged) {
            java.util.Arrays.fill(d, -1);
        }
        // The networks are independent: they train side by side, one per core, each on one BLAS thread (as in
        // hayou-table1); every network's numbers are those of a sequential run (its own parameters, seed, batches).
        int seeds = c.seeds();
        long t0 = System.nanoTime();
        try (Progress.Task task = progress.task("networks", 2L * nd * seeds)) {
            BlasThreads.singleThreaded(() -> {
                ParallelTasks.run(Runtime.getRuntime().availableProcessors(), 2 * nd * seeds, i -> {
                    long seed = c.seed() + i % seeds;
                    FiniteNetwork net = network(c, c.depths()[i / (2 * seeds)], (i / seeds) % 2 == 1, train.rows(),
                            train.cols());
                    Trainer.Result r = new Trainer(net).train(net.init(seed),
                            Trainer.Data.classification(train.x(), train.n(), train.labels()),
                            Trainer.Data.classification(test.x(), test.n(), test.labels()), training(c, seed), null);
                    synchronized (task) {
                        task.step();
                    }
                    return r;
                }, (i, r) -> {
                    int di = i / (2 * seeds);
                    int v = (i / seeds) % 2;
                    acc[v][di][i % seeds][0] = HayouTable1.at(r, c.epochsEarly());
                    acc[v][di][i % seeds][1] = HayouTable1.at(r, c.epochsFinal());
                    if (r.divergedAt() >= 0) {
                        diverged[v][di] = r.divergedAt();
                    }
                    if (i % seeds == seeds - 1) { // a cell's last seed: its line, logged in order
                        logCell(c, progress, acc, diverged, di, v, t0);
                    }
                });
                return null;
            });
        }
        return new Result(c, split.source(), acc, diverged);
    }

    /** The log line of one (depth, variant) cell, and its divergence warning. */
    private static void logCell(Config c, Progress progress, double[][][][] acc, int[][] diverged, int di, int v,
            long t0) {
        double e = 0;
        double f = 0;
        for (double[] a : acc[v][di]) {
            e += a[0] / c.seeds();
            f += a[1] / c.seeds();
        }
        progress.log(String.format(Locale.ROOT, "%-8s %sResNet, %3d blocks: test accuracy %.3f at epoch %d, %.3f at"
                + " epoch %d%s (%.1f s into the run)", v == 0 ? "standard" : "scaled", c.conv() ? "conv " : "",
                c.depths()[di], e, c.epochsEarly(), f, c.epochsFinal(), diverged[v][di] >= 0 ? ", diverged" : "",
                (System.nanoTime() - t0) * 1e-9));
        if (diverged[v][di] >= 0) {
            progress.log(String.format(Locale.ROOT, "warning: the %s ResNet of %d blocks diverged (the loss stopped"
                    + " being finite at step %d) at learning rate %s; counted at chance", v == 0 ? "standard" : "scaled",
                    c.depths()[di], diverged[v][di], c.learningRate()));
        }
    }

    @Override
    public Report run(Settings s, Progress progress) {
        Mnist.Split split = Mnist.split(s.data());
        boolean conv = s.flag("--conv");
        int nTr = split.train().n();
        int nTe = split.test().n();
        Config base = conv ? (s.full() ? Config.fullConv(s.seed(), nTr, nTe) : Config.reducedConv(s.seed()))
                : s.full() ? Config.full(s.seed(), nTr, nTe) : Config.reduced(s.seed());
        int[] ep = s.has("--epochs") ? s.integers("--epochs") : new int[] {base.epochsEarly(), base.epochsFinal()};
        if (ep.length != 2) {
            throw new BadInputException("--epochs takes two epochs early,final, got " + ep.length + " values");
        }
        Config c = new Config(s.has("--depths") ? s.integers("--depths") : base.depths(),
                s.has("--width") ? s.integer("--width") : base.width(),
                s.has("--sigma-w") ? s.number("--sigma-w") : base.sigmaW(),
                s.has("--train-size") ? s.integer("--train-size") : base.nTrain(), base.nTest(), ep[0], ep[1],
                s.has("--batch") ? s.integer("--batch") : base.batch(),
                s.has("--learning-rate") ? s.number("--learning-rate") : base.learningRate(), base.lrDrops(),
                s.has("--seeds") ? s.integer("--seeds") : base.seeds(), s.seed(), conv, base.pool());
        if (conv) {
            checkConvBudget(c, split.train().rows(), split.train().cols(), Budget.maxWork(s));
        } else {
            double work = 0;
            double bytes = 0;
            for (int depth : c.depths()) {
                double p = Budget.denseParams(784, c.width(), depth + 1, 10);
                work += 2.0 * c.seeds() * Budget.trainingWork(p, (double) c.epochsFinal() * (c.nTrain() + c.nTest()));
                bytes = Math.max(bytes, 12 * 8 * p + 8.0 * c.batch() * c.width() * depth * 4);
            }
            Budget.check("hayou-table2", bytes, Math.max((double) c.width() * c.width(), 784.0 * c.width()), work,
                    Budget.maxWork(s));
        }
        return render(compute(c, split, progress));
    }

    /**
     * Floating-point operations of one forward pass of a convolutional network of this depth on one digit: 2·9·C_in·C
     * per pixel per convolution (the stem from one channel, then L blocks of C), at (rows/pool) × (cols/pool) pixels.
     */
    static double convForwardFlops(Config c, int depth, int rows, int cols) {
        double px = (double) (rows / c.pool()) * (cols / c.pool());
        return 2.0 * px * 9 * c.width() * (1 + (double) c.width() * depth) + 2.0 * c.width() * 10;
    }

    /**
     * Work of a convolutional run: per network, a training epoch is a forward and a backward pass (≈ 3 forward passes)
     * per training digit, and each record a forward pass over the training and the test digits; memory: the trainer's
     * own estimate for the deepest network plus the im2col patches (9·C values per pixel per convolution) of one batch.
     */
    static double[] convWork(Config c, int rows, int cols) {
        int records = c.epochsFinal() / HayouTable1.gcd(c.epochsEarly(), c.epochsFinal()) + 1;
        double work = 0;
        double bytes = 0;
        double px = (double) (rows / c.pool()) * (cols / c.pool());
        for (int depth : c.depths()) {
            double f = convForwardFlops(c, depth, rows, cols);
            work += 2.0 * c.seeds() * f * (3.0 * c.epochsFinal() * c.nTrain() + (double) records * (c.nTrain()
                    + c.nTest()));
            FiniteNetwork net = network(c, depth, false, rows, cols);
            bytes = Math.max(bytes, new Trainer(net).estimateBytes(training(c, 0), c.nTrain(), c.nTest())
                    + 8.0 * c.batch() * (depth + 1) * px * 9 * c.width());
        }
        bytes *= Math.min(Runtime.getRuntime().availableProcessors(), 2 * c.depths().length * c.seeds()); // side by side
        return new double[] {work, bytes, c.batch() * px * 9 * c.width()};
    }

    static void checkConvBudget(Config c, int rows, int cols, double maxWork) {
        double[] w = convWork(c, rows, cols);
        Budget.check("hayou-table2 --conv", 0, w[2], w[0], maxWork); // the length first: its estimate is the news
        Budget.check("hayou-table2 --conv", w[1], w[2], 0, maxWork);
    }

    /**
     * The paper's Table 2 (CIFAR100, convolutional ResNets): per depth {32, 50, 104}, test accuracy (%) at epochs 10 and
     * 160 as {standard mean, spread, scaled mean, spread}.
     */
    static final int[] PAPER_DEPTHS = {32, 50, 104};
    static final double[][] PAPER_EPOCH10 = {{54.18, 1.21, 53.89, 2.32}, {51.09, 1.73, 55.39, 1.52},
        {47.02, 3.23, 56.38, 2.54}};
    static final double[][] PAPER_EPOCH160 = {{72.49, 0.18, 74.07, 0.22}, {73.63, 1.51, 75.02, 0.44},
        {74.77, 0.29, 76.14, 0.98}};

    /** Top of the chance band (a one-class classifier scores 0.09–0.12 on MNIST digits), as in hayou-table1. */
    static final double CHANCE_TOP = HayouTable1.CHANCE_TOP;

    /**
     * The verdict, a pure function of the accuracies (mean ± standard error over seeds) and the divergence record.
     * The claim's effect is about depths beyond the shallowest (the paper: 50 and 104 against 32): at each such depth
     * the evidence counts only if the standard ResNet still trains (final accuracy ahead of {@link #CHANCE_TOP} by 2
     * standard errors, no divergence) — as the paper's do (72–75 %) — and the scaled one did not diverge; a standard
     * network blown up to chance is a different effect (no normalisation: its forward variance grows like
     * (1 + σw²/2)^L), not the paper's. "Converges faster" = the scaled network is ahead at the early epoch by more
     * than 2 combined standard errors ({@link Estimate#aheadOf}).
     * <ul>
     * <li>SHOWN: every deeper depth counts, the scaled network is ahead early at each, and behind at the end at
     * none;</li>
     * <li>PARTLY: at least one deeper depth counts and shows scaled ahead early (and none shows the standard one
     * ahead early);</li>
     * <li>NOT SHOWN: otherwise — every network diverged, fewer than two depths, one seed, no deeper depth where the
     * standard ResNet trains and the scaled one did not diverge,
     * or no counted depth with the scaled network ahead early, or a standard network ahead early.</li>
     * </ul>
     */
    public static Decision decide(Result r) {
        Config c = r.config();
        int nd = c.depths().length;
        if (nd < 2) {
            return Decision.notShown("One depth only: the claim compares depths beyond the shallowest; --depths with"
                    + " two or more would.");
        }
        if (c.seeds() < 2) {
            return Decision.notShown("One seed per network gives no standard errors, so no network can be shown"
                    + " ahead; --seeds 3 or more would.");
        }
        if (countDiverged(r) == 2 * nd) {
            return Decision.notShown(String.format(Locale.ROOT, "Every network diverged at learning rate %s (the loss"
                    + " stopped being finite), standard and scaled alike, so this run cannot test the claim; a smaller"
                    + " --learning-rate would.", c.learningRate()));
        }
        Depths d = Depths.of(r);
        List<String> counted = d.counted();
        List<String> scaledDiverged = d.scaledDiverged();
        List<String> aheadEarly = d.aheadEarly();
        List<String> behindEarly = d.behindEarly();
        List<String> behindFinal = d.behindFinal();
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "Test accuracy at epochs %d / %d (mean ±"
                + " standard error over %d seeds): %s.", c.epochsEarly(), c.epochsFinal(), c.seeds(),
                String.join("; ", d.numbers())));
        notCounted(t, c, d);
        if (counted.isEmpty() && !scaledDiverged.isEmpty()) {
            return Decision.notShown(t.append(" No depth beyond the shallowest can be counted, so this run cannot test"
                    + " the claim; a smaller --learning-rate would let the scaled networks train.").toString());
        }
        if (counted.isEmpty()) {
            return Decision.notShown(t.append(" No depth beyond the shallowest has a standard ResNet that trains, so"
                    + " this run cannot test the claim: not shown at this size. ").append(c.conv()
                            ? "Blocks without normalisation at depths where standard blocks still train (a smaller"
                                    + " --sigma-w or --learning-rate), or normalisation layers, would be needed."
                            : "Dense blocks without normalisation at depths where standard blocks still train, or"
                                    + " convolutional ResNets as the paper's (--conv), would be needed.")
                    .toString());
        }
        t.append(String.format(Locale.ROOT, " Counted depths (standard still trains): %s; scaled ahead at epoch %d by"
                + " more than 2 combined standard errors at %s", String.join(", ", counted), c.epochsEarly(),
                aheadEarly.isEmpty() ? "none" : String.join(", ", aheadEarly)));
        if (!behindEarly.isEmpty()) {
            t.append("; standard ahead at ").append(String.join(", ", behindEarly));
        }
        if (!behindFinal.isEmpty()) {
            t.append(String.format(Locale.ROOT, "; standard ahead at epoch %d at %s", c.epochsFinal(),
                    String.join(", ", behindFinal)));
        }
        t.append(".");
        if (!behindEarly.isEmpty() || aheadEarly.isEmpty()) {
            return Decision.notShown(t.toString());
        }
        if (d.blownUp().isEmpty() && scaledDiverged.isEmpty() && aheadEarly.size() == counted.size()
                && behindFinal.isEmpty()) {
            return Decision.shown(t.toString());
        }
        return Decision.partly(t.toString());
    }

    /**
     * Each depth's numbers (for the verdict's text) and where it falls: beyond the shallowest, not counted (the scaled
     * network diverged, or the standard one did not train) or counted, and then which network is ahead when.
     */
    private record Depths(List<String> numbers, List<String> scaledDiverged, List<String> blownUp,
            List<String> counted, List<String> aheadEarly, List<String> behindEarly, List<String> behindFinal) {
        static Depths of(Result r) {
            Depths d = new Depths(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                    new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (int di = 0; di < r.config().depths().length; di++) {
                d.numbers.add(cellNumbers(r, di));
                String l = "L = " + r.config().depths()[di];
                if (di == 0) {
                    continue;
                }
                if (r.diverged()[1][di] >= 0) {
                    d.scaledDiverged.add(l);
                } else if (r.diverged()[0][di] >= 0 || !HayouTable1.trained(r.est(0, di, 1))) {
                    d.blownUp.add(l);
                } else {
                    d.counted.add(l);
                    Estimate se = r.est(0, di, 0);
                    Estimate ce = r.est(1, di, 0);
                    if (ce.aheadOf(se)) {
                        d.aheadEarly.add(l);
                    }
                    if (se.aheadOf(ce)) {
                        d.behindEarly.add(l);
                    }
                    if (r.est(0, di, 1).aheadOf(r.est(1, di, 1))) {
                        d.behindFinal.add(l);
                    }
                }
            }
            return d;
        }
    }

    /** "L = 10: standard early / final, scaled early / final" (mean ± standard error), and which diverged. */
    private static String cellNumbers(Result r, int di) {
        Estimate se = r.est(0, di, 0);
        Estimate ce = r.est(1, di, 0);
        Estimate sf = r.est(0, di, 1);
        Estimate cf = r.est(1, di, 1);
        boolean std = r.diverged()[0][di] >= 0;
        boolean sca = r.diverged()[1][di] >= 0;
        return String.format(Locale.ROOT, "L = %d: standard %.3f ± %.3f / %.3f ± %.3f, scaled %.3f ± %.3f / %.3f ±"
                + " %.3f%s", r.config().depths()[di], se.mean(), se.se(), sf.mean(), sf.se(), ce.mean(), ce.se(),
                cf.mean(), cf.se(), std || sca ? " (" + (std ? "standard" + (sca ? " and scaled" : "") : "scaled")
                        + " diverged)" : "");
    }

    /** The verdict's sentences on the depths not counted: standard networks that did not train, scaled that diverged. */
    private static void notCounted(StringBuilder t, Config c, Depths d) {
        List<String> blownUp = d.blownUp();
        List<String> scaledDiverged = d.scaledDiverged();
        if (!blownUp.isEmpty()) {
            t.append(String.format(Locale.ROOT, " At %s the standard ResNet did not train (diverged, or final accuracy"
                    + " not above %.2f by 2 standard errors): %s, not the paper's effect (its standard ResNets train to"
                    + " 72–75 %%), so %s not counted.", String.join(", ", blownUp), CHANCE_TOP, c.conv()
                            ? String.format(Locale.ROOT, "a failure to train at learning rate %s without normalisation"
                                    + " layers", c.learningRate())
                            : "without normalisation its forward variance grows like (1 + σw²/2)^L, a numerical"
                                    + " blow-up", blownUp.size() == 1 ? "that depth is" : "those depths are"));
        }
        if (!scaledDiverged.isEmpty()) {
            t.append(String.format(Locale.ROOT, " At %s the scaled ResNet diverged at learning rate %s, so %s not"
                    + " counted.", String.join(", ", scaledDiverged), c.learningRate(),
                    scaledDiverged.size() == 1 ? "that depth is" : "those depths are"));
        }
    }

    /** "14 × 14" (the digits' size after the first pooling). */
    static String imageSize(Config c) {
        return (28 / c.pool()) + " × " + (28 / c.pool());
    }

    /** The paper's first depth whose scaled ResNet is ahead at epoch 10 by more than the two spreads (ResNet50). */
    static final int PAPER_FIRST_GAP_DEPTH = 50;

    /**
     * Why a convolutional run that did not show the claim could not (its size), from the Result and the paper's
     * table: null when it was shown, for dense runs, and when the run reached the paper's depths.
     */
    static String sizeNote(Result r, Report.Verdict v) {
        Config c = r.config();
        int deepest = java.util.Arrays.stream(c.depths()).max().orElse(0);
        if (!c.conv() || v == Report.Verdict.SHOWN || deepest >= PAPER_FIRST_GAP_DEPTH) {
            return null;
        }
        Config full = Config.fullConv(0, Mnist.SHIPPED_TRAIN, Mnist.SHIPPED - Mnist.SHIPPED_TRAIN);
        double work = convWork(full, 28, 28)[0];
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (int variant = 0; variant < 2; variant++) {
            for (int di = 0; di < c.depths().length; di++) {
                lo = Math.min(lo, r.est(variant, di, 0).se());
                hi = Math.max(hi, r.est(variant, di, 0).se());
            }
        }
        double gap50 = (PAPER_EPOCH10[1][2] - PAPER_EPOCH10[1][0]) / 100;
        double gap104 = (PAPER_EPOCH10[2][2] - PAPER_EPOCH10[2][0]) / 100;
        String precision = String.format(Locale.ROOT, " Precision: at epoch %d this run's standard errors over %d seeds"
                + " are %.3f to %.3f, so a gap must exceed up to %.3f (%s combined standard errors) to count; the"
                + " paper's early gaps are %.3f (ResNet50) and %.3f (ResNet104)%s.", c.epochsEarly(), c.seeds(), lo, hi,
                Estimate.Z * Math.sqrt(2) * hi, Estimate.Z, gap50, gap104, Estimate.Z * Math.sqrt(2) * hi > gap50
                        ? ": at this precision even the paper's ResNet50 gap would not count" : "");
        return String.format(Locale.ROOT, "Size: the deepest network of this run has %d residual blocks (%d channels,"
                + " %s digits, %d training digits, %d epochs), below ResNet50, the paper's first depth where the scaled"
                + " network is ahead at epoch 10 (%.2f ± %.2f against %.2f ± %.2f; at ResNet32 the two are level, %.2f ±"
                + " %.2f against %.2f ± %.2f). A verdict short of \"shown\" at this size says the effect was not seen at"
                + " these depths, not that it is absent at the paper's; --conv --full runs the paper's depths, batch and"
                + " epochs (28 × 28 digits, %d channels; estimated at %.2g floating-point operations on the shipped"
                + " digits%s).", deepest, c.width(), imageSize(c), c.nTrain(), c.epochsFinal(), PAPER_EPOCH10[1][2],
                PAPER_EPOCH10[1][3], PAPER_EPOCH10[1][0], PAPER_EPOCH10[1][1], PAPER_EPOCH10[0][2], PAPER_EPOCH10[0][3],
                PAPER_EPOCH10[0][0], PAPER_EPOCH10[0][1], full.width(), work, work > Budget.DEFAULT_MAX_WORK
                        ? ", past the default --max-work of " + String.format(Locale.ROOT, "%.0e", Budget.DEFAULT_MAX_WORK)
                        : "") + precision;
    }

    /** The report of a result. */
    public static Report render(Result r) {
        Report rep = new Report("hayou-table2", "Standard against 1/√l-scaled ResNets (Hayou, Doucet & Rousseau,"
                + " Table 2)");
        describe(rep, r);
        summarise(rep, r);
        rep.verdict(decide(r));
        tables(rep, r);
        notes(rep, r);
        figure(rep, r);
        return rep;
    }

    /** The claim, what this run tests of it, where it differs from the paper, the parameters and seeds. */
    private static void describe(Report rep, Result r) {
        Config c = r.config();
        rep.claim(CLAIM);
        rep.claim("What this run tests: residual networks of several depths, standard blocks against blocks scaled by"
                + " 1/√l, trained alike from several seeds; at every depth beyond the shallowest where the standard"
                + " network still trains (as the paper's do), the scaled one must be ahead at the early epoch by more"
                + " than 2 combined standard errors (\"converges faster\") and not behind at the end. " + (c.conv()
                        ? "Convolutional blocks on MNIST digits (a different dataset) stand in for the paper's on"
                                + " CIFAR100."
                        : "Dense blocks on MNIST stand in for the paper's convolutional blocks on CIFAR100."));
        deviations(rep, r);
        rep.param("architecture", c.conv() ? String.format(Locale.ROOT, "%sConv2D(%d, 3), L × Residual(ReLU, Conv2D(%d,"
                        + " 3)) [×1/√l when scaled], ReLU, Flatten, Dense(10); zero padding, σw = %s, standard"
                        + " parameterisation; L = %s", c.pool() > 1 ? "AvgPool2D(" + c.pool() + "), " : "", c.width(),
                        c.width(), c.sigmaW(), java.util.Arrays.toString(c.depths()))
                        : String.format(Locale.ROOT, "Dense(%d), L × Residual(ReLU, Dense(%d)) [×1/√l when"
                        + " scaled], ReLU, Dense(10); σw = %s, standard parameterisation; L = %s", c.width(), c.width(),
                        c.sigmaW(), java.util.Arrays.toString(c.depths())))
                .param("data", String.format(Locale.ROOT, "%d training and %d test digits of the %s%s", c.nTrain(),
                        c.nTest(), r.data(), c.conv() ? ", images of " + imageSize(c) + " pixels" : ""))
                .param("training", String.format(Locale.ROOT, "SGD, batch %d, learning rate %s divided by 10 after %s of"
                        + " training, softmax cross-entropy; epochs %d (early) and %d (final)", c.batch(), c.learningRate(),
                        java.util.Arrays.toString(c.lrDrops()), c.epochsEarly(), c.epochsFinal()));
        rep.seedRange(c.seed(), c.seeds());
    }

    /** Where this run differs from the paper's setup (data, blocks, depths, epochs, schedule, batch, seeds, σw). */
    private static void deviations(Report rep, Result r) {
        Config c = r.config();
        if (c.conv()) {
            rep.deviation("CIFAR100 (32 × 32 colour images, 100 classes)", String.format(Locale.ROOT, "MNIST (a"
                    + " different dataset: 10 classes), %d training and %d test digits of the %s%s", c.nTrain(),
                    c.nTest(), r.data(), c.pool() > 1 ? String.format(Locale.ROOT, ", averaged to %s pixels by a first"
                            + " AvgPool2D(%d)", imageSize(c), c.pool()) : ", 28 × 28 pixels"));
            rep.deviation("ResNet32/50/104 (channels and normalisation not stated)", String.format(Locale.ROOT,
                    "residual blocks Residual(ReLU, Conv2D(%d, 3 × 3, zero padding)) of one convolution each, %d"
                    + " channels throughout (no downsampling stages), then Flatten and Dense(10) (ResNets usually end"
                    + " in global average pooling: see \"How the default was chosen\"); no normalisation layers",
                    c.width(), c.width()));
        } else {
            rep.deviation("CIFAR100, convolutional ResNets (ResNet32/50/104)", String.format(Locale.ROOT, "MNIST, %d"
                    + " training and %d test digits of the %s; dense residual blocks Residual(ReLU, Dense(%d)), no"
                    + " normalisation layers", c.nTrain(), c.nTest(), r.data(), c.width()));
        }
        rep.deviation("depths 32, 50, 104", "depths (residual blocks) " + java.util.Arrays.toString(c.depths()));
        rep.deviation("test accuracy after 10 and 160 epochs", String.format(Locale.ROOT, "after %d and %d epochs",
                c.epochsEarly(), c.epochsFinal()));
        rep.deviation("learning rate 0.1, divided by 10 after n_e/2 epochs and again after n_e/4 (as printed)",
                String.format(Locale.ROOT, "%s, divided by 10 after %s of training", c.learningRate(),
                        java.util.Arrays.toString(c.lrDrops())));
        if (c.batch() != 128) {
            rep.deviation("batch 128", "batch " + c.batch());
        }
        rep.deviation("seeds not stated (mean ± spread per row)", c.seeds() + " seeds per network");
        rep.deviation("weight scale not stated (standard ResNets that train to 72–75 %)", String.format(Locale.ROOT,
                "σw = %s in every %s layer%s", c.sigmaW(), c.conv() ? "Conv2D" : "Dense",
                c.sigmaW() == c.reducedOfMode().sigmaW() ? (c.conv() ? ", as in the dense mode (see \"How the default"
                        + " was chosen\")" : ", chosen after σw = 1 made the standard networks diverge (see \"How the"
                        + " default was chosen\")") : ", set by --sigma-w"));
    }

    /** The name of variant v (0, 1) in summary.json. */
    private static String variant(int v) {
        return v == 0 ? "standard" : "scaled";
    }

    /** summary.json: per variant and depth the [early, final] accuracies and their standard errors, divergences. */
    private static void summarise(Report rep, Result r) {
        Config c = r.config();
        int nd = c.depths().length;
        Map<String, Object> acc = new LinkedHashMap<>();
        Map<String, Object> accSe = new LinkedHashMap<>();
        Map<String, Object> div = new LinkedHashMap<>();
        for (int v = 0; v < 2; v++) {
            List<Object> means = new ArrayList<>();
            List<Object> ses = new ArrayList<>();
            List<Object> steps = new ArrayList<>();
            for (int di = 0; di < nd; di++) {
                means.add(List.of(r.mean(v, di, 0), r.mean(v, di, 1)));
                ses.add(List.of(r.est(v, di, 0).se(), r.est(v, di, 1).se()));
                steps.add(r.diverged()[v][di]);
            }
            acc.put(variant(v), means);
            accSe.put(variant(v), ses);
            div.put(variant(v), steps);
        }
        int scaledAhead = 0;
        for (int di = 0; di < nd; di++) {
            scaledAhead += r.est(1, di, 0).aheadOf(r.est(0, di, 0)) ? 1 : 0;
        }
        rep.summary("mode", c.conv() ? "conv" : "dense").summary("batch", c.batch())
                .summary("learning_rate_drops", c.lrDrops()).summary("n_train", c.nTrain()).summary("n_test", c.nTest());
        if (c.conv()) {
            rep.summary("channels", c.width()).summary("image_size", List.of(28 / c.pool(), 28 / c.pool()));
        }
        rep.summary("depths", c.depths()).summary("epochs", List.of(c.epochsEarly(), c.epochsFinal()))
                .summary("accuracy", acc).summary("accuracy_se", accSe).summary("width", c.width())
                .summary("learning_rate", c.learningRate())
                .summary("diverged", countDiverged(r) > 0).summary("diverged_at_step", div)
                .summary("scaled_ahead_at_depths", scaledAhead);
    }

    /** This run's accuracies per depth, and the paper's Table 2 beside them. */
    private static void tables(Report rep, Result r) {
        Config c = r.config();
        List<Report.Column> cols = new ArrayList<>(List.of(rep.label("blocks L", "depths")));
        for (int v = 0; v < 2; v++) {
            for (int k = 0; k < 2; k++) {
                String at = "/" + k;
                String mean = "accuracy/" + variant(v) + "/";
                String se = "accuracy_se/" + variant(v) + "/";
                cols.add(Report.of(variant(v) + ", epoch " + (k == 0 ? c.epochsEarly() : c.epochsFinal()),
                        di -> rep.num(mean + di + at, "%.3f")));
                cols.add(Report.of("± se", di -> rep.num(se + di + at, "%.3f")));
            }
        }
        cols.add(Report.of("note", di -> (r.diverged()[0][di] >= 0 ? "standard diverged at step "
                + r.diverged()[0][di] + " " : "") + (r.diverged()[1][di] >= 0 ? "scaled diverged at step "
                        + r.diverged()[1][di] : "")));
        rep.table(String.format(Locale.ROOT, "Test accuracy (mean and standard error over %d seeds)", c.seeds()),
                c.depths().length, cols.toArray(Report.Column[]::new));
        rep.table("The paper's Table 2 (CIFAR100, test accuracy %, as printed), for comparison of the pattern only",
                PAPER_DEPTHS.length, Report.of("network", i -> "ResNet" + PAPER_DEPTHS[i]),
                Report.of("standard, epoch 10", i -> printed(PAPER_EPOCH10[i], 0)),
                Report.of("standard, epoch 160", i -> printed(PAPER_EPOCH160[i], 0)),
                Report.of("scaled, epoch 10", i -> printed(PAPER_EPOCH10[i], 2)),
                Report.of("scaled, epoch 160", i -> printed(PAPER_EPOCH160[i], 2)));
    }

    /** The paper's "mean ± spread" at {@code row[at]}, {@code row[at + 1]}. */
    private static String printed(double[] row, int at) {
        return String.format(Locale.ROOT, "%.2f ± %.2f", row[at], row[at + 1]);
    }

    /** Divergences, how the default was chosen, the missing normalisation, and (when short of shown) the size. */
    private static void notes(Report rep, Result r) {
        Config c = r.config();
        if (countDiverged(r) > 0) {
            rep.paragraph(String.format(Locale.ROOT, "Diverged: the loss stopped being finite in %d of %d (depth,"
                    + " variant) cells at learning rate %s (the note column gives the step); such a run is counted at"
                    + " chance (0.1) from then on, and the verdict does not count its depth.", countDiverged(r),
                    2 * c.depths().length, c.learningRate()));
        }
        List<Choice> chosen = c.conv() ? HOW_CHOSEN_CONV : HOW_CHOSEN;
        rep.table(c.conv() ? "How the default of --conv was chosen, in order (recorded runs; 8 channels, 14 × 14"
                + " digits, 1,000 training and 500 test digits, batches of 32, learning rate 0.1 throughout)" : "How the default was chosen, in"
                + " order (recorded runs; width 32, batches of 16, learning rate 0.01 throughout)", chosen.size(),
                Report.of("step", i -> i + 1), Report.of("settings", i -> chosen.get(i).settings()),
                Report.of("outcome", i -> chosen.get(i).outcome()), Report.of("then", i -> chosen.get(i).next()));
        rep.paragraph("No normalisation layers: a standard block adds a branch of the same scale as its input, so the"
                + " forward variance grows like (1 + σw²/2)^L and with it the NTK; the scaled blocks grow it only like"
                + " L^(σw²/2). " + (c.conv() ? "The paper does not say whether its ResNets have normalisation layers."
                        : "The paper's ResNets are convolutional and are not affected this way."));
        String size = sizeNote(r, rep.verdict());
        if (size != null) {
            rep.paragraph(size);
        }
    }

    /** Accuracy against depth (the plot), and every seed's accuracies as hayou-table2.npz. */
    private static void figure(Report rep, Result r) {
        Config c = r.config();
        int nd = c.depths().length;
        SvgPlot p = new SvgPlot(String.format(Locale.ROOT, "Test accuracy against depth (dashed: epoch %d; solid: epoch"
                + " %d)", c.epochsEarly(), c.epochsFinal()), "residual blocks L", "test accuracy").logX();
        for (int v = 0; v < 2; v++) {
            for (int k = 0; k < 2; k++) {
                double[] a = new double[nd];
                for (int di = 0; di < nd; di++) {
                    a[di] = r.mean(v, di, k);
                }
                p.line((v == 0 ? "standard" : "scaled ×1/√l") + ", epoch " + (k == 0 ? c.epochsEarly()
                        : c.epochsFinal()), Report.doubles(c.depths()), a, SvgPlot.color(v), k == 0, true);
            }
        }
        rep.plot("hayou-table2", p, null);
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        for (int v = 0; v < 2; v++) {
            double[] flat = new double[nd * c.seeds() * 2];
            for (int di = 0; di < nd; di++) {
                for (int sd = 0; sd < c.seeds(); sd++) {
                    flat[(di * c.seeds() + sd) * 2] = r.accuracy()[v][di][sd][0];
                    flat[(di * c.seeds() + sd) * 2 + 1] = r.accuracy()[v][di][sd][1];
                }
            }
            arrays.put(variant(v) + "/accuracy", new NdArray(new int[] {nd, c.seeds(), 2}, flat));
        }
        rep.npz("hayou-table2.npz", arrays);
    }
}
