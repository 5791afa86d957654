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
 * {@code Flatten}: (L, C) → (L·C) (an image (H, W, C) has L = H·W, so this is NHWC order), position-major (feature p·C + c), a readout from a convolutional stack to a
 * dense one. Finite width: the identity on the stored values.
 *
 * <p>Infinite width: the next Dense has fan-in L·C and independent weights per (p, c), so its input's per-unit
 * covariance is (1/(L·C)) Σ_{p,c} x(p,c) x'(p,c) = (1/L) Σ_p Σ(p, p) and Σ_flat = (1/L) Σ_p Σ(p, p),
 * Θ_flat = (1/L) Σ_p Θ(p, p) (Novak et al. 2019, §3.1: vectorisation keeps only the diagonal position pairs).
 * With them Dense's own rules hold unchanged in both parameterisations — NTK: Θ' = W_std²Θ_flat + Σ'; standard:
 * the raw weights contribute Σ_{p,c} x x' = fan_in·Σ_flat with fan_in = L·C. Only the offset-0 pairs are
 * needed, so the engine tracks L entries per pair of inputs instead of L².
 */
public final class Flatten implements Layer {
    /** Flatten: no parameters. */
    public static final LayerKind KIND = LayerKind.of("Flatten", a -> new Flatten());

    @Override
    public String spec() {
        return KIND.spec();
    }

    @Override
    public boolean convolutional() {
        return true;
    }

    @Override
    public Shape outputShape(Shape input) {
        if (!input.spatial()) {
            throw new BadInputException("Flatten takes a signal or an image but gets a flat input of width "
                    + input.channels());
        }
        return Shape.dense(input.size());
    }

    @Override
    public KernelMap kernelMap(Binding binding, Shape input) {
        outputShape(input);
        final int len = input.length();
        final double inv = 1.0 / len;
        return t -> {
            double s = 0;
            for (int p = 0; p < len; p++) { // the δ = 0 row: Σ(p, p)
                s += t.sig[p];
            }
            t.sig[0] = s * inv;
            if (t.computeNtk) {
                double th = 0;
                for (int p = 0; p < len; p++) {
                    th += t.ntk[p];
                }
                t.ntk[0] = th * inv;
            }
            t.n = 1;
        };
    }

    @Override
    public FiniteOp finiteOp(Binding binding, String key, Shape input) {
        outputShape(input);
        final int size = input.size();
        return new FiniteOp() {
            @Override
            public int outputWidth() {
                return size;
            }

            @Override
            public double[] forward(Params p, double[] x, int n, Tape tape) {
                return x;
            }

            @Override
            public double[] backward(Params p, double[] dy, int n, Tape tape, Params grad, GradientSink sink) {
                return dy;
            }

            @Override
            public double[] jvp(Params p, Params dp, double[] dx, int n, Tape tape) {
                return dx == null ? new double[n * size] : dx;
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Flatten;
    }

    @Override
    public int hashCode() {
        return 0xF1A;
    }

    @Override
    public String toString() {
        return spec();
    }
}
