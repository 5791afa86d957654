package ntk.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import ntk.BadInputException;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.finite.FiniteNetwork;
import ntk.finite.Trainer;
import ntk.NdArray;
import ntk.io.Npz;
import ntk.Params;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ntk train}: gradient descent on the raw parameters, recorded along the way (cli-contract.md). */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Gradient descent on the raw parameters from --params: L = 1/(2n) Σ‖f(x_i) − y_i‖² on --train-y, or"
                + " softmax cross-entropy on --train-labels (--loss cross-entropy); full batch, or minibatches of"
                + " --batch-size for --steps k or --epochs E (seeded shuffles); --lr-drops divides the learning rate by 10"
                + " at fractions of training. Records at steps 0, m, 2m, … and k (epochs with --epochs): step, loss,"
                + " kernel_change (‖Θ_t − Θ_0‖_F/‖Θ_0‖_F of the empirical NTK on a fixed probe of --kernel-probe training"
                + " inputs), param_change (‖θ_t − θ_0‖/‖θ_0‖), linearization_gap (‖f(P; θ_t) − f_lin(P; θ_t)‖ / ‖f(P; θ_t)"
                + " − f(P; θ_0)‖ on the probe), test_out (r, m_test, o) with --test-x, test_accuracy with --test-labels,"
                + " train_accuracy with --train-labels, epoch and train_loss (mean minibatch loss of the epoch) with"
                + " --epochs, learning_rate with --lr-drops, and the final parameters under params/<key>.",
            "Training that reaches a non-finite loss stops, writes the finite records and exits with status 2."})
