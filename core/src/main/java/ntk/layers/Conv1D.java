package ntk.layers;

import java.util.Map;
import java.util.SplittableRandom;
import ntk.BadInputException;
import ntk.Parameterization;
import ntk.Shape;
import ntk.io.NdArray;
import ntk.linalg.Linalg;
import ntk.protocol.Binding;
import ntk.protocol.FiniteOp;
import ntk.protocol.GradientSink;
import ntk.protocol.KernelMap;
import ntk.protocol.Layer;
import ntk.protocol.LayerKind;
import ntk.protocol.LayerKind.Parameter;
import ntk.protocol.LayerGradient;
import ntk.protocol.Params;
import ntk.protocol.Tape;

/**
 * 1-D convolution {@code Conv1D(channels, k, W_std, b_std)} (README "Command line"): filter size k = 2q+1 (odd),
 * circular padding, stride 1, on signals of shape (length L, channels C_in), position-major.
 *
 * <p>Finite width: raw W of shape (C_out, C_in, k) and b (C_out); NTK parameterisation
 * y(p, c) = (W_std/√(k·C_in)) Σ_{j=-q..q} Σ_c' W[c, c', j+q] x(p+j mod L, c') + b_std·b[c]; standard
 * W ~ N(0, W_std²/(k·C_in)), b ~ N(0, b_std²), y = W * x + b. Computed as im2col patches (n·L × C_in·k)
 * times Wᵀ by one BLAS GEMM.
 *
 * <p>Infinite width, on the per-pair state Σ(p, p') over position pairs (the CNN-GP recursion of Novak et al.
 * 2019, §2.2, and the CNTK of Arora et al. 2019, §4 — Hayou et al., Prop. 1 applied per position pair):
 * Σ'(p, p') = (W_std²/k) Σ_j Σ(p+j, p'+j) + b_std².
 * NTK parameterisation: the layer's own parameters contribute Σ', so Θ'(p, p') = (W_std²/k) Σ_j Θ(p+j, p'+j) + Σ'
 * (Arora et al. 2019, §4). Standard: ∂y(p,c)/∂W[c,c',j] = x(p+j, c') and ∂y/∂b = 1 for the raw parameters, so
 * they contribute Σ_{j,c'} x(p+j,c')x'(p'+j,c') + 1 = C_in·Σ_j Σ(p+j, p'+j) + 1, and the weights back-propagate
 * (W_std²/(k·C_in))·C_in·Σ_j Θ(p+j, p'+j): Θ' = W_std²(1/k)Σ_j Θ(p+j, p'+j) + C_in Σ_j Σ(p+j, p'+j) + 1.
 * A convolution keeps the offset p' − p of each position pair.
 */
public final class Conv1D implements Layer {
    /** Conv1D(channels, k[, W_std][, b_std]): its name, parameters and defaults, for the parser and spec(). */
    public static final LayerKind KIND = LayerKind.of("Conv1D", a -> new Conv1D((int) a[0], (int) a[1], a[2], a[3]),
            Parameter.positiveInteger("channels"), Parameter.positiveInteger("k"), Parameter.number("W_std", 1.0),
            Parameter.number("b_std", 0.0));

    public final int channels;
    public final int k;
    public final double wStd;
    public final double bStd;

    public Conv1D(int channels, int k, double wStd, double bStd) {
        String self = "Conv1D(" + channels + ", " + k + ")";
        if (channels <= 0) {
            throw new BadInputException(self + ": channels must be positive, got " + channels);
        }
        if (k <= 0 || k % 2 == 0) {
            throw new BadInputException(self + ": filter size k must be a positive odd number (circular 'same'"
                    + " padding centres the filter), got " + k);
        }
        AffineRule.checkStds(self, wStd, bStd);
        this.channels = channels;
        this.k = k;
        this.wStd = wStd;
        this.bStd = bStd;
    }

    public Conv1D(int channels, int k) {
        this(channels, k, 1.0, 0.0);
    }

    @Override
    public String spec() {
        return KIND.spec(channels, k, wStd, bStd);
    }

    @Override
    public boolean convolutional() {
        return true;
    }

    @Override
    public Shape outputShape(Shape input) {
        if (!input.spatial()) {
            throw new BadInputException(spec() + " takes signals of shape (length, channels) but gets a flat input"
                    + " of width " + input.channels() + "; convolutional networks take inputs (n, length, channels)");
        }
        if (input.image()) {
            throw new BadInputException(spec() + " takes signals of shape (length, channels) but gets images of shape "
                    + input + "; use Conv2D for images");
        }
        if (k > input.length()) {
            throw new BadInputException(spec() + ": filter size " + k + " is wider than the signal length "
                    + input.length());
        }
        return new Shape(input.length(), channels);
    }

    @Override
    public KernelMap kernelMap(Binding binding, Shape input) {
        outputShape(input);
        final AffineRule rule = AffineRule.of(binding.parameterization, wStd, bStd, input.channels(), k);
        final int q = k / 2;
        final int len = input.length();
        binding.gaussian = true; // each output is a sum over k·C_in independent weights (Novak et al. 2019, §2.2)
        return t -> {
            double[] w = t.work; // [0, L): window sums of Σ, [L, 2L): of Θ
            for (int di = 0; di < t.offsets; di++) {
                int base = di * len;
                window(t.sig, base, len, q, w, 0);
                if (t.computeNtk) {
                    window(t.ntk, base, len, q, w, len);
                }
                rule.update(t.sig, t.ntk, base, w, 0, w, len, len, t.computeNtk);
            }
        };
    }

