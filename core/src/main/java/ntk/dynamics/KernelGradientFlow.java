package ntk.dynamics;

import java.util.Locale;
import ntk.BadInputException;

/**
 * Kernel gradient descent for a general cost (Jacot, Gabriel &amp; Hongler 2018, §3, ∂_t f = −∇_K C|_f, and Thm 2):
 * the infinite-width network trained by gradient flow, in function space. With the multi-output kernel Θ ⊗ I and
 * outputs F (rows: points, columns: classes), on the training points
 * <pre>  dF_X/dt = −Θ(X, X) G(F_X),   and on the test points   dF_T/dt = −Θ(T, X) G(F_X),</pre>
 * where G = ∇_F C is the gradient of the cost with respect to the training outputs. For the cross-entropy
 * C(F) = (1/n) Σ_i CE(softmax(F_i), y_i), G_i = (softmax(F_i) − e_{y_i})/n; for the squared loss
 * C(F) = (1/2n) Σ_i ‖F_i − Y_i‖², G_i = (F_i − Y_i)/n (whose flow has the closed form Y + e^{−tΘ/n}(F_0 − Y), the
 * test of this integrator).
 *
 * <p>The ODE is integrated by the Dormand–Prince 5(4) pair with adaptive steps (error per step below
 * {@code atol + rtol·|F|} in the max norm over every output, FSAL); the outputs at the requested times are hit
 * exactly (steps end on them), and t = 0 returns F_0 exactly. The flow is stiff when t·λ_max(Θ(X, X))/n is large:
 * an explicit method needs about that many steps (×0.3 for the cross-entropy, whose Hessian is at most 1/2), so
 * {@link #estimateSteps} bounds the work and {@link #solve} refuses a job past {@code maxSteps} up front.
 */
public final class KernelGradientFlow {
    /** Default relative and absolute tolerances of one step. */
    public static final double RTOL = 1e-9;
    /** The default absolute tolerance of {@link #solve}. */
    public static final double ATOL = 1e-11;

    /** The gradient of a cost with respect to the training outputs. */
    public interface Cost {
        /** Writes ∇_F C at F (n × k row-major) into g. */
        void gradient(double[] f, double[] g);

        /** The cost at F. */
        double value(double[] f);

        /** An upper bound on the largest eigenvalue of the cost's Hessian times n (1 for squared, 1/2 for CE). */
        double curvature();
    }

    /** C(F) = (1/n) Σ_i −log softmax(F_i)_{y_i}, labels in 0..k−1. */
    public static Cost crossEntropy(int[] labels, int classes) {
        int n = labels.length;
        for (int y : labels) {
            if (y < 0 || y >= classes) {
                throw new BadInputException("train-labels must be in 0.." + (classes - 1) + ", got " + y);
            }
        }
        return new Cost() {
            @Override
            public void gradient(double[] f, double[] g) {
                for (int i = 0; i < n; i++) {
                    int o = i * classes;
                    double lse = logSumExp(f, o, classes);
                    for (int c = 0; c < classes; c++) {
                        g[o + c] = (Math.exp(f[o + c] - lse) - (c == labels[i] ? 1 : 0)) / n;
                    }
                }
            }

            @Override
            public double value(double[] f) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += logSumExp(f, i * classes, classes) - f[i * classes + labels[i]];
                }
                return s / n;
            }

