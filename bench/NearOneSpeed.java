import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;
import ntk.activations.*;

/**
 * Per-entry cost of the smooth activations' kernel maps near |ρ| = 1 (issue 11): entries with q1, q2 log-uniform in
 * [0.3, 3] (independent) and ρ = ±(1 − 10^−u), u uniform in [1, 8], through {@code expectations} (Hermite series where
 * it reaches, else the near-|ρ| = 1 smoothing integral, else the quadrature) against the split quadrature that computed
 * them before ({@code GaussianQuadrature.compute}), same entries, same run, thread CPU time, after a warm-up. Prints
 * which branch computed the entries. Run after a build:
 * {@code java --add-modules jdk.incubator.vector -cp core/target/classes bench/NearOneSpeed.java [entries]}
 */
public final class NearOneSpeed {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Activation[] acts = {new Tanh(), new Sigmoid(), new Softplus(), new Elu(), new Gelu(), new Silu()};
        for (Activation act : acts) {
            SplittableRandom r = new SplittableRandom(11);
            double[] q1 = new double[n];
            double[] q2 = new double[n];
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                q1[i] = Math.pow(10.0, r.nextDouble(-0.5, 0.5));
                q2[i] = Math.pow(10.0, r.nextDouble(-0.5, 0.5));
                double rho = (r.nextBoolean() ? 1 : -1) * (1.0 - Math.pow(10.0, -r.nextDouble(1.0, 8.0)));
                s[i] = rho * Math.sqrt(q1[i] * q2[i]);
            }
            double[] p = new double[n];
            double[] d = new double[n];
            double[] rp = new double[n];
            double[] rd = new double[n];
            int warm = n;
            act.expectations(q1, q2, s, warm, p, d); // tables, calibration, JIT
            GaussianQuadrature.compute(act, q1, q2, s, warm, rp, rd);
            long[] c0 = QuadratureActivation.entryCounts();
            long t0 = mx.getCurrentThreadCpuTime();
            act.expectations(q1, q2, s, n, p, d);
            long t1 = mx.getCurrentThreadCpuTime();
            long[] c1 = QuadratureActivation.entryCounts();
            GaussianQuadrature.compute(act, q1, q2, s, n, rp, rd);
            long t2 = mx.getCurrentThreadCpuTime();
            double worst = 0;
            for (int i = 0; i < n; i++) {
                worst = Math.max(worst, Math.abs(p[i] - rp[i]) / Math.max(Math.abs(rp[i]), 1e-300));
                worst = Math.max(worst, Math.abs(d[i] - rd[i]) / Math.max(Math.abs(rd[i]), 1e-300));
            }
            double us = (t1 - t0) * 1e-3 / n;
            double uq = (t2 - t1) * 1e-3 / n;
            System.out.printf("%-8s near |rho|=1: %7.2f us/entry; quadrature %7.1f us/entry; ratio %5.1fx; entries: series %d,"
                    + " near %d, quadrature %d; max relative difference %.1e%n", act.spec(), us, uq, uq / us,
                    c1[0] - c0[0], c1[2] - c0[2], c1[3] - c0[3], worst);
        }
    }
}
