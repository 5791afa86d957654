package ntk;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Thrown for input a user can fix: a malformed file, a wrong shape, a bad spec, NaN in data.
 * The message is one line that names the problem (and the file, where there is one);
 * the command line turns it into exit status 2.
 * <p>
 * A message that names an API parameter ({@code ridge}, {@code arch}, ...) marks it with {@link #param}:
 * {@code BadInputException.of(param("ridge"), " must be finite and >= 0, got -1")}. {@link #getMessage()} speaks the
 * API ("ridge must be ..."); a front end renders the same message in its own words with {@link #message}, e.g. the
 * command line's flags ("--ridge must be ..."). The core never names a command-line flag.
 */
public class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An API parameter named inside a message. */
    public record Parameter(String name) implements java.io.Serializable {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The message's parts: strings and {@link Parameter}s, in order. */
    private final List<Object> parts;

    /**
     * A refusal with a plain message (no marked parameters).
     * @param message the one-line message
     */
    public BadInputException(String message) {
        this(List.of(String.valueOf(message)), null);
    }

    /**
     * A refusal with a plain message and its cause.
     * @param message the one-line message
     * @param cause what went wrong underneath
     */
    public BadInputException(String message, Throwable cause) {
        this(List.of(String.valueOf(message)), cause);
    }

    private BadInputException(List<Object> parts, Throwable cause) {
        super(render(parts, UnaryOperator.identity()), cause);
        this.parts = parts;
    }

    /** The parameter called {@code name} in the API, for {@link #of}. */
    public static Parameter param(String name) {
        return new Parameter(name);
    }

    /** A message from text and {@link Parameter}s; any other part is written with {@code String.valueOf}. */
    public static BadInputException of(Object... parts) {
        return new BadInputException(normalise(List.of(parts)), null);
    }

    /** This exception with its cause set (for {@link #of}, which takes none); returns this. */
    public BadInputException causedBy(Throwable cause) {
        initCause(cause);
        return this;
    }

    /** The same message after a prefix (e.g. a file name and ": "), parameters kept. */
    public BadInputException prefixed(String prefix) {
        BadInputException e = new BadInputException(normalise(java.util.stream.Stream.concat(
                java.util.stream.Stream.of((Object) prefix), parts.stream()).toList()), getCause());
        e.setStackTrace(getStackTrace());
        return e;
    }

    /** The parameters this message names, in order. */
    public List<String> parameters() {
        return parts.stream().filter(p -> p instanceof Parameter).map(p -> ((Parameter) p).name()).toList();
    }

    /** The message with each parameter written as {@code nameOf.apply(name)} (e.g. its command-line flag). */
    public String message(UnaryOperator<String> nameOf) {
        return render(parts, nameOf);
    }

    private static List<Object> normalise(List<?> parts) {
        return parts.stream().map(p -> p instanceof Parameter ? p : (Object) String.valueOf(p)).toList();
    }

    private static String render(List<Object> parts, UnaryOperator<String> nameOf) {
        StringBuilder b = new StringBuilder();
        for (Object p : parts) {
            b.append(p instanceof Parameter q ? nameOf.apply(q.name()) : (String) p);
        }
        return b.toString();
    }
}
