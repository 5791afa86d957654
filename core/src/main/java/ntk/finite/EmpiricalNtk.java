package ntk.finite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ntk.linalg.Linalg;

/**
 * The empirical NTK of a finite network, Θ_ab(x, x') = Σ_p ∂f_a(x)/∂θ_p · ∂f_b(x')/∂θ_p over all raw
 * parameters (Jacot et al. 2018, §4), two ways:
 * <ul>
 * <li>{@link #structured}: per weighted layer ∂f_a/∂W = wScale·δ_a ⊗ α and ∂f_a/∂b = bScale·δ_a, so the
 * layer contributes wScale²(δ_a(x)·δ_b(x'))(α(x)·α(x')) + bScale²(δ_a(x)·δ_b(x')): two GEMMs of
 * size n1×n2×width and an elementwise product — O(N²·Σ widths + N·Σ width²), never forming J;</li>
 * <li>{@link #contraction}: the reference — the per-example Jacobian J (n·o × P) formed explicitly,
 * a parameter block at a time, and Θ = J(x1) J(x2)ᵀ — O(N²·P).</li>
 * </ul>
 * Layout: row-major (n1, n2, o, o), i.e. entry ((i·n2 + j)·o + a)·o + b; {@code traced} gives the
 * (n1, n2) mean over outputs (1/o) Σ_a Θ_aa — the estimate of the infinite-width kernel, which is
 * Θ∞ ⊗ I (neural-tangents' trace_axes convention).
 */
public final class EmpiricalNtk {
    private EmpiricalNtk() {
    }

    /** α and δ_a (one per output a) of every weighted layer, recorded from o backward passes. */
    static final class Signals {
        final int n;
        final int o;
        final Map<String, double[]> alpha = new LinkedHashMap<>();
        final Map<String, List<double[]>> delta = new LinkedHashMap<>();
        final Map<String, double[]> scales = new LinkedHashMap<>();
        final Map<String, int[]> dims = new LinkedHashMap<>();

        Signals(int n, int o) {
            this.n = n;
            this.o = o;
        }
    }

    static Signals signals(FiniteNetwork net, Params p, double[] x, int n) {
        FiniteNetwork.Forward f = net.forward(p, x, n);
        int o = net.outputs();
        Signals s = new Signals(n, o);
        for (int a = 0; a < o; a++) {
            double[] dy = new double[n * o];
            for (int r = 0; r < n; r++) {
                dy[r * o + a] = 1.0;
            }
            net.backwardParams(p, f, dy, null, (key, in, out, ws, bs, alpha, delta) -> {
                s.alpha.putIfAbsent(key, alpha);
                s.delta.computeIfAbsent(key, k -> new ArrayList<>()).add(delta);
                s.scales.put(key, new double[] {ws, bs});
                s.dims.put(key, new int[] {in, out});
            });
        }
        return s;
    }

    /** Signals of both batches; x2 == null reuses x1's (one forward/backward pass). */
    private static Signals[] both(FiniteNetwork net, Params p, double[] x1, int n1, double[] x2, int n2) {
        Signals s1 = signals(net, p, x1, n1);
        return new Signals[] {s1, x2 == null ? s1 : signals(net, p, x2, n2)};
    }

    /**
     * Structured empirical NTK on x1 × x2 (x2 == null: x1 × x1, reusing one forward/backward).
     * Returns (n1, n2, o, o) or, when traced, (n1, n2).
     */
    public static double[] structured(FiniteNetwork net, Params p, double[] x1, int n1, double[] x2, int n2,
            boolean traced) {
        Signals[] sig = both(net, p, x1, n1, x2, n2);
        Signals s1 = sig[0];
        Signals s2 = sig[1];
        n2 = s2.n;
        int o = net.outputs();
        int nn = Math.multiplyExact(n1, n2);
        double[] theta = new double[traced ? nn : Math.multiplyExact(nn, o * o)];
        double[] a = new double[nn];
        double[] d = new double[nn];
        for (String key : s1.alpha.keySet()) {
            int[] dims = s1.dims.get(key);
            double ws2 = s1.scales.get(key)[0] * s1.scales.get(key)[0];
            double bs2 = s1.scales.get(key)[1] * s1.scales.get(key)[1];
            // A = α(x1) α(x2)ᵀ, shared by every pair of outputs
            Linalg.gemm(false, true, n1, n2, dims[0], 1.0, s1.alpha.get(key), s2.alpha.get(key), 0.0, a);
            for (int ia = 0; ia < o; ia++) {
                for (int ib = 0; ib < o; ib++) {
                    if (traced && ia != ib) {
                        continue;
                    }
                    // D = δ_a(x1) δ_b(x2)ᵀ; contribution wScale²·D∘A + bScale²·D
                    Linalg.gemm(false, true, n1, n2, dims[1], 1.0, s1.delta.get(key).get(ia),
                            s2.delta.get(key).get(ib), 0.0, d);
                    if (traced) {
                        double w = 1.0 / o;
                        for (int i = 0; i < nn; i++) {
                            theta[i] += w * d[i] * Math.fma(ws2, a[i], bs2);
                        }
                    } else {
                        int oo = o * o;
                        int off = ia * o + ib;
                        for (int i = 0; i < nn; i++) {
                            theta[i * oo + off] += d[i] * Math.fma(ws2, a[i], bs2);
                        }
                    }
                }
            }
        }
        return theta;
    }

