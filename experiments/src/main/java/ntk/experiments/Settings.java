package ntk.experiments;

import java.nio.file.Path;
import java.util.Map;
import ntk.BadInputException;

/**
 * What the user asked for: {@code full} (the paper's size), {@code data} (a directory of full MNIST IDX files, or
 * null for the shipped subset), {@code seed}, and the experiment's own {@link Param}s by name (text, defaults
 * filled in; a missing value is null).
 */
public record Settings(boolean full, Path data, long seed, Map<String, String> values) {
    public Settings {
        values = Map.copyOf(values);
    }

    /** Defaults everywhere: reduced size, shipped data, seed 0, each param's default. */
    public static Settings defaults(Experiment e) {
        return of(e, false, null, 0, Map.of());
    }

    /** The given choices over the experiment's defaults; unknown param names are refused. */
    public static Settings of(Experiment e, boolean full, Path data, long seed, Map<String, String> given) {
        if (data != null && !e.readsData()) {
            throw new BadInputException("experiment " + e.name() + " reads no MNIST digits, so --data has nothing to"
                    + " replace (--data is for " + String.join(", ", Experiments.all().stream()
                            .filter(Experiment::readsData).map(Experiment::name).toList()) + ")");
        }
        Map<String, String> v = new java.util.HashMap<>();
        for (Param p : e.allParams()) {
            if (p.defaultValue() != null) {
                v.put(p.name(), p.defaultValue());
            }
        }
        for (Map.Entry<String, String> g : given.entrySet()) {
            if (e.allParams().stream().noneMatch(p -> p.name().equals(g.getKey()))) {
                throw new BadInputException("experiment " + e.name() + " has no option " + g.getKey());
            }
            if (g.getValue() != null) {
                v.put(g.getKey(), g.getValue());
            }
        }
        return new Settings(full, data, seed, v);
    }

    public boolean has(String name) {
        return values.get(name) != null;
    }

    /** Whether the {@linkplain Param#flag flag} was given ("true"; a value-less option). */
    public boolean flag(String name) {
        return "true".equals(values.get(name));
    }

    public String string(String name) {
        return values.get(name);
    }

    public double number(String name) {
        String s = need(name);
        try {
            double d = Double.parseDouble(s.trim());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException ex) {
            throw new BadInputException(name + " must be a finite number, got '" + s + "'");
        }
    }

    public int integer(String name) {
        String s = need(name);
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException ex) {
            throw new BadInputException(name + " must be an integer, got '" + s + "'");
        }
    }

    /** A comma-separated list of integers. */
    public int[] integers(String name) {
        String s = need(name);
        try {
            return java.util.Arrays.stream(s.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException ex) {
            throw new BadInputException(name + " must be comma-separated integers, got '" + s + "'");
        }
    }

    private String need(String name) {
        String s = values.get(name);
        if (s == null) {
            throw new BadInputException(name + " is required");
        }
        return s;
    }
}
