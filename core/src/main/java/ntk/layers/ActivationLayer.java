package ntk.layers;

import static ntk.BadInputException.param;

import ntk.BadInputException;
import ntk.Shape;
import ntk.activations.Activation;
import ntk.protocol.Binding;
import ntk.protocol.FiniteOp;
import ntk.protocol.GradientSink;
import ntk.protocol.KernelMap;
import ntk.protocol.Layer;
import ntk.Params;
import ntk.protocol.Tape;
import ntk.protocol.Tile;

/**
 * A pointwise nonlinearity as a layer. Infinite width (Jacot et al. 2018, Thm 1, with the W_std²
 * of Σ̇ applied by the next Dense): Σ' = E[φ(u)φ(v)], Θ' = Θ · E[φ'(u)φ'(v)], (u, v) ~ N(0, Σ on {x, x'}).
 * The math of each nonlinearity lives in {@link ntk.activations}.
 */
public final class ActivationLayer implements Layer {
    /** The nonlinearity φ this layer applies elementwise. */
    public final Activation activation;

    /**
     * A layer applying φ elementwise.
     *
     * @param activation φ
     */
    public ActivationLayer(Activation activation) {
        this.activation = activation;
    }

    @Override
    public String spec() {
        return activation.spec();
    }

    /** Elementwise: any shape, flat or spatial. */
    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    /**
     * On a spatial state the same expectation applies to every position pair (p, p') with the variances
     * Σ(x; p, p) and Σ(x'; p', p') (the CNN-GP recursion of Novak et al. 2019, §2.2; Arora et al. 2019, §4): the tile supplies them.
     */
    @Override
    public KernelMap kernelMap(Binding binding, Shape input) {
        if (activation instanceof ntk.activations.Identity) {
            return t -> { };
        }
        if (!binding.gaussian) {
            throw BadInputException.of(param("arch"), ": " + spec() + " after " + binding.previous + " has no infinite-width"
                    + " kernel: its input is not Gaussian; put a Dense layer before it (as neural-tangents requires)");
        }
        binding.gaussian = false;
        final int slot = binding.newSlot(input.length());
        final Activation act = activation;
        final ntk.activations.Relu relu = act instanceof ntk.activations.Relu r ? r : null;
        return t -> {
            if (relu != null && t.length > 0 && t.recordsRoots()) {
                reluPlanes(relu, t, slot);
                return;
            }
            t.loadVariances(slot);
            int n = t.n;
            // a dense network's diagonal pass (N entries, before any pair) runs before C2 has compiled the vector
            // loops: scalar code there (the same bits), vectors for the pairs and for spatial states
            boolean vector = t.mode != ntk.protocol.Tile.Mode.DIAG || t.length > 0;
            if (t.computeNtk) {
                act.expectations(t.q1, t.q2, t.sig, n, t.sig, t.dphi, vector);
                double[] ntk = t.ntk;
                double[] d = t.dphi;
                for (int i = 0; i < n; i++) {
                    ntk[i] *= d[i];
                }
            } else {
                act.expectations(t.q1, t.q2, t.sig, n, t.sig, null, vector);
            }
        };
    }

    /**
     * Relu on a spatial tile whose records hold the roots (the network needs every offset plane): the variances' roots from the records of x and x'
     * ({@link Tile#recordStride}), made once per example and position, instead of a square root and a division per
     * entry.
     */
    private static void reluPlanes(ntk.activations.Relu relu, Tile t, int slot) {
        t.recordSpatial(slot);
        relu.expectationsOnPlanes(t.sig, t.computeNtk ? t.ntk : null, t.offsetStart, t.offsets,
                t.length, t.width, t.record1(slot), t.recordOffset1(), t.record2(slot), t.recordOffset2());
    }

    /** Finite width: y = φ(h) elementwise; backward dh = φ'(h)·dy; JVP likewise. No parameters. */
    @Override
    public FiniteOp finiteOp(Binding binding, String key, Shape input) {
        final int inputWidth = input.size();
        final int slot = binding.newTapeSlot();
        final Activation act = activation;
        if (act instanceof ntk.activations.PRelu prelu) {
            return new PReluOp(prelu, key, inputWidth, slot);
        }
        // Relu's derivative is 1 exactly where its output is positive: keep the output (which the next layer keeps as
        // its input anyway) instead of writing and reading a φ' array
        final boolean maskFromOutput = act instanceof ntk.activations.Relu;
        return new FiniteOp() {
            @Override
            public int outputWidth() {
                return inputWidth;
            }

            @Override
            public double[] forward(Params p, double[] x, int n, Tape tape) {
                double[] y = tape.buffer(slot, Tape.FORWARD, x.length);
                if (maskFromOutput) {
                    Sweeps.relu(x, y, x.length);
                    tape.put(slot, y);
                } else {
                    double[] dphi = tape.buffer(slot, Tape.SCRATCH, x.length);
                    act.evaluate(x, x.length, y, dphi);
                    tape.put(slot, dphi); // only φ'(h) is needed later
                }
                return y;
            }

            @Override
            public double[] backward(Params p, double[] dy, int n, Tape tape, Params grad, GradientSink sink) {
                double[] saved = tape.get(slot);
                double[] dx = tape.buffer(slot, Tape.BACKWARD, dy.length);
                if (maskFromOutput) {
                    Sweeps.reluMask(saved, dy, dx, dy.length);
                } else {
                    Sweeps.multiply(dy, saved, dx, dy.length);
                }
                return dx;
            }

            @Override
            public double[] jvp(Params p, Params dp, double[] dx, int n, Tape tape) {
                double[] saved = tape.get(slot);
                double[] dy = new double[saved.length];
                if (dx != null) {
                    if (maskFromOutput) {
                        Sweeps.reluMask(saved, dx, dy, dy.length);
                    } else {
                        Sweeps.multiply(dx, saved, dy, dy.length);
                    }
                }
                return dy;
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ActivationLayer a && a.activation.spec().equals(activation.spec());
    }

    @Override
    public int hashCode() {
        return activation.spec().hashCode();
    }

    @Override
    public String toString() {
        return spec();
    }
}
