/**
 * NumPy files: {@code .npy} and {@code .npz} reading and writing ({@link ntk.io.Npy},
 * {@link ntk.io.Npz}) with the array type {@link ntk.NdArray} (shape and row-major float64 data), and atomic file
 * writes (a file appears whole or not at all). {@link ntk.NdArray} is also the shaped array of the whole API
 * (inputs, targets, kernels, outputs), with the ownership rule in its comment.
 */
package ntk.io;

import ntk.NdArray;
