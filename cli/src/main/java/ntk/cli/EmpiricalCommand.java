package ntk.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import ntk.BadInputException;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.finite.EmpiricalNtk;
import ntk.finite.FiniteNetwork;
import ntk.NdArray;
import ntk.io.Npy;
import ntk.io.Npz;
import ntk.Params;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ntk empirical}: the finite-width NTK Σ_p ∂f_a(x)/∂θ_p ∂f_b(x')/∂θ_p over all raw parameters. */
@Command(name = "empirical", mixinStandardHelpOptions = true,
        description = "Empirical NTK of a finite network: shape (n1, n2) for one output, (n1, n2, o, o) for o > 1;"
                + " --trace gives (n1, n2), the mean over outputs of Θ_aa.")
final class EmpiricalCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(names = "--arch", required = true, description = "architecture spec")
    String arch;

    @Option(names = "--params", required = true, description = ".npz of raw parameters (from ntk init or ntk train)")
    Path params;

    @Option(names = "--x1", required = true, description = "inputs, .npy of shape (n1, d)")
    Path x1;

    @Option(names = "--x2", description = "second inputs (n2, d); default x1 (one forward/backward pass)")
    Path x2;

    @Option(names = "--out", required = true, description = "output .npy")
    Path out;

    @Option(names = "--trace", description = "mean over outputs, shape (n1, n2)")
    boolean trace;

    @Option(names = "--method", defaultValue = "structured",
            description = "structured (default: per-layer (δ·δ')(α·α'), never forms J) or jacobian (J Jᵀ, the reference)")
    String method;

    @Override
    public Integer call() {
        Network net = Network.parse(arch, Parameterization.parse(main.parameterization));
        if (!method.equals("structured") && !method.equals("jacobian")) {
            throw new BadInputException("--method: expected 'structured' or 'jacobian', got '" + method + "'");
        }
        Inputs.checkWritable(out, "--out");
        NdArray a = Inputs.examples(x1, "--x1", net);
        NdArray b = x2 == null ? null : Inputs.examples(x2, "--x2", net);
        Inputs.sameShape(a, x1, "--x1", b, x2, "--x2");
        FiniteNetwork fn = new FiniteNetwork(net, Inputs.shape(a));
        Params p = fn.validate(Npz.read(params), params.toString());
        int n1 = a.dim(0);
        int n2 = b == null ? n1 : b.dim(0);
        int o = fn.outputs();
        long entries = (long) n1 * n2 * (trace || o == 1 ? 1 : (long) o * o);
        Inputs.checkHeap(entries * 8 * 3, "the " + n1 + "x" + n2 + (trace || o == 1 ? "" : "x" + o + "x" + o) + " kernel");
        double[] k = method.equals("structured")
                ? EmpiricalNtk.structured(fn, p, a.data, n1, b == null ? null : b.data, n2, trace ? EmpiricalNtk.Outputs.TRACED : EmpiricalNtk.Outputs.EACH_PAIR)
                : EmpiricalNtk.contraction(fn, p, a.data, n1, b == null ? null : b.data, n2, trace);
        int[] shape = trace || o == 1 ? new int[] {n1, n2} : new int[] {n1, n2, o, o};
        Npy.write(out, new NdArray(shape, k));
        return 0;
    }
}
