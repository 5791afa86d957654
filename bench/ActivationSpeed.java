import java.util.SplittableRandom;
import ntk.activations.*;

/**
 * Throughput of the activations' kernel expectations (was VectorisedClosedFormTest.reportSpeed, which asserted
 * nothing). Run after a build:
 * {@code java --add-modules jdk.incubator.vector -cp core/target/classes bench/ActivationSpeed.java}
 */
public final class ActivationSpeed {
    public static void main(String[] args) {
        int n = 1 << 20;
        double[][] in = randomInputs(n, 1);
        double[] p = new double[n];
        double[] d = new double[n];
        Relu relu = new Relu();
        for (int w = 0; w < 30; w++) {
            relu.expectations(in[0], in[1], in[2], n, p, d);
            relu.expectations(in[0], in[1], in[2], n, p, null);
        }
        long t0 = System.nanoTime();
        int reps = 40;
        for (int w = 0; w < reps; w++) {
            relu.expectations(in[0], in[1], in[2], n, p, d);
        }
        long t1 = System.nanoTime();
        for (int w = 0; w < reps; w++) {
            relu.expectations(in[0], in[1], in[2], n, p, null);
        }
        long t2 = System.nanoTime();
        LeakyRelu lr = new LeakyRelu(0.1);
        for (int w = 0; w < 10; w++) {
            lr.expectations(in[0], in[1], in[2], n, p, d);
        }
        long t3 = System.nanoTime();
        for (int w = 0; w < reps; w++) {
            lr.expectations(in[0], in[1], in[2], n, p, d);
        }
        long t4 = System.nanoTime();
        System.out.printf("Relu expectations, 2^20 elements: %.2f ns/element with outDphi, %.2f ns/element without; LeakyRelu %.2f ns/element%n",
            (t1 - t0) / (double) reps / n, (t2 - t1) / (double) reps / n, (t4 - t3) / (double) reps / n);

        int pairs = 100;
        double[][] q = randomInputs(pairs, 3);
        for (Activation a : new Activation[] {new Tanh(), new Elu(), new Gelu(), new Sigmoid()}) {
            double[] pp = new double[pairs];
            double[] dd = new double[pairs];
            for (int w = 0; w < 5; w++) {
                a.expectations(q[0], q[1], q[2], pairs, pp, dd);
                a.expectations(q[0], q[1], q[2], pairs, pp, null);
            }
            long s0 = System.nanoTime();
            a.expectations(q[0], q[1], q[2], pairs, pp, dd);
            long s1 = System.nanoTime();
            a.expectations(q[0], q[1], q[2], pairs, pp, null);
            long s2 = System.nanoTime();
            System.out.printf("%s quadrature: %.1f us/pair with derivative, %.1f us/pair without%n", a.spec(),
                (s1 - s0) / 1e3 / pairs, (s2 - s1) / 1e3 / pairs);
        }
    }

    static double[][] randomInputs(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] q1 = new double[n];
        double[] q2 = new double[n];
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            q1[i] = r.nextDouble(0.01, 5);
            q2[i] = r.nextDouble(0.01, 5);
            double rho = switch (i % 7) {
                case 0 -> 1.0;
                case 1 -> -1.0;
                case 2 -> 1 - r.nextDouble() * 1e-9;
                case 3 -> 0.0;
                default -> r.nextDouble(-1, 1);
            };
            s[i] = rho * Math.sqrt(q1[i] * q2[i]);
            if (i % 97 == 5) {
                q1[i] = 0.0; // degenerate lanes inside vectors
            }
        }
        return new double[][] {q1, q2, s};
    }
}
