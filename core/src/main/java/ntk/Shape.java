package ntk;


/**
 * The shape of one example flowing between layers: {@code length == 0} is a flat vector of
 * {@code channels} features (dense networks, inputs (n, d)); {@code length > 0} is a 1-D signal of
 * {@code length} positions × {@code channels} channels, stored position-major (index p·channels + c),
 * as inputs (n, length, channels) are (README "Command line").
 */
public record Shape(int length, int channels) {
    /** Checks the sizes. */
    public Shape {
        if (length < 0 || channels <= 0) {
            throw new BadInputException("invalid shape: length " + length + ", channels " + channels);
        }
    }

    /** A flat vector of d features. */
    public static Shape dense(int d) {
        if (d <= 0) {
            throw new BadInputException("input dimension must be positive, got " + d);
        }
        return new Shape(0, d);
    }

    /** A signal of the given length and channels. */
    public static Shape signal(int length, int channels) {
        if (length <= 0) {
            throw new BadInputException("signal length must be positive, got " + length);
        }
        return new Shape(length, channels);
    }

    /**
     * Whether this is a (length, channels) signal.
     * @return whether spatial
     */
    public boolean spatial() {
        return length > 0;
    }

    /** Values per example: length·channels, or the width of a flat vector. */
    public int size() {
        return spatial() ? Math.multiplyExact(length, channels) : channels;
    }

    /** "(length, channels)" or "(d)" for messages. */
    @Override
    public String toString() {
        return spatial() ? "(" + length + ", " + channels + ")" : "(" + channels + ")";
    }
}
