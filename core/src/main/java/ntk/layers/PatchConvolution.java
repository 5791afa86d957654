package ntk.layers;

import java.util.Map;
import java.util.SplittableRandom;
import ntk.Parameterization;
import ntk.NdArray;
import ntk.linalg.Linalg;
import ntk.protocol.FiniteOp;
import ntk.protocol.GradientSink;
import ntk.protocol.LayerGradient;
import ntk.Params;
import ntk.protocol.Tape;

/**
 * The finite-width life of a stride-1 convolution over positions (Conv1D over a signal, Conv2D over an image), as
 * im2col and one GEMM: y(p, c) = wScale·Σ_{c', t} W[c, c', t]·x(source(p, t), c') + bScale·b[c], where t runs over
 * the filter's taps (k for Conv1D, k² row-major for Conv2D) and source(p, t) is the input position tap t of output
 * position p reads (the padding: wrapped for circular, none for a zero-padded edge). The layer gives the source table;
 * everything else — parameters, init, forward, backward, forward mode, per-example gradients — is shared.
 *
 * <p>Patches: (n·L × C_in·taps), row (i, p), column c'·taps + t = x(i, source(p, t), c'), matching W's layout
 * (C_out, C_in, taps...).
 *
 * <p>Untied ({@link #local}: LocallyConnected2D): every output position p has its own filter W_p and bias b_p, W shaped
 * (positions..., C_out, C_in, taps...) with position p's filter the contiguous block p·C_out·C_in·taps, and b shaped
 * (positions..., C_out): y(p, c) = wScale·Σ_{c', t} W_p[c, c', t]·x(source(p, t), c') + bScale·b_p[c], one GEMM per
 * position over the examples.
 */
final class PatchConvolution implements FiniteOp {
    final String wKey;
    final String bKey;
    /** Positions L (signal length, or H·W). */
    final int len;
    final int cin;
    final int cout;
    /** Taps per filter (k, or k²). */
    final int taps;
    /** Patch width C_in·taps. */
    final int pw;
    /** source[p·taps + t]: the input position tap t of output position p reads, or −1 past a zero-padded edge. */
    private final int[] source;
    private final int[] weightShape;
    final AffineRule rule;
    final double wScale;
    final double bScale;
    final int slot;
    /** Whether each position has its own filter and bias (a locally connected layer) rather than one shared. */
    final boolean local;
    /** b's shape. */
    private final int[] biasShape;

    /**
     * @param p the parameterisation
     * @param key the layer's parameter prefix ({@code key.W}, {@code key.b})
     * @param len positions L
     * @param cin input channels
     * @param cout output channels
     * @param source the source table, L·taps entries
     * @param weightShape W's shape (C_out, C_in, taps...)
     * @param wStd the layer's W_std
     * @param bStd the layer's b_std
     * @param slot the layer's tape slot
     */
    PatchConvolution(Parameterization p, String key, int len, int cin, int cout, int[] source, int[] weightShape,
            double wStd, double bStd, int slot) {
        this(p, key, len, cin, cout, source, weightShape, new int[] {cout}, wStd, bStd, slot, false);
    }

    /**
     * As the shared convolution, or untied (local): then weightShape is (positions..., C_out, C_in, taps...) and
     * biasShape (positions..., C_out).
     */
    PatchConvolution(Parameterization p, String key, int len, int cin, int cout, int[] source, int[] weightShape,
            int[] biasShape, double wStd, double bStd, int slot, boolean local) {
        this.wKey = key + ".W";
        this.bKey = key + ".b";
        this.len = len;
        this.cin = cin;
        this.cout = cout;
        this.taps = source.length / len;
        this.pw = Math.multiplyExact(cin, taps);
        this.source = source;
        this.weightShape = weightShape.clone();
        this.rule = AffineRule.of(p, wStd, bStd, cin, taps);
        this.wScale = rule.weightScale();
        this.bScale = rule.biasScale();
        this.slot = slot;
        this.local = local;
        this.biasShape = biasShape.clone();
    }

    /** Filters: one per position when local, else one. */
    private int filters() {
        return local ? len : 1;
    }

    @Override
    public int outputWidth() {
        return len * cout;
    }

    @Override
    public void declare(Map<String, int[]> shapes) {
        shapes.put(wKey, weightShape.clone());
        shapes.put(bKey, biasShape.clone());
    }

