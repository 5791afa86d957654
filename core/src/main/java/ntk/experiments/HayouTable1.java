package ntk.experiments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ntk.BadInputException;
import ntk.Parameterization;
import ntk.activations.Elu;
import ntk.activations.LeakyRelu;
import ntk.activations.Tanh;
import ntk.arch.Network;
import ntk.data.Mnist;
import ntk.finite.FiniteNetwork;
import ntk.finite.Trainer;
import ntk.io.NdArray;
import ntk.linalg.BlasThreads;
import ntk.linalg.ParallelTasks;
import ntk.meanfield.EdgeOfChaos;

/**
 * Hayou, Doucet &amp; Rousseau, Table 1: deep fully connected networks on MNIST, one per activation and
 * initialisation — ReLU, LeakyReLU(0.01), PReLU, ELU and Tanh on the edge of chaos, Softplus and Sigmoid with He
 * initialisation (σ_w = √2, σ_b = 0; they have no EOC) — trained by SGD (batches of 128 with --full, 16 by default;
 * softmax cross-entropy, standard parameterisation) from several seeds; test accuracy at two epochs. The paper's claim: at depth 300, activations of
 * its class S (ELU, Tanh: φ' continuous; their NTK keeps more of its structure with depth) beat the ReLU-like
 * ones, and Softplus/Sigmoid off the EOC do not train at all.
 */
public final class HayouTable1 implements Experiment {

    /** One row: a name for the table, the activation's spec, and its initialisation. */
    public record Act(String name, String spec, String init, double sigmaW, double sigmaB) {
    }

    public record Config(int depth, int width, int nTrain, int nTest, int epochsA, int epochsB, int batch,
            double learningRate, int seeds, long seed, List<Act> acts) {
        public Config {
            if (depth < 1 || width < 1 || nTrain < 10 || nTest < 10 || epochsA < 1 || epochsB <= epochsA || batch < 1
                    || batch > nTrain || !(learningRate > 0) || seeds < 1 || acts.isEmpty()) {
                throw new BadInputException("hayou-table1: depth, width >= 1, 10+ digits, 1 <= epoch a < epoch b, a batch"
                        + " of 1 to the number of training digits, a positive learning rate and at least one seed are"
                        + " needed");
            }
        }

        /**
         * The default: depth 100, width 64, 1,500 digits, epochs 3 and 10, batches of 16 (the paper's 128 with this
         * little data would leave 12 updates an epoch; 16 keeps the compute and gives 8 times the updates), 3 seeds,
         * η = {@link #learningRate(int, int)} = 1e-3.
         */
        public static Config reduced(long seed) {
            return new Config(100, 64, 1500, 1000, 3, 10, 16, learningRate(100, 64), 3, seed, activations());
        }

        /**
         * The paper's size: depth 300, width 300, 10 and 100 epochs (full MNIST with --data), 3 seeds,
         * η = {@link #learningRate(int, int)} ≈ 7.1e-5.
         */
        public static Config full(long seed, int nTrain, int nTest) {
            return new Config(300, 300, nTrain, nTest, 10, 100, 128, learningRate(300, 300), 3, seed, activations());
        }

        /**
         * The default learning rate η = 1e-3 · (100 · 64)/(depth · width). In the standard parameterisation each
         * layer adds about width · E[φ(h)²] to the NTK's diagonal (AffineRule: Θ' = σw²·Θ + channelsIn·Σ + 1), so
         * Θ(x, x) grows like depth · width and the largest stable step 2/λ_max shrinks alike: this keeps η · Θ fixed
         * across sizes. At depth 100 and width 64 the EOC ELU network's limiting Θ(x, x) is 3,126 on MNIST digits
         * (λ_max(Θ)/n = 1,511 on 8 digits), so the largest stable full-batch step for softmax cross-entropy at
         * uniform outputs (Hessian 0.1 on the logits), 2/(0.1 · λ_max/n), is 0.013: the old default 1/depth = 0.01
         * sat at 3/4 of it, and nothing trained, in ntk or in a PyTorch reference of the same networks. At 1e-3 the
         * PyTorch reference trains (README, hayou-table1: ELU 0.37, Tanh 0.36, ReLU 0.14 after 10 epochs).
         */
        public static double learningRate(int depth, int width) {
            return 1e-3 * (100.0 * 64.0) / ((double) depth * width);
        }
    }

