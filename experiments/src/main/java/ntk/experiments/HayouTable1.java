package ntk.experiments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import ntk.BadInputException;
import ntk.Parameterization;
import ntk.activations.Elu;
import ntk.activations.LeakyRelu;
import ntk.activations.Tanh;
import ntk.arch.Network;
import ntk.data.Mnist;
import ntk.finite.FiniteNetwork;
import ntk.finite.Trainer;
import ntk.NdArray;
import ntk.linalg.BlasThreads;
import ntk.linalg.ParallelTasks;
import ntk.meanfield.EdgeOfChaos;
import ntk.meanfield.FiniteWidthRelu;

/**
 * Hayou, Doucet &amp; Rousseau, Table 1: deep fully connected networks on MNIST, one per activation and
 * initialisation — ReLU, LeakyReLU(0.01), PReLU, ELU and Tanh on the edge of chaos, Softplus and Sigmoid with He
 * initialisation (σ_w = √2, σ_b = 0; they have no EOC) — trained by SGD (softmax cross-entropy) from several seeds;
 * test accuracy at two epochs. {@code --full} is the paper's set-up (§6.2): depth 300, width 300, NTK parameterisation,
 * batches of 128, η = 10⁻², the EOC points as the paper lists them, epochs 10 and 100; the default is smaller (depth 100,
 * width 64, 1,500 digits, batches of 16, standard parameterisation, η = 1e-3, the exact EOC points). The paper's claim: at depth 300, activations of
 * its class S (ELU, Tanh: φ' continuous; their NTK keeps more of its structure with depth) beat the ReLU-like
 * ones, and Softplus/Sigmoid off the EOC do not train at all.
 */
public final class HayouTable1 implements Experiment {

    /** One row: a name for the table, the activation's spec, and its initialisation. */
    public record Act(String name, String spec, String init, double sigmaW, double sigmaB) {
    }

