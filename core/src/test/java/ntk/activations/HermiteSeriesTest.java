package ntk.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;
import ntk.layers.ActivationLayer;
import ntk.layers.Dense;
import ntk.protocol.Layer;
import org.junit.jupiter.api.Test;

/**
 * The Hermite-series kernel maps of the smooth activations against the kink-aware split quadrature they replaced
 * (kept as {@link GaussianQuadrature}, measured ≤ 1e-14 against closed forms for q ≤ 10), and at large variance
 * against 20-digit mpmath integrals.
 */
class HermiteSeriesTest {

    /**
     * The reference for variances up to 100: the split rule at Legendre order 160 per panel (the default 64 is measured
     * to 1e-14 only up to q = 10; 128 and 192 agree to 1e-15 at q = 100).
     */
    static final GaussianQuadrature REFINED = new GaussianQuadrature(64, 160);

    static List<Activation> smooth() {
        return List.of(new Tanh(), new Sigmoid(), new Softplus(), new Elu(), new Elu(0.5), new Gelu(), new Silu());
    }

    /** The same φ whose kernel map is the reference quadrature. */
    static final class Reference implements Activation {
        final Activation act;

        Reference(Activation act) {
            this.act = act;
        }

        @Override
        public String spec() {
            return act.spec();
        }

        @Override
        public double value(double x) {
            return act.value(x);
        }

        @Override
        public double derivative(double x) {
            return act.derivative(x);
        }

        @Override
        public boolean smooth() {
            return act.smooth();
        }

        @Override
        public void evaluate(double[] x, int n, double[] val, double[] der) {
            act.evaluate(x, n, val, der);
        }

        @Override
        public void expectations(double[] q1, double[] q2, double[] s12, int n, double[] outPhi, double[] outDphi) {
            GaussianQuadrature.compute(act, q1, q2, s12, n, outPhi, outDphi);
        }

        @Override
        public boolean closedForm() {
            return false;
        }
    }

    /** A correlation: uniform, within 10^-u of ±1 (u up to 12), or exactly ±1. */
    static double randomRho(SplittableRandom r) {
        double sign = r.nextBoolean() ? 1.0 : -1.0;
        return switch (r.nextInt(4)) {
            case 0, 1 -> r.nextDouble(-1.0, 1.0);
            case 2 -> sign * (1.0 - Math.pow(10.0, -r.nextDouble(1.0, 12.0)));
            default -> sign;
        };
    }

    /** Log-uniform in [1e-4, 100]. */
    static double randomQ(SplittableRandom r) {
        return Math.pow(10.0, r.nextDouble(-4.0, 2.0));
    }

    /** "series a (second stage b), quadrature c" for an activation's entries so far. */
    static String branches(Activation act) {
        HermiteSeries h = ((QuadratureActivation) act).series();
        return "series " + h.seriesEntries.sum() + " (second stage " + h.secondStageEntries.sum() + "), near |rho| = 1 "
                + h.nearOneEntries.sum() + ", quadrature " + h.quadratureEntries.sum();
    }

