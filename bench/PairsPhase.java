import java.util.Random;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.kernels.KernelEngine;

/**
 * The ReLU NTK's phases in a warm JVM (docs/performance.md, "The pairs phase against its bound"): the depth-D Dense/Relu
 * network of bench/kernel-process-bench.sh (W_std = √2, b_std = 0.1) on N standard-normal inputs of dimension d,
 * computed R times in one JVM on all cores, each run's phases (gram, diagonal, pairs, mirror) printed by the engine's
 * verbose mode (wall seconds), and the process's CPU seconds over the run (all threads; on a shared machine the
 * steadier figure), then the number of lower-triangle entry-layers the pairs phase computes. The first run includes
 * the JIT's warm-up; the later ones are the warm figures.
 * Run: java --add-modules jdk.incubator.vector -cp cli/target/ntk.jar bench/PairsPhase.java [N] [d] [D] [R]
 */
public class PairsPhase {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 8000;
        int d = args.length > 1 ? Integer.parseInt(args[1]) : 784;
        int depth = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        StringBuilder arch = new StringBuilder();
        for (int l = 0; l < depth; l++) {
            arch.append("Dense(512, W_std=1.4142135623730951, b_std=0.1), Relu, ");
        }
        arch.append("Dense(1, W_std=1.4142135623730951, b_std=0.1)");
        Network net = Network.parse(arch.toString(), Parameterization.parse("ntk"));
        double[] x = new double[n * d];
        Random rng = new Random(42);
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        KernelEngine engine = new KernelEngine().verbose(System.out);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        for (int r = 1; r <= repeats; r++) {
            System.out.println("run " + r + ":");
            long t0 = System.nanoTime();
            long c0 = os.getProcessCpuTime();
            engine.kernels(net, x, n, null, n, d, true);
            System.out.printf("  total      %.3f s wall, %.3f s CPU%n", (System.nanoTime() - t0) * 1e-9,
                    (os.getProcessCpuTime() - c0) * 1e-9);
        }
        System.out.printf("entry_layers %d (N(N-1)/2 = %d pairs x %d Relu layers), threads %d%n",
                (long) n * (n - 1) / 2 * depth, (long) n * (n - 1) / 2, depth, Runtime.getRuntime().availableProcessors());
    }
}
