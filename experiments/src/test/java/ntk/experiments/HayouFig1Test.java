package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import ntk.meanfield.DepthProfile;
import org.junit.jupiter.api.Test;

/** Hayou et al.'s Figure 1 on a short run (L ≤ 200): the claims the figure makes, measured on the numbers. */
class HayouFig1Test {

    @Test
    void phasesRatesAndResNetsAsThePaperSays() {
        HayouFig1.Result r = HayouFig1.compute(new HayouFig1.Config(200, HayouFig1.defaultInputs().data, 4, 2, false, 0),
                Progress.QUIET);
        for (HayouFig1.Row row : r.rows()) {
            HayouFig1.Family f = row.family();
            DepthProfile p = row.profile();
            String best = p.better().model();
            switch (f.phase()) {
                // (b) ordered and chaotic: exponential convergence, and the limit reached to rounding by L = 200
                case "ordered", "chaotic" -> {
                    assertEquals("exponential", best, f.name());
                    assertTrue(p.distance()[199] < 1e-10, f.name() + ": " + p.distance()[199]);
                }
                // (a) and (c): a power of L, far from the limit still at L = 200
                case "EOC", "ResNet" -> {
                    assertTrue(best.contains("polynomial"), f.name() + ": " + best);
                    assertTrue(p.distance()[199] > 1e-3, f.name());
                }
                default -> assertTrue(p.polynomial().rate() < 0.2, f.name() + ": no power of L for scaled ResNets");
            }
        }
        // (a) ReLU on the EOC: K/L approaches its limit like 1/L (L·distance nearly constant from L = 100 to 200)
        DepthProfile relu = r.row("relu_eoc").profile();
        assertEquals(1.0, 200 * relu.distance()[199] / (100 * relu.distance()[99]), 0.1);
        // (c) Thm 2: the ResNets at σw = 1, 1.5, 2 share their exponent. At L = 200 they do not yet (0.77 .. 0.86: the
        // distance is roughly a function of (σw²/2)·L, so smaller σw are further from the asymptote); at L = 600 they do
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (HayouFig1.Family f : HayouFig1.families()) {
            if (f.phase().equals("ResNet") && f.sigmaW() >= 1) {
                double rate = ntk.meanfield.DepthAnalysis.run(f.act(), f.sigmaW(), f.sigmaB(), f.kind(), 600,
                        HayouFig1.defaultInputs().data, 4, 2).polynomial().rate();
                lo = Math.min(lo, rate);
                hi = Math.max(hi, rate);
            }
        }
        assertTrue(hi - lo < 0.03 && lo > 0.85, lo + " .. " + hi);
        // the summary's families carry the keys the issue names
        Report rep = HayouFig1.render(r, "");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> fams = (List<Map<String, Object>>) rep.summary().get("families");
        assertEquals(r.rows().size(), fams.size());
        assertEquals("ELU, EOC (σw=1.2293, σb=0.2)", fams.get(1).get("name"));
        for (Map<String, Object> m : fams) {
            assertTrue(m.keySet().containsAll(List.of("name", "phase", "rate_model", "rate")), m.toString());
            assertTrue(List.of("exponential", "polynomial", "log-polynomial", "logarithmic").contains(m.get("rate_model")));
        }
    }

    private static HayouRates.RateCheck check(String key, String test, double v, double se, double pred, double level) {
        return new HayouRates.RateCheck(key, key, "rate", "stat", test, v, se, pred, test.equals("equals") ? 0.03 : 0.01,
                level, 41, 300, 30000, true, test.equals("nonzero") ? 0.0 : Double.NaN, 0.01);
    }

    /** A result with no curves and the given rate checks. */
    private static HayouFig1.Result constructed(List<HayouRates.RateCheck> rates) {
        return new HayouFig1.Result(new HayouFig1.Config(10, HayouFig1.defaultInputs().data, 4, 2, false, 30000),
                List.of(), rates, Double.NaN, Double.NaN);
    }

    private static List<HayouRates.RateCheck> allAsThePaperSays() {
        return List.of(check("relu_eoc", "zero", 0.001, 0.002, 0, 12), check("tanh_eoc", "nonzero", -0.65, 0.004, 0, 4),
                check("relu_ordered", "equals", 0.1639, 1e-4, 0.1643, Double.NaN),
                check("scaled", "positive", 0.1, 1e-4, Double.NaN, 2.4));
    }