    /** The paper's seven rows; EOC points from {@link EdgeOfChaos} (ReLU-like φ: σ_b = 0, σ_w = √(2/(1 + α²))). */
    public static List<Act> activations() {
        double elu = new EdgeOfChaos(new Elu()).find(0.2).sigmaW();
        double tanh = new EdgeOfChaos(new Tanh()).find(0.2).sigmaW();
        double leaky = new EdgeOfChaos(new LeakyRelu(0.01)).find(0).sigmaW();
        double prelu = new EdgeOfChaos(new LeakyRelu(0.25)).find(0).sigmaW();
        return List.of(new Act("ReLU", "Relu", "EOC", Math.sqrt(2), 0),
                new Act("LeakyReLU(0.01)", "LeakyRelu(0.01)", "EOC", leaky, 0),
                new Act("PReLU(α0=0.25)", "PReLU(0.25)", "EOC of LeakyReLU(0.25)", prelu, 0),
                new Act("ELU", "Elu", "EOC", elu, 0.2),
                new Act("Tanh", "Tanh", "EOC", tanh, 0.2),
                new Act("Softplus", "Softplus", "He (no EOC)", Math.sqrt(2), 0),
                new Act("Sigmoid", "Sigmoid", "He (no EOC)", Math.sqrt(2), 0));
    }

    /** The paper's Table 1 accuracies (10 and 100 epochs) where we have them; null where we do not. */
    static double[] paper(String name) {
        return switch (name) {
            case "ELU" -> new double[] {0.75, 0.97};
            case "ReLU" -> new double[] {0.45, 0.84};
            case "Softplus", "Sigmoid" -> new double[] {0.10, 0.10};
            default -> null;
        };
    }

    public static String arch(Act a, int depth, int width) {
        StringBuilder s = new StringBuilder();
        String dense = String.format(Locale.ROOT, "Dense(%d, W_std=%.17g, b_std=%.17g)", width, a.sigmaW(), a.sigmaB());
        for (int l = 0; l < depth; l++) {
            s.append(l == 0 ? "" : ", ").append(dense).append(", ").append(a.spec());
        }
        return s.append(", Dense(10)").toString();
    }

    /** Per activation: test accuracy (seeds × 2: at epoch a, at epoch b) and the epoch at which a run diverged (or −1). */
    public record Row(Act act, double[][] accuracy, double[] trainLossB, int diverged) {
        public double mean(int k) {
            double s = 0;
            for (double[] a : accuracy) {
                s += a[k];
            }
            return s / accuracy.length;
        }

        public double std(int k) {
            if (accuracy.length < 2) {
                return 0;
            }
            double m = mean(k);
            double s = 0;
            for (double[] a : accuracy) {
                s += (a[k] - m) * (a[k] - m);
            }
            return Math.sqrt(s / (accuracy.length - 1));
        }
    }

    public record Result(Config config, String data, List<Row> rows) {
        public Row row(String name) {
            return rows.stream().filter(r -> r.act().name().equals(name)).findFirst().orElseThrow();
        }

        /** Mean accuracy at the second epoch of the row named, NaN when it was not run. */
        public double finalMean(String name) {
            return rows.stream().filter(r -> r.act().name().equals(name)).findFirst().map(r -> r.mean(1))
                    .orElse(Double.NaN);
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
        return "hayou-table1";
    }

    @Override
    public boolean readsData() {
        return true;
    }

