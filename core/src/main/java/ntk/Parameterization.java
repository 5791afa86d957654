package ntk;


/**
 * How raw parameters map to a layer's weights (README "Command line", "Global option --parameterization").
 * NTK (Jacot et al. 2018, eq. 1): raw W, b ~ N(0, 1), y = (W_std/sqrt(fan_in)) W x + b_std b.
 * STANDARD: W ~ N(0, W_std²/fan_in), b ~ N(0, b_std²), y = W x + b.
 * The NNGP kernel is the same for both; the NTK is not (see {@link ntk.layers.Dense}).
 */
public enum Parameterization {
    /** Jacot et al.'s: raw parameters N(0, 1), scaled by W_std/√fan_in in the forward pass. */
    NTK,
    /** The usual one: W ~ N(0, W_std²/fan_in), b ~ N(0, b_std²). */
    STANDARD;

    /**
     * The parameterisation named on the command line.
     * @param s "ntk" or "standard"
     * @return the parameterisation
     */
    public static Parameterization parse(String s) {
        return switch (s) {
            case "ntk" -> NTK;
            case "standard" -> STANDARD;
            default -> throw BadInputException.of(BadInputException.param("parameterization"),
                    ": expected 'ntk' or 'standard', got '" + s + "'");
        };
    }

    /**
     * The name on the command line.
     * @return "ntk" or "standard"
     */
    public String cliName() {
        return this == NTK ? "ntk" : "standard";
    }
}
