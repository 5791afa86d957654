package ntk.finite;

import static ntk.BadInputException.param;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import ntk.BadInputException;
import ntk.NdArray;
import ntk.Params;
import ntk.protocol.Tape;

/**
 * Gradient descent on the raw parameters (cli-contract.md, training convention): full batch, minibatch SGD for a
 * number of steps, or minibatch SGD for a number of epochs, on the mean squared loss L = 1/(2b) Σ‖f(x_i) − y_i‖² or the
 * softmax cross-entropy L = 1/b Σ [log Σ_a exp f_a(x_i) − f_{c_i}(x_i)] on integer labels c_i, over the batch of b
 * examples, with an optional step-decay learning-rate schedule (÷10 at given fractions of training, as Hayou et al.
 * 2019's Table 2 runs use). Minibatches: a fresh seeded permutation (Fisher–Yates on a {@link SplittableRandom}) and
 * batches of b consecutive examples; a step count reshuffles when fewer than b examples remain (the last partial batch
 * is dropped), an epoch visits every example once (its last batch may be smaller, like PyTorch's DataLoader). With
 * {@code linearized}, the model is f_lin(x; θ) = f(x; θ₀) + J(x; θ₀)(θ − θ₀) (Lee et al. 2019, eq. 6), trained the same
 * way: its forward pass is a JVP and its gradient a VJP, both at θ₀.
 *
 * <p>Records at steps 0, m, 2m, … and the last (epochs 0, m, 2m, … and the last with epochs): loss on the whole training
 * set, the relative parameter change ‖θ_t − θ₀‖/‖θ₀‖, outputs on test points (and their accuracy with labels), and, on a
 * fixed probe of at most {@link Config#kernelProbe} training inputs (a seeded subset, the same for every run on the same
 * n): the relative kernel change ‖Θ_t − Θ₀‖_F/‖Θ₀‖_F of the empirical NTK (0 for the linearised model, whose kernel is
 * fixed) and the linearisation gap ‖f(P; θ_t) − f_lin(P; θ_t)‖_F / ‖f(P; θ_t) − f(P; θ₀)‖_F (how far the network is from
 * its first-order Taylor model at the same parameters, one JVP; 0 at step 0 and for the linearised model). A probe of 0
 * skips both (NaN). With {@code recordKernel} the empirical NTK Θ_t itself on all training inputs ((n, n, o, o)
 * row-major; Θ₀ throughout for the linearised model). Training that reaches a non-finite loss stops and keeps the
 * records up to the last finite one.
 *
 * <p>Cost: a step allocates nothing large (one {@linkplain FiniteNetwork#reusableTape reusable tape} per batch size);
 * with full batches the record at step s shares the step's forward pass; whole-set evaluations run in chunks of the
 * batch size, so memory is that of one batch, the probe's kernels and the records.
 */
public final class Trainer {

    /** The probe size of {@link Config#kernelProbe} by default (cli-contract.md: at most 512 training inputs). */
    public static final int DEFAULT_KERNEL_PROBE = 512;

    /** The training loss. */
    public enum Loss {
        /** L = 1/(2b) Σ_i ‖f(x_i) − y_i‖² on targets y (cli-contract.md). */
        MSE("mse"),
        /** Softmax cross-entropy L = 1/b Σ_i [log Σ_a exp f_a(x_i) − f_{c_i}(x_i)] on labels c_i ∈ [0, o). */
        CROSS_ENTROPY("cross-entropy");

        /** The name on the command line. */
        public final String id;

        Loss(String id) {
            this.id = id;
        }

        /** "mse" or "cross-entropy". */
        public static Loss parse(String s) {
            for (Loss l : values()) {
                if (l.id.equals(s)) {
                    return l;
                }
            }
            throw new BadInputException("loss: expected 'mse' or 'cross-entropy', got '" + s + "'");
        }
    }

    /**
     * Examples: inputs x (n × d, row-major; signals position-major) with regression targets y (n × o), or integer class
     * labels, or neither (test inputs whose outputs are only recorded). Build them from shaped arrays with
     * {@link #regression(NdArray, NdArray)}, {@link #classification(NdArray, int[])} or {@link #inputs(NdArray)}; the
     * arrays are read, never written.
     *
     * @param x the inputs, row-major n × input size
     * @param n the number of examples
     * @param y regression targets, row-major n × o, or null
     * @param labels class labels, n of them, or null
     */
    public record Data(double[] x, int n, double[] y, int[] labels) {
        /**
         * Inputs x, (n, d) or (n, length, channels), with regression targets y, (n, o) or (n,).
         *
         * @param x the inputs
         * @param y the targets
         * @return the examples
         */
        public static Data regression(NdArray x, NdArray y) {
            int n = examples(x, "x");
            if (y.rank() < 1 || y.rank() > 2 || y.dim(0) != n) {
                throw BadInputException.of("y must be (n, o) or (n,) with n = " + n + " examples of ",
                        "x, got " + y.shapeString());
            }
            return new Data(x.data(), n, y.data(), null);
        }

        /**
         * Inputs x, (n, d) or (n, length, channels), with integer class labels (for the cross-entropy).
         *
         * @param x the inputs
         * @param labels n labels in 0..o−1
         * @return the examples
         */
        public static Data classification(NdArray x, int[] labels) {
            int n = examples(x, "x");
            if (labels.length != n) {
                throw BadInputException.of("labels has " + labels.length + " entries for n = " + n
                        + " examples of ", "x");
            }
            return new Data(x.data(), n, null, labels);
        }

