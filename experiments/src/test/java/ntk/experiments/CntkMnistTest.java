package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import ntk.BadInputException;
import ntk.Parameterization;
import ntk.Shape;
import ntk.arch.Network;
import ntk.data.Mnist;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;
import ntk.layers.Conv2D;
import ntk.linalg.Linalg;
import org.junit.jupiter.api.Test;

/**
 * cntk-mnist: its verdict on constructed Results on each side, and checks of the computed kernels that hold whatever
 * the order of summation: the pre-pooling equals a first AvgPool2D layer, a circular CNN on 1 × 1 images is the dense
 * network, the pooled kernel (circular) is invariant under shifting one image while the Flatten kernel is not, and an
 * end-to-end run at a tiny size gives symmetric positive semi-definite kernels and accuracies in [0, 1].
 */
class CntkMnistTest {
    private static final CntkMnist.Config SMALL = new CntkMnist.Config(40, 30, 4, 1, Conv2D.Padding.SAME);

    /** m outcomes, true on the index ranges [from, to) given in pairs. */
    private static boolean[] right(int m, int... ranges) {
        boolean[] c = new boolean[m];
        for (int r = 0; r < ranges.length; r += 2) {
            for (int i = ranges[r]; i < ranges[r + 1]; i++) {
                c[i] = true;
            }
        }
        return c;
    }

    /** Kernel differences as a run finds them: identical without pooling, different with. */
    private static final CntkMnist.LcnComparison IDENTICAL = new CntkMnist.LcnComparison(0, 2e-16, 0.2, 0.3);

    /** A constructed Result: FC kernels right on [0, 280), the four conv kernels as given, the LCN comparison. */
    private static CntkMnist.Result result(boolean[] gpFlat, boolean[] ntkFlat, boolean[] gpGap, boolean[] ntkGap) {
        return result(gpFlat, ntkFlat, gpGap, ntkGap, IDENTICAL);
    }

    /**
     * As above with the given LCN comparison; the LCN kernels classify as the CNN ones.
     */
    private static CntkMnist.Result result(boolean[] gpFlat, boolean[] ntkFlat, boolean[] gpGap, boolean[] ntkGap,
            CntkMnist.LcnComparison lcn) {
        int m = gpFlat.length;
        boolean[] fc = right(m, 0, 280);
        return new CntkMnist.Result(new CntkMnist.Config(500, m, 2, 3, Conv2D.Padding.SAME), "constructed", 14, 14,
                new boolean[][] {fc, fc, gpFlat, ntkFlat, gpGap, ntkGap, gpFlat, ntkFlat, gpGap, ntkGap},
                new double[] {1, 2, 3, 4, 5}, new double[] {1, 2, 3, 4, 5}, new double[10], null, new int[m], null,
                lcn);
    }

