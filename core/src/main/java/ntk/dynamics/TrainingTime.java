package ntk.dynamics;

import ntk.BadInputException;

/**
 * How long the infinite-width network is trained under the loss 1/(2n) Σ‖f(xᵢ) − yᵢ‖² (cli-contract.md):
 * gradient flow for a time t (t = ∞ is kernel regression), or k discrete steps of rate η.
 * Each acts on the training kernel K = VΛVᵀ eigenvalue by eigenvalue, through two spectral functions.
 */
public sealed interface TrainingTime {

    /** Gradient flow for time t ≥ 0 (t may be {@code Double.POSITIVE_INFINITY}). */
    static TrainingTime flow(double t) {
        return new GradientFlow(t);
    }

    /** k ≥ 0 full-batch gradient-descent steps of learning rate η ≥ 0. */
    static TrainingTime steps(long k, double eta) {
        return new DiscreteSteps(k, eta);
    }

    /** t = ∞: kernel (ridge) regression. */
    TrainingTime INFINITY = new GradientFlow(Double.POSITIVE_INFINITY);

    /**
     * The residual's factor along an eigenvector of eigenvalue λ: f_t − Y = R(K)(f_0 − Y) with R(λ) this.
     * Gradient flow e^{−tλ/n} (Hayou et al. eq. 8; Jacot et al. §5); steps (1 − ηλ/n)^k.
     */
    double residualFactor(double lambda, int n);

    /**
     * The spectral function of K⁻¹(I − R(K)): (1 − R(λ))/λ, finite for every λ including 0 (limit t/n or kη/n).
     * Mean on test points is K(T,X)·V diag(this)·VᵀY (Lee et al. 2019 eq. 15 with f_0 of mean zero).
     */
    double solveFactor(double lambda, int n);

    /** True for t = ∞, which needs K⁻¹ and hence a non-singular K. */
    boolean isInfinite();

    /** Gradient flow for time t. */
    record GradientFlow(double t) implements TrainingTime {
        /** Checks t ≥ 0. */
        public GradientFlow {
            if (!(t >= 0)) {
                throw new BadInputException("training time must be >= 0 (or inf), got " + t);
            }
        }

        @Override
        public double residualFactor(double lambda, int n) {
            return isInfinite() ? (lambda > 0 ? 0 : 1) : Math.exp(-t * lambda / n); // Hayou et al. eq. 8
        }

        @Override
        public double solveFactor(double lambda, int n) {
            if (isInfinite()) {
                return 1 / lambda; // kernel regression K⁻¹ (caller has refused a singular K)
            }
            double x = t * lambda / n;
            // (1 − e^{−tλ/n})/λ = −expm1(−x)/λ: accurate for tiny λ; λ = 0 gives the limit t/n
            return x == 0 ? t / n : -Math.expm1(-x) / lambda;
        }

        @Override
        public boolean isInfinite() {
            return t == Double.POSITIVE_INFINITY;
        }

        @Override
        public String toString() {
            return isInfinite() ? "t=inf" : "t=" + t;
        }
    }

    /** k discrete gradient-descent steps of learning rate η. */
    record DiscreteSteps(long k, double eta) implements TrainingTime {
        /** Checks k ≥ 0 and η ≥ 0. */
        public DiscreteSteps {
            if (k < 0) {
                throw new BadInputException("number of steps must be >= 0, got " + k);
            }
            if (!(eta >= 0) || eta == Double.POSITIVE_INFINITY) {
                throw new BadInputException("learning rate must be finite and >= 0, got " + eta);
            }
        }

        @Override
        public double residualFactor(double lambda, int n) {
            return Math.pow(1 - eta * lambda / n, k); // (I − ηK/n)^k, cli-contract.md training convention
        }

        @Override
        public double solveFactor(double lambda, int n) {
            double x = eta * lambda / n;
            if (x == 0) {
                return k * eta / n; // limit λ → 0
            }
            // 1 − (1 − x)^k = −expm1(k·log1p(−x)) keeps full relative accuracy for small x
            double fitted = x < 1 ? -Math.expm1(k * Math.log1p(-x)) : 1 - Math.pow(1 - x, k);
            return fitted / lambda;
        }

        @Override
        public boolean isInfinite() {
            return false;
        }

        @Override
        public String toString() {
            return "steps=" + k + " eta=" + eta;
        }
    }
}
