import java.util.Random;
import ntk.Parameterization;
import ntk.Shape;
import ntk.arch.Network;
import ntk.kernels.KernelEngine;

/**
 * The pooled 2-D CNTK's cost per added layer in a warm JVM, one thread: [Conv2D(1, 3, W_std=√2), Relu] × depth,
 * GlobalAvgPool, Dense(1) (bench/conv2d-bench.sh's network) on N standard-normal 28 × 28 × 1 images, at two depths,
 * alternately R times each, timed in thread CPU seconds; prints the median per depth, the cost per added layer in
 * CPU-s per 1,000 pairs and in ns per position pair, and (with a file argument) writes the depth-d2 NTK for a bit-for-bit
 * comparison between builds.
 * With -Dact=Identity the activation is left out (the convolutions' cost alone).
 * Run: java --add-modules jdk.incubator.vector -cp core/target/classes bench/Conv2dLayers.java [N] [d1] [d2] [R] [out.bin]
 */
public class Conv2dLayers {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int d1 = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int d2 = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        Shape shape = Shape.image(28, 28, 1);
        double[] x = new double[n * 784];
        Random rng = new Random(7);
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        KernelEngine engine = new KernelEngine(1);
        var tm = java.lang.management.ManagementFactory.getThreadMXBean();
        int[] depths = {d1, d2};
        double[][] t = new double[2][repeats];
        double[] last = null;
        for (int r = 0; r < repeats; r++) {
            for (int k = 0; k < 2; k++) {
                Network net = Network.parse(arch(depths[k]), Parameterization.parse("ntk"));
                long c0 = tm.getCurrentThreadCpuTime();
                var kern = engine.kernels(net, x, n, null, n, shape, true);
                t[k][r] = (tm.getCurrentThreadCpuTime() - c0) * 1e-9;
                last = kern.ntk();
            }
        }
        long pairs = (long) n * (n + 1) / 2;
        double m1 = median(t[0]);
        double m2 = median(t[1]);
        System.out.printf("depth %d: %.3f s, depth %d: %.3f s (medians of %d; %d pairs, thread CPU)%n", d1, m1, d2, m2,
                repeats, pairs);
        System.out.printf("depth %d: %.2f CPU-s per 1000 pairs; depth %d: %.2f%n", d1, m1 / pairs * 1000, d2,
                m2 / pairs * 1000);
        double perLayer = (m2 - m1) / (d2 - d1) / pairs * 1000;
        System.out.printf("per added layer: %.3f CPU-s per 1000 pairs, %.3f ns per position pair%n", perLayer,
                perLayer / 1000 / 614656 * 1e9);
        if (args.length > 4) {
            try (var out = new java.io.DataOutputStream(new java.io.FileOutputStream(args[4]))) {
                for (double v : last) {
                    out.writeDouble(v);
                }
            }
        }
    }

    static String arch(int depth) {
        StringBuilder a = new StringBuilder();
        for (int l = 0; l < depth; l++) {
            a.append("Conv2D(1, 3, W_std=1.4142135623730951), " + System.getProperty("act", "Relu") + ", ");
        }
        return a.append("GlobalAvgPool, Dense(1)").toString();
    }

    static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }
}
