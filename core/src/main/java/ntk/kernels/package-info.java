/**
 * The infinite-width kernel engine: {@link ntk.kernels.KernelEngine} carries tiles of
 * kernel entries through every layer's kernel map at once and returns {@link ntk.kernels.Kernels} (the NNGP Σ and,
 * when asked, the NTK Θ) for x1 × x1 (symmetric, half the work), x1 × x2, or the diagonal only, after checking the
 * memory it needs.
 */
package ntk.kernels;
