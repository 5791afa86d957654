package ntk.experiments;

/**
 * An experiment's own command-line option (beside the common {@code --out --full --data --seed}):
 * {@code name} with its dashes (e.g. {@code "--learning-rate"}), its default as text ({@code null}: none), and a
 * one-line description. A {@link #flag} takes no value: given, it reads "true" ({@link Settings#flag}); absent, null.
 */
public record Param(String name, String defaultValue, String description, boolean isFlag) {
    /** An option that takes a value. */
    public Param(String name, String defaultValue, String description) {
        this(name, defaultValue, description, false);
    }

    /** An option without a value (on when given). */
    public static Param flag(String name, String description) {
        return new Param(name, null, description, true);
    }
}