    @Test
    void decideGivesEachVerdictOnConstructedResults() {
        int m = 400;
        boolean[] flat = right(m, 0, 300);
        boolean[] better = right(m, 0, 360); // 60 more right: +0.15 ± 0.018
        boolean[] same = right(m, 0, 290, 300, 310); // 10 lost, 10 gained: 0 ± 0.011
        boolean[] worse = right(m, 0, 240);
        Decision shown = CntkMnist.decide(result(flat, flat, better, better)); // identical without pooling
        assertEquals(Report.Verdict.SHOWN, shown.verdict());
        assertTrue(shown.reason().contains("0.900 ± 0.015") && shown.reason().contains("0.150 ± 0.018")
                && shown.reason().contains("400 test digits"), shown.reason());
        assertEquals(Report.Verdict.PARTLY, CntkMnist.decide(result(flat, flat, better, same)).verdict());
        Decision undecided = CntkMnist.decide(result(flat, flat, same, same));
        assertEquals(Report.Verdict.PARTLY, undecided.verdict());
        assertTrue(undecided.reason().contains("neither accuracy difference is decided"), undecided.reason());
        Decision worseWithPooling = CntkMnist.decide(result(flat, flat, worse, same));
        assertEquals(Report.Verdict.PARTLY, worseWithPooling.verdict(), "identical without pooling, pooling hurts");
        assertTrue(worseWithPooling.reason().contains("−0.150") || worseWithPooling.reason().contains("-0.150"),
                worseWithPooling.reason());
        assertTrue(worseWithPooling.reason().contains("pooling classifies worse"), worseWithPooling.reason());
        // the identity: a difference without pooling beyond rounding fails the claim whatever the accuracies
        Decision notIdentical = CntkMnist.decide(result(flat, flat, better, better,
                new CntkMnist.LcnComparison(3e-9, 1e-16, 0.2, 0.3)));
        assertEquals(Report.Verdict.NOT_SHOWN, notIdentical.verdict());
        assertTrue(notIdentical.reason().contains("3.0e-09") && notIdentical.reason().contains("beyond"),
                notIdentical.reason());
        assertEquals(Report.Verdict.SHOWN, CntkMnist.decide(result(flat, flat, better, better,
                new CntkMnist.LcnComparison(9e-11, 9e-11, 0.2, 0.3))).verdict(), "within the tolerance");
        // pooled kernels that do not differ either: the identity is no finding about pooling's absence
        Decision vacuous = CntkMnist.decide(result(flat, flat, better, better,
                new CntkMnist.LcnComparison(0, 0, 1e-12, 0.3)));
        assertEquals(Report.Verdict.PARTLY, vacuous.verdict());
        assertTrue(vacuous.reason().contains("do not differ either"), vacuous.reason());
        assertTrue(shown.reason().contains("at most 0.0 (NNGP) and 2.0e-16 (NTK)")
                && shown.reason().contains("0.200 and 0.300"), shown.reason());
        assertEquals(Report.Verdict.PARTLY, CntkMnist.decide(result(flat, flat, worse, better)).verdict(),
                "one ahead, one behind");
        String others = CntkMnist.comparisonSentences(result(flat, flat, better, better));
        // FC right on 280 digits, Flatten on 300 of them: +0.05 ± 0.011, ahead
        assertTrue(others.contains("Ahead by more than two paired standard errors: CNN-GP, no pooling − FC NNGP; CNTK,"
                + " no pooling − FC NTK; CNN-GP, global average pooling − FC NNGP; CNTK, global average pooling − FC"
                + " NTK; LCN-GP, global average pooling − LCN-GP, no pooling; LCN-NTK, global average pooling − LCN-NTK,"
                + " no pooling.") && others.contains("Within two paired standard errors: FC NTK − FC NNGP;")
                && others.contains("CNN-GP, global average pooling − LCN-GP, global average pooling")
                && !others.contains("Behind"), others);
        // the sentence follows the data
        assertNotEquals(CntkMnist.decide(result(flat, flat, better, better)).reason(),
                CntkMnist.decide(result(flat, flat, right(m, 0, 350), better)).reason());
    }

    @Test
    void pairedErrorIsTheErrorOfTheMeanDifference() {
        int m = 400;
        CntkMnist.Result r = result(right(m, 0, 300), right(m, 0, 300), right(m, 0, 290, 300, 310),
                right(m, 0, 300));
        Estimate d = r.difference(CntkMnist.Kernel.CNN_GP_GAP, CntkMnist.Kernel.CNN_GP_FLATTEN);
        assertEquals(0, d.mean(), 0);
        // 20 of 400 differences of ±1, mean 0: sd² = 20/399
        assertEquals(Math.sqrt(20.0 / 399 / 400), d.se(), 1e-15);
        assertEquals(0, r.difference(CntkMnist.Kernel.CNTK_GAP, CntkMnist.Kernel.CNTK_FLATTEN).se(), 0);
        assertEquals(0.75, r.accuracy(CntkMnist.Kernel.CNTK_GAP).mean(), 0);
    }

