package ntk;

/**
 * Thrown for input a user can fix: a malformed file, a wrong shape, a bad spec, NaN in data.
 * The message is one line that names the problem (and the file, where there is one);
 * the command line turns it into exit status 2.
 */
public class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
