package ntk.protocol;

import java.util.List;
import java.util.function.Function;

/**
 * One layer kind's declaration: its spec name, its numeric parameters in positional order with their defaults, and how
 * to build a layer from their values. The --arch parser reads arguments against it and a layer's spec() writes itself
 * from it, so a parameter's name, position and default are spelled once. Residual, which takes layers, is declared
 * with {@code takesLayers} and parsed by the grammar's own rule.
 */
public record LayerKind(String name, List<Parameter> parameters, boolean takesLayers, Function<double[], Layer> factory) {

    /**
     * A parameter: its name in specs, its default (NaN: required, written positionally), whether it must be a
     * positive integer, and for a word parameter its words (the value is the word's index; empty for a number).
     */
    public record Parameter(String name, double defaultValue, boolean integer, List<String> choices) {
        /** Copies the choices (immutable). */
        public Parameter {
            choices = List.copyOf(choices);
        }

        /**
         * A numeric parameter (no word choices).
         *
         * @param name its name in specs
         * @param defaultValue its default, or NaN when required
         * @param integer whether it must be a positive integer
         */
        public Parameter(String name, double defaultValue, boolean integer) {
            this(name, defaultValue, integer, List.of());
        }

        /** @return whether the parameter has no default and must be given */
        public boolean required() {
            return Double.isNaN(defaultValue);
        }

        /** Whether the value is one of {@link #choices} (a word such as padding=same), carried as its index. */
        public boolean word() {
            return !choices.isEmpty();
        }

        /** A required positive integer (a width, a filter size). */
        public static Parameter positiveInteger(String name) {
            return new Parameter(name, Double.NaN, true);
        }

        /** An optional number with a default (written as name=value when it differs from the default). */
        public static Parameter number(String name, double defaultValue) {
            return new Parameter(name, defaultValue, false);
        }

        /** An optional word among choices, the first the default (written as name=word when it differs). */
        public static Parameter choice(String name, String... choices) {
            return new Parameter(name, 0, false, List.of(choices));
        }

        /** The text of a value: the word of a word parameter, else the number. */
        public String text(double value) {
            return word() ? choices.get((int) value) : LayerKind.number(value);
        }
    }

    /** Copies the parameter list. */
    public LayerKind {
        parameters = List.copyOf(parameters);
    }

    /** A kind with numeric parameters, built from their values in declaration order. */
    public static LayerKind of(String name, Function<double[], Layer> factory, Parameter... parameters) {
        return new LayerKind(name, List.of(parameters), false, factory);
    }

    /** A kind whose arguments are layers (Residual). */
    public static LayerKind ofLayers(String name) {
        return new LayerKind(name, List.of(), true, null);
    }

    /**
     * The parameters' names, in declaration order.
     *
     * @return the names
     */
    public String[] parameterNames() {
        return parameters.stream().map(Parameter::name).toArray(String[]::new);
    }

    /**
     * The parameters' defaults (NaN for a required one), in declaration order.
     *
     * @return the defaults
     */
    public double[] defaults() {
        return parameters.stream().mapToDouble(Parameter::defaultValue).toArray();
    }

    /**
     * A layer of this kind from its parameter values.
     *
     * @param values one per parameter, in declaration order
     * @return the layer
     */
    public Layer build(double[] values) {
        return factory.apply(values);
    }

    /**
     * The spec of a layer of this kind with these parameter values: the required ones positionally, the others as
     * name=value where they differ from the default; no parentheses for a kind without parameters. Parsing it gives
     * an equal layer.
     */
    public String spec(double... values) {
        if (parameters.isEmpty()) {
            return name;
        }
        StringBuilder s = new StringBuilder(name).append('(');
        String sep = "";
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            if (p.required()) {
                s.append(sep).append(p.text(values[i]));
            } else if (values[i] != p.defaultValue()) {
                s.append(sep).append(p.name()).append('=').append(p.text(values[i]));
            } else {
                continue;
            }
            sep = ", ";
        }
        return s.append(')').toString();
    }

    /** A number as the shortest text that parses back to it ("1.5", "2", "1e-05"). */
    public static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
