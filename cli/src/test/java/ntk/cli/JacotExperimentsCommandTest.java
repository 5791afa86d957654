package ntk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `ntk experiment jacot-fig1 | jacot-fig3 | linearization | spectrum` from the command line, tiny: each writes its
 * report, plots and the summary keys issue 10 names; bad sizes exit 2 before anything is written.
 */
class JacotExperimentsCommandTest {
    @TempDir
    Path dir;

    private String run(String name, String... opts) throws Exception {
        Path root = dir.resolve(name);
        String[] args = new String[opts.length + 4];
        args[0] = "experiment";
        args[1] = name;
        System.arraycopy(opts, 0, args, 2, opts.length);
        args[opts.length + 2] = "--out";
        args[opts.length + 3] = root.toString();
        KernelCommandTest.Run r = KernelCommandTest.run(args);
        assertEquals(0, r.status(), r.err());
        Path out = root.resolve(name);
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<svg"), html);
        return Files.readString(out.resolve("summary.json"));
    }

    private static void hasKeys(String json, String... keys) {
        for (String k : keys) {
            assertTrue(json.contains("\"" + k + "\":"), k + " missing from " + json);
        }
    }

    @Test
    void eachExperimentWritesItsSummaryKeys() throws Exception {
        hasKeys(run("jacot-fig1", "--widths", "16,64", "--seeds", "2", "--steps", "5", "--points", "8"), "widths",
                "init_deviation", "kernel_change");
        hasKeys(run("jacot-fig3", "--n", "24", "--widths", "16,64", "--seeds", "1", "--decay", "0.3"), "n", "eigenvalues",
                "widths", "pc2_rate_theory", "pc2_rate_measured", "line_deviation");
        hasKeys(run("linearization", "--widths", "16,32,64", "--seeds", "1", "--steps", "3", "--n", "12", "--m", "6"),
                "widths", "linearization_gap", "gap_slope", "param_change");
        hasKeys(run("spectrum", "--n", "60", "--sphere-n", "80", "--to", "15"), "n", "eigenvalues", "alpha", "fit_range");
    }

    @Test
    void badSizesExitTwoAndWriteNothing() {
        Path none = dir.resolve("none");
        KernelCommandTest.Run r = KernelCommandTest.run("experiment", "spectrum", "--n", "60", "--from", "50", "--to",
                "20", "--out", none.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("fit range"), r.err());
        r = KernelCommandTest.run("experiment", "jacot-fig3", "--n", "9000", "--out", none.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--n must be in"), r.err());
        assertTrue(!Files.exists(none));
    }
}
