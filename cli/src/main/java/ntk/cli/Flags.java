package ntk.cli;

import java.util.Map;
import ntk.BadInputException;

/**
 * The command-line flag of each API parameter that a core message names ({@link BadInputException#param}): the core
 * says "ridge must be finite and >= 0", the command line "--ridge must be finite and >= 0". A parameter's flag is its
 * name in kebab case ({@code maxDepth} → {@code --max-depth}) unless {@link #DIFFERENT} names another.
 */
final class Flags {
    /** Parameters whose flag is not their kebab-cased name. */
    static final Map<String, String> DIFFERENT = Map.of(
            "kind", "--arch-kind",   // ArchKind.parse: the family of a depth analysis
            "dataDir", "--data");    // Mnist.load: the directory of the IDX files

    private Flags() {
    }

    /** The flag of an API parameter. */
    static String of(String parameter) {
        String flag = DIFFERENT.get(parameter);
        return flag != null ? flag : "--" + parameter.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** The message as the command line prints it: every parameter written as its flag. */
    static String render(BadInputException e) {
        return e.message(Flags::of);
    }
}
