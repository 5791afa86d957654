/**
 * The Apache Spark engine ({@code --engine spark}): kernels computed as B × B blocks
 * by tasks that write their own block files, and kernel regression by preconditioned conjugate gradients over the
 * cached blocks (Nyström or block-Jacobi preconditioner), so the N × N kernel is never held in one place. Found by
 * the command line through {@link java.util.ServiceLoader} as a {@code ClusterEngine}.
 */
package ntk.spark;
