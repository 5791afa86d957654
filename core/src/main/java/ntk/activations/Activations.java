package ntk.activations;

import java.util.List;

/** TEMPORARY stub; replaced by the activations branch. */
public final class Activations {
    public static final List<String> NAMES = List.of("Relu", "Identity");

    public static Activation parse(String name, List<Double> args) {
        return switch (name) {
            case "Relu" -> new Relu();
            default -> throw new ntk.BadInputException("unknown activation '" + name + "'");
        };
    }
}
