package ntk.layers;

import ntk.BadInputException;
import ntk.Shape;
import ntk.protocol.Binding;
import ntk.protocol.FiniteOp;
import ntk.protocol.GradientSink;
import ntk.protocol.KernelMap;
import ntk.protocol.Layer;
import ntk.protocol.LayerKind;
import ntk.Params;
import ntk.protocol.Tape;

/**
 * {@code GlobalAvgPool}: the mean over positions, (L, C) → (C) (an image (H, W, C) has L = H·W), a readout from a convolutional stack to a
 * dense one. Finite width: y(c) = (1/L) Σ_p x(p, c). Infinite width: a linear map, so
 * Σ_out = (1/L²) Σ_{p,p'} Σ(p, p') and Θ_out = (1/L²) Σ_{p,p'} Θ(p, p') (global average pooling: Novak et al. 2019,
 * §3.1; Arora et al. 2019, §4) — it needs every position pair, so the engine tracks all L offsets.
 */
public final class GlobalAvgPool implements Layer {
    /** GlobalAvgPool: no parameters. */
    public static final LayerKind KIND = LayerKind.of("GlobalAvgPool", a -> new GlobalAvgPool());

    @Override
    public String spec() {
        return KIND.spec();
    }

    @Override
    public boolean convolutional() {
        return true;
    }

    /** The mean over all L² position pairs needs every circular offset of the spatial tiles. */
    @Override
    public boolean readsAllOffsets() {
        return true;
    }

    @Override
    public Shape outputShape(Shape input) {
        if (!input.spatial()) {
            throw new BadInputException("GlobalAvgPool takes a signal or an image but gets a flat input of"
                    + " width " + input.channels());
        }
        return Shape.dense(input.channels());
    }

    @Override
    public KernelMap kernelMap(Binding binding, Shape input) {
        outputShape(input);
        final int len = input.length();
        final double inv = 1.0 / ((double) len * len);
        // a mean of Gaussians is Gaussian: binding.gaussian is unchanged
        return t -> {
            if (!t.allOffsets) {
                throw new IllegalStateException("GlobalAvgPool needs all " + len + " offsets, the tile tracks one");
            }
            // this tile's planes: all of them, or a run of them whose sums the engine adds up
            int m = t.offsets * len;
            t.sig[0] = Sweeps.sum(t.sig, m) * inv;
            if (t.computeNtk) {
                t.ntk[0] = Sweeps.sum(t.ntk, m) * inv;
            }
            t.n = 1;
        };
    }

    @Override
    public FiniteOp finiteOp(Binding binding, String key, Shape input) {
        outputShape(input);
        final int len = input.length();
        final int c = input.channels();
        final double inv = 1.0 / len;
        return new FiniteOp() {
            @Override
            public int outputWidth() {
                return c;
            }

            private double[] pool(double[] x, int n) {
                double[] y = new double[n * c];
                for (int i = 0; i < n; i++) {
                    for (int p = 0; p < len; p++) {
                        int off = (i * len + p) * c;
                        for (int ch = 0; ch < c; ch++) {
                            y[i * c + ch] += x[off + ch];
                        }
                    }
                    for (int ch = 0; ch < c; ch++) {
                        y[i * c + ch] *= inv;
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
                    for (int pos = 0; pos < len; pos++) {
                        int off = (i * len + pos) * c;
                        for (int ch = 0; ch < c; ch++) {
                            dx[off + ch] = dy[i * c + ch] * inv;
                        }
                    }
                }
                return dx;
            }

            @Override
            public double[] jvp(Params p, Params dp, double[] dx, int n, Tape tape) {
                return dx == null ? new double[n * c] : pool(dx, n);
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GlobalAvgPool;
    }

    @Override
    public int hashCode() {
        return 0x6A9;
    }

    @Override
    public String toString() {
        return spec();
    }
}
