package ntk.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import ntk.arch.Network;
import ntk.arch.Parameterization;
import ntk.finite.FiniteNetwork;
import ntk.finite.Params;
import ntk.io.Npz;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ntk init}: seeded raw parameters of a finite network (cli-contract.md). */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Raw parameters: \"{i}.W\" (fan_out, fan_in) and \"{i}.b\" per Dense at spec position i"
                + " (\"{i}.{j}.W\" inside a Residual); N(0,1) in ntk parameterisation, N(0, W_std²/fan_in) and"
                + " N(0, b_std²) in standard.")
final class InitCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(names = "--arch", required = true, description = "architecture spec; every width is used")
    String arch;

    @Option(names = "--input-dim", required = true, description = "input dimension d")
    int inputDim;

    @Option(names = "--seed", required = true, description = "random seed")
    long seed;

    @Option(names = "--out", required = true, description = "output .npz")
    Path out;

    @Override
    public Integer call() {
        Network net = Network.parse(arch, Parameterization.parse(main.parameterization));
        Inputs.checkWritable(out, "--out");
        FiniteNetwork fn = new FiniteNetwork(net, inputDim);
        long bytes = fn.parameterCount() * 8;
        Inputs.checkHeap(bytes * 2, "the " + fn.parameterCount() + " parameters");
        Params p = fn.init(seed);
        Npz.write(out, p.asMap());
        return 0;
    }
}