    /** Reference: Θ = J(x1) J(x2)ᵀ with J formed explicitly, a block of parameter rows at a time. */
    public static double[] contraction(FiniteNetwork net, Params p, double[] x1, int n1, double[] x2, int n2,
            boolean traced) {
        Signals[] sig = both(net, p, x1, n1, x2, n2);
        Signals s1 = sig[0];
        Signals s2 = sig[1];
        n2 = s2.n;
        int o = net.outputs();
        int r1 = n1 * o;
        int r2 = n2 * o;
        double[] full = new double[Math.multiplyExact(r1, r2)]; // rows (i, a), columns (j, b)
        for (String key : s1.alpha.keySet()) {
            int in = s1.dims.get(key)[0];
            int out = s1.dims.get(key)[1];
            double ws = s1.scales.get(key)[0];
            double bs = s1.scales.get(key)[1];
            // a block of output units k0..k1 of this layer: columns (k, j) for W_kj, then b_k
            int rows = Math.max(1, (int) Math.min(out, (32L << 20) / ((long) Math.max(r1, r2) * (in + 1))));
            for (int k0 = 0; k0 < out; k0 += rows) {
                int k1 = Math.min(out, k0 + rows);
                int cols = (k1 - k0) * (in + 1);
                double[] j1 = jacobianBlock(s1, key, in, out, ws, bs, k0, k1, cols);
                double[] j2 = x2 == null ? j1 : jacobianBlock(s2, key, in, out, ws, bs, k0, k1, cols);
                Linalg.gemm(false, true, r1, r2, cols, 1.0, j1, j2, 1.0, full);
            }
        }
        if (!traced) {
            // rows (i, a), cols (j, b) → (i, j, a, b)
            double[] theta = new double[full.length];
            for (int i = 0; i < n1; i++) {
                for (int a = 0; a < o; a++) {
                    for (int j = 0; j < n2; j++) {
                        for (int b = 0; b < o; b++) {
                            theta[((i * n2 + j) * o + a) * o + b] = full[(i * o + a) * r2 + j * o + b];
                        }
                    }
                }
            }
            return theta;
        }
        double[] theta = new double[n1 * n2];
        for (int i = 0; i < n1; i++) {
            for (int j = 0; j < n2; j++) {
                double s = 0;
                for (int a = 0; a < o; a++) {
                    s += full[(i * o + a) * r2 + j * o + a];
                }
                theta[i * n2 + j] = s / o;
            }
        }
        return theta;
    }

    /** Rows (example i, output a) of ∂f_a(x_i)/∂θ for W_k· and b_k, k in [k0, k1). */
    private static double[] jacobianBlock(Signals s, String key, int in, int out, double ws, double bs, int k0, int k1,
            int cols) {
        int rowsJ = s.n * s.o;
        double[] j = new double[Math.multiplyExact(rowsJ, cols)];
        double[] alpha = s.alpha.get(key);
        for (int a = 0; a < s.o; a++) {
            double[] delta = s.delta.get(key).get(a);
            for (int i = 0; i < s.n; i++) {
                int row = (i * s.o + a) * cols;
                int c = 0;
                for (int k = k0; k < k1; k++) {
                    double dk = delta[i * out + k];
                    for (int q = 0; q < in; q++) {
                        j[row + c++] = ws * dk * alpha[i * in + q];
                    }
                    j[row + c++] = bs * dk;
                }
            }
        }
        return j;
    }

    /**
     * The empirical NNGP of one network: (1/o) Σ_a f_a(x) f_a(x') on x1 × x2 (the outer product of outputs,
     * traced over outputs); its average over initialisations converges to the NNGP kernel.
     */
    public static double[] outputProduct(FiniteNetwork net, Params p, double[] x1, int n1, double[] x2, int n2) {
        double[] f1 = net.forward(p, x1, n1).out();
        double[] f2 = x2 == null ? f1 : net.forward(p, x2, n2).out();
        if (x2 == null) {
            n2 = n1;
        }
        int o = net.outputs();
        double[] k = new double[n1 * n2];
        Linalg.gemm(false, true, n1, n2, o, 1.0 / o, f1, f2, 0.0, k);
        return k;
    }
}
