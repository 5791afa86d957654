package ntk.activations;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised closed forms for the piecewise-linear family φ = relu(u) - α relu(-u) (Relu α = 0, Abs α = -1).
 * Notation: ρ = s12/√(q1 q2) clamped to [-1, 1] (ρ = 0 when q1 q2 ≤ 0), θ = arccos ρ.
 */
final class ArcCosine {
    private ArcCosine() {
    }

    static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    static final double INV_2PI = 1.0 / (2.0 * Math.PI);

    /**
     * Relu, arc-cosine kernel of degree 1 and 0 (Cho &amp; Saul 2009, eq. 6):
     * E[φφ] = √(q1q2)/(2π)(sin θ + (π-θ)ρ), E[φ'φ'] = (π-θ)/(2π), with π - θ evaluated as arccos(-ρ). With vector
     * false every entry takes the lanes' scalar twins (the same bits; {@link Activation#expectations(double[],
     * double[], double[], int, double[], double[], boolean)}).
     */
    static void relu(double[] q1, double[] q2, double[] s12, int n, double[] outPhi, double[] outDphi,
            boolean vector) {
        // Three passes, each a small loop of its own: one fused loop holding InverseTrig's lanes exceeds C2's
        // inlining node budget, and the vectors would then be boxed on the heap (measured: 2x slower, 3x memory).
        double[] psi = outDphi != null ? outDphi : scratch(n, 1);
        double[] sqrtQ = scratch(n, 0);
        correlations(q1, q2, s12, n, sqrtQ, outPhi, vector);        // ρ into outPhi (s12 may alias it)
        InverseTrig.acos(outPhi, -1.0, psi, n, vector);             // ψ = π − θ = arccos(−ρ)
        int i = 0;
        int bound = vector ? SPECIES.loopBound(n) : 0;
        for (; i < bound; i += SPECIES.length()) {
            DoubleVector sq = DoubleVector.fromArray(SPECIES, sqrtQ, i);
            DoubleVector rho = DoubleVector.fromArray(SPECIES, outPhi, i);
            DoubleVector p = DoubleVector.fromArray(SPECIES, psi, i);
            DoubleVector sin = rho.neg().add(1.0).mul(rho.add(1.0)).sqrt();
            rho.fma(p, sin).mul(sq).mul(INV_2PI).intoArray(outPhi, i);
            p.mul(INV_2PI).intoArray(psi, i);
        }
        for (; i < n; i++) {
            double rho = outPhi[i];
            double sin = Math.sqrt((1.0 - rho) * (1.0 + rho));
            outPhi[i] = Math.fma(rho, psi[i], sin) * sqrtQ[i] * INV_2PI;
            psi[i] = psi[i] * INV_2PI;
        }
    }

    /** ρ at least this close to ±1 (4 ulps of 1, the rounding of s12·r1·r2) counts as ±1: an equal pair stays exactly 1. */
    static final double NEAR_ONE = 1.0 - 0x1p-51;

    /**
     * {@link #relu} on the offset planes of a convolutional network's position pairs, whose variances come as square
     * roots and reciprocal square roots made once per example and position: ρ = s12·(1/√q1)·(1/√q2) and √(q1q2) =
     * √q1·√q2 need no square root or division per entry. Within 4 ulps of ±1, ρ snaps to ±1 (the products'
     * rounding; an entry of an example with itself, s12 = q1 = q2, is then exactly 1 as with the division).
     *
     * <p>Entry e = di·L + ph·W + pw (plane δ = offsetStart + di = δh·W + δw, position (ph, pw)) pairs position p of x
     * with p ⊕ δ of x'; x's roots are a[oa + L + 2W·ph + pw] (√q) and a[oa + 3L + 2W·ph + pw] (1/√q, 0 where q = 0),
     * x''s likewise in b from ob at the doubled row (ph + δh) mod H and column pw + δw. sig[e] (s12) becomes E[φφ];
     * when ntk is not null ntk[e] is multiplied by E[φ'φ'], plane by plane in one pass ({@link #reluPlane}).
     */
    static void reluPlanes(double[] sig, double[] ntk, int offsetStart, int offsets, int len, int w, double[] a, int oa,
            double[] b, int ob) {
        for (int di = 0; di < offsets; di++) {
            int d = offsetStart + di;
            int dh = d / w;
            reluPlane(sig, ntk, di * len, a, oa, b, ob, len, w, dh, d - dh * w);
        }
    }