    @Override
    public String description() {
        return "Hayou, Doucet & Rousseau's Table 1: deep fully connected networks on MNIST, one per activation (ReLU,"
                + " LeakyReLU(0.01), PReLU, ELU, Tanh on the edge of chaos; Softplus, Sigmoid with He init), trained by"
                + " SGD (cross-entropy, standard parameterisation) from several seeds; test accuracy mean ±"
                + " std at two epochs. Default: depth 100, width 64, 1,500 shipped digits, batches of 16, epochs 3 and 10, 3 seeds;"
                + " --full: depth 300, width 300, batches of 128, 10 and 100 epochs.";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("--depth", null, "hidden layers (default 100; 300 with --full)"),
                new Param("--width", null, "hidden width (default 64; 300 with --full)"),
                new Param("--train-size", null, "training digits (default 1500; all of --data's with --full)"),
                new Param("--epochs", null, "the two recorded epochs a,b (default 3,10; 10,100 with --full)"),
                new Param("--seeds", null, "networks per activation (default 3)"),
                new Param("--batch-size", null, "SGD minibatch size (default 16; 128 with --full)"),
                new Param("--learning-rate", null, "SGD learning rate (default 1e-3 * 6400 / (depth * width))"),
                new Param("--activations", null, "a comma-separated subset of the rows to run, by name (default: all"
                        + " seven: ReLU, LeakyReLU(0.01), PReLU(α0=0.25), ELU, Tanh, Softplus, Sigmoid)"));
    }

    /** The science. */
    public static Result compute(Config c, Mnist.Split split, Progress progress) {
        if (c.nTrain() > split.train().n() || c.nTest() > split.test().n()) {
            throw new BadInputException(String.format(Locale.ROOT, "hayou-table1 wants %d training and %d test digits;"
                    + " the data have %d and %d", c.nTrain(), c.nTest(), split.train().n(), split.test().n()));
        }
        Mnist train = split.train().head(c.nTrain());
        Mnist test = split.test().head(c.nTest());
        int every = gcd(c.epochsA(), c.epochsB());
        int na = c.acts().size();
        List<Row> rows = new ArrayList<>();
        // The networks are independent: they train side by side, one per core, each on one BLAS thread (their
        // products are small; two BLAS threads per network cost more in waking each other than they gain). Every
        // network's numbers are those of a sequential run: its own parameters, seed and batch order.
        int threads = Runtime.getRuntime().availableProcessors();
        long t0 = System.nanoTime();
        Trainer.Result[] runs = new Trainer.Result[na * c.seeds()];
        try (Progress.Task task = progress.task("networks", (long) na * c.seeds())) {
            BlasThreads.singleThreaded(() -> {
                ParallelTasks.run(threads, runs.length, i -> {
                    Act a = c.acts().get(i / c.seeds());
                    long seed = c.seed() + i % c.seeds();
                    FiniteNetwork net = new FiniteNetwork(Network.parse(arch(a, c.depth(), c.width()),
                            Parameterization.STANDARD), train.dim());
                    Trainer.Result r = new Trainer(net).train(net.init(seed),
                            Trainer.Data.classification(train.x(), train.n(), train.labels()),
                            Trainer.Data.classification(test.x(), test.n(), test.labels()),
                            Trainer.Config.epochs(c.epochsB(), c.batch(), c.learningRate())
                                    .loss(Trainer.Loss.CROSS_ENTROPY).seed(seed).recordEvery(every).kernelProbe(0)
                                    .build(), null);
                    synchronized (task) {
                        task.step();
                    }
                    return r;
                }, (i, r) -> {
                    runs[i] = r;
                    if (i % c.seeds() == c.seeds() - 1) { // an activation's last seed: its row, logged in order
                        Row row = row(c, c.acts().get(i / c.seeds()), runs, i / c.seeds());
                        rows.add(row);
                        progress.log(String.format(Locale.ROOT, "%-18s test accuracy %.3f ± %.3f at epoch %d, %.3f"
                                + " ± %.3f at epoch %d (%.1f s into the run)", row.act().name(), row.mean(0),
                                row.std(0), c.epochsA(), row.mean(1), row.std(1), c.epochsB(),
                                (System.nanoTime() - t0) * 1e-9));
                    }
                });
                return null;
            });
        }
        return new Result(c, split.source(), rows);
    }

