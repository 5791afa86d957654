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
import ntk.protocol.Params;
import ntk.protocol.Tape;

/**
 * 2-D convolution {@code Conv2D(channels, k[, padding=circular|same][, W_std][, b_std])} (docs/cli.md): a k × k
 * filter (k = 2q+1 odd), stride 1, on images of shape (H, W, C_in) stored NHWC (position p = ph·W + pw);
 * {@code circular} padding (the default) wraps around both axes, {@code same} pads with zeros. The fan-in is k²·C_in,
 * padded zeros included (as neural-tangents' stax.Conv).
 *
 * <p>Finite width: raw W of shape (C_out, C_in, k, k) and b (C_out); NTK parameterisation
 * y(p, c) = (W_std/√(k²·C_in)) Σ_{jh,jw=-q..q} Σ_c' W[c, c', jh+q, jw+q] x(p + (jh, jw), c') + b_std·b[c]; standard
 * W ~ N(0, W_std²/(k²·C_in)), b ~ N(0, b_std²), y = W * x + b. Computed as im2col patches (n·H·W × C_in·k²) times Wᵀ
 * by one BLAS GEMM.
 *
 * <p>Infinite width, per pair of position pairs (the CNN-GP recursion of Novak et al. 2019, §2.2, and the CNTK of
 * Arora et al. 2019, §4, in two dimensions): with S(p, p') = Σ_{j ∈ [-q, q]²} Σ(p + j, p' + j) (terms outside the
 * image are zero with {@code same} padding; indices wrap with {@code circular}),
 * Σ'(p, p') = (W_std²/k²) S(p, p') + b_std²; NTK parameterisation Θ' = (W_std²/k²) Σ_j Θ(p + j, p' + j) + Σ';
 * standard Θ' = (W_std²/k²) Σ_j Θ(p + j, p' + j) + C_in·S + 1 (see {@link AffineRule}). A convolution keeps the
 * offset p' − p, so it acts on each offset plane of the tile alone, as a k × k box sum, separable into a sum along
 * rows and one along columns ({@link Windows}).
 */
public final class Conv2D implements Layer {
    /** Conv2D(channels, k[, padding][, W_std][, b_std]): its name, parameters and defaults. */
    public static final LayerKind KIND = LayerKind.of("Conv2D",
            a -> new Conv2D((int) a[0], (int) a[1], a[2] == 1 ? Padding.SAME : Padding.CIRCULAR, a[3], a[4]),
            Parameter.positiveInteger("channels"), Parameter.positiveInteger("k"),
            Parameter.choice("padding", "circular", "same"), Parameter.number("W_std", 1.0),
            Parameter.number("b_std", 0.0));

    /** How a convolution treats the positions past the edge: wrap around, or zeros. */
    public enum Padding { CIRCULAR, SAME }

    public final int channels;
    public final int k;
    public final Padding padding;
    public final double wStd;
    public final double bStd;

    public Conv2D(int channels, int k, Padding padding, double wStd, double bStd) {
        String self = "Conv2D(" + channels + ", " + k + ")";
        if (channels <= 0) {
            throw new BadInputException(self + ": channels must be positive, got " + channels);
        }
        if (k <= 0 || k % 2 == 0) {
            throw new BadInputException(self + ": filter size k must be a positive odd number (the filter is"
                    + " centred on each pixel), got " + k);
        }
        if (padding == null) {
            throw new BadInputException(self + ": padding must be circular or same");
        }
        AffineRule.checkStds(self, wStd, bStd);
        this.channels = channels;
        this.k = k;
        this.padding = padding;
        this.wStd = wStd;
        this.bStd = bStd;
    }

    /** Circular padding, W_std = 1, b_std = 0. */
    public Conv2D(int channels, int k) {
        this(channels, k, Padding.CIRCULAR, 1.0, 0.0);
    }

    @Override
    public String spec() {
        return KIND.spec(channels, k, padding == Padding.SAME ? 1 : 0, wStd, bStd);
    }

    @Override
    public boolean convolutional() {
        return true;
    }

    @Override
    public boolean twoDimensional() {
        return true;
    }

    @Override
    public Shape outputShape(Shape input) {
        if (!input.image()) {
            throw new BadInputException(spec() + " takes images of shape (height, width, channels) but gets "
                    + (input.spatial() ? "signals of shape " + input : "a flat input of width " + input.channels())
                    + "; 2-D convolutional networks take inputs (n, height, width, channels)");
        }
        return new Shape(input.length(), channels, input.height());
    }

    @Override
    public KernelMap kernelMap(Binding binding, Shape input) {
        outputShape(input);
        final AffineRule rule = AffineRule.of(binding.parameterization, wStd, bStd, input.channels(), k * k);
        final int q = k / 2;
        final int len = input.length();
        final int w = input.width();
        final int h = input.rows();
        final boolean circular = padding == Padding.CIRCULAR;
        binding.gaussian = true; // each output is a sum over k²·C_in independent weights (Novak et al. 2019, §2.2)
        return t -> {
            double[] work = t.work; // [0, L): row sums of a Σ plane, [L, 2L): of a Θ plane
            for (int di = 0; di < t.offsets; di++) {
                int d = t.offsetStart + di;
                int dh = d / w;
                Windows.conv(t.sig, t.computeNtk ? t.ntk : null, di * len, work, h, w, q, circular, dh, d - dh * w,
                        rule);
            }
        };
    }

