package ntk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import ntk.io.Idx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ntk demo --data DIR} whose test images have another size than its training images: one line, exit 2. */
class DemoCommandTest {
    @TempDir
    Path dir;

    private static byte[] labels(int n) {
        byte[] l = new byte[n];
        for (int i = 0; i < n; i++) {
            l[i] = (byte) (i % 10);
        }
        return Idx.encode(new int[] {n}, l);
    }

    @Test
    void testImagesOfAnotherSizeAreRefusedBeforeAnyWork() throws Exception {
        Path data = dir.resolve("mnist");
        Files.createDirectories(data);
        Files.write(data.resolve("train-images-idx3-ubyte"), Idx.encode(new int[] {1000, 28, 28}, new byte[1000 * 784]));
        Files.write(data.resolve("train-labels-idx1-ubyte"), labels(1000));
        Files.write(data.resolve("t10k-images-idx3-ubyte"), Idx.encode(new int[] {1000, 20, 20}, new byte[1000 * 400]));
        Files.write(data.resolve("t10k-labels-idx1-ubyte"), labels(1000));
        Path out = dir.resolve("out");
        KernelCommandTest.Run r = KernelCommandTest.run("demo", "--data", data.toString(), "--out-dir", out.toString());
        assertEquals(2, r.status(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("test images are 20×20 pixels but the training images 28×28"), r.err());
        assertFalse(Files.exists(out));
    }
}