    @Test
    void decideGivesEachVerdictOnConstructedResults() {
        List<HayouRates.RateCheck> ok = allAsThePaperSays();
        assertEquals(Report.Verdict.SHOWN, HayouFig1.decide(constructed(ok)).verdict());
        // ReLU's L·e_L grows like 0.77·log L (as this run measures): a log factor → PARTLY
        List<HayouRates.RateCheck> partly = new java.util.ArrayList<>(ok);
        partly.set(0, ok.get(0).with(0.77, 0.0013));
        Decision d = HayouFig1.decide(constructed(partly));
        assertEquals(Report.Verdict.PARTLY, d.verdict());
        assertTrue(d.reason().contains("0.77"), d.reason());
        // three of four wrong → NOT SHOWN
        List<HayouRates.RateCheck> bad = new java.util.ArrayList<>(partly);
        bad.set(1, ok.get(1).with(-0.001, 0.004)); // no log factor resolved for Tanh
        bad.set(2, ok.get(2).with(0.2, 1e-4)); // ordered rate off its prediction
        assertEquals(Report.Verdict.NOT_SHOWN, HayouFig1.decide(constructed(bad)).verdict());
        // no rate tests, or too few depths: not shown at this size
        assertEquals(Report.Verdict.NOT_SHOWN, HayouFig1.decide(constructed(List.of())).verdict());
        HayouRates.RateCheck few = new HayouRates.RateCheck("x", "x", "r", "s", "zero", 0, 1, 0, 0.01, 1, 3, 1, 3, true,
                Double.NaN, Double.NaN);
        assertTrue(HayouFig1.decide(constructed(List.of(few))).reason().startsWith("not shown at this size"));
    }

    @Test
    void rateTestsBoundaries() {
        // equals: within 2 se + 3 % of the prediction
        assertTrue(check("a", "equals", 0.1643 * 1.029, 0, 0.1643, Double.NaN).passes());
        assertFalse(check("a", "equals", 0.1643 * 1.05, 1e-4, 0.1643, Double.NaN).passes());
        // nonzero needs 2 se AND 1 % of the level AND a line in log L (half-window slopes agree)
        assertFalse(check("b", "nonzero", 0.05, 0.001, 0, 10).passes());
        assertTrue(check("b", "nonzero", 0.2, 0.001, 0, 10).passes());
        HayouRates.RateCheck curved = new HayouRates.RateCheck("e", "e", "r", "s", "nonzero", -13.7, 0.7, 0, 0.01, 16,
                41, 300, 30000, true, -20, 1);
        assertFalse(curved.passes());
        // zero is the complement of nonzero's size test
        assertTrue(check("c", "zero", 0.05, 0.001, 0, 10).passes());
        assertFalse(check("c", "zero", 0.77, 0.001, 0, 12).passes());
    }

    @Test
    void reportTextFollowsTheResult() {
        HayouFig1.Result a = constructed(allAsThePaperSays());
        HayouFig1.Result b = a.withRates(List.of(allAsThePaperSays().get(0).with(0.7688, 0.0013)));
        String ta = HayouFig1.decide(a).reason();
        String tb = HayouFig1.decide(b).reason();
        assertNotEquals(ta, tb);
        assertTrue(tb.contains("0.7688"), tb);
    }

    @Test
    void reluReferenceMatchesA40DigitRecursionAndTheEngine() {
        // mpmath, 40 digits, the same recursion in c (ReLU, σw² = 2, σb = 0, q = 2, c1 = cos 0.5): Θ^L(x, x')/L
        int[] depths = {100, 1000, 10000};
        double[] ref = HayouRates.reluEocReference(2, Math.cos(0.5), depths);
        assertEquals(0.598260583152761, ref[0], 1e-13);
        assertEquals(0.511801504640957, ref[1], 1e-13);
        assertEquals(0.501355628421763, ref[2], 1e-12);
        // the engine (through the one-pass recorder) agrees to 2000 layers
        HayouFig1.Family relu = HayouFig1.families().get(0);
        int[] dd = {100, 1000, 2000};
        ntk.meanfield.DepthSamples s = ntk.meanfield.DepthAnalysis.sample(relu.act(), relu.sigmaW(), relu.sigmaB(),
                relu.kind(), dd, HayouFig1.defaultInputs().data, 2, 2);
        double[] r2 = HayouRates.reluEocReference(2, Math.cos(0.5), dd);
        for (int k = 0; k < dd.length; k++) {
            assertEquals(r2[k], s.ntk(k, 0, 1) / dd[k], 2e-9); // the engine loses digits in 1 − c (measured 2.8e-10 at 2000)
        }
    }

    @Test
    void rescaledResNetEqualsTheUnscaledPass() {
        // the power-of-two rescaling inside the pass is exact: the correlation matches DepthAnalysis.run's
        HayouFig1.Family f = HayouFig1.families().stream().filter(x -> x.key().equals("resnet_relu_w2")).findFirst()
                .orElseThrow();
        double[] x = HayouFig1.defaultInputs().data;
        DepthProfile p = ntk.meanfield.DepthAnalysis.run(f.act(), f.sigmaW(), f.sigmaB(), f.kind(), 300, x, 2, 2);
        ntk.meanfield.DepthSamples s = ntk.meanfield.DepthAnalysis.sample(f.act(), f.sigmaW(), f.sigmaB(), f.kind(),
                new int[] {50, 300}, x, 2, 2);
        assertEquals(p.normalised()[299][1], s.ntkCorrelation(1, 0, 1), 1e-14);
        assertEquals(Math.log(p.ntk()[299][0]), s.logNtk(1, 0, 0), 1e-12);
    }
}
