package ntk.activations;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ntk.BadInputException;

/** Factory from spec names (case-sensitive, as PyTorch spells the modules) to {@link Activation}s. */
public final class Activations {
    private Activations() {
    }

    /** All accepted names. LeakyRelu, PReLU and Elu take an optional slope/alpha argument, the others none. */
    public static final List<String> NAMES = List.of(
        "Relu", "LeakyRelu", "PReLU", "Abs", "Erf", "Tanh", "Sigmoid", "Softplus", "Elu", "Gelu", "Silu", "Sin", "Identity");

    /**
     * The activation called {@code name} with arguments {@code args} (null means none).
     *
     * @throws BadInputException for an unknown name, a wrong number of arguments or a non-finite argument
     */
    public static Activation parse(String name, List<Double> args) {
        List<Double> a = args == null ? List.of() : args;
        if (name == null || !NAMES.contains(name)) {
            throw new BadInputException("unknown activation '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        }
        for (Double d : a) {
            if (d == null || !Double.isFinite(d)) {
                throw new BadInputException("activation " + name + " needs finite arguments, got " + a);
            }
        }
        switch (name) {
            case "LeakyRelu":
                requireArgs(name, a, 1);
                return a.isEmpty() ? new LeakyRelu() : new LeakyRelu(a.get(0));
            case "PReLU":
                requireArgs(name, a, 1);
                return a.isEmpty() ? new PRelu() : new PRelu(a.get(0));
            case "Elu":
                requireArgs(name, a, 1);
                return a.isEmpty() ? new Elu() : new Elu(a.get(0));
            default:
                requireArgs(name, a, 0);
                break;
        }
        return switch (name) {
            case "Relu" -> new Relu();
            case "Abs" -> new Abs();
            case "Erf" -> new Erf();
            case "Tanh" -> new Tanh();
            case "Sigmoid" -> new Sigmoid();
            case "Softplus" -> new Softplus();
            case "Gelu" -> new Gelu();
            case "Silu" -> new Silu();
            case "Sin" -> new Sin();
            case "Identity" -> new Identity();
            default -> throw new BadInputException("unknown activation '" + name + "'");
        };
    }

    private static void requireArgs(String name, List<Double> a, int max) {
        if (a.size() > max) {
            throw new BadInputException("activation " + name + " takes "
                + (max == 0 ? "no arguments" : "at most " + max + " argument") + ", got " + a.size());
        }
    }

    private static final Pattern SPEC = Pattern.compile("\\s*([A-Za-z]+)\\s*(?:\\((.*)\\))?\\s*");

    /** Parses a whole spec such as {@code Relu}, {@code LeakyRelu(0.1)} or {@code LeakyRelu()}; inverse of {@link Activation#spec()}. */
    public static Activation parse(String spec) {
        Matcher m = SPEC.matcher(spec == null ? "" : spec);
        if (!m.matches()) {
            throw new BadInputException("malformed activation spec '" + spec + "'");
        }
        List<Double> args = new java.util.ArrayList<>();
        String inside = m.group(2);
        if (inside != null && !inside.isBlank()) {
            for (String part : inside.split(",", -1)) {
                try {
                    args.add(Double.parseDouble(part.trim()));
                } catch (NumberFormatException e) {
                    throw new BadInputException("bad number '" + part.trim() + "' in activation spec '" + spec + "'");
                }
            }
        }
        return parse(m.group(1), args);
    }
}
