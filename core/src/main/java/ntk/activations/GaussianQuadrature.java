package ntk.activations;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Numerical E[φ(u)φ(v)] and E[φ'(u)φ'(v)] for (u, v) ~ N(0, [[q1, s12], [s12, q2]]), usable on any
 * {@link Activation}. With ρ = s12/√(q1 q2) (clamped to [-1, 1]; ρ = 0 when q1 q2 = 0) the pair is
 * written u = √q1 z1, v = √q2 (ρ z1 + √(1-ρ²) z2) with z1, z2 independent standard normals.
 *
 * <ul>
 * <li>Split rule (the default, see {@link #compute}): the outer integral is split at z1 = 0 and the inner one
 *   at the z2 where v = 0, every piece truncated to |z| ≤ {@link #TRUNCATION} and integrated with Gauss–Legendre
 *   of order {@link #legendreOrder()}, so each piece is analytic for activations whose only kink is at 0 and the
 *   rule converges exponentially. When ρ is near ±1 the outer panels are graded further (see GRADING_WIDTHS).
 *   Splitting at 0 also helps smooth activations, which are steepest at 0 (tanh, erf), so it is used for them too
 *   with a higher order ({@link #forActivation}).</li>
 * <li>Plain tensor Gauss–Hermite (probabilists') of order {@link #hermiteOrder()} in z1 and z2: available
 *   for comparison; measured to converge far more slowly for steep activations at q ≳ 1.</li>
 * </ul>
 * Instances are immutable and thread-safe; scratch space is allocated per {@link #expectations} call.
 */
public final class GaussianQuadrature {
    /** Half-width of the truncated range (in standard deviations) of the split rule. */
    public static final double TRUNCATION = 9.0;
    /** Nodes whose normalised weight is below this are skipped (their contribution is below 1e-16 relative). */
    private static final double TINY_WEIGHT = 1e-18;
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    /** Graded outer panels [-L,-w],[-w,0],[0,w],[w,L] with w = GRADING_WIDTHS·√(1-ρ²)/|ρ| are used when w < GRADING_THRESHOLD·L. */
    static final double GRADING_WIDTHS = 8.0;
    static final double GRADING_THRESHOLD = 1.0;

    /**
     * Orders chosen by measurement (QuadratureOrderStudy; q1, q2 in {0.05, 0.3, 1, 3, 10}, ρ in {0, ±0.3/0.5, ±0.9,
     * ±0.999999, ±1}, error relative to √(E φ(u)² E φ(v)²)): split rule, Legendre order per panel M -&gt; worst error
     * over all twelve activations: M=40 6e-15 (kinked and Softplus/Sigmoid/Silu/Elu), but Tanh 7e-9, Erf 3e-8, Gelu 1e-10;
     * M=48 Tanh 8e-11, Erf 2e-10, Gelu 1.4e-13; M=64 at most 1e-14 for all. Plain Gauss–Hermite is much worse for
     * steep activations: Tanh needs N=128 for 2e-11 at q &lt;= 1 and N=200 gives only 1e-6 at q = 4 and 1e-3 at q = 10.
     */
    public static final int DEFAULT_HERMITE_ORDER = 64;
    /** Legendre order per panel of the split rule used for smooth activations (measured worst error 1e-14 at q &lt;= 10). */
    public static final int SMOOTH_LEGENDRE_ORDER = 64;
    /** Legendre order per panel used for kinked activations (measured worst error 2e-15). */
    public static final int KINKED_LEGENDRE_ORDER = 48;

    /**
     * The shared rules, built on first use (~0.04 s of CPU in a fresh JVM, mostly the Sturm bisections of the node
     * computations): the Hermite series' kernels of smooth activations, whose entries seldom or never need the
     * quadrature, need not pay it when the class is merely loaded.
     */
    private static final class Shared {
        static final GaussianQuadrature SMOOTH = new GaussianQuadrature(DEFAULT_HERMITE_ORDER, SMOOTH_LEGENDRE_ORDER);
        static final GaussianQuadrature KINKED = new GaussianQuadrature(DEFAULT_HERMITE_ORDER, KINKED_LEGENDRE_ORDER);
    }

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

    /**
     * A rule of these orders.
     * @param hermiteOrder points of the Gauss–Hermite rule
     * @param legendreOrder points of the split Gauss–Legendre rule
     */
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

    /** The shared rule used for {@code act}: Legendre order 48 per panel if it has kinks, 64 if smooth. */
    public static GaussianQuadrature forActivation(Activation act) {
        return act.smooth() ? Shared.SMOOTH : Shared.KINKED;
    }

    /** The default E[φφ], E[φ'φ'] by quadrature for any activation (split rule with the order of {@link #forActivation}). */
    public static void compute(Activation act, double[] q1, double[] q2, double[] s12, int n,
                               double[] outPhi, double[] outDphi) {
        forActivation(act).expectations(act, true, q1, q2, s12, n, outPhi, outDphi);
    }

    /**
     * The Gauss–Hermite order.
     * @return its point count
     */
    public int hermiteOrder() {
        return hermiteOrder;
    }

    /**
     * The Gauss–Legendre order.
     * @return its point count
     */
    public int legendreOrder() {
        return legendreOrder;
    }

    /** As {@link Activation#expectations}, with the split (kink-aware) rule if {@code split}, else plain tensor Gauss–Hermite. */
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
        int gn = split ? 4 * legendreOrder : 0;
        double[] gz = new double[gn];
        double[] gw = new double[gn];
        double[] gu = new double[gn];
        double[] ggv = new double[gn];
        double[] ggd = wantD ? new double[gn] : null;
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
            double sq = ArcCosine.sqrtProduct(a, b); // stays right where a·b leaves the double range
            double rho = sq > 0 ? c / sq : 0.0;
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
                double[] pz = oz;
                double[] pw = ow;
                double[] pg = gv;
                double[] pd = gd;
                int pn = outerN;
                double w = GRADING_WIDTHS * s / Math.abs(rho);
                if (w < TRUNCATION * GRADING_THRESHOLD) {
                    // ρ near ±1: E[h(v) | z1] turns sharply around z1 = 0 over a width ~ √(1-ρ²)/|ρ|; add panel breaks at ±w
                    pn = fillPanel(-TRUNCATION, -w, gz, gw, 0);
                    pn = fillPanel(-w, 0.0, gz, gw, pn);
                    pn = fillPanel(0.0, w, gz, gw, pn);
                    pn = fillPanel(w, TRUNCATION, gz, gw, pn);
                    double sa = Math.sqrt(a);
                    for (int k = 0; k < pn; k++) {
                        gu[k] = sa * gz[k];
                    }
                    act.evaluate(gu, pn, ggv, ggd);
                    pz = gz;
                    pw = gw;
                    pg = ggv;
                    pd = ggd;
                }
                double lim = TRUNCATION;
                for (int k = 0; k < pn; k++) {
                    if (pw[k] < TINY_WEIGHT) {
                        continue;
                    }
                    double mu = rho * pz[k];
                    double kink = Math.max(-lim, Math.min(lim, -mu / s)); // v = 0 at z2 = -ρ z1 / √(1-ρ²)
                    int m = fillPanel(-lim, kink, vx, vw, 0);
                    m = fillPanel(kink, lim, vx, vw, m);
                    double off = sb * mu;
                    double scl = sb * s;
                    for (int j = 0; j < m; j++) {
                        vx[j] = Math.fma(scl, vx[j], off);
                    }
                    act.evaluate(vx, m, hv, hd);
                    double sp = dot(vw, hv, m);
                    double sd = wantD ? dot(vw, hd, m) : 0.0;
                    ePhi += pw[k] * pg[k] * sp;
                    eD += wantD ? pw[k] * pd[k] * sd : 0.0;
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
        int k = 0;
        int bound = SPECIES.loopBound(legendreOrder);
        for (; k < bound; k += SPECIES.length()) {
            DoubleVector zz = DoubleVector.fromArray(SPECIES, lt, k).fma(half, mid);
            zz.intoArray(z, m + k);
            zz.mul(zz).mul(-0.5).intoArray(w, m + k);
        }
        for (; k < legendreOrder; k++) {
            double zz = Math.fma(lt[k], half, mid);
            z[m + k] = zz;
            w[m + k] = zz * zz * -0.5;
        }
        Exponentials.exp(w, m, m + legendreOrder); // bit-deterministic e^{−z²/2}, unlike VectorOperators.EXP
        double scale = half * SpecialFunctions.INV_SQRT_2PI;
        for (k = 0; k < bound; k += SPECIES.length()) {
            DoubleVector.fromArray(SPECIES, lw, k).mul(scale).mul(DoubleVector.fromArray(SPECIES, w, m + k))
                    .intoArray(w, m + k);
        }
        for (; k < legendreOrder; k++) {
            w[m + k] = lw[k] * scale * w[m + k];
        }
        return m + legendreOrder;
    }

    /** Σ_{j<n} a[j] b[j]. */
    static double dot(double[] a, double[] b, int n) {
        int j = 0;
        int bound = SPECIES.loopBound(n);
        DoubleVector acc = DoubleVector.zero(SPECIES);
        for (; j < bound; j += SPECIES.length()) {
            acc = DoubleVector.fromArray(SPECIES, a, j).fma(DoubleVector.fromArray(SPECIES, b, j), acc);
        }
        // lanes summed in a fixed order: reduceLanes(ADD) may associate differently compiled and interpreted
        double s = 0.0;
        for (int l = 0; l < SPECIES.length(); l++) {
            s += acc.lane(l);
        }
        for (; j < n; j++) {
            s += a[j] * b[j];
        }
        return s;
    }
}
