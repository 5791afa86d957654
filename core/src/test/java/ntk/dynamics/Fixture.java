package ntk.dynamics;

import ntk.KernelKind;
import java.util.Random;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.NdArray;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;

/**
 * Small train/test kernels of a real architecture, plus independent reference computations written
 * here (matrix exponential by scaling and squaring of a Taylor series, RK4, plain matrix products).
 */
final class Fixture {
    static final String ARCH = "Dense(512, b_std=0.1), Relu, Dense(512, b_std=0.1), Relu, Dense(1, b_std=0.1)";
    final int n;
    final int m;
    final int o;
    final double[] y;
    final Kernels train; // Σ, Θ on X × X
    final Kernels cross; // on T × X
    final Kernels test;  // on T × T
    final NdArray x;

    Fixture(int n, int m, int o, int d, long seed) {
        this(n, m, o, d, seed, false);
    }

    Fixture(int n, int m, int o, int d, long seed, boolean duplicateRow) {
        this.n = n;
        this.m = m;
        this.o = o;
        Random r = new Random(seed);
        x = gaussian(r, n, d);
        if (duplicateRow) {
            System.arraycopy(x.data, 0, x.data, d, d); // row 1 = row 0: K is exactly singular
        }
        NdArray t = gaussian(r, m, d);
        y = gaussian(r, n, o).data;
        Network net = Network.parse(ARCH, Parameterization.NTK);
        KernelEngine e = new KernelEngine();
        train = e.kernels(net, x, null, KernelKind.NTK);
        cross = e.kernels(net, t, x, KernelKind.NTK);
        test = e.kernels(net, t, null, KernelKind.NTK);
    }

    static NdArray gaussian(Random r, int rows, int cols) {
        double[] a = new double[rows * cols];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        return new NdArray(new int[] {rows, cols}, a);
    }

    // ---- independent reference linear algebra (no LAPACK) ----

    static double[] mul(double[] a, int p, int q, double[] b, int s) {
        double[] c = new double[p * s];
        for (int i = 0; i < p; i++) {
            for (int k = 0; k < q; k++) {
                double v = a[i * q + k];
                for (int j = 0; j < s; j++) {
                    c[i * s + j] += v * b[k * s + j];
                }
            }
        }
        return c;
    }

    static double[] transpose(double[] a, int p, int q) {
        double[] t = new double[p * q];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < q; j++) {
                t[j * p + i] = a[i * q + j];
            }
        }
        return t;
    }

    static double[] identity(int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = 1;
        }
        return a;
    }

    /** e^{A} by scaling and squaring a 30-term Taylor series (‖A/2^s‖∞ ≤ 1/2: truncation < 2^{-30}/30!). */
    static double[] expm(double[] a, int n) {
        double norm = 0;
        for (int i = 0; i < n; i++) {
            double row = 0;
            for (int j = 0; j < n; j++) {
                row += Math.abs(a[i * n + j]);
            }
            norm = Math.max(norm, row);
        }
        int s = Math.max(0, (int) Math.ceil(Math.log(norm / 0.5) / Math.log(2)));
        double scale = Math.pow(2, -s);
        double[] as = new double[n * n];
        for (int i = 0; i < as.length; i++) {
            as[i] = a[i] * scale;
        }
        double[] sum = identity(n);
        double[] term = identity(n);
        for (int k = 1; k <= 30; k++) {
            term = mul(term, n, n, as, n);
            for (int i = 0; i < term.length; i++) {
                term[i] /= k;
                sum[i] += term[i];
            }
        }
        for (int k = 0; k < s; k++) {
            sum = mul(sum, n, n, sum, n);
        }
        return sum;
    }

    /** −(t/n)·K */
    static double[] scaled(double[] k, double factor) {
        double[] a = k.clone();
        for (int i = 0; i < a.length; i++) {
            a[i] *= factor;
        }
        return a;
    }

    static double maxAbs(double[] a) {
        double s = 0;
        for (double v : a) {
            s = Math.max(s, Math.abs(v));
        }
        return s;
    }

    static double maxDiff(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s = Math.max(s, Math.abs(a[i] - b[i]));
        }
        return s;
    }

    /** Largest eigenvalue of a symmetric PSD matrix by power iteration (independent of LAPACK). */
    static double powerIteration(double[] k, int n) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, 1);
        double lambda = 0;
        for (int it = 0; it < 5000; it++) {
            double[] w = mul(k, n, n, v, 1);
            double norm = Math.sqrt(dot(w, w));
            lambda = dot(v, w) / dot(v, v);
            for (int i = 0; i < n; i++) {
                v[i] = w[i] / norm;
            }
        }
        return lambda;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Adds r to the diagonal (a copy). */
    static double[] plusDiagonal(double[] a, int n, double r) {
        double[] b = a.clone();
        for (int i = 0; i < n; i++) {
            b[i * n + i] += r;
        }
        return b;
    }
}
