package ntk.layers;

import java.util.List;
import java.util.Map;
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
 * {@code Residual(layers..., scale=s)}: y = x + s·block(x) (README "Command line"); {@code scale=invsqrt_depth}
 * uses s = 1/sqrt(l) for the l-th residual block of the network, counted from 1 in spec order
 * (the scaled ResNet of Hayou et al., Prop. 3).
 *
 * <p>Infinite width: the block ends in a layer with fresh zero-mean weights, so x and block(x) are
 * uncorrelated and Σ_y = Σ_x + s² Σ_block, Θ_y = Θ_x + s² Θ_block, where the block's maps start from
 * (Σ_x, Θ_x). For block = (φ, Dense) this is Hayou et al. Lemma 3: K_res^l = K^{l-1}(Σ̇^l + 1) + Σ^l;
 * for block = (φ, Conv1D) on spatial states it is their Lemma 4 (convolutional ResNet), position pair by
 * position pair, since the conv map ends the block.
 */
public final class Residual implements Layer {
    /** Residual(layers...[, scale=s | scale=invsqrt_depth]): a kind whose arguments are layers (the grammar's rule). */
    public static final LayerKind KIND = LayerKind.ofLayers("Residual");

    /** Marks the 1/sqrt(l) scaling. */
    public static final double INVSQRT_DEPTH = Double.NaN;

    /** The residual branch F: y = x + scale·F(x). */
    public final List<Layer> block;
    /** The fixed scale s, or NaN for invsqrt_depth. */
    public final double scale;

    /**
     * A residual block y = x + s·F(x).
     *
     * @param block the branch F, ending in Dense, Conv1D, Conv2D or LocallyConnected2D
     * @param scale s, positive, or {@link #INVSQRT_DEPTH} for 1/√l with l the block's index (Hayou et al. Prop. 3)
     */
    public Residual(List<Layer> block, double scale) {
        if (block.isEmpty()) {
            throw new BadInputException("Residual: the block needs at least one layer");
        }
        Layer last = block.get(block.size() - 1);
        if (!(last instanceof Dense) && !(last instanceof Conv1D) && !(last instanceof Conv2D)
                && !(last instanceof LocallyConnected2D)) {
            throw new BadInputException("Residual: the block must end in a Dense, Conv1D, Conv2D or LocallyConnected2D"
                    + " layer (independent"
                    + " zero-mean weights make the branch and the skip uncorrelated), got '" + last.spec() + "'");
        }
        if (!Double.isNaN(scale) && !(Double.isFinite(scale) && scale > 0)) {
            throw new BadInputException("Residual: scale must be a positive number or invsqrt_depth, got " + scale);
        }
        this.block = List.copyOf(block);
        this.scale = scale;
    }

    /** @return whether the scale is 1/√l (Hayou et al.'s scaled ResNet) rather than fixed */
    public boolean invSqrtDepth() {
        return Double.isNaN(scale);
    }

    /**
     * The scale of this block when it is the l-th residual block of the network (1-based, spec order, every
     * Residual counted whether scaled or not): 1/sqrt(l) for invsqrt_depth, else the fixed scale.
     */
    public double scaleAt(int l) {
        return invSqrtDepth() ? 1.0 / Math.sqrt(l) : scale;
    }

    @Override
    public String spec() {
        StringBuilder s = new StringBuilder("Residual(");
        for (int i = 0; i < block.size(); i++) {
            s.append(i > 0 ? ", " : "").append(block.get(i).spec());
        }
        if (invSqrtDepth()) {
            s.append(", scale=invsqrt_depth");
        } else if (scale != 1.0) {
            s.append(", scale=").append(LayerKind.number(scale));
        }
        return s.append(')').toString();
    }

    @Override
    public Shape outputShape(Shape input) {
        Shape w = input;
        for (Layer l : block) {
            w = l.outputShape(w);
        }
        if (!w.equals(input)) {
            String what = input.spatial() || w.spatial() ? "shape " : "width ";
            throw new BadInputException("Residual: the block maps " + what + describe(input) + " to " + describe(w)
                    + "; it must keep the " + what.trim() + " to be added to its input");
        }
        return w;
    }

    private static String describe(Shape s) {
        return s.spatial() ? s.toString() : Integer.toString(s.channels());
    }

    @Override
    public boolean convolutional() {
        return block.stream().anyMatch(Layer::convolutional);
    }

