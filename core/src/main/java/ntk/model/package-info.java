/**
 * The user-level model: {@link ntk.model.KernelRegressor} fits an infinitely wide
 * network (NNGP or NTK) on inputs or precomputed kernels and predicts its mean and covariance at any training time,
 * choosing Cholesky for t = ∞ alone and one eigendecomposition otherwise; {@link ntk.model.MemoryPlan} is its memory
 * estimate before any work, {@link ntk.model.Predictions} the result.
 */
package ntk.model;
