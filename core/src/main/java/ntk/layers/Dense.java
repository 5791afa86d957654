package ntk.layers;

import java.util.Map;
import java.util.SplittableRandom;
import ntk.BadInputException;
import ntk.Parameterization;
import ntk.Shape;
import ntk.NdArray;
import ntk.protocol.Binding;
import ntk.protocol.FiniteOp;
import ntk.protocol.GradientSink;
import ntk.protocol.KernelMap;
import ntk.protocol.Layer;
import ntk.protocol.LayerKind;
import ntk.protocol.LayerKind.Parameter;
import ntk.protocol.LayerGradient;
import ntk.Params;
import ntk.protocol.Tape;

/**
 * Affine layer {@code Dense(width, W_std, b_std)} (README "Command line").
 *
 * <p>Infinite width, both parameterisations: Σ' = W_std² Σ + b_std² (Jacot et al. 2018, Prop. 1),
 * with Σ the per-unit covariance of the input (xᵀx'/n₀ at the input).
 * NTK parameterisation: the layer's own parameters contribute W_std² Σ + b_std² = Σ', so
 * Θ' = W_std² Θ + Σ' (Jacot et al. Thm 1). Standard parameterisation: ∂y/∂W_ij = x_j and ∂y/∂b = 1
 * for the raw parameters, so they contribute fan_in·Σ + 1 and Θ' = W_std² Θ + fan_in·Σ + 1 — the
 * bias counts even when b_std = 0, since it is still a trained parameter (as in neural-tangents).
 *
 * <p>Finite width: raw W (fan_out × fan_in) and b; y = wScale·W x + bScale·b with (wScale, bScale) =
 * (W_std/√fan_in, b_std) in NTK parameterisation and (1, 1) in standard, where the raw draws carry
 * the variances instead (README "Command line").
 */
public final class Dense implements Layer {
    /** Dense(width[, W_std][, b_std]): its name, parameters and defaults, for the parser and spec(). */
    public static final LayerKind KIND = LayerKind.of("Dense", a -> new Dense((int) a[0], a[1], a[2]),
            Parameter.positiveInteger("width"), Parameter.number("W_std", 1.0), Parameter.number("b_std", 0.0));

    /** Output units. */
    public final int width;
    /** Weight standard deviation W_std. */
    public final double wStd;
    /** Bias standard deviation b_std. */
    public final double bStd;

    /**
     * An affine layer.
     *
     * @param width output units, positive
     * @param wStd W_std, positive
     * @param bStd b_std, non-negative
     */
    public Dense(int width, double wStd, double bStd) {
        if (width <= 0) {
            throw new BadInputException("Dense: width must be positive, got " + width);
        }
        AffineRule.checkStds("Dense", wStd, bStd);
        this.width = width;
        this.wStd = wStd;
        this.bStd = bStd;
    }

    /**
     * {@code Dense(width)} with W_std = 1, b_std = 0.
     *
     * @param width output units
     */
    public Dense(int width) {
        this(width, 1.0, 0.0);
    }

    /**
     * This layer with another weight standard deviation, for the named form {@code dense(512).withWStd(1.5)}.
     *
     * @param w the new W_std (finite, positive)
     * @return a new layer; this one is unchanged
     */
    public Dense withWStd(double w) {
        return new Dense(width, w, bStd);
    }

    /**
     * This layer with another bias standard deviation, for the named form {@code dense(512).withBStd(0.05)}.
     *
     * @param b the new b_std (finite, ≥ 0)
     * @return a new layer; this one is unchanged
     */
    public Dense withBStd(double b) {
        return new Dense(width, wStd, b);
    }