    @Override
    public FiniteOp finiteOp(Binding binding, String key, Shape input) {
        outputShape(input);
        return new Finite(this, binding.parameterization, key, input, binding.newTapeSlot());
    }

    /** The finite-width life of a Conv2D layer. */
    static final class Finite implements FiniteOp {
        final String wKey;
        final String bKey;
        final int h;
        final int w;
        final int len;
        final int cin;
        final int cout;
        final int k;
        final int q;
        final boolean circular;
        /** Patch width C_in·k²: column c'·k² + jh·k + jw of a patch row is x(p + (jh − q, jw − q), c'), as W[c, c', jh, jw]. */
        final int pw;
        final AffineRule rule;
        final double wScale;
        final double bScale;
        final int slot;

        Finite(Conv2D layer, Parameterization p, String key, Shape in, int slot) {
            this.wKey = key + ".W";
            this.bKey = key + ".b";
            this.h = in.rows();
            this.w = in.width();
            this.len = in.length();
            this.cin = in.channels();
            this.cout = layer.channels;
            this.k = layer.k;
            this.q = k / 2;
            this.circular = layer.padding == Padding.CIRCULAR;
            this.pw = Math.multiplyExact(cin, k * k);
            this.rule = AffineRule.of(p, layer.wStd, layer.bStd, cin, k * k);
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
            shapes.put(wKey, new int[] {cout, cin, k, k});
            shapes.put(bKey, new int[] {cout});
        }

        @Override
        public void init(Params params, long seed) {
            double ws = rule.weightInitStd();
            double bs = rule.biasInitStd();
            SplittableRandom rw = new SplittableRandom(Dense.streamSeed(seed, wKey));
            double[] wt = new double[cout * pw];
            for (int i = 0; i < wt.length; i++) {
                wt[i] = ws * rw.nextGaussian();
            }
            SplittableRandom rb = new SplittableRandom(Dense.streamSeed(seed, bKey));
            double[] b = new double[cout];
            for (int i = 0; i < cout; i++) {
                b[i] = bs * rb.nextGaussian();
            }
            params.put(wKey, new NdArray(new int[] {cout, cin, k, k}, wt));
            params.put(bKey, new NdArray(new int[] {cout}, b));
        }

        /** The source position of tap j along an axis of size n, or -1 past a zero-padded edge. */
        private int source(int p, int j, int n) {
            int s = p + j - q;
            if (circular) {
                return Math.floorMod(s, n);
            }
            return s < 0 || s >= n ? -1 : s;
        }

        /** im2col: patches (n·L × C_in·k²), row (i, p), column c'·k² + jh·k + jw. */
        double[] patches(double[] x, int n) {
            double[] pt = new double[Math.multiplyExact(Math.multiplyExact(n, len), pw)];
            final int kk = k * k;
            for (int i = 0; i < n; i++) {
                int xo = i * len * cin;
                for (int ph = 0; ph < h; ph++) {
                    for (int pc = 0; pc < w; pc++) {
                        int row = (i * len + ph * w + pc) * pw;
                        for (int jh = 0; jh < k; jh++) {
                            int sh = source(ph, jh, h);
                            if (sh < 0) {
                                continue;
                            }
                            for (int jw = 0; jw < k; jw++) {
                                int sw = source(pc, jw, w);
                                if (sw < 0) {
                                    continue;
                                }
                                int so = xo + (sh * w + sw) * cin;
                                int col = row + jh * k + jw;
                                for (int c = 0; c < cin; c++) {
                                    pt[col + c * kk] = x[so + c];
                                }
                            }
                        }
                    }
                }
            }
            return pt;
        }

        /** The adjoint of im2col. */
        double[] col2im(double[] dp, int n) {
            double[] dx = new double[n * len * cin];
            final int kk = k * k;
            for (int i = 0; i < n; i++) {
                int xo = i * len * cin;
                for (int ph = 0; ph < h; ph++) {
                    for (int pc = 0; pc < w; pc++) {
                        int row = (i * len + ph * w + pc) * pw;
                        for (int jh = 0; jh < k; jh++) {
                            int sh = source(ph, jh, h);
                            if (sh < 0) {
                                continue;
                            }
                            for (int jw = 0; jw < k; jw++) {
                                int sw = source(pc, jw, w);
                                if (sw < 0) {
                                    continue;
                                }
                                int so = xo + (sh * w + sw) * cin;
                                int col = row + jh * k + jw;
                                for (int c = 0; c < cin; c++) {
                                    dx[so + c] += dp[col + c * kk];
                                }
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
                sink.accept(wKey.substring(0, wKey.length() - 2),
                        new Conv1D.Gradient(cout, pw, len, wScale, bScale, pt, dy, n));
            }
            if (grad != null) {
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
                Linalg.gemm(false, true, rows, cout, pw, wScale, pt, dp.data(wKey), 1.0, dy);
            }
            if (dx != null) {
                Linalg.gemm(false, true, rows, cout, pw, wScale, patches(dx, n), p.data(wKey), 1.0, dy);
            }
            return dy;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Conv2D d && d.channels == channels && d.k == k && d.padding == padding && d.wStd == wStd
                && d.bStd == bStd;
    }

    @Override
    public int hashCode() {
        return ((Integer.hashCode(channels) * 31 + k) * 17 + padding.hashCode()) * 7 + Double.hashCode(wStd) * 3
                + Double.hashCode(bStd);
    }

    @Override
    public String toString() {
        return spec();
    }
}
