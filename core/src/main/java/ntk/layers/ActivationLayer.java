package ntk.layers;

import ntk.activations.Activation;
import ntk.kernels.Binding;
import ntk.kernels.KernelMap;
import ntk.kernels.Tile;

/**
 * A pointwise nonlinearity as a layer. Infinite width (Jacot et al. 2018, Thm 1, with the W_std²
 * of Σ̇ applied by the next Dense): Σ' = E[φ(u)φ(v)], Θ' = Θ · E[φ'(u)φ'(v)], (u, v) ~ N(0, Σ on {x, x'}).
 * The math of each nonlinearity lives in {@link ntk.activations}.
 */
public final class ActivationLayer implements Layer {
    public final Activation activation;

    public ActivationLayer(Activation activation) {
        this.activation = activation;
    }

    @Override
    public String spec() {
        return activation.spec();
    }

    @Override
    public int outputWidth(int inputWidth) {
        return inputWidth;
    }

    @Override
    public KernelMap kernelMap(Binding binding, int inputWidth) {
        final int slot = binding.newSlot();
        final Activation act = activation;
        return t -> {
            t.loadVariances(slot);
            int n = t.n;
            if (t.computeNtk) {
                act.expectations(t.q1, t.q2, t.sig, n, t.sig, t.dphi);
                double[] ntk = t.ntk;
                double[] d = t.dphi;
                for (int i = 0; i < n; i++) {
                    ntk[i] *= d[i];
                }
            } else {
                act.expectations(t.q1, t.q2, t.sig, n, t.sig, null);
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
