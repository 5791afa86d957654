package ntk.finite;

import ntk.Params;

/**
 * Second derivatives of a finite network's scalar output with respect to its parameters θ, for the Hessian drift term
 * Γ_t of SGD's stochastic differential equation (Hayou, Doucet &amp; Rousseau, eq. 15 and Prop. 4, eq. 32:
 * Γ_t(x) = Tr(Σ^{1/2} ∇²_θ f(x) Σ^{1/2})).
 *
 * <p>Every product with the Hessian is a central difference, in the parameters, of an exact first-order pass of the
 * network ({@link FiniteNetwork#backwardParams} for Hessian–vector products, {@link FiniteNetwork#jvp} for the
 * bilinear forms uᵀ∇²f(x)v), refined by one Richardson step: with D(h) = (g(θ + hv) − g(θ − hv))/(2h),
 * (4D(h/2) − D(h))/3 = ∇²·v + O(h⁴). The step is h = {@link #STEP}/‖v‖ (a perturbation of norm 10⁻⁴ in parameter
 * space). For piecewise-linear activations (ReLU) the Hessian is the almost-everywhere one (what autograd's double
 * backward gives): when a kink lies between θ − hv and θ + hv the two differences disagree, and the pair is recomputed
 * with h/16 (up to four times). Tested against PyTorch's double backward and against second differences of outputs
 * (forward passes only) in HessiansTest.
 */
public final class Hessians {
    /** The norm of the parameter perturbation of a central difference, ‖hv‖. */
    public static final double STEP = 1e-4;
    /** Relative disagreement of D(h) and D(h/2) taken as a kink between the evaluation points. */
    static final double KINK = 1e-4;

    private Hessians() {
    }

    /** ∇_θ f(x_i) of a one-output network at p, as parameters. */
    public static Params gradient(FiniteNetwork net, Params p, double[] x, int i) {
        requireScalar(net);
        int d = net.inputDim;
        double[] xi = java.util.Arrays.copyOfRange(x, i * d, (i + 1) * d);
        Params g = p.zerosLike();
        net.backwardParams(p, net.forward(p, xi, 1), new double[] {1.0}, g, null);
        return g;
    }

    /**
     * The Hessian–vector product ∇²_θ(Σ_r c_r f(x_r)) v at p, for n inputs x and weights c (length n), one output: a
     * central difference of the backward pass with one Richardson step.
     */
    public static Params hvp(FiniteNetwork net, Params p, double[] x, int n, double[] c, Params v) {
        requireScalar(net);
        double norm = v.norm();
        if (norm == 0) {
            return p.zerosLike();
        }
        double h = STEP / norm;
        for (int attempt = 0;; attempt++) {
            Params d1 = gradientDifference(net, p, x, n, c, v, h);
            Params d2 = gradientDifference(net, p, x, n, c, v, h / 2);
            double gap = d1.distance(d2);
            double scale = Math.max(d2.norm(), 1e-300);
            if (gap <= KINK * scale + 1e-9 * norm || attempt == 4) {
                Params r = d2.copy();
                r.axpy(1.0 / 3, d2.minus(d1));
                return r;
            }
            h /= 16;
        }
    }

    /**
     * The bilinear forms uᵀ ∇²_θ f(a_s) v for each of the nA inputs a (one output), from central differences of the
     * JVP: d/dh [J(a; θ + hv)·u] at h = 0, with one Richardson step.
     */
    public static double[] bilinear(FiniteNetwork net, Params p, double[] a, int nA, Params u, Params v) {
        return bilinear(net, p, a, nA, new Params[] {u}, v)[0];
    }

    /**
     * Second directional derivatives d²/ds² f(a; θ + s u) at s = 0 (= uᵀ∇²f(a)u) for each of the nA inputs a.
     */
    public static double[] secondDirectional(FiniteNetwork net, Params p, double[] a, int nA, Params u) {
        return bilinear(net, p, a, nA, u, u);
    }

