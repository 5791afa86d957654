package ntk.finite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;
import ntk.linalg.Linalg;
import ntk.Params;
import org.junit.jupiter.api.Test;

/**
 * The finite-network engine against the analytic infinite-width kernels: convergence at the 1/√width
 * rate, seed-order Monte Carlo averages, and training that follows the kernel prediction
 * f_t = Y + e^{−ηkΘ/n}(f₀ − Y) (Jacot et al. 2018, Thm 2) more closely as width grows.
 */
class FiniteVsAnalyticTest {
    static final int[] WIDTHS = {64, 256, 1024};

    static double slope(int[] xs, double[] ys) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < xs.length; i++) {
            mx += Math.log(xs[i]) / xs.length;
            my += Math.log(ys[i]) / xs.length;
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < xs.length; i++) {
            num += (Math.log(xs[i]) - mx) * (Math.log(ys[i]) - my);
            den += (Math.log(xs[i]) - mx) * (Math.log(xs[i]) - mx);
        }
        return num / den;
    }

    static double relErr(double[] got, double[] want) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < want.length; i++) {
            num += (got[i] - want[i]) * (got[i] - want[i]);
            den += want[i] * want[i];
        }
        return Math.sqrt(num / den);
    }

    @Test
    void empiricalNtkOfOneNetworkConvergesAtInverseSqrtWidth() {
        int n = 6;
        int d = 5;
        double[] x = FiniteNetworkTest.random(n * d, 21);
        for (Parameterization pz : Parameterization.values()) {
            String tmpl = "Dense(m, W_std=1.4, b_std=0.2), Erf, Dense(m, W_std=1.4, b_std=0.2),"
                    + " Residual(Relu, Dense(m, W_std=0.8), scale=invsqrt_depth), Relu, Dense(1, b_std=0.1)";
            double[] err = new double[WIDTHS.length];
            for (int w = 0; w < WIDTHS.length; w++) {
                Network net = Network.parse(tmpl.replace("(m", "(" + WIDTHS[w]), pz);
                Kernels exact = new KernelEngine(1).kernels(net, x, n, null, 0, d, true);
                FiniteNetwork fn = new FiniteNetwork(net, d);
                double s = 0;
                int seeds = 6;
                for (int seed = 0; seed < seeds; seed++) {
                    double e = relErr(EmpiricalNtk.structured(fn, fn.init(seed), x, n, null, 0, EmpiricalNtk.Outputs.TRACED), exact.ntk());
                    s += e * e;
                }
                err[w] = Math.sqrt(s / seeds);
            }
            double sl = slope(WIDTHS, err);
            String report = pz + ": RMS relative errors " + Arrays.toString(err) + ", slope " + sl;
            System.out.println(report);
            assertTrue(sl < -0.3 && sl > -0.75, report);
            assertTrue(err[2] < 0.15, report);
        }
    }

    @Test
    void monteCarloAverageApproachesBothKernelsAndIsThreadCountIndependent() {
        int n = 5;
        int d = 4;
        double[] x = FiniteNetworkTest.random(n * d, 22);
        Network net = Network.parse("Dense(512, W_std=1.5, b_std=0.3), Tanh, Dense(512, W_std=1.5), Relu, Dense(3)",
                Parameterization.NTK);
        Kernels exact = new KernelEngine(1).kernels(net, x, n, null, 0, d, true);
        MonteCarloKernels.Estimate one = MonteCarloKernels.estimate(net, d, x, n, null, 0, 12, 100, 1, null);
        MonteCarloKernels.Estimate three = MonteCarloKernels.estimate(net, d, x, n, null, 0, 12, 100, 3, null);
        assertArrayEquals(one.ntk(), three.ntk(), "bit-for-bit regardless of threads");
        assertArrayEquals(one.nngp(), three.nngp(), "bit-for-bit regardless of threads");
        // 12 seeds × 3 outputs = 36 samples of f f'ᵀ: relative error ~ 1/√36·√2; the NTK is far tighter.
        double eNtk = relErr(one.ntk(), exact.ntk());
        double eNngp = relErr(one.nngp(), exact.nngp());
        System.out.println("Monte Carlo relative errors: NTK " + eNtk + ", NNGP " + eNngp);
        assertTrue(eNtk < 0.05, "NTK " + eNtk);
        assertTrue(eNngp < 0.5, "NNGP " + eNngp);
    }

    @Test
    void trainingFollowsTheKernelPredictionBetterAsWidthGrows() {
        int n = 8;
        int d = 3;
        double[] x = FiniteNetworkTest.random(n * d, 31);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.sin(2 * x[i * d]) + 0.5 * x[i * d + 1];
        }
        int steps = 200;
        double lr = 0.5;
        double[] dev = new double[WIDTHS.length];
        double[] paramChange = new double[WIDTHS.length];
        double[] gap = new double[WIDTHS.length];
        for (int w = 0; w < WIDTHS.length; w++) {
            int m = WIDTHS[w];
            Network net = Network.parse("Dense(" + m + ", W_std=1.4, b_std=0.1), Relu, Dense(" + m
                    + ", W_std=1.4, b_std=0.1), Relu, Dense(1, b_std=0.1)", Parameterization.NTK);
            double[] theta = new KernelEngine(1).kernels(net, x, n, null, 0, d, true).ntk();
            double s = 0;
            int seeds = 3;
            for (int seed = 0; seed < seeds; seed++) {
                FiniteNetwork fn = new FiniteNetwork(net, d);
                Params p0 = fn.init(seed);
                double[] f0 = fn.forward(p0, x, n).out();
                Trainer.Result r = new Trainer(fn).train(p0, Trainer.Data.regression(x, n, y), null,
                        Trainer.Config.builder().steps(steps).learningRate(lr).recordEvery(steps).build(), null);
                double[] ft = fn.forward(r.finalParams(), x, n).out();
                double[] want = discretePrediction(theta, n, f0, y, lr, steps);
                s += Math.pow(relErr(ft, want), 2);
                paramChange[w] += r.paramChange()[r.records() - 1] / seeds;
                gap[w] += r.linearizationGap()[r.records() - 1] / seeds;
            }
            dev[w] = Math.sqrt(s / seeds);
        }
        String report = "deviation from kernel prediction " + Arrays.toString(dev) + " slope " + slope(WIDTHS, dev)
                + "; param change " + Arrays.toString(paramChange) + " slope " + slope(WIDTHS, paramChange)
                + "; linearisation gap " + Arrays.toString(gap);
        System.out.println(report);
        assertTrue(slope(WIDTHS, dev) < -0.3, report);
        assertTrue(dev[2] < 0.1, report);
        // Lazy training: each hidden-to-hidden weight moves O(1/m) (its gradient is O(1/m) in NTK
        // parameterisation), so ‖ΔW‖_F = O(1) against ‖W₀‖_F ~ m, and those m² weights dominate ‖θ‖:
        // the relative parameter change falls like 1/m here (first and last layers alone: 1/√m).
        assertTrue(Math.abs(slope(WIDTHS, paramChange) + 1.0) < 0.2, report);
        assertTrue(gap[2] < gap[0], report);
    }

    /** f_k(X) = Y + (I − ηΘ/n)^k (f₀ − Y), by eigendecomposition of the analytic Θ (cli-contract.md). */
    static double[] discretePrediction(double[] theta, int n, double[] f0, double[] y, double lr, int k) {
        double[] v = theta.clone();
        double[] lam = new double[n];
        double[] work = new double[3 * n];
        org.netlib.util.intW info = new org.netlib.util.intW(0);
        Linalg.lapack().dsyev("V", "U", n, v, n, lam, work, work.length, info);
        assertEquals(0, info.val);
        // column-major eigenvectors: v[i + c*n] is component i of eigenvector c
        double[] out = y.clone();
        for (int c = 0; c < n; c++) {
            double proj = 0;
            for (int i = 0; i < n; i++) {
                proj += v[i + c * n] * (f0[i] - y[i]);
            }
            double decay = Math.pow(1 - lr * lam[c] / n, k);
            for (int i = 0; i < n; i++) {
                out[i] += v[i + c * n] * decay * proj;
            }
        }
        return out;
    }

    @Test
    void linearisedTrainingStaysOnItsLinearModelAndSgdWithFullBatchIsGd() {
        int n = 6;
        int d = 3;
        double[] x = FiniteNetworkTest.random(n * d, 41);
        double[] y = FiniteNetworkTest.random(n * 2, 42);
        Network net = Network.parse("Dense(32, b_std=0.2), Tanh, Dense(2)", Parameterization.NTK);
        FiniteNetwork fn = new FiniteNetwork(net, d);
        Params p0 = fn.init(5);
        Trainer.Result gd = new Trainer(fn).train(p0, Trainer.Data.regression(x, n, y), Trainer.Data.inputs(x, n), Trainer.Config.builder().steps(30).learningRate(0.3).seed(9).recordEvery(10).build(), null);
        Trainer.Result sgd = new Trainer(fn).train(p0, Trainer.Data.regression(x, n, y), Trainer.Data.inputs(x, n), Trainer.Config.builder().steps(30).learningRate(0.3).batchSize(n).seed(9).recordEvery(10).build(), null);
        assertArrayEquals(gd.loss(), sgd.loss(), 0.0, "a batch of all n examples is full-batch GD");
        assertArrayEquals(new int[] {0, 10, 20, 30}, gd.step());
        // linearised: its outputs are exactly f₀ + J₀Δθ, and its training loss is monotone for a small step
        Trainer.Result lin = new Trainer(fn).train(p0, Trainer.Data.regression(x, n, y), Trainer.Data.inputs(x, n), Trainer.Config.builder().steps(30).learningRate(0.3).seed(9).linearized(true).recordEvery(10).build(), null);
        double[] want = fn.forward(p0, x, n).out();
        double[] j = fn.jvp(p0, fn.forward(p0, x, n), lin.finalParams().minus(p0));
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i] + j[i], lin.testOut()[lin.records() - 1][i], 1e-12);
        }
        for (int r = 1; r < lin.records(); r++) {
            assertTrue(lin.loss()[r] < lin.loss()[r - 1]);
            assertEquals(0.0, lin.kernelChange()[r]);
        }
        assertTrue(gd.kernelChange()[3] > 0);
    }

    /**
     * Minibatch SGD (batch 4 of 10) against a hand-rolled loop over the network's own forward/backward pass: the same
     * seeded permutation per epoch (Fisher–Yates on a SplittableRandom, reshuffled when fewer than b examples remain)
     * and θ ← θ − η∇(1/(2b) Σ_batch ‖f − y‖²); the seed must matter, and the recorded kernels must be the empirical
     * NTK at the recorded parameters.
     */
    @Test
    void minibatchSgdFollowsItsSeededScheduleAndRecordsTheKernel() {
        int n = 10;
        int d = 3;
        int b = 4;
        double[] x = FiniteNetworkTest.random(n * d, 61);
        double[] y = FiniteNetworkTest.random(n, 62);
        FiniteNetwork fn = new FiniteNetwork(Network.parse("Dense(16, b_std=0.1), Tanh, Dense(1)", Parameterization.NTK), d);
        Params p0 = fn.init(3);
        int steps = 7;
        Trainer.Result sgd = new Trainer(fn).train(p0, Trainer.Data.regression(x, n, y), null,
                Trainer.Config.builder().steps(steps).learningRate(0.2).batchSize(b).seed(11).recordEvery(3).recordKernel(true).build(), null);
        // the reference loop
        Params theta = p0.copy();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(11);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        int cursor = n;
        for (int step = 0; step < steps; step++) {
            if (cursor + b > n) {
                for (int i = n - 1; i > 0; i--) {
                    int j = rng.nextInt(i + 1);
                    int t = perm[i];
                    perm[i] = perm[j];
                    perm[j] = t;
                }
                cursor = 0;
            }
            double[] xb = new double[b * d];
            double[] yb = new double[b];
            for (int i = 0; i < b; i++) {
                System.arraycopy(x, perm[cursor + i] * d, xb, i * d, d);
                yb[i] = y[perm[cursor + i]];
            }
            cursor += b;
            Params g = theta.zerosLike();
            fn.lossAndGradient(theta, fn.forward(theta, xb, b), yb, g);
            theta.axpy(-0.2, g);
        }
        assertEquals(0.0, sgd.finalParams().minus(theta).norm(), "same schedule, same arithmetic");
        Trainer.Result other = new Trainer(fn).train(p0, Trainer.Data.regression(x, n, y), null,
                Trainer.Config.builder().steps(steps).learningRate(0.2).batchSize(b).seed(12).recordEvery(3).build(), null);
        assertTrue(other.finalParams().minus(theta).norm() > 1e-6, "another seed, another order");
        assertEquals(0, other.kernels().length);
        // kernels at steps 0, 3, 6, 7: the last equals the empirical NTK at the final parameters
        assertArrayEquals(new int[] {0, 3, 6, 7}, sgd.step());
        assertEquals(4, sgd.kernels().length);
        assertArrayEquals(EmpiricalNtk.structured(fn, p0, x, n, null, 0, EmpiricalNtk.Outputs.EACH_PAIR), sgd.kernels()[0], 0.0);
        double[] last = EmpiricalNtk.contraction(fn, theta, x, n, null, 0, false);
        double[] k = sgd.kernels()[3];
        double diff = 0;
        double change = 0;
        for (int i = 0; i < k.length; i++) {
            diff = Math.max(diff, Math.abs(k[i] - last[i]));
            change = Math.max(change, Math.abs(k[i] - sgd.kernels()[0][i]));
        }
        assertTrue(diff < 1e-12 * change, "recorded kernel = Jacobian contraction at θ_7: " + diff + " vs change " + change);
        double frob = 0;
        double frob0 = 0;
        for (int i = 0; i < k.length; i++) {
            frob += (k[i] - sgd.kernels()[0][i]) * (k[i] - sgd.kernels()[0][i]);
            frob0 += sgd.kernels()[0][i] * sgd.kernels()[0][i];
        }
        assertEquals(Math.sqrt(frob / frob0), sgd.kernelChange()[3], 1e-12, "kernel_change is ‖Θ_t − Θ₀‖/‖Θ₀‖");
    }

    @Test
    void divergentTrainingStopsAndKeepsTheFiniteRecords() {
        int n = 6;
        int d = 3;
        double[] x = FiniteNetworkTest.random(n * d, 51);
        double[] y = FiniteNetworkTest.random(n, 52);
        FiniteNetwork fn = new FiniteNetwork(Network.parse("Dense(16), Relu, Dense(1)", Parameterization.NTK), d);
        Trainer.Result r = new Trainer(fn).train(fn.init(1), Trainer.Data.regression(x, n, y), null,
                Trainer.Config.builder().steps(5000).learningRate(1e3).recordEvery(1).build(), null);
        assertTrue(r.divergedAt() > 0 && r.divergedAt() < 5000, "diverged at " + r.divergedAt());
        for (double l : r.loss()) {
            assertTrue(Double.isFinite(l));
        }
        assertEquals(r.divergedAt(), r.records());
    }

    /**
     * Wide networks against the analytic kernels: for each template ("m" the channels/width, "o" the outputs), the RMS
     * over seeds of the relative error of the empirical NTK (one output) and of the output product over o = m outputs
     * (the NNGP), at each width; both must fall at the 1/√width rate (log-log slope in (−0.75, −0.3)) and be under
     * {@code widestBound} at the widest.
     */
    static void approachesAnalyticKernels(Parameterization pz, String[] templates, int[] widths, ntk.Shape shape,
            double[] x, int n, int seeds, double widestBound) {
        for (String tmpl : templates) {
            double[] eNtk = new double[widths.length];
            double[] eNngp = new double[widths.length];
            for (int w = 0; w < widths.length; w++) {
                int m = widths[w];
                Network one = Network.parse(tmpl.replace("(m", "(" + m).replace("(o", "(1"), pz);
                Network many = Network.parse(tmpl.replace("(m", "(" + m).replace("(o", "(" + m), pz);
                Kernels exact = new KernelEngine(1).kernels(one, x, n, null, 0, shape, true);
                FiniteNetwork f1 = new FiniteNetwork(one, shape);
                FiniteNetwork fm = new FiniteNetwork(many, shape);
                for (int seed = 0; seed < seeds; seed++) {
                    double a = relErr(EmpiricalNtk.structured(f1, f1.init(seed), x, n, null, 0,
                            EmpiricalNtk.Outputs.TRACED), exact.ntk());
                    double b = relErr(EmpiricalNtk.outputProduct(fm, fm.init(seed), x, n, null, 0), exact.nngp());
                    eNtk[w] += a * a / seeds;
                    eNngp[w] += b * b / seeds;
                }
                eNtk[w] = Math.sqrt(eNtk[w]);
                eNngp[w] = Math.sqrt(eNngp[w]);
            }
            double sNtk = slope(widths, eNtk);
            double sNngp = slope(widths, eNngp);
            String line = pz + " " + tmpl.substring(0, 40) + "…: NTK RMS rel. errors " + Arrays.toString(eNtk)
                    + " slope " + String.format("%.3f", sNtk) + "; NNGP " + Arrays.toString(eNngp) + " slope "
                    + String.format("%.3f", sNngp);
            System.out.println(line);
            assertTrue(sNtk < -0.3 && sNtk > -0.75, line);
            assertTrue(sNngp < -0.3 && sNngp > -0.75, line);
            assertTrue(eNtk[widths.length - 1] < widestBound && eNngp[widths.length - 1] < widestBound, line);
        }
    }
}
