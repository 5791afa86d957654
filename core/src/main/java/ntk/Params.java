package ntk;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The raw parameters θ of a finite network, keyed as the README ("Command line") says ("{i}.W" of shape
 * (fan_out, fan_in), "{i}.b", "{i}.{j}.W" inside a Residual at spec position i), in spec order.
 * Also the type of gradients and parameter displacements, with the vector-space operations training needs.
 */
public final class Params {
    private final LinkedHashMap<String, NdArray> arrays;

    /** Empty parameters, filled with {@link #put}. */
    public Params() {
        this.arrays = new LinkedHashMap<>();
    }

    /**
     * Parameters from named arrays (e.g. read with {@code Npz.read}; check them with
     * {@code FiniteNetwork.validate}). The map is copied, the arrays are not.
     *
     * @param arrays key → array, in spec order
     */
    public Params(Map<String, NdArray> arrays) {
        this.arrays = new LinkedHashMap<>(arrays);
    }

    /**
     * Sets one array.
     *
     * @param key e.g. "0.W"
     * @param a its values
     */
    public void put(String key, NdArray a) {
        arrays.put(key, a);
    }

    /**
     * One array.
     *
     * @param key e.g. "0.W"
     * @return the array, or null
     */
    public NdArray get(String key) {
        return arrays.get(key);
    }

    /**
     * One array's elements, not copied.
     *
     * @param key e.g. "0.W"
     * @return the elements in C order
     */
    public double[] data(String key) {
        return arrays.get(key).data;
    }

    /**
     * Every array by key, in spec order (a read-only view; what {@code Npz.write} writes).
     *
     * @return key → array
     */
    public Map<String, NdArray> asMap() {
        return java.util.Collections.unmodifiableMap(arrays);
    }

    /**
     * The number of scalar parameters P.
     *
     * @return the total element count
     */
    public int size() {
        long s = 0;
        for (NdArray a : arrays.values()) {
            s += a.data.length;
        }
        return Math.toIntExact(s);
    }

    /** Zeros with the same keys and shapes. */
    public Params zerosLike() {
        Params z = new Params();
        for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
            z.put(e.getKey(), new NdArray(e.getValue().shape, new double[e.getValue().data.length]));
        }
        return z;
    }

    /** A deep copy. */
    public Params copy() {
        Params c = new Params();
        for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
            c.put(e.getKey(), new NdArray(e.getValue().shape, e.getValue().data.clone()));
        }
        return c;
    }

    /** this += alpha · x (same keys). */
    public void axpy(double alpha, Params x) {
        for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
            double[] d = e.getValue().data;
            double[] s = x.data(e.getKey());
            for (int i = 0; i < d.length; i++) {
                d[i] = Math.fma(alpha, s[i], d[i]);
            }
        }
    }

    /** Sets every value to v. */
    public void fill(double v) {
        for (NdArray a : arrays.values()) {
            java.util.Arrays.fill(a.data, v);
        }
    }

    /** ‖this − other‖ (same keys), without forming the difference. */
    public double distance(Params other) {
        double s = 0;
        for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
            double[] a = e.getValue().data;
            double[] b = other.data(e.getKey());
            for (int i = 0; i < a.length; i++) {
                double d = a[i] - b[i];
                s = Math.fma(d, d, s);
            }
        }
        return Math.sqrt(s);
    }

    /** this − other, as new parameters. */
    public Params minus(Params other) {
        Params r = copy();
        r.axpy(-1.0, other);
        return r;
    }

    /** Euclidean norm over all parameters. */
    public double norm() {
        double s = 0;
        for (NdArray a : arrays.values()) {
            for (double v : a.data) {
                s = Math.fma(v, v, s);
            }
        }
        return Math.sqrt(s);
    }

    /** True when every value is finite. */
    public boolean allFinite() {
        for (NdArray a : arrays.values()) {
            for (double v : a.data) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }
}
