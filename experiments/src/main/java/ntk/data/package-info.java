/**
 * The MNIST digits the experiments use: a 10,000-digit subset shipped in the jar
 * ({@link ntk.data.Mnist#shipped()}) and the loader of the full MNIST IDX files (read by {@link ntk.io.Idx}). Pixels are scaled to [0, 1], images are
 * row-major rows of 784 values. Used by the experiments and the command line only.
 */
package ntk.data;
