/**
 * Depth and initialisation from the mean-field view: the variance and correlation
 * maps, χ₁, depth scales and phase, the edge of chaos ({@link ntk.meanfield.EdgeOfChaos}) and the NTK against depth
 * with fitted rates ({@link ntk.meanfield.DepthAnalysis}).
 */
package ntk.meanfield;
