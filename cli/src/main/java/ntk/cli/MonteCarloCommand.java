package ntk.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import ntk.BadInputException;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.finite.MonteCarloKernels;
import ntk.NdArray;
import ntk.io.Npy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ntk monte-carlo}: kernels averaged over randomly initialised finite networks. */
@Command(name = "monte-carlo", mixinStandardHelpOptions = true,
        description = "Average over --seeds finite networks (seeds s, s+1, …) of the empirical NTK (--kind ntk) or of"
                + " the output product f(x)f(x')ᵀ (--kind nngp), traced over outputs: shape (n1, n2). Converges to"
                + " `ntk kernel` as widths grow; the same to the bit for any --threads.")
final class MonteCarloCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(names = "--arch", required = true, description = "architecture spec; every width is used")
    String arch;

    @Option(names = "--x1", required = true, description = "inputs (n1, d)")
    Path x1;

    @Option(names = "--x2", description = "second inputs (n2, d); default x1")
    Path x2;

    @Option(names = "--kind", required = true, description = "ntk or nngp")
    String kind;

    @Option(names = "--seeds", defaultValue = "100", description = "number of networks (default ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--seed", defaultValue = "0", description = "first seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", description = "parallel networks (default: all cores)")
    Integer threads;

    @Option(names = "--max-work", defaultValue = Inputs.DEFAULT_MAX_WORK, description = "refuse a run estimated at more"
            + " floating-point operations than this (default ${DEFAULT-VALUE}: hours on two cores)")
    double maxWork;

    @Option(names = "--out", required = true, description = "output .npy")
    Path out;

    @Override
    public Integer call() {
        if (!kind.equals("ntk") && !kind.equals("nngp")) {
            throw new BadInputException("--kind: expected 'ntk' or 'nngp', got '" + kind + "'");
        }
        if (seeds <= 0) {
            throw new BadInputException("--seeds must be positive, got " + seeds);
        }
        Network net = Network.parse(arch, Parameterization.parse(main.parameterization));
        Inputs.checkWritable(out, "--out");
        NdArray a = Inputs.examples(x1, "--x1", net);
        NdArray b = x2 == null ? null : Inputs.examples(x2, "--x2", net);
        Inputs.sameShape(a, x1, "--x1", b, x2, "--x2");
        int n2 = b == null ? a.dim(0) : b.dim(0);
        double params = new ntk.finite.FiniteNetwork(net, Inputs.shape(a)).parameterCount();
        // per network: its passes (~10 operations per parameter per input) and a fixed cost (~1e6: set-up, reductions)
        Inputs.checkWork((double) seeds * (10 * params * (a.dim(0) + n2) + 1e6), maxWork, seeds + " networks of " + (long) params
                + " parameters on " + a.dim(0) + " + " + n2 + " inputs");
        MonteCarloKernels.Estimate e = MonteCarloKernels.estimate(net, Inputs.shape(a), a.data, a.dim(0),
                b == null ? null : b.data, n2, seeds, seed,
                threads == null ? Runtime.getRuntime().availableProcessors() : threads, null);
        Npy.write(out, new NdArray(new int[] {a.dim(0), n2}, kind.equals("ntk") ? e.ntk() : e.nngp()));
        return 0;
    }
}
