package ntk.activations;

import java.util.concurrent.ConcurrentHashMap;

/**
 * E[φ(u)φ(v)] and E[φ'(u)φ'(v)] for (u, v) ~ N(0, [[q1, s12], [s12, q2]]) by the Hermite (Mehler) expansion, for any
 * {@link Activation} given only φ and φ' ({@link Activation#evaluate}): with ρ = s12/√(q1q2),
 * <pre>
 *   E[φ(u)φ(v)]   = Σ_k a_k(q1) a_k(q2) ρ^k,   a_k(q) = E[φ(√q Z) He_k(Z)]/√(k!),
 *   E[φ'(u)φ'(v)] = Σ_k b_k(q1) b_k(q2) ρ^k,   b_k(q) = E[φ'(√q Z) He_k(Z)]/√(k!),
 * </pre>
 * (Mehler's formula; O'Donnell, Analysis of Boolean Functions, §11.2; Daniely, Frostig &amp; Singer 2016, §4 "dual
 * activations"; Han et al. 2022, "Fast Neural Kernel Embeddings for General Activations", eq. 5). The coefficient
 * tables depend only on one input's variance, so they are computed once per distinct variance (the engine's tiles
 * reuse each example's variance across a whole row or column) and cached; per entry the cost is two Horner
 * polynomials in ρ of degree ≤ {@link #K_FIRST} (a table is first built to that degree: most entries need less), or
 * for the entries that need it ≤ {@link #K_BASE} (the rest of the same rule's degrees) or ≤ {@link #K_MAX} (a
 * second rule), each later stage of a variance's table built on first need ({@link #next}).
 *
 * <p><b>Error control.</b> Per variance a table also holds E(q) = E[φ(√qZ)²] (and E[φ'²]) and the tails
 * T_K(q) = E(q) − Σ_{k≤K} a_k(q)² (Parseval), for K = 7, 15, …, over-estimated by {@link #TAIL_FLOOR}·E to cover
 * the rounding of Σ a_k². By Cauchy–Schwarz the truncation error after degree K is at most
 * |ρ|^{K+1} √(T_K(q1) T_K(q2)); each entry uses the smallest K for which this bound is ≤ {@link #TOL}·√(E(q1)E(q2))
 * (the Cauchy–Schwarz scale of the entry), separately for φ and φ', first among the first stage's degrees, then
 * among the second stage's. Entries for which no K ≤ K_MAX meets the bound (|ρ| near 1 with steep or kinked φ) go to
 * {@link NearOne} (a 1-D integral of a narrow Gaussian smoothing of φ), and those it declines (smoothing width beyond
 * its calibrated range) to the kink-aware {@link GaussianQuadrature} (the reference; Legendre order 64 per panel, 128
 * where a variance exceeds 10), except ρ = ±1 with q1 = q2 (the kernel's diagonal), which is read from the table's
 * E[φ(√qZ)φ(±√qZ)] and E[φ'(√qZ)φ'(±√qZ)].
 *
 * <p><b>Coefficients.</b> a_k, b_k, E and the ρ = −1 values come from one 1-D Gauss–Legendre rule on z ∈ [−L, L]
 * (L = {@link #RANGE}: |He_k(z)|/√(k!)·e^{−z²/2} ≤ 1.1 e^{−z²/4}, below 1e-15 there and falling fast), split at
 * z = 0 (where the kinks of this package's activations are), 16 nodes per panel; see {@link #rule} for the
 * grading. The products w_i He_k(z_i)/√(k!) (three-term recurrence of the orthonormal polynomials) are cached per
 * rule, so a table is one matrix–vector product, summed in a fixed order: every table, hence every kernel entry, is
 * the same bits whatever the JIT state, the tiling or the thread count, and an entry's value depends on its own
 * (q1, q2, s12) only.
 *
 * <p>Instances are thread-safe (a concurrent cache; a table is a pure function of (φ, q), so which thread builds
 * it does not matter).
 */
