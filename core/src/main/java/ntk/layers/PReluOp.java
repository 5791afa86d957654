package ntk.layers;

import java.util.Map;
import ntk.activations.PRelu;
import ntk.protocol.FiniteOp;
import ntk.protocol.GradientSink;
import ntk.protocol.LayerGradient;
import ntk.Params;
import ntk.protocol.Tape;
import ntk.NdArray;

/**
 * The finite-width life of {@code PReLU(alpha0)} (He et al. 2015, eq. 1): y = h for h &gt; 0, α·h otherwise, with one
 * learned α per layer (raw parameter "{key}.alpha", shape (1,), initialised to α₀ in both parameterisations, as
 * PyTorch's {@code nn.PReLU()}). ∂y/∂h = 1 or α; ∂y/∂α = min(h, 0) (eq. 4 of He et al.: the gradient of the shared
 * slope sums over every unit).
 */
final class PReluOp implements FiniteOp {
    private final double alpha0;
    private final String aKey;
    private final String prefix;
    private final int width;
    private final int slot;

    PReluOp(PRelu act, String key, int width, int slot) {
        this.alpha0 = act.alpha0();
        this.prefix = key;
        this.aKey = key + ".alpha";
        this.width = width;
        this.slot = slot;
    }

    @Override
    public int outputWidth() {
        return width;
    }

    @Override
    public void declare(Map<String, int[]> shapes) {
        shapes.put(aKey, new int[] {1});
    }

    @Override
    public void init(Params params, long seed) {
        params.put(aKey, new NdArray(new int[] {1}, new double[] {alpha0}));
    }

    @Override
    public double[] forward(Params p, double[] x, int n, Tape tape) {
        double a = p.data(aKey)[0];
        double[] y = tape.buffer(slot, Tape.FORWARD, x.length);
        for (int i = 0; i < y.length; i++) {
            double h = x[i];
            y[i] = h > 0.0 ? h : a * h;
        }
        tape.put(slot, x);
        return y;
    }

    @Override
    public double[] backward(Params p, double[] dy, int n, Tape tape, Params grad, GradientSink sink) {
        double[] x = tape.get(slot);
        double a = p.data(aKey)[0];
        double[] dx = tape.buffer(slot, Tape.BACKWARD, dy.length);
        double[] perExample = sink == null ? null : new double[n];
        double total = 0;
        for (int r = 0; r < n; r++) {
            double s = 0;
            int off = r * width;
            for (int k = 0; k < width; k++) {
                double h = x[off + k];
                double g = dy[off + k];
                if (h > 0.0) {
                    dx[off + k] = g;
                } else {
                    dx[off + k] = a * g;
                    s += g * h;
                }
            }
            total += s;
            if (perExample != null) {
                perExample[r] = s;
            }
        }
        if (grad != null) {
            grad.data(aKey)[0] += total;
        }
        if (sink != null) {
            sink.accept(prefix, new Gradient(perExample));
        }
        return dx;
    }

    @Override
    public double[] jvp(Params p, Params dp, double[] dx, int n, Tape tape) {
        double[] x = tape.get(slot);
        double a = p.data(aKey)[0];
        double da = dp == null ? 0.0 : dp.data(aKey)[0];
        double[] dy = new double[x.length];
        for (int i = 0; i < dy.length; i++) {
            double h = x[i];
            double t = dx == null ? 0.0 : dx[i];
            dy[i] = h > 0.0 ? t : a * t + da * h;
        }
        return dy;
    }

    /** Per-example ∂f/∂α = Σ_units δ·min(h, 0): one Jacobian column, contribution g(x1) g(x2)ᵀ. */
    private record Gradient(double[] g) implements LayerGradient {
        @Override
        public int examples() {
            return g.length;
        }

        @Override
        public long parameters() {
            return 1;
        }

        @Override
        public void addGram(LayerGradient other, Object shared, double weight, double[] out) {
            double[] g2 = ((Gradient) other).g;
            for (int i = 0; i < g.length; i++) {
                double w = weight * g[i];
                for (int j = 0; j < g2.length; j++) {
                    out[i * g2.length + j] += w * g2[j];
                }
            }
        }

        @Override
        public void jacobian(long c0, int cols, double[] out, int o, int a) {
            for (int i = 0; i < g.length; i++) {
                out[(i * o + a) * cols] = g[i];
            }
        }
    }
}
