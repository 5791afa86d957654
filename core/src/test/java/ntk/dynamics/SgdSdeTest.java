package ntk.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.SplittableRandom;
import ntk.arch.Network;
import ntk.Parameterization;
import ntk.finite.EmpiricalNtk;
import ntk.finite.FiniteNetwork;
import ntk.Params;
import org.junit.jupiter.api.Test;

/** The function-space SDE of minibatch SGD against parameter-space gradients and exact moment recursions. */
class SgdSdeTest {

    /**
     * The diffusion, built from the kernel and residuals alone, equals ∇f(A) Cov[g_B] ∇f(A)ᵀ formed in parameter space
     * from the per-example Jacobian, with Cov[g_B] the exact covariance over all C(n, b) minibatches.
     */
    @Test
    void diffusionIsTheMinibatchGradientCovariancePushedThroughTheJacobian() {
        int n = 5;
        int m = 2;
        int b = 2;
        FiniteNetwork net = new FiniteNetwork(Network.parse("Dense(16, b_std=0.3), Tanh, Dense(1, b_std=0.2)",
                Parameterization.NTK), 3);
        Params p = net.init(4);
        Random r = new Random(1);
        double[] a = new double[3 * (n + m)];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        double[] x = java.util.Arrays.copyOf(a, 3 * n);
        double[] y = {0.3, -0.5, 1.1, 0.2, -0.7};
        double[] kAX = EmpiricalNtk.structured(net, p, a, n + m, x, n, false);
        double[] f = net.forward(p, a, n + m).out();
        double eta = 0.37;
        double[] c = new SgdSde(kAX, n, m, y, b).diffusion(f, eta);

        int pc = (int) net.parameterCount();
        double[] jac = EmpiricalNtk.jacobian(net, p, a, n + m); // (n + m) × P
        double[][] g = new double[n][pc]; // per-example gradients g_i = ∇f(x_i) r_i
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < pc; q++) {
                g[i][q] = jac[i * pc + q] * (f[i] - y[i]);
            }
        }
        // every minibatch of b distinct points, equally likely
        java.util.List<double[]> batches = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double[] gb = new double[pc];
                for (int q = 0; q < pc; q++) {
                    gb[q] = (g[i][q] + g[j][q]) / b;
                }
                batches.add(gb);
            }
        }
        double[] mean = new double[pc];
        for (double[] gb : batches) {
            for (int q = 0; q < pc; q++) {
                mean[q] += gb[q] / batches.size();
            }
        }
        int na = n + m;
        // ∇f(A)(g_B − E g_B) for each batch, then the covariance over batches
        double[][] pushed = new double[batches.size()][na];
        for (int k = 0; k < batches.size(); k++) {
            for (int s = 0; s < na; s++) {
                double v = 0;
                for (int q = 0; q < pc; q++) {
                    v += jac[s * pc + q] * (batches.get(k)[q] - mean[q]);
                }
                pushed[k][s] = v;
            }
        }
        double scale = 0;
        for (double v : c) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 1e-3, "a non-trivial diffusion");
        for (int s = 0; s < na; s++) {
            for (int u = 0; u < na; u++) {
                double cov = 0;
                for (double[] pk : pushed) {
                    cov += pk[s] * pk[u] / batches.size();
                }
                // Euler–Maruyama increment over dt = η has covariance η·diffusion = η² Cov[∇f(A) g_B]
                assertEquals(eta * eta * cov, eta * c[s * na + u], 1e-12 * scale, "entry " + s + "," + u);
            }
        }
    }

    /**
     * Linearised SGD in function space (f ← f − (η/n) Θ(A,X)(w ∘ r), w_i = (n/b)·1[i ∈ B]) and the SDE's
     * Euler–Maruyama paths have the same mean and covariance at every step, both equal to an exact moment recursion
     * (w is independent of the past, the update bilinear in (w, r)). Checked to Monte Carlo error.
     */
    @Test
    void eulerMaruyamaAndLinearisedSgdShareTheExactMoments() {
        int n = 6;
        int m = 3;
        int b = 2;
        int na = n + m;
        Random r = new Random(7);
        double[] gm = new double[na * 4];
        for (int i = 0; i < gm.length; i++) {
            gm[i] = r.nextGaussian();
        }
        double[] kAA = new double[na * na]; // a PSD kernel on A with a constant part, like an NTK
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < na; j++) {
                double v = 1.0;
                for (int k = 0; k < 4; k++) {
                    v += 0.5 * gm[i * 4 + k] * gm[j * 4 + k];
                }
                kAA[i * na + j] = v;
            }
        }
        double[] kAX = new double[na * n];
        for (int i = 0; i < na; i++) {
            System.arraycopy(kAA, i * na, kAX, i * n, n);
        }
        double[] y = {0.5, -0.3, 0.8, 0.1, -0.9, 0.4};
        double[] f0 = new double[na];
        for (int i = 0; i < na; i++) {
            f0[i] = 0.2 * r.nextGaussian();
        }
        double eta = 0.4;
        int steps = 12;
        int paths = 40000;
        double[][] exact = exactMoments(kAX, n, m, y, b, f0, eta, steps); // {mean, cov}
        SgdSde sde = new SgdSde(kAX, n, m, y, b);
        double[] em = sde.simulate(f0, eta, new int[] {steps}, paths, 11)[0];
        double[] sgd = linearSgd(kAX, n, m, y, b, f0, eta, steps, paths, new SplittableRandom(12));
        for (double[] sample : new double[][] {em, sgd}) {
            for (int s = 0; s < na; s++) {
                double mu = 0;
                for (int p = 0; p < paths; p++) {
                    mu += sample[p * na + s] / paths;
                }
                double var = exact[1][s * na + s];
                assertTrue(var > 1e-4, "the noise is visible");
                assertEquals(exact[0][s], mu, 5 * Math.sqrt(var / paths), (sample == em ? "SDE" : "SGD") + " mean at " + s);
                for (int u = 0; u < na; u++) {
                    double mv = 0;
                    for (int p = 0; p < paths; p++) {
                        mv += sample[p * na + u] / paths;
                    }
                    double cov = 0;
                    double cov2 = 0;
                    for (int p = 0; p < paths; p++) {
                        double prod = (sample[p * na + s] - mu) * (sample[p * na + u] - mv);
                        cov += prod;
                        cov2 += prod * prod;
                    }
                    cov /= paths - 1;
                    // standard error of a sample covariance, from the sample itself (the noise is multiplicative, so
                    // the paths are far from Gaussian and Isserlis' formula would understate it)
                    double se = Math.sqrt(Math.max(cov2 / paths - cov * cov, 0) / paths);
                    assertEquals(exact[1][s * na + u], cov, 5 * se, (sample == em ? "SDE" : "SGD") + " covariance " + s + "," + u);
                }
            }
        }
        // and the minibatch noise is not negligible against the mean's motion: the spread is an order-one effect here
        assertTrue(Math.sqrt(exact[1][na * na - 1]) > 0.02);
    }

    /** Exact mean and covariance of f_k(A) under f ← f − (η/n) Θ(A,X)(w ∘ r) with E[w] = 1, E[wwᵀ] = 11ᵀ + V. */
    static double[][] exactMoments(double[] kAX, int n, int m, double[] y, int b, double[] f0, double eta, int steps) {
        int na = n + m;
        double cb = (double) (n - b) / ((double) b * (n - 1));
        double[] mu = f0.clone();
        double[] s2 = new double[na * na]; // E[f fᵀ]
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < na; j++) {
                s2[i * na + j] = f0[i] * f0[j];
            }
        }
        for (int k = 0; k < steps; k++) {
            // E[r fᵀ] (n × na) and E[r rᵀ] (n × n)
            double[] rf = new double[n * na];
            double[] rr = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < na; j++) {
                    rf[i * na + j] = s2[i * na + j] - y[i] * mu[j];
                }
                for (int j = 0; j < n; j++) {
                    rr[i * n + j] = s2[i * na + j] - mu[i] * y[j] - y[i] * mu[j] + y[i] * y[j];
                    double ww = 1 + (i == j ? n / (double) b - 1 : -cb);
                    rr[i * n + j] *= ww; // E[(w∘r)(w∘r)ᵀ] = E[wwᵀ] ∘ E[rrᵀ]
                }
            }
            double c = eta / n;
            double[] kr = Fixture.mul(kAX, na, n, rf, na); // Θ E[r fᵀ]
            double[] krr = Fixture.mul(Fixture.mul(kAX, na, n, rr, n), na, n, Fixture.transpose(kAX, na, n), na);
            double[] next = new double[na * na];
            for (int i = 0; i < na; i++) {
                for (int j = 0; j < na; j++) {
                    next[i * na + j] = s2[i * na + j] - c * (kr[i * na + j] + kr[j * na + i]) + c * c * krr[i * na + j];
                }
            }
            double[] nm = mu.clone();
            for (int i = 0; i < na; i++) {
                for (int j = 0; j < n; j++) {
                    nm[i] -= c * kAX[i * n + j] * (mu[j] - y[j]);
                }
            }
            mu = nm;
            s2 = next;
        }
        double[] cov = new double[na * na];
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < na; j++) {
                cov[i * na + j] = s2[i * na + j] - mu[i] * mu[j];
            }
        }
        return new double[][] {mu, cov};
    }

    /** Linearised SGD in function space with real minibatches of b distinct points; paths × (n + m). */
    static double[] linearSgd(double[] kAX, int n, int m, double[] y, int b, double[] f0, double eta, int steps,
            int paths, SplittableRandom rng) {
        int na = n + m;
        double[] out = new double[paths * na];
        int[] perm = new int[n];
        for (int p = 0; p < paths; p++) {
            double[] f = f0.clone();
            for (int k = 0; k < steps; k++) {
                for (int i = 0; i < n; i++) {
                    perm[i] = i;
                }
                double[] wr = new double[n];
                for (int i = 0; i < b; i++) {
                    int j = i + rng.nextInt(n - i);
                    int t = perm[i];
                    perm[i] = perm[j];
                    perm[j] = t;
                    wr[perm[i]] = (double) n / b * (f[perm[i]] - y[perm[i]]);
                }
                double[] nf = f.clone();
                for (int s = 0; s < na; s++) {
                    for (int i = 0; i < n; i++) {
                        nf[s] -= eta / n * kAX[s * n + i] * wr[i];
                    }
                }
                f = nf;
            }
            System.arraycopy(f, 0, out, p * na, na);
        }
        return out;
    }

    /**
     * Γ(a) = Tr(Σ ∇²f(a)) formed in parameter space — Σ the covariance over the n training points of the per-example
     * gradients g_i = ∇f(x_i) r_i (from the explicit Jacobian), ∇²f(a) the full Hessian (P Hessian–vector products
     * on the basis vectors) — against the SDE's quadratic form of the residuals in the Hessian kernel.
     */
    @Test
    void gammaIsTheTraceOfTheGradientCovarianceTimesTheHessian() {
        int n = 4;
        int m = 2;
        int d = 2;
        FiniteNetwork net = new FiniteNetwork(Network.parse("Dense(5, b_std=0.3), Tanh, Dense(1, b_std=0.2)",
                Parameterization.NTK), d);
        Params p = net.init(9);
        Random r = new Random(2);
        double[] a = new double[d * (n + m)];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        double[] x = java.util.Arrays.copyOf(a, d * n);
        double[] y = {0.3, -0.5, 1.1, 0.2};
        double[] kAX = EmpiricalNtk.structured(net, p, a, n + m, x, n, false);
        double[] f = net.forward(p, a, n + m).out();
        SgdSde sde = new SgdSde(kAX, n, m, y, 2).withHessianKernel(ntk.finite.Hessians.hessianKernel(net, p, a, n + m,
                x, n));
        double[] gamma = sde.gamma(f);
        int pc = (int) net.parameterCount();
        double[] jac = EmpiricalNtk.jacobian(net, p, a, n + m);
        double[][] g = new double[n][pc];
        double[] gbar = new double[pc];
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < pc; q++) {
                g[i][q] = jac[i * pc + q] * (f[i] - y[i]);
                gbar[q] += g[i][q] / n;
            }
        }
        double[][] sigma = new double[pc][pc];
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < pc; q++) {
                for (int s = 0; s < pc; s++) {
                    sigma[q][s] += (g[i][q] - gbar[q]) * (g[i][s] - gbar[s]) / n;
                }
            }
        }
        double max = 0;
        for (int s = 0; s < n + m; s++) {
            double[] e = new double[n + m];
            e[s] = 1;
            double trace = 0;
            for (int q = 0; q < pc; q++) { // column q of ∇²f(a_s): the HVP with the q-th basis vector
                Params basis = p.zerosLike();
                int off = 0;
                for (ntk.NdArray arr : basis.asMap().values()) {
                    if (q - off < arr.data.length && q >= off) {
                        arr.data[q - off] = 1;
                    }
                    off += arr.data.length;
                }
                Params col = ntk.finite.Hessians.hvp(net, p, a, n + m, e, basis);
                int o2 = 0;
                for (ntk.NdArray arr : col.asMap().values()) {
                    for (int i = 0; i < arr.data.length; i++) {
                        trace += sigma[q][o2 + i] * arr.data[i];
                    }
                    o2 += arr.data.length;
                }
            }
            max = Math.max(max, Math.abs(trace));
            assertEquals(trace, gamma[s], 1e-7 * (1 + Math.abs(trace)), "Γ at point " + s);
        }
        assertTrue(max > 1e-3, "a non-trivial Γ: " + max);
        // the drift adds ½ η c Γ to the kernel part
        double[] full = sde.drift(f, 0.3);
        double[] kern = sde.drift(f);
        for (int s = 0; s < n + m; s++) {
            assertEquals(kern[s] + 0.5 * 0.3 * sde.noiseFactor() * gamma[s], full[s], 1e-15);
        }
    }
}
