package ntk.experiments;

/**
 * An experiment's own command-line option (beside the common {@code --out --full --data --seed}):
 * {@code name} with its dashes (e.g. {@code "--learning-rate"}), its default as text ({@code null}: none), and a
 * one-line description.
 */
public record Param(String name, String defaultValue, String description) {
}
