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
    }

    @Override
    public int outputWidth() {
        return len * cout;
    }

    @Override
    public void declare(Map<String, int[]> shapes) {
        shapes.put(wKey, weightShape.clone());
        shapes.put(bKey, new int[] {cout});
    }

    @Override
    public void init(Params params, long seed) {
        // NTK: raw N(0, 1); standard: W ~ N(0, W_std²/(taps·C_in)), b ~ N(0, b_std²) (docs/concepts.md)
        double ws = rule.weightInitStd();
        double bs = rule.biasInitStd();
        SplittableRandom rw = new SplittableRandom(Dense.streamSeed(seed, wKey));
        double[] w = new double[cout * pw];
        for (int i = 0; i < w.length; i++) {
            w[i] = ws * rw.nextGaussian();
        }
        SplittableRandom rb = new SplittableRandom(Dense.streamSeed(seed, bKey));
        double[] b = new double[cout];
        for (int i = 0; i < cout; i++) {
            b[i] = bs * rb.nextGaussian();
        }
        params.put(wKey, new NdArray(weightShape.clone(), w));
        params.put(bKey, new NdArray(new int[] {cout}, b));
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
            for (int c = 0; c < cout; c++) {
                y[off + c] += scale * b[c];
            }
        }
    }

    @Override
    public double[] forward(Params p, double[] x, int n, Tape tape) {
        double[] pt = patches(x, n);
        tape.put(slot, pt);
        int rows = n * len;
        double[] y = new double[rows * cout];
        addBias(p.data(bKey), bScale, y, rows);
        Linalg.gemm(false, true, rows, cout, pw, wScale, pt, p.data(wKey), 1.0, y); // Y += s·P Wᵀ
        return y;
    }

    @Override
    public double[] backward(Params p, double[] dy, int n, Tape tape, Params grad, GradientSink sink) {
        double[] pt = tape.get(slot);
        int rows = n * len;
        if (sink != null) {
            sink.accept(wKey.substring(0, wKey.length() - 2), new Gradient(this, pt, dy, n));
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

    @Override
    public double[] jvp(Params p, Params dp, double[] dx, int n, Tape tape) {
        double[] pt = tape.get(slot);
        int rows = n * len;
        double[] dy = new double[rows * cout];
        if (dp != null) {
            addBias(dp.data(bKey), bScale, dy, rows);
            Linalg.gemm(false, true, rows, cout, pw, wScale, pt, dp.data(wKey), 1.0, dy); // s·P dWᵀ
        }
        if (dx != null) {
            Linalg.gemm(false, true, rows, cout, pw, wScale, patches(dx, n), p.data(wKey), 1.0, dy); // s·P(dx) Wᵀ
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
}
