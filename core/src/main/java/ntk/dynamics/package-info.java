/**
 * Training dynamics of an infinitely wide network in closed form, on precomputed
 * kernel arrays: the mean (and NTK-GP covariance) of the trained network at any gradient-flow time or step count
 * ({@link ntk.dynamics.KernelPredictor}, {@link ntk.dynamics.Prediction}), kernel regression at t = ∞ by one Cholesky
 * factorisation ({@link ntk.dynamics.KernelRegression}), kernel principal components, trainability diagnostics and
 * classification by one-hot regression. The loss is 1/(2n) Σ‖f − y‖². Most users reach this through
 * {@link ntk.model.KernelRegressor}.
 */
package ntk.dynamics;
