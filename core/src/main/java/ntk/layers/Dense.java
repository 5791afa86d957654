package ntk.layers;

import ntk.BadInputException;
import ntk.arch.Parameterization;
import ntk.kernels.Binding;
import ntk.kernels.KernelMap;
import ntk.kernels.Tile;

/**
 * Affine layer {@code Dense(width, W_std, b_std)} (cli-contract.md).
 *
 * <p>Infinite width, both parameterisations: Σ' = W_std² Σ + b_std² (Jacot et al. 2018, Prop. 1),
 * with Σ the per-unit covariance of the input (xᵀx'/n₀ at the input).
 * NTK parameterisation: the layer's own parameters contribute W_std² Σ + b_std² = Σ', so
 * Θ' = W_std² Θ + Σ' (Jacot et al. Thm 1). Standard parameterisation: ∂y/∂W_ij = x_j and ∂y/∂b = 1
 * for the raw parameters, so they contribute fan_in·Σ + 1 and Θ' = W_std² Θ + fan_in·Σ + 1 — the
 * bias counts even when b_std = 0, since it is still a trained parameter (as in neural-tangents).
 */
public final class Dense implements Layer {
    public final int width;
    public final double wStd;
    public final double bStd;

    public Dense(int width, double wStd, double bStd) {
        if (width <= 0) {
            throw new BadInputException("Dense: width must be positive, got " + width);
        }
        if (!(wStd > 0) || !Double.isFinite(wStd)) {
            throw new BadInputException("Dense: W_std must be a positive number, got " + wStd);
        }
        if (!(bStd >= 0) || !Double.isFinite(bStd)) {
            throw new BadInputException("Dense: b_std must be a non-negative number, got " + bStd);
        }
        this.width = width;
        this.wStd = wStd;
        this.bStd = bStd;
    }

    public Dense(int width) {
        this(width, 1.0, 0.0);
    }

    @Override
    public String spec() {
        StringBuilder s = new StringBuilder("Dense(").append(width);
        if (wStd != 1.0) {
            s.append(", W_std=").append(Specs.number(wStd));
        }
        if (bStd != 0.0) {
            s.append(", b_std=").append(Specs.number(bStd));
        }
        return s.append(')').toString();
    }

    @Override
    public int outputWidth(int inputWidth) {
        return width;
    }

    @Override
    public KernelMap kernelMap(Binding binding, int inputWidth) {
        final double w2 = wStd * wStd;
        final double b2 = bStd * bStd;
        if (binding.parameterization == Parameterization.NTK) {
            return t -> {
                double[] sig = t.sig;
                double[] ntk = t.ntk;
                int n = t.n;
                if (t.computeNtk) {
                    for (int i = 0; i < n; i++) {
                        double s = w2 * sig[i] + b2;
                        sig[i] = s;
                        ntk[i] = w2 * ntk[i] + s;
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        sig[i] = w2 * sig[i] + b2;
                    }
                }
            };
        }
        final double fanIn = inputWidth;
        return t -> {
            double[] sig = t.sig;
            double[] ntk = t.ntk;
            int n = t.n;
            if (t.computeNtk) {
                for (int i = 0; i < n; i++) {
                    double s = sig[i];
                    ntk[i] = w2 * ntk[i] + fanIn * s + 1.0;
                    sig[i] = w2 * s + b2;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    sig[i] = w2 * sig[i] + b2;
                }
            }
        };
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