final class TrainCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(names = "--arch", required = true, description = "architecture spec")
    String arch;

    @Option(names = "--params", required = true, description = "initial raw parameters (.npz from ntk init or train)")
    Path params;

    @Option(names = "--train-x", required = true, description = "training inputs (n, d)")
    Path trainX;

    @Option(names = "--train-y", description = "targets (n, o) for --loss mse")
    Path trainY;

    @Option(names = "--train-labels", description = "integer class labels (n,) in [0, o) for --loss cross-entropy")
    Path trainLabels;

    @Option(names = "--loss", defaultValue = "mse", description = "mse or cross-entropy (default ${DEFAULT-VALUE})")
    String loss;

    @Option(names = "--steps", description = "number of updates k (or --epochs)")
    Integer steps;

    @Option(names = "--epochs", description = "number of passes over the training set E (or --steps)")
    Integer epochs;

    @Option(names = "--learning-rate", required = true, description = "η in θ ← θ − η∇L")
    double learningRate;

    @Option(names = "--lr-drops", split = ",", description = "fractions of training after which η is divided by 10,"
            + " e.g. 0.5,0.75")
    double[] lrDrops;

    @Option(names = "--batch-size", description = "minibatch SGD with this batch size (default: full batch)")
    Integer batchSize;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the minibatch order (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--linearized", description = "train f_lin(x) = f(x; θ0) + ∇f(x; θ0)(θ − θ0) instead")
    boolean linearized;

    @Option(names = "--test-x", description = "test inputs (m, d) whose outputs are recorded")
    Path testX;

    @Option(names = "--test-labels", description = "labels (m,) of --test-x: test_accuracy (argmax) is recorded")
    Path testLabels;

    @Option(names = "--record-every", defaultValue = "1", description = "record every m steps, or epochs with --epochs"
            + " (default ${DEFAULT-VALUE})")
    int recordEvery;

    @Option(names = "--kernel-probe", defaultValue = "512", description = "training inputs on which kernel_change and"
            + " linearization_gap are measured (a fixed seeded subset; all when fewer; 0: not measured, NaN;"
            + " default ${DEFAULT-VALUE})")
    int kernelProbe;

    @Option(names = "--record-kernel", description = "also record the empirical NTK on the training inputs: key"
            + " 'kernel', (r, n, n) for one output, (r, n, n, o, o) for o > 1")
    boolean recordKernel;

    @Option(names = "--out", required = true, description = "output .npz")
    Path out;

    @Option(names = "--csv", description = "also write the scalar records as CSV")
    Path csv;

    @Option(names = "--no-progress", description = "no progress bar")
    boolean noProgress;

    @Option(names = "--max-work", defaultValue = Inputs.DEFAULT_MAX_WORK, description = "refuse a run estimated at more"
            + " floating-point operations than this (default ${DEFAULT-VALUE}: hours on two cores)")
    double maxWork;

    @Override
    public Integer call() throws IOException {
        Network net = Network.parse(arch, Parameterization.parse(main.parameterization));
        Trainer.Loss lossKind = Trainer.Loss.parse(loss);
        Trainer.Config cfg = config(lossKind); // the settings' own checks: the core's, named by flag (Flags)
        checkTargets(lossKind);
        Inputs.checkWritable(out, "--out");
        if (csv != null) {
            Inputs.checkWritable(csv, "--csv");
        }
        NdArray x = Inputs.examples(trainX, "--train-x", net);
        NdArray t = testX == null ? null : Inputs.examples(testX, "--test-x", net);
        Inputs.sameShape(x, trainX, "--train-x", t, testX, "--test-x");
        FiniteNetwork fn = new FiniteNetwork(net, Inputs.shape(x));
        int n = x.dim(0);
        int o = fn.outputs();
        cfg.checkBatch(n);
        checkBudget(cfg, fn, n, t == null ? 0 : t.dim(0));
        Trainer.Data train = trainingData(lossKind, x, o);
        Trainer.Data test = t == null ? null : testLabels == null ? Trainer.Data.inputs(t.data, t.dim(0))
                : Trainer.Data.classification(t.data, t.dim(0), Inputs.labels(testLabels, "--test-labels", t.dim(0), o));
        Params p0 = fn.validate(Npz.read(params), params.toString());
        long total = cfg.totalSteps(n);
        Trainer.Result r;
        boolean bar = !noProgress && total >= 20 && System.console() != null && System.console().isTerminal();
        try (ProgressBar pb = bar ? new ProgressBarBuilder().setTaskName("train").setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(
                        System.err)).build() : null) {
            r = new Trainer(fn).train(p0, train, test, cfg, pb == null ? null : pb::stepTo);
        }
        int rec = r.records();
        Map<String, NdArray> outArrays = records(r, n, o, t == null ? 0 : t.dim(0));
        try (ntk.io.AtomicFiles.Group g = ntk.io.AtomicFiles.group()) { // the records and their CSV: both or neither
            Npz.write(out, outArrays);
            if (csv != null) {
                writeCsv(outArrays, rec);
            }
            g.commit();
        }
        if (r.divergedAt() >= 0) {
            throw new BadInputException(String.format("training diverged at step %d (loss or gradient not finite;"
                    + " lower --learning-rate); %s holds the %d records up to step %d", r.divergedAt(), out, rec,
                    rec == 0 ? 0 : r.step()[rec - 1]));
        }
        return 0;
    }

    /** The flags as a {@link Trainer.Config}: the builder checks every setting, naming it (rendered as its flag). */
    private Trainer.Config config(Trainer.Loss lossKind) {
        Trainer.Builder b = Trainer.Config.builder().learningRate(learningRate).loss(lossKind).seed(seed)
                .linearized(linearized).recordEvery(recordEvery).recordKernel(recordKernel).kernelProbe(kernelProbe)
                .lrDrops(lrDrops == null ? new double[0] : lrDrops);
        if (steps != null) {
            b.steps(steps);
        }
        if (epochs != null) {
            b.epochs(epochs);
        }
        if (batchSize != null) {
            b.batchSize(batchSize);
        }
        return b.build();
    }

    /** The training targets the loss needs, and test labels only with test inputs. */
    private void checkTargets(Trainer.Loss lossKind) {
        if (lossKind == Trainer.Loss.MSE && (trainY == null || trainLabels != null)) {
            throw new BadInputException("--loss mse trains on --train-y (n, o)" + (trainLabels != null
                    ? "; --train-labels is for --loss cross-entropy" : ""));
        }
        if (lossKind == Trainer.Loss.CROSS_ENTROPY && (trainLabels == null || trainY != null)) {
            throw new BadInputException("--loss cross-entropy trains on --train-labels (n,)" + (trainY != null
                    ? "; --train-y is for --loss mse" : ""));
        }
        if (testLabels != null && testX == null) {
            throw new BadInputException("--test-labels needs --test-x");
        }
    }

    /** Refuses, before any work, a run over --max-work or one whose records and training do not fit the heap. */
    private void checkBudget(Trainer.Config cfg, FiniteNetwork fn, int n, int m) {
        int o = fn.outputs();
        // forward and backward ≈ 6 operations per parameter per example seen, plus the whole-set evaluations
        double seen = epochs != null ? (double) epochs * n : (double) steps * Math.min(cfg.batch(n), n);
        double records = epochs != null ? (double) epochs / recordEvery : (double) steps / recordEvery;
        double updates = epochs != null ? (double) epochs * Math.ceil((double) n / Math.min(cfg.batch(n), n)) : steps;
        Inputs.checkWork(6.0 * fn.parameterCount() * (seen + records * (n + m)) + 1e5 * updates, maxWork,
                "training (" + (epochs != null ? epochs + " epochs" : steps + " steps") + " of a network of "
                        + fn.parameterCount() + " parameters)");
        if (recordKernel) {
            // r kernels of n²o² doubles, kept until the end and copied once to be written: refuse before training
            long bytes = (long) cfg.records() * n * n * o * o * Double.BYTES;
            if (bytes / Double.BYTES > Integer.MAX_VALUE - 8L) {
                throw new BadInputException(String.format(Locale.ROOT, "--record-kernel: %d records of a %d x %d"
                        + " kernel exceed one array; record less often (--record-every)", cfg.records(), n, n));
            }
            Inputs.checkHeap(2 * bytes, String.format(Locale.ROOT, "--record-kernel: %d records of a %d x %d kernel"
                    + " (twice, to write them; record less often with --record-every)", cfg.records(), n, n));
        }
        Inputs.checkHeap(new Trainer(fn).estimateBytes(cfg, n, m), String.format(Locale.ROOT,
                "training %d examples in batches of %d (%d-input kernel probe%s)", n, cfg.batch(n),
                Math.min(cfg.kernelProbe(), n), recordKernel ? ", recorded kernels" : ""));
    }

    /** The training set: targets for the squared loss, labels for cross-entropy. */
    private Trainer.Data trainingData(Trainer.Loss lossKind, NdArray x, int o) {
        int n = x.dim(0);
        if (lossKind == Trainer.Loss.MSE) {
            NdArray y = Inputs.targets(trainY, "--train-y", n);
            if (y.dim(1) != o) {
                throw new BadInputException(trainY + ": --train-y has " + y.dim(1) + " columns but the network has "
                        + o + " outputs");
            }
            return Trainer.Data.regression(x.data, n, y.data);
        }
        if (o < 2) {
            throw new BadInputException("--loss cross-entropy needs a network with one output per class (at least"
                    + " 2); --arch has " + o);
        }
        return Trainer.Data.classification(x.data, n, Inputs.labels(trainLabels, "--train-labels", n, o));
    }

    /** The records as the .npz holds them (cli-contract.md), then the final parameters under params/. */
    private Map<String, NdArray> records(Trainer.Result r, int n, int o, int m) {
        int rec = r.records();
        Map<String, NdArray> a = new LinkedHashMap<>();
        a.put("step", vector(r.step()));
        if (r.epoch() != null) {
            a.put("epoch", vector(r.epoch()));
        }
        a.put("loss", new NdArray(new int[] {rec}, r.loss()));
        if (r.trainLoss() != null) {
            a.put("train_loss", new NdArray(new int[] {rec}, r.trainLoss()));
        }
        if (r.trainAccuracy() != null) {
            a.put("train_accuracy", new NdArray(new int[] {rec}, r.trainAccuracy()));
        }
        a.put("kernel_change", new NdArray(new int[] {rec}, r.kernelChange()));
        a.put("param_change", new NdArray(new int[] {rec}, r.paramChange()));
        a.put("linearization_gap", new NdArray(new int[] {rec}, r.linearizationGap()));
        if (lrDrops != null) {
            a.put("learning_rate", new NdArray(new int[] {rec}, r.learningRate()));
        }
        if (testX != null) {
            a.put("test_out", new NdArray(new int[] {rec, m, o}, concat(r.testOut(), rec, m * o)));
        }
        if (r.testAccuracy() != null) {
            a.put("test_accuracy", new NdArray(new int[] {rec}, r.testAccuracy()));
        }
        if (recordKernel) {
            a.put("kernel", new NdArray(o == 1 ? new int[] {rec, n, n} : new int[] {rec, n, n, o, o},
                    concat(r.kernels(), rec, n * n * o * o)));
        }
        for (Map.Entry<String, NdArray> e : r.finalParams().asMap().entrySet()) {
            a.put("params/" + e.getKey(), e.getValue());
        }
        return a;
    }

    /** The first rows of {@code rows}, each {@code size} long, one after the other. */
    private static double[] concat(double[][] rows, int count, int size) {
        double[] all = new double[count * size];
        for (int i = 0; i < count; i++) {
            System.arraycopy(rows[i], 0, all, i * size, size);
        }
        return all;
    }

    private static NdArray vector(int[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return new NdArray(new int[] {v.length}, d);
    }

    /** Every scalar record (the (r,) arrays, in the order of the .npz) as CSV columns; steps and epochs as integers. */
    private void writeCsv(Map<String, NdArray> arrays, int rec) throws IOException {
        java.util.List<String> cols = new java.util.ArrayList<>();
        for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
            if (e.getValue().rank() == 1 && !e.getKey().startsWith("params/")) {
                cols.add(e.getKey());
            }
        }
        StringBuilder b = new StringBuilder(String.join(",", cols)).append('\n');
        for (int i = 0; i < rec; i++) {
            for (int c = 0; c < cols.size(); c++) {
                double v = arrays.get(cols.get(c)).data[i];
                boolean integer = cols.get(c).equals("step") || cols.get(c).equals("epoch");
                b.append(c > 0 ? "," : "").append(integer ? Long.toString((long) v) : Double.toString(v));
            }
            b.append('\n');
        }
        Outputs.writeText(csv, b);
    }
}