    /**
     * Random (q1, q2, ρ) against {@link #REFINED}, with q in [1e-4, 100] (a third of them with q1 = q2), ρ uniform,
     * near ±1 or ±1: error relative to the Cauchy–Schwarz scale √(E φ(u)² E φ(v)²) ≤ 1e-12 (measured ≤ 1e-14), and
     * relative to the entry ≤ 1e-10 where the entry is at least 1e-3 of that scale (measured ≤ 3e-13); both for E[φφ]
     * and E[φ'φ']; the series' first and second stages and the quadrature fallback must each have been used. Exactly
     * ρ = ±1 with q1 = q2 &gt; 10 is left to {@link #diagonalAtLargeVarianceMatchesMpmath}: there the reference's
     * one-dimensional branch (an order-64 rule on [0, 9]) is the inaccurate one (3e-8 for Tanh at q = 100). Every
     * entry of the tile must also equal, bit for bit, the same entry computed alone.
     */
    @Test
    void seriesMatchesTheQuadratureOnRandomTriples() {
        SplittableRandom r = new SplittableRandom(20261129);
        int count = 160;
        long second = 0;
        long near = 0;
        long quadrature = 0;
        for (Activation act : smooth()) {
            double worstScaled = 0;
            double worstEntry = 0;
            double[] q1 = new double[count];
            double[] q2 = new double[count];
            double[] s = new double[count];
            for (int i = 0; i < count; i++) {
                q1[i] = randomQ(r);
                q2[i] = i % 3 == 0 ? q1[i] : randomQ(r);
                double rho = randomRho(r);
                if (Math.abs(rho) == 1.0 && q1[i] == q2[i] && q1[i] > 10) {
                    rho *= 0.5;
                }
                s[i] = rho * Math.sqrt(q1[i] * q2[i]);
            }
            double[] p = new double[count];
            double[] d = new double[count];
            act.expectations(q1, q2, s, count, p, d); // one tile: entries must not depend on their neighbours
            double[] rp = new double[count];
            double[] rd = new double[count];
            REFINED.expectations(act, true, q1, q2, s, count, rp, rd);
            double[] d1 = new double[count];
            double[] dd1 = new double[count];
            double[] d2 = new double[count];
            double[] dd2 = new double[count];
            act.expectations(q1, q1, q1, count, d1, dd1);
            act.expectations(q2, q2, q2, count, d2, dd2);
            for (int i = 0; i < count; i++) {
                double[] got = {p[i], d[i]};
                double[] want = {rp[i], rd[i]};
                double[] scale = {Math.sqrt(d1[i] * d2[i]), Math.sqrt(dd1[i] * dd2[i])};
                for (int k = 0; k < 2; k++) {
                    double err = Math.abs(got[k] - want[k]);
                    String where = act.spec() + (k == 0 ? " E φφ" : " E φ'φ'") + " at q1=" + q1[i] + " q2=" + q2[i]
                            + " rho=" + s[i] / Math.sqrt(q1[i] * q2[i]) + ": series " + got[k] + " quadrature " + want[k];
                    assertTrue(err <= 1e-12 * scale[k], where);
                    worstScaled = Math.max(worstScaled, err / scale[k]);
                    if (Math.abs(want[k]) >= 1e-3 * scale[k]) {
                        assertTrue(err <= 1e-10 * Math.abs(want[k]), where);
                        worstEntry = Math.max(worstEntry, err / Math.abs(want[k]));
                    }
                }
                double[] one = ActivationExpectationsTest.one(act, q1[i], q2[i], s[i]);
                assertEquals(Double.doubleToRawLongBits(p[i]), Double.doubleToRawLongBits(one[0]), act.spec());
                assertEquals(Double.doubleToRawLongBits(d[i]), Double.doubleToRawLongBits(one[1]), act.spec());
            }
            System.out.printf("Hermite series vs quadrature, %s: worst %.1e of the Cauchy-Schwarz scale, %.1e of the"
                    + " entry; entries: %s%n", act.spec(), worstScaled, worstEntry, branches(act));
            HermiteSeries h = ((QuadratureActivation) act).series();
            second += h.secondStageEntries.sum();
            near += h.nearOneEntries.sum();
            quadrature += h.quadratureEntries.sum();
        }
        assertTrue(second > 0 && near > 0 && quadrature > 0, "every branch exercised: second stage " + second
                + ", near |rho| = 1 " + near + ", quadrature " + quadrature);
    }

