/**
 * Every nonlinearity: its value φ, derivative φ′ and the Gaussian expectations
 * E[φ(u)φ(v)] and E[φ′(u)φ′(v)] that carry a kernel through it. Closed forms where they exist (arc-cosine kernels for
 * ReLU-like φ, Erf, Sin), the Hermite series of the smooth activations ({@code HermiteSeries}), a branch for
 * correlations near ±1 ({@code NearOne}) and a split Gauss–Legendre quadrature as reference and fallback, all built on
 * bit-reproducible vector arccos/arcsin/exp/expm1. Add an activation as one class plus one line in
 * {@link ntk.activations.Activations}.
 */
package ntk.activations;
