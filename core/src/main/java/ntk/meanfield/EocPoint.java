package ntk.meanfield;

/**
 * A point of the edge of chaos: for bias scale σ_b the weight scale σ_w with χ₁ = 1 at the variance
 * fixed point q*. qStar is NaN when every q is a fixed point there (Relu-like φ at σ_b = 0: the
 * network preserves the input's variance σ_w²‖x‖²/d), and 0 for a φ with φ(0) = 0 at σ_b = 0.
 */
public record EocPoint(double sigmaB, double sigmaW, double qStar, double chi1) {
}
