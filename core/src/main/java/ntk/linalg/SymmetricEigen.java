package ntk.linalg;

/**
 * Eigendecomposition A = V diag(values) Vᵀ of a symmetric n×n matrix.
 * {@code values} are ascending; {@code vectors} is row-major n×n with row i the unit eigenvector of
 * values[i] — the array is Vᵀ (LAPACK's column-major Z read row by row, so no transpose is made).
 */
public record SymmetricEigen(int n, double[] values, double[] vectors) {

    /** Component c of the eigenvector of values[i]. */
    public double vector(int i, int c) {
        return vectors[i * n + c];
    }

    /**
     * The smallest eigenvalue.
     * @return λ_min
     */
    public double smallest() {
        return values[0];
    }

    /**
     * The largest eigenvalue.
     * @return λ_max
     */
    public double largest() {
        return values[n - 1];
    }
}
