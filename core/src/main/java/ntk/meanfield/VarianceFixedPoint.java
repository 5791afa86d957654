package ntk.meanfield;

/**
 * The fixed point q* of the variance map, and what kind it is: a finite attracting value, every q
 * (the map is the identity, e.g. Relu at σ_b = 0, σ_w = √2), or none (q grows without bound).
 */
public record VarianceFixedPoint(Kind kind, double qStar) {
    /** What kind of fixed point. */
    public enum Kind {
        /** A finite q* ≥ 0 that the iteration q ↦ V(q) reaches from the start. */
        FINITE,
        /** V(q) = q for every q: the input's variance is preserved, q* is the start value. */
        EVERY_Q,
        /** No finite fixed point above the start: q^l → ∞; qStar is +∞. */
        DIVERGES
    }

    /**
     * Whether q* is finite.
     * @return whether finite
     */
    public boolean finite() {
        return kind != Kind.DIVERGES;
    }
}
