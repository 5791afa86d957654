package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registered experiments' reports, small, as a reader sees them in Chromium. */
class ReportInBrowserTest {
    @TempDir
    Path dir;

    @Test
    void depthReportShowsItsPlotsAndTheSummaryNumbers() throws Exception {
        Report r = HayouFig1.render(HayouFig1.compute(new HayouFig1.Config(30,
                HayouFig1.defaultInputs().data, 4, 2, false, 0), Progress.QUIET), " (4 points on a circle)");
        r.runTime(1.5);
        r.write(dir.resolve("depth"));
        BrowserCheck.Seen s = BrowserCheck.check(dir.resolve("depth"), dir);
        assertEquals(4, s.plots()); // panels (a), (b), (c) and λ_min
        // per family at least its rate and λ_min, plus the run time (every tagged number is checked against summary.json)
        assertTrue(s.numbersChecked() >= 2 * HayouFig1.families().size() + 1, "numbers checked: " + s.numbersChecked());
    }

    @Test
    void jacotFig2ReportShowsItsPlotAndTheSummaryNumbers() throws Exception {
        Report r = JacotFig2.render(JacotFig2.compute(new JacotFig2.Config(new int[] {8, 32}, 2, 20, 1.0, 0),
                Progress.QUIET));
        r.runTime(0.5);
        r.write(dir.resolve("jacot-fig2"));
        BrowserCheck.Seen s = BrowserCheck.check(dir.resolve("jacot-fig2"), dir);
        assertEquals(1, s.plots());
        assertTrue(s.numbersChecked() >= 9, "4 numbers per width and the run time: " + s.numbersChecked());
        // a blank plot (no curves) is caught: the same report with nothing drawn must fail the ink check
        Report empty = new Report("empty", "nothing drawn").summary("a", 1.0);
        empty.paragraph("a = %s", Report.num("a", 1.0));
        empty.plot("blank", new SvgPlot("blank", "x", "y"), null);
        empty.write(dir.resolve("empty"));
        org.junit.jupiter.api.Assertions.assertThrows(org.opentest4j.AssertionFailedError.class,
                () -> BrowserCheck.check(dir.resolve("empty"), dir));
    }
}
