package ntk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Experiments whose sizes cannot fit or whose length cannot finish are refused before any work, with the estimate. */
class ExperimentBoundsTest {
    @TempDir
    Path dir;

    @Test
    void impossibleSizesAndLengthsAreRefusedUpFront() {
        String[][] cases = {
            {"hayou-sgd", "--width", "300000"},
            {"spectrum", "--sphere-n", "2000000000"},
            {"jacot-fig1", "--widths", "100000000"},
            {"jacot-fig3", "--decay", "1000000000"},
            {"hayou-sgd", "--steps", "2000000000"},
            {"hayou-table1", "--depth", "100000000"},
            {"hayou-table2", "--width", "100000000"},
            {"hayou-table2", "--conv", "--full"},
            {"linearization", "--widths", "10000000"},
            {"jacot-fig2", "--max-work", "1e9"},
        };
        for (String[] c : cases) {
            Path out = dir.resolve("out-" + c[0]);
            String[] args = new String[c.length + 4];
            args[0] = "experiment";
            System.arraycopy(c, 0, args, 1, c.length);
            args[c.length + 1] = "--out";
            args[c.length + 2] = out.toString();
            args[c.length + 3] = "--seed=0";
            double t0 = cpuSeconds();
            KernelCommandTest.Run r = KernelCommandTest.run(args);
            double seconds = cpuSeconds() - t0;
            String what = String.join(" ", c);
            assertEquals(2, r.status(), what + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), what + ": one line: " + r.err());
            assertTrue(r.err().contains("Java array") || r.err().contains("NTK_HEAP") || r.err().contains("--max-work"),
                    what + ": names the bound: " + r.err());
            assertFalse(Files.exists(out), what + ": nothing written");
            assertTrue(seconds < 20, what + ": refused before the work (" + seconds + " s of CPU)");
        }
    }

    /**
     * CPU seconds this JVM has used (all its threads): what a refusal costs, whatever else the machine runs (a
     * wall-clock bound fails on a loaded machine).
     */
    static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() * 1e-9;
    }

    /** The commands' counterparts: train's records, monte-carlo's networks, depth's depths, eoc's points. */
    @Test
    void commandsRefuseRunsPastTheirBounds() {
        java.util.Random r = new java.util.Random(0);
        double[] xa = new double[20 * 3];
        double[] ya = new double[20];
        for (int i = 0; i < xa.length; i++) {
            xa[i] = r.nextGaussian();
        }
        Path x = dir.resolve("x.npy");
        Path y = dir.resolve("y.npy");
        ntk.io.Npy.write(x, new ntk.NdArray(new int[] {20, 3}, xa));
        ntk.io.Npy.write(y, new ntk.NdArray(new int[] {20, 1}, ya));
        Path out = dir.resolve("o.npz");
        String arch = "Dense(64), Relu, Dense(1)";
        String[][] cases = {
            {"train", "--arch", arch, "--train-x", x.toString(), "--train-y", y.toString(), "--epochs", "100000000",
                "--learning-rate", "0.1", "--out", out.toString()},
            {"train", "--arch", arch, "--train-x", x.toString(), "--train-y", y.toString(), "--steps", "1000",
                "--learning-rate", "0.1", "--max-work", "1e6", "--out", out.toString()},
            {"monte-carlo", "--arch", arch, "--x1", x.toString(), "--kind", "ntk", "--seeds", "2000000000", "--out",
                dir.resolve("mc.npy").toString()},
            {"depth", "--activation", "Relu", "--sigma-w", "1.4142135623730951", "--sigma-b", "0", "--max-depth",
                "2000000000", "--out", out.toString()},
            {"eoc", "--activation", "Tanh", "--sigma-b", "0.1", "--curve", "--sigma-b-max", "1", "--points",
                "2000000000"},
        };
        for (String[] c : cases) {
            double t0 = cpuSeconds();
            KernelCommandTest.Run run = KernelCommandTest.run(c);
            String what = String.join(" ", c);
            assertEquals(2, run.status(), what + ": " + run.err());
            assertEquals(1, run.err().strip().lines().count(), what + ": " + run.err());
            assertFalse(Files.exists(out) || Files.exists(dir.resolve("mc.npy")), what + ": nothing written");
            assertTrue(cpuSeconds() - t0 < 20, what + ": refused before the work");
        }
    }

    /** hayou-sgd's refusals name the flag that is wrong, not its internal sizes. */
    @Test
    void hayouSgdNamesItsFlags() {
        String[][] cases = {{"--batch-size", "0"}, {"--steps", "0"}, {"--runs", "3"}, {"--width", "0"}};
        for (String[] c : cases) {
            KernelCommandTest.Run r = KernelCommandTest.run("experiment", "hayou-sgd", c[0], c[1], "--out",
                    dir.resolve("sgd").toString());
            assertEquals(2, r.status(), r.err());
            assertTrue(r.err().startsWith("ntk: " + c[0] + " must be"), r.err());
        }
    }
}
