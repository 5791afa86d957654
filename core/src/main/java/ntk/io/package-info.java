/**
 * NumPy files: {@code .npy} and {@code .npz} reading and writing ({@link ntk.io.Npy},
 * {@link ntk.io.Npz}) with the array type {@link ntk.io.NdArray} (shape and row-major float64 data), and atomic file
 * writes (a file appears whole or not at all).
 */
package ntk.io;