    @Test
    void prePoolingIsAFirstAvgPool2DLayer() {
        int n = 3;
        int side = 6;
        double[] raw = new Random(3).doubles(n * side * side).toArray();
        double[] pooled = CntkMnist.pool(raw, n, side, side, 2);
        KernelEngine e = new KernelEngine(1);
        for (CntkMnist.Arch a : new CntkMnist.Arch[] {CntkMnist.Arch.FLATTEN, CntkMnist.Arch.GAP}) {
            String spec = CntkMnist.spec(a, 2, Conv2D.Padding.SAME);
            Kernels withLayer = e.kernels(Network.parse("AvgPool2D(2), " + spec, Parameterization.NTK), raw, n, null,
                    0, Shape.image(side, side, 1), true);
            Kernels prePooled = e.kernels(Network.parse(spec, Parameterization.NTK), pooled, n, null, 0,
                    Shape.image(3, 3, 1), true);
            for (int i = 0; i < n * n; i++) {
                assertEquals(withLayer.ntk()[i], prePooled.ntk()[i], 1e-12 * Math.abs(withLayer.ntk()[i]), a + " " + i);
                assertEquals(withLayer.nngp()[i], prePooled.nngp()[i], 1e-12 * Math.abs(withLayer.nngp()[i]));
            }
        }
    }

    @Test
    void circularCnnOnOnePixelImagesIsTheDenseNetwork() {
        int n = 4;
        int c = 5;
        double[] x = new Random(5).doubles(n * c, -1, 1).toArray();
        KernelEngine e = new KernelEngine(1);
        Kernels fc = e.kernels(Network.parse(CntkMnist.spec(CntkMnist.Arch.FC, 2, Conv2D.Padding.CIRCULAR),
                Parameterization.NTK), x, n, null, 0, Shape.dense(c), true);
        for (CntkMnist.Arch a : new CntkMnist.Arch[] {CntkMnist.Arch.FLATTEN, CntkMnist.Arch.GAP}) {
            Kernels conv = e.kernels(Network.parse(CntkMnist.spec(a, 2, Conv2D.Padding.CIRCULAR), Parameterization.NTK),
                    x, n, null, 0, Shape.image(1, 1, c), true);
            for (int i = 0; i < n * n; i++) {
                assertEquals(fc.ntk()[i], conv.ntk()[i], 1e-12 * Math.abs(fc.ntk()[i]), a + " " + i);
                assertEquals(fc.nngp()[i], conv.nngp()[i], 1e-12 * Math.abs(fc.nngp()[i]));
            }
        }
    }