    /**
     * One offset plane (δh, δw) of {@link #reluPlanes} from entry e0, in one loop: ρ = s12·(1/√q1)·(1/√q2) snapped to
     * ±1 within {@link #NEAR_ONE}, ψ = π − θ = arccos(−ρ) from the division-free ratio
     * ({@link InverseTrig#ratioPoly(DoubleVector)}, {@link InverseTrig#acosFromRatio(DoubleVector, DoubleVector)}),
     * then sig = √q1·√q2·(sin θ + ψρ)/(2π) and ntk multiplied by ψ/(2π) (the operations and roundings of
     * {@link #relu}'s lanes). Each row: whole vectors, then its last w mod lanes entries by the scalar twins; the
     * roots' rows advance as a row ends (one loop for the plane, not one of a few iterations per row, which would
     * run mostly in the compiler's pre- and post-loops).
     */
    private static void reluPlane(double[] sig, double[] ntk, int e0, double[] a, int oa, double[] b, int ob, int len,
            int w, int dh, int dw) {
        final int h = len / w;
        final int vl = SPECIES.length();
        final int vecEnd = w - w % vl; // vectors cover [0, vecEnd) of a row
        final int inv = 2 * len; // from √q to 1/√q in a record
        int ph = 0;
        int pw = 0;
        int qh = dh;
        int ra = oa + len;
        int rb = ob + len + 2 * w * qh + dw;
        int e = e0;
        while (ph < h) {
            if (pw < vecEnd) {
                DoubleVector rho = DoubleVector.fromArray(SPECIES, sig, e)
                        .mul(DoubleVector.fromArray(SPECIES, a, ra + inv + pw))
                        .mul(DoubleVector.fromArray(SPECIES, b, rb + inv + pw));
                rho = rho.blend(1.0, rho.compare(VectorOperators.GE, NEAR_ONE))
                        .blend(-1.0, rho.compare(VectorOperators.LE, -NEAR_ONE));
                DoubleVector r = InverseTrig.ratioPoly(rho.neg());
                DoubleVector sq = DoubleVector.fromArray(SPECIES, a, ra + pw).mul(DoubleVector.fromArray(SPECIES, b, rb + pw));
                DoubleVector p = InverseTrig.acosFromRatio(rho.neg(), r);
                DoubleVector sin = rho.neg().add(1.0).mul(rho.add(1.0)).sqrt();
                rho.fma(p, sin).mul(sq).mul(INV_2PI).intoArray(sig, e);
                if (ntk != null) {
                    DoubleVector.fromArray(SPECIES, ntk, e).mul(p.mul(INV_2PI)).intoArray(ntk, e);
                }
                pw += vl;
                e += vl;
                continue;
            }
            for (; pw < w; pw++, e++) {
                double rho = sig[e] * a[ra + inv + pw] * b[rb + inv + pw];
                rho = rho >= NEAR_ONE ? 1.0 : rho <= -NEAR_ONE ? -1.0 : rho;
                double sq = a[ra + pw] * b[rb + pw];
                double p = InverseTrig.acosFromRatio(-rho, InverseTrig.ratioPoly(-rho));
                double sin = Math.sqrt((1.0 - rho) * (1.0 + rho));
                sig[e] = Math.fma(rho, p, sin) * sq * INV_2PI;
                if (ntk != null) {
                    ntk[e] *= p * INV_2PI;
                }
            }
            pw = 0;
            ph++;
            ra += 2 * w;
            qh = qh + 1 == h ? 0 : qh + 1;
            rb = ob + len + 2 * w * qh + dw;
        }
    }

