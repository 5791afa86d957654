package ntk.activations;

/**
 * A pointwise nonlinearity with everything the two lives of a network need from it:
 * the finite network uses {@link #value} and {@link #derivative}; the infinite-width
 * recursion (Jacot et al. 2018, Thm 1) uses the two bivariate Gaussian expectations
 * E[φ(u)φ(v)] and E[φ'(u)φ'(v)] for (u, v) ~ N(0, [[q1, s12], [s12, q2]]).
 */
public interface Activation {

    /** The name as written in an --arch spec, with arguments, e.g. {@code Relu} or {@code LeakyRelu(0.1)}. */
    String spec();

    /** φ(x). */
    double value(double x);

    /** φ'(x); at a kink the right-hand value used by PyTorch (Relu'(0) = 0). */
    double derivative(double x);

    /**
     * For i in [0, n): with (u, v) ~ N(0, [[q1[i], s12[i]], [s12[i], q2[i]]]) writes
     * E[φ(u)φ(v)] to outPhi[i] and, when outDphi is non-null, E[φ'(u)φ'(v)] to outDphi[i].
     * outPhi may be the same array as s12 (in-place update); q1, q2 are never written.
     * A correlation s12/sqrt(q1 q2) outside [-1, 1] by rounding is clamped.
     */
    void expectations(double[] q1, double[] q2, double[] s12, int n, double[] outPhi, double[] outDphi);

    /**
     * As {@link #expectations(double[], double[], double[], int, double[], double[])}, with a hint: vector false asks
     * for plain scalar code, for calls too few for the JIT to have compiled the vector loops (the Vector API runs
     * interpreted until C2 compiles it, about a hundred times slower; C1 compiles scalar loops within milliseconds).
     * The values must be the same bits either way; the default ignores the hint.
     */
    default void expectations(double[] q1, double[] q2, double[] s12, int n, double[] outPhi, double[] outDphi,
            boolean vector) {
        expectations(q1, q2, s12, n, outPhi, outDphi);
    }

    /** True when {@link #expectations} is a closed form, false when it is Gaussian quadrature. */
    boolean closedForm();

    /**
     * False when φ or φ' has a kink (a jump in φ' or φ''); all kinks of the activations in this
     * package are at x = 0. Quadrature then splits its integrals at u = 0 and v = 0.
     */
    default boolean smooth() {
        return true;
    }

    /**
     * Bulk evaluation: val[i] = φ(x[i]) and, when der is non-null, der[i] = φ'(x[i]) for i in [0, n).
     * Used by {@link GaussianQuadrature}; implementations may override it with a faster loop.
     */
    default void evaluate(double[] x, int n, double[] val, double[] der) {
        for (int i = 0; i < n; i++) {
            val[i] = value(x[i]);
        }
        if (der != null) {
            for (int i = 0; i < n; i++) {
                der[i] = derivative(x[i]);
            }
        }
    }
}
