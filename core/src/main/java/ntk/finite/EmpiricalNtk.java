package ntk.finite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ntk.NdArray;
import ntk.linalg.Linalg;
import ntk.protocol.LayerGradient;
import ntk.Params;

/**
 * The empirical NTK of a finite network, Θ_ab(x, x') = Σ_p ∂f_a(x)/∂θ_p · ∂f_b(x')/∂θ_p over all raw
 * parameters (Jacot et al. 2018, §4), two ways:
 * <ul>
 * <li>{@link #structured}: per weighted layer its own contribution ({@link LayerGradient}): for a Dense
 * ∂f_a/∂W = wScale·δ_a ⊗ α and ∂f_a/∂b = bScale·δ_a, so the layer contributes
 * wScale²(δ_a(x)·δ_b(x'))(α(x)·α(x')) + bScale²(δ_a(x)·δ_b(x')): two GEMMs of size n1×n2×width and an
 * elementwise product — O(N²·Σ widths + N·Σ width²), never forming J; for a Conv1D the per-example gradient
 * G = Σ_p δ(p) ⊗ patch(p) (C_out × C_in·k) by one small GEMM per example, then G(x1)·G(x2)ᵀ;</li>
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

    /** Each weighted layer's structured gradients, one per output a, recorded from o backward passes. */
    static final class Signals {
        final int n;
        final int o;
        final Map<String, List<LayerGradient>> layers = new LinkedHashMap<>();

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
            net.backwardParams(p, f, dy, null, (key, g) -> s.layers.computeIfAbsent(key, k -> new ArrayList<>()).add(g));
        }
        return s;
    }

    /** Signals of both batches; x2 == null reuses x1's (one forward/backward pass). */
    private static Signals[] both(FiniteNetwork net, Params p, double[] x1, int n1, double[] x2, int n2) {
        Signals s1 = signals(net, p, x1, n1);
        return new Signals[] {s1, x2 == null ? s1 : signals(net, p, x2, n2)};
    }

    /** Which layout of the empirical NTK of an o-output network to compute. */
    public enum Outputs {
        /** Θ_ab(x, x') for every pair of outputs: (n1, n2, o, o), or (n1, n2) when o = 1. */
        EACH_PAIR,
        /** The mean over outputs of Θ_aa(x, x'): (n1, n2), the form of the infinite-width kernels. */
        TRACED
    }

    /**
     * The empirical NTK of a finite network at parameters p on x1 × x2, shaped: (n1, n2, o, o) for
     * {@link Outputs#EACH_PAIR} ((n1, n2) when o = 1), (n1, n2) for {@link Outputs#TRACED}. Inputs are (n, d), or
     * (n, length, channels) for convolutional networks; x2 == null computes x1 × x1 with one forward/backward pass.
     *
     * @param net the finite network
     * @param p its parameters (e.g. {@link FiniteNetwork#init})
     * @param x1 first inputs
     * @param x2 second inputs, or null for x1 × x1
     * @param outputs which layout
     * @return a new array
     */
    public static NdArray of(FiniteNetwork net, Params p, NdArray x1, NdArray x2, Outputs outputs) {
        int n1 = net.checkInputs(x1, "x1");
        int n2 = x2 == null ? n1 : net.checkInputs(x2, "x2");
        double[] k = structured(net, p, x1.data(), n1, x2 == null ? null : x2.data(), n2, outputs);
        int o = net.outputs();
        return outputs == Outputs.TRACED || o == 1 ? NdArray.matrix(n1, n2, k) : new NdArray(new int[] {n1, n2, o, o}, k);
    }

    /**
     * Structured empirical NTK on x1 × x2 (x2 == null: x1 × x1, reusing one forward/backward), the flat array form
     * of {@link #of}. Returns (n1, n2, o, o) or, when traced, (n1, n2). Each layer adds its own contribution
     * ({@link LayerGradient#addGram}): for a Dense wScale²(δ·δ')(α·α') + bScale²(δ·δ'), for a Conv1D
     * G(x1)·G(x2)ᵀ + B(x1)·B(x2)ᵀ with G = Σ_p δ(p) ⊗ patch(p).
     *
     * @param net the finite network
     * @param p its parameters
     * @param x1 first inputs, row-major n1 × input size
     * @param n1 number of first inputs
     * @param x2 second inputs, or null for x1 × x1
     * @param n2 number of second inputs (ignored when x2 is null)
     * @param outputs which layout
     * @return the kernel, row-major
     */
    public static double[] structured(FiniteNetwork net, Params p, double[] x1, int n1, double[] x2, int n2,
            Outputs outputs) {
        return structured(net, p, x1, n1, x2, n2, outputs == Outputs.TRACED);
    }

    /**
     * As {@link #structured(FiniteNetwork, Params, double[], int, double[], int, Outputs)} with a boolean for the
     * layout.
     *
     * @param net the finite network
     * @param p its parameters
     * @param x1 first inputs, row-major n1 × input size
     * @param n1 number of first inputs
     * @param x2 second inputs, or null for x1 × x1
     * @param n2 number of second inputs (ignored when x2 is null)
     * @param traced true for {@link Outputs#TRACED}, false for {@link Outputs#EACH_PAIR}
     * @return the kernel, row-major
     * @deprecated the boolean hides the layout; use {@link #of} (shaped) or the form taking {@link Outputs}
     */
    @Deprecated(since = "0.1.0")
    public static double[] structured(FiniteNetwork net, Params p, double[] x1, int n1, double[] x2, int n2,
            boolean traced) {
        Signals[] sig = both(net, p, x1, n1, x2, n2);
        Signals s1 = sig[0];
        Signals s2 = sig[1];
        n2 = s2.n;
        int o = net.outputs();
        int nn = Math.multiplyExact(n1, n2);
        double[] theta = new double[traced ? nn : Math.multiplyExact(nn, o * o)];
        double[] buf = traced ? null : new double[nn];
        for (Map.Entry<String, List<LayerGradient>> e : s1.layers.entrySet()) {
            List<LayerGradient> g1 = e.getValue();
            List<LayerGradient> g2 = s2.layers.get(e.getKey());
            Object shared = g1.get(0).share(g2.get(0)); // output-independent work, once per layer
            for (int ia = 0; ia < o; ia++) {
                for (int ib = 0; ib < o; ib++) {
                    if (traced) {
                        if (ia == ib) {
                            g1.get(ia).addGram(g2.get(ib), shared, 1.0 / o, theta);
                        }
                        continue;
                    }
                    java.util.Arrays.fill(buf, 0.0);
                    g1.get(ia).addGram(g2.get(ib), shared, 1.0, buf);
                    int oo = o * o;
                    int off = ia * o + ib;
                    for (int i = 0; i < nn; i++) {
                        theta[i * oo + off] += buf[i];
                    }
                }
            }
        }
        return theta;
    }

    /**
     * The per-example Jacobian J = ∂f_a(x_i)/∂θ_p of the raw parameters: row-major (n·o) × P, row i·o + a, columns in
     * the order of {@link Params#asMap()} (each array flattened row-major), i.e. the order of {@code ntk init}'s keys.
     * n·o·P doubles: for large networks prefer {@link #structured}, which never forms it.
     */
    public static double[] jacobian(FiniteNetwork net, Params p, double[] x, int n) {
        Signals s = signals(net, p, x, n);
        int o = net.outputs();
        long total = 0;
        for (NdArray a : p.asMap().values()) {
            total += a.data.length;
        }
        if ((long) n * o * total > Integer.MAX_VALUE - 8L) {
            throw new ntk.BadInputException(String.format("the Jacobian of %d examples x %d outputs x %d parameters"
                    + " does not fit in one array; use the structured empirical NTK", n, o, total));
        }
        int cols = (int) total;
        double[] jac = new double[n * o * cols];
        int c0 = 0;
        for (Map.Entry<String, NdArray> e : p.asMap().entrySet()) {
            // key "<layer>.W", "<layer>.b" or "<layer>.alpha"; a layer's gradient orders its columns W (row-major),
            // then b (a PReLU has its one α)
            String key = e.getKey();
            List<LayerGradient> g = s.layers.get(key.substring(0, key.lastIndexOf('.')));
            int count = e.getValue().data.length;
            long offset = key.endsWith(".W") ? 0 : g.get(0).parameters() - count;
            double[] block = new double[n * o * count];
            for (int a = 0; a < o; a++) {
                g.get(a).jacobian(offset, count, block, o, a);
            }
            for (int r = 0; r < n * o; r++) {
                System.arraycopy(block, r * count, jac, r * cols + c0, count);
            }
            c0 += count;
        }
        return jac;
    }

    /** Reference: Θ = J(x1) J(x2)ᵀ with J formed explicitly, a block of parameter columns at a time. */
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
        for (Map.Entry<String, List<LayerGradient>> e : s1.layers.entrySet()) {
            List<LayerGradient> g1 = e.getValue();
            List<LayerGradient> g2 = s2.layers.get(e.getKey());
            long params = g1.get(0).parameters();
            int block = (int) Math.max(1, Math.min(params, (32L << 20) / Math.max(r1, r2)));
            for (long c0 = 0; c0 < params; c0 += block) {
                int cols = (int) Math.min(block, params - c0);
                double[] j1 = new double[Math.multiplyExact(r1, cols)];
                double[] j2 = x2 == null ? j1 : new double[Math.multiplyExact(r2, cols)];
                for (int a = 0; a < o; a++) {
                    g1.get(a).jacobian(c0, cols, j1, o, a);
                    if (x2 != null) {
                        g2.get(a).jacobian(c0, cols, j2, o, a);
                    }
                }
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