    @Override
    public void init(Params params, long seed) {
        // NTK: raw N(0, 1); standard: W ~ N(0, W_std²/(taps·C_in)), b ~ N(0, b_std²) (docs/concepts.md)
        double ws = rule.weightInitStd();
        double bs = rule.biasInitStd();
        SplittableRandom rw = new SplittableRandom(Dense.streamSeed(seed, wKey));
        double[] w = new double[Math.multiplyExact(filters(), cout * pw)];
        for (int i = 0; i < w.length; i++) {
            w[i] = ws * rw.nextGaussian();
        }
        SplittableRandom rb = new SplittableRandom(Dense.streamSeed(seed, bKey));
        double[] b = new double[filters() * cout];
        for (int i = 0; i < b.length; i++) {
            b[i] = bs * rb.nextGaussian();
        }
        params.put(wKey, new NdArray(weightShape.clone(), w));
        params.put(bKey, new NdArray(biasShape.clone(), b));
    }

    /** im2col: patches (n·L × C_in·taps). */
    double[] patches(double[] x, int n) {
        double[] pt = new double[Math.multiplyExact(Math.multiplyExact(n, len), pw)];
        for (int i = 0; i < n; i++) {
            int xo = i * len * cin;
            for (int p = 0; p < len; p++) {
                int row = (i * len + p) * pw;
                for (int t = 0; t < taps; t++) {
                    int s = source[p * taps + t];
                    if (s >= 0) {
                        int so = xo + s * cin;
                        for (int c = 0; c < cin; c++) {
                            pt[row + c * taps + t] = x[so + c];
                        }
                    }
                }
            }
        }
        return pt;
    }

    /** The adjoint of im2col: dx(i, source(p, t), c') += dP[(i, p), c'·taps + t]. */
    double[] col2im(double[] dp, int n) {
        double[] dx = new double[n * len * cin];
        for (int i = 0; i < n; i++) {
            int xo = i * len * cin;
            for (int p = 0; p < len; p++) {
                int row = (i * len + p) * pw;
                for (int t = 0; t < taps; t++) {
                    int s = source[p * taps + t];
                    if (s >= 0) {
                        int so = xo + s * cin;
                        for (int c = 0; c < cin; c++) {
                            dx[so + c] += dp[row + c * taps + t];
                        }
                    }
                }
            }
        }
        return dx;
    }

