/**
 * Finite networks of the same architectures: seeded parameters, forward, backward and
 * forward-mode (JVP) passes ({@link ntk.finite.FiniteNetwork}), the empirical NTK by a structured contraction or the
 * Jacobian ({@link ntk.finite.EmpiricalNtk}), training by gradient descent or SGD, plain or linearised, on mean squared
 * error or cross-entropy ({@link ntk.finite.Trainer}), and Monte Carlo averages of kernels over networks.
 */
package ntk.finite;
