import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's vector multiply-add rate for doubles on one core, in L1 (the rate bench/conv2d-bench.sh states its
 * arithmetic bound at): eight independent accumulators of DoubleVector.SPECIES_PREFERRED lanes, fma on data that
 * stays in registers and L1, timed in thread CPU seconds (the machine may be shared). Prints "fma_per_second R lanes L".
 * Run: java --add-modules jdk.incubator.vector bench/FmaRate.java
 * With the argument {@code sqrt}, {@code div} or {@code mix} it measures instead the rate of lane-wise square roots,
 * divisions, or both alternating (four of each per step: the mix of the ReLU kernel, which takes as many of each), on
 * eight independent vectors per step, so that throughput rather than latency is timed; it prints
 * "sqrt_per_second R lanes L" (div_, mix_): the rates the ReLU kernel's pairs phase is bounded by (docs/performance.md,
 * "The pairs phase against its bound").
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

    /** sqrt, div or both (mix) on eight independent vectors per step, each result feeding that vector's next step. */
    static double runDivider(double[] a, int iters, String op) {
        int vl = S.length();
        DoubleVector c0 = DoubleVector.fromArray(S, a, 0), c1 = DoubleVector.fromArray(S, a, vl);
        DoubleVector c2 = DoubleVector.fromArray(S, a, 2 * vl), c3 = DoubleVector.fromArray(S, a, 3 * vl);
        DoubleVector c4 = DoubleVector.fromArray(S, a, 4 * vl), c5 = DoubleVector.fromArray(S, a, 5 * vl);
        DoubleVector c6 = DoubleVector.fromArray(S, a, 6 * vl), c7 = DoubleVector.fromArray(S, a, 7 * vl);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        // one loop per operation, so that each is a plain loop for C2 (values stay near 1: sqrt and 1/x of x near 1)
        if (op.equals("mix")) {
            for (int it = 0; it < iters; it++) {
                c0 = c0.sqrt(); c1 = one.div(c1); c2 = c2.sqrt(); c3 = one.div(c3);
                c4 = c4.sqrt(); c5 = one.div(c5); c6 = c6.sqrt(); c7 = one.div(c7);
            }
        } else if (op.equals("sqrt")) {
            for (int it = 0; it < iters; it++) {
                c0 = c0.sqrt(); c1 = c1.sqrt(); c2 = c2.sqrt(); c3 = c3.sqrt();
                c4 = c4.sqrt(); c5 = c5.sqrt(); c6 = c6.sqrt(); c7 = c7.sqrt();
            }
        } else {
            for (int it = 0; it < iters; it++) {
                c0 = one.div(c0); c1 = one.div(c1); c2 = one.div(c2); c3 = one.div(c3);
                c4 = one.div(c4); c5 = one.div(c5); c6 = one.div(c6); c7 = one.div(c7);
            }
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).reduceLanes(
                jdk.incubator.vector.VectorOperators.ADD);
    }

    public static void main(String[] args) {
        if (args.length > 0) {
            double[] a = new double[8 * S.length()];
            for (int i = 0; i < a.length; i++) {
                a[i] = 1.0 + 1e-3 * i;
            }
            var tm = java.lang.management.ManagementFactory.getThreadMXBean();
            double best = 0;
            for (int rep = 0; rep < 40; rep++) {
                long t0 = tm.getCurrentThreadCpuTime();
                int iters = 200_000;
                double sink = runDivider(a, iters, args[0]);
                long t1 = tm.getCurrentThreadCpuTime();
                if (sink == 42) {
                    System.out.println();
                }
                best = Math.max(best, (double) iters * 8 * S.length() / ((t1 - t0) * 1e-9));
            }
            System.out.printf("%s_per_second %.4g lanes %d%n", args[0], best, S.length());
            return;
        }
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