    /**
     * The Hessian kernel of the training points seen from the points A: H[(s·nX + j)·nX + k] =
     * ∇_θ f(x_j)ᵀ ∇²_θ f(a_s) ∇_θ f(x_k) (symmetric in j, k), for nA inputs a and nX inputs x, one output. It is what
     * Γ_t needs: with the per-example gradients g_i = ∇f(x_i) r_i of the squared loss, Tr(Σ ∇²f(a)) is a quadratic
     * form of the residuals r in this kernel ({@link ntk.dynamics.SgdSde#withHessianKernel}). Cost: nX(nX + 1)
     * JVP passes on the nA points at each of two steps, and 4nX forward passes.
     */
    public static double[] hessianKernel(FiniteNetwork net, Params p, double[] a, int nA, double[] x, int nX) {
        requireScalar(net);
        Params[] g = new Params[nX];
        for (int j = 0; j < nX; j++) {
            g[j] = gradient(net, p, x, j);
        }
        double[] out = new double[nA * nX * nX];
        for (int k = 0; k < nX; k++) {
            Params[] dirs = java.util.Arrays.copyOfRange(g, k, nX); // j = k..nX−1
            double[][] b = bilinear(net, p, a, nA, dirs, g[k]);
            for (int jj = 0; jj < dirs.length; jj++) {
                int j = k + jj;
                for (int s = 0; s < nA; s++) {
                    out[(s * nX + j) * nX + k] = b[jj][s];
                    out[(s * nX + k) * nX + j] = b[jj][s];
                }
            }
        }
        return out;
    }

    /** u_qᵀ ∇²f(a) v for several u_q at once (the forward passes at θ ± hv shared). */
    static double[][] bilinear(FiniteNetwork net, Params p, double[] a, int nA, Params[] us, Params v) {
        requireScalar(net);
        double norm = v.norm();
        double[][] out = new double[us.length][nA];
        if (norm == 0) {
            return out;
        }
        double h = STEP / norm;
        for (int attempt = 0;; attempt++) {
            double[][] d1 = jvpDifference(net, p, a, nA, us, v, h);
            double[][] d2 = jvpDifference(net, p, a, nA, us, v, h / 2);
            double gap = 0;
            double scale = 0;
            for (int q = 0; q < us.length; q++) {
                for (int s = 0; s < nA; s++) {
                    gap = Math.max(gap, Math.abs(d1[q][s] - d2[q][s]));
                    scale = Math.max(scale, Math.abs(d2[q][s]));
                }
            }
            if (gap <= KINK * scale + 1e-9 || attempt == 4) {
                for (int q = 0; q < us.length; q++) {
                    for (int s = 0; s < nA; s++) {
                        out[q][s] = d2[q][s] + (d2[q][s] - d1[q][s]) / 3;
                    }
                }
                return out;
            }
            h /= 16;
        }
    }

    private static double[][] jvpDifference(FiniteNetwork net, Params p, double[] a, int nA, Params[] us, Params v,
            double h) {
        Params plus = p.copy();
        plus.axpy(h, v);
        Params minus = p.copy();
        minus.axpy(-h, v);
        FiniteNetwork.Forward fp = net.forward(plus, a, nA);
        FiniteNetwork.Forward fm = net.forward(minus, a, nA);
        double[][] d = new double[us.length][];
        for (int q = 0; q < us.length; q++) {
            double[] jp = net.jvp(plus, fp, us[q]);
            double[] jm = net.jvp(minus, fm, us[q]);
            d[q] = new double[nA];
            for (int s = 0; s < nA; s++) {
                d[q][s] = (jp[s] - jm[s]) / (2 * h);
            }
        }
        return d;
    }

    private static Params gradientDifference(FiniteNetwork net, Params p, double[] x, int n, double[] c, Params v,
            double h) {
        Params plus = p.copy();
        plus.axpy(h, v);
        Params minus = p.copy();
        minus.axpy(-h, v);
        Params gp = p.zerosLike();
        Params gm = p.zerosLike();
        net.backwardParams(plus, net.forward(plus, x, n), c.clone(), gp, null);
        net.backwardParams(minus, net.forward(minus, x, n), c.clone(), gm, null);
        Params d = gp.minus(gm);
        for (ntk.NdArray arr : d.asMap().values()) {
            for (int i = 0; i < arr.data.length; i++) {
                arr.data[i] /= 2 * h;
            }
        }
        return d;
    }

    private static void requireScalar(FiniteNetwork net) {
        if (net.outputs() != 1) {
            throw new ntk.BadInputException("Hessian products are for one-output networks; this one has "
                    + net.outputs() + " outputs");
        }
    }
}
