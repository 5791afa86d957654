package ntk.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import ntk.BadInputException;
import ntk.arch.Network;
import ntk.Parameterization;
import ntk.KernelKind;
import ntk.dynamics.KernelPca;
import ntk.NdArray;
import ntk.io.Npz;
import ntk.model.KernelRegressor;
import ntk.model.MemoryPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ntk kernel-pca}: the principal components of the infinite-width training kernel and how gradient flow
 * fits the targets along them (Jacot et al. 2018 §5: the residual along component i decays as e^{−λᵢt/n}).
 */
@Command(name = "kernel-pca", mixinStandardHelpOptions = true,
        description = {"Kernel principal components of the infinite-width train-train kernel K (+ ridge r I) on X, and"
                + " the targets Y along them: under gradient flow on 1/(2n) sum ||f - y||^2 the mean residual along"
                + " component i decays as exp(-lambda_i t / n) (Jacot et al. 2018, section 5), so its decay time is"
                + " n / lambda_i.",
            "Writes --out (.npz): eigenvalues (n,) largest first; components (k, n), unit eigenvectors as rows;"
                + " projections (k, o) = v_i^T Y; target_weight (k,) = ||v_i^T Y||^2 (sums to ||Y||^2 over all n);"
                + " decay_time (k,) = n / lambda_i (inf where lambda_i is zero to rounding)."
                + " Without --train-y only eigenvalues, components and decay_time."})
final class KernelPcaCommand implements Callable<Integer> {
    @Option(names = "--arch", required = true, description = "architecture spec, e.g. 'Dense(512), Relu, Dense(1)'")
    String arch;

    @Option(names = "--train-x", required = true, description = "training inputs X, .npy of shape (n, d)")
    Path trainX;

    @Option(names = "--train-y", description = "training targets Y, .npy of shape (n, o) or (n,)")
    Path trainY;

    @Option(names = "--kind", required = true, description = "ntk or nngp: which kernel's components")
    String kind;

    @Option(names = "--ridge", defaultValue = "0", description = "adds r*I to the kernel (default 0)")
    double ridge;

    @Option(names = "--components", description = "how many leading components to write (default: all n)")
    Integer components;

    @Option(names = "--out", required = true, description = "output .npz")
    Path out;

    @picocli.CommandLine.ParentCommand
    Main main;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        KernelKind kernel = TrainingInputs.kind(kind);
        Network net = Network.parse(arch, Parameterization.parse(main.parameterization));
        KernelRegressor model = new KernelRegressor(net, kernel).ridge(ridge);
        Inputs.checkWritable(out, "--out");
        TrainingInputs train = TrainingInputs.read(trainX, trainY, net);
        int n = train.n();
        if (n < 1) {
            throw new BadInputException(trainX + ": --train-x has no training points");
        }
        int k = components == null ? n : components;
        if (k < 1 || k > n) {
            throw new BadInputException("--components must be in [1, " + n + "] (the number of training points), got " + k);
        }
        MemoryPlan plan = model.componentsPlan(n);
        Inputs.checkHeap(plan.bytes(), plan.what());
        KernelPca pca = model.components(train.x(), train.y());
        int o = train.y() == null ? 1 : train.y().dim(1);
        Map<String, NdArray> a = new LinkedHashMap<>();
        a.put("eigenvalues", NdArray.vector(pca.eigenvalues()));
        double[] comps = new double[k * n];
        double[] proj = new double[k * o];
        double[] weight = new double[k];
        double[] decay = new double[k];
        for (int i = 0; i < k; i++) {
            System.arraycopy(pca.eigenvector(i), 0, comps, i * n, n);
            System.arraycopy(pca.projection(i), 0, proj, i * o, o);
            weight[i] = pca.targetWeight(i);
            decay[i] = pca.decayTime(i);
        }
        a.put("components", new NdArray(new int[] {k, n}, comps));
        if (train.y() != null) {
            a.put("projections", new NdArray(new int[] {k, o}, proj));
            a.put("target_weight", NdArray.vector(weight));
        }
        a.put("decay_time", NdArray.vector(decay));
        Npz.write(out, a);
        PrintWriter w = spec.commandLine().getOut();
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += pca.targetWeight(i);
        }
        w.printf(Locale.ROOT, "%-10s %14s %14s%s%n", "component", "eigenvalue", "decay time", train.y() == null ? ""
                : "   share of |Y|^2");
        for (int i = 0; i < Math.min(k, 10); i++) {
            w.printf(Locale.ROOT, "%-10d %14.6g %14.6g%s%n", i, pca.eigenvalue(i), decay[i], train.y() == null ? ""
                    : String.format(Locale.ROOT, "   %14.4f", weight[i] / total));
        }
        w.println("wrote " + out);
        return 0;
    }
}