            @Override
            public double curvature() {
                return 0.5;
            }
        };
    }

    /** log Σ_c exp f[o + c] over one row, shifted by its maximum (no overflow). */
    static double logSumExp(double[] f, int o, int classes) {
        double mx = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            mx = Math.max(mx, f[o + c]);
        }
        double z = 0;
        for (int c = 0; c < classes; c++) {
            z += Math.exp(f[o + c] - mx);
        }
        return mx + Math.log(z);
    }

    /** C(F) = (1/2n) Σ_i ‖F_i − Y_i‖² (Y row-major n × k). */
    public static Cost squared(double[] y, int n) {
        return new Cost() {
            @Override
            public void gradient(double[] f, double[] g) {
                for (int i = 0; i < y.length; i++) {
                    g[i] = (f[i] - y[i]) / n;
                }
            }

            @Override
            public double value(double[] f) {
                double s = 0;
                for (int i = 0; i < y.length; i++) {
                    s += (f[i] - y[i]) * (f[i] - y[i]);
                }
                return s / (2.0 * n);
            }

            @Override
            public double curvature() {
                return 1;
            }
        };
    }

    /** Outputs at each requested time: train[t] (n × k) and test[t] (m × k), row-major; steps taken and rejected. */
    public record Trajectory(double[] times, double[][] train, double[][] test, long steps, long rejected) {
    }

    private final double[] kxx;
    private final double[] ktx;
    private final int n;
    private final int m;
    private final int k;
    private final double lambdaMax;

    /**
     * {@code kxx}: Θ(X, X), n × n; {@code ktx}: Θ(T, X), m × n (m may be 0); {@code k} outputs per point.
     */
    public KernelGradientFlow(double[] kxx, int n, double[] ktx, int m, int k) {
        if (n < 1 || k < 1 || m < 0 || kxx.length != (long) n * n || ktx.length != (long) m * n) {
            throw new BadInputException(String.format(Locale.ROOT, "kernel blocks of %d and %d entries do not fit n = %d,"
                    + " m = %d", kxx.length, ktx.length, n, m));
        }
        this.kxx = kxx;
        this.ktx = ktx;
        this.n = n;
        this.m = m;
        this.k = k;
        // the largest eigenvalue of the symmetric PSD Θ(X, X) is at most its largest absolute row sum
        double lm = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += Math.abs(kxx[i * n + j]);
            }
            lm = Math.max(lm, s);
        }
        this.lambdaMax = lm;
    }

    /**
     * About how many steps an explicit method needs to reach {@code tMax} (its stability limit, |hλ| ≲ 3.3 for
     * Dormand–Prince, with λ up to curvature·λ_max(Θ)/n), plus a floor for accuracy.
     */
    public long estimateSteps(Cost cost, double tMax) {
        double stiff = tMax * cost.curvature() * lambdaMax / n / 3.3;
        return (long) Math.min(Long.MAX_VALUE / 2, Math.ceil(stiff) + 50);
    }

    /**
     * Integrates from F_X(0) = f0Train (n × k), F_T(0) = f0Test (m × k) to each of {@code times} (ascending, ≥ 0).
     * Refuses up front (BadInputException) when {@link #estimateSteps} exceeds {@code maxSteps}.
     */
    public Trajectory solve(Cost cost, double[] f0Train, double[] f0Test, double[] times, double rtol, double atol,
            long maxSteps) {
        if (f0Train.length != n * k || f0Test.length != m * k) {
            throw new BadInputException("initial outputs must be " + n + " x " + k + " and " + m + " x " + k);
        }
        double prev = 0;
        for (double t : times) {
            if (!(t >= prev) || !Double.isFinite(t)) {
                throw new BadInputException("times must be finite, >= 0 and ascending, got " + java.util.Arrays
                        .toString(times));
            }
            prev = t;
        }
        if (!(rtol > 0) || !(atol > 0)) {
            throw new BadInputException("tolerances must be > 0");
        }
        double tMax = times.length == 0 ? 0 : times[times.length - 1];
        long est = estimateSteps(cost, tMax);
        if (est > maxSteps) {
            throw new BadInputException(String.format(Locale.ROOT, "gradient flow to t = %.4g needs about %d steps"
                    + " (t·λ_max(Θ)/n = %.3g makes it stiff), more than the bound %d; raise --max-steps or ask for a"
                    + " shorter time", tMax, est, tMax * lambdaMax / n, maxSteps));
        }
        int dim = (n + m) * k;
        double[] y = new double[dim];
        System.arraycopy(f0Train, 0, y, 0, n * k);
        System.arraycopy(f0Test, 0, y, n * k, m * k);
        double[][] outTrain = new double[times.length][];
        double[][] outTest = new double[times.length][];
        double t = 0;
        double[] k1 = new double[dim];
        rhs(cost, y, k1);
        double h = initialStep(k1, y, rtol, atol);
        double[][] stage = new double[7][];
        stage[0] = k1;
        for (int s = 1; s < 7; s++) {
            stage[s] = new double[dim];
        }
        double[] yNew = new double[dim];
        double[] tmp = new double[dim];
        long steps = 0;
        long rejected = 0;
        for (int ti = 0; ti < times.length; ti++) {
            double target = times[ti];
            while (t < target) {
                if (steps + rejected > 4 * maxSteps + 1000) {
                    throw new ArithmeticException("gradient flow did not reach t = " + target + " within "
                            + (steps + rejected) + " steps");
                }
                double step = Math.min(h, target - t);
                boolean last = step >= target - t;
                double err = dopriStep(cost, y, step, stage, yNew, tmp, rtol, atol);
                if (err <= 1 || step < 1e-14 * Math.max(1, t)) {
                    t = last ? target : t + step;
                    System.arraycopy(yNew, 0, y, 0, dim);
                    double[] swap = stage[0]; // FSAL: the last stage is the next step's first
                    stage[0] = stage[6];
                    stage[6] = swap;
                    steps++;
                } else {
                    rejected++;
                }
                double fac = err == 0 ? 5 : Math.min(5, Math.max(0.2, 0.9 * Math.pow(err, -0.2)));
                h = step * fac;
            }
            outTrain[ti] = java.util.Arrays.copyOfRange(y, 0, n * k);
            outTest[ti] = java.util.Arrays.copyOfRange(y, n * k, dim);
        }
        return new Trajectory(times.clone(), outTrain, outTest, steps, rejected);
    }

    /** dY/dt: −Θ(X, X) G on the training block and −Θ(T, X) G on the test block. */
    private void rhs(Cost cost, double[] y, double[] out) {
        double[] g = new double[n * k];
        cost.gradient(java.util.Arrays.copyOfRange(y, 0, n * k), g);
        multiply(kxx, n, g, out, 0);
        if (m > 0) {
            multiply(ktx, m, g, out, n * k);
        }
    }

    /** out[off + r·k + c] = −Σ_j a[r·n + j] g[j·k + c] for r < rows. */
    private void multiply(double[] a, int rows, double[] g, double[] out, int off) {
        double[] prod = ntk.linalg.Linalg.multiply(false, false, rows, k, n, a, g);
        for (int i = 0; i < prod.length; i++) {
            out[off + i] = -prod[i];
        }
    }

    private static double initialStep(double[] f0, double[] y, double rtol, double atol) {
        double d0 = 0;
        double d1 = 0;
        for (int i = 0; i < y.length; i++) {
            double sc = atol + rtol * Math.abs(y[i]);
            d0 = Math.max(d0, Math.abs(y[i]) / sc);
            d1 = Math.max(d1, Math.abs(f0[i]) / sc);
        }
        return d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1;
    }

    // Dormand–Prince 5(4) coefficients (Dormand & Prince 1980; Hairer, Nørsett & Wanner, Table 5.2).
    private static final double[][] A = {
        {},
        {1.0 / 5},
        {3.0 / 40, 9.0 / 40},
        {44.0 / 45, -56.0 / 15, 32.0 / 9},
        {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
        {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
        {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}};
    /** Fifth-order weights (= A[6]) minus the embedded fourth-order ones: the error estimate's weights. */
    private static final double[] E = {35.0 / 384 - 5179.0 / 57600, 0, 500.0 / 1113 - 7571.0 / 16695,
        125.0 / 192 - 393.0 / 640, -2187.0 / 6784 + 92097.0 / 339200, 11.0 / 84 - 187.0 / 2100, -1.0 / 40};

    /** One step of size h from y (stage[0] = f(y)); writes the 5th-order result to yNew, returns the scaled error. */
    private double dopriStep(Cost cost, double[] y, double h, double[][] stage, double[] yNew, double[] tmp,
            double rtol, double atol) {
        int dim = y.length;
        for (int s = 1; s < 7; s++) {
            for (int i = 0; i < dim; i++) {
                double v = 0;
                for (int j = 0; j < s; j++) {
                    v += A[s][j] * stage[j][i];
                }
                tmp[i] = y[i] + h * v;
            }
            rhs(cost, tmp, stage[s]);
        }
        // stage 6 was evaluated at the 5th-order solution itself (A[6] are the 5th-order weights)
        System.arraycopy(tmp, 0, yNew, 0, dim);
        double err = 0;
        for (int i = 0; i < dim; i++) {
            double e = 0;
            for (int j = 0; j < 7; j++) {
                e += E[j] * stage[j][i];
            }
            double sc = atol + rtol * Math.max(Math.abs(y[i]), Math.abs(yNew[i]));
            err = Math.max(err, Math.abs(h * e) / sc);
        }
        return err;
    }
}
