package ntk.meanfield;

/**
 * A point of the edge of chaos: for bias scale σ_b the weight scale σ_w with χ₁ = 1 at the variance
 * fixed point q*. When everyQFixed, every q is a fixed point there (Relu-like φ at σ_b = 0: the network
 * preserves the input's variance σ_w²‖x‖²/d) and qStar is the value for inputs with ‖x‖²/d = 1, σ_w².
 * qStar is 0 for a φ with φ(0) = 0 at σ_b = 0 (Tanh, Erf, Sin: the EOC point is σ_w = 1/|φ'(0)|).
 */
public record EocPoint(double sigmaB, double sigmaW, double qStar, double chi1, boolean everyQFixed) {
}
