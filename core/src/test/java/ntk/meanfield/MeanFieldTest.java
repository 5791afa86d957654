package ntk.meanfield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ntk.BadInputException;
import ntk.activations.Activation;
import ntk.activations.Activations;
import ntk.activations.Relu;
import ntk.activations.Tanh;
import org.junit.jupiter.api.Test;

/** Mean-field maps and the edge of chaos against evidence independent of the solvers. */
class MeanFieldTest {
    static final double SQRT2 = Math.sqrt(2.0);

    @Test
    void reluEdgeOfChaosIsRootTwoAtZeroBiasWhereEveryVarianceIsKept() {
        EocPoint p = new EdgeOfChaos(new Relu()).find(0.0);
        assertEquals(SQRT2, p.sigmaW(), 4 * Math.ulp(SQRT2));
        assertTrue(p.everyQFixed());
        VarianceMap v = new VarianceMap(new Relu(), SQRT2, 0.0);
        // q* = σ_w²‖x‖²/d is preserved for any input: here ‖x‖²/d = 0.37 and 12.5.
        for (double normSqOverD : new double[] {0.37, 12.5}) {
            double q1 = 2.0 * normSqOverD;
            double q = q1;
            for (int l = 0; l < 50; l++) {
                q = v.apply(q);
            }
            assertEquals(q1, q, 50 * 4 * Math.ulp(q1)); // 50 steps of ≤ 4 ulp rounding each
            VarianceFixedPoint fp = v.fixedPoint(q1);
            assertEquals(VarianceFixedPoint.Kind.EVERY_Q, fp.kind());
            assertEquals(q1, fp.qStar(), 0.0);
        }
        assertEquals(Phase.EDGE_OF_CHAOS, MeanField.analyse(new Relu(), SQRT2, 0.0).phase());
    }

