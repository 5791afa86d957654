package ntk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import ntk.io.NdArray;
import ntk.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ntk experiment training`, small: files, shapes, trained nets through the training points, lazier when wider. */
class TrainingExperimentTest {
    @TempDir
    Path dir;

    @Test
    void trainedNetworksFitTheirPointsAndWiderOnesMoveTheirKernelLess() throws Exception {
        Path out = dir.resolve("t");
        double[][] stats = ExperimentCommand.Training.run(out, new int[] {16, 256}, 3, 150,
                new PrintWriter(new StringWriter()));
        for (String f : new String[] {"training.npz", "training.png", "training.md"}) {
            assertTrue(Files.size(out.resolve(f)) > 100, f);
        }
        Map<String, NdArray> a = Npz.read(out.resolve("training.npz"));
        assertEquals("(3, 181)", a.get("width_256/outputs").shapeString());
        // the limit's mean passes through the training targets (the kernel regression has nearly fitted them),
        // and its spread is small there
        double[] gamma = a.get("gamma").data;
        double[] tg = a.get("train_gamma").data;
        double[] ty = a.get("train_y").data;
        for (int i = 0; i < tg.length; i++) {
            int j = 0;
            while (Math.abs(gamma[j] - tg[i]) > Math.abs(gamma[j + 1] - tg[i])) {
                j++;
            }
            assertEquals(ty[i], a.get("limit_mean").data[j], 0.1, "limit mean near training point " + i);
        }
        assertTrue(stats[1][2] < stats[0][2] / 2, "kernel change falls with width: " + stats[0][2] + " -> " + stats[1][2]);
        KernelCommandTest.Run bad = KernelCommandTest.run("experiment", "training", "--out", dir.resolve("b").toString(),
                "--seeds", "1");
        assertEquals(2, bad.status());
    }
}