    /** Image 0 circularly shifted by (dr, dc), as a second input. */
    private static double[] shifted(double[] x, int side, int dr, int dc) {
        double[] s = new double[side * side];
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                s[((r + dr) % side) * side + (c + dc) % side] = x[r * side + c];
            }
        }
        return s;
    }

    @Test
    void poolingSeesTranslationsAndFlattenDoesNot() {
        int side = 5;
        double[] a = new Random(11).doubles(side * side, -1, 1).toArray();
        double[] b = new Random(12).doubles(side * side, -1, 1).toArray();
        KernelEngine e = new KernelEngine(1);
        Shape s = Shape.image(side, side, 1);
        for (CntkMnist.Arch arch : new CntkMnist.Arch[] {CntkMnist.Arch.FLATTEN, CntkMnist.Arch.GAP}) {
            Network net = Network.parse(CntkMnist.spec(arch, 2, Conv2D.Padding.CIRCULAR), Parameterization.NTK);
            double k0 = e.kernels(net, a, 1, b, 1, s, true).ntk()[0];
            double k1 = e.kernels(net, shifted(a, side, 2, 1), 1, b, 1, s, true).ntk()[0];
            if (arch == CntkMnist.Arch.GAP) {
                assertEquals(k0, k1, 1e-12 * Math.abs(k0), "the pooled kernel is invariant under shifting one image");
            } else {
                assertTrue(Math.abs(k0 - k1) > 1e-3 * Math.abs(k0), "the Flatten kernel compares equal positions only: "
                        + k0 + " vs " + k1);
            }
        }
    }

    @Test
    void endToEndAtATinySize() {
        CntkMnist.Result r = CntkMnist.compute(SMALL, Mnist.shippedSplit(), Progress.QUIET);
        assertEquals(7, r.height());
        assertEquals(30, r.nTest());
        for (CntkMnist.Arch a : CntkMnist.Arch.values()) {
            Kernels kxx = r.kernels()[a.ordinal()][0];
            for (double[] k : new double[][] {kxx.nngp(), kxx.ntk()}) {
                int n = SMALL.train();
                double max = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        assertEquals(k[i * n + j], k[j * n + i], 0, a + ": symmetric");
                        max = Math.max(max, Math.abs(k[i * n + j]));
                    }
                }
                double[] ev = Linalg.symmetricEigenvalues(k.clone(), n);
                assertTrue(ev[0] > -1e-10 * max, a + ": positive semi-definite, λ_min " + ev[0]);
            }
            assertEquals(SMALL.test() * SMALL.train(), r.kernels()[a.ordinal()][1].ntk().length);
        }
        for (CntkMnist.Kernel k : CntkMnist.Kernel.values()) {
            Estimate acc = r.accuracy(k);
            assertTrue(acc.mean() >= 0 && acc.mean() <= 1, k + " " + acc);
            assertTrue(r.seconds(k) > 0);
        }
        // Novak et al.'s identity on the run's kernels, and the pooled kernels apart
        assertTrue(r.lcn().flatten() <= CntkMnist.IDENTICAL, "" + r.lcn());
        assertTrue(r.lcn().pooled() > 1e-3, "" + r.lcn());
        assertEquals(r.accuracy(CntkMnist.Kernel.CNN_GP_FLATTEN).mean(),
                r.accuracy(CntkMnist.Kernel.LCN_GP_FLATTEN).mean(), 0);
        Estimate d = r.difference(CntkMnist.Kernel.CNTK_GAP, CntkMnist.Kernel.CNTK_FLATTEN);
        assertEquals(r.accuracy(CntkMnist.Kernel.CNTK_GAP).mean() - r.accuracy(CntkMnist.Kernel.CNTK_FLATTEN).mean(),
                d.mean(), 1e-12);
        Report rep = CntkMnist.render(r);
        rep.html(); // every tagged number is summary.json's
        Map<String, Object> s = rep.summaryJson();
        for (String key : new String[] {"kernels", "accuracy", "n_train", "n_test", "image_size", "seconds",
            "paper_claim", "paper_ref", "verdict", "verdict_reason", "deviations", "paper_claim_source",
            "lcn_identity_max_rel_diff", "lcn_pooled_max_rel_diff", "lcn_identity_tolerance"}) {
            assertTrue(s.containsKey(key) && s.get(key) != null, key);
        }
        assertEquals(CntkMnist.CLAIM.source(), s.get("paper_claim_source"));
        assertEquals(CntkMnist.decide(r).verdict().label, s.get("verdict"));
    }

    @Test
    void budgetRefusesUpFrontWithTheEstimate() {
        CntkMnist.Config full = CntkMnist.Config.full();
        CntkMnist.checkBudget(CntkMnist.Config.standard(), 14, 14, Budget.DEFAULT_MAX_WORK);
        CntkMnist.checkBudget(full, 28, 28, Budget.DEFAULT_MAX_WORK);
        BadInputException e = assertThrows(BadInputException.class, () -> CntkMnist.checkBudget(
                new CntkMnist.Config(4000, 2000, 1, 3, Conv2D.Padding.SAME), 28, 28, Budget.DEFAULT_MAX_WORK));
        assertTrue(e.getMessage().contains("floating-point operations") && e.getMessage().contains("--max-work"),
                e.getMessage());
        // the pooled state dominates: 16× the pixel pairs at 28 × 28 than at 14 × 14
        double r = CntkMnist.work(full, 28, 28) / CntkMnist.work(full, 14, 14);
        assertTrue(r > 15 && r < 16.1, "" + r);
    }
}