final class HermiteSeries {
    /** Highest degree of the first rule ({@link #rule} with ext false): a table's first two stages. */
    static final int K_BASE = 63;
    /**
     * The degree a table is first built to. Its coefficients are the first K_FIRST + 1 of the K_BASE stage (the same
     * rule, each coefficient its own sum), so an entry's degree and value do not depend on which stage served it.
     */
    static final int K_FIRST = 31;
    /** Highest degree of the series: the last stage (a second rule), built for a variance only when an entry needs it. */
    static final int K_MAX = 255;
    /** Degrees are tried in steps of this many terms: K = STEP − 1, 2·STEP − 1, …, K_FIRST, …, K_BASE, …, K_MAX. */
    static final int STEP = 8;
    /** Truncation bound per entry, relative to √(E[φ(u)²] E[φ(v)²]). */
    static final double TOL = 1e-14;
    /** Relative over-estimate added to every computed tail (rounding of E − Σ a_k² over ≤ 256 terms). */
    static final double TAIL_FLOOR = 6e-14;
    /**
     * Coefficient building stops after STEP consecutive coefficients of φ and φ' below this fraction of their norms
     * (they decay geometrically or faster by then; the later ones stay 0).
     */
    static final double NEGLIGIBLE = 1e-18;
    /** Half-width of the coefficient rule in standard deviations. */
    static final double RANGE = 12.0;
    /**
     * Tables kept per activation before the cache is emptied, in units of a first-stage table (degree K_FIRST, about
     * 0.7 kB): a K_BASE stage counts as 2, a K_MAX stage as 7 (~350 MB at most).
     */
    private static final int CACHE_LIMIT = 500_000;

    private static final int PANEL_ORDER = 16;
    /** Gauss–Legendre reference rule on [-1, 1] of order PANEL_ORDER. */
    private static final double[] LT;
    private static final double[] LW;
    /** Recurrence constants √k and 1/√(k+1). */
    private static final double[] SQRT_K = new double[K_MAX + 2];
    private static final double[] INV_SQRT_K1 = new double[K_MAX + 2];

    static {
        double[][] l = GaussRules.legendre(PANEL_ORDER);
        LT = l[0];
        LW = l[1];
        for (int k = 0; k < SQRT_K.length; k++) {
            SQRT_K[k] = Math.sqrt(k);
            INV_SQRT_K1[k] = 1.0 / Math.sqrt(k + 1.0);
        }
    }

    /** Rules by grading level j (first panel width 2^−j), built on first use. */
    private static final java.util.concurrent.atomic.AtomicReferenceArray<double[][]> RULES =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(64);
    /** The same for second-stage tables (degree ≤ K_MAX: panels of width ≤ 1/2, wavenumbers ≤ 16). */
    private static final java.util.concurrent.atomic.AtomicReferenceArray<double[][]> RULES_EXT =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(64);

    /**
     * The 1-D rule for variance q: nodes ascending and symmetric (node M−1−i = −node i), weights including the N(0, 1)
     * density. Panels on [0, RANGE]: the first of width h = 2^−j, the largest power of two ≤ min(1, 1.5/√q) (tanh(√q z),
     * the steepest of these activations, has its poles at z = ±iπ/(2√q): the panel's Bernstein ellipse then has
     * ρ ≥ 3.5, error ~ρ^{−32}), then doubling widths up to 1, then widths ≤ 1 for the first stage (the Hermite
     * functions of degree ≤ 63 have wavenumber ≤ 8) and ≤ 1/2 for the second (degree ≤ 255, wavenumber ≤ 16).
     */
    static double[][] rule(double q, boolean ext) {
        java.util.concurrent.atomic.AtomicReferenceArray<double[][]> rules = ext ? RULES_EXT : RULES;
        int j = 0;
        double h = 1.0;
        while (j < rules.length() - 1 && h * h * q > 2.25) {
            h *= 0.5;
            j++;
        }
        double[][] r = rules.get(j);
        if (r == null) {
            rules.compareAndSet(j, null, buildRule(h, ext ? 0.5 : 1.0, ext ? K_MAX : K_BASE)); // all threads build the same
            r = rules.get(j);
        }
        return r;
    }

