package ntk.finite;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import ntk.BadInputException;
import ntk.protocol.Params;

/**
 * Gradient descent on the raw parameters with the contract's loss L = 1/(2n) Σ‖f(x_i) − y_i‖²
 * (cli-contract.md, training convention): full batch, or minibatch SGD (a fresh seeded permutation each
 * epoch, batches of b consecutive examples, loss 1/(2b) Σ over the batch). With {@code linearized}, the
 * model is f_lin(x; θ) = f(x; θ₀) + J(x; θ₀)(θ − θ₀) (Lee et al. 2019, eq. 6), trained the same way: its
 * forward pass is a JVP and its gradient a VJP, both at θ₀.
 *
 * <p>Records at steps 0, m, 2m, … and the last: loss on the whole training set, the relative kernel change
 * ‖Θ_t − Θ₀‖_F/‖Θ₀‖_F of the empirical NTK on the training inputs (0 for the linearised model, whose
 * kernel is fixed), the relative parameter change ‖θ_t − θ₀‖/‖θ₀‖, outputs on test points, and the
 * linearisation gap ‖f(X; θ_t) − f_lin(X; θ_t)‖_F / ‖f(X; θ_t) − f(X; θ₀)‖_F on the training inputs (how far the
 * network is from its first-order Taylor model at the same parameters; 0 at step 0 and for the linearised
 * model), and with {@code recordKernel} the empirical NTK Θ_t itself on the training inputs ((n, n, o, o) row-major;
 * Θ₀ throughout for the linearised model). Training that reaches a non-finite loss stops and keeps the records up
 * to the last finite one.
 */
public final class Trainer {