        /**
         * Inputs alone, (n, d) or (n, length, channels): test points whose outputs are recorded.
         *
         * @param x the inputs
         * @return the examples
         */
        public static Data inputs(NdArray x) {
            return new Data(x.data(), examples(x, "x"), null, null);
        }

        private static int examples(NdArray x, String name) {
            if (x.rank() < 2) {
                throw BadInputException.of(name + " must be (n, d) or (n, length, channels), got "
                        + x.shapeString());
            }
            return x.dim(0);
        }

        /**
         * Flat inputs and targets (the array tier).
         *
         * @param x inputs, row-major n × input size
         * @param n examples
         * @param y targets, row-major n × o
         * @return the examples
         */
        public static Data regression(double[] x, int n, double[] y) {
            return new Data(x, n, y, null);
        }

        /**
         * Flat inputs and labels (the array tier).
         *
         * @param x inputs, row-major n × input size
         * @param n examples
         * @param labels n class labels
         * @return the examples
         */
        public static Data classification(double[] x, int n, int[] labels) {
            return new Data(x, n, null, labels);
        }

        /**
         * Flat inputs alone (the array tier).
         *
         * @param x inputs, row-major n × input size
         * @param n examples
         * @return the examples
         */
        public static Data inputs(double[] x, int n) {
            return new Data(x, n, null, null);
        }
    }

    /**
     * How to train. Build one with {@link #builder()} and named settings,
     * {@code Config.builder().steps(200).learningRate(1.0).recordEvery(10).build()}, or start from
     * {@link #gradientDescent}, {@link #sgd} or {@link #epochs}, e.g.
     * {@code Config.epochs(10, 128, 0.1).loss(Loss.CROSS_ENTROPY).lrDrops(0.5, 0.75).seed(3).build()}. The canonical
     * constructor validates every setting (one-line {@link BadInputException}s naming the builder's setting); prefer
     * the builder to calling it.
     *
     * @param loss the training loss
     * @param learningRate the learning rate η (before any drop)
     * @param seed seed of the minibatch order
     * @param linearized train the linearised model f_lin instead of the network
     * @param recordKernel also record the empirical NTK on all training inputs
     *
     * @param steps number of updates (step-count mode; 0 in epoch mode)
     * @param epochs number of passes over the training set (epoch mode), 0 in step-count mode
     * @param batchSize examples per update, 0 for the full batch
     * @param lrDrops fractions of training (0, 1) after which the learning rate is divided by 10 (sorted)
     * @param recordEvery record every m steps (every m epochs in epoch mode)
     * @param kernelProbe training inputs on which kernel_change and the linearisation gap are measured (0: not at all)
     */
    public record Config(Loss loss, int steps, int epochs, int batchSize, double learningRate, double[] lrDrops,
            long seed, boolean linearized, int recordEvery, boolean recordKernel, int kernelProbe) {

        /** Validates every setting (one-line messages naming the setting, {@link BadInputException#param}). */
        public Config {
            if (loss == null) {
                throw BadInputException.of(param("loss"), " must be given");
            }
            if (steps < 0) {
                throw BadInputException.of(param("steps"), " must be non-negative, got ", steps);
            }
            if (epochs < 0) {
                throw BadInputException.of(param("epochs"), " must be non-negative, got ", epochs);
            }
            if (epochs > 0 && steps > 0) {
                throw oneOfStepsOrEpochs();
            }
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw BadInputException.of(param("learningRate"), " must be a positive number, got ", learningRate);
            }
            if (batchSize < 0) {
                throw batchSizeNotPositive(batchSize);
            }
            if (recordEvery <= 0) {
                throw BadInputException.of(param("recordEvery"), " must be positive, got ", recordEvery);
            }
            if (kernelProbe < 0) {
                throw BadInputException.of(param("kernelProbe"), " must be non-negative, got ", kernelProbe);
            }
            lrDrops = lrDrops == null ? new double[0] : lrDrops.clone();
            for (int i = 0; i < lrDrops.length; i++) {
                if (!(lrDrops[i] > 0 && lrDrops[i] < 1)) {
                    throw BadInputException.of(param("lrDrops"), ": learning-rate drops are fractions of training in"
                            + " (0, 1), got ", lrDrops[i]);
                }
                if (i > 0 && !(lrDrops[i] > lrDrops[i - 1])) {
                    throw BadInputException.of(param("lrDrops"), ": learning-rate drops must increase, got ",
                            Arrays.toString(lrDrops));
                }
            }
        }

        static BadInputException oneOfStepsOrEpochs() {
            return BadInputException.of("give ", param("steps"), " k or ", param("epochs"), " E (one of them)");
        }

        static BadInputException batchSizeNotPositive(int b) {
            return BadInputException.of(param("batchSize"), " must be positive, got ", b);
        }

        /**
         * An empty builder: set {@link Builder#steps} (or {@link Builder#epochs}) and {@link Builder#learningRate};
         * the rest has defaults (full batch, mean squared loss, seed 0, every step recorded, probe 512).
         *
         * @return a builder
         */
        public static Builder builder() {
            Builder b = new Builder(0, 0, 0, Double.NaN);
            b.learningRateGiven = false;
            return b;
        }

        /**
         * Full-batch gradient descent for a number of steps, mean squared loss, records every step.
         *
         * @param steps the number of updates
         * @param learningRate η
         * @return a builder to refine
         */
        public static Builder gradientDescent(int steps, double learningRate) {
            return new Builder(steps, 0, 0, learningRate).steps(steps);
        }