    /**
     * A run's configuration. {@code epochsA} and {@code epochsB} are the two recorded points: epochs, or SGD updates
     * when {@code updates} (then minibatches are drawn from a fresh permutation until fewer than a batch remain, the
     * rest dropped). {@code inputs}: how the pixels reach the network.
     */
    public record Config(int depth, int width, int nTrain, int nTest, int epochsA, int epochsB, int batch,
            double learningRate, int seeds, long seed, List<Act> acts, Parameterization parameterization,
            boolean updates, Inputs inputs) {
        /** The standard parameterisation (the default's). */
        public Config(int depth, int width, int nTrain, int nTest, int epochsA, int epochsB, int batch,
                double learningRate, int seeds, long seed, List<Act> acts) {
            this(depth, width, nTrain, nTest, epochsA, epochsB, batch, learningRate, seeds, seed, acts,
                    Parameterization.STANDARD);
        }

        /** Recorded at two epochs, on the pixels as the data give them (byte / 255). */
        public Config(int depth, int width, int nTrain, int nTest, int epochsA, int epochsB, int batch,
                double learningRate, int seeds, long seed, List<Act> acts, Parameterization parameterization) {
            this(depth, width, nTrain, nTest, epochsA, epochsB, batch, learningRate, seeds, seed, acts,
                    parameterization, false, Inputs.UNIT);
        }

        /** SGD updates in an epoch: ⌈nTrain / batch⌉ (the last batch may be smaller). */
        public int updatesPerEpoch() {
            return (nTrain + batch - 1) / batch;
        }

        /** The SGD updates done at recorded point k (0: a, 1: b). */
        public long updatesAt(int k) {
            long e = k == 0 ? epochsA : epochsB;
            return updates ? e : e * updatesPerEpoch();
        }

        /** "epoch 10" or "update 4690": recorded point k (0: a, 1: b). */
        public String point(int k) {
            return (updates ? "update " : "epoch ") + (k == 0 ? epochsA : epochsB);
        }

        /** The same configuration with the recorded points counted in SGD updates (a, b) and the given inputs. */
        public Config with(boolean updates, int a, int b, Inputs inputs) {
            return new Config(depth, width, nTrain, nTest, a, b, batch, learningRate, seeds, seed, acts,
                    parameterization, updates, inputs);
        }

        public Config {
            if (depth < 1 || width < 1 || nTrain < 10 || nTest < 10 || epochsA < 1 || epochsB <= epochsA || batch < 1
                    || batch > nTrain || !(learningRate > 0) || seeds < 1 || acts.isEmpty() || inputs == null) {
                throw new BadInputException("hayou-table1: depth, width >= 1, 10+ digits, 1 <= epoch (or update) a <"
                        + " b, a batch of 1 to the number of training digits, a positive learning rate and at least one"
                        + " seed are needed");
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
         * The paper's set-up (§6.2): depth 300, width 300, NTK parameterisation, SGD with batches of 128 and
         * η = {@link #PAPER_LEARNING_RATE}, the EOC points as the paper lists them ({@link #activations(boolean)}),
         * 10 and 100 epochs, all the digits given (full MNIST with --data), 3 seeds.
         */
        public static Config full(long seed, int nTrain, int nTest) {
            return new Config(300, 300, nTrain, nTest, 10, 100, 128, PAPER_LEARNING_RATE, 3, seed, activations(true),
                    Parameterization.NTK);
        }

        /**
         * The default learning rate of a parameterisation: the paper's {@link #PAPER_LEARNING_RATE} in the NTK
         * parameterisation (the paper's), {@link #learningRate(int, int)} in the standard one.
         */
        public static double learningRate(Parameterization p, int depth, int width) {
            return p == Parameterization.NTK ? PAPER_LEARNING_RATE : learningRate(depth, width);
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

    /**
     * The paper's learning rate (§6.2: "a learning rate 10^{-2}", found by a grid search of exponential step 10, NTK
     * parameterisation).
     */
    public static final double PAPER_LEARNING_RATE = 1e-2;

    /**
     * The paper's SGD updates at its recorded epochs 10 and 100: 60,000 MNIST training digits in batches of 128 make
     * ⌈60,000/128⌉ = 469 updates an epoch (§6.2 gives the batch size and the epochs, not the count).
     */
    static final int[] PAPER_UPDATES = {4_690, 46_900};

    /** How the pixels reach the network (the paper does not say how it preprocessed MNIST). */
    public enum Inputs {
        /** byte / 255, in [0, 1], not centred (ntk's MNIST loader, as the data give them). */
        UNIT("unit"),
        /**
         * (x − m)/s with m and s the mean and standard deviation of all training pixels (one number each, as
         * torchvision's customary Normalize((0.1307,), (0.3081,)) for MNIST).
         */
        STANDARDISED("standardised");

        /** The name on the command line and in summary.json. */
        public final String id;

        Inputs(String id) {
            this.id = id;
        }

        static Inputs parse(String s) {
            for (Inputs i : values()) {
                if (i.id.equals(s.trim())) {
                    return i;
                }
            }
            throw new BadInputException("--inputs: expected 'unit' or 'standardised', got '" + s.trim() + "'");
        }
    }

    /**
     * The pixels of train and test as the network sees them: as given ({@link Inputs#UNIT}), or standardised by the
     * mean and standard deviation of the training pixels: out[0] and out[1] receive the train and test arrays (the
     * given ones for UNIT, new ones otherwise); returns {m, s} ({0, 1} for UNIT).
     */
    public static double[] prepare(Inputs inputs, double[] train, double[] test, double[][] out) {
        if (inputs == Inputs.UNIT) {
            out[0] = train;
            out[1] = test;
            return new double[] {0, 1};
        }
        double m = 0;
        for (double v : train) {
            m += v;
        }
        m /= train.length;
        double ss = 0;
        for (double v : train) {
            ss += (v - m) * (v - m);
        }
        double sd = Math.sqrt(ss / train.length);
        out[0] = new double[train.length];
        out[1] = new double[test.length];
        for (int i = 0; i < train.length; i++) {
            out[0][i] = (train[i] - m) / sd;
        }
        for (int i = 0; i < test.length; i++) {
            out[1][i] = (test[i] - m) / sd;
        }
        return new double[] {m, sd};
    }

    /** The paper's seven rows; EOC points from {@link EdgeOfChaos} (ReLU-like φ: σ_b = 0, σ_w = √(2/(1 + α²))). */
    public static List<Act> activations() {
        return activations(false);
    }

    /**
     * The paper's seven rows, ELU and Tanh at the EOC points the paper lists (§6.2: (σb, σw) = (0.2, 1.225) and (0.2,
     * 1.298), rounded) when {@code paperPoints}, else at the exact ones of {@link EdgeOfChaos} at σb = 0.2; ReLU at
     * (0, √2) either way (exact), the leaky rows at their exact points (the paper lists none), Softplus and Sigmoid with
     * He initialisation (0, √2).
     */
    public static List<Act> activations(boolean paperPoints) {
        double elu = paperPoints ? PAPER_EOC[1][1] : new EdgeOfChaos(new Elu()).find(0.2).sigmaW();
        double tanh = paperPoints ? PAPER_EOC[2][1] : new EdgeOfChaos(new Tanh()).find(0.2).sigmaW();
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

    /**
     * The paper's Table 1, MNIST columns: test accuracy (%) mean ± spread at epoch 10 and at epoch 100, in the order
     * {mean10, spread10, mean100, spread100}; null for a row the paper does not have.
     */
    static double[] paper(String name) {
        return switch (name) {
            case "ReLU" -> new double[] {44.53, 12.01, 83.75, 1.32};
            case "LeakyReLU(0.01)" -> new double[] {48.01, 4.33, 84.35, 3.26};
            case "PReLU(α0=0.25)" -> new double[] {49.33, 3.32, 87.17, 1.97};
            case "ELU" -> new double[] {75.11, 2.21, 97.13, 0.13};
            case "Tanh" -> new double[] {71.13, 1.53, 94.11, 0.33};
            case "Softplus" -> new double[] {9.89, 0.06, 10.11, 0.17};
            case "Sigmoid" -> new double[] {10.05, 0.13, 10.01, 0.09};
            default -> null;
        };
    }

    /** The paper's EOC points (§6.2): (σb, σw) for ReLU, ELU and Tanh. */
    static final double[][] PAPER_EOC = {{0, Math.sqrt(2)}, {0.2, 1.225}, {0.2, 1.298}};

    /** The exact σw of ReLU, ELU and Tanh at the σb of {@link #PAPER_EOC} (ntk's {@link EdgeOfChaos}). */
    static final double[] EXACT_EOC_W = {Math.sqrt(2), new EdgeOfChaos(new Elu()).find(0.2).sigmaW(),
        new EdgeOfChaos(new Tanh()).find(0.2).sigmaW()};

    /**
     * "paper" when the class-S rows run ran at the EOC points the paper lists, "exact" when at ntk's exact ones, else a
     * description of what ran.
     */
    static String eocPoints(Result r) {
        boolean paper = true;
        boolean exact = true;
        int ran = 0;
        for (int i = 1; i < 3; i++) {
            Row row = find(r, i == 1 ? "ELU" : "Tanh");
            if (row != null) {
                ran++;
                paper &= row.act().sigmaW() == PAPER_EOC[i][1];
                exact &= row.act().sigmaW() == EXACT_EOC_W[i];
            }
        }
        return ran == 0 ? "none (no ELU or Tanh row)" : paper ? "paper" : exact ? "exact" : "other (see the EOC table)";
    }

    /**
     * One step of how the default learning rate and length were chosen (in order; the third is the default, the fourth
     * the paper's parameterisation and learning rate tried at the default size).
     */
    record Choice(String learningRate, String length, String outcome, String next) {
    }

    /**
     * How the default's learning rate and length were chosen, in the order they were tried (depth 100, width 64,
     * 1,500 digits, batches of 16 throughout). Recorded runs, not this run: the report prints them as history.
     */
    static final List<Choice> HOW_CHOSEN = List.of(
            new Choice("η = 1/depth = 0.01", "epochs 2 and 4, 2 seeds",
                    "every row near chance (best 0.19 at epoch 4); a PyTorch reference of the same networks"
                            + " (bench/torch_table1.py) did not train either (ReLU 0.105, ELU 0.142, Tanh 0.101 after 4"
                            + " epochs); the limiting NTK puts the largest stable step of the EOC ELU network at 0.013,"
                            + " so 0.01 sat at 3/4 of it",
                    "learning rate lowered to 1e-3 · 6400/(depth · width) (= 1e-3 here), keeping η · Θ fixed across"
                            + " sizes; nothing else changed"),
            new Choice("η = 1e-3", "epochs 2 and 4, 2 seeds",
                    "inconclusive: at epoch 4 ELU 0.19 ± 0.14, Tanh 0.29 ± 0.07 (spread over 2 seeds), the ReLU-like"
                            + " rows 0.15–0.17, Softplus/Sigmoid at chance; verdict then \"not shown\" (PyTorch at 1e-3:"
                            + " ELU 0.25, ReLU 0.12 after 4 epochs)",
                    "lengthened to epochs 3 and 10 (the paper's first recorded epoch) with 3 seeds, what fit a 300 s"
                            + " budget; nothing else changed"),
            new Choice("η = 1e-3", "epochs 3 and 10, 3 seeds", "the default: this page's numbers when run at"
                    + " the default size", "none since"),
            new Choice("η = 1e-2, NTK parameterisation (the paper's)", "epochs 3 and 10, 3 seeds, ELU and ReLU only",
                    "ELU 0.273 ± 0.022, ReLU 0.098 ± 0.004 (at chance) at epoch 10 (mean ± standard error over the"
                            + " same 3 seeds; the standard default the same day: ELU 0.481 ± 0.039, ReLU 0.170 ±"
                            + " 0.032): ELU ahead of ReLU in both parameterisations, but in this one ReLU does not train"
                            + " at all (the paper's ReLU reaches 44.5 % at epoch 10) and ELU trains less",
                    "the standard parameterisation kept for the default; --full and --parameterization ntk run the"
                            + " paper's"));

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

        /** Mean over seeds at epoch a (k = 0) or b (k = 1) with its standard error. */
        public Estimate est(int k) {
            double[] v = new double[accuracy.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = accuracy[i][k];
            }
            return Estimate.of(v);
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

    /** The claim this experiment tests, word for word. */
    static final PaperClaim CLAIM = new PaperClaim("Functions in class \\mathcal{S} (ELU and Tanh) perform much better"
            + " than ReLU-like activation functions (ReLU, Leaky ReLU with parameter $\\alpha = 0.01$). … For Softplus"
            + " and Sigmoid, the training algorithm is stuck at a low test accuracy $\\sim 10\\%$ which is the test"
            + " accuracy of a uniform random classifier with 10 classes.", "Hayou, Doucet & Rousseau, §6.2, Table 1");

    /** The rows of the paper's class S and the ReLU-like rows it compares them with. */
    static final List<String> CLASS_S = List.of("ELU", "Tanh");
    static final List<String> RELU_LIKE = List.of("ReLU", "LeakyReLU(0.01)", "PReLU(α0=0.25)");
    static final List<String> NO_EOC = List.of("Softplus", "Sigmoid");

    /**
     * The top of the chance band: a classifier that predicts one class scores that class's share of the test digits,
     * 0.09–0.12 on MNIST, so "at chance" means a mean whose upper 2-standard-error bound is at most 0.15, and
     * "trained" a mean ahead of 0.15 by more than 2 standard errors.
     */
    static final double CHANCE_TOP = 0.15;

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
                + " SGD (cross-entropy) from several seeds; test accuracy mean ± standard error at two epochs beside"
                + " the paper's Table 1; verdict: ELU and Tanh each ahead of every ReLU-like row by more than 2 standard"
                + " errors, Softplus/Sigmoid at chance. Default: depth 100, width 64, 1,500 shipped digits, standard"
                + " parameterisation, batches of 16, η = 1e-3, epochs 3 and 10, 3 seeds, exact EOC points; --full: the"
                + " paper's set-up (depth 300, width 300, NTK parameterisation, batches of 128, η = 1e-2, the paper's"
                + " EOC points, 10 and 100 epochs).";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("--depth", null, "hidden layers (default 100; 300 with --full)"),
                new Param("--width", null, "hidden width (default 64; 300 with --full)"),
                new Param("--train-size", null, "training digits (default 1500; all of --data's with --full)"),
                new Param("--epochs", null, "the two recorded epochs a,b (default 3,10; 10,100 with --full)"),
                new Param("--updates", null, "record after a,b SGD updates instead of epochs; 'paper' = 4690,46900,"
                        + " the paper's updates at its epochs 10 and 100 (60,000 digits in batches of 128)"),
                new Param("--inputs", null, "unit or standardised: pixels byte/255 in [0, 1] as the data give them"
                        + " (default), or standardised by the training pixels' mean and standard deviation (the paper"
                        + " does not state its preprocessing)"),
                new Param("--seeds", null, "networks per activation (default 3)"),
                new Param("--batch-size", null, "SGD minibatch size (default 16; 128 with --full)"),
                new Param("--learning-rate", null, "SGD learning rate (default: 1e-2, the paper's, in the NTK"
                        + " parameterisation; 1e-3 * 6400 / (depth * width) in the standard one)"),
                new Param("--parameterization", null, "ntk or standard (default: standard; ntk with --full, as the"
                        + " paper)"),
                new Param("--eoc", null, "paper or exact: ELU and Tanh at the EOC points the paper lists or at ntk's"
                        + " exact ones (default: exact; paper with --full)"),
                Checkpoint.PARAM,
                new Param("--activations", null, "a comma-separated subset of the rows to run, by name (default: all"
                        + " seven: ReLU, LeakyReLU(0.01), PReLU(α0=0.25), ELU, Tanh, Softplus, Sigmoid)"));
    }

    /** The science. */
    public static Result compute(Config c, Mnist.Split split, Progress progress) {
        return compute(c, split, null, progress);
    }

    /**
     * The science, each network's numbers kept in {@code checkpoint} (null: none) as it finishes and taken from it
     * when an earlier run finished that network: a killed run started again loses only the networks in flight.
     */
    /** How often a network in training logs how far it is (seconds). */
    static final long PROGRESS_SECONDS = 600;

    public static Result compute(Config c, Mnist.Split split, Checkpoint checkpoint, Progress progress) {
        if (c.nTrain() > split.train().n() || c.nTest() > split.test().n()) {
            throw new BadInputException(String.format(Locale.ROOT, "hayou-table1 wants %d training and %d test digits;"
                    + " the data have %d and %d", c.nTrain(), c.nTest(), split.train().n(), split.test().n()));
        }
        Mnist train = split.train().head(c.nTrain());
        Mnist test = split.test().head(c.nTest());
        double[][] x = new double[2][];
        prepare(c.inputs(), train.x(), test.x(), x);
        int every = gcd(c.epochsA(), c.epochsB());
        int na = c.acts().size();
        List<Row> rows = new ArrayList<>();
        // The networks are independent: they train side by side, one per core, each on one BLAS thread (their
        // products are small; two BLAS threads per network cost more in waking each other than they gain). Every
        // network's numbers are those of a sequential run: its own parameters, seed and batch order.
        int threads = Runtime.getRuntime().availableProcessors();
        long t0 = System.nanoTime();
        double[][] cells = new double[na * c.seeds()][];
        int kept = 0;
        for (int i = 0; checkpoint != null && i < cells.length; i++) {
            cells[i] = checkpoint.get(piece(c, i));
            kept += cells[i] != null ? 1 : 0;
        }
        if (kept > 0) {
            progress.log(String.format(Locale.ROOT, "%d of %d networks finished by an earlier run (kept in the"
                    + " checkpoint folder); training the other %d", kept, cells.length, cells.length - kept));
        }
        try (Progress.Task task = progress.task("networks", (long) na * c.seeds())) {
            BlasThreads.singleThreaded(() -> {
                ParallelTasks.run(threads, cells.length, i -> {
                    if (cells[i] != null) {
                        synchronized (task) {
                            task.step();
                        }
                        return cells[i];
                    }
                    Act a = c.acts().get(i / c.seeds());
                    long seed = c.seed() + i % c.seeds();
                    FiniteNetwork net = new FiniteNetwork(Network.parse(arch(a, c.depth(), c.width()),
                            c.parameterization()), train.dim());
                    Trainer.Config tc = (c.updates() ? Trainer.Config.sgd(c.epochsB(), c.batch(), c.learningRate())
                            : Trainer.Config.epochs(c.epochsB(), c.batch(), c.learningRate()))
                            .loss(Trainer.Loss.CROSS_ENTROPY).seed(seed).recordEvery(every).kernelProbe(0).build();
                    long total = tc.totalSteps(train.n());
                    long start = System.nanoTime();
                    long[] last = {start};
                    // a network of hours says where it is every PROGRESS_SECONDS (shorter ones say nothing)
                    IntConsumer where = u -> {
                        long now = System.nanoTime();
                        if (now - last[0] >= PROGRESS_SECONDS * 1_000_000_000L) {
                            last[0] = now;
                            synchronized (task) {
                                progress.log(String.format(Locale.ROOT, "%s seed %d: %d of %d updates (%.0f %%) in"
                                        + " %.0f s", a.name(), seed, u, total, 100.0 * u / total, (now - start) * 1e-9));
                            }
                        }
                    };
                    Trainer.Result r = new Trainer(net).train(net.init(seed),
                            Trainer.Data.classification(x[0], train.n(), train.labels()),
                            Trainer.Data.classification(x[1], test.n(), test.labels()), tc, where);
                    double[] cell = cell(c, r);
                    if (checkpoint != null) {
                        checkpoint.put(piece(c, i), cell);
                    }
                    synchronized (task) {
                        task.step();
                    }
                    return cell;
                }, (i, cell) -> {
                    cells[i] = cell;
                    if (i % c.seeds() == c.seeds() - 1) { // an activation's last seed: its row, logged in order
                        Row row = row(c, c.acts().get(i / c.seeds()), cells, i / c.seeds());
                        rows.add(row);
                        progress.log(String.format(Locale.ROOT, "%-18s test accuracy %.3f ± %.3f at %s, %.3f"
                                + " ± %.3f at %s (%.1f s into the run)", row.act().name(), row.mean(0),
                                row.std(0), c.point(0), row.mean(1), row.std(1), c.point(1),
                                (System.nanoTime() - t0) * 1e-9));
                        if (row.diverged() >= 0) {
                            progress.log(String.format(Locale.ROOT, "warning: %s diverged (the loss stopped being finite"
                                    + " at step %d) at learning rate %s; its accuracy is counted at chance and the"
                                    + " verdict cannot use it", row.act().name(), row.diverged(), c.learningRate()));
                        }
                    }
                });
                return null;
            });
        }
        return new Result(c, split.source(), rows);
    }

    /**
     * What changes a network's numbers besides its activation and seed: one line each, the checkpoint folder's
     * settings (the data source too: the shipped digits and the full MNIST differ).
     */
    static List<String> checkpointSettings(Config c, String data) {
        return List.of("experiment hayou-table1", "depth " + c.depth(), "width " + c.width(),
                "parameterization " + c.parameterization(), "training digits " + c.nTrain(), "test digits " + c.nTest(),
                (c.updates() ? "updates " : "epochs ") + c.epochsA() + "," + c.epochsB(), "batch " + c.batch(),
                "learning rate " + c.learningRate(), "inputs " + c.inputs().id, "data " + data);
    }

    /** Network i's checkpoint piece: its activation (with its σ_w, σ_b) and its seed. */
    static String piece(Config c, int i) {
        Act a = c.acts().get(i / c.seeds());
        return a.name() + "-w" + a.sigmaW() + "-b" + a.sigmaB() + "-seed" + (c.seed() + i % c.seeds());
    }

    /**
     * One network's numbers for its row: test accuracy at a and at b, the training loss at b (NaN when not recorded)
     * and the step at which it diverged (−1: it did not).
     */
    static double[] cell(Config c, Trainer.Result r) {
        int[] ep = c.updates() ? r.step() : r.epoch();
        // the training loss at b: over the epoch that ends there, or on the whole training set at update b
        double lossB = ep[ep.length - 1] == c.epochsB() ? (c.updates() ? r.loss() : r.trainLoss())[ep.length - 1]
                : Double.NaN;
        return new double[] {at(ep, r.testAccuracy(), c.epochsA()), at(ep, r.testAccuracy(), c.epochsB()), lossB,
            r.divergedAt()};
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

    /** The row of activation k from its networks' {@link #cell cells} (cells[k·seeds + s]). */
    private static Row row(Config c, Act a, double[][] cells, int k) {
        double[][] acc = new double[c.seeds()][2];
        double[] lossB = new double[c.seeds()];
        int diverged = -1;
        for (int sd = 0; sd < c.seeds(); sd++) {
            double[] cell = cells[k * c.seeds() + sd];
            acc[sd][0] = cell[0];
            acc[sd][1] = cell[1];
            lossB[sd] = cell[2];
            if (cell[3] >= 0) {
                diverged = (int) cell[3];
            }
        }
        return new Row(a, acc, lossB, diverged);
    }

    /**
     * Test accuracy recorded at epoch e; a run that diverged before e is at chance (its outputs are not finite, its
     * predictions meaningless): 0.1.
     */
    static double at(Trainer.Result r, int e) {
        return at(r.epoch(), r.testAccuracy(), e);
    }

    /** As {@link #at(Trainer.Result, int)} on given recorded points (epochs or updates) and their test accuracies. */
    static double at(int[] recorded, double[] testAccuracy, int e) {
        for (int i = 0; i < recorded.length; i++) {
            if (recorded[i] == e) {
                return testAccuracy[i];
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
        if (s.has("--epochs") && s.has("--updates")) {
            throw new BadInputException("hayou-table1: give --epochs or --updates, not both");
        }
        boolean updates = s.has("--updates");
        int[] ep = updates ? (s.string("--updates").trim().equals("paper") ? PAPER_UPDATES.clone()
                : s.integers("--updates")) : s.has("--epochs") ? s.integers("--epochs")
                : new int[] {base.epochsA(), base.epochsB()};
        if (ep.length != 2) {
            throw new BadInputException((updates ? "--updates takes two update counts a,b (or 'paper')"
                    : "--epochs takes two epochs a,b") + ", got " + ep.length + " values");
        }
        Inputs inputs = s.has("--inputs") ? Inputs.parse(s.string("--inputs")) : Inputs.UNIT;
        Parameterization par = s.has("--parameterization") ? Parameterization.parse(s.string("--parameterization"))
                : base.parameterization();
        List<Act> acts = base.acts();
        if (s.has("--eoc")) {
            String e = s.string("--eoc").trim();
            if (!e.equals("paper") && !e.equals("exact")) {
                throw new BadInputException("--eoc: expected 'paper' or 'exact', got '" + e + "'");
            }
            acts = activations(e.equals("paper"));
        }
        if (s.has("--activations")) {
            List<String> want = java.util.Arrays.stream(s.string("--activations").split(",(?![^()]*\\))"))
                    .map(String::trim).toList();
            acts = acts.stream().filter(a -> want.contains(a.name())).toList();
            if (acts.size() != want.size()) {
                throw new BadInputException("--activations: expected names among " + base.acts().stream()
                        .map(Act::name).toList() + ", got " + want);
            }
        }
        int depth = s.has("--depth") ? s.integer("--depth") : base.depth();
        int width = s.has("--width") ? s.integer("--width") : base.width();
        Config c = new Config(depth, width, s.has("--train-size") ? s.integer("--train-size") : base.nTrain(),
                base.nTest(), ep[0], ep[1], s.has("--batch-size") ? s.integer("--batch-size") : base.batch(),
                s.has("--learning-rate") ? s.number("--learning-rate") : Config.learningRate(par, depth, width),
                s.has("--seeds") ? s.integer("--seeds") : base.seeds(), s.seed(), acts, par, updates, inputs);
        double p = Budget.denseParams(784, c.width(), c.depth(), 10);
        // examples through the network: the training batches, and the whole train and test sets at every record
        int every = gcd(c.epochsA(), c.epochsB());
        double examples = updates ? (double) c.epochsB() * c.batch() + (c.epochsB() / every + 1.0) * (c.nTrain()
                + c.nTest()) : (double) c.epochsB() * (c.nTrain() + c.nTest());
        double work = (double) c.acts().size() * c.seeds() * Budget.trainingWork(p, examples);
        Budget.check("hayou-table1", Math.min(c.acts().size() * c.seeds(), Runtime.getRuntime().availableProcessors())
                * (12 * 8 * p + 8.0 * c.batch() * c.width() * c.depth() * 4), Math.max((double) c.width() * c.width(),
                784.0 * c.width()), work, Budget.maxWork(s));
        return render(compute(c, split, Checkpoint.of(s, checkpointSettings(c, split.source())), progress));
    }

    /** The row named, or null when this run left it out. */
    static Row find(Result r, String name) {
        return r.rows().stream().filter(x -> x.act().name().equals(name)).findFirst().orElse(null);
    }

    /** At chance: the upper 2-standard-error bound of the mean is at most {@link #CHANCE_TOP} (false without an error). */
    static boolean atChance(Estimate e) {
        return Double.isFinite(e.se()) && e.mean() + Estimate.Z * e.se() <= CHANCE_TOP;
    }

    /** Trained: ahead of {@link #CHANCE_TOP} by more than 2 standard errors. */
    static boolean trained(Estimate e) {
        return e.aheadOf(Estimate.exact(CHANCE_TOP));
    }

    /**
     * The verdict, from the final epoch's accuracies (mean ± standard error over seeds) only:
     * <ul>
     * <li>NOT SHOWN when a group the claim compares was not run, when any row diverged (its "accuracy" is a
     * learning rate's failure, not the activation's), with one seed (no errors), when no class-S or ReLU-like row is
     * {@link #trained}, when a ReLU-like row is ahead of a class-S row ({@link Estimate#aheadOf}), or when neither
     * part of the claim holds;</li>
     * <li>SHOWN when both ELU and Tanh are each ahead of every ReLU-like row, that ReLU-like row trained (not every
     * one {@link #atChance}: the paper's reach 44–49 % at epoch 10) and Softplus and Sigmoid are both
     * {@link #atChance};</li>
     * <li>PARTLY otherwise (one class-S row ahead of every ReLU-like row, or only the at-chance part).</li>
     * </ul>
     */
    public static Decision decide(Result r) {
        Decision untestable = untestable(r);
        if (untestable != null) {
            return untestable;
        }
        Config c = r.config();
        List<Row> s = r.rows().stream().filter(x -> CLASS_S.contains(x.act().name())).toList();
        List<Row> relu = r.rows().stream().filter(x -> RELU_LIKE.contains(x.act().name())).toList();
        List<Row> off = r.rows().stream().filter(x -> NO_EOC.contains(x.act().name())).toList();
        String numbers = String.format(Locale.ROOT, "At %s (mean ± standard error over %d seed%s): %s; %s; %s.",
                c.point(1), c.seeds(), c.seeds() == 1 ? "" : "s", show(s), show(relu), show(off));
        boolean anyTrained = r.rows().stream().filter(x -> !NO_EOC.contains(x.act().name()))
                .anyMatch(x -> trained(x.est(1)));
        if (!anyTrained) {
            return Decision.notShown(numbers + String.format(Locale.ROOT, " No class-S or ReLU-like row is above"
                    + " the chance band (%.2f) by 2 standard errors: nothing trained, so the run cannot order the"
                    + " activations. Not shown at this size; longer training or the paper's size (--full --data"
                    + " MNIST_DIR: depth 300, width 300, 10 and 100 epochs) would be needed.", CHANCE_TOP));
        }
        List<String> ahead = new ArrayList<>();
        List<String> notAhead = new ArrayList<>();
        for (Row x : s) {
            boolean all = relu.stream().allMatch(y -> x.est(1).aheadOf(y.est(1)));
            (all ? ahead : notAhead).add(x.act().name());
        }
        List<String> reversed = reversed(s, relu);
        List<String> notStuck = off.stream().filter(x -> !atChance(x.est(1))).map(x -> x.act().name()).toList();
        boolean stuck = notStuck.isEmpty();
        String aheadText = ahead.isEmpty() ? "No class-S row is ahead of every ReLU-like row by more than 2 combined"
                + " standard errors" : String.join(" and ", ahead) + (ahead.size() == 1 ? " is" : " are") + " ahead of"
                + " every ReLU-like row by more than 2 combined standard errors" + (notAhead.isEmpty() ? ""
                        : ", " + String.join(" and ", notAhead) + " not");
        String text = numbers + " " + aheadText + "; " + stuckText(off, notStuck) + "."
                + (reversed.isEmpty() ? "" : " The opposite order holds: " + String.join(", ", reversed) + ".")
                + (c.depth() == 300 && c.width() == 300 ? " The verdict compares the ordering; the accuracies stand"
                        + " beside the paper's in the table." : " The run is smaller than the paper's (see the"
                        + " deviations), so only the ordering is compared, not the accuracies.");
        if (!reversed.isEmpty()) {
            return Decision.notShown(text);
        }
        boolean reluUntrained = !relu.isEmpty() && relu.stream().allMatch(y -> atChance(y.est(1)));
        if (notAhead.isEmpty() && stuck && reluUntrained) {
            return Decision.partly(text + " Every ReLU-like row is at chance, where the paper's reach 44–49 % at"
                    + " epoch 10: the class-S rows are ahead of networks that did not train, which is a weaker"
                    + " comparison than the paper's.");
        }
        if (notAhead.isEmpty() && stuck) {
            return Decision.shown(text);
        }
        return ahead.isEmpty() && !stuck ? Decision.notShown(text) : Decision.partly(text);
    }

    /**
     * NOT SHOWN when this run cannot test the claim (a group it compares left out, a row diverged, one seed: no
     * errors), else null.
     */
    private static Decision untestable(Result r) {
        Config c = r.config();
        List<String> missing = new ArrayList<>();
        if (CLASS_S.stream().allMatch(n -> find(r, n) == null)) {
            missing.add("ELU and Tanh");
        }
        if (RELU_LIKE.stream().allMatch(n -> find(r, n) == null)) {
            missing.add("the ReLU-like activations");
        }
        if (NO_EOC.stream().allMatch(n -> find(r, n) == null)) {
            missing.add("Softplus and Sigmoid");
        }
        if (!missing.isEmpty()) {
            return Decision.notShown("This run leaves out " + String.join(" and ", missing) + " (--activations), so it"
                    + " cannot compare the groups the claim is about. See the table for the rows it ran.");
        }
        List<String> div = new ArrayList<>();
        for (Row row : r.rows()) {
            if (row.diverged() >= 0) {
                div.add(row.act().name() + " (step " + row.diverged() + ")");
            }
        }
        if (!div.isEmpty()) {
            return Decision.notShown(String.format(Locale.ROOT, "Training diverged at learning rate %s: the loss stopped"
                    + " being finite for %s. A diverged network's chance-level accuracy says nothing about its activation,"
                    + " so this run cannot test the claim; a smaller --learning-rate would.", c.learningRate(),
                    String.join(", ", div)));
        }
        if (c.seeds() < 2) {
            return Decision.notShown("One seed per activation gives no standard errors, so no row can be shown ahead"
                    + " of another or at chance; --seeds 3 or more would.");
        }
        return null;
    }

    /** "ReLU ahead of Tanh", …: each ReLU-like row ahead of a class-S row at the final point. */
    private static List<String> reversed(List<Row> s, List<Row> relu) {
        List<String> reversed = new ArrayList<>();
        for (Row y : relu) {
            for (Row x : s) {
                if (y.est(1).aheadOf(x.est(1))) {
                    reversed.add(y.act().name() + " ahead of " + x.act().name());
                }
            }
        }
        return reversed;
    }

    /** "Softplus and Sigmoid are at chance (…)" when {@code notStuck} is empty, else which of them are not. */
    private static String stuckText(List<Row> off, List<String> notStuck) {
        return notStuck.isEmpty() ? String.format(Locale.ROOT, "%s at chance (mean + 2 standard errors ≤ %.2f)",
                off.stream().map(x -> x.act().name()).reduce((a, b) -> a + " and " + b).orElse("") + (off.size() > 1
                        ? " are" : " is"), CHANCE_TOP) : String.format(Locale.ROOT, "%s not at chance (mean + 2"
                + " standard errors > %.2f)", String.join(" and ", notStuck) + (notStuck.size() > 1 ? " are" : " is"),
                CHANCE_TOP);
    }

    /** "ELU 0.423 ± 0.021, Tanh …" at the final epoch. */
    private static String show(List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row x : rows) {
            Estimate e = x.est(1);
            out.add(String.format(Locale.ROOT, "%s %.3f ± %.3f", x.act().name(), e.mean(), e.se()));
        }
        return String.join(", ", out);
    }

    /** The report of a result. */
    public static Report render(Result r) {
        Report rep = new Report("hayou-table1", "Deep networks on MNIST by activation (Hayou, Doucet & Rousseau,"
                + " Table 1)");
        describe(rep, r);
        summarise(rep, r);
        rep.verdict(decide(r));
        tables(rep, r);
        notes(rep, r);
        figure(rep, r);
        return rep;
    }

    /** Whether this run's learning rate is its parameterisation's default ({@link Config#learningRate}). */
    private static boolean defaultRate(Config c) {
        return c.learningRate() == Config.learningRate(c.parameterization(), c.depth(), c.width());
    }

    /** The claim, what this run tests of it, where it differs from the paper, the parameters and seeds. */
    private static void describe(Report rep, Result r) {
        Config c = r.config();
        rep.claim(CLAIM);
        rep.claim("What this run tests: fully connected networks, one row per activation as in the paper's Table 1,"
                + " trained by SGD on MNIST digits from several seeds; at the last recorded epoch, each of ELU and Tanh"
                + " must be ahead of every ReLU-like row by more than 2 combined standard errors, and Softplus and"
                + " Sigmoid (He initialisation, no edge of chaos) must stay at chance.");
        deviations(rep, r);
        trainingDeviations(rep, r);
        String eoc = eocPoints(r);
        rep.param("architecture", String.format(Locale.ROOT, "%d × (Dense(%d), φ), Dense(10); %s", c.depth(),
                        c.width(), c.parameterization() == Parameterization.NTK ? "NTK parameterisation (raw W, b ~ N(0,"
                                + " 1); y = σw/√fan_in · W x + σb · b)"
                                : "standard parameterisation (W ~ N(0, σw²/fan_in), b ~ N(0, σb²))"))
                .param("edge-of-chaos points", eoc.equals("paper") ? "as the paper lists them (ELU (0.2, 1.225), Tanh"
                        + " (0.2, 1.298))" : eoc.equals("exact") ? "exact (ntk's EdgeOfChaos at σb = 0.2)" : eoc)
                .param("data", String.format(Locale.ROOT, "%d training and %d test digits of the %s", c.nTrain(),
                        c.nTest(), r.data()))
                .param("training", String.format(Locale.ROOT, "SGD, batch %d, learning rate %s, softmax"
                        + " cross-entropy, %s and %s recorded (%d and %d SGD updates)", c.batch(), c.learningRate(),
                        c.point(0), c.point(1), c.updatesAt(0), c.updatesAt(1)))
                .param("inputs", c.inputs() == Inputs.UNIT ? "pixels byte/255 in [0, 1]" : "pixels standardised by"
                        + " the training pixels' mean and standard deviation")
                .param("seeds per activation", c.seeds());
        rep.seedRange(c.seed(), c.seeds());
    }

    /** Where this run's data, size, length and inputs differ from the paper's. */
    private static void deviations(Report rep, Result r) {
        Config c = r.config();
        rep.deviation("MNIST (60,000 training and 10,000 test digits) and CIFAR10", String.format(Locale.ROOT,
                "MNIST only, %d training and %d test digits of the %s", c.nTrain(), c.nTest(), r.data()));
        if (c.depth() != 300) {
            rep.deviation("depth 300", "depth " + c.depth());
        }
        if (c.width() != 300) {
            rep.deviation("width 300", "width " + c.width());
        }
        if (c.updates() || c.epochsA() != 10 || c.epochsB() != 100) {
            rep.deviation("test accuracy after 10 and 100 epochs", c.updates() ? String.format(Locale.ROOT, "after %d"
                    + " and %d SGD updates (%.1f and %.1f epochs of the %d training digits; minibatches from a fresh"
                    + " permutation until fewer than %d digits remain, the rest dropped)", c.epochsA(), c.epochsB(),
                    c.epochsA() / (double) c.updatesPerEpoch(), c.epochsB() / (double) c.updatesPerEpoch(), c.nTrain(),
                    c.batch()) : String.format(Locale.ROOT, "after %d and %d epochs", c.epochsA(), c.epochsB()));
        }
        if (c.updatesAt(0) != PAPER_UPDATES[0] || c.updatesAt(1) != PAPER_UPDATES[1]) {
            rep.deviation("4,690 and 46,900 SGD updates at its recorded epochs (60,000 digits in batches of 128: 469 an"
                    + " epoch)", String.format(Locale.ROOT, "%d and %d SGD updates (%d an epoch; --updates paper runs"
                    + " the paper's counts)", c.updatesAt(0), c.updatesAt(1), c.updatesPerEpoch()));
        }
        rep.deviation("input preprocessing not stated", c.inputs() == Inputs.UNIT ? "pixels byte/255 in [0, 1], not"
                + " centred (--inputs standardised centres and scales them)" : "pixels standardised: (x − m)/s, m and s"
                + " the mean and standard deviation of all training pixels");
    }

    /** Where this run's batch, learning rate, parameterisation, seeds and initialisation differ from the paper's. */
    private static void trainingDeviations(Report rep, Result r) {
        Config c = r.config();
        if (c.batch() != 128) {
            rep.deviation("SGD batch 128", "batch " + c.batch());
        }
        rep.deviation("learning rate 10^-2, found by a grid search of exponential step 10", c.learningRate()
                == PAPER_LEARNING_RATE ? "10^-2, the paper's value; its grid search was not repeated on this data"
                : String.format(Locale.ROOT, "%s, %s", c.learningRate(), defaultRate(c) ? "the rule 1e-3 · 6400/(depth"
                        + " · width) of the standard parameterisation, set after runs that did not show the claim (see"
                        + " \"How the learning rate and length were chosen\")" : "set by --learning-rate"));
        if (c.parameterization() != Parameterization.NTK) {
            rep.deviation("NTK parameterisation (the paper's remark on its learning rate: \"the optimal learning rate"
                    + " with NTK parameterization is usually bigger\")", "standard parameterisation (W ~ N(0,"
                    + " σw²/fan_in)); --parameterization ntk (the default with --full) runs the paper's");
        }
        rep.deviation("seeds not stated (mean ± spread per row)", c.seeds() + " seeds per activation");
        String eoc = eocPoints(r);
        if (!eoc.equals("paper") && !eoc.startsWith("none")) {
            rep.deviation("ELU and Tanh on the EOC at (σb, σw) = (0.2, 1.225) and (0.2, 1.298)", String.format(
                    Locale.ROOT, "%s: σw = %s (see the EOC table; --eoc paper runs the paper's)", eoc.equals("exact")
                    ? "the exact EOC points of ntk's mean-field solver at σb = 0.2" : "EOC points",
                    r.rows().stream().filter(x -> CLASS_S.contains(x.act().name())).map(x -> String.format(Locale.ROOT,
                            "%.4f for %s", x.act().sigmaW(), x.act().name())).reduce((a, b) -> a + ", " + b)
                            .orElse("—")));
        }
        if (r.rows().stream().anyMatch(x -> x.act().name().startsWith("PReLU"))) {
            rep.deviation("PReLU: leaky-ReLU slope learned (its initial value not stated)", "PReLU from slope 0.25"
                    + " (PyTorch's default), learned, initialised on the EOC of LeakyReLU(0.25)");
        }
    }

    /** Whether some row diverged. */
    private static boolean diverged(Result r) {
        return r.rows().stream().anyMatch(x -> x.diverged() >= 0);
    }

    /**
     * summary.json: per activation (by name) the accuracies at the two recorded points with their spread and standard
     * errors, divergences, the class-S margin, and the ReLU row's finite-width scale.
     */
    private static void summarise(Report rep, Result r) {
        Config c = r.config();
        Map<String, Object> acc = new LinkedHashMap<>();
        Map<String, Object> accStd = new LinkedHashMap<>();
        Map<String, Object> accSe = new LinkedHashMap<>();
        Map<String, Object> divergedAt = new LinkedHashMap<>();
        for (Row row : r.rows()) {
            String n = row.act().name();
            acc.put(n, List.of(row.mean(0), row.mean(1)));
            accStd.put(n, List.of(row.std(0), row.std(1)));
            accSe.put(n, List.of(row.est(0).se(), row.est(1).se()));
            divergedAt.put(n, row.diverged());
        }
        double s = extreme(false, r.finalMean("ELU"), r.finalMean("Tanh"));
        double relu = extreme(true, r.finalMean("ReLU"), r.finalMean("LeakyReLU(0.01)"), r.finalMean("PReLU(α0=0.25)"));
        rep.summary("depth", c.depth()).summary("width", c.width()).summary("epochs", c.updates()
                ? List.of(c.epochsA() / (double) c.updatesPerEpoch(), c.epochsB() / (double) c.updatesPerEpoch())
                : List.of(c.epochsA(), c.epochsB()))
                .summary("updates", List.of(c.updatesAt(0), c.updatesAt(1)))
                .summary("paper_updates", List.of(PAPER_UPDATES[0], PAPER_UPDATES[1])).summary("inputs", c.inputs().id)
                .summary("activations", r.rows().stream().map(x -> x.act().name()).toList())
                .summary("accuracy", acc).summary("accuracy_std", accStd)
                .summary("accuracy_se", accSe).summary("train_size", c.nTrain()).summary("seeds", c.seeds())
                .summary("learning_rate", c.learningRate()).summary("batch_size", c.batch())
                .summary("parameterization", c.parameterization().cliName()).summary("eoc_points", eocPoints(r))
                .summary("diverged", diverged(r)).summary("diverged_at_step", divergedAt)
                .summary("class_s_min_minus_relu_like_max", s - relu);
        if (find(r, "ReLU") != null) {
            // the ReLU row's finite-width scale (σ_b = 0, σ_w = √2): exact law, from the configuration alone
            double[] ms = FiniteWidthRelu.medianScale(c.width(), c.depth());
            rep.summary("relu_median_scale", ms[0]).summary("relu_log_scale_sd", ms[1]);
        }
    }

    /** The accuracies beside the paper's Table 1, the EOC points, and how the default was chosen. */
    private static void tables(Report rep, Result r) {
        Config c = r.config();
        List<Row> rows = r.rows();
        java.util.function.IntFunction<String> name = i -> rows.get(i).act().name();
        rep.table(String.format(Locale.ROOT, "Test accuracy (mean and standard error over %d seed%s) beside the"
                + " paper's Table 1 (MNIST, depth 300, width 300; mean ± spread as printed)", c.seeds(),
                c.seeds() == 1 ? "" : "s"), rows.size(), Report.of("activation", name::apply),
                Report.of("initialisation", i -> rows.get(i).act().init() + String.format(Locale.ROOT,
                        " (σw=%.4f, σb=%s)", rows.get(i).act().sigmaW(), rows.get(i).act().sigmaB())),
                Report.of(c.point(0), i -> rep.num("accuracy/" + name.apply(i) + "/0", "%.3f")),
                Report.of("± se", i -> rep.num("accuracy_se/" + name.apply(i) + "/0", "%.3f")),
                Report.of(c.point(1), i -> rep.num("accuracy/" + name.apply(i) + "/1", "%.3f")),
                Report.of("± se", i -> rep.num("accuracy_se/" + name.apply(i) + "/1", "%.3f")),
                Report.of("paper: epoch 10 / epoch 100", i -> printed(paper(name.apply(i)))),
                Report.of("note", i -> rows.get(i).diverged() >= 0 ? "diverged at step " + rows.get(i).diverged()
                        : ""));
        if (diverged(r)) {
            rep.paragraph(String.format(Locale.ROOT, "Diverged: at learning rate %s the loss stopped being finite for"
                    + " %d of %d rows (the note column gives the step); such a run is counted at chance (0.1) from"
                    + " then on, which is why the verdict does not use it.", c.learningRate(), rows.stream()
                    .filter(x -> x.diverged() >= 0).count(), rows.size()));
        }
        List<Integer> eocRows = java.util.stream.IntStream.range(0, EOC_NAMES.size())
                .filter(i -> find(r, EOC_NAMES.get(i)) != null).boxed().toList();
        if (!eocRows.isEmpty()) {
            rep.table("Edge-of-chaos points (σb, σw): this run's, the paper's §6.2 and the exact ones of ntk's mean-field"
                    + " solver (EdgeOfChaos); the last column is the exact σw against the paper's", eocRows.size(),
                    Report.of("activation", j -> EOC_NAMES.get(eocRows.get(j))),
                    Report.of("this run", j -> {
                        Act a = find(r, EOC_NAMES.get(eocRows.get(j))).act();
                        return String.format(Locale.ROOT, "(%s, %.4f)", a.sigmaB(), a.sigmaW());
                    }),
                    Report.of("paper", j -> String.format(Locale.ROOT, "(%s, %.3f)", PAPER_EOC[eocRows.get(j)][0],
                            PAPER_EOC[eocRows.get(j)][1])),
                    Report.of("exact", j -> String.format(Locale.ROOT, "(%s, %.4f)", PAPER_EOC[eocRows.get(j)][0],
                            EXACT_EOC_W[eocRows.get(j)])),
                    Report.of("σw: exact vs paper", j -> String.format(Locale.ROOT, "%+.2f %%",
                            100 * (EXACT_EOC_W[eocRows.get(j)] / PAPER_EOC[eocRows.get(j)][1] - 1))));
        }
        rep.table("How the learning rate and length were chosen, in order (recorded runs at depth 100, width 64,"
                + " 1,500 digits, batches of 16; the settings were changed after runs that did not show the claim)",
                HOW_CHOSEN.size(), Report.of("step", i -> i + 1),
                Report.of("learning rate", i -> HOW_CHOSEN.get(i).learningRate()),
                Report.of("length", i -> HOW_CHOSEN.get(i).length()),
                Report.of("outcome", i -> HOW_CHOSEN.get(i).outcome()), Report.of("then", i -> HOW_CHOSEN.get(i).next()));
    }

    /** The rows of {@link #PAPER_EOC} and {@link #EXACT_EOC_W}. */
    private static final List<String> EOC_NAMES = List.of("ReLU", "ELU", "Tanh");

    /** The paper's "mean ± spread % / mean ± spread %" at epochs 10 and 100, or "—" for a row it does not have. */
    private static String printed(double[] p) {
        return p == null ? "—" : String.format(Locale.ROOT, "%.2f ± %.2f %% / %.2f ± %.2f %%", p[0], p[1], p[2], p[3]);
    }

    /** This run's learning rate, the ReLU row's finite-width scale, and the initialisations. */
    private static void notes(Report rep, Result r) {
        Config c = r.config();
        rep.paragraph(c.parameterization() == Parameterization.NTK ? String.format(Locale.ROOT, "This run's learning"
                + " rate: %s (%s), NTK parameterisation, in which the NTK does not grow with the width, so the paper's"
                + " step carries over across widths.", c.learningRate(), defaultRate(c) ? "the paper's"
                        : "set by --learning-rate") : String.format(Locale.ROOT, "This run's learning rate: %s (%s)."
                + " In the standard parameterisation every layer adds about width · E[φ²] to the NTK's diagonal, so its"
                + " largest stable step shrinks like 1/(depth · width); the rule 1e-3 · 6400/(depth · width) keeps η ·"
                + " Θ fixed across sizes.", c.learningRate(), defaultRate(c) ? "the rule's value at this depth and"
                        + " width" : "set by --learning-rate"));
        if (find(r, "ReLU") != null) {
            rep.paragraph(String.format(Locale.ROOT, "At width %d and depth %d, a ReLU network on its edge of chaos has"
                    + " at finite width a median activation scale at the top of %.3g times the mean-field value, which"
                    + " keeps it constant; the log of that ratio has standard deviation %.2f over initialisations (exact"
                    + " law of the finite-width forward pass: each layer multiplies the scale by (2/width)·χ²_K, K ~"
                    + " Binomial(width, 1/2)). The backward pass walks alike, so a typical network's tangent kernel,"
                    + " and its speed of training at a fixed learning rate, is below the mean-field one.", c.width(),
                    c.depth(), (double) rep.summary().get("relu_median_scale"),
                    (double) rep.summary().get("relu_log_scale_sd")));
        }
        String eoc = eocPoints(r);
        rep.paragraph("Initialisations: ReLU-like activations on their edge of chaos (σb = 0, σw = √(2/(1 + α²)); PReLU's"
                + " slope α starts at 0.25, PyTorch's default, and is learned); ELU and Tanh on theirs at σb = 0.2 ("
                + (eoc.equals("paper") ? "σw as the paper lists it, 1.225 and 1.298" : eoc.equals("exact")
                        ? "σw from ntk's EdgeOfChaos" : "σw as in the EOC table") + "); Softplus and Sigmoid have no EOC"
                + " and take He's σw = √2, σb = 0, as the paper does.");
    }

    /** Accuracy by activation (the plot), and every seed's accuracies as hayou-table1.npz. */
    private static void figure(Report rep, Result r) {
        Config c = r.config();
        List<Row> rows = r.rows();
        SvgPlot bars = new SvgPlot(String.format(Locale.ROOT, "Test accuracy at %s and %s by activation",
                c.point(0), c.point(1)), "activation (index in the table)", "test accuracy");
        double[] idx = java.util.stream.IntStream.rangeClosed(1, rows.size()).asDoubleStream().toArray();
        for (int k = 0; k < 2; k++) {
            int at = k;
            bars.points(c.point(k), idx, rows.stream().mapToDouble(x -> x.mean(at)).toArray(), SvgPlot.color(k));
        }
        bars.line("chance", new double[] {0.5, idx.length + 0.5}, new double[] {0.1, 0.1}, "#888888", true, true);
        List<String> legend = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            legend.add((i + 1) + " " + rows.get(i).act().name());
        }
        rep.plot("hayou-table1", bars, String.join(", ", legend) + ".");
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        for (Row row : rows) {
            double[] flat = new double[row.accuracy().length * 2];
            for (int i = 0; i < row.accuracy().length; i++) {
                flat[2 * i] = row.accuracy()[i][0];
                flat[2 * i + 1] = row.accuracy()[i][1];
            }
            arrays.put(row.act().spec() + "/accuracy", new NdArray(new int[] {row.accuracy().length, 2}, flat));
        }
        rep.npz("hayou-table1.npz", arrays);
    }
}
