package ntk.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ntk.BadInputException;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.data.Mnist;
import ntk.finite.FiniteNetwork;
import ntk.finite.Trainer;
import ntk.io.NdArray;

/**
 * Hayou, Doucet &amp; Rousseau, Table 2, on what this machine can train: residual networks of several depths, standard
 * blocks y + Dense(ReLU(y)) against blocks scaled by 1/√l (Residual scale=invsqrt_depth, their Prop. 3), dense blocks
 * on MNIST standing in for the paper's convolutional blocks on CIFAR-100; SGD (cross-entropy, standard
 * parameterisation; batches of 128 with --full, 16 by default) with the learning rate divided by 10 at 50 % and 75 %
 * of training; test accuracy early and at the end. The claim: scaling the blocks keeps the NTK of very deep ResNets from degenerating, so scaled ResNets train
 * better as depth grows.
 */
public final class HayouTable2 implements Experiment {

    public record Config(int[] depths, int width, double sigmaW, int nTrain, int nTest, int epochsEarly,
            int epochsFinal, int batch, double learningRate, double[] lrDrops, int seeds, long seed) {
        public Config {
            if (depths.length < 1 || width < 1 || !(sigmaW > 0) || nTrain < 10 || nTest < 10 || epochsEarly < 1
                    || epochsFinal <= epochsEarly || batch < 1 || !(learningRate > 0) || seeds < 1) {
                throw new BadInputException("hayou-table2: depths, width >= 1, 10+ digits, 1 <= early epoch < final"
                        + " epoch, a batch, a positive learning rate and a seed are needed");
            }
            for (int d : depths) {
                if (d < 1) {
                    throw new BadInputException("--depths must be positive, got " + d);
                }
            }
        }

        /**
         * The default: depths 10, 30, 100 blocks of width 32, 1,500 digits, 2 and 6 epochs, batches of 16 (8 times the
         * updates of the paper's 128 for the same compute), 2 seeds.
         */
        public static Config reduced(long seed) {
            return new Config(new int[] {10, 30, 100}, 32, 1.0, 1500, 1000, 2, 6, 16, 0.01, new double[] {0.5, 0.75}, 2,
                    seed);
        }

        /** --full: depths 32, 50, 104 (the paper's ResNet depths), width 256, 10 and 100 epochs, all training digits. */
        public static Config full(long seed, int nTrain, int nTest) {
            return new Config(new int[] {32, 50, 104}, 256, 1.0, nTrain, nTest, 10, 100, 128, 0.01,
                    new double[] {0.5, 0.75}, 2, seed);
        }
    }

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
    }

    /** The claim this experiment tests (to be quoted from the paper). */
    static final PaperClaim CLAIM = null;

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
                + " accuracy early and at the end. Default: 10, 30, 100 blocks of width 32, 1,500 shipped digits, batches"
                + " of 16, epochs 2 and 6; --full: 32, 50, 104 blocks of width 256, batches of 128, 10 and 100 epochs.";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("--depths", null, "residual blocks per network (default 10,30,100)"),
                new Param("--width", null, "width (default 32; 256 with --full)"),
                new Param("--train-size", null, "training digits (default 1500; all of --data's with --full)"),
                new Param("--epochs", null, "early,final epochs (default 2,6; 10,100 with --full)"),
                new Param("--seeds", null, "networks per depth and variant (default 2)"),
                new Param("--learning-rate", "0.01", "initial SGD learning rate"));
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
        try (Progress.Task task = progress.task("networks", 2L * nd * c.seeds())) {
            for (int di = 0; di < nd; di++) {
                for (int v = 0; v < 2; v++) {
                    long t0 = System.nanoTime();
                    FiniteNetwork net = new FiniteNetwork(Network.parse(arch(c.depths()[di], c.width(), c.sigmaW(),
                            v == 1), Parameterization.STANDARD), train.dim());
                    diverged[v][di] = -1;
                    for (int sd = 0; sd < c.seeds(); sd++) {
                        long seed = c.seed() + sd;
                        Trainer.Result r = new Trainer(net).train(net.init(seed),
                                Trainer.Data.classification(train.x(), train.n(), train.labels()),
                                Trainer.Data.classification(test.x(), test.n(), test.labels()),
                                Trainer.Config.epochs(c.epochsFinal(), c.batch(), c.learningRate())
                                        .loss(Trainer.Loss.CROSS_ENTROPY).lrDrops(c.lrDrops()).seed(seed)
                                        .recordEvery(HayouTable1.gcd(c.epochsEarly(), c.epochsFinal())).kernelProbe(0).build(),
                                null);
                        acc[v][di][sd][0] = HayouTable1.at(r, c.epochsEarly());
                        acc[v][di][sd][1] = HayouTable1.at(r, c.epochsFinal());
                        if (r.divergedAt() >= 0) {
                            diverged[v][di] = r.divergedAt();
                        }
                        task.step();
                    }
                    double e = 0;
                    double f = 0;
                    for (double[] a : acc[v][di]) {
                        e += a[0] / c.seeds();
                        f += a[1] / c.seeds();
                    }
                    progress.log(String.format(Locale.ROOT, "%-8s ResNet, %3d blocks: test accuracy %.3f at epoch %d,"
                            + " %.3f at epoch %d%s (%.1f s)", v == 0 ? "standard" : "scaled", c.depths()[di], e,
                            c.epochsEarly(), f, c.epochsFinal(), diverged[v][di] >= 0 ? ", diverged" : "",
                            (System.nanoTime() - t0) * 1e-9));
                }
            }
        }
        return new Result(c, split.source(), acc, diverged);
    }

    @Override
    public Report run(Settings s, Progress progress) {
        Mnist.Split split = Mnist.split(s.data());
        Config base = s.full() ? Config.full(s.seed(), split.train().n(), split.test().n()) : Config.reduced(s.seed());
        int[] ep = s.has("--epochs") ? s.integers("--epochs") : new int[] {base.epochsEarly(), base.epochsFinal()};
        if (ep.length != 2) {
            throw new BadInputException("--epochs takes two epochs early,final, got " + ep.length + " values");
        }
        Config c = new Config(s.has("--depths") ? s.integers("--depths") : base.depths(),
                s.has("--width") ? s.integer("--width") : base.width(), base.sigmaW(),
                s.has("--train-size") ? s.integer("--train-size") : base.nTrain(), base.nTest(), ep[0], ep[1],
                base.batch(), s.number("--learning-rate"), base.lrDrops(),
                s.has("--seeds") ? s.integer("--seeds") : base.seeds(), s.seed());
        return render(compute(c, split, progress));
    }

    /** The report of a result. */
    public static Report render(Result r) {
        Config c = r.config();
        int nd = c.depths().length;
        Report rep = new Report("hayou-table2", "Standard against 1/√l-scaled ResNets (Hayou, Doucet & Rousseau,"
                + " Table 2)");
        rep.claim("Hayou, Doucet & Rousseau (\"Mean-field behaviour of the neural tangent kernel for deep neural"
                + " networks\", Prop. 3 and Table 2): the NTK of a ResNet degenerates with depth like that of a network on"
                + " the edge of chaos, polynomially; scaling the l-th residual block by 1/√l slows the degeneration to a"
                + " power of 1/log L and keeps the kernel's variance from growing like (1 + σw²/2)^L, so scaled ResNets"
                + " train better than standard ones as depth grows (their Table 2: convolutional ResNets on CIFAR-10/100;"
                + " the paper's accuracies for that table were not available to us, so the comparison below is with the"
                + " direction of the claim only).");
        rep.param("architecture", String.format(Locale.ROOT, "Dense(%d), L × Residual(ReLU, Dense(%d)) [×1/√l when"
                        + " scaled], ReLU, Dense(10); σw = %s, standard parameterisation; L = %s", c.width(), c.width(),
                        c.sigmaW(), java.util.Arrays.toString(c.depths())))
                .param("data", String.format(Locale.ROOT, "%d training and %d test digits of the %s (dense blocks on"
                        + " MNIST stand in for CIFAR-100's convolutional blocks, which this machine cannot train)",
                        c.nTrain(), c.nTest(), r.data()))
                .param("training", String.format(Locale.ROOT, "SGD, batch %d, learning rate %s divided by 10 after %s of"
                        + " training, softmax cross-entropy; epochs %d (early) and %d (final)", c.batch(), c.learningRate(),
                        java.util.Arrays.toString(c.lrDrops()), c.epochsEarly(), c.epochsFinal()))
                .param("seeds", c.seeds());
        long[] seeds = new long[c.seeds()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = c.seed() + i;
        }
        rep.seeds(seeds);
        List<Object> std = new ArrayList<>();
        List<Object> sca = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        int scaledAhead = 0;
        for (int di = 0; di < nd; di++) {
            std.add(List.of(r.mean(0, di, 0), r.mean(0, di, 1)));
            sca.add(List.of(r.mean(1, di, 0), r.mean(1, di, 1)));
            if (r.mean(1, di, 1) > r.mean(0, di, 1)) {
                scaledAhead++;
            }
        }
        Map<String, Object> acc = new LinkedHashMap<>();
        acc.put("standard", std);
        acc.put("scaled", sca);
        rep.summary("depths", c.depths()).summary("epochs", List.of(c.epochsEarly(), c.epochsFinal()))
                .summary("accuracy", acc).summary("width", c.width()).summary("seeds", c.seeds());
        for (int di = 0; di < nd; di++) {
            rows.add(List.of(c.depths()[di],
                    Report.num("accuracy/standard/" + di + "/0", r.mean(0, di, 0), "%.3f"),
                    Report.num("accuracy/standard/" + di + "/1", r.mean(0, di, 1), "%.3f"),
                    Report.num("accuracy/scaled/" + di + "/0", r.mean(1, di, 0), "%.3f"),
                    Report.num("accuracy/scaled/" + di + "/1", r.mean(1, di, 1), "%.3f"),
                    (r.diverged()[0][di] >= 0 ? "standard diverged at step " + r.diverged()[0][di] + " " : "")
                            + (r.diverged()[1][di] >= 0 ? "scaled diverged at step " + r.diverged()[1][di] : "")));
        }
        rep.table(String.format(Locale.ROOT, "Test accuracy (mean over %d seeds)", c.seeds()), List.of("blocks L",
                "standard, epoch " + c.epochsEarly(), "standard, epoch " + c.epochsFinal(), "scaled, epoch "
                        + c.epochsEarly(), "scaled, epoch " + c.epochsFinal(), "note"), rows);
        boolean deepest = r.mean(1, nd - 1, 1) > r.mean(0, nd - 1, 1);
        rep.summary("scaled_ahead_at_depths", scaledAhead);
        rep.verdict(deepest && scaledAhead == nd ? Report.Verdict.SHOWN : deepest ? Report.Verdict.PARTLY
                : Report.Verdict.NOT_SHOWN, String.format(Locale.ROOT, "Scaled blocks end ahead at %d of %d depths%s.",
                scaledAhead, nd, deepest ? ", including the deepest, as the paper says"
                        : "; not at the deepest, unlike the paper"));
        rep.paragraph("No normalisation layers: a standard block adds a branch of the same scale as its input, so the"
                + " forward variance grows like (1 + σw²/2)^L (1.5^L here) and with it the NTK; the scaled blocks grow it"
                + " only like L^(σw²/2). A run whose loss stopped being finite counts as chance (0.1) from then on.");
        SvgPlot p = new SvgPlot("Final test accuracy against depth", "residual blocks L", "test accuracy").logX();
        double[] ds = java.util.Arrays.stream(c.depths()).asDoubleStream().toArray();
        double[] a0 = new double[nd];
        double[] a1 = new double[nd];
        for (int di = 0; di < nd; di++) {
            a0[di] = r.mean(0, di, 1);
            a1[di] = r.mean(1, di, 1);
        }
        p.line("standard", ds, a0, SvgPlot.color(0), false, true);
        p.line("scaled ×1/√l", ds, a1, SvgPlot.color(1), false, true);
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
            arrays.put((v == 0 ? "standard" : "scaled") + "/accuracy", new NdArray(new int[] {nd, c.seeds(), 2}, flat));
        }
        rep.npz("hayou-table2.npz", arrays);
        return rep;
    }
}
