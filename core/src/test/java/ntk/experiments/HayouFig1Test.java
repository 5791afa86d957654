package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import ntk.meanfield.DepthProfile;
import org.junit.jupiter.api.Test;

/** Hayou et al.'s Figure 1 on a short run (L ≤ 200): the claims the figure makes, measured on the numbers. */
class HayouFig1Test {

    @Test
    void phasesRatesAndResNetsAsThePaperSays() {
        HayouFig1.Result r = HayouFig1.compute(new HayouFig1.Config(200, HayouFig1.defaultInputs().data, 4, 2, false),
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
}
