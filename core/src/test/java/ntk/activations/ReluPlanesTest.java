package ntk.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Relu on convolutional planes from per-position roots ({@link Relu#expectationsOnPlanes}) against the dense path's
 * closed form on the same entries ({@link Relu#expectations} with q1 = Σ(x; p, p), q2 = Σ(x'; p ⊕ δ, p ⊕ δ) spelled
 * out per entry), on images whose rows are not a multiple of the vector length, every offset plane, entries with
 * ρ near ±1 and exactly 1 (an example with itself: s12 = q1 = q2), and a zero variance. The tolerance follows
 * arccos' slope: a few ulps of ρ (products against a division, the snap within 4 ulps of ±1) move it by ~1e-8 next
 * to |ρ| = 1 and by ~1e-15 elsewhere.
 */
class ReluPlanesTest {
    @Test
    void planesFromRootsAgreeWithTheClosedFormPerEntry() {
        SplittableRandom r = new SplittableRandom(9);
        Relu relu = new Relu();
        for (int[] hw : new int[][] {{3, 5}, {4, 4}, {2, 7}, {1, 9}, {5, 3}}) {
            int h = hw[0];
            int w = hw[1];
            int len = h * w;
            int stride = 5 * len; // Tile.recordStride: q, then √q and 1/√q in doubled rows
            double[] va = new double[len];
            double[] vb = new double[len];
            for (int p = 0; p < len; p++) {
                va[p] = Math.exp(2 * r.nextGaussian());
                vb[p] = p == 1 ? 0.0 : Math.exp(2 * r.nextGaussian());
            }
            double[] recA = records(va, h, w, 1, stride);
            double[] recB = records(vb, h, w, 2, stride);
            for (boolean self : new boolean[] {false, true}) {
                double[] v2 = self ? va : vb;
                double[] rec2 = self ? recA : recB;
                int o2 = self ? stride : 2 * stride;
                int n = len * len;
                double[] s12 = new double[n];
                double[] q1 = new double[n];
                double[] q2 = new double[n];
                for (int d = 0; d < len; d++) {
                    for (int p = 0; p < len; p++) {
                        int e = d * len + p;
                        int pb = ((p / w + d / w) % h) * w + (p % w + d % w) % w;
                        q1[e] = va[p];
                        q2[e] = v2[pb];
                        double rho = switch (e % 5) {
                            case 0 -> 1.0 - r.nextInt(1, 1000) * 0x1p-53;
                            case 1 -> -1.0 + r.nextInt(1, 1000) * 0x1p-53;
                            default -> 2 * r.nextDouble() - 1;
                        };
                        s12[e] = self && d == 0 ? va[p] : rho * Math.sqrt(q1[e] * q2[e]);
                    }
                }
                double[] ntk = new double[n];
                for (int e = 0; e < n; e++) {
                    ntk[e] = 1.0 + r.nextDouble();
                }
                double[] wantPhi = new double[n];
                double[] wantDphi = new double[n];
                relu.expectations(q1, q2, s12, n, wantPhi, wantDphi);
                double[] sig = s12.clone();
                double[] gotNtk = ntk.clone();
                relu.expectationsOnPlanes(sig, gotNtk, 0, len, len, w, recA, stride,
                        rec2, o2);
                for (int e = 0; e < n; e++) {
                    String at = h + "x" + w + (self ? " self" : "") + " entry " + e;
                    if (self && e < len) { // ρ = 1 exactly, as with the division: E[φ'φ'] = 1/2 to the bit, E[φφ]
                        // = √q·√q/2 within an ulp of q/2
                        assertEquals(ntk[e] * wantDphi[e], gotNtk[e], 0.0, at);
                        assertEquals(wantPhi[e], sig[e], 2 * Math.ulp(wantPhi[e]), at);
                    }
                    // a few ulps of ρ (the division against the roots' products, the snap within 4 ulps of ±1)
                    // move arccos by its slope 1/√(1 − ρ²): ~1e-8 next to |ρ| = 1
                    double rho = q1[e] * q2[e] > 0 ? s12[e] / Math.sqrt(q1[e] * q2[e]) : 0.0;
                    double tol = 1e-14 + 1e-15 / Math.sqrt(Math.max(1 - rho * rho, 1e-16));
                    assertEquals(wantPhi[e], sig[e], tol * Math.max(1e-300, Math.sqrt(q1[e] * q2[e])), "E[φφ] " + at);
                    assertEquals(ntk[e] * wantDphi[e], gotNtk[e], tol * ntk[e], "Θ·E[φ'φ'] " + at);
                }
            }
        }
    }

    /** Example i's record at offset i·stride: the variances, then √q and 1/√q (0 where q = 0) in doubled rows. */
    private static double[] records(double[] v, int h, int w, int i, int stride) {
        int len = h * w;
        double[] rec = new double[(i + 1) * stride];
        int o = i * stride;
        for (int p = 0; p < len; p++) {
            rec[o + p] = v[p];
            double root = v[p] > 0 ? Math.sqrt(v[p]) : 0.0;
            double inv = v[p] > 0 ? 1.0 / root : 0.0;
            int dbl = o + len + p + (p / w) * w;
            rec[dbl] = root;
            rec[dbl + w] = root;
            rec[dbl + 2 * len] = inv;
            rec[dbl + 2 * len + w] = inv;
        }
        return rec;
    }
}
