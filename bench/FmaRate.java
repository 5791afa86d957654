import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's vector multiply-add rate for doubles on one core, in L1 (the rate bench/conv2d-bench.sh states its
 * arithmetic bound at): eight independent accumulators of DoubleVector.SPECIES_PREFERRED lanes, fma on data that
 * stays in registers and L1, timed in thread CPU seconds (the machine may be shared). Prints "fma_per_second R lanes L".
 * Run: java --add-modules jdk.incubator.vector bench/FmaRate.java
 */
public class FmaRate {
    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    static double run(double[] a, int iters) {
        DoubleVector c0 = DoubleVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        DoubleVector m = DoubleVector.broadcast(S, 0.999999);
        int vl = S.length();
        for (int it = 0; it < iters; it++) {
            for (int i = 0; i + 8 * vl <= a.length; i += 8 * vl) {
                c0 = DoubleVector.fromArray(S, a, i).fma(m, c0);
                c1 = DoubleVector.fromArray(S, a, i + vl).fma(m, c1);
                c2 = DoubleVector.fromArray(S, a, i + 2 * vl).fma(m, c2);
                c3 = DoubleVector.fromArray(S, a, i + 3 * vl).fma(m, c3);
                c4 = DoubleVector.fromArray(S, a, i + 4 * vl).fma(m, c4);
                c5 = DoubleVector.fromArray(S, a, i + 5 * vl).fma(m, c5);
                c6 = DoubleVector.fromArray(S, a, i + 6 * vl).fma(m, c6);
                c7 = DoubleVector.fromArray(S, a, i + 7 * vl).fma(m, c7);
            }
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).reduceLanes(
                jdk.incubator.vector.VectorOperators.ADD);
    }

    public static void main(String[] args) {
        double[] a = new double[1024];
        for (int i = 0; i < a.length; i++) {
            a[i] = 1.0 + 1e-9 * i;
        }
        double best = 0;
        var tm = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int rep = 0; rep < 40; rep++) {
            long t0 = tm.getCurrentThreadCpuTime();
            int iters = 20_000;
            double sink = run(a, iters);
            long t1 = tm.getCurrentThreadCpuTime();
            if (sink == 42) {
                System.out.println();
            }
            double fmas = (double) iters * (a.length / (8 * S.length())) * 8 * S.length();
            best = Math.max(best, fmas / ((t1 - t0) * 1e-9));
        }
        System.out.printf("fma_per_second %.4g lanes %d%n", best, S.length());
    }
}
