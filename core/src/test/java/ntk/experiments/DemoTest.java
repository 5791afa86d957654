package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import ntk.data.Mnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo composed small: kernel regression classifies real digits, finite networks approach the NTK. */
class DemoTest {
    @TempDir
    Path dir;

    @Test
    void tinyDemoClassifiesDigitsAndWritesTheSummaryKeys() throws Exception {
        Demo.Config c = new Demo.Config(Mnist.shippedSplit(), 200, 100, 40, new int[] {32, 512}, 1, 10, 1.0, 20, 0);
        Demo.Result r = Demo.compute(c, Progress.QUIET);
        // 200 real digits already classify far above chance (0.1) with either kernel
        assertTrue(r.nngpAccuracy() > 0.7 && r.ntkAccuracy() > 0.7, r.nngpAccuracy() + " " + r.ntkAccuracy());
        // the wider network's test outputs are nearer the infinite-width network's, and it is lazier
        assertTrue(r.widths().distanceToNtk()[1] < r.widths().distanceToNtk()[0]);
        assertTrue(r.widths().linearizationGap()[1] < r.widths().linearizationGap()[0]);
        assertTrue(r.spectrum().alpha() > 0);
        Report rep = Demo.render(r);
        rep.write(dir);
        String json = Files.readString(dir.resolve("summary.json"));
        for (String k : new String[] {"mnist_train", "mnist_test", "nngp_accuracy", "ntk_accuracy", "widths",
            "distance_to_ntk", "linearization_gap", "spectrum_alpha"}) {
            assertTrue(json.contains("\"" + k + "\":"), k);
        }
        Map<String, Object> s = rep.summaryJson();
        assertEquals(200, s.get("mnist_train"));
        assertEquals(r.ntkAccuracy(), (double) s.get("ntk_accuracy"), 0);
        assertTrue(Files.readString(dir.resolve("report.html")).contains("data-plot=\"demo-widths\""));
    }
}
