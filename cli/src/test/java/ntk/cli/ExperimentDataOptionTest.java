package ntk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ntk.experiments.Experiment;
import ntk.experiments.Experiments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --data DIR} is never silently ignored: an experiment that reads no MNIST digits refuses it with one line and
 * exit 2, writing nothing; one that reads digits takes it (a missing directory is then the data's own refusal).
 */
class ExperimentDataOptionTest {
    @TempDir
    Path dir;

    @Test
    void experimentsWithoutDigitsRefuseData() {
        Path missing = dir.resolve("no-mnist");
        List<String> readers = Experiments.all().stream().filter(Experiment::readsData).map(Experiment::name).toList();
        assertEquals(List.of("jacot-fig3", "jacot-random-features", "kernel-gd-cross-entropy", "linearization", "spectrum",
                "hayou-table1", "hayou-table2", "cntk-mnist"), readers);
        for (Experiment e : Experiments.all()) {
            Path out = dir.resolve("out-" + e.name());
            KernelCommandTest.Run r = KernelCommandTest.run("experiment", e.name(), "--data", missing.toString(),
                    "--out", out.toString());
            assertEquals(2, r.status(), e.name() + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            String expected = e.readsData() ? "ntk: " + missing + ": --data must be a directory holding the MNIST IDX files"
                    : "ntk: experiment " + e.name() + " reads no MNIST digits, so --data has nothing to replace (--data is"
                    + " for " + String.join(", ", readers) + ")";
            assertEquals(expected, r.err().strip(), e.name());
            assertFalse(Files.exists(out), e.name() + " wrote " + out);
        }
        // the help of an experiment lists --data only where it means something
        assertTrue(KernelCommandTest.run("experiment", "jacot-fig3", "--help").out().contains("--data"));
        assertFalse(KernelCommandTest.run("experiment", "jacot-fig1", "--help").out().contains("--data"));
    }
}
