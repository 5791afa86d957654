// An n-dimensional float64 array in C (row-major) order: the in-memory form of .npy/.npz data.
package ntk;

import java.util.Arrays;

/**
 * An n-dimensional array of doubles stored flat in C (row-major) order: the shaped array of the whole API (inputs
 * (n, d) or (n, length, channels), targets (n, o), kernels (n1, n2), outputs). Any rank is allowed, including 0 (a
 * scalar, one element) and axes of length zero.
 *
 * <p><b>Ownership.</b> An NdArray wraps its elements, it does not copy them ({@link #data()} is the array given to the
 * constructor), and its shape never changes. The rule the library keeps, so that no caller needs defensive copies:
 * <ul>
 *   <li>a library method never writes into an NdArray it is given (it copies where it must work in place);</li>
 *   <li>an NdArray a library method returns is new and belongs to the caller, who may write into it.</li>
 * </ul>
 * Whoever writes into an array another party still reads (e.g. one given to a fitted regressor) changes what that
 * party sees; don't. Read the elements through {@link #data()} and {@link #get}, the shape through {@link #shape()},
 * {@link #dim} and {@link #rank}; the public fields are the same objects, kept for existing code.
 */
public final class NdArray {
    /** Largest element count supported (the usual JVM array size limit). */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /** Length of each axis; never modified after construction (prefer {@link #shape()}, a copy). */
    public final int[] shape;
    /** Elements in C order; {@code data.length == size()} (the same array as {@link #data()}). */
    public final double[] data;

    /**
     * Wraps {@code data} (not copied) as an array of the given shape (copied).
     *
     * @throws IllegalArgumentException if a dimension is negative, the element count exceeds
     *     {@link #MAX_ELEMENTS}, or {@code data.length} does not equal the product of the shape
     */
    public NdArray(int[] shape, double[] data) {
        if (shape == null || data == null) {
            throw new NullPointerException(shape == null ? "shape" : "data");
        }
        this.shape = shape.clone();
        long n = elementCount(this.shape);
        if (n < 0) {
            throw new IllegalArgumentException("shape " + shapeString(this.shape)
                    + " has a negative dimension");
        }
        if (n > MAX_ELEMENTS) {
            throw new IllegalArgumentException("shape " + shapeString(this.shape)
                    + " has more than " + MAX_ELEMENTS + " elements");
        }
        if (data.length != n) {
            throw new IllegalArgumentException("data length " + data.length + " does not match shape "
                    + shapeString(this.shape) + " (" + n + " elements)");
        }
        this.data = data;
    }

    /** A zero-filled array of the given shape. */
    public static NdArray zeros(int... shape) {
        long n = elementCount(shape);
        if (n < 0 || n > MAX_ELEMENTS) {
            throw new IllegalArgumentException("bad shape " + shapeString(shape));
        }
        return new NdArray(shape, new double[(int) n]);
    }

    /** A rank-0 (scalar) array holding {@code v}. */
    public static NdArray scalar(double v) {
        return new NdArray(new int[0], new double[] {v});
    }

    /** A rank-1 array holding a copy of {@code v}. */
    public static NdArray vector(double... v) {
        return new NdArray(new int[] {v.length}, v.clone());
    }

    /**
     * A rank-2 array copied from rectangular {@code rows}; zero rows give shape (0, 0).
     *
     * @throws IllegalArgumentException if the rows have different lengths
     */
    public static NdArray of(double[][] rows) {
        int r = rows.length;
        int c = r == 0 ? 0 : rows[0].length;
        long n = (long) r * c;
        if (n > MAX_ELEMENTS) {
            throw new IllegalArgumentException("too many elements: " + n);
        }
        double[] d = new double[(int) n];
        for (int i = 0; i < r; i++) {
            if (rows[i].length != c) {
                throw new IllegalArgumentException("ragged rows: row 0 has " + c + " columns, row " + i
                        + " has " + rows[i].length);
            }
            System.arraycopy(rows[i], 0, d, i * c, c);
        }
        return new NdArray(new int[] {r, c}, d);
    }

    /** Copies a rank-2 array out as rows. @throws IllegalStateException if the rank is not 2 */
    public double[][] toRows() {
        if (shape.length != 2) {
            throw new IllegalStateException("toRows needs a rank-2 array, shape is " + shapeString());
        }
        int r = shape[0];
        int c = shape[1];
        double[][] out = new double[r][c];
        for (int i = 0; i < r; i++) {
            System.arraycopy(data, i * c, out[i], 0, c);
        }
        return out;
    }