        /**
         * Minibatch SGD for a number of steps (reshuffling when fewer than batchSize examples remain).
         *
         * @param steps the number of updates
         * @param batchSize examples per update
         * @param learningRate η
         * @return a builder to refine
         */
        public static Builder sgd(int steps, int batchSize, double learningRate) {
            return new Builder(steps, 0, batchSize, learningRate).steps(steps).batchSize(batchSize);
        }

        /**
         * Minibatch SGD for a number of epochs (every example once per epoch; batchSize 0: the full batch, one step an
         * epoch), records every epoch.
         *
         * @param epochs passes over the training set
         * @param batchSize examples per update, 0 for the full batch
         * @param learningRate η
         * @return a builder to refine
         */
        public static Builder epochs(int epochs, int batchSize, double learningRate) {
            Builder b = new Builder(0, epochs, 0, learningRate).epochs(epochs);
            return batchSize == 0 ? b : b.batchSize(batchSize);
        }

        /**
         * The positional form of earlier versions (mean squared loss, step count, no schedule, default probe).
         *
         * @param steps updates
         * @param learningRate η
         * @param batchSize examples per update, 0 for the full batch
         * @param seed seed of the minibatch order
         * @param linearized train f_lin
         * @param recordEvery record interval
         * @param recordKernel record the empirical NTK
         * @deprecated positional; use {@link #builder()}
         */
        @Deprecated(since = "0.1.0")
        public Config(int steps, double learningRate, int batchSize, long seed, boolean linearized, int recordEvery,
                boolean recordKernel) {
            this(Loss.MSE, steps, 0, batchSize, learningRate, null, seed, linearized, recordEvery, recordKernel,
                    DEFAULT_KERNEL_PROBE);
        }

        /**
         * As the 7-argument form without recording the kernel.
         *
         * @param steps updates
         * @param learningRate η
         * @param batchSize examples per update, 0 for the full batch
         * @param seed seed of the minibatch order
         * @param linearized train f_lin
         * @param recordEvery record interval
         * @deprecated positional; use {@link #builder()}
         */
        @Deprecated(since = "0.1.0")
        public Config(int steps, double learningRate, int batchSize, long seed, boolean linearized, int recordEvery) {
            this(steps, learningRate, batchSize, seed, linearized, recordEvery, false);
        }

        /** Whether training counts epochs (else steps). */
        public boolean byEpochs() {
            return epochs > 0;
        }

        /** Examples per update for n training examples. */
        public int batch(int n) {
            return batchSize == 0 ? n : batchSize;
        }

        /**
         * Refuses a batch larger than the training set.
         *
         * @param n the number of training examples
         * @throws BadInputException naming {@code batchSize} when it exceeds n
         */
        public void checkBatch(int n) {
            if (batch(n) > n) {
                throw BadInputException.of(param("batchSize"), " ", batch(n), " exceeds the ", n, " training points");
            }
        }

        /** Updates per epoch: ⌈n/b⌉ (epoch mode). */
        public int stepsPerEpoch(int n) {
            int b = batch(n);
            return (n + b - 1) / b;
        }

        /** Total number of updates for n training examples. */
        public long totalSteps(int n) {
            return byEpochs() ? (long) epochs * stepsPerEpoch(n) : steps;
        }

        /** The update index at which the j-th learning-rate drop takes effect: ⌊f_j · total⌋. */
        public long dropStep(int j, long total) {
            return (long) Math.floor(lrDrops[j] * total);
        }

        /** The learning rate of update s (0-based) out of total: η / 10^(drops at or before s). */
        public double learningRateAt(long s, long total) {
            double lr = learningRate;
            for (int j = 0; j < lrDrops.length; j++) {
                if (s >= dropStep(j, total)) {
                    lr /= 10;
                }
            }
            return lr;
        }

        /** How many records a run makes (steps — or epochs — 0, m, 2m, … and the last). */
        public int records() {
            int k = byEpochs() ? epochs : steps;
            return k / recordEvery + (k % recordEvery == 0 ? 1 : 2);
        }

        /** A builder holding this configuration, to change some settings. */
        public Builder toBuilder() {
            Builder b = new Builder(steps, epochs, batchSize, learningRate);
            b.stepsGiven = !byEpochs();
            b.epochsGiven = byEpochs();
            b.batchGiven = batchSize > 0;
            b.learningRateGiven = true;
            b.loss = loss;
            b.lrDrops = lrDrops;
            b.seed = seed;
            b.linearized = linearized;
            b.recordEvery = recordEvery;
            b.recordKernel = recordKernel;
            b.kernelProbe = kernelProbe;
            return b;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Config c && c.loss == loss && c.steps == steps && c.epochs == epochs
                    && c.batchSize == batchSize && Double.compare(c.learningRate, learningRate) == 0
                    && Arrays.equals(c.lrDrops, lrDrops) && c.seed == seed && c.linearized == linearized
                    && c.recordEvery == recordEvery && c.recordKernel == recordKernel && c.kernelProbe == kernelProbe;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(loss, steps, epochs, batchSize, learningRate, Arrays.hashCode(lrDrops), seed,
                    linearized, recordEvery, recordKernel, kernelProbe);
        }