    @Test
    void reluHasNoEdgeOfChaosWithBiasBecauseQDiverges() {
        BadInputException e = assertThrows(BadInputException.class, () -> new EdgeOfChaos(new Relu()).find(0.1));
        assertTrue(e.getMessage().contains("no edge of chaos"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
        // Independent: at σ_w = √2 the map is q ↦ q + σ_b², and above √2 it grows geometrically.
        assertEquals(VarianceFixedPoint.Kind.DIVERGES, new VarianceMap(new Relu(), SQRT2, 0.1).fixedPoint(1.0).kind());
        assertEquals(VarianceFixedPoint.Kind.DIVERGES, new VarianceMap(new Relu(), 1.5, 0.0).fixedPoint(1.0).kind());
        assertEquals(Phase.DIVERGENT, MeanField.analyse(new Relu(), 1.5, 0.3).phase());
        // Relu below √2: q* = σ_b²/(1 − σ_w²/2) in closed form.
        assertEquals(0.09 / 0.5, new VarianceMap(new Relu(), 1.0, 0.3).fixedPoint(1.0).qStar(), 1e-15);
    }

    @Test
    void fixedPointsAgreeWithPlainIteration() {
        Object[][] cases = {{"Tanh", 1.0, 0.3}, {"Erf", 1.5, 0.2}, {"Elu", 1.1, 0.1}, {"Sin", 1.3, 0.4},
            {"Tanh", 2.0, 0.1}};
        for (Object[] c : cases) {
            Activation act = Activations.parse((String) c[0]);
            VarianceMap v = new VarianceMap(act, (double) c[1], (double) c[2]);
            double solved = v.fixedPoint(1.0).qStar();
            double q = 1.0;
            int iterations = 400;
            for (int i = 0; i < iterations; i++) {
                q = v.apply(q);
            }
            // The iteration's error shrinks by V'(q*) per step; make sure 400 steps reach rounding.
            double contraction = Math.pow(v.slope(solved), iterations);
            assertTrue(contraction < 1e-15, c[0] + ": V' too close to 1 for this check: " + v.slope(solved));
            assertEquals(q, solved, 1e-14 * q + 1e-15, c[0] + " " + c[1] + " " + c[2]);
        }
    }

    @Test
    void edgeOfChaosPointsSolveBothEquations() {
        Object[][] cases = {{"Tanh", 0.2}, {"Tanh", 1.0}, {"Erf", 0.5}, {"Elu", 0.2}, {"Sin", 0.3}, {"Sigmoid", 0.5}};
        for (Object[] c : cases) {
            Activation act = Activations.parse((String) c[0]);
            double sb = (double) c[1];
            EocPoint p = new EdgeOfChaos(act).find(sb);
            VarianceMap v = new VarianceMap(act, p.sigmaW(), sb);
            assertEquals(p.qStar(), v.apply(p.qStar()), 1e-13 * p.qStar(), c[0] + " q*");
            assertEquals(1.0, new CorrelationMap(act, p.sigmaW(), sb, p.qStar()).chi1(), 1e-13, c[0] + " chi1");
            assertTrue(v.slope(p.qStar()) < 1, c[0] + ": q* must attract");
        }
    }

    /**
     * Poole et al. 2016, eq. 7: the slope of the correlation map at c = 1 is χ₁. One-sided differences
     * D(h) = (f(1) − f(1 − h))/h, Richardson R(h) = 2D(h/2) − D(h) = f'(1) + O(h²); the error of R(h/2) is
     * estimated as |R(h) − R(h/2)|/3 (the O(h²) term shrinks 4×; asymptotically exact, so doubled to cover
     * the O(h³) remainder), plus rounding 8·1e-14/h of f (~1e-14).
     */
    @Test
    void chi1IsTheSlopeOfTheCorrelationMapAtOne() {
        Object[][] cases = {{"Tanh", 0.2}, {"Erf", 0.5}, {"Sin", 0.3}, {"Tanh", 1.0}};
        for (Object[] c : cases) {
            Activation act = Activations.parse((String) c[0]);
            double sb = (double) c[1];
            EocPoint p = new EdgeOfChaos(act).find(sb);
            CorrelationMap f = new CorrelationMap(act, p.sigmaW(), sb, p.qStar());
            double h = 1e-3;
            double r1 = richardson(f, h);
            double r2 = richardson(f, h / 2);
            double tol = 2 * Math.abs(r1 - r2) / 3 + 8e-14 / (h / 4);
            assertEquals(f.chi1(), r2, tol, c[0] + " at sigma_b " + sb);
            assertEquals(1.0, r2, tol, c[0] + ": an EOC point has slope 1 at c = 1");
        }
    }

    private static double richardson(CorrelationMap f, double h) {
        double f1 = f.apply(1.0);
        double d1 = (f1 - f.apply(1.0 - h)) / h;
        double d2 = (f1 - f.apply(1.0 - h / 2)) / (h / 2);
        return 2 * d2 - d1;
    }

    /**
     * Tanh at σ_b = 0.2. Hayou et al. train Tanh networks on the EOC at σ_b = 0.2; the value here was
     * computed independently with NumPy (300-node Gauss–Hermite rule, bisection on q − E[tanh²]/E[sech⁴] − σ_b²):
     * σ_w = 1.3041458400565114, q* = 0.5120785042339013. (A σ_w of 1.298 at σ_b = 0.2 gives χ₁ = 0.9966.)
     */
    @Test
    void tanhEdgeOfChaosAtBiasPointTwoMatchesAnIndependentComputation() {
        EocPoint p = new EdgeOfChaos(new Tanh()).find(0.2);
        assertEquals(1.3041458400565114, p.sigmaW(), 1e-13);
        assertEquals(0.5120785042339013, p.qStar(), 1e-13);
        MeanField off = MeanField.analyse(new Tanh(), 1.298, 0.2);
        assertEquals(0.9966105489870312, off.chi1(), 1e-12);
    }

    @Test
    void classificationFollowsChi1AndTheFixedCorrelation() {
        double eoc = new EdgeOfChaos(new Tanh()).find(0.2).sigmaW();
        for (double sw : new double[] {0.6, 1.0, eoc * 0.99, eoc * 1.01, 1.8, 2.5}) {
            MeanField m = MeanField.analyse(new Tanh(), sw, 0.2);
            assertEquals(sw < eoc ? Phase.ORDERED : Phase.CHAOTIC, m.phase(), "sigma_w " + sw);
            assertEquals(m.chi1() < 1 ? Phase.ORDERED : Phase.CHAOTIC, m.phase());
            CorrelationMap f = new CorrelationMap(new Tanh(), sw, 0.2, m.qStar());
            assertEquals(m.cStar(), f.apply(m.cStar()), 1e-12, "c* is a fixed point");
            if (m.phase() == Phase.CHAOTIC) {
                assertTrue(m.cStar() < 1 && m.chiC() < 1, "chaotic: stable c* < 1");
                assertEquals(-1 / Math.log(m.chiC()), m.xiC(), 1e-12);
            } else {
                assertEquals(1.0, m.cStar());
                assertEquals(-1 / Math.log(m.chi1()), m.xiC(), 1e-9 * m.xiC());
            }
        }
        assertEquals(Phase.EDGE_OF_CHAOS, new EdgeOfChaos(new Tanh()).classify(0.2, eoc));
    }

    /**
     * The depth scales as measured by iterating the maps themselves: |q^l − q*| shrinks by e^{−1/ξ_q} per layer and
     * |c^l − c*| by e^{−1/ξ_c} (Schoenholz et al. 2017, eqs. 5 and 9). The tail ratio over 10 layers, taken where the
     * error is still far above rounding, must match the analysed scales (which come from V'(q*) and f'(c*)).
     */
    @Test
    void depthScalesAreTheMeasuredRatesOfTheIteratedMaps() {
        Object[][] cases = {{"Tanh", 1.0, 0.3}, {"Erf", 1.5, 0.2}, {"Tanh", 2.5, 0.2}, {"Elu", 1.1, 0.1}};
        for (Object[] c : cases) {
            Activation act = Activations.parse((String) c[0]);
            double sw = (double) c[1];
            double sb = (double) c[2];
            MeanField m = MeanField.analyse(act, sw, sb, 1.0);
            VarianceMap v = new VarianceMap(act, sw, sb);
            double q = 3.0 * m.qStar();
            double[] err = new double[400];
            for (int l = 0; l < 400; l++) {
                q = v.apply(q);
                err[l] = Math.abs(q - m.qStar());
            }
            int a = lastAbove(err, 1e-9 * m.qStar()) - 10;
            double measuredQ = -10.0 / Math.log(err[a + 10] / err[a]);
            assertEquals(m.xiQ(), measuredQ, 1e-3 * m.xiQ(), c[0] + " xi_q");
            CorrelationMap f = new CorrelationMap(act, sw, sb, m.qStar());
            double cs = m.cStar();
            double cc = m.phase() == Phase.CHAOTIC ? 0.5 * cs : 0.3; // start on the far side of c*
            double[] cerr = new double[200];
            for (int l = 0; l < 200; l++) {
                cc = f.apply(cc);
                cerr[l] = Math.abs(cc - cs);
            }
            int b = lastAbove(cerr, 1e-9) - 10;
            double measuredC = -10.0 / Math.log(cerr[b + 10] / cerr[b]);
            assertEquals(m.xiC(), measuredC, 1e-3 * m.xiC(), c[0] + " " + m.phase() + " xi_c");
        }
    }

    private static int lastAbove(double[] e, double level) {
        int k = 0;
        while (k + 1 < e.length && e[k + 1] > level) {
            k++;
        }
        return k;
    }

    @Test
    void badInputIsRefusedWithOneLine() {
        assertThrows(BadInputException.class, () -> new VarianceMap(new Tanh(), 0.0, 0.1));
        assertThrows(BadInputException.class, () -> new VarianceMap(new Tanh(), -1.0, 0.1));
        assertThrows(BadInputException.class, () -> new VarianceMap(new Tanh(), 1.0, -0.1));
        assertThrows(BadInputException.class, () -> new EdgeOfChaos(new Tanh()).find(-0.2));
        BadInputException e = assertThrows(BadInputException.class,
                () -> new EdgeOfChaos(Activations.parse("Softplus")).find(0.2));
        assertTrue(e.getMessage().contains("no edge of chaos") && !e.getMessage().contains("\n"), e.getMessage());
    }
}
