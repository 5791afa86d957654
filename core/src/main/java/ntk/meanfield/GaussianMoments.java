package ntk.meanfield;

import ntk.activations.Activation;

/**
 * The scalar Gaussian expectations the mean-field maps need, from an activation's own bivariate
 * expectations (accurate to ~1e-14): with Z ~ N(0, 1) and (u, v) of variance q and correlation c.
 */
final class GaussianMoments {
    private final Activation act;
    private final double[] q1 = new double[1];
    private final double[] q2 = new double[1];
    private final double[] s12 = new double[1];
    private final double[] phi = new double[1];
    private final double[] dphi = new double[1];

    GaussianMoments(Activation act) {
        this.act = act;
    }

    private void eval(double q, double c) {
        q1[0] = q;
        q2[0] = q;
        s12[0] = c * q;
        act.expectations(q1, q2, s12, 1, phi, dphi);
    }

    /** E[φ(√q Z)²]. */
    double phiSquared(double q) {
        eval(q, 1.0);
        return phi[0];
    }

    /** E[φ'(√q Z)²]. */
    double dphiSquared(double q) {
        eval(q, 1.0);
        return dphi[0];
    }

    /** E[φ(u)φ(v)] for variance q, correlation c. */
    double phiPhi(double q, double c) {
        eval(q, c);
        return phi[0];
    }

    /** E[φ'(u)φ'(v)] for variance q, correlation c. */
    double dphiDphi(double q, double c) {
        eval(q, c);
        return dphi[0];
    }
}
