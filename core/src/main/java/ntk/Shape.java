package ntk;


/**
 * The shape of one example flowing between layers: {@code length == 0} is a flat vector of
 * {@code channels} features (dense networks, inputs (n, d)); {@code length > 0} is a spatial example of
 * {@code length} positions × {@code channels} channels, stored position-major (index p·channels + c).
 * A 1-D signal has {@code height == 0} (inputs (n, length, channels)); an image has {@code height ≥ 1} rows of
 * {@code width() = length / height} pixels, position p = row·width + column, so that its storage is NHWC
 * (inputs (n, height, width, channels), as neural-tangents).
 */
public record Shape(int length, int channels, int height) {
    /** Checks the sizes. */
    public Shape {
        if (length < 0 || channels <= 0 || height < 0 || height > 0 && (length == 0 || length % height != 0)) {
            throw new BadInputException("invalid shape: length " + length + ", channels " + channels
                    + ", height " + height);
        }
    }

    /** A flat vector (length 0) or a 1-D signal. */
    public Shape(int length, int channels) {
        this(length, channels, 0);
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

    /** An image of the given height, width and channels (NHWC storage). */
    public static Shape image(int height, int width, int channels) {
        if (height <= 0 || width <= 0) {
            throw new BadInputException("image height and width must be positive, got " + height + " x " + width);
        }
        return new Shape(Math.multiplyExact(height, width), channels, height);
    }

    /**
     * The shape of one example of an array whose dimensions after the first (the examples) are these: (d) flat,
     * (length, channels) a signal, (height, width, channels) an image; null for any other rank.
     */
    public static Shape ofExample(int[] dims) {
        return switch (dims.length) {
            case 1 -> dense(dims[0]);
            case 2 -> signal(dims[0], dims[1]);
            case 3 -> image(dims[0], dims[1], dims[2]);
            default -> null;
        };
    }

    /**
     * Whether this is a spatial example (a signal or an image).
     * @return whether spatial
     */
    public boolean spatial() {
        return length > 0;
    }

    /** Whether this is an image (height, width, channels). */
    public boolean image() {
        return height > 0;
    }

    /** Rows of positions: the image height, 1 for a signal. */
    public int rows() {
        return Math.max(1, height);
    }

    /** Positions per row: the image width, the signal length. */
    public int width() {
        return length / rows();
    }

    /** Values per example: length·channels, or the width of a flat vector. */
    public int size() {
        return spatial() ? Math.multiplyExact(length, channels) : channels;
    }

    /** "(height, width, channels)", "(length, channels)" or "(d)" for messages. */
    @Override
    public String toString() {
        if (image()) {
            return "(" + height + ", " + width() + ", " + channels + ")";
        }
        return spatial() ? "(" + length + ", " + channels + ")" : "(" + channels + ")";
    }
}
