package ntk.layers;

import ntk.BadInputException;
import ntk.Shape;
import ntk.protocol.Binding;
import ntk.protocol.FiniteOp;
import ntk.protocol.GradientSink;
import ntk.protocol.KernelMap;
import ntk.protocol.Layer;
import ntk.protocol.LayerKind;
import ntk.protocol.LayerKind.Parameter;
import ntk.Params;
import ntk.protocol.Tape;

/**
 * {@code AvgPool2D(k)}: the mean over k × k windows, stride k, no padding, (H, W, C) → (⌊H/k⌋, ⌊W/k⌋, C); a partial
 * window at the right or bottom edge is dropped (as PyTorch's avg_pool2d and neural-tangents' AvgPool with 'VALID').
 * Finite width: y(P, c) = (1/k²) Σ_{u ∈ [0,k)²} x(k·P + u, c).
 *
 * <p>Infinite width: a linear map, so Σ'(P, P') = (1/k⁴) Σ_{u, v ∈ [0,k)²} Σ(kP + u, kP' + v) and likewise Θ
 * (Novak et al. 2019, §3.1; Arora et al. 2019, §4). It mixes the offset planes of the tile, so the engine tracks all
 * of them when a network has one; the output state is again every position pair, in offset planes of the smaller
 * image.
 */
public final class AvgPool2D implements Layer {
    /** AvgPool2D(k). */
    public static final LayerKind KIND = LayerKind.of("AvgPool2D", a -> new AvgPool2D((int) a[0]),
            Parameter.positiveInteger("k"));

    /** The window edge (and stride). */
    public final int k;

    /**
     * k × k average pooling, stride k, no padding.
     *
     * @param k the window edge, positive
     */
    public AvgPool2D(int k) {
        if (k <= 0) {
            throw new BadInputException("AvgPool2D(" + k + "): the window k must be positive, got " + k);
        }
        this.k = k;
    }

    @Override
    public String spec() {
        return KIND.spec(k);
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
    public boolean mixesOffsets() {
        return true;
    }

    @Override
    public Shape outputShape(Shape input) {
        if (!input.image()) {
            throw new BadInputException(spec() + " takes images of shape (height, width, channels) but gets "
                    + (input.spatial() ? "signals of shape " + input : "a flat input of width " + input.channels()));
        }
        if (k > input.rows() || k > input.width()) {
            throw new BadInputException(spec() + ": the window " + k + " x " + k + " is larger than the image "
                    + input.rows() + " x " + input.width());
        }
        return Shape.image(input.rows() / k, input.width() / k, input.channels());
    }

    @Override
    public KernelMap kernelMap(Binding binding, Shape input) {
        Shape out = outputShape(input);
        final int h = input.rows();
        final int w = input.width();
        final int len = input.length();
        final int ho = out.rows();
        final int wo = out.width();
        final int lo = out.length();
        final double inv = 1.0 / ((double) k * k * k * k);
        // a mean of Gaussians is Gaussian: binding.gaussian is unchanged
        return t -> {
            if (!t.allOffsets || t.offsets != len || t.offsetStart != 0) {
                throw new IllegalStateException("AvgPool2D needs all " + len + " offset planes, the tile holds "
                        + t.offsets);
            }
            pool(t.sig, t.q1, h, w, len, ho, wo, lo, inv);
            System.arraycopy(t.q1, 0, t.sig, 0, lo * lo);
            if (t.computeNtk) {
                pool(t.ntk, t.q1, h, w, len, ho, wo, lo, inv);
                System.arraycopy(t.q1, 0, t.ntk, 0, lo * lo);
            }
            t.length = lo;
            t.width = wo;
            t.offsets = lo;
            t.n = lo * lo;
        };
    }

    /** out[(D, P)] = inv · Σ_{u, v} in[plane (kP' + v) − (kP + u) mod (H, W), position kP + u], P' = P ⊕ D. */
    private void pool(double[] in, double[] out, int h, int w, int len, int ho, int wo, int lo, double inv) {
        for (int dh = 0; dh < ho; dh++) {
            for (int dw = 0; dw < wo; dw++) {
                int obase = (dh * wo + dw) * lo;
                for (int ph = 0; ph < ho; ph++) {
                    int qh = ph + dh < ho ? ph + dh : ph + dh - ho; // partner row P'h
                    for (int pw = 0; pw < wo; pw++) {
                        int qw = pw + dw < wo ? pw + dw : pw + dw - wo;
                        double s = 0;
                        for (int uh = 0; uh < k; uh++) {
                            int ah = k * ph + uh;
                            for (int uw = 0; uw < k; uw++) {
                                int aw = k * pw + uw;
                                int apos = ah * w + aw;
                                for (int vh = 0; vh < k; vh++) {
                                    int eh = Math.floorMod(k * qh + vh - ah, h);
                                    for (int vw = 0; vw < k; vw++) {
                                        int ew = Math.floorMod(k * qw + vw - aw, w);
                                        s += in[(eh * w + ew) * len + apos];
                                    }
                                }
                            }
                        }
                        out[obase + ph * wo + pw] = s * inv;
                    }
                }
            }
        }
    }

    @Override
    public FiniteOp finiteOp(Binding binding, String key, Shape input) {
        Shape out = outputShape(input);
        final int w = input.width();
        final int len = input.length();
        final int c = input.channels();
        final int ho = out.rows();
        final int wo = out.width();
        final int lo = out.length();
        final double inv = 1.0 / ((double) k * k);
        return new FiniteOp() {
            @Override
            public int outputWidth() {
                return lo * c;
            }

            private double[] pool(double[] x, int n) {
                double[] y = new double[n * lo * c];
                for (int i = 0; i < n; i++) {
                    for (int ph = 0; ph < ho; ph++) {
                        for (int pw = 0; pw < wo; pw++) {
                            int yo = (i * lo + ph * wo + pw) * c;
                            for (int uh = 0; uh < k; uh++) {
                                for (int uw = 0; uw < k; uw++) {
                                    int xo = (i * len + (k * ph + uh) * w + k * pw + uw) * c;
                                    for (int ch = 0; ch < c; ch++) {
                                        y[yo + ch] += x[xo + ch];
                                    }
                                }
                            }
                            for (int ch = 0; ch < c; ch++) {
                                y[yo + ch] *= inv;
                            }
                        }
                    }
                }
                return y;
            }

            @Override
            public double[] forward(Params p, double[] x, int n, Tape tape) {
                return pool(x, n);
            }

            @Override
            public double[] backward(Params p, double[] dy, int n, Tape tape, Params grad, GradientSink sink) {
                double[] dx = new double[n * len * c];
                for (int i = 0; i < n; i++) {
                    for (int ph = 0; ph < ho; ph++) {
                        for (int pw = 0; pw < wo; pw++) {
                            int yo = (i * lo + ph * wo + pw) * c;
                            for (int uh = 0; uh < k; uh++) {
                                for (int uw = 0; uw < k; uw++) {
                                    int xo = (i * len + (k * ph + uh) * w + k * pw + uw) * c;
                                    for (int ch = 0; ch < c; ch++) {
                                        dx[xo + ch] = dy[yo + ch] * inv;
                                    }
                                }
                            }
                        }
                    }
                }
                return dx;
            }

            @Override
            public double[] jvp(Params p, Params dp, double[] dx, int n, Tape tape) {
                return dx == null ? new double[n * lo * c] : pool(dx, n);
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AvgPool2D a && a.k == k;
    }

    @Override
    public int hashCode() {
        return 0xA2D * 31 + k;
    }

    @Override
    public String toString() {
        return spec();
    }
}
