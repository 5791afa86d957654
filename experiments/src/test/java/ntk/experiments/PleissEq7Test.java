package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Pleiss' eq. 7 on a tiny run (the inequality must hold) and the verdict on constructed Results on each side. */
class PleissEq7Test {

    @Test
    void theBoundHoldsAndTheClosedFormNetworkIsTheToolkitsOne() {
        PleissEq7.Config c = new PleissEq7.Config(8, 6, 5, new int[] {32, 128, 512}, 2, 30, 0);
        PleissEq7.Result r = PleissEq7.compute(c, Progress.QUIET);
        assertTrue(r.maxRatio() <= 1, "eq. 7 is an inequality: " + r.maxRatio());
        assertTrue(r.maxRatio() > 0, "and the error is not zero");
        assertTrue(r.maxForwardGap() < 1e-12, "closed-form forward vs FiniteNetwork: " + r.maxForwardGap());
        Report rep = PleissEq7.render(r);
        assertTrue(rep.summaryJson().keySet().containsAll(java.util.List.of("linearization_error", "error_slope",
                "error_slope_se", "max_error_over_bound", "paper_claim", "verdict", "deviations")));
        rep.html();
    }

    static PleissEq7.Result made(double errSlope, double movedSlope, double ratio) {
        int[] w = {100, 1000, 10000};
        double[][] e = new double[3][3];
        double[][] mv = new double[3][3];
        double[][] rt = new double[3][3];
        double[][] gap = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int s = 0; s < 3; s++) {
                double wob = 1 + 0.02 * (s - 1);
                e[i][s] = 0.01 * Math.pow(w[i] / 100.0, errSlope) * wob;
                mv[i][s] = 10 * Math.pow(w[i] / 100.0, movedSlope) * wob;
                rt[i][s] = ratio;
            }
        }
        return new PleissEq7.Result(new PleissEq7.Config(8, 6, 5, w, 3, 30, 0), e, rt, mv, gap, 1);
    }

    @Test
    void verdictOnEachSide() {
        assertEquals(Report.Verdict.SHOWN, PleissEq7.decide(made(-0.5, 0, 0.1)).verdict());
        assertEquals(Report.Verdict.PARTLY, PleissEq7.decide(made(-0.5, 1.2, 0.1)).verdict(), "moved like d");
        assertEquals(Report.Verdict.PARTLY, PleissEq7.decide(made(0.1, 0, 0.1)).verdict(), "error not falling");
        assertEquals(Report.Verdict.NOT_SHOWN, PleissEq7.decide(made(-0.5, 0, 1.5)).verdict(), "bound violated");
        assertEquals(Report.Verdict.NOT_SHOWN, PleissEq7.decide(made(0.2, 1.5, 0.1)).verdict());
        assertTrue(PleissEq7.decide(made(-0.5, 0, 1.5)).reason().contains("VIOLATED"));
        assertTrue(PleissEq7.decide(made(-0.5, 0, 0.1)).reason().contains("the bound holds"));
    }
}
