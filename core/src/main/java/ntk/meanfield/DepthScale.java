package ntk.meanfield;

import ntk.protocol.Binding;
import ntk.protocol.KernelMap;
import ntk.protocol.Layer;
import ntk.protocol.Tile;

/**
 * An identity layer that multiplies the Σ and Θ passing through it by 2^{−k} (exact in floating point). For a network
 * whose every later layer is positively homogeneous of degree 1 in (Σ, Θ) — Relu blocks without bias, plain or residual
 * — this divides every later kernel by exactly 2^k, so deep ResNets whose kernels grow like (1 + σ_w²/2)^L stay in the
 * double range. Applied alike in the diagonal and the pair passes, so the recorded variances stay consistent.
 */
final class DepthScale implements Layer {
    private final double factor;

    DepthScale(int k) {
        this.factor = Math.scalb(1.0, -k);
    }

    @Override
    public String spec() {
        return "Identity";
    }

    @Override
    public ntk.Shape outputShape(ntk.Shape input) {
        return input;
    }

    @Override
    public ntk.protocol.FiniteOp finiteOp(Binding binding, String key, ntk.Shape input) {
        throw new UnsupportedOperationException("DepthScale rescales infinite-width kernels only");
    }

    @Override
    public KernelMap kernelMap(Binding binding, ntk.Shape input) {
        return (Tile t) -> {
            for (int i = 0; i < t.n; i++) {
                t.sig[i] *= factor;
                t.ntk[i] *= factor;
            }
        };
    }
}