    private void addBias(double[] b, double scale, double[] y, int rows) {
        if (scale == 0.0) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            int off = r * cout;
            int bo = local ? (r % len) * cout : 0;
            for (int c = 0; c < cout; c++) {
                y[off + c] += scale * b[bo + c];
            }
        }
    }

    /**
     * Y += alpha·P Wᵀ: one GEMM for a shared filter; for untied filters one per position p over the n examples, on
     * position-major copies (position p's rows contiguous; P given so, {@link #byPosition}).
     */
    private void multiplyWeights(int n, double alpha, double[] pt, double[] w, double[] y) {
        if (!local) {
            Linalg.gemm(false, true, n * len, cout, pw, alpha, pt, w, 1.0, y);
            return;
        }
        double[] ypm = new double[n * len * cout];
        for (int p = 0; p < len; p++) {
            Linalg.gemm(false, true, n, cout, pw, alpha, pt, p * n * pw, pw, w, p * cout * pw, pw, 0.0, ypm,
                    p * n * cout, cout);
        }
        addBySample(ypm, n, cout, y);
    }

    /** The rows (i, p) of a (n·L × width) array reordered position-major, (p, i). */
    double[] byPosition(double[] a, int n, int width) {
        double[] out = new double[a.length];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < len; p++) {
                System.arraycopy(a, (i * len + p) * width, out, (p * n + i) * width, width);
            }
        }
        return out;
    }

    /** out[(i, p)] += a[(p, i)]: a position-major array added back in the sample-major order. */
    private void addBySample(double[] a, int n, int width, double[] out) {
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < len; p++) {
                int o = (i * len + p) * width;
                int r = (p * n + i) * width;
                for (int c = 0; c < width; c++) {
                    out[o + c] += a[r + c];
                }
            }
        }
    }

    @Override
    public double[] forward(Params p, double[] x, int n, Tape tape) {
        double[] pt = local ? byPosition(patches(x, n), n, pw) : patches(x, n);
        tape.put(slot, pt); // position-major when local
        int rows = n * len;
        double[] y = new double[rows * cout];
        addBias(p.data(bKey), bScale, y, rows);
        multiplyWeights(n, wScale, pt, p.data(wKey), y); // Y += s·P Wᵀ
        return y;
    }

    @Override
    public double[] backward(Params p, double[] dy, int n, Tape tape, Params grad, GradientSink sink) {
        double[] pt = tape.get(slot);
        int rows = n * len;
        if (sink != null) {
            sink.accept(wKey.substring(0, wKey.length() - 2), local ? new LocalGradient(this, pt,
                    byPosition(dy, n, cout), n) : new Gradient(this, pt, dy, n));
        }
        if (local) {
            return backwardLocal(p, dy, n, pt, grad);
        }
        if (grad != null) {
            // ∂L/∂W = s·dYᵀ P (C_out × C_in·taps), ∂L/∂b = s_b·Σ_rows dY
            Linalg.gemm(true, false, cout, pw, rows, wScale, dy, pt, 1.0, grad.data(wKey));
            double[] gb = grad.data(bKey);
            for (int r = 0; r < rows; r++) {
                int off = r * cout;
                for (int c = 0; c < cout; c++) {
                    gb[c] += bScale * dy[off + c];
                }
            }
        }
        double[] dpt = new double[rows * pw];
        Linalg.gemm(false, false, rows, pw, cout, wScale, dy, p.data(wKey), 0.0, dpt); // dP = s·dY W
        return col2im(dpt, n);
    }

    /**
     * The untied backward pass, position by position on position-major copies (pt is): ∂L/∂W_p = s·dY_pᵀ P_p,
     * ∂L/∂b_p = s_b·Σ_i dY_p, dP_p = s·dY_p W_p.
     */
    private double[] backwardLocal(Params p, double[] dy, int n, double[] pt, Params grad) {
        double[] dym = byPosition(dy, n, cout);
        double[] w = p.data(wKey);
        if (grad != null) {
            double[] gw = grad.data(wKey);
            double[] gb = grad.data(bKey);
            for (int q = 0; q < len; q++) {
                Linalg.gemm(true, false, cout, pw, n, wScale, dym, q * n * cout, cout, pt, q * n * pw, pw, 1.0, gw,
                        q * cout * pw, pw);
                for (int i = 0; i < n; i++) {
                    int off = (q * n + i) * cout;
                    for (int c = 0; c < cout; c++) {
                        gb[q * cout + c] += bScale * dym[off + c];
                    }
                }
            }
        }
        double[] dpm = new double[n * len * pw];
        for (int q = 0; q < len; q++) {
            Linalg.gemm(false, false, n, pw, cout, wScale, dym, q * n * cout, cout, w, q * cout * pw, pw, 0.0, dpm,
                    q * n * pw, pw);
        }
        double[] dpt = new double[dpm.length];
        addBySample(dpm, n, pw, dpt);
        return col2im(dpt, n);
    }

    @Override
    public double[] jvp(Params p, Params dp, double[] dx, int n, Tape tape) {
        double[] pt = tape.get(slot);
        int rows = n * len;
        double[] dy = new double[rows * cout];
        if (dp != null) {
            addBias(dp.data(bKey), bScale, dy, rows);
            multiplyWeights(n, wScale, pt, dp.data(wKey), dy); // s·P dWᵀ
        }
        if (dx != null) {
            double[] px = patches(dx, n);
            multiplyWeights(n, wScale, local ? byPosition(px, n, pw) : px, p.data(wKey), dy); // s·P(dx) Wᵀ
        }
        return dy;
    }

    /**
     * Per-example gradients of a convolution for one output: G_i = wScale·Σ_p δ_i(p) ⊗ patch_i(p) (C_out × C_in·taps,
     * W's own layout) and B_i = bScale·Σ_p δ_i(p), formed by one small GEMM per example; the layer's NTK contribution
     * is G(x1)·G(x2)ᵀ + B(x1)·B(x2)ᵀ, two GEMMs.
     */
    static final class Gradient implements LayerGradient {
        final int n;
        final int wCount;
        final int cout;
        final double[] g;
        final double[] b;

        Gradient(PatchConvolution f, double[] patches, double[] delta, int n) {
            this.n = n;
            this.cout = f.cout;
            this.wCount = f.cout * f.pw;
            this.g = new double[Math.multiplyExact(n, wCount)];
            this.b = new double[n * cout];
            for (int i = 0; i < n; i++) {
                // G_i = s·δ_iᵀ P_i: (C_out × L)(L × C_in·taps)
                Linalg.gemm(true, false, cout, f.pw, f.len, f.wScale, delta, i * f.len * cout, cout, patches,
                        i * f.len * f.pw, f.pw, 0.0, g, i * wCount, f.pw);
                for (int p = 0; p < f.len; p++) {
                    int off = (i * f.len + p) * cout;
                    for (int c = 0; c < cout; c++) {
                        b[i * cout + c] += f.bScale * delta[off + c];
                    }
                }
            }
        }

        @Override
        public int examples() {
            return n;
        }

        @Override
        public long parameters() {
            return (long) wCount + cout;
        }

        @Override
        public void addGram(LayerGradient other, Object shared, double weight, double[] out) {
            Gradient o = (Gradient) other;
            Linalg.gemm(false, true, n, o.n, wCount, weight, g, o.g, 1.0, out);
            Linalg.gemm(false, true, n, o.n, cout, weight, b, o.b, 1.0, out);
        }

        /** Columns: W (c·C_in·taps + c'·taps + t), then b. */
        @Override
        public void jacobian(long c0, int cols, double[] out, int o, int a) {
            for (int i = 0; i < n; i++) {
                int row = (i * o + a) * cols;
                for (int c = 0; c < cols; c++) {
                    long col = c0 + c;
                    out[row + c] = col < wCount ? g[i * wCount + (int) col] : b[i * cout + (int) (col - wCount)];
                }
            }
        }
    }

    /**
     * Per-example gradients of a locally connected layer for one output, kept factored: position p's filter has the
     * gradient wScale·δ_i(p) ⊗ patch_i(p) and its bias bScale·δ_i(p), so the layer's NTK contribution is
     * Σ_p (δ_i(p)·δ'_j(p))·(wScale²·patch_i(p)·patch'_j(p) + bScale²): per position an (n1 × n2) GEMM of the deltas,
     * and one of the patches shared by every pair of outputs ({@link #share}). No L·C_out·C_in·k² row per example is
     * formed.
     */
    static final class LocalGradient implements LayerGradient {
        final PatchConvolution f;
        final int n;
        final double[] patches;
        final double[] delta;

        LocalGradient(PatchConvolution f, double[] patches, double[] delta, int n) {
            this.f = f;
            this.n = n;
            this.patches = patches;
            this.delta = delta; // position-major, as patches
        }

        @Override
        public int examples() {
            return n;
        }

        @Override
        public long parameters() {
            return (long) f.len * f.cout * (f.pw + 1);
        }

        /** Per position p: wScale²·P_p P'_pᵀ + bScale² (n1 × n2), position-major. */
        @Override
        public Object share(LayerGradient other) {
            LocalGradient o = (LocalGradient) other;
            int len = f.len;
            int pw = f.pw;
            double[] q = new double[Math.multiplyExact(len, n * o.n)];
            double b2 = f.bScale * f.bScale;
            for (int p = 0; p < len; p++) {
                int qo = p * n * o.n;
                java.util.Arrays.fill(q, qo, qo + n * o.n, b2);
                Linalg.gemm(false, true, n, o.n, pw, f.wScale * f.wScale, patches, p * n * pw, pw, o.patches,
                        p * o.n * pw, pw, 1.0, q, qo, o.n);
            }
            return q;
        }

        @Override
        public void addGram(LayerGradient other, Object shared, double weight, double[] out) {
            LocalGradient o = (LocalGradient) other;
            double[] q = shared != null ? (double[]) shared : (double[]) share(other);
            int len = f.len;
            int cout = f.cout;
            int m = n * o.n;
            double[] d = new double[m];
            for (int p = 0; p < len; p++) {
                Linalg.gemm(false, true, n, o.n, cout, 1.0, delta, p * n * cout, cout, o.delta, p * o.n * cout, cout,
                        0.0, d, 0, o.n);
                int qo = p * m;
                for (int e = 0; e < m; e++) {
                    out[e] += weight * d[e] * q[qo + e];
                }
            }
        }

        /** Columns: W (p·C_out·C_in·taps + c·C_in·taps + c'·taps + t), then b (p·C_out + c). */
        @Override
        public void jacobian(long c0, int cols, double[] out, int o, int a) {
            long wCount = (long) f.len * f.cout * f.pw;
            int filter = f.cout * f.pw;
            for (int i = 0; i < n; i++) {
                int row = (i * o + a) * cols;
                for (int c = 0; c < cols; c++) {
                    long col = c0 + c;
                    if (col < wCount) {
                        int p = (int) (col / filter);
                        int r = (int) (col - (long) p * filter);
                        int ch = r / f.pw;
                        out[row + c] = f.wScale * delta[(p * n + i) * f.cout + ch]
                                * patches[(p * n + i) * f.pw + r - ch * f.pw];
                    } else {
                        int pc = (int) (col - wCount);
                        int p = pc / f.cout;
                        out[row + c] = f.bScale * delta[(p * n + i) * f.cout + pc - p * f.cout];
                    }
                }
            }
        }
    }
}
