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
import ntk.io.NdArray;
import ntk.io.Npz;
import ntk.protocol.Params;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ntk train}: gradient descent on the raw parameters, recorded along the way (cli-contract.md). */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Gradient descent on L = 1/(2n) Σ‖f(x_i) − y_i‖² from the parameters in --params; records at"
                + " steps 0, m, 2m, … and k: step, loss, kernel_change (‖Θ_t − Θ_0‖_F/‖Θ_0‖_F of the empirical NTK on"
                + " the training inputs), param_change (‖θ_t − θ_0‖/‖θ_0‖), linearization_gap (‖f(X; θ_t) − f_lin(X; θ_t)‖"
                + " / ‖f(X; θ_t) − f(X; θ_0)‖), test_out (r, m_test, o) with --test-x, and the final parameters under"
                + " params/<key>.",
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

    @Option(names = "--train-y", required = true, description = "targets (n, o)")
    Path trainY;

    @Option(names = "--steps", required = true, description = "number of updates k")
    int steps;

    @Option(names = "--learning-rate", required = true, description = "η in θ ← θ − η∇L")
    double learningRate;

    @Option(names = "--batch-size", description = "minibatch SGD with this batch size (default: full batch)")
    Integer batchSize;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the minibatch order (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--linearized", description = "train f_lin(x) = f(x; θ0) + ∇f(x; θ0)(θ − θ0) instead")
    boolean linearized;

    @Option(names = "--test-x", description = "test inputs (m, d) whose outputs are recorded")
    Path testX;

    @Option(names = "--record-every", defaultValue = "1", description = "record every m steps (default ${DEFAULT-VALUE})")
    int recordEvery;

    @Option(names = "--record-kernel", description = "also record the empirical NTK on the training inputs: key"
            + " 'kernel', (r, n, n) for one output, (r, n, n, o, o) for o > 1")
    boolean recordKernel;

    @Option(names = "--out", required = true, description = "output .npz")
    Path out;

    @Option(names = "--csv", description = "also write the scalar records as CSV")
    Path csv;

    @Option(names = "--no-progress", description = "no progress bar")
    boolean noProgress;

    @Override
    public Integer call() throws IOException {
        Network net = Network.parse(arch, Parameterization.parse(main.parameterization));
        Trainer.Config cfg = new Trainer.Config(steps, learningRate, batchSize == null ? 0 : batchSize, seed,
                linearized, recordEvery, recordKernel);
        if (batchSize != null && batchSize <= 0) {
            throw new BadInputException("--batch-size must be positive, got " + batchSize);
        }
        Inputs.checkWritable(out, "--out");
        if (csv != null) {
            Inputs.checkWritable(csv, "--csv");
        }
        NdArray x = Inputs.examples(trainX, "--train-x", net);
        NdArray y = Inputs.targets(trainY, "--train-y", x.dim(0));
        NdArray t = testX == null ? null : Inputs.examples(testX, "--test-x", net);
        Inputs.sameShape(x, trainX, "--train-x", t, testX, "--test-x");
        FiniteNetwork fn = new FiniteNetwork(net, Inputs.shape(x));
        if (y.dim(1) != fn.outputs()) {
            throw new BadInputException(trainY + ": --train-y has " + y.dim(1) + " columns but the network has "
                    + fn.outputs() + " outputs");
        }
        Params p0 = fn.validate(Npz.read(params), params.toString());
        if (recordKernel) {
            // r kernels of n²o² doubles, kept until the end and copied once to be written: refuse before training
            long bytes = (long) cfg.records() * x.dim(0) * x.dim(0) * fn.outputs() * fn.outputs() * Double.BYTES;
            if (bytes / Double.BYTES > Integer.MAX_VALUE - 8L) {
                throw new BadInputException(String.format(Locale.ROOT, "--record-kernel: %d records of a %d x %d"
                        + " kernel exceed one array; record less often (--record-every)", cfg.records(), x.dim(0),
                        x.dim(0)));
            }
            Inputs.checkHeap(2 * bytes, String.format(Locale.ROOT, "--record-kernel: %d records of a %d x %d kernel"
                    + " (twice, to write them; record less often with --record-every)", cfg.records(), x.dim(0),
                    x.dim(0)));
        }
        Trainer.Result r;
        boolean bar = !noProgress && steps >= 20 && System.console() != null && System.console().isTerminal();
        try (ProgressBar pb = bar ? new ProgressBarBuilder().setTaskName("train").setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(
                        System.err)).build() : null) {
            r = new Trainer(fn).train(p0, x.data, x.dim(0), y.data, t == null ? null : t.data, t == null ? 0 : t.dim(0),
                    cfg, pb == null ? null : pb::stepTo);
        }
        int rec = r.records();
        Map<String, NdArray> outArrays = new LinkedHashMap<>();
        double[] stepD = new double[rec];
        for (int i = 0; i < rec; i++) {
            stepD[i] = r.step()[i];
        }
        outArrays.put("step", new NdArray(new int[] {rec}, stepD));
        outArrays.put("loss", new NdArray(new int[] {rec}, r.loss()));
        outArrays.put("kernel_change", new NdArray(new int[] {rec}, r.kernelChange()));
        outArrays.put("param_change", new NdArray(new int[] {rec}, r.paramChange()));
        outArrays.put("linearization_gap", new NdArray(new int[] {rec}, r.linearizationGap()));
        if (t != null) {
            int m = t.dim(0);
            int o = fn.outputs();
            double[] all = new double[rec * m * o];
            for (int i = 0; i < rec; i++) {
                System.arraycopy(r.testOut()[i], 0, all, i * m * o, m * o);
            }
            outArrays.put("test_out", new NdArray(new int[] {rec, m, o}, all));
        }
        if (recordKernel) {
            int n = x.dim(0);
            int o = fn.outputs();
            int size = n * n * o * o;
            double[] all = new double[rec * size];
            for (int i = 0; i < rec; i++) {
                System.arraycopy(r.kernels()[i], 0, all, i * size, size);
            }
            outArrays.put("kernel", new NdArray(o == 1 ? new int[] {rec, n, n} : new int[] {rec, n, n, o, o}, all));
        }
        for (Map.Entry<String, NdArray> e : r.finalParams().asMap().entrySet()) {
            outArrays.put("params/" + e.getKey(), e.getValue());
        }
        Npz.write(out, outArrays);
        if (csv != null) {
            writeCsv(r);
        }
        if (r.divergedAt() >= 0) {
            throw new BadInputException(String.format("training diverged at step %d (loss or gradient not finite;"
                    + " lower --learning-rate); %s holds the %d records up to step %d", r.divergedAt(), out, rec,
                    rec == 0 ? 0 : r.step()[rec - 1]));
        }
        return 0;
    }

    private void writeCsv(Trainer.Result r) throws IOException {
        StringBuilder b = new StringBuilder("step,loss,kernel_change,param_change,linearization_gap\n");
        for (int i = 0; i < r.records(); i++) {
            b.append(r.step()[i]).append(',').append(r.loss()[i]).append(',').append(r.kernelChange()[i]).append(',')
                    .append(r.paramChange()[i]).append(',').append(r.linearizationGap()[i]).append('\n');
        }
        Outputs.writeText(csv, b);
    }
}
