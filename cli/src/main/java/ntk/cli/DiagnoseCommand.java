package ntk.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import ntk.KernelKind;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.dynamics.Trainability;
import ntk.model.KernelRegressor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ntk diagnose}: can gradient descent with this architecture's kernel fit this data set, and how fast. */
@Command(name = "diagnose", mixinStandardHelpOptions = true,
        description = {"Trainability of an architecture on a data set from its infinite-width training kernel:"
                + " smallest and largest eigenvalue, condition number, the largest stable learning rate 2n/lambda_max of"
                + " discrete gradient descent, and the gradient-flow time to fit a fraction of the targets (of the"
                + " slowest direction's residual without --train-y).",
            "A kernel singular to working precision (lambda_min <= n*eps*lambda_max) is reported untrainable"
                + " (Hayou et al., Lemma 1). JSON writes null for an infinite value."})
final class DiagnoseCommand implements Callable<Integer> {
    @Option(names = "--arch", required = true, description = "architecture spec")
    String arch;

    @Option(names = "--train-x", required = true, description = "training inputs X, .npy of shape (n, d), or (n, length, channels) for Conv1D networks")
    Path trainX;

    @Option(names = "--train-y", description = "training targets Y, .npy of shape (n, o) or (n,)")
    Path trainY;

    @Option(names = "--kind", defaultValue = "ntk", description = "ntk (default) or nngp")
    String kind;

    @Option(names = "--fraction", defaultValue = "0.99", description = "fraction to fit (default ${DEFAULT-VALUE})")
    double fraction;

    @Option(names = "--json", description = "print one JSON object instead of a table")
    boolean json;

    @picocli.CommandLine.ParentCommand
    Main main;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        KernelKind k = TrainingInputs.kind(kind);
        Network net = Network.parse(arch, Parameterization.parse(main.parameterization));
        if (!(fraction > 0 && fraction < 1)) {
            throw new ntk.BadInputException("--fraction must lie strictly between 0 and 1, got " + fraction);
        }
        TrainingInputs train = TrainingInputs.read(trainX, trainY, net);
        Trainability t = new KernelRegressor(net, k).trainability(train.x(), train.y(), fraction);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new Json().put("kind", kind).put("n", t.n()).put("lambda_min", t.lambdaMin())
                    .put("lambda_max", t.lambdaMax()).put("condition_number", t.conditionNumber())
                    .put("max_stable_learning_rate", t.maxStableLearningRate()).put("trainable", t.trainable())
                    .put("singular_tolerance", t.singularTolerance()).put("fraction", t.fraction())
                    .put("time_to_fit", t.timeToFit())
                    .put("time_to_fit_of", t.withTargets() ? "targets" : "slowest_direction"));
        } else {
            out.printf("%s kernel of %s on %d points (%s)%n", kind.toUpperCase(java.util.Locale.ROOT), net.spec(), t.n(),
                    trainX);
            row(out, "smallest eigenvalue", t.lambdaMin());
            row(out, "largest eigenvalue", t.lambdaMax());
            row(out, "condition number", t.conditionNumber());
            row(out, "max stable learning rate", t.maxStableLearningRate());
            out.printf("  %-34s %s%n", "trainable", t.trainable() ? "yes"
                    : String.format("NO: singular to working precision (lambda_min <= %.3e); add a ridge or change the"
                            + " architecture", t.singularTolerance()));
            row(out, String.format("time to fit %s%% of %s", pct(t.fraction()),
                    t.withTargets() ? "Y" : "slowest dir."), t.timeToFit());
        }
        out.flush();
        return 0;
    }

    private static String pct(double f) {
        return new java.math.BigDecimal(100 * f).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }

    private static void row(PrintWriter out, String name, double v) {
        out.printf("  %-34s %s%n", name, Double.isFinite(v) ? String.format("%.6g", v) : "inf");
    }
}
