package ntk.activations;

/**
 * Numerical E[φ(u)φ(v)] and E[φ'(u)φ'(v)] for (u, v) ~ N(0, [[q1, s12], [s12, q2]]), usable on any
 * {@link Activation}. With ρ = s12/√(q1 q2) (clamped to [-1, 1]; ρ = 0 when q1 q2 = 0) the pair is
 * written u = √q1 z1, v = √q2 (ρ z1 + √(1-ρ²) z2) with z1, z2 independent standard normals.
 *
 * <ul>
 * <li>Smooth activations: tensor Gauss–Hermite (probabilists') of order {@link #hermiteOrder()} in z1 and z2.</li>
 * <li>Activations with a kink at 0 ({@link Activation#smooth()} false): the outer integral is split at
 *   z1 = 0 and the inner one at the z2 where v = 0, every piece truncated to |z| ≤ {@link #TRUNCATION}
 *   and integrated with Gauss–Legendre of order {@link #legendreOrder()}, so each piece is analytic
 *   and the rule converges exponentially.</li>
 * </ul>
 * Instances are immutable and thread-safe; scratch space is allocated per {@link #expectations} call.
 */
public final class GaussianQuadrature {
    /** Half-width of the truncated range (in standard deviations) of the split rule. */
    public static final double TRUNCATION = 9.0;
    /** Nodes whose normalised weight is below this are skipped (their contribution is below 1e-16 relative). */
    private static final double TINY_WEIGHT = 1e-18;

    /** Orders chosen by measurement, see GaussianQuadratureTest. */
    public static final int DEFAULT_HERMITE_ORDER = 64;
    public static final int DEFAULT_LEGENDRE_ORDER = 40;

    private static volatile GaussianQuadrature defaultInstance;

    private final int hermiteOrder;
    private final int legendreOrder;
    // Gauss–Hermite nodes/weights restricted to weights >= TINY_WEIGHT
    private final double[] hz;
    private final double[] hw;
    // Gauss–Legendre reference rule on [-1, 1]
    private final double[] lt;
    private final double[] lw;
    // outer nodes of the split rule: [-L, 0] and [0, L], weights include the normal density
    private final double[] oz;
    private final double[] ow;

    public GaussianQuadrature(int hermiteOrder, int legendreOrder) {
        this.hermiteOrder = hermiteOrder;
        this.legendreOrder = legendreOrder;
        double[][] h = GaussRules.hermite(hermiteOrder);
        int keep = 0;
        for (double w : h[1]) {
            if (w >= TINY_WEIGHT) {
                keep++;
            }
        }
        hz = new double[keep];
        hw = new double[keep];
        for (int i = 0, j = 0; i < hermiteOrder; i++) {
            if (h[1][i] >= TINY_WEIGHT) {
                hz[j] = h[0][i];
                hw[j] = h[1][i];
                j++;
            }
        }
        double[][] l = GaussRules.legendre(legendreOrder);
        lt = l[0];
        lw = l[1];
        double half = 0.5 * TRUNCATION;
        int m = legendreOrder;
        double[] z = new double[2 * m];
        double[] w = new double[2 * m];
        keep = 0;
        for (int p = 0; p < 2; p++) {
            double mid = p == 0 ? -half : half;
            for (int k = 0; k < m; k++) {
                double zz = mid + half * lt[k];
                double ww = half * lw[k] * SpecialFunctions.normalPdf(zz);
                if (ww >= TINY_WEIGHT) {
                    z[keep] = zz;
                    w[keep] = ww;
                    keep++;
                }
            }
        }
        oz = java.util.Arrays.copyOf(z, keep);
        ow = java.util.Arrays.copyOf(w, keep);
    }

    /** The shared instance with the default orders. */
    public static GaussianQuadrature standard() {
        GaussianQuadrature g = defaultInstance;
        if (g == null) {
            synchronized (GaussianQuadrature.class) {
                g = defaultInstance;
                if (g == null) {
                    g = new GaussianQuadrature(DEFAULT_HERMITE_ORDER, DEFAULT_LEGENDRE_ORDER);
                    defaultInstance = g;
                }
            }
        }
        return g;
    }

    public int hermiteOrder() {
        return hermiteOrder;
    }

    public int legendreOrder() {
        return legendreOrder;
    }

    /** As {@link Activation#expectations}, with the rule chosen by {@link Activation#smooth()}. */
    public void expectations(Activation act, double[] q1, double[] q2, double[] s12, int n,
                             double[] outPhi, double[] outDphi) {
        expectations(act, !act.smooth(), q1, q2, s12, n, outPhi, outDphi);
    }