    /**
     * E[φ(√qZ)²], E[φ'(√qZ)²] and the ρ = −1 values at q = 30 and 100 (the kernel's diagonal) against mpmath.quad at
     * 30 digits (breakpoints at 0, ±0.1, ±1), rounded to 17: mp.quad(lambda z: f(mp.sqrt(q)*z)*g(±mp.sqrt(q)*z)*mp.npdf(z)).
     */
    @Test
    void diagonalAtLargeVarianceMatchesMpmath() {
        // {q, E φ², E φ'², E φ(u)φ(−u), E φ'(u)φ'(−u)}
        double[][] tanh = {{30, 0.85626860511610122, 0.096598450662707640, -0.85626860511610122, 0.096598450662707640},
                {100, 0.92053686343051667, 0.053106787748115834, -0.92053686343051667, 0.053106787748115834}};
        double[][] gelu = {{30, 14.967175542654989, 0.50892767224448079, -0.032824457345010828, -0.0089276722444807894},
                {100, 49.981482730022822, 0.50539986418341693, -0.018517269977177822, -0.0053998641834169320}};
        for (Object[] c : new Object[][] {{new Tanh(), tanh}, {new Gelu(), gelu}}) {
            Activation act = (Activation) c[0];
            for (double[] row : (double[][]) c[1]) {
                double q = row[0];
                double[] plus = ActivationExpectationsTest.one(act, q, q, q);
                double[] minus = ActivationExpectationsTest.one(act, q, q, -q);
                double s = Math.sqrt(row[1]);
                double sd = Math.sqrt(row[2]);
                assertEquals(row[1], plus[0], 1e-14 * row[1], act.spec() + " q=" + q);
                assertEquals(row[2], plus[1], 1e-14 * row[2], act.spec() + " q=" + q);
                assertEquals(row[3], minus[0], 1e-14 * s * s, act.spec() + " q=" + q);
                assertEquals(row[4], minus[1], 1e-14 * sd * sd, act.spec() + " q=" + q);
            }
        }
    }

    /** Inputs of different norms, two of them nearly parallel (ρ → 1 already in the first layer). */
    static double[] inputs(int n, int d) {
        SplittableRandom r = new SplittableRandom(7);
        double[] x = new double[n * d];
        for (int i = 0; i < n * d; i++) {
            x[i] = r.nextGaussian() * (1.0 + 0.3 * (i / d));
        }
        for (int j = 0; j < d; j++) {
            x[d + j] = x[j] + 1e-4 * r.nextGaussian();
        }
        return x;
    }