    private static double[][] buildRule(double h, double width, int kMax) {
        java.util.List<Double> breaks = new java.util.ArrayList<>();
        breaks.add(0.0);
        double b = h;
        while (b < 1.0) {
            breaks.add(b);
            b *= 2;
        }
        breaks.add(1.0);
        int uniform = (int) Math.ceil((RANGE - 1.0) / width);
        for (int p = 1; p <= uniform; p++) {
            breaks.add(1.0 + (RANGE - 1.0) * p / uniform);
        }
        double[][] zw = GaussRules.symmetricNormalRule(breaks, LT, LW);
        double[] z = zw[0];
        double[] w = zw[1];
        // P[k·M + i] = w_i p_k(z_i), p_k = He_k/√(k!) orthonormal: p_{k+1} = (z p_k − √k p_{k−1})/√(k+1)
        int mm = z.length;
        double[] pw = new double[(kMax + 1) * mm];
        for (int i = 0; i < mm; i++) {
            double prev = 0.0;
            double pk = 1.0;
            for (int k = 0; k <= kMax; k++) {
                pw[k * mm + i] = w[i] * pk;
                double next = (z[i] * pk - SQRT_K[k] * prev) * INV_SQRT_K1[k];
                prev = pk;
                pk = next;
            }
        }
        return new double[][] {z, w, pw};
    }

    /** Coefficients of φ(√q z) and φ'(√q z), their norms, ρ = −1 values and scaled tails for one variance q. */
    static final class Table {
        final double q;
        /** Highest degree: K_FIRST, K_BASE or K_MAX (the stage). */
        final int kMax;
        final double[] a;
        final double[] b;
        /** E[φ(√qZ)²], E[φ'(√qZ)²], E[φ(√qZ)φ(−√qZ)], E[φ'(√qZ)φ'(−√qZ)]. */
        double e;
        double ed;
        double eNeg;
        double edNeg;
        /** √(T_K/E) at K = STEP·(m+1) − 1 (0 when E = 0). */
        final double[] tauA;
        final double[] tauB;
        /** The next stage of this table (K_FIRST → K_BASE → K_MAX), once built. */
        volatile Table next;

        Table(double q, int kMax) {
            this.q = q;
            this.kMax = kMax;
            a = new double[kMax + 1];
            b = new double[kMax + 1];
            tauA = new double[(kMax + 1) / STEP];
            tauB = new double[(kMax + 1) / STEP];
        }
    }

    private final Activation act;
    private final ConcurrentHashMap<Long, Table> cache = new ConcurrentHashMap<>();
    /** The weight of the later stages built since the cache was last emptied (2 a K_BASE stage, 7 a K_MAX one). */
    private final java.util.concurrent.atomic.AtomicInteger laterStages = new java.util.concurrent.atomic.AtomicInteger();
    /**
     * Entries computed so far: by the series (of which by a second stage), near |ρ| = 1 by {@link NearOne}, by the
     * quadrature; per instance and (the TOTAL_* counters, for `ntk kernel -v`) over all instances.
     */
    final CountingAdder seriesEntries = new CountingAdder(TOTAL[0]);
    final CountingAdder secondStageEntries = new CountingAdder(TOTAL[1]);
    final CountingAdder nearOneEntries = new CountingAdder(TOTAL[2]);
    final CountingAdder quadratureEntries = new CountingAdder(TOTAL[3]);
    static final java.util.concurrent.atomic.LongAdder[] TOTAL = {new java.util.concurrent.atomic.LongAdder(),
        new java.util.concurrent.atomic.LongAdder(), new java.util.concurrent.atomic.LongAdder(),
        new java.util.concurrent.atomic.LongAdder()};

    /** A per-instance count that also adds to a process-wide total. */
    static final class CountingAdder {
        private final java.util.concurrent.atomic.LongAdder own = new java.util.concurrent.atomic.LongAdder();
        private final java.util.concurrent.atomic.LongAdder total;

        CountingAdder(java.util.concurrent.atomic.LongAdder total) {
            this.total = total;
        }

        void add(long x) {
            own.add(x);
            total.add(x);
        }

        long sum() {
            return own.sum();
        }
    }

    private final NearOne near;
    /** A number no other instance has (ids start at 1; the front cache's empty slots hold 0). */
    private final long id = IDS.incrementAndGet();
    private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong();

    HermiteSeries(Activation act) {
        this.act = act;
        this.near = new NearOne(act);
    }

    /** The table of variance q (finite, ≥ 0), from the cache or computed. */
    Table table(double q) {
        Long key = Double.doubleToRawLongBits(q);
        Table t = cache.get(key);
        if (t == null) {
            if (cache.size() + laterStages.get() >= CACHE_LIMIT) {
                cache.clear();
                laterStages.set(0);
            }
            t = cache.computeIfAbsent(key, k -> build(q, K_FIRST));
        }
        return t;
    }