    /** As {@link Activation#expectations}, forcing the split (kink-aware) rule or plain Gauss–Hermite. */
    public void expectations(Activation act, boolean split, double[] q1, double[] q2, double[] s12, int n,
                             double[] outPhi, double[] outDphi) {
        boolean wantD = outDphi != null;
        int outerN = split ? oz.length : hz.length;
        int innerN = split ? 2 * legendreOrder : hz.length;
        double[] outerZ = split ? oz : hz;
        double[] outerW = split ? ow : hw;
        double[] ux = new double[outerN];
        double[] gv = new double[outerN];
        double[] gd = wantD ? new double[outerN] : null;
        double[] vx = new double[Math.max(innerN, outerN)];
        double[] vw = new double[innerN];
        double[] hv = new double[vx.length];
        double[] hd = wantD ? new double[vx.length] : null;
        double lastQ1 = Double.NaN;
        for (int i = 0; i < n; i++) {
            double a = q1[i];
            double b = q2[i];
            double c = s12[i];
            if (!(Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(lastQ1))) {
                double sa = Math.sqrt(a);
                for (int k = 0; k < outerN; k++) {
                    ux[k] = sa * outerZ[k];
                }
                act.evaluate(ux, outerN, gv, gd);
                lastQ1 = a;
            }
            double prod = a * b;
            double rho = prod > 0 ? c / Math.sqrt(prod) : 0.0;
            rho = Math.max(-1.0, Math.min(1.0, rho));
            double sb = Math.sqrt(b);
            double s = Math.sqrt((1.0 - rho) * (1.0 + rho));
            double ePhi = 0.0;
            double eD = 0.0;
            if (s == 0.0 || sb == 0.0) {
                // v = √q2 ρ z1 is a function of z1 alone
                for (int k = 0; k < outerN; k++) {
                    vx[k] = sb * rho * outerZ[k];
                }
                act.evaluate(vx, outerN, hv, hd);
                for (int k = 0; k < outerN; k++) {
                    ePhi += outerW[k] * gv[k] * hv[k];
                    if (wantD) {
                        eD += outerW[k] * gd[k] * hd[k];
                    }
                }
            } else if (!split) {
                int m = hz.length;
                for (int k = 0; k < outerN; k++) {
                    double mu = rho * hz[k];
                    for (int j = 0; j < m; j++) {
                        vx[j] = sb * (mu + s * hz[j]);
                    }
                    act.evaluate(vx, m, hv, hd);
                    double sp = 0.0;
                    double sd = 0.0;
                    for (int j = 0; j < m; j++) {
                        sp += hw[j] * hv[j];
                    }
                    if (wantD) {
                        for (int j = 0; j < m; j++) {
                            sd += hw[j] * hd[j];
                        }
                    }
                    ePhi += hw[k] * gv[k] * sp;
                    eD += wantD ? hw[k] * gd[k] * sd : 0.0;
                }
            } else {
                double lim = TRUNCATION;
                for (int k = 0; k < outerN; k++) {
                    double mu = rho * oz[k];
                    double kink = Math.max(-lim, Math.min(lim, -mu / s)); // v = 0 at z2 = -ρ z1 / √(1-ρ²)
                    int m = fillPanel(-lim, kink, vx, vw, 0);
                    m = fillPanel(kink, lim, vx, vw, m);
                    for (int j = 0; j < m; j++) {
                        vx[j] = sb * (mu + s * vx[j]);
                    }
                    act.evaluate(vx, m, hv, hd);
                    double sp = 0.0;
                    double sd = 0.0;
                    for (int j = 0; j < m; j++) {
                        sp += vw[j] * hv[j];
                    }
                    if (wantD) {
                        for (int j = 0; j < m; j++) {
                            sd += vw[j] * hd[j];
                        }
                    }
                    ePhi += ow[k] * gv[k] * sp;
                    eD += wantD ? ow[k] * gd[k] * sd : 0.0;
                }
            }
            outPhi[i] = ePhi;
            if (wantD) {
                outDphi[i] = eD;
            }
        }
    }

    /** Appends the Gauss–Legendre nodes of [lo, hi] to z (from index m) with weights × normal density; returns the new count. */
    private int fillPanel(double lo, double hi, double[] z, double[] w, int m) {
        double half = 0.5 * (hi - lo);
        if (!(half > 0.0)) {
            return m;
        }
        double mid = 0.5 * (hi + lo);
        for (int k = 0; k < legendreOrder; k++) {
            double zz = mid + half * lt[k];
            z[m] = zz;
            w[m] = half * lw[k] * SpecialFunctions.INV_SQRT_2PI * Math.exp(-0.5 * zz * zz);
            m++;
        }
        return m;
    }
}
