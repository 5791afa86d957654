package ntk.activations;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * E[φ(u)φ(v)] and E[φ'(u)φ'(v)] for the kernel entries whose correlation is too near ±1 for the Hermite series of
 * {@link HermiteSeries} (its tail bound needs |ρ|^K small), by one outer 1-D integral of a Gaussian smoothing.
 *
 * <p>With q_L = max(q1, q2), q_S = min(q1, q2), ε = √(1 − ρ²), write u = √q_L z and v = √q_S (ρ z + ε w) for
 * independent standard normals z, w (the correlation is symmetric in the pair, so the larger variance is taken
 * outside). Then
 * <pre>
 *   E[φ(u)φ(v)] = E_z[ φ(√q_L z) g(√q_S ρ z) ],   g(μ) = E_w[φ(μ + σ w)],   σ = √q_S ε,
 * </pre>
 * and likewise for φ'. Near |ρ| = 1 the smoothing width σ is small, so the inner expectation is cheap:
 * <ul>
 * <li>in closed form where φ has one ({@link QuadratureActivation#gaussianSmoothing}: Elu, Gelu), any σ;</li>
 * <li>otherwise, for smooth φ, by an n-point Gauss–Hermite rule, n chosen per σ from a calibration of φ made once
 *   (see {@link #nodes}); σ beyond the calibrated range (no n ≤ 64 converges) and kinked φ without a closed form
 *   return {@code false}, and the caller uses the quadrature.</li>
 * </ul>
 * The outer integral is Gauss–Legendre with 12 nodes per panel on [−9, 9], split at z = 0 (the kinks of this
 * package's activations are there), first panel of width h = 2^−j, doubling to 1, then unit panels. h is the largest
 * power of two ≤ min(1, 1.5/√q_L) (the steepness of φ(√q_L z), as the coefficient rule of HermiteSeries) and, for a
 * kinked φ, ≤ 2ε/|ρ|: g(√q_S ρ z) then turns over a width ε/|ρ| around z = 0 (the smoothing of the kink), which the
 * geometric panels resolve.
 *
 * <p>Every step is a fixed sequence of IEEE operations on the entry's own (q1, q2, ρ): the same bits whatever the
 * thread, tile or JIT state.
 */
final class NearOne {
    /** Half-width of the outer rule in standard deviations (the Gaussian weight beyond is below 1e-18). */
    static final double RANGE = 9.0;
    /** For kinked φ the first outer panel is at most this many ε/|ρ| wide. */
    static final double KINK_WIDTHS = 2.0;
    /**
     * Gauss–Legendre nodes per outer panel: measured in NearOneTest, 12 is as accurate as 16 (graded panels: ratio 2,
     * Bernstein ellipse ≥ 4.8 for the nearest pole of tanh(√q z)); 10 on the unit panels loses 1e-13 for Gelu.
     */
    static final int PANEL = 12;
    private static final double[] LT;
    private static final double[] LW;
    /** Gauss–Hermite sizes tried by the calibration, ascending; each is checked against the rule of twice its size. */
    static final int[] CANDIDATES = {1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64};
    /** Calibrated smoothing widths σ_j = 2^{(j − 48)/2}, j = 0..50 (6e-8 to 2). */
    static final double[] SIGMA = new double[51];
    /** Agreement of the n- and 2n-point smoothings at every calibration point, relative to 1 + |g|. */
    static final double CALIBRATION_TOL = 2e-15;

    static {
        double[][] l = GaussRules.legendre(PANEL);
        LT = l[0];
        LW = l[1];
        for (int j = 0; j < SIGMA.length; j++) {
            SIGMA[j] = StrictMath.pow(2.0, (j - 48) / 2.0);
        }
    }

    private static final AtomicReferenceArray<double[][]> OUTER = new AtomicReferenceArray<>(64);
    private static final AtomicReferenceArray<double[][]> HERMITE = new AtomicReferenceArray<>(129);
    /**
     * Calibrations by activation (class and spec): per σ_j the Gauss–Hermite size, −1 where none ≤ 64 converges, 0 while
     * not yet calibrated (each level on first need: a fresh JVM runs the calibration before the JIT has compiled φ).
     */
    private static final ConcurrentHashMap<String, AtomicIntegerArray> CALIBRATIONS = new ConcurrentHashMap<>();

    private final Activation act;
    private final QuadratureActivation closed;
    private volatile AtomicIntegerArray sizes;

    NearOne(Activation act) {
        this.act = act;
        QuadratureActivation qa = act instanceof QuadratureActivation x ? x : null;
        this.closed = qa != null && qa.hasGaussianSmoothing() ? qa : null;
    }

    /** The outer rule of level j: {z, w}, nodes symmetric, weights including the N(0, 1) density. */
    static double[][] outer(int j) {
        double[][] r = OUTER.get(j);
        if (r == null) {
            OUTER.compareAndSet(j, null, buildOuter(j));
            r = OUTER.get(j);
        }
        return r;
    }

    private static double[][] buildOuter(int j) {
        java.util.List<Double> breaks = new java.util.ArrayList<>();
        breaks.add(0.0);
        for (double b = Math.scalb(1.0, -j); b < 1.0; b *= 2) {
            breaks.add(b);
        }
        for (int b = 1; b <= (int) RANGE; b++) {
            breaks.add((double) b);
        }
        return GaussRules.symmetricNormalRule(breaks, LT, LW);
    }

    /** The probabilists' Gauss–Hermite rule of order n (weights summing to 1), cached. */
    static double[][] hermite(int n) {
        double[][] r = HERMITE.get(n);
        if (r == null) {
            HERMITE.compareAndSet(n, null, GaussRules.hermite(n));
            r = HERMITE.get(n);
        }
        return r;
    }

    /**
     * The Gauss–Hermite size for smoothing width σ, or −1 when the calibration found no size ≤ 64 at that width.
     * The calibration of level j (once per activation, on first need; a pure function of φ and j, so the choice does
     * not depend on which entries came first): none if the 64-point smoothings disagree with the 128-point ones, else
     * the smallest candidate n whose smoothings E[φ(μ + σ_j W)] and
     * E[φ'(μ + σ_j W)] agree with the 2n-point ones to {@link #CALIBRATION_TOL}·(1 + |g|) at all μ ∈ [−16, 16] in steps
     * of 1/16 (beyond, these φ are linear or constant up to e^{−16}); a width σ ≤ σ_j uses σ_j's size (the
     * Gauss–Hermite error grows with σ).
     */
    int nodes(double sigma) {
        AtomicIntegerArray s = sizes;
        if (s == null) {
            s = CALIBRATIONS.computeIfAbsent(act.getClass().getName() + " " + act.spec(),
                    k -> new AtomicIntegerArray(SIGMA.length));
            sizes = s;
        }
        int lo = 0;
        int hi = SIGMA.length - 1;
        if (!(sigma <= SIGMA[hi])) {
            return -1;
        }
        while (lo < hi) { // smallest j with SIGMA[j] >= sigma
            int mid = (lo + hi) >>> 1;
            if (SIGMA[mid] >= sigma) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        int n = s.get(lo);
        if (n == 0) {
            n = calibrateLevel(act, lo);
            s.set(lo, n);
        }
        return n;
    }

    /** The calibrated sizes of all levels (for tests and the README's table); −1 from the first level without one. */
    static int[] calibrate(Activation act) {
        int[] sizes = new int[SIGMA.length];
        java.util.Arrays.fill(sizes, -1);
        for (int j = 0; j < SIGMA.length; j++) {
            sizes[j] = calibrateLevel(act, j);
            if (sizes[j] < 0) {
                break;
            }
        }
        return sizes;
    }

    /** The size of level j (see {@link #nodes}), or −1. */
    static int calibrateLevel(Activation act, int j) {
        int grid = 513;
        double[] mu = new double[grid];
        for (int i = 0; i < grid; i++) {
            mu[i] = -16.0 + i / 16.0;
        }
        double[] coarse = new double[33]; // every 16th point of the grid: a candidate failing there fails on the grid
        for (int i = 0; i < coarse.length; i++) {
            coarse[i] = mu[16 * i];
        }
        double[][] work = new double[7][];
        work[0] = new double[grid * 2 * CANDIDATES[CANDIDATES.length - 1]];
        work[1] = new double[work[0].length];
        work[2] = new double[work[0].length];
        for (int k = 3; k < 7; k++) {
            work[k] = new double[grid];
        }
        // the largest candidate first: a width where even it fails (the usual case beyond the range) costs one test
        int last = CANDIDATES.length - 1;
        if (!agree(act, coarse, SIGMA[j], CANDIDATES[last], work) || !agree(act, mu, SIGMA[j], CANDIDATES[last], work)) {
            return -1;
        }
        for (int c = 0; c < last; c++) {
            if (agree(act, coarse, SIGMA[j], CANDIDATES[c], work) && agree(act, mu, SIGMA[j], CANDIDATES[c], work)) {
                return CANDIDATES[c];
            }
        }
        return CANDIDATES[last];
    }

    /** Whether the n- and 2n-point smoothings of φ and φ' at width σ agree to CALIBRATION_TOL·(1 + |g|) at all μ. */
    private static boolean agree(Activation act, double[] mu, double sigma, int n, double[][] work) {
        int grid = mu.length;
        double[] g1 = work[3];
        double[] d1 = work[4];
        double[] g2 = work[5];
        double[] d2 = work[6];
        smoothGH(act, mu, grid, sigma, n, work[0], work[1], work[2], g1, d1);
        smoothGH(act, mu, grid, sigma, 2 * n, work[0], work[1], work[2], g2, d2);
        for (int i = 0; i < grid; i++) {
            if (!(Math.abs(g1[i] - g2[i]) <= CALIBRATION_TOL * (1.0 + Math.abs(g2[i]))
                    && Math.abs(d1[i] - d2[i]) <= CALIBRATION_TOL * (1.0 + Math.abs(d2[i])))) {
                return false;
            }
        }
        return true;
    }

    /** g[i] = Σ_k w_k φ(mu[i] + σ t_k) and gd likewise with φ' (when non-null), n-point Gauss–Hermite, fixed order. */
    static void smoothGH(Activation act, double[] mu, int m, double sigma, int n, double[] x, double[] v, double[] dv,
                         double[] g, double[] gd) {
        double[][] h = hermite(n);
        double[] t = h[0];
        double[] w = h[1];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < n; k++) {
                x[i * n + k] = Math.fma(sigma, t[k], mu[i]);
            }
        }
        act.evaluate(x, m * n, v, gd != null ? dv : null);
        for (int i = 0; i < m; i++) {
            double s = 0;
            double sd = 0;
            for (int k = 0; k < n; k++) {
                s = Math.fma(w[k], v[i * n + k], s);
            }
            g[i] = s;
            if (gd != null) {
                for (int k = 0; k < n; k++) {
                    sd = Math.fma(w[k], dv[i * n + k], sd);
                }
                gd[i] = sd;
            }
        }
    }

    /** Per-thread work arrays. */
    private static final class Scratch {
        double[] x = new double[0];
        double[] v = new double[0];
        double[] dv = new double[0];
        double[] u = new double[0];
        double[] psi = new double[0];
        double[] psiD = new double[0];
        double[] mu = new double[0];
        double[] g = new double[0];
        double[] gd = new double[0];

        void ensure(int m, int inner) {
            if (psi.length < m) {
                u = new double[m];
                psi = new double[m];
                psiD = new double[m];
                mu = new double[m];
                g = new double[m];
                gd = new double[m];
            }
            if (x.length < m * inner) {
                x = new double[m * inner];
                v = new double[m * inner];
                dv = new double[m * inner];
            }
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * out[0] = E[φ(u)φ(v)], out[1] = E[φ'(u)φ'(v)] (when wantD) for variances q1, q2 ≥ 0 (finite) and correlation
     * ρ ∈ [−1, 1]; false (out untouched) when this method does not apply (see the class comment).
     */
    boolean compute(double q1, double q2, double rho, boolean wantD, double[] out) {
        double qL = Math.max(q1, q2);
        double qS = Math.min(q1, q2);
        double r = Math.abs(rho);
        double eps = Math.sqrt((1.0 - rho) * (1.0 + rho));
        double sS = Math.sqrt(qS);
        double sigma = sS * eps;
        int n = 1;
        if (sigma > 0.0 && closed == null) {
            if (!act.smooth()) {
                return false;
            }
            n = nodes(sigma);
            if (n < 0) {
                return false;
            }
        }
        int j = 0;
        double h = 1.0;
        double kinkWidth = !act.smooth() && eps > 0.0 && r > 0.0 ? KINK_WIDTHS * eps / r : Double.POSITIVE_INFINITY;
        while (j < 60 && (h * h * qL > 2.25 || h > kinkWidth)) {
            h *= 0.5;
            j++;
        }
        double[][] rule = outer(j);
        double[] z = rule[0];
        double[] w = rule[1];
        int m = z.length;
        boolean gh = sigma > 0.0 && closed == null;
        Scratch sc = SCRATCH.get();
        sc.ensure(m, gh ? n : 1);
        double sL = Math.sqrt(qL);
        double c = sS * rho;
        for (int i = 0; i < m; i++) {
            sc.u[i] = sL * z[i];
            sc.mu[i] = c * z[i];
        }
        act.evaluate(sc.u, m, sc.psi, wantD ? sc.psiD : null);
        if (sigma == 0.0) { // v = √q_S ρ z exactly
            act.evaluate(sc.mu, m, sc.g, wantD ? sc.gd : null);
        } else if (closed != null) {
            closed.gaussianSmoothing(sc.mu, sigma, m, sc.g, wantD ? sc.gd : null);
        } else {
            smoothGH(act, sc.mu, m, sigma, n, sc.x, sc.v, sc.dv, sc.g, wantD ? sc.gd : null);
        }
        double e = 0;
        double ed = 0;
        for (int i = 0; i < m; i++) {
            e = Math.fma(w[i] * sc.psi[i], sc.g[i], e);
        }
        out[0] = e;
        if (wantD) {
            for (int i = 0; i < m; i++) {
                ed = Math.fma(w[i] * sc.psiD[i], sc.gd[i], ed);
            }
            out[1] = ed;
        }
        return true;
    }
}
