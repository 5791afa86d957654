package ntk.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import ntk.BadInputException;
import ntk.KernelKind;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.dynamics.TrainingTime;
import ntk.NdArray;
import ntk.io.Npy;
import ntk.model.KernelRegressor;
import ntk.model.MemoryPlan;
import ntk.model.Predictions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ntk predict}: mean and covariance of the infinite-width network after training (README "Command line"). */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Mean (and covariance) over initialisations of the infinite-width network's outputs on T after"
                + " training on (X, Y) with loss 1/(2n) sum ||f(x_i) - y_i||^2: gradient flow for time t"
                + " (t = inf: kernel regression) or k gradient-descent steps of rate eta.",
            "Mean: shape (m, o) for one time; (len(times), m, o) for a list such as --time 0.1,1,10,inf.",
            "Covariance (Lee et al. 2019 eqs. 15-16): shape (m, m), the same for every output"
                + " ((len(times), m, m) for a list of times)."})
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--arch", required = true, description = "architecture spec, e.g. 'Dense(512), Relu, Dense(1)'")
    String arch;

    @Option(names = "--train-x", required = true, description = "training inputs X, .npy of shape (n, d), or (n, length, channels) for Conv1D networks")
    Path trainX;

    @Option(names = "--train-y", description = "training targets Y, .npy of shape (n, o) or (n,) (required unless --classify)")
    Path trainY;

    @Option(names = "--test-x", required = true, description = "test inputs T, .npy of shape (m, d), or (m, length, channels) for Conv1D networks")
    Path testX;

    @Option(names = "--kind", required = true, description = "ntk (train all layers) or nngp (train the read-out only)")
    String kind;

    @Option(names = "--time", description = "gradient-flow time t >= 0, 'inf', or a comma list (default: inf)")
    String time;

    @Option(names = "--steps", description = "number of discrete gradient-descent steps k (with --learning-rate)")
    Long steps;

    @Option(names = "--learning-rate", description = "learning rate eta of the discrete steps")
    Double learningRate;

    @Option(names = "--ridge", defaultValue = "0", description = "adds r*I to the training kernel (default 0)")
    double ridge;

    @Option(names = "--out", required = true, description = "output .npy for the mean")
    Path out;

    @Option(names = "--cov-out", description = "output .npy for the covariance")
    Path covOut;

    @Option(names = "--loss", description = "mse (default: 1/(2n) sum ||f - y||^2, closed form) or cross-entropy"
            + " (gradient flow on (1/n) sum CE(softmax f(x_i), y_i) from --train-labels, integrated at --time t1,t2,...;"
            + " --out (times, m, classes) logits)")
    String loss;

    @Option(names = "--f0-train", description = "with --loss cross-entropy: initial outputs on X, .npy (n, classes)"
            + " (default 0)")
    Path f0Train;

    @Option(names = "--f0-test", description = "with --loss cross-entropy: initial outputs on T, .npy (m, classes)"
            + " (default 0)")
    Path f0Test;

    @Option(names = "--max-steps", defaultValue = "1000000", description = "with --loss cross-entropy: refuse up"
            + " front a flow that needs more ODE steps than this (default 1000000)")
    long maxSteps;

    @picocli.CommandLine.Mixin
    ClassifyOptions classify;

    @picocli.CommandLine.ParentCommand
    Main main;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Mixin
    EngineOptions.WithVerbose engineOptions = new EngineOptions.WithVerbose();

    @Override
    public Integer call() {
        if (engineOptions.spark("predict")) {
            if (CrossEntropyPredict.wanted(loss)) {
                throw new BadInputException("--loss cross-entropy runs on --engine local only");
            }
            return ClusterCommands.predict(this, engineOptions);
        }
        KernelKind k = TrainingInputs.kind(kind);
        Network net = Network.parse(arch, Parameterization.parse(main.parameterization));
        if (CrossEntropyPredict.wanted(loss)) {
            if (classify.classify) {
                throw new BadInputException("--classify is one-hot regression with the squared loss; --loss"
                        + " cross-entropy classifies by itself (--test-labels, --labels-out work without --classify)");
            }
            return CrossEntropyPredict.run(this, k, net, spec.commandLine().getOut());
        }
        if (f0Train != null || f0Test != null) {
            throw new BadInputException("--f0-train and --f0-test go with --loss cross-entropy");
        }
        TrainingTime[] times = times();
        if (!(ridge >= 0) || Double.isInfinite(ridge)) {
            throw new BadInputException("--ridge must be finite and >= 0, got " + ridge);
        }
        Inputs.checkWritable(out, "--out");
        if (covOut != null) {
            Inputs.checkWritable(covOut, "--cov-out");
        }
        TrainingInputs train = TrainingInputs.read(trainX, trainY, net);
        NdArray oneHot = classify.targets(trainY, train.n());
        train = oneHot == null ? train : new TrainingInputs(train.x(), oneHot, trainX, null);
        NdArray t = train.testInputs(testX, net);
        classify.checkTestLabels(t.dim(0));
        KernelRegressor model = new KernelRegressor(net, k).ridge(ridge).times(times).withCovariance(covOut != null);
        MemoryPlan plan = model.plan(train.n(), t.dim(0));
        Inputs.checkHeap(plan.bytes(), plan.what(), plan.blockable() ? "--engine spark" : null);
        model.fit(train.x(), train.y());
        warnIfUnstable(model, times);
        Predictions p = model.predict(t);
        String accuracy;
        try (ntk.io.AtomicFiles.Group g = ntk.io.AtomicFiles.group()) { // --out, --labels-out, --cov-out: all or none
            Npy.write(out, p.meanArray());
            accuracy = classify.report(p.means()[p.means().length - 1], p.m());
            if (covOut != null) {
                Npy.write(covOut, p.covarianceArray());
            }
            g.commit();
        }
        spec.commandLine().getOut().print(accuracy);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private TrainingTime[] times() {
        if (steps != null || learningRate != null) {
            if (time != null) {
                throw new BadInputException("--time and --steps/--learning-rate are exclusive: give one schedule");
            }
            if (steps == null || learningRate == null) {
                throw new BadInputException("--steps and --learning-rate go together");
            }
            if (steps < 0) {
                throw new BadInputException("--steps must be >= 0, got " + steps);
            }
            if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
                throw new BadInputException("--learning-rate must be finite and >= 0, got " + learningRate);
            }
            return new TrainingTime[] {TrainingTime.steps(steps, learningRate)};
        }
        if (time == null) {
            return new TrainingTime[] {TrainingTime.INFINITY};
        }
        String[] parts = time.split(",", -1);
        TrainingTime[] tt = new TrainingTime[parts.length];
        for (int j = 0; j < parts.length; j++) {
            String s = parts[j].trim();
            double v;
            if (s.equalsIgnoreCase("inf") || s.equalsIgnoreCase("infinity")) {
                v = Double.POSITIVE_INFINITY;
            } else {
                try {
                    v = Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new BadInputException("--time: '" + s + "' is not a number or 'inf'");
                }
            }
            if (!(v >= 0)) {
                throw new BadInputException("--time must be >= 0 or 'inf', got '" + s + "'");
            }
            tt[j] = TrainingTime.flow(v);
        }
        return tt;
    }

    /** Discrete steps diverge along eigenvalues with |1 − ηλ/n| > 1, i.e. above η = 2n/λ_max: warn, still compute. */
    /** Warns when discrete steps exceed 2n/λ_max (asked only then: on the t = ∞ path the spectrum costs O(n³)). */
    private void warnIfUnstable(KernelRegressor model, TrainingTime[] times) {
        if (!(times[0] instanceof TrainingTime.DiscreteSteps s)) {
            return;
        }
        double limit = model.maxStableLearningRate();
        if (s.eta() > limit) {
            PrintWriter err = spec.commandLine().getErr();
            err.printf("ntk: warning: --learning-rate %s exceeds the stability limit 2n/lambda_max = %.6g;"
                    + " gradient descent diverges (computing anyway)%n", s.eta(), limit);
            err.flush();
        }
    }
}