    @Override
    public boolean twoDimensional() {
        return block.stream().anyMatch(Layer::twoDimensional);
    }

    @Override
    public boolean mixesOffsets() {
        return block.stream().anyMatch(Layer::mixesOffsets);
    }

    @Override
    public int nesting() {
        int deepest = 0;
        for (Layer l : block) {
            deepest = Math.max(deepest, l.nesting());
        }
        return 1 + deepest;
    }

    @Override
    public KernelMap kernelMap(Binding binding, Shape input) {
        outputShape(input);
        final double s = scaleAt(binding.nextResidualIndex());
        final double s2 = s * s;
        final KernelMap[] maps = new KernelMap[block.size()];
        Shape w = input;
        boolean gaussianIn = binding.gaussian;
        String before = binding.previous;
        for (int i = 0; i < maps.length; i++) {
            maps[i] = block.get(i).kernelMap(binding, w);
            binding.previous = block.get(i).spec();
            w = block.get(i).outputShape(w);
        }
        // x + s·block(x) is Gaussian when x is: the block ends in a Dense, independent of x
        binding.gaussian = gaussianIn;
        binding.previous = before;
        return t -> {
            int level = t.push();
            for (KernelMap m : maps) {
                m.apply(t);
            }
            int n = t.n;
            double[] sig = t.sig;
            double[] sig0 = t.saved(level, 0);
            for (int i = 0; i < n; i++) {
                sig[i] = sig0[i] + s2 * sig[i];
            }
            if (t.computeNtk) {
                double[] ntk = t.ntk;
                double[] ntk0 = t.saved(level, 1);
                for (int i = 0; i < n; i++) {
                    ntk[i] = ntk0[i] + s2 * ntk[i];
                }
            }
            t.pop();
        };
    }

    /** Finite width: y = x + s·block(x); backward dx = dy + J_blockᵀ(s·dy); JVP dy = dx + s·J_block dx. */
    @Override
    public FiniteOp finiteOp(Binding binding, String key, Shape input) {
        outputShape(input);
        final int inputWidth = input.size();
        final double s = scaleAt(binding.nextResidualIndex());
        final FiniteOp[] ops = new FiniteOp[block.size()];
        Shape w = input;
        for (int i = 0; i < ops.length; i++) {
            ops[i] = block.get(i).finiteOp(binding, key + "." + i, w);
            w = block.get(i).outputShape(w);
        }
        return new FiniteOp() {
            @Override
            public int outputWidth() {
                return inputWidth;
            }

            @Override
            public void declare(Map<String, int[]> shapes) {
                for (FiniteOp op : ops) {
                    op.declare(shapes);
                }
            }

            @Override
            public void init(Params params, long seed) {
                for (FiniteOp op : ops) {
                    op.init(params, seed);
                }
            }

            @Override
            public double[] forward(Params p, double[] x, int n, Tape tape) {
                double[] h = x;
                for (FiniteOp op : ops) {
                    h = op.forward(p, h, n, tape);
                }
                double[] y = x.clone();
                for (int i = 0; i < y.length; i++) {
                    y[i] = Math.fma(s, h[i], y[i]);
                }
                return y;
            }

            @Override
            public double[] backward(Params p, double[] dy, int n, Tape tape, Params grad, GradientSink sink) {
                double[] g = new double[dy.length];
                for (int i = 0; i < g.length; i++) {
                    g[i] = s * dy[i];
                }
                for (int k = ops.length - 1; k >= 0; k--) {
                    g = ops[k].backward(p, g, n, tape, grad, sink);
                }
                for (int i = 0; i < g.length; i++) {
                    g[i] += dy[i];
                }
                return g;
            }

            @Override
            public double[] jvp(Params p, Params dp, double[] dx, int n, Tape tape) {
                double[] t = dx;
                for (FiniteOp op : ops) {
                    t = op.jvp(p, dp, t, n, tape);
                }
                double[] dy = new double[t.length];
                for (int i = 0; i < dy.length; i++) {
                    dy[i] = s * t[i] + (dx == null ? 0.0 : dx[i]);
                }
                return dy;
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Residual r && r.block.equals(block)
                && Double.compare(r.scale, scale) == 0;
    }

    @Override
    public int hashCode() {
        return block.hashCode() * 31 + Double.hashCode(scale);
    }

    @Override
    public String toString() {
        return spec();
    }
}
