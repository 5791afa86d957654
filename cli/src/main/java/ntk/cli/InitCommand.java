package ntk.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.finite.FiniteNetwork;
import ntk.io.Npz;
import ntk.Params;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ntk init}: seeded raw parameters of a finite network (README "Command line"). */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Raw parameters: \"{i}.W\" (fan_out, fan_in) — (channels_out, channels_in, k) for Conv1D — and"
                + " \"{i}.b\" per weighted layer at spec position i"
                + " (\"{i}.{j}.W\" inside a Residual); N(0,1) in ntk parameterisation, N(0, W_std²/fan_in) and"
                + " N(0, b_std²) in standard.")
final class InitCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(names = "--arch", required = true, description = "architecture spec; every width is used")
    String arch;

    @Option(names = "--input-dim", description = "input dimension d (dense networks)")
    Integer inputDim;

    @Option(names = "--input-shape", description = "input shape: LENGTH,CHANNELS (Conv1D networks) or HEIGHT,WIDTH,CHANNELS (Conv2D networks)")
    String inputShape;

    @Option(names = "--seed", required = true, description = "random seed")
    long seed;

    @Option(names = "--out", required = true, description = "output .npz")
    Path out;

    @Override
    public Integer call() {
        Network net = Network.parse(arch, Parameterization.parse(main.parameterization));
        Inputs.checkWritable(out, "--out");
        FiniteNetwork fn = new FiniteNetwork(net, shape(net));
        long bytes = fn.parameterCount() * 8;
        Inputs.checkHeap(bytes * 2, "the " + fn.parameterCount() + " parameters");
        Params p = fn.init(seed);
        Npz.write(out, p.asMap());
        return 0;
    }

    private ntk.Shape shape(Network net) {
        if ((inputDim == null) == (inputShape == null)) {
            throw new ntk.BadInputException("give exactly one of --input-dim d (dense networks) and --input-shape"
                    + " LENGTH,CHANNELS (Conv1D networks) or HEIGHT,WIDTH,CHANNELS (Conv2D networks)");
        }
        if (inputDim != null) {
            if (net.convolutional()) {
                throw new ntk.BadInputException("--input-dim: --arch is convolutional (Conv1D); give --input-shape"
                        + " LENGTH,CHANNELS instead");
            }
            return ntk.Shape.dense(inputDim);
        }
        String[] parts = inputShape.split(",");
        int[] v = new int[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                v[i] = Integer.parseInt(parts[i].trim());
            }
        } catch (NumberFormatException e) {
            v = new int[0];
        }
        if (!net.convolutional()) {
            throw new ntk.BadInputException("--input-shape: --arch is a dense network; give --input-dim d instead");
        }
        boolean images = net.imageNetwork();
        if (v.length != (images ? 3 : 2) || java.util.Arrays.stream(v).anyMatch(e -> e <= 0)) {
            throw new ntk.BadInputException("--input-shape: expected " + (images
                    ? "HEIGHT,WIDTH,CHANNELS (three positive integers) for a Conv2D network"
                    : "LENGTH,CHANNELS (two positive integers)") + ", got '" + inputShape + "'");
        }
        return images ? ntk.Shape.image(v[0], v[1], v[2]) : ntk.Shape.signal(v[0], v[1]);
    }
}