    /** Number of axes. */
    public int rank() {
        return shape.length;
    }

    /** Number of elements (1 for a scalar). */
    public int size() {
        return data.length;
    }

    /** Length of axis {@code axis}. */
    public int dim(int axis) {
        return shape[axis];
    }

    /** A copy of the shape. */
    public int[] shapeCopy() {
        return shape.clone();
    }

    /** A copy of the shape (the length of each axis). */
    public int[] shape() {
        return shape.clone();
    }

    /** The elements in C order, not copied (see the ownership rule in the class comment). */
    public double[] data() {
        return data;
    }

    /** A deep copy: the same shape, its own elements. */
    public NdArray copy() {
        return new NdArray(shape, data.clone());
    }

    /**
     * The same elements seen with another shape of the same size (C order), not copied; e.g. a flat kernel as
     * {@code (n1, n2)}.
     *
     * @throws IllegalArgumentException if the sizes differ
     */
    public NdArray reshape(int... newShape) {
        return new NdArray(newShape, data);
    }

    /** A rank-2 array (rows, cols) wrapping {@code data} (not copied), row-major. */
    public static NdArray matrix(int rows, int cols, double[] data) {
        return new NdArray(new int[] {rows, cols}, data);
    }

    /** The shape written as Python does: "()", "(5,)", "(3, 4)". */
    public String shapeString() {
        return shapeString(shape);
    }

    /**
     * The element at the given multi-index (one index per axis; none for a scalar).
     *
     * @throws IllegalArgumentException if the number of indices is not the rank
     * @throws IndexOutOfBoundsException if an index is out of range
     */
    public double get(int... idx) {
        return data[offset(idx)];
    }

    /** Sets the element at the given multi-index; see {@link #get(int...)}. */
    public void set(double v, int... idx) {
        data[offset(idx)] = v;
    }

    /** Flat C-order offset of a multi-index. */
    public int offset(int... idx) {
        if (idx.length != shape.length) {
            throw new IllegalArgumentException("need " + shape.length + " indices for shape "
                    + shapeString() + ", got " + idx.length);
        }
        int off = 0;
        for (int k = 0; k < idx.length; k++) {
            if (idx[k] < 0 || idx[k] >= shape[k]) {
                throw new IndexOutOfBoundsException("index " + idx[k] + " out of range for axis " + k
                        + " of shape " + shapeString());
            }
            off = off * shape[k] + idx[k];
        }
        return off;
    }

    /** The multi-index of flat C-order offset {@code flat}. */
    public int[] unravel(int flat) {
        if (flat < 0 || flat >= data.length) {
            throw new IndexOutOfBoundsException("flat index " + flat + " out of range for size " + data.length);
        }
        int[] idx = new int[shape.length];
        for (int k = shape.length - 1; k >= 0; k--) {
            idx[k] = flat % shape[k];
            flat /= shape[k];
        }
        return idx;
    }

    /** Equal shapes and bitwise-equal elements (so NaN equals NaN, and 0.0 differs from -0.0). */
    @Override
    public boolean equals(Object o) {
        return o instanceof NdArray a && Arrays.equals(shape, a.shape) && Arrays.equals(data, a.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("NdArray").append(shapeString()).append(' ');
        int n = Math.min(data.length, 8);
        sb.append('[');
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append(data[i]);
        }
        return sb.append(data.length > n ? ", ...]" : "]").toString();
    }

    /**
     * Python-style tuple text for a shape or index: "()", "(5,)", "(3, 4)" (as NumPy writes it, also in .npy headers).
     *
     * @param dims the shape or index
     * @return its tuple text
     */
    public static String shapeString(int[] dims) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(dims[i]);
        }
        return sb.append(dims.length == 1 ? ",)" : ")").toString();
    }

    /**
     * Product of the dims, or -1 if any is negative, or {@code Long.MAX_VALUE} if it exceeds
     * {@link #MAX_ELEMENTS} (never overflows).
     */
    static long elementCount(int[] dims) {
        for (int d : dims) {
            if (d < 0) {
                return -1;
            }
            if (d == 0) {
                return 0;
            }
        }
        long n = 1;
        for (int d : dims) {
            n *= d;
            if (n > MAX_ELEMENTS) {
                return Long.MAX_VALUE;
            }
        }
        return n;
    }
}