    /**
     * sqrtQ = √(q1q2) and ρ = s12/√(q1q2) clamped to [-1, 1] (0 where q1q2 ≤ 0); rho may alias s12. Where q1q2
     * overflows or underflows (the variances of deep Relu nets grow or shrink geometrically with depth), √q1·√q2
     * is used instead, so ρ stays right for variances anywhere in the double range.
     */
    static void correlations(double[] q1, double[] q2, double[] s12, int n, double[] sqrtQ, double[] rho,
            boolean vector) {
        int i = 0;
        int bound = vector ? SPECIES.loopBound(n) : 0;
        for (; i < bound; i += SPECIES.length()) {
            DoubleVector a = DoubleVector.fromArray(SPECIES, q1, i);
            DoubleVector b = DoubleVector.fromArray(SPECIES, q2, i);
            DoubleVector prod = a.mul(b);
            DoubleVector sq = prod.sqrt();
            VectorMask<Double> outside = prod.compare(VectorOperators.GT, Double.MAX_VALUE)
                    .or(prod.compare(VectorOperators.LT, Double.MIN_NORMAL));
            if (outside.anyTrue()) {
                sq = sq.blend(a.sqrt().mul(b.sqrt()), outside);
            }
            sq.intoArray(sqrtQ, i);
            VectorMask<Double> degenerate = sq.compare(VectorOperators.LE, 0.0);
            DoubleVector.fromArray(SPECIES, s12, i).div(sq).blend(0L, degenerate).max(-1.0).min(1.0).intoArray(rho, i);
        }
        for (; i < n; i++) {
            double sq = sqrtProduct(q1[i], q2[i]);
            sqrtQ[i] = sq;
            rho[i] = sq > 0.0 ? Math.max(-1.0, Math.min(1.0, s12[i] / sq)) : 0.0;
        }
    }

    /** √(ab) for variances a, b ≥ 0, as √a·√b where ab would over- or underflow; a lane of {@link #correlations}. */
    static double sqrtProduct(double a, double b) {
        double prod = a * b;
        return prod > Double.MAX_VALUE || prod < Double.MIN_NORMAL ? Math.sqrt(a) * Math.sqrt(b) : Math.sqrt(prod);
    }

    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[2][0]);

    /** Per-thread work array number slot (0 or 1) of at least n doubles (the engine calls with tiles of a few hundred). */
    private static double[] scratch(int n, int slot) {
        double[][] box = SCRATCH.get();
        if (box[slot].length < n) {
            box[slot] = new double[n];
        }
        return box[slot];
    }

    /**
     * φ = relu(u) - α relu(-u), by expanding into four arc-cosine terms (Cho &amp; Saul 2009, eq. 6, with
     * E[relu(u)relu(-v)] = √(q1q2)/(2π)(sin θ - θρ)). Using π - θ = π/2 + asin ρ this is
     * E[φ'φ'] = K = (1+α)²/4 + (1-α)² asin(ρ)/(2π), E[φφ] = √(q1q2) ((1-α)² sin θ/(2π) + ρ K). vector as in
     * {@link #relu}.
     */
    static void leaky(double alpha, double[] q1, double[] q2, double[] s12, int n, double[] outPhi, double[] outDphi,
            boolean vector) {
        double c0 = 0.25 * (1.0 + alpha) * (1.0 + alpha);
        double c1 = (1.0 - alpha) * (1.0 - alpha) * INV_2PI;
        double[] k = outDphi != null ? outDphi : scratch(n, 1);
        double[] sqrtQ = scratch(n, 0);
        correlations(q1, q2, s12, n, sqrtQ, outPhi, vector);
        InverseTrig.asin(outPhi, 1.0, k, n, vector);
        int i = 0;
        int bound = vector ? SPECIES.loopBound(n) : 0;
        for (; i < bound; i += SPECIES.length()) {
            DoubleVector sq = DoubleVector.fromArray(SPECIES, sqrtQ, i);
            DoubleVector rho = DoubleVector.fromArray(SPECIES, outPhi, i);
            DoubleVector kv = DoubleVector.fromArray(SPECIES, k, i).fma(c1, c0);
            DoubleVector sin = rho.neg().add(1.0).mul(rho.add(1.0)).sqrt();
            rho.mul(kv).add(sin.mul(c1)).mul(sq).intoArray(outPhi, i);
            kv.intoArray(k, i);
        }
        for (; i < n; i++) {
            double rho = outPhi[i];
            double kv = Math.fma(k[i], c1, c0);
            double sin = Math.sqrt((1.0 - rho) * (1.0 + rho));
            outPhi[i] = (rho * kv + sin * c1) * sqrtQ[i];
            k[i] = kv;
        }
    }
}
