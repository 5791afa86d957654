package ntk.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import ntk.BadInputException;
import ntk.linalg.Linalg;
import ntk.linalg.SymmetricEigen;
import org.junit.jupiter.api.Test;

/** The general-cost kernel gradient flow against closed forms (squared loss; one point, two classes) and invariants. */
class KernelGradientFlowTest {

    /** A random symmetric positive-definite n × n kernel and its cross block with m more points. */
    private static double[][] kernel(int n, int m, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = 5;
        double[] x = new double[(n + m) * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        double[] all = new double[(n + m) * (n + m)];
        for (int i = 0; i < n + m; i++) {
            for (int j = 0; j < n + m; j++) {
                double dd = 0;
                for (int c = 0; c < d; c++) {
                    dd += (x[i * d + c] - x[j * d + c]) * (x[i * d + c] - x[j * d + c]);
                }
                all[i * (n + m) + j] = 3 * Math.exp(-dd / 4) + 0.5;
            }
        }
        double[] kxx = new double[n * n];
        double[] ktx = new double[m * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(all, i * (n + m), kxx, i * n, n);
        }
        for (int i = 0; i < m; i++) {
            System.arraycopy(all, (n + i) * (n + m), ktx, i * n, n);
        }
        return new double[][] {kxx, ktx};
    }

    @Test
    void squaredLossFlowEqualsTheClosedForm() {
        int n = 12;
        int m = 5;
        int k = 3;
        double[][] kk = kernel(n, m, 1);
        SplittableRandom r = new SplittableRandom(2);
        double[] y = new double[n * k];
        double[] f0 = new double[n * k];
        double[] f0t = new double[m * k];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextGaussian();
            f0[i] = 0.3 * r.nextGaussian();
        }
        for (int i = 0; i < f0t.length; i++) {
            f0t[i] = 0.3 * r.nextGaussian();
        }
        double[] times = {0, 0.5, 3, 20};
        KernelGradientFlow flow = new KernelGradientFlow(kk[0], n, kk[1], m, k);
        KernelGradientFlow.Trajectory tr = flow.solve(KernelGradientFlow.squared(y, n), f0, f0t, times, 1e-10, 1e-12,
                100_000);
        assertArrayEquals(f0, tr.train()[0], 0, "t = 0 is the start, exactly");
        // closed form: F_X(t) = Y + V e^{−tΛ/n} Vᵀ (F0 − Y); F_T(t) = F_T0 + Θ_TX V diag((1 − e^{−tλ/n})/λ) Vᵀ (Y − F0)
        SymmetricEigen e = Linalg.symmetricEigen(kk[0], n);
        for (int ti = 0; ti < times.length; ti++) {
            double t = times[ti];
            for (int c = 0; c < k; c++) {
                double[] fx = new double[n];
                double[] sol = new double[n];
                for (int q = 0; q < n; q++) {
                    double lam = e.values()[q];
                    double proj = 0;
                    for (int j = 0; j < n; j++) {
                        proj += e.vector(q, j) * (f0[j * k + c] - y[j * k + c]);
                    }
                    for (int i = 0; i < n; i++) {
                        fx[i] += e.vector(q, i) * Math.exp(-t * lam / n) * proj;
                        sol[i] += e.vector(q, i) * (-Math.expm1(-t * lam / n)) / lam * (-proj);
                    }
                }
                for (int i = 0; i < n; i++) {
                    assertEquals(y[i * k + c] + fx[i], tr.train()[ti][i * k + c], 1e-8, "train t=" + t);
                }
                for (int i = 0; i < m; i++) {
                    double v = f0t[i * k + c];
                    for (int j = 0; j < n; j++) {
                        v += kk[1][i * n + j] * sol[j];
                    }
                    assertEquals(v, tr.test()[ti][i * k + c], 1e-8, "test t=" + t);
                }
            }
        }
    }

    @Test
    void crossEntropyOnOnePointFollowsItsImplicitClosedForm() {
        // one training point, two classes, label 0, Θ = θ: u = f_0 − f_1 obeys du/dt = 2θ σ(−u),
        // whose solution satisfies u + e^u = u0 + e^{u0} + 2θt
        double theta = 1.7;
        KernelGradientFlow flow = new KernelGradientFlow(new double[] {theta}, 1, new double[0], 0, 2);
        double[] times = {0.1, 1, 5, 40};
        KernelGradientFlow.Trajectory tr = flow.solve(KernelGradientFlow.crossEntropy(new int[] {0}, 2),
                new double[] {0.2, 0.5}, new double[0], times, 1e-11, 1e-13, 100_000);
        double u0 = 0.2 - 0.5;
        for (int ti = 0; ti < times.length; ti++) {
            double u = tr.train()[ti][0] - tr.train()[ti][1];
            assertEquals(u0 + Math.exp(u0) + 2 * theta * times[ti], u + Math.exp(u), 1e-8 * (1 + Math.exp(u)),
                    "t = " + times[ti]);
        }
    }

    @Test
    void crossEntropyKeepsEachPointsSumOfLogitsAndLowersTheCost() {
        int n = 15;
        int m = 4;
        int k = 4;
        double[][] kk = kernel(n, m, 3);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % k;
        }
        double[] times = {0.5, 2, 8, 30};
        KernelGradientFlow flow = new KernelGradientFlow(kk[0], n, kk[1], m, k);
        KernelGradientFlow.Cost ce = KernelGradientFlow.crossEntropy(labels, k);
        KernelGradientFlow.Trajectory tr = flow.solve(ce, new double[n * k], new double[m * k], times,
                KernelGradientFlow.RTOL, KernelGradientFlow.ATOL, 100_000);
        double before = ce.value(new double[n * k]);
        assertEquals(Math.log(k), before, 1e-15);
        for (int ti = 0; ti < times.length; ti++) {
            // Σ_c G_ic = 0, so Σ_c F_ic(t) stays at its start (0) on training and test points
            for (int i = 0; i < n + m; i++) {
                double[] f = i < n ? tr.train()[ti] : tr.test()[ti];
                int row = i < n ? i : i - n;
                double s = 0;
                for (int c = 0; c < k; c++) {
                    s += f[row * k + c];
                }
                assertEquals(0, s, 1e-9);
            }
            double now = ce.value(tr.train()[ti]);
            assertTrue(now < before, "the cost falls along the flow: " + now + " after " + before);
            before = now;
        }
        // trained long enough, every training point is classified right
        double[] last = tr.train()[times.length - 1];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                assertTrue(c == labels[i] || last[i * k + c] < last[i * k + labels[i]]);
            }
        }
    }

    @Test
    void aStiffJobIsRefusedUpFront() {
        double[][] kk = kernel(10, 0, 4);
        KernelGradientFlow flow = new KernelGradientFlow(kk[0], 10, new double[0], 0, 2);
        BadInputException ex = assertThrows(BadInputException.class, () -> flow.solve(
                KernelGradientFlow.crossEntropy(new int[10], 2), new double[20], new double[0], new double[] {1e9},
                1e-9, 1e-11, 1_000_000));
        assertTrue(ex.getMessage().contains("--max-steps"), ex.getMessage());
        assertThrows(BadInputException.class, () -> flow.solve(KernelGradientFlow.crossEntropy(new int[10], 2),
                new double[20], new double[0], new double[] {2, 1}, 1e-9, 1e-11, 1000), "times not ascending");
    }
}