    public record Config(int steps, double learningRate, int batchSize, long seed, boolean linearized,
            int recordEvery, boolean recordKernel) {
        /** Without recording the empirical NTK itself (its relative change is always recorded). */
        public Config(int steps, double learningRate, int batchSize, long seed, boolean linearized, int recordEvery) {
            this(steps, learningRate, batchSize, seed, linearized, recordEvery, false);
        }

        /** How many records a run of this configuration makes (steps 0, m, 2m, … and the last). */
        public int records() {
            return steps / recordEvery + (steps % recordEvery == 0 ? 1 : 2);
        }

        public Config {
            if (steps < 0) {
                throw new BadInputException("--steps must be non-negative, got " + steps);
            }
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw new BadInputException("--learning-rate must be a positive number, got " + learningRate);
            }
            if (batchSize < 0) {
                throw new BadInputException("--batch-size must be positive, got " + batchSize);
            }
            if (recordEvery <= 0) {
                throw new BadInputException("--record-every must be positive, got " + recordEvery);
            }
        }
    }

    /** The records (one entry per recorded step) and the final parameters. */
    public record Result(int[] step, double[] loss, double[] kernelChange, double[] paramChange,
            double[] linearizationGap, double[][] testOut, double[][] kernels, Params finalParams, int divergedAt) {
        public int records() {
            return step.length;
        }
    }

    private final FiniteNetwork net;

    public Trainer(FiniteNetwork net) {
        this.net = net;
    }

    /**
     * Trains from p0 on (x: n×d, y: n×o); t (m×d, may be null) are test inputs. progress receives the number of
     * steps done. The network's parameters p0 are not modified.
     */
    public Result train(Params p0, double[] x, int n, double[] y, double[] t, int m, Config cfg, IntConsumer progress) {
        int o = net.outputs();
        int d = net.inputDim;
        if (cfg.batchSize() > n) {
            throw new BadInputException("--batch-size " + cfg.batchSize() + " exceeds the " + n + " training points");
        }
        Params theta = p0.copy();
        double theta0Norm = p0.norm();
        FiniteNetwork.Forward f0 = net.forward(p0, x, n); // θ₀ on the training inputs: base of f_lin and of the gap
        FiniteNetwork.Forward t0 = t == null ? null : net.forward(p0, t, m);
        double[] kernel0 = cfg.linearized() && !cfg.recordKernel() ? null
                : EmpiricalNtk.structured(net, p0, x, n, null, 0, false);
        double kernel0Norm = kernel0 == null ? 1 : frob(kernel0);
        List<double[]> kernels = new ArrayList<>();
        double[][] lastKernel = new double[1][];

        List<Integer> steps = new ArrayList<>();
        List<double[]> rec = new ArrayList<>(); // loss, kernel change, param change, gap
        List<double[]> tests = new ArrayList<>();
        int divergedAt = -1;
        SplittableRandom rng = new SplittableRandom(cfg.seed());
        int[] perm = identity(n);
        int cursor = n; // forces a shuffle before the first minibatch
        int batch = cfg.batchSize() == 0 ? n : cfg.batchSize();

        for (int step = 0; step <= cfg.steps(); step++) {
            boolean record = step % cfg.recordEvery() == 0 || step == cfg.steps();
            if (record) {
                double[] r = record(theta, p0, f0, x, n, y, kernel0, kernel0Norm, theta0Norm, cfg.linearized(),
                        lastKernel);
                if (!Double.isFinite(r[0])) {
                    divergedAt = step;
                    break;
                }
                steps.add(step);
                rec.add(r);
                if (cfg.recordKernel()) {
                    kernels.add(cfg.linearized() ? kernel0 : lastKernel[0]);
                }
                if (t != null) {
                    tests.add(outputs(theta, p0, t0, t, m, cfg.linearized()));
                }
            }
            if (step == cfg.steps()) {
                break;
            }
            // one update
            int[] idx;
            if (batch == n) {
                idx = null;
            } else {
                if (cursor + batch > n) {
                    shuffle(perm, rng);
                    cursor = 0;
                }
                idx = java.util.Arrays.copyOfRange(perm, cursor, cursor + batch);
                cursor += batch;
            }
            Params grad = theta.zerosLike();
            double loss = gradient(theta, p0, f0, x, n, y, idx, cfg.linearized(), grad);
            if (!Double.isFinite(loss) || !grad.allFinite()) {
                divergedAt = step;
                break;
            }
            theta.axpy(-cfg.learningRate(), grad);
            if (progress != null) {
                progress.accept(step + 1);
            }
        }
        int r = steps.size();
        Result res = new Result(steps.stream().mapToInt(Integer::intValue).toArray(), column(rec, 0), column(rec, 1),
                column(rec, 2), column(rec, 3), tests.toArray(new double[0][]), kernels.toArray(new double[0][]), theta,
                divergedAt);
        assert res.records() == r;
        return res;
    }

    /** Loss and gradient (into grad) on the whole set (idx == null) or on the examples idx. */
    private double gradient(Params theta, Params p0, FiniteNetwork.Forward f0, double[] x, int n, double[] y, int[] idx,
            boolean linearized, Params grad) {
        int o = net.outputs();
        int d = net.inputDim;
        double[] xb = idx == null ? x : rows(x, d, idx);
        double[] yb = idx == null ? y : rows(y, o, idx);
        int b = idx == null ? n : idx.length;
        if (!linearized) {
            return net.lossAndGradient(theta, net.forward(theta, xb, b), yb, grad);
        }
        // f_lin = f₀ + J₀ Δθ; ∇L = J₀ᵀ (f_lin − y)/b, both at θ₀
        FiniteNetwork.Forward fb = idx == null ? f0 : net.forward(p0, xb, b);
        double[] flin = linearOutputs(theta, p0, fb);
        double[] r = new double[flin.length];
        double loss = 0;
        for (int i = 0; i < r.length; i++) {
            double e = flin[i] - yb[i];
            loss += e * e;
            r[i] = e / b;
        }
        net.backwardParams(p0, fb, r, grad, null);
        return loss / (2.0 * b);
    }

    private double[] linearOutputs(Params theta, Params p0, FiniteNetwork.Forward at0) {
        double[] lin = net.jvp(p0, at0, theta.minus(p0));
        double[] f = at0.out();
        for (int i = 0; i < lin.length; i++) {
            lin[i] += f[i];
        }
        return lin;
    }

    private double[] outputs(Params theta, Params p0, FiniteNetwork.Forward at0, double[] x, int n, boolean linearized) {
        return linearized ? linearOutputs(theta, p0, at0) : net.forward(theta, x, n).out();
    }

    private double[] record(Params theta, Params p0, FiniteNetwork.Forward f0, double[] x, int n, double[] y,
            double[] kernel0, double kernel0Norm, double theta0Norm, boolean linearized, double[][] kernelOut) {
        double[] f = outputs(theta, p0, f0, x, n, linearized);
        double loss = 0;
        for (int i = 0; i < f.length; i++) {
            double e = f[i] - y[i];
            loss += e * e;
        }
        loss /= 2.0 * n;
        double paramChange = theta.minus(p0).norm() / theta0Norm;
        double kernelChange = 0;
        double gap = 0;
        if (!linearized && Double.isFinite(loss)) {
            double[] k = EmpiricalNtk.structured(net, theta, x, n, null, 0, false);
            kernelOut[0] = k;
            double s = 0;
            for (int i = 0; i < k.length; i++) {
                double e = k[i] - kernel0[i];
                s += e * e;
            }
            kernelChange = Math.sqrt(s) / kernel0Norm;
            double[] lin = linearOutputs(theta, p0, f0);
            double num = 0;
            double den = 0;
            double[] base = f0.out();
            for (int i = 0; i < f.length; i++) {
                num += (f[i] - lin[i]) * (f[i] - lin[i]);
                den += (f[i] - base[i]) * (f[i] - base[i]);
            }
            gap = den == 0 ? 0 : Math.sqrt(num / den);
        }
        return new double[] {loss, kernelChange, paramChange, gap};
    }

    private static double frob(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    private static double[] column(List<double[]> rows, int c) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i)[c];
        }
        return out;
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    private static void shuffle(int[] p, SplittableRandom r) {
        for (int i = p.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
    }

    private static double[] rows(double[] a, int width, int[] idx) {
        double[] out = new double[idx.length * width];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(a, idx[i] * width, out, i * width, width);
        }
        return out;
    }
}
