package ntk.activations;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VectorisedClosedFormTest {

    /** Plain scalar Cho &amp; Saul formula with the textbook θ = acos ρ. Returns {E φφ, E φ'φ', magnitude of the terms}. */
    static double[] reluScalar(double q1, double q2, double s12) {
        double prod = q1 * q2;
        double sq = Math.sqrt(prod);
        double rho = prod > 0 ? Math.max(-1, Math.min(1, s12 / sq)) : 0;
        double th = Math.acos(rho);
        double sin = Math.sqrt((1 - rho) * (1 + rho));
        return new double[] {sq / (2 * Math.PI) * (sin + (Math.PI - th) * rho), (Math.PI - th) / (2 * Math.PI),
            sq / (2 * Math.PI) * (sin + Math.abs((Math.PI - th) * rho))};
    }

    /** LeakyRelu expansion as in the brief, Cho &amp; Saul 2009 eq. 6 applied to the four relu terms. */
    static double[] leakyScalar(double alpha, double q1, double q2, double s12) {
        double prod = q1 * q2;
        double sq = Math.sqrt(prod);
        double rho = prod > 0 ? Math.max(-1, Math.min(1, s12 / sq)) : 0;
        double th = Math.acos(rho);
        double sin = Math.sqrt((1 - rho) * (1 + rho));
        double j = sin + (Math.PI - th) * rho;
        double k = sin - th * rho;
        double mag = sq / (2 * Math.PI) * ((1 + alpha * alpha) * (sin + Math.abs((Math.PI - th) * rho)) + 2 * Math.abs(alpha) * (sin + th));
        return new double[] {sq / (2 * Math.PI) * ((1 + alpha * alpha) * j - 2 * alpha * k),
            (1 + alpha * alpha) * (Math.PI - th) / (2 * Math.PI) + alpha * th / Math.PI, mag};
    }

    static double[][] randomInputs(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] q1 = new double[n];
        double[] q2 = new double[n];
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            q1[i] = r.nextDouble(0.01, 5);
            q2[i] = r.nextDouble(0.01, 5);
            double rho = switch (i % 7) {
                case 0 -> 1.0;
                case 1 -> -1.0;
                case 2 -> 1 - r.nextDouble() * 1e-9;
                case 3 -> 0.0;
                default -> r.nextDouble(-1, 1);
            };
            s[i] = rho * Math.sqrt(q1[i] * q2[i]);
            if (i % 97 == 5) {
                q1[i] = 0.0; // degenerate lanes inside vectors
            }
        }
        return new double[][] {q1, q2, s};
    }

    @Test
    void vectorisedReluEqualsScalarFormulaIncludingTailAndAliasing() {
        for (int n : new int[] {1, 7, 8, 1003}) {
            double[][] in = randomInputs(n, 7 + n);
            double[] p = new double[n];
            double[] d = new double[n];
            new Relu().expectations(in[0], in[1], in[2], n, p, d);
            double[] alias = in[2].clone();
            new Relu().expectations(in[0], in[1], alias, n, alias, null);
            double worst = 0;
            for (int i = 0; i < n; i++) {
                double[] e = reluScalar(in[0][i], in[1][i], in[2][i]);
                // 1e-15 relative to the size of the terms (the sum cancels near ρ = -1)
                double ep = Math.abs(p[i] - e[0]) / Math.max(e[2], 1e-300);
                double ed = Math.abs(d[i] - e[1]) / Math.max(e[1], 0.5 * 1e-7);
                worst = Math.max(worst, Math.max(ep, ed));
                assertTrue(ep <= 1e-15 || Math.abs(p[i] - e[0]) <= 1e-16 * Math.sqrt(in[0][i] * in[1][i]), "phi " + i + " " + p[i] + " vs " + e[0]);
                assertTrue(ed <= 1e-14, "dphi " + i + " " + d[i] + " vs " + e[1]);
                assertTrue(alias[i] == p[i], "aliasing " + i);
            }
            System.out.printf("vectorised Relu vs scalar formula, n=%d: worst relative difference %.1e%n", n, worst);
        }
    }

    @Test
    void vectorisedLeakyAndAbsEqualScalarExpansion() {
        int n = 1003;
        double[][] in = randomInputs(n, 99);
        for (double alpha : new double[] {0.01, 0.2, -1.0}) {
            Activation a = alpha == -1.0 ? new Abs() : new LeakyRelu(alpha);
            double[] p = new double[n];
            double[] d = new double[n];
            a.expectations(in[0], in[1], in[2], n, p, d);
            for (int i = 0; i < n; i++) {
                double[] e = leakyScalar(alpha, in[0][i], in[1][i], in[2][i]);
                assertTrue(Math.abs(p[i] - e[0]) <= 4e-15 * e[2], a.spec() + " phi " + i + " " + p[i] + " vs " + e[0]);
                assertTrue(Math.abs(d[i] - e[1]) <= 4e-15 * (1 + alpha * alpha), a.spec() + " dphi " + i + " " + d[i] + " vs " + e[1]);
            }
        }
    }

    /**
     * Positive homogeneity E[φφ](λΣ) = λE[φφ](Σ), E[φ'φ'](λΣ) = E[φ'φ'](Σ) for piecewise-linear φ, pushed to
     * variances whose product over- or underflows (deep Relu nets reach them: ResNet variances grow like 1.5^L).
     */
    @Test
    void piecewiseLinearKernelsStayRightWhenTheVarianceProductLeavesTheDoubleRange() {
        int n = 203; // vector lanes and a scalar tail
        double[][] in = randomInputs(n, 99);
        for (Activation act : new Activation[] {new Relu(), new LeakyRelu(0.2), new Abs()}) {
            double[] p = new double[n];
            double[] d = new double[n];
            act.expectations(in[0], in[1], in[2], n, p, d);
            for (double scale : new double[] {0x1p700, 0x1p-700, 0x1p1000}) {
                double[][] big = {in[0].clone(), in[1].clone(), in[2].clone()};
                for (double[] a : big) {
                    for (int i = 0; i < n; i++) {
                        a[i] *= scale;
                    }
                }
                double[] ps = new double[n];
                double[] ds = new double[n];
                act.expectations(big[0], big[1], big[2], n, ps, ds);
                for (int i = 0; i < n; i++) {
                    // scale is a power of two: the only change is √q1·√q2 for √(q1q2), a couple of roundings
                    assertTrue(Math.abs(ps[i] / scale - p[i]) <= 4e-16 * Math.sqrt(in[0][i] * in[1][i]),
                            act.spec() + " phi at scale " + scale + ", " + i + ": " + ps[i] / scale + " vs " + p[i]);
                    // E[φ'φ'] ∝ arccos ρ has slope ~1/√(1 − ρ²): an ulp of ρ near ±1 moves it by up to ~√(2·ulp)
                    double rho = in[0][i] * in[1][i] > 0 ? in[2][i] / Math.sqrt(in[0][i] * in[1][i]) : 0;
                    double tol = Math.min(Math.sqrt(8 * Math.ulp(1.0)),
                            4e-16 + 1e-15 / Math.sqrt(Math.max(1 - rho * rho, 1e-300)));
                    assertTrue(Math.abs(ds[i] - d[i]) <= tol, act.spec() + " dphi at scale " + scale + ", " + i + ": rho " + rho + " q " + in[0][i] + " " + in[1][i] + " " + ds[i] + " vs " + d[i]);
                }
            }
        }
    }

    /**
     * The scalar route (vector = false, a dense network's diagonal pass in a fresh JVM) gives the lanes' bits: every
     * entry of the piecewise-linear kernels, with and without E[φ'φ'], in place (out = s12) and not, including ρ = ±1,
     * ρ within an ulp of 1, q = 0 and variance products outside the double range.
     */
    @Test
    void scalarRouteGivesTheVectorLanesBits() {
        int n = 1003;
        double[][] in = randomInputs(n, 7);
        for (int i = 0; i < n; i += 50) {
            double scale = i % 100 == 0 ? 0x1p700 : 0x1p-700;
            in[0][i] *= scale;
            in[1][i] *= scale;
            in[2][i] *= scale;
        }
        Activation[] acts = {new Relu(), new LeakyRelu(0.2), new Abs(), new PRelu(0.1)};
        for (Activation act : acts) {
            for (boolean withD : new boolean[] {true, false}) {
                for (boolean inPlace : new boolean[] {true, false}) {
                    double[][] out = new double[2][];
                    for (int route = 0; route < 2; route++) {
                        double[] s = in[2].clone();
                        double[] p = inPlace ? s : new double[n];
                        double[] d = withD ? new double[n] : null;
                        act.expectations(in[0], in[1], s, n, p, d, route == 0);
                        out[route] = withD ? concat(p, d) : p;
                    }
                    for (int i = 0; i < out[0].length; i++) {
                        assertTrue(Double.doubleToRawLongBits(out[0][i]) == Double.doubleToRawLongBits(out[1][i]),
                                act.spec() + " entry " + i + " (derivative " + withD + ", in place " + inPlace
                                        + "): vector " + out[0][i] + ", scalar " + out[1][i]);
                    }
                }
            }
        }
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