        /**
         * The learning-rate drops (a copy).
         *
         * @return fractions of training
         */
        @Override
        public double[] lrDrops() {
            return lrDrops.clone();
        }
    }

    /** Named settings of a {@link Config}; defaults: MSE, seed 0, no schedule, every step/epoch, probe 512. */
    public static final class Builder {
        private int steps;
        private int epochs;
        private int batchSize;
        private double learningRate;
        private Loss loss = Loss.MSE;
        private double[] lrDrops = new double[0];
        private long seed;
        private boolean linearized;
        private int recordEvery = 1;
        private boolean recordKernel;
        private int kernelProbe = DEFAULT_KERNEL_PROBE;
        private boolean stepsGiven;
        private boolean epochsGiven;
        private boolean batchGiven;
        private boolean learningRateGiven;

        private Builder(int steps, int epochs, int batchSize, double learningRate) {
            this.steps = steps;
            this.epochs = epochs;
            this.batchSize = batchSize;
            this.learningRate = learningRate;
            this.learningRateGiven = true;
        }

        /**
         * Train for this many updates (step-count mode).
         *
         * @param s the number of updates
         * @return this builder
         */
        public Builder steps(int s) {
            this.steps = s;
            this.stepsGiven = true;
            return this;
        }

        /**
         * Train for this many passes over the training set (epoch mode; records count epochs).
         *
         * @param e the number of epochs
         * @return this builder
         */
        public Builder epochs(int e) {
            this.epochs = e;
            this.epochsGiven = true;
            return this;
        }

        /**
         * Examples per update, positive (when not given: the full batch).
         *
         * @param b the batch size
         * @return this builder
         */
        public Builder batchSize(int b) {
            this.batchSize = b;
            this.batchGiven = true;
            return this;
        }

        /**
         * The learning rate η (required).
         *
         * @param eta η &gt; 0
         * @return this builder
         */
        public Builder learningRate(double eta) {
            this.learningRate = eta;
            this.learningRateGiven = true;
            return this;
        }

        /**
         * The training loss (default {@link Loss#MSE}).
         *
         * @param l the loss
         * @return this builder
         */
        public Builder loss(Loss l) {
            this.loss = l;
            return this;
        }

        /** Divide the learning rate by 10 after each of these fractions of training, e.g. 0.5, 0.75. */
        public Builder lrDrops(double... fractions) {
            this.lrDrops = fractions.clone();
            return this;
        }

        /** Seed of the minibatch order. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Train the linearised model f_lin instead of the network. */
        public Builder linearized(boolean on) {
            this.linearized = on;
            return this;
        }

        /** Record every m steps (every m epochs in epoch mode). */
        public Builder recordEvery(int m) {
            this.recordEvery = m;
            return this;
        }

        /** Also record the empirical NTK on all training inputs (n²o² doubles a record). */
        public Builder recordKernel(boolean on) {
            this.recordKernel = on;
            return this;
        }

        /**
         * Measure kernel_change and the linearisation gap on this many training inputs (default 512; all of them when
         * fewer; 0 skips both, which deep or many-output networks may want: the probe's NTK costs o backward passes and
         * o² Gram products per weighted layer).
         */
        public Builder kernelProbe(int k) {
            this.kernelProbe = k;
            return this;
        }

        /**
         * The configuration, validated.
         *
         * @return the configuration
         * @throws BadInputException on a missing or invalid setting
         */
        public Config build() {
            if (stepsGiven == epochsGiven) {
                throw Config.oneOfStepsOrEpochs();
            }
            if (epochsGiven && epochs <= 0) {
                throw BadInputException.of(param("epochs"), " must be positive, got ", epochs);
            }
            if (batchGiven && batchSize <= 0) {
                throw Config.batchSizeNotPositive(batchSize);
            }
            if (!learningRateGiven) {
                throw BadInputException.of(param("learningRate"), " must be given");
            }
            return new Config(loss, steps, epochs, batchSize, learningRate, lrDrops, seed, linearized, recordEvery,
                    recordKernel, kernelProbe);
        }
    }

    /**
     * The records (one entry per recorded step) and the final parameters.
     *
     * @param step update count at each record
     * @param loss loss on the whole training set
     * @param kernelChange ‖Θ_t − Θ₀‖_F/‖Θ₀‖_F on the probe (NaN without one)
     * @param linearizationGap on the probe (NaN without one)
     * @param testOut outputs on the test inputs, (m × o) per record; empty without test inputs
     * @param kernels the empirical NTK on all training inputs per record (only with recordKernel)
     * @param divergedAt the step at which the loss or gradient stopped being finite, or −1
     * @param epoch epoch at each record (epoch mode), else null
     * @param trainLoss mean minibatch loss over the epoch before each record (epoch mode; NaN at epoch 0), else null
     * @param trainAccuracy accuracy (argmax) on the training set with labels, else null
     * @param testAccuracy accuracy on the test inputs with labels, else null
     * @param learningRate the learning rate of the update following each record (of the last update at the end)
     */
    public record Result(int[] step, double[] loss, double[] kernelChange, double[] paramChange,
            double[] linearizationGap, double[][] testOut, double[][] kernels, Params finalParams, int divergedAt,
            int[] epoch, double[] trainLoss, double[] trainAccuracy, double[] testAccuracy, double[] learningRate) {
        /**
         * The number of records.
         *
         * @return the number of records
         */
        public int records() {
            return step.length;
        }

        /**
         * The i-th record as one object (NaN and null where this run's mode did not record a quantity).
         *
         * @param i 0 ≤ i &lt; {@link #records()}
         * @return the record
         */
        public Record record(int i) {
            return new Record(step[i], epoch == null ? -1 : epoch[i], loss[i], kernelChange[i], paramChange[i],
                    linearizationGap[i], testOut == null || testOut.length == 0 ? null : testOut[i],
                    trainLoss == null ? Double.NaN : trainLoss[i], trainAccuracy == null ? Double.NaN : trainAccuracy[i],
                    testAccuracy == null ? Double.NaN : testAccuracy[i],
                    learningRate == null ? Double.NaN : learningRate[i]);
        }

        /**
         * Every record, in order: the row view of the columns (the arrays of this result, which files are written
         * from).
         *
         * @return the records
         */
        public List<Record> history() {
            List<Record> h = new ArrayList<>(records());
            for (int i = 0; i < records(); i++) {
                h.add(record(i));
            }
            return h;
        }

        /**
         * The first record (step 0).
         *
         * @return the record at step 0
         */
        public Record first() {
            return record(0);
        }

        /**
         * The last record (the end of training, or the last finite one when training diverged).
         *
         * @return the last record
         */
        public Record last() {
            return record(records() - 1);
        }

        /**
         * Whether the loss or gradient stopped being finite ({@link #divergedAt} is then the step).
         *
         * @return whether training diverged
         */
        public boolean diverged() {
            return divergedAt >= 0;
        }
    }

    /**
     * One record of a training run. A quantity this run did not record is NaN (or −1, or null).
     *
     * @param step update count
     * @param epoch epoch (epoch mode), else −1
     * @param loss loss on the whole training set
     * @param kernelChange ‖Θ_t − Θ₀‖_F/‖Θ₀‖_F on the probe (NaN without one)
     * @param paramChange ‖θ_t − θ₀‖/‖θ₀‖
     * @param linearizationGap ‖f − f_lin‖/‖f − f₀‖ on the probe (NaN without one)
     * @param testOut outputs on the test inputs, row-major m × o, or null without test inputs
     * @param trainLoss mean minibatch loss over the epoch before (epoch mode), else NaN
     * @param trainAccuracy accuracy on the training set (with labels), else NaN
     * @param testAccuracy accuracy on the test inputs (with labels), else NaN
     * @param learningRate the learning rate of the following update
     */
    public record Record(int step, int epoch, double loss, double kernelChange, double paramChange,
            double linearizationGap, double[] testOut, double trainLoss, double trainAccuracy, double testAccuracy,
            double learningRate) {
    }

    private final FiniteNetwork net;

    /**
     * A trainer of this network.
     * @param net the finite network
     */
    public Trainer(FiniteNetwork net) {
        this.net = net;
    }

    /**
     * The bytes a run on n training and m test examples holds at its peak, estimated before it starts: the reusable
     * tapes of the step batch and of the evaluations, the probe's forward pass, kernels and per-output gradients, the
     * recorded test outputs and kernels, the linearised model's passes at θ₀, and five copies of the parameters (θ₀,
     * θ, the gradient, a displacement, the written result). The training inputs themselves are not counted.
     */
    public long estimateBytes(Config cfg, int n, int m) {
        long row = net.bytesPerExample();
        int o = net.outputs();
        int b = Math.min(cfg.batch(n), n);
        int k = Math.min(cfg.kernelProbe(), n);
        long bytes = row * b; // step tape
        if (b == n) {
            bytes += row * Math.min(n, Math.max(m, 0)); // evaluations beside a full-batch step's live pass
        }
        if (k > 0 && !cfg.linearized()) {
            // evaluation tape, the pass at θ₀, o backward passes' gradients (about two tapes) and the kernels at θ₀, θ_t
            bytes += 4 * row * k + 2L * k * k * o * o * Double.BYTES;
        }
        if (cfg.linearized()) {
            bytes += row * (n + (long) m);
        }
        long records = cfg.records();
        bytes += records * m * o * Double.BYTES;
        bytes += records * 20L * Double.BYTES; // each record's scalars (step, losses, changes, accuracies, rate), kept twice
        if (cfg.recordKernel()) {
            bytes += (records + 1) * (long) n * n * o * o * Double.BYTES;
        }
        bytes += 5 * net.parameterCount() * Double.BYTES;
        return bytes;
    }

    /**
     * Trains from p0 on (x: n×d, y: n×o), mean squared loss; t (m×d, may be null) are test inputs. progress receives
     * the number of steps done. The parameters p0 are not modified.
     *
     * @param p0 initial parameters
     * @param x training inputs, row-major n × d
     * @param n training examples
     * @param y targets, row-major n × o
     * @param t test inputs, row-major m × d, or null
     * @param m test examples
     * @param cfg the configuration
     * @param progress receives the updates done, or null
     * @return the records
     * @deprecated eight positional arguments; use {@link #train(Params, Data, Data, Config, IntConsumer)} with
     *     {@link Data#regression(NdArray, NdArray)}
     */
    @Deprecated(since = "0.1.0")
    public Result train(Params p0, double[] x, int n, double[] y, double[] t, int m, Config cfg, IntConsumer progress) {
        return train(p0, Data.regression(x, n, y), t == null ? null : Data.inputs(t, m), cfg, progress);
    }

    /**
     * Trains from p0 on the training examples (targets for {@link Loss#MSE}, labels for {@link Loss#CROSS_ENTROPY});
     * test (may be null) are inputs whose outputs are recorded, with labels also their accuracy. progress (may be
     * null) receives the number of updates done. p0 is not modified.
     */
    public Result train(Params p0, Data train, Data test, Config cfg, IntConsumer progress) {
        return new Run(p0, train, test, cfg, progress).run();
    }

    /** One training run's state: the parameters, buffers and tapes it reuses, and the records so far. */
    private final class Run {
        final Params p0;
        final Data train;
        final Data test;
        final Config cfg;
        final IntConsumer progress;
        final int n;
        final int d;
        final int o;
        final int b;
        final long total;
        final Params theta;
        final double theta0Norm;
        final Map<Integer, Tape> tapes = new HashMap<>();
        final Map<Integer, Tape> evalTapes = new HashMap<>();
        // the linearised model's base: the forward pass at θ₀ on all training (and test) inputs
        final FiniteNetwork.Forward f0;
        final FiniteNetwork.Forward t0;
        // the probe: inputs, forward pass at θ₀ (for the gap's JVP) and kernel at θ₀
        final double[] px;
        final int k;
        final FiniteNetwork.Forward probe0;
        final double[] kernel0;
        final double kernel0Norm;
        final double[] fullKernel0;

        final List<Integer> steps = new ArrayList<>();
        final List<Integer> epochs = new ArrayList<>();
        final List<double[]> rec = new ArrayList<>(); // loss, kernel change, param change, gap, train loss, train acc,
                                                      // test acc, lr
        final List<double[]> tests = new ArrayList<>();
        final List<double[]> kernels = new ArrayList<>();

        Run(Params p0, Data train, Data test, Config cfg, IntConsumer progress) {
            this.p0 = p0;
            this.train = train;
            this.test = test;
            this.cfg = cfg;
            this.progress = progress;
            this.n = train.n();
            this.d = net.inputDim;
            this.o = net.outputs();
            check(train, "training", true);
            if (test != null) {
                check(test, "test", false);
            }
            cfg.checkBatch(n);
            this.b = cfg.batch(n);
            this.total = cfg.totalSteps(n);
            if (total > Integer.MAX_VALUE) {
                throw new BadInputException(cfg.epochs() + " epochs of " + cfg.stepsPerEpoch(n) + " steps are too many");
            }
            this.theta = p0.copy();
            this.theta0Norm = p0.norm();
            boolean lin = cfg.linearized();
            this.f0 = lin ? net.forward(p0, train.x(), n) : null;
            this.t0 = lin && test != null ? net.forward(p0, test.x(), test.n()) : null;
            this.k = Math.min(cfg.kernelProbe(), n);
            if (k > 0 && !lin) {
                px = rows(train.x(), d, probeIndices(n, k), k);
                probe0 = net.forward(p0, px, k);
                kernel0 = EmpiricalNtk.structured(net, p0, px, k, null, 0, EmpiricalNtk.Outputs.EACH_PAIR);
                kernel0Norm = frob(kernel0);
            } else {
                px = null;
                probe0 = null;
                kernel0 = null;
                kernel0Norm = 1;
            }
            this.fullKernel0 = cfg.recordKernel() && lin ? EmpiricalNtk.structured(net, p0, train.x(), n, null, 0, EmpiricalNtk.Outputs.EACH_PAIR)
                    : null;
        }

        void check(Data data, String what, boolean training) {
            if (data.x() == null || data.x().length != (long) data.n() * d) {
                throw new BadInputException(what + " inputs: expected " + data.n() + " × " + d + " values");
            }
            if (data.labels() != null) {
                if (data.labels().length != data.n()) {
                    throw new BadInputException(what + " labels: " + data.labels().length + " for " + data.n()
                            + " examples");
                }
                for (int c : data.labels()) {
                    if (c < 0 || c >= o) {
                        throw new BadInputException(what + " labels: class " + c + " outside [0, " + o
                                + ") (the network has " + o + " outputs)");
                    }
                }
            }
            if (data.y() != null && data.y().length != (long) data.n() * o) {
                throw new BadInputException(what + " targets: expected " + data.n() + " × " + o + " values");
            }
            if (training) {
                if (cfg.loss() == Loss.CROSS_ENTROPY) {
                    if (data.labels() == null) {
                        throw new BadInputException("cross-entropy needs integer training labels");
                    }
                    if (o < 2) {
                        throw new BadInputException("cross-entropy needs a network with at least 2 outputs (one per"
                                + " class), this one has " + o);
                    }
                } else if (data.y() == null) {
                    throw new BadInputException("the mean squared loss needs training targets y (n × o)");
                }
                if (data.n() <= 0) {
                    throw new BadInputException("no training examples");
                }
            }
        }

        Tape tape(int rows) {
            return tapes.computeIfAbsent(rows, net::reusableTape);
        }

        /** Tapes of the records' evaluations, apart from the steps' (a full-batch step's forward pass outlives them). */
        Tape evalTape(int rows) {
            return evalTapes.computeIfAbsent(rows, net::reusableTape);
        }

        Result run() {
            SplittableRandom rng = new SplittableRandom(cfg.seed());
            int[] perm = identity(n);
            int cursor = n; // forces a shuffle before the first minibatch
            int perEpoch = cfg.byEpochs() ? cfg.stepsPerEpoch(n) : 0;
            Params grad = theta.zerosLike();
            double[] xb = new double[b * d];
            double[] yb = train.y() == null ? null : new double[b * o];
            int[] lb = train.labels() == null ? null : new int[b];
            double[] cot = new double[b * o];
            double epochLoss = Double.NaN;
            double epochSum = 0;
            int divergedAt = -1;
            for (int s = 0; ; s++) {
                boolean record;
                int epoch = -1;
                if (cfg.byEpochs()) {
                    epoch = s / perEpoch;
                    record = s % perEpoch == 0 && (epoch % cfg.recordEvery() == 0 || s == total);
                    if (s % perEpoch == 0 && s > 0) {
                        epochLoss = epochSum / n;
                        epochSum = 0;
                    }
                } else {
                    record = s % cfg.recordEvery() == 0 || s == total;
                }
                double lr = cfg.learningRateAt(Math.min(s, Math.max(0, total - 1)), total);
                // with full batches the record's forward pass at θ_s is the update's
                FiniteNetwork.Forward shared = record && b == n && s < total && !cfg.linearized()
                        ? net.forward(theta, train.x(), n, tape(n)) : null;
                if (record) {
                    double[] r = record(shared == null ? null : shared.out(), epochLoss, lr);
                    if (!Double.isFinite(r[0])) {
                        divergedAt = s;
                        break;
                    }
                    rec.add(r);
                    steps.add(s);
                    if (cfg.byEpochs()) {
                        epochs.add(epoch);
                    }
                }
                if (s == total) {
                    break;
                }
                // one update on the batch [cursor, cursor + bs) of the permutation, or on everything
                int bs;
                double[] xs;
                double[] ys;
                int[] ls;
                if (b == n) {
                    bs = n;
                    xs = train.x();
                    ys = train.y();
                    ls = train.labels();
                } else {
                    if (cfg.byEpochs() ? s % perEpoch == 0 : cursor + b > n) {
                        shuffle(perm, rng);
                        cursor = 0;
                    }
                    bs = Math.min(b, n - cursor);
                    xs = bs == b ? xb : new double[bs * d];
                    gather(train.x(), d, perm, cursor, bs, xs);
                    ys = yb == null ? null : bs == b ? yb : new double[bs * o];
                    if (ys != null) {
                        gather(train.y(), o, perm, cursor, bs, ys);
                    }
                    ls = lb == null ? null : bs == b ? lb : new int[bs];
                    if (ls != null) {
                        for (int i = 0; i < bs; i++) {
                            ls[i] = train.labels()[perm[cursor + i]];
                        }
                    }
                    cursor += bs;
                }
                double[] r = bs == b ? cot : new double[bs * o];
                double loss;
                boolean finiteGrad;
                if (!cfg.linearized()) {
                    FiniteNetwork.Forward f = shared != null ? shared : net.forward(theta, xs, bs, tape(bs));
                    loss = lossAndCotangent(f.out(), bs, ys, ls, r) / bs;
                    finiteGrad = net.stepGradient(theta, f, r, grad); // zeroes and checks grad layer by layer
                } else {
                    // f_lin = f₀ + J₀ Δθ; ∇L = J₀ᵀ ∂L/∂f_lin, both at θ₀
                    grad.fill(0.0);
                    FiniteNetwork.Forward fb = b == n ? f0 : net.forward(p0, xs, bs);
                    double[] flin = linearOutputs(fb);
                    loss = lossAndCotangent(flin, bs, ys, ls, r) / bs;
                    net.backwardParams(p0, fb, r, grad, null);
                    finiteGrad = grad.allFinite();
                }
                if (!Double.isFinite(loss) || !finiteGrad) {
                    divergedAt = s;
                    break;
                }
                epochSum += loss * bs;
                theta.axpy(-cfg.learningRateAt(s, total), grad);
                if (progress != null) {
                    progress.accept(s + 1);
                }
            }
            int r = steps.size();
            boolean labelled = train.labels() != null;
            boolean testLabelled = test != null && test.labels() != null;
            return new Result(steps.stream().mapToInt(Integer::intValue).toArray(), column(0), column(1), column(2),
                    column(3), tests.toArray(new double[0][]), kernels.toArray(new double[0][]), theta, divergedAt,
                    cfg.byEpochs() ? epochs.stream().mapToInt(Integer::intValue).toArray() : null,
                    cfg.byEpochs() ? column(4) : null, labelled ? column(5) : null, testLabelled ? column(6) : null,
                    column(7));
        }

        double[] column(int c) {
            double[] out = new double[rec.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = rec.get(i)[c];
            }
            return out;
        }

        /** f_lin at θ for the inputs of a forward pass at θ₀. */
        double[] linearOutputs(FiniteNetwork.Forward at0) {
            double[] lin = net.jvp(p0, at0, theta.minus(p0));
            double[] f = at0.out();
            for (int i = 0; i < lin.length; i++) {
                lin[i] += f[i];
            }
            return lin;
        }

        /**
         * The model's outputs on rows x (count rows), in chunks of the batch size (one reused tape: the step's own
         * unless a full-batch step's forward pass is still to be used, stepBusy).
         */
        double[] outputs(double[] x, int rows, FiniteNetwork.Forward at0, boolean stepBusy) {
            if (cfg.linearized()) {
                return linearOutputs(at0);
            }
            double[] out = new double[rows * o];
            int chunk = Math.min(b, rows);
            double[] buf = chunk == rows ? x : new double[chunk * d];
            for (int c = 0; c < rows; c += chunk) {
                int len = Math.min(chunk, rows - c);
                double[] xs = buf;
                if (len != chunk) {
                    xs = new double[len * d];
                }
                if (xs != x) {
                    System.arraycopy(x, c * d, xs, 0, len * d);
                }
                double[] f = net.forward(theta, xs, len, stepBusy ? evalTape(len) : tape(len)).out();
                System.arraycopy(f, 0, out, c * o, len * o);
            }
            return out;
        }

        /** loss, kernel change, param change, gap, train loss, train accuracy, test accuracy, learning rate. */
        double[] record(double[] trainOut, double epochLoss, double lr) {
            boolean stepBusy = trainOut != null; // the shared forward pass of a full-batch step, still needed
            double[] f = trainOut != null ? trainOut : outputs(train.x(), n, f0, false);
            double loss = lossAndCotangent(f, n, train.y(), cfg.loss() == Loss.CROSS_ENTROPY ? train.labels() : null,
                    null) / n;
            double trainAcc = train.labels() == null ? Double.NaN : accuracy(f, n, train.labels());
            double paramChange = theta.distance(p0) / theta0Norm;
            double kernelChange = k == 0 ? Double.NaN : 0;
            double gap = k == 0 ? Double.NaN : 0;
            double testAcc = Double.NaN;
            if (Double.isFinite(loss)) {
                if (!cfg.linearized() && k > 0) {
                    double[] kt = EmpiricalNtk.structured(net, theta, px, k, null, 0, EmpiricalNtk.Outputs.EACH_PAIR);
                    double s = 0;
                    for (int i = 0; i < kt.length; i++) {
                        double e = kt[i] - kernel0[i];
                        s += e * e;
                    }
                    kernelChange = Math.sqrt(s) / kernel0Norm;
                    double[] fp = net.forward(theta, px, k, evalTape(k)).out();
                    double[] lin = linearOutputs(probe0);
                    double[] base = probe0.out();
                    double num = 0;
                    double den = 0;
                    for (int i = 0; i < fp.length; i++) {
                        num += (fp[i] - lin[i]) * (fp[i] - lin[i]);
                        den += (fp[i] - base[i]) * (fp[i] - base[i]);
                    }
                    gap = den == 0 ? 0 : Math.sqrt(num / den);
                }
                if (cfg.recordKernel()) {
                    kernels.add(cfg.linearized() ? fullKernel0
                            : EmpiricalNtk.structured(net, theta, train.x(), n, null, 0, EmpiricalNtk.Outputs.EACH_PAIR));
                }
                if (test != null) {
                    double[] to = outputs(test.x(), test.n(), t0, stepBusy);
                    tests.add(to);
                    if (test.labels() != null) {
                        testAcc = accuracy(to, test.n(), test.labels());
                    }
                }
            }
            return new double[] {loss, kernelChange, paramChange, gap, epochLoss, trainAcc, testAcc, lr};
        }

        /**
         * Σ over the rows of the per-example loss (½‖f − y‖², or log Σ_a e^{f_a} − f_c with labels given for the
         * cross-entropy) and, when cot is non-null, the cotangent ∂L/∂f of the batch mean L (that sum / rows) into cot.
         */
        double lossAndCotangent(double[] f, int rows, double[] y, int[] labels, double[] cot) {
            double sum = 0;
            if (cfg.loss() == Loss.MSE) {
                for (int i = 0; i < rows * o; i++) {
                    double e = f[i] - y[i];
                    sum += e * e;
                    if (cot != null) {
                        cot[i] = e / rows;
                    }
                }
                return sum / 2;
            }
            for (int i = 0; i < rows; i++) {
                int off = i * o;
                double max = Double.NEGATIVE_INFINITY;
                for (int a = 0; a < o; a++) {
                    max = Math.max(max, f[off + a]);
                }
                double z = 0;
                for (int a = 0; a < o; a++) {
                    z += Math.exp(f[off + a] - max);
                }
                sum += max + Math.log(z) - f[off + labels[i]];
                if (cot != null) {
                    for (int a = 0; a < o; a++) {
                        cot[off + a] = Math.exp(f[off + a] - max) / z / rows;
                    }
                    cot[off + labels[i]] -= 1.0 / rows;
                }
            }
            return sum;
        }

        /** Fraction of rows whose largest output (the first on ties) is the label. */
        double accuracy(double[] f, int rows, int[] labels) {
            int right = 0;
            for (int i = 0; i < rows; i++) {
                int best = 0;
                for (int a = 1; a < o; a++) {
                    if (f[i * o + a] > f[i * o + best]) {
                        best = a;
                    }
                }
                if (best == labels[i]) {
                    right++;
                }
            }
            return (double) right / rows;
        }
    }

    /**
     * The probe: all of 0..n−1 when k ≥ n, else k of them drawn without replacement by a fixed seed (the same for
     * every run on n examples, whatever the training seed), in increasing order.
     */
    static int[] probeIndices(int n, int k) {
        int[] p = identity(n);
        if (k >= n) {
            return p;
        }
        SplittableRandom r = new SplittableRandom(0x9E3779B97F4A7C15L);
        for (int i = 0; i < k; i++) {
            int j = i + r.nextInt(n - i);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        int[] out = Arrays.copyOf(p, k);
        Arrays.sort(out);
        return out;
    }

    private static double frob(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    private static void shuffle(int[] p, SplittableRandom r) {
        for (int i = p.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
    }

    private static double[] rows(double[] a, int width, int[] idx, int count) {
        double[] out = new double[count * width];
        gather(a, width, idx, 0, count, out);
        return out;
    }

    /** out row i = a row idx[from + i], for i < count. */
    private static void gather(double[] a, int width, int[] idx, int from, int count, double[] out) {
        for (int i = 0; i < count; i++) {
            System.arraycopy(a, idx[from + i] * width, out, i * width, width);
        }
    }
}