    /** Inputs correlated like images (a common vector plus 0.3 × noise: correlations ≈ 0.9), norms 0.5 to 1.5. */
    static double[] correlatedInputs(int n, int d) {
        SplittableRandom r = new SplittableRandom(9);
        double[] c = new double[d];
        for (int j = 0; j < d; j++) {
            c[j] = r.nextGaussian();
        }
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = c[j] + 0.3 * r.nextGaussian();
                norm += x[i * d + j] * x[i * d + j];
            }
            double scale = (0.5 + i / (n - 1.0)) * Math.sqrt(d / norm);
            for (int j = 0; j < d; j++) {
                x[i * d + j] *= scale;
            }
        }
        return x;
    }

    static Network stack(Activation act, int depth, double wStd, double bStd) {
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < depth; l++) {
            layers.add(new Dense(512, wStd, bStd));
            layers.add(new ActivationLayer(act));
        }
        layers.add(new Dense(1, wStd, bStd));
        return new Network(layers, Parameterization.NTK);
    }

    /**
     * Whole deep networks through the kernel engine, series against reference, NNGP and NTK entry by entry relative to
     * the entry (≤ 1e-11; measured 2e-12): Tanh at its edge of chaos (σ_w = 1.3041458, σ_b = 0.2, depth 200, where every
     * correlation tends to 1), Elu (its φ' kink at 0) at depth 50, off and at its edge of chaos (σ_w = 1.22925112413721
     * for σ_b = 0.2, from `ntk eoc`, on inputs correlated like images, where most entries are beyond the series'
     * reach), and Gelu at depth 30; the near-|ρ| = 1 branch computes those and the entries of two nearly parallel inputs.
     */
    @Test
    void deepNetworksMatchTheQuadrature() {
        int n = 4;
        int d = 6;
        double[] spread = inputs(n, d);
        double[] close = correlatedInputs(n, d);
        Object[][] cases = {{new Tanh(), 200, 1.3041458, 0.2, spread}, {new Elu(), 50, 1.25, 0.1, spread},
            {new Elu(), 50, 1.22925112413721, 0.2, close}, {new Gelu(), 30, 1.35, 0.1, spread}};
        KernelEngine engine = new KernelEngine(1);
        for (Object[] c : cases) {
            Activation act = (Activation) c[0];
            int depth = (Integer) c[1];
            double[] x = (double[]) c[4];
            Kernels got = engine.kernels(stack(act, depth, (Double) c[2], (Double) c[3]), x, n, null, 0, d, true);
            Kernels want = engine.kernels(stack(new Reference(act), depth, (Double) c[2], (Double) c[3]), x, n, null, 0,
                    d, true);
            double worst = 0;
            for (int i = 0; i < n * n; i++) {
                for (double[][] gw : new double[][][] {{got.nngp(), want.nngp()}, {got.ntk(), want.ntk()}}) {
                    double err = Math.abs(gw[0][i] - gw[1][i]) / Math.abs(gw[1][i]);
                    assertTrue(err <= 1e-11, act.spec() + " depth " + depth + " entry " + i + ": " + gw[0][i] + " vs "
                            + gw[1][i]);
                    worst = Math.max(worst, err);
                }
            }
            double rho = want.nngp()[1] / Math.sqrt(want.nngp()[0] * want.nngp()[n + 1]);
            System.out.printf("deep %s depth %d: worst relative error %.1e (last-layer correlation of inputs 0, 1:"
                    + " 1 - %.1e); entries: %s%n", act.spec(), depth, worst, 1 - rho, branches(act));
        }
    }

    /**
     * A table is built to degree K_FIRST first and completed on need: its coefficients and tails are, bit for bit, the
     * first ones of the table built to K_BASE at once (each coefficient its own sum over the same rule), so an entry's
     * degree and value do not depend on the stage that served it; the stages chain K_FIRST → K_BASE → K_MAX.
     */
    @Test
    void lazyStagesHoldTheFullStagesBits() {
        for (Activation act : new Activation[] {new Tanh(), new Gelu(), new Softplus(), new Sigmoid()}) {
            HermiteSeries h = new HermiteSeries(act);
            for (double q : new double[] {1e-3, 0.37, 1.0, 2.5, 40.0}) {
                HermiteSeries.Table first = h.build(q, HermiteSeries.K_FIRST);
                HermiteSeries.Table full = h.build(q, HermiteSeries.K_BASE);
                for (int k = 0; k <= HermiteSeries.K_FIRST; k++) {
                    assertEquals(Double.doubleToRawLongBits(full.a[k]), Double.doubleToRawLongBits(first.a[k]),
                            act.spec() + " q " + q + " a_" + k);
                    assertEquals(Double.doubleToRawLongBits(full.b[k]), Double.doubleToRawLongBits(first.b[k]),
                            act.spec() + " q " + q + " b_" + k);
                }
                for (int m = 0; m < first.tauA.length; m++) {
                    assertEquals(full.tauA[m], first.tauA[m], 0.0);
                    assertEquals(full.tauB[m], first.tauB[m], 0.0);
                }
                assertEquals(full.e, first.e, 0.0);
                HermiteSeries.Table mid = h.next(first);
                assertEquals(HermiteSeries.K_BASE, mid.kMax);
                for (int k = 0; k <= HermiteSeries.K_BASE; k++) {
                    assertEquals(Double.doubleToRawLongBits(full.a[k]), Double.doubleToRawLongBits(mid.a[k]));
                }
                assertTrue(h.next(first) == mid, "a stage is built once");
                assertEquals(HermiteSeries.K_MAX, h.next(mid).kMax);
            }
        }
    }
}
