package ntk.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import ntk.BadInputException;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.NdArray;
import ntk.io.Npy;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ntk kernel}: the infinite-width NNGP or NTK on x1 × x2 (README "Command line"). */
@Command(name = "kernel", mixinStandardHelpOptions = true,
        description = "Infinite-width kernel of shape (n1, n2); the full kernel is this times the identity on outputs.")
final class KernelCommand implements Callable<Integer> {
    @Option(names = "--arch", required = true, description = "architecture spec, e.g. 'Dense(512), Relu, Dense(1)'")
    String arch;

    @Option(names = "--x1", required = true, description = "inputs, .npy of shape (n1, d), or (n1, length, channels) for Conv1D networks")
    Path x1;

    @Option(names = "--x2", description = "second inputs, .npy of shape (n2, d) or (n2, length, channels); default: x1 (symmetric, half the work)")
    Path x2;

    @Option(names = "--kind", required = true, description = "ntk or nngp")
    String kind;

    @Option(names = "--out", required = true, description = "output .npy")
    Path out;

    @picocli.CommandLine.ParentCommand
    Main main;

    @Option(names = "--diag", description = "only the diagonal k(x, x) of x1: output shape (n1,)")
    boolean diag;

    @Option(names = "--threads", description = "worker threads (default: all cores)")
    Integer threads;

    @Option(names = {"-v", "--verbose"}, description = "print the time of each phase to stderr")
    boolean verbose;

    @picocli.CommandLine.Mixin
    EngineOptions engineOptions = new EngineOptions();

    private long t0 = System.nanoTime();

    private void phase(String what) {
        if (verbose) {
            long t = System.nanoTime();
            System.err.printf("ntk kernel: %-8s %.3f s%n", what, (t - t0) * 1e-9);
            t0 = t;
        }
    }

    @Override
    public Integer call() {
        if (engineOptions.spark("kernel")) {
            return ClusterCommands.kernel(this, engineOptions);
        }
        boolean wantNtk = switch (kind) {
            case "ntk" -> true;
            case "nngp" -> false;
            default -> throw new BadInputException("--kind: expected 'ntk' or 'nngp', got '" + kind + "'");
        };
        Network net = Network.parse(arch, Parameterization.parse(main.parameterization));
        if (diag && x2 != null) {
            throw new BadInputException("--diag takes only --x1");
        }
        Inputs.checkWritable(out, "--out");
        t0 = System.nanoTime();
        NdArray a = Inputs.examples(x1, "--x1", net);
        ntk.Shape shape = Inputs.shape(a);
        net.outputShape(shape);
        KernelEngine engine = (threads == null ? new KernelEngine() : new KernelEngine(threads))
                .verbose(verbose ? System.err : null);
        if (diag) {
            engine.checkFits(net, shape, a.dim(0), 1, wantNtk);
            Kernels k = engine.diagonal(net, a.data, a.dim(0), shape, wantNtk);
            computed();
            Npy.write(out, new NdArray(new int[] {a.dim(0)}, wantNtk ? k.ntk() : k.nngp()));
            phase("write");
            return 0;
        }
        NdArray b = null;
        if (x2 != null) {
            b = Inputs.examples(x2, "--x2", net);
            Inputs.sameShape(a, x1, "--x1", b, x2, "--x2");
        }
        int n2 = b == null ? a.dim(0) : b.dim(0);
        engine.checkFits(net, shape, a.dim(0), n2, wantNtk);
        phase("read");
        // K goes to the output's temporary file block of rows by block of rows as the engine finishes them, on a
        // writer thread (the write overlaps the computation, which never waits for the disk); the rename over --out
        // comes after the last, and a failure or a signal deletes the temporary file instead, leaving --out as it was.
        try (Npy.Streamed file = Npy.open(out, new int[] {a.dim(0), n2})) {
            engine.onRowsFinal((sig, ntk, r0, r1) -> file.putLater(wantNtk ? ntk : sig, r0 * n2, r1 * n2));
            engine.kernels(net, a.data, a.dim(0), b == null ? null : b.data, n2, shape, wantNtk);
            computed();
            file.commit();
        }
        phase("write");
        return 0;
    }

    private void computed() {
        phase("compute");
        if (verbose) {
            long[] c = ntk.activations.QuadratureActivation.entryCounts();
            if (c[0] + c[2] + c[3] > 0) {
                System.err.printf("ntk kernel: smooth-activation entries: Hermite series %d (second stage %d), "
                        + "near |rho| = 1 %d, quadrature %d%n", c[0], c[1], c[2], c[3]);
            }
        }
    }
}