    /** The next stage of a table (degree K_FIRST → K_BASE → K_MAX), built on first use; t must not be a K_MAX stage. */
    Table next(Table t) {
        Table e = t.next;
        if (e == null) {
            synchronized (t) {
                e = t.next;
                if (e == null) {
                    e = build(t.q, t.kMax == K_FIRST ? K_BASE : K_MAX);
                    t.next = e;
                    laterStages.addAndGet(e.kMax == K_MAX ? 7 : 2);
                }
            }
        }
        return e;
    }

    /**
     * Builds the table of q to degree kMax (K_FIRST, K_BASE: the first rule; K_MAX: the second) by the 1-D rule of
     * {@link #rule} (see the class comment).
     */
    Table build(double q, int kMax) {
        boolean ext = kMax == K_MAX;
        double[][] rl = rule(q, ext);
        double[] zs = rl[0];
        double[] ws = rl[1];
        int m = zs.length;
        double[] x = scaled(zs, Math.sqrt(q));
        double[] f = new double[m];
        double[] g = new double[m];
        if (act instanceof QuadratureActivation qa) {
            qa.evaluateScalar(x, m, f, g); // fast in a fresh JVM too (see there); the same bits as evaluate
        } else {
            act.evaluate(x, m, f, g);
        }
        Table t = new Table(q, kMax);
        moments(ws, f, g, t);
        double e = t.e;
        double ed = t.ed;
        double[] pw = rl[2];
        double negligibleA = NEGLIGIBLE * Math.sqrt(e);
        double negligibleB = NEGLIGIBLE * Math.sqrt(ed);
        int lastLarge = 0;
        for (int k = 0; k <= t.kMax; k++) {
            project(pw, k * m, m, f, g, t.a, t.b, k);
            if (Math.abs(t.a[k]) > negligibleA || Math.abs(t.b[k]) > negligibleB) {
                lastLarge = k;
            }
            if ((k + 1) % STEP == 0 && k - lastLarge >= STEP) {
                break; // STEP coefficients in a row below 1e-18 of the norm: the rest stay 0
            }
        }
        tails(t.a, e, t.tauA);
        tails(t.b, ed, t.tauB);
        return t;
    }

    // build's loops live in small methods of their own: C2 then compiles each once, small, instead of compiling
    // build on stack (OSR) at several loops, which cost a fresh JVM more compiler time than the tables themselves

