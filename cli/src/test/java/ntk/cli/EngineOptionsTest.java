package ntk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import ntk.NdArray;
import ntk.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --engine} without the ntk-spark module on the class path (as in this module's tests, or {@code java -jar
 * ntk.jar}): one line naming what to build, exit 2, no output. The Spark engine itself is tested in spark/.
 */
class EngineOptionsTest {
    @TempDir
    Path dir;

    @Test
    void sparkWithoutTheModuleSaysWhatToBuild() {
        Path x = dir.resolve("x.npy");
        Npy.write(x, new NdArray(new int[] {3, 2}, new double[] {1, 0, 0, 1, 1, 1}));
        Path out = dir.resolve("k.npy");
        KernelCommandTest.Run r = KernelCommandTest.run("kernel", "--arch", "Dense(8), Relu, Dense(1)", "--x1",
                x.toString(), "--kind", "ntk", "--out", out.toString(), "--engine", "spark");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("ntk-spark") && r.err().strip().lines().count() == 1, r.err());
        assertFalse(Files.exists(out));
        r = KernelCommandTest.run("kernel", "--arch", "Dense(8), Relu, Dense(1)", "--x1", x.toString(), "--kind", "ntk",
                "--out", out.toString(), "--block-size", "4");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("--block-size goes with --engine spark"), r.err());
        r = KernelCommandTest.run("kernel", "--arch", "Dense(8), Relu, Dense(1)", "--x1", x.toString(), "--kind", "ntk",
                "--out", out.toString(), "--engine", "gpu");
        assertEquals(2, r.status(), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void aKernelTooLargeForTheLocalEngineNamesTheSparkEngineUpFront() {
        Path x = dir.resolve("x.npy");
        Npy.write(x, NdArray.zeros(50_000, 1)); // 50,000² entries: more than one array holds
        Path out = dir.resolve("k.npy");
        KernelCommandTest.Run r = KernelCommandTest.run("kernel", "--arch", "Dense(8), Relu, Dense(1)", "--x1",
                x.toString(), "--kind", "nngp", "--out", out.toString());
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("--engine spark") && r.err().strip().lines().count() == 1, r.err());
        assertFalse(Files.exists(out));
    }
}