    /** out[o + p] = Σ_{j=-q..q} a[base + (p + j mod L)]: the circular window sum along one offset row. */
    static void window(double[] a, int base, int len, int q, double[] out, int o) {
        for (int p = 0; p < len; p++) {
            double s = 0;
            for (int j = -q; j <= q; j++) {
                int i = p + j;
                if (i < 0) {
                    i += len;
                } else if (i >= len) {
                    i -= len;
                }
                s += a[base + i];
            }
            out[o + p] = s;
        }
    }

    @Override
    public FiniteOp finiteOp(Binding binding, String key, Shape input) {
        outputShape(input);
        return new Finite(this, binding.parameterization, key, input, binding.newTapeSlot());
    }

    /** The finite-width life of a Conv1D layer. */
    static final class Finite implements FiniteOp {
        final Conv1D layer;
        final String wKey;
        final String bKey;
        final int len;
        final int cin;
        final int cout;
        final int k;
        final int q;
        /** Patch width C_in·k: column c'·k + j of a patch row is x(p + j − q, c'), matching W[c, c', j]. */
        final int pw;
        final AffineRule rule;
        final double wScale;
        final double bScale;
        final int slot;

        Finite(Conv1D layer, Parameterization p, String key, Shape in, int slot) {
            this.layer = layer;
            this.wKey = key + ".W";
            this.bKey = key + ".b";
            this.len = in.length();
            this.cin = in.channels();
            this.cout = layer.channels;
            this.k = layer.k;
            this.q = k / 2;
            this.pw = cin * k;
            this.rule = AffineRule.of(p, layer.wStd, layer.bStd, cin, k);
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
            shapes.put(wKey, new int[] {cout, cin, k});
            shapes.put(bKey, new int[] {cout});
        }

        @Override
        public void init(Params params, long seed) {
            // NTK: raw N(0, 1); standard: W ~ N(0, W_std²/(k·C_in)), b ~ N(0, b_std²) (README "Command line").
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
            params.put(wKey, new NdArray(new int[] {cout, cin, k}, w));
            params.put(bKey, new NdArray(new int[] {cout}, b));
        }

        /** im2col with circular padding: patches (n·L × C_in·k), row (i, p), column c'·k + j = x(i, p + j − q mod L, c'). */
        double[] patches(double[] x, int n) {
            double[] pt = new double[Math.multiplyExact(Math.multiplyExact(n, len), pw)];
            for (int i = 0; i < n; i++) {
                int xo = i * len * cin;
                for (int p = 0; p < len; p++) {
                    int row = (i * len + p) * pw;
                    for (int j = 0; j < k; j++) {
                        int src = Math.floorMod(p + j - q, len);
                        int so = xo + src * cin;
                        for (int c = 0; c < cin; c++) {
                            pt[row + c * k + j] = x[so + c];
                        }
                    }
                }
            }
            return pt;
        }

        /** The adjoint of im2col: dx(i, p + j − q, c') += dP[(i, p), c'·k + j]. */
        double[] col2im(double[] dp, int n) {
            double[] dx = new double[n * len * cin];
            for (int i = 0; i < n; i++) {
                int xo = i * len * cin;
                for (int p = 0; p < len; p++) {
                    int row = (i * len + p) * pw;
                    for (int j = 0; j < k; j++) {
                        int so = xo + Math.floorMod(p + j - q, len) * cin;
                        for (int c = 0; c < cin; c++) {
                            dx[so + c] += dp[row + c * k + j];
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
                // ∂L/∂W = s·dYᵀ P (C_out × C_in·k), ∂L/∂b = s_b·Σ_rows dY
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
    }

    /**
     * Per-example gradients of a Conv1D layer for one output: G_i = wScale·Σ_p δ_i(p) ⊗ patch_i(p)
     * (C_out × C_in·k, W's own layout) and B_i = bScale·Σ_p δ_i(p), formed by one small GEMM per example;
     * the layer's NTK contribution is G(x1)·G(x2)ᵀ + B(x1)·B(x2)ᵀ, two GEMMs.
     */
    static final class Gradient implements LayerGradient {
        final int n;
        final int wCount;
        final int cout;
        final double[] g;
        final double[] b;

        Gradient(Finite f, double[] patches, double[] delta, int n) {
            this(f.cout, f.pw, f.len, f.wScale, f.bScale, patches, delta, n);
        }

        /** For any convolution: C_out, patch width pw, positions len, the forward multipliers, patches (n·len × pw). */
        Gradient(int cout, int pw, int len, double wScale, double bScale, double[] patches, double[] delta, int n) {
            this.n = n;
            this.cout = cout;
            this.wCount = cout * pw;
            this.g = new double[Math.multiplyExact(n, wCount)];
            this.b = new double[n * cout];
            for (int i = 0; i < n; i++) {
                // G_i = s·δ_iᵀ P_i: (C_out × L)(L × C_in·k)
                Linalg.gemm(true, false, cout, pw, len, wScale, delta, i * len * cout, cout, patches,
                        i * len * pw, pw, 0.0, g, i * wCount, pw);
                for (int p = 0; p < len; p++) {
                    int off = (i * len + p) * cout;
                    for (int c = 0; c < cout; c++) {
                        b[i * cout + c] += bScale * delta[off + c];
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

        /** Columns: W (c·C_in·k + c'·k + j), then b. */
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

    @Override
    public boolean equals(Object o) {
        return o instanceof Conv1D d && d.channels == channels && d.k == k && d.wStd == wStd && d.bStd == bStd;
    }

    @Override
    public int hashCode() {
        return (Integer.hashCode(channels) * 31 + k) * 17 + Double.hashCode(wStd) * 7 + Double.hashCode(bStd);
    }

    @Override
    public String toString() {
        return spec();
    }
}
