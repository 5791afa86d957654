package ntk.meanfield;

/** The phases of a deep random network (Poole et al. 2016; Schoenholz et al. 2017, §3). */
public enum Phase {
    /** χ₁ &lt; 1: correlations converge to 1 exponentially, the kernel to a constant. */
    ORDERED("ordered"),
    /** χ₁ = 1 (to the tolerance): polynomial convergence. */
    EDGE_OF_CHAOS("edge of chaos"),
    /** χ₁ &gt; 1: correlations converge to c* &lt; 1. */
    CHAOTIC("chaotic"),
    /** No finite variance fixed point: the pre-activations grow without bound with depth. */
    DIVERGENT("divergent (no finite q*)");

    /** |χ₁ − 1| within this counts as the edge of chaos: ~100× the error of χ₁ at an EOC point. */
    public static final double EOC_TOLERANCE = 1e-9;

    /** How reports name the phase. */
    public final String label;

    Phase(String label) {
        this.label = label;
    }

    /** The phase with slope χ₁ at c = 1. */
    public static Phase ofChi1(double chi1) {
        if (Math.abs(chi1 - 1.0) <= EOC_TOLERANCE) {
            return EDGE_OF_CHAOS;
        }
        return chi1 < 1.0 ? ORDERED : CHAOTIC;
    }
}