    /** The smallest (or largest) of the values that are not NaN; NaN when all are. */
    static double extreme(boolean largest, double... v) {
        double e = Double.NaN;
        for (double x : v) {
            if (!Double.isNaN(x) && (Double.isNaN(e) || (largest ? x > e : x < e))) {
                e = x;
            }
        }
        return e;
    }

    /** The row of activation k from its seeds' results (runs[k·seeds + s]). */
    private static Row row(Config c, Act a, Trainer.Result[] runs, int k) {
        double[][] acc = new double[c.seeds()][2];
        double[] lossB = new double[c.seeds()];
        int diverged = -1;
        for (int sd = 0; sd < c.seeds(); sd++) {
            Trainer.Result r = runs[k * c.seeds() + sd];
            int[] ep = r.epoch();
            acc[sd][0] = at(r, c.epochsA());
            acc[sd][1] = at(r, c.epochsB());
            lossB[sd] = ep[ep.length - 1] == c.epochsB() ? r.trainLoss()[ep.length - 1] : Double.NaN;
            if (r.divergedAt() >= 0) {
                diverged = r.divergedAt();
            }
        }
        return new Row(a, acc, lossB, diverged);
    }

    /**
     * Test accuracy recorded at epoch e; a run that diverged before e is at chance (its outputs are not finite, its
     * predictions meaningless): 0.1.
     */
    static double at(Trainer.Result r, int e) {
        int[] ep = r.epoch();
        for (int i = 0; i < ep.length; i++) {
            if (ep[i] == e) {
                return r.testAccuracy()[i];
            }
        }
        return 0.1;
    }

    /** Greatest common divisor (record intervals that hit both recorded epochs or steps). */
    static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    @Override
    public Report run(Settings s, Progress progress) {
        Mnist.Split split = Mnist.split(s.data());
        Config base = s.full() ? Config.full(s.seed(), split.train().n(), split.test().n())
                : Config.reduced(s.seed());
        int[] ep = s.has("--epochs") ? s.integers("--epochs") : new int[] {base.epochsA(), base.epochsB()};
        if (ep.length != 2) {
            throw new BadInputException("--epochs takes two epochs a,b, got " + ep.length + " values");
        }
        List<Act> acts = base.acts();
        if (s.has("--activations")) {
            List<String> want = java.util.Arrays.stream(s.string("--activations").split(",(?![^()]*\\))"))
                    .map(String::trim).toList();
            acts = acts.stream().filter(a -> want.contains(a.name())).toList();
            if (acts.size() != want.size()) {
                throw new BadInputException("--activations: expected names among " + base.acts().stream()
                        .map(Act::name).toList() + ", got " + want);
            }
        }
        Config c = new Config(s.has("--depth") ? s.integer("--depth") : base.depth(),
                s.has("--width") ? s.integer("--width") : base.width(),
                s.has("--train-size") ? s.integer("--train-size") : base.nTrain(), base.nTest(), ep[0], ep[1],
                s.has("--batch-size") ? s.integer("--batch-size") : base.batch(), s.has("--learning-rate") ? s.number("--learning-rate")
                        : Config.learningRate(s.has("--depth") ? s.integer("--depth") : base.depth(),
                                s.has("--width") ? s.integer("--width") : base.width()), s.has("--seeds") ? s.integer("--seeds") : base.seeds(),
                s.seed(), acts);
        return render(compute(c, split, progress));
    }