    private static double[] scaled(double[] z, double sq) {
        double[] x = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            x[i] = sq * z[i];
        }
        return x;
    }

    /** t.e = Σ w f², t.ed = Σ w g², t.eNeg = Σ w f(z) f(−z), t.edNeg likewise (the nodes are symmetric). */
    private static void moments(double[] ws, double[] f, double[] g, Table t) {
        int m = f.length;
        double e = 0;
        double ed = 0;
        double en = 0;
        double edn = 0;
        for (int i = 0; i < m; i++) {
            double wf = ws[i] * f[i];
            double wg = ws[i] * g[i];
            e = Math.fma(wf, f[i], e);
            ed = Math.fma(wg, g[i], ed);
            en = Math.fma(wf, f[m - 1 - i], en);
            edn = Math.fma(wg, g[m - 1 - i], edn);
        }
        t.e = e;
        t.ed = ed;
        t.eNeg = en;
        t.edNeg = edn;
    }

    /**
     * a[k] = Σ_i f_i P[row + i], b[k] = Σ_i g_i P[row + i], four partial sums per series in a fixed order (m is a
     * multiple of 32). Scalar code, which C1 compiles within milliseconds of a fresh JVM's start.
     */
    private static void project(double[] pw, int row, int m, double[] f, double[] g, double[] a, double[] b, int k) {
        double a0 = 0;
        double a1 = 0;
        double a2 = 0;
        double a3 = 0;
        double b0 = 0;
        double b1 = 0;
        double b2 = 0;
        double b3 = 0;
        for (int i = 0; i < m; i += 4) {
            double p0 = pw[row + i];
            double p1 = pw[row + i + 1];
            double p2 = pw[row + i + 2];
            double p3 = pw[row + i + 3];
            a0 = Math.fma(f[i], p0, a0);
            a1 = Math.fma(f[i + 1], p1, a1);
            a2 = Math.fma(f[i + 2], p2, a2);
            a3 = Math.fma(f[i + 3], p3, a3);
            b0 = Math.fma(g[i], p0, b0);
            b1 = Math.fma(g[i + 1], p1, b1);
            b2 = Math.fma(g[i + 2], p2, b2);
            b3 = Math.fma(g[i + 3], p3, b3);
        }
        a[k] = (a0 + a1) + (a2 + a3);
        b[k] = (b0 + b1) + (b2 + b3);
    }

    /** tau[m] = √((E − Σ_{k≤K} c_k² + TAIL_FLOOR·E)/E) at K = STEP·(m+1) − 1; 0 when E = 0. */
    private static void tails(double[] c, double e, double[] tau) {
        double s = 0;
        for (int k = 0; k < c.length; k++) {
            s = Math.fma(c[k], c[k], s);
            if ((k + 1) % STEP == 0) {
                tau[k / STEP] = e > 0 ? Math.sqrt((Math.max(e - s, 0.0) + TAIL_FLOOR * e) / e) : 0.0;
            }
        }
    }

    /**
     * The smallest K = STEP·(m+1) − 1 ≤ the tables' degree with |ρ|^{K+1} τ1[m] τ2[m] ≤ TOL, for φ (low 16 bits) and φ'
     * (high 16 bits; 0 when !wantD), or −1 if there is none for one of them; r8 = |ρ|⁸. IEEE-exact operations in a
     * fixed order, so the choice is the same whatever the JIT state.
     */
    private static int degrees(double r8, Table t1, Table t2, boolean wantD) {
        int kA = -1;
        int kB = wantD ? -1 : 0;
        double pw = r8;
        int steps = t1.tauA.length;
        for (int m = 0; m < steps; m++) {
            if (kA < 0 && pw * (t1.tauA[m] * t2.tauA[m]) <= TOL) {
                kA = STEP * (m + 1) - 1;
            }
            if (kB < 0 && pw * (t1.tauB[m] * t2.tauB[m]) <= TOL) {
                kB = STEP * (m + 1) - 1;
            }
            if (kA >= 0 && kB >= 0) {
                return kA | kB << 16;
            }
            pw *= r8;
        }
        return -1;
    }

    /** Per-thread scratch of {@link #expectations}: a direct-mapped front cache of tables and the tile's work arrays. */
    private static final class Scratch {
        static final int SLOTS = 8192;
        final long[] keys = new long[SLOTS];
        final Table[] tabs = new Table[SLOTS];
        /**
         * The {@code id} of the series each slot's table belongs to: the front cache serves all activation instances a
         * thread meets (a network's layers each have their own), instead of being emptied whenever the layer changes;
         * an id, not a reference, so that it never keeps an old series' cache alive (at most SLOTS tables, as before).
         */
        final long[] owners = new long[SLOTS];
        int cap;
        Table[] t1;
        Table[] t2;
        double[] rho;
        int[] kA;
        int[] kB;
        int[] idx;
        int[] rest;
        final double[] pair = new double[2];

        void ensure(int n) {
            if (cap < n) {
                cap = n;
                t1 = new Table[n];
                t2 = new Table[n];
                rho = new double[n];
                kA = new int[n];
                kB = new int[n];
                idx = new int[n];
                rest = new int[n];
            }
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** The table of q through the thread's front cache (q finite, ≥ 0). */
    private Table lookup(Scratch sc, double q) {
        long bits = Double.doubleToRawLongBits(q);
        int slot = (int) ((bits * 0x9E3779B97F4A7C15L) >>> 51); // Fibonacci hashing: the top 13 bits
        Table t = sc.tabs[slot];
        if (t != null && sc.keys[slot] == bits && sc.owners[slot] == id) {
            return t;
        }
        t = table(q);
        sc.keys[slot] = bits;
        sc.tabs[slot] = t;
        sc.owners[slot] = id;
        return t;
    }

    /**
     * As {@link Activation#expectations}. Entries the series cannot bound are computed by {@link GaussianQuadrature}.
     * Each entry's value depends on its own (q1, q2, s12) only (not on its neighbours in the tile): each entry's
     * Horner recurrences start at its own degree.
     */
    void expectations(double[] q1, double[] q2, double[] s12, int n, double[] outPhi, double[] outDphi) {
        boolean wantD = outDphi != null;
        Scratch sc = SCRATCH.get();
        sc.ensure(n);
        int nSeries = 0;
        int nRest = 0;
        int nSecond = 0;
        int nNear = 0;
        long lastA = -1L; // not the bits of any q >= 0
        Table lastT1 = null;
        for (int i = 0; i < n; i++) {
            double a = q1[i];
            double b = q2[i];
            double c = s12[i];
            if (a >= 0 && b >= 0 && a < Double.POSITIVE_INFINITY && b < Double.POSITIVE_INFINITY) {
                if (Double.doubleToRawLongBits(a) != lastA) { // q1 is constant along a row tile
                    lastA = Double.doubleToRawLongBits(a);
                    lastT1 = lookup(sc, a);
                }
                Table t1 = lastT1;
                Table t2 = Double.doubleToRawLongBits(b) == lastA ? t1 : lookup(sc, b);
                double sq = ArcCosine.sqrtProduct(a, b);
                double rho = sq > 0 ? c / sq : 0.0;
                rho = Math.max(-1.0, Math.min(1.0, rho));
                if (Math.abs(rho) == 1.0 && t1 == t2) {
                    boolean pos = rho > 0;
                    outPhi[i] = pos ? t1.e : t1.eNeg;
                    if (wantD) {
                        outDphi[i] = pos ? t1.ed : t1.edNeg;
                    }
                    continue;
                }
                double r = Math.abs(rho);
                double r2 = r * r;
                double r4 = r2 * r2;
                double r8 = r4 * r4;
                int deg = degrees(r8, t1, t2, wantD);
                while (deg < 0 && t1.kMax < K_MAX) { // beyond this stage: try the next
                    boolean same = t2 == t1;
                    t1 = next(t1);
                    t2 = same ? t1 : next(t2);
                    deg = degrees(r8, t1, t2, wantD);
                    nSecond += deg >= 0 && t1.kMax == K_MAX ? 1 : 0;
                }
                if (deg < 0 && near.compute(a, b, rho, wantD, sc.pair)) { // beyond the series' reach
                    outPhi[i] = sc.pair[0];
                    if (wantD) {
                        outDphi[i] = sc.pair[1];
                    }
                    nNear++;
                    continue;
                }
                int kA = deg < 0 ? -1 : deg & 0xffff;
                int kB = deg < 0 ? -1 : deg >>> 16;
                if (kA >= 0 && kB >= 0) {
                    sc.idx[nSeries] = i;
                    sc.t1[nSeries] = t1;
                    sc.t2[nSeries] = t2;
                    sc.rho[nSeries] = rho;
                    sc.kA[nSeries] = kA;
                    sc.kB[nSeries] = kB;
                    nSeries++;
                    continue;
                }
            }
            sc.rest[nRest++] = i;
        }
        double[] restS = new double[nRest];
        for (int j = 0; j < nRest; j++) {
            restS[j] = s12[sc.rest[j]]; // before outPhi (which may alias s12) is written
        }
        horner(sc, nSeries, outPhi, outDphi);
        if (nSecond > 0) {
            secondStageEntries.add(nSecond);
        }
        seriesEntries.add(nSeries);
        if (nNear > 0) {
            nearOneEntries.add(nNear);
        }
        quadratureEntries.add(nRest);
        if (nRest > 0) {
            fallback(sc.rest, nRest, q1, q2, restS, outPhi, outDphi);
        }
        java.util.Arrays.fill(sc.t1, 0, nSeries, null);
        java.util.Arrays.fill(sc.t2, 0, nSeries, null);
    }

    /**
     * out[idx[j]] = Σ_{k ≤ K_j} a_k(q1) a_k(q2) ρ_j^k and outD likewise with b_k (when non-null) for the series entries:
     * per entry two Horner recurrences acc = fma(acc, ρ, c1_k·c2_k) from acc = +0 at its own degree, two entries at a
     * time (four independent fma chains). Plain scalar code: C1 compiles it within milliseconds of a fresh JVM's start,
     * where Vector API code would run interpreted (~100× slower) until C2 gets to it, and compiled it is as fast as the
     * earlier vector version, whose lanes were latency-bound on one fma chain per series and paid a transposed copy of
     * the coefficient products per entry. The same operations as that version (its lanes stayed at +0 above their own
     * degree), so the same bits.
     */
    private static void horner(Scratch sc, int count, double[] out, double[] outD) {
        boolean wantD = outD != null;
        int j = 0;
        for (; j + 1 < count; j += 2) {
            Table t10 = sc.t1[j];
            Table t20 = sc.t2[j];
            Table t11 = sc.t1[j + 1];
            Table t21 = sc.t2[j + 1];
            int i0 = sc.idx[j];
            int i1 = sc.idx[j + 1];
            double r0 = sc.rho[j];
            double r1 = sc.rho[j + 1];
            pair(t10.a, t20.a, sc.kA[j], r0, t11.a, t21.a, sc.kA[j + 1], r1, out, i0, i1);
            if (wantD) {
                pair(t10.b, t20.b, sc.kB[j], r0, t11.b, t21.b, sc.kB[j + 1], r1, outD, i0, i1);
            }
        }
        for (; j < count; j++) {
            out[sc.idx[j]] = single(sc.t1[j].a, sc.t2[j].a, sc.kA[j], sc.rho[j]);
            if (wantD) {
                outD[sc.idx[j]] = single(sc.t1[j].b, sc.t2[j].b, sc.kB[j], sc.rho[j]);
            }
        }
    }

    /** out[i0] = Σ_{k ≤ k0} c10_k c20_k r0^k and out[i1] likewise, by Horner from +0 at each one's own degree. */
    private static void pair(double[] c10, double[] c20, int k0, double r0, double[] c11, double[] c21, int k1,
            double r1, double[] out, int i0, int i1) {
        double acc0 = 0.0;
        double acc1 = 0.0;
        int k = Math.max(k0, k1);
        for (; k > k1; k--) { // the higher-degree entry alone
            acc0 = Math.fma(acc0, r0, c10[k] * c20[k]);
        }
        for (; k > k0; k--) {
            acc1 = Math.fma(acc1, r1, c11[k] * c21[k]);
        }
        for (; k >= 0; k--) {
            acc0 = Math.fma(acc0, r0, c10[k] * c20[k]);
            acc1 = Math.fma(acc1, r1, c11[k] * c21[k]);
        }
        out[i0] = acc0;
        out[i1] = acc1;
    }

    /** Σ_{k ≤ deg} c1_k c2_k r^k by Horner from +0. */
    private static double single(double[] c1, double[] c2, int deg, double r) {
        double acc = 0.0;
        for (int k = deg; k >= 0; k--) {
            acc = Math.fma(acc, r, c1[k] * c2[k]);
        }
        return acc;
    }

    /**
     * Legendre order of the fallback quadrature where a variance exceeds 10: the default order 64 was measured to 1e-14
     * up to q = 10 only (5e-8 off for Tanh at q = 100, ρ = 1 − 1e-6); order 128 agrees with order 192 to 1e-15 at q = 100.
     */
    static final int LARGE_VARIANCE_ORDER = 128;
    private static final class Large { // built on first use, as GaussianQuadrature's own rules
        static final GaussianQuadrature RULE = new GaussianQuadrature(GaussianQuadrature.DEFAULT_HERMITE_ORDER,
                LARGE_VARIANCE_ORDER);
    }

    /** The reference quadrature for the entries rest[0..m) (their s12 already copied to s). */
    private void fallback(int[] rest, int m, double[] q1, double[] q2, double[] s, double[] outPhi, double[] outDphi) {
        for (int pass = 0; pass < 2; pass++) {
            boolean large = pass == 1;
            int c = 0;
            for (int j = 0; j < m; j++) {
                if ((Math.max(q1[rest[j]], q2[rest[j]]) > 10.0) == large) {
                    c++;
                }
            }
            if (c == 0) {
                continue;
            }
            int[] at = new int[c];
            double[] rq1 = new double[c];
            double[] rq2 = new double[c];
            double[] rs = new double[c];
            double[] rp = new double[c];
            double[] rd = outDphi != null ? new double[c] : null;
            c = 0;
            for (int j = 0; j < m; j++) {
                if ((Math.max(q1[rest[j]], q2[rest[j]]) > 10.0) == large) {
                    at[c] = rest[j];
                    rq1[c] = q1[rest[j]];
                    rq2[c] = q2[rest[j]];
                    rs[c] = s[j];
                    c++;
                }
            }
            if (large) {
                Large.RULE.expectations(act, true, rq1, rq2, rs, c, rp, rd);
            } else {
                GaussianQuadrature.compute(act, rq1, rq2, rs, c, rp, rd);
            }
            for (int j = 0; j < c; j++) {
                outPhi[at[j]] = rp[j];
                if (rd != null) {
                    outDphi[at[j]] = rd[j];
                }
            }
        }
    }
}