    @Override
    public String spec() {
        return KIND.spec(width, wStd, bStd);
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.spatial()) {
            throw new BadInputException(spec() + " takes a flat input but gets a signal of shape " + input
                    + "; end the convolutional layers with GlobalAvgPool or Flatten first");
        }
        return Shape.dense(width);
    }

    @Override
    public KernelMap kernelMap(Binding binding, Shape input) {
        outputShape(input);
        final AffineRule rule = AffineRule.of(binding.parameterization, wStd, bStd, input.size(), 1);
        binding.gaussian = true; // a sum of many independent terms (Jacot et al. Prop. 1)
        binding.ntkZero = false;
        return t -> rule.update(t.sig, t.ntk, 0, t.sig, 0, t.ntk, 0, t.n, t.computeNtk);
    }

    @Override
    public FiniteOp finiteOp(Binding binding, String key, Shape input) {
        outputShape(input);
        return new Finite(this, binding.parameterization, key, input.size(), binding.newTapeSlot());
    }

    /** Seeds a key's random stream from the network seed, so a layer's draws do not depend on the others. */
    static long streamSeed(long seed, String key) {
        long h = seed * 0x9E3779B97F4A7C15L + key.hashCode();
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    /** The finite-width life of a Dense layer. */
    static final class Finite implements FiniteOp {
        final Dense layer;
        final String wKey;
        final String bKey;
        final int in;
        final int out;
        final AffineRule rule;
        final double wScale;
        final double bScale;
        final int slot;

        Finite(Dense layer, Parameterization p, String key, int in, int slot) {
            this.layer = layer;
            this.wKey = key + ".W";
            this.bKey = key + ".b";
            this.in = in;
            this.out = layer.width;
            this.rule = AffineRule.of(p, layer.wStd, layer.bStd, in, 1);
            this.wScale = rule.weightScale();
            this.bScale = rule.biasScale();
            this.slot = slot;
        }

        @Override
        public int outputWidth() {
            return out;
        }

        @Override
        public void declare(Map<String, int[]> shapes) {
            shapes.put(wKey, new int[] {out, in});
            shapes.put(bKey, new int[] {out});
        }

        @Override
        public void init(Params params, long seed) {
            // NTK: raw N(0, 1); standard: W ~ N(0, W_std²/fan_in), b ~ N(0, b_std²) (README "Command line").
            double ws = rule.weightInitStd();
            double bs = rule.biasInitStd();
            SplittableRandom rw = new SplittableRandom(streamSeed(seed, wKey));
            double[] w = new double[out * in];
            for (int i = 0; i < w.length; i++) {
                w[i] = ws * rw.nextGaussian();
            }
            SplittableRandom rb = new SplittableRandom(streamSeed(seed, bKey));
            double[] b = new double[out];
            for (int i = 0; i < out; i++) {
                b[i] = bs * rb.nextGaussian();
            }
            params.put(wKey, new NdArray(new int[] {out, in}, w));
            params.put(bKey, new NdArray(new int[] {out}, b));
        }

        @Override
        public double[] forward(Params p, double[] x, int n, Tape tape) {
            tape.put(slot, x);
            double[] y = tape.buffer(slot, Tape.FORWARD, n * out); // overwritten whole: by the bias rows or beta = 0
            if (bScale != 0.0) {
                // the bias rows replace the GEMM's own zeroing pass of C
                double[] row = p.data(bKey).clone();
                for (int k = 0; k < out; k++) {
                    row[k] *= bScale;
                }
                for (int r = 0; r < n; r++) {
                    System.arraycopy(row, 0, y, r * out, out);
                }
            }
            ntk.linalg.Linalg.gemm(false, true, n, out, in, wScale, x, p.data(wKey), bScale != 0.0 ? 1.0 : 0.0, y);
            return y;
        }

        private void addBias(double[] b, double scale, double[] y, int n) {
            if (scale == 0.0) {
                return;
            }
            for (int r = 0; r < n; r++) {
                int off = r * out;
                for (int k = 0; k < out; k++) {
                    y[off + k] += scale * b[k];
                }
            }
        }

        @Override
        public double[] backward(Params p, double[] dy, int n, Tape tape, Params grad, GradientSink sink) {
            backwardParamsOnly(p, dy, n, tape, grad, sink);
            double[] dx = tape.buffer(slot, Tape.BACKWARD, n * in);
            ntk.linalg.Linalg.gemm(false, false, n, in, out, wScale, dy, p.data(wKey), 0.0, dx); // dX = s·dY W
            return dx;
        }

        @Override
        public double[] backwardParamsOnly(Params p, double[] dy, int n, Tape tape, Params grad, GradientSink sink) {
            double[] x = tape.get(slot);
            if (sink != null) {
                sink.accept(wKey.substring(0, wKey.length() - 2), new Gradient(in, out, wScale, bScale, x, dy, n));
            }
            if (grad != null) {
                // ∂L/∂W = s·dYᵀ X, ∂L/∂b = s_b·Σ_rows dY
                ntk.linalg.Linalg.gemm(true, false, out, in, n, wScale, dy, x, 1.0, grad.data(wKey));
                if (bScale != 0.0) {
                    // column sums of dY (row-major n × out = column-major out × n): one threaded GEMV
                    double[] ones = tape.buffer(slot, Tape.SCRATCH, n);
                    java.util.Arrays.fill(ones, 1.0);
                    ntk.linalg.Linalg.blas().dgemv("N", out, n, bScale, dy, Math.max(1, out), ones, 1, 1.0,
                            grad.data(bKey), 1);
                }
            }
            return null;
        }

        @Override
        public double[] jvp(Params p, Params dp, double[] dx, int n, Tape tape) {
            double[] x = tape.get(slot);
            double[] dy = new double[n * out];
            if (dp != null) {
                addBias(dp.data(bKey), bScale, dy, n);
                ntk.linalg.Linalg.gemm(false, true, n, out, in, wScale, x, dp.data(wKey), 1.0, dy); // s·X dWᵀ
            }
            if (dx != null) {
                ntk.linalg.Linalg.gemm(false, true, n, out, in, wScale, dx, p.data(wKey), 1.0, dy); // s·dX Wᵀ
            }
            return dy;
        }
    }

    /**
     * Per-example gradients of a Dense layer for one output: ∂f/∂W_kj = wScale·δ_k·α_j, ∂f/∂b_k = bScale·δ_k,
     * so its NTK contribution is wScale²(δ(x)·δ'(x'))(α(x)·α'(x')) + bScale²(δ(x)·δ'(x')) — two GEMMs of
     * n1×n2×width, the α Gram shared by all pairs of outputs.
     */
    static final class Gradient implements LayerGradient {
        final int in;
        final int out;
        final double ws;
        final double bs;
        final double[] alpha;
        final double[] delta;
        final int n;

        Gradient(int in, int out, double ws, double bs, double[] alpha, double[] delta, int n) {
            this.in = in;
            this.out = out;
            this.ws = ws;
            this.bs = bs;
            this.alpha = alpha;
            this.delta = delta;
            this.n = n;
        }

        @Override
        public int examples() {
            return n;
        }

        @Override
        public long parameters() {
            return (long) out * in + out;
        }

        /** {A = α(x1) α(x2)ᵀ, scratch for D}. */
        @Override
        public Object share(LayerGradient other) {
            Gradient g = (Gradient) other;
            double[] a = new double[Math.multiplyExact(n, g.n)];
            ntk.linalg.Linalg.gemm(false, true, n, g.n, in, 1.0, alpha, g.alpha, 0.0, a);
            return new double[][] {a, new double[a.length]};
        }

        @Override
        public void addGram(LayerGradient other, Object shared, double weight, double[] dst) {
            Gradient g = (Gradient) other;
            double[][] s = (double[][]) (shared == null ? share(other) : shared);
            double[] a = s[0];
            double[] d = s[1];
            ntk.linalg.Linalg.gemm(false, true, n, g.n, out, 1.0, delta, g.delta, 0.0, d); // D = δ(x1) δ(x2)ᵀ
            double ws2 = ws * ws;
            double bs2 = bs * bs;
            for (int i = 0; i < d.length; i++) {
                dst[i] += weight * d[i] * Math.fma(ws2, a[i], bs2);
            }
        }

        /** Columns: W row-major (k·in + j), then b (out·in + k). */
        @Override
        public void jacobian(long c0, int cols, double[] dst, int o, int a) {
            long wCount = (long) out * in;
            for (int i = 0; i < n; i++) {
                int row = (i * o + a) * cols;
                for (int c = 0; c < cols; c++) {
                    long col = c0 + c;
                    if (col < wCount) {
                        int k = (int) (col / in);
                        int j = (int) (col % in);
                        dst[row + c] = ws * delta[i * out + k] * alpha[i * in + j];
                    } else {
                        dst[row + c] = bs * delta[i * out + (int) (col - wCount)];
                    }
                }
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dense d && d.width == width && d.wStd == wStd && d.bStd == bStd;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(width) * 31 + Double.hashCode(wStd) * 17 + Double.hashCode(bStd);
    }

    @Override
    public String toString() {
        return spec();
    }
}