    /** The report of a result. */
    public static Report render(Result r) {
        Config c = r.config();
        Report rep = new Report("hayou-table1", "Deep networks on MNIST by activation (Hayou, Doucet & Rousseau,"
                + " Table 1)");
        rep.claim("Hayou, Doucet & Rousseau (\"Mean-field behaviour of the neural tangent kernel for deep neural"
                + " networks\", Table 1): fully connected networks of depth 300 and width 300 trained by SGD (batch 128)"
                + " on MNIST reach, after 10 and 100 epochs, ELU 75 % / 97 % and ReLU 45 % / 84 % test accuracy, while"
                + " Softplus and Sigmoid with He initialisation stay at chance (~10 %): on the edge of chaos, activations"
                + " of their class S (smooth enough: ELU, Tanh), whose NTK degenerates more slowly with depth, train"
                + " faster than ReLU-like ones, and off the EOC deep nets do not train at all.");
        rep.param("architecture", String.format(Locale.ROOT, "%d × (Dense(%d), φ), Dense(10); standard"
                        + " parameterisation (W ~ N(0, σw²/fan_in), b ~ N(0, σb²))", c.depth(), c.width()))
                .param("data", String.format(Locale.ROOT, "%d training and %d test digits of the %s", c.nTrain(),
                        c.nTest(), r.data()))
                .param("training", String.format(Locale.ROOT, "SGD, batch %d, learning rate %s, softmax"
                        + " cross-entropy, epochs %d and %d recorded", c.batch(), c.learningRate(), c.epochsA(),
                        c.epochsB()))
                .param("seeds per activation", c.seeds());
        long[] seeds = new long[c.seeds()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = c.seed() + i;
        }
        rep.seeds(seeds);
        Map<String, Object> acc = new LinkedHashMap<>();
        Map<String, Object> accStd = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        for (Row row : r.rows()) {
            String n = row.act().name();
            names.add(n);
            acc.put(n, List.of(row.mean(0), row.mean(1)));
            accStd.put(n, List.of(row.std(0), row.std(1)));
        }
        rep.summary("depth", c.depth()).summary("width", c.width()).summary("epochs", List.of(c.epochsA(), c.epochsB()))
                .summary("activations", names).summary("accuracy", acc).summary("accuracy_std", accStd)
                .summary("train_size", c.nTrain()).summary("seeds", c.seeds());
        for (Row row : r.rows()) {
            String n = row.act().name();
            double[] p = paper(n);
            rows.add(List.of(n, row.act().init() + String.format(Locale.ROOT, " (σw=%.4f, σb=%s)", row.act().sigmaW(),
                            row.act().sigmaB()),
                    Report.num("accuracy/" + n + "/0", row.mean(0), "%.3f"),
                    Report.num("accuracy_std/" + n + "/0", row.std(0), "%.3f"),
                    Report.num("accuracy/" + n + "/1", row.mean(1), "%.3f"),
                    Report.num("accuracy_std/" + n + "/1", row.std(1), "%.3f"),
                    p == null ? "not available to us" : String.format(Locale.ROOT, "%.0f %% / %.0f %%", 100 * p[0],
                            100 * p[1]),
                    row.diverged() >= 0 ? "diverged at step " + row.diverged() : ""));
        }
        rep.table(String.format(Locale.ROOT, "Test accuracy (mean and standard deviation over %d seeds)", c.seeds()),
                List.of("activation", "initialisation", "epoch " + c.epochsA(), "±", "epoch " + c.epochsB(), "±",
                        "paper (10 / 100 epochs, depth 300, width 300)", "note"), rows);
        // Rows left out by --activations are NaN and take no part: the comparison needs one row of each group.
        double s = extreme(false, r.finalMean("ELU"), r.finalMean("Tanh"));
        double relu = extreme(true, r.finalMean("ReLU"), r.finalMean("LeakyReLU(0.01)"), r.finalMean("PReLU(α0=0.25)"));
        double chance = extreme(true, r.finalMean("Softplus"), r.finalMean("Sigmoid"));
        List<String> missing = new ArrayList<>();
        if (Double.isNaN(s)) {
            missing.add("ELU and Tanh");
        }
        if (Double.isNaN(relu)) {
            missing.add("the ReLU-like activations");
        }
        if (Double.isNaN(chance)) {
            missing.add("Softplus and Sigmoid");
        }
        // Nothing above chance means nothing trained: then "Softplus/Sigmoid stuck" says nothing, and the run shows
        // no part of the claim (a margin of a few tenths of a percent between chance-level rows is noise, not order).
        boolean trained = extreme(true, s, relu) > 0.2;
        boolean ahead = trained && s > relu + 0.02;
        boolean stuck = trained && chance < 0.2;
        rep.summary("class_s_min_minus_relu_like_max", s - relu);
        if (!missing.isEmpty()) {
            rep.verdict(Report.Verdict.NOT_SHOWN, "This run leaves out " + String.join(" and ", missing)
                    + " (--activations), so it cannot compare the groups the claim is about. See the table for the rows"
                    + " it ran.");
        } else {
            rep.verdict(!trained ? Report.Verdict.NOT_SHOWN : ahead && stuck ? Report.Verdict.SHOWN
                    : ahead || stuck ? Report.Verdict.PARTLY : Report.Verdict.NOT_SHOWN, (trained ? "" : "No activation"
                    + " trained above 20 % test accuracy at this size, so this run cannot compare them. ")
                    + String.format(Locale.ROOT, "At epoch %d the weaker of ELU and Tanh reaches"
                    + " %.3f against %.3f for the best ReLU-like activation (%s), and Softplus/Sigmoid reach at most %.3f"
                    + " (%s). The reduced run is far shallower, narrower and shorter than the paper's, so its accuracies"
                    + " are far below the paper's; only the ordering can be compared.", c.epochsB(), s, relu,
                    ahead ? "class S ahead, as in the paper" : "class S not ahead here, unlike the paper", chance,
                    stuck ? "near chance, as in the paper" : trained ? "above chance, unlike the paper"
                            : "near chance, like every row"));
        }
        rep.paragraph("Initialisations: ReLU-like activations on their edge of chaos (σb = 0, σw = √(2/(1 + α²)); PReLU's"
                + " slope α starts at 0.25, PyTorch's default, and is learned); ELU and Tanh on theirs at σb = 0.2 (σw from"
                + " ntk's EdgeOfChaos; the paper quotes 1.298 for Tanh, on the EOC to 0.4 %); Softplus and Sigmoid have no"
                + " EOC and take He's σw = √2, σb = 0, as the paper does. A run whose loss stopped being finite counts"
                + " as chance (0.1) from then on.");
        rep.paragraph(String.format(Locale.ROOT, "Learning rate: %s. The default is 1e-3 · 6400/(depth · width): in the"
                + " standard parameterisation the NTK's diagonal grows like depth · width, and with it the inverse of"
                + " the largest stable step; at depth 100 and width 64 the EOC ELU network's stable limit for softmax"
                + " cross-entropy is about 0.013, and at 0.01 neither ntk nor a PyTorch reference of the same networks"
                + " trains (README, hayou-table1).", c.learningRate()));
        SvgPlot bars = new SvgPlot(String.format(Locale.ROOT, "Test accuracy at epochs %d and %d by activation",
                c.epochsA(), c.epochsB()), "activation (index in the table)", "test accuracy");
        double[] idx = new double[r.rows().size()];
        double[] a0 = new double[idx.length];
        double[] a1 = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i + 1;
            a0[i] = r.rows().get(i).mean(0);
            a1[i] = r.rows().get(i).mean(1);
        }
        bars.points("epoch " + c.epochsA(), idx, a0, SvgPlot.color(0));
        bars.points("epoch " + c.epochsB(), idx, a1, SvgPlot.color(1));
        bars.line("chance", new double[] {0.5, idx.length + 0.5}, new double[] {0.1, 0.1}, "#888888", true, true);
        List<String> legend = new ArrayList<>();
        for (int i = 0; i < r.rows().size(); i++) {
            legend.add((i + 1) + " " + r.rows().get(i).act().name());
        }
        rep.plot("hayou-table1", bars, String.join(", ", legend) + ".");
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        for (Row row : r.rows()) {
            double[] flat = new double[row.accuracy().length * 2];
            for (int i = 0; i < row.accuracy().length; i++) {
                flat[2 * i] = row.accuracy()[i][0];
                flat[2 * i + 1] = row.accuracy()[i][1];
            }
            arrays.put(row.act().spec() + "/accuracy", new NdArray(new int[] {row.accuracy().length, 2}, flat));
        }
        rep.npz("hayou-table1.npz", arrays);
        return rep;
    }
}
