/**
 * Training dynamics of an infinitely wide network in closed form, on precomputed
 * kernel arrays: the mean (and NTK-GP covariance) of the trained network at any gradient-flow time or step count
 * ({@link ntk.dynamics.KernelPredictor}, {@link ntk.dynamics.Prediction}), kernel regression at t = ∞ by one Cholesky
 * factorisation ({@link ntk.dynamics.KernelRegression}), kernel principal components, trainability diagnostics and
 * classification by one-hot regression. The loss is 1/(2n) Σ‖f − y‖². Most users reach this through
 * {@link ntk.model.KernelRegressor}.
 *
 * <p>Names: {@code ntk.model.KernelRegressor} is the users' model (inputs in, {@code ntk.model.Predictions} out, one
 * finished result per requested time). Here, the array tier under it: {@link ntk.dynamics.KernelPredictor} is a fitted
 * eigendecomposition, {@link ntk.dynamics.Prediction} (singular) that fit on one set of test points, asked for any
 * time on demand, and {@link ntk.dynamics.KernelRegression} the t = ∞ solve alone by Cholesky. Kernels and targets go
 * in as shaped {@code ntk.NdArray}s ((n, n), (m, n), (n, o)) or as flat row-major arrays with their counts.
 */
package ntk.dynamics;
