// Fuzz-style robustness tests for Npy.read: truncations and header byte flips must give BadInputException or a correct read.
package ntk.io;

import ntk.NdArray;
import static ntk.io.NpyTestSupport.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import ntk.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyFuzzTest {
    @TempDir
    Path tmp;

    /** A valid image plus the array it holds and where its header ends. */
    record Base(byte[] bytes, NdArray array, int headerEnd) {
    }

    static List<Base> bases() {
        NdArray a = NpyTest.sample(new int[] {3, 4});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, a);
        byte[] javaWritten = out.toByteArray();

        ByteBuffer f = ByteBuffer.allocate(24).order(ByteOrder.BIG_ENDIAN);
        f.asFloatBuffer().put(new float[] {1.5f, 2, 3, 4, 5, 6});
        byte[] fortran = image(1, "{'descr': '>f4', 'fortran_order': True, 'shape': (2, 3), }          \n", f.array());
        NdArray fortranArray = new NdArray(new int[] {2, 3}, new double[] {1.5, 3, 5, 2, 4, 6});

        ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        d.asDoubleBuffer().put(new double[] {-1, 0.25});
        byte[] v3 = image(3, "{\"shape\": (2, 1), \"descr\": \"<f8\", \"fortran_order\": False}\n", d.array());
        NdArray v3Array = new NdArray(new int[] {2, 1}, new double[] {-1, 0.25});

        return List.of(new Base(javaWritten, a, javaWritten.length - 96), new Base(fortran, fortranArray, fortran.length - 24),
                new Base(v3, v3Array, v3.length - 16));
    }

    @Test
    void everyTruncationIsRefused() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (Base b : bases()) {
                for (int len = 0; len < b.bytes().length; len++) {
                    byte[] cut = java.util.Arrays.copyOf(b.bytes(), len);
                    BadInputException e = assertThrows(BadInputException.class,
                            () -> Npy.read(new ByteArrayInputStream(cut), "f.npy"), "prefix " + len);
                    assertTrue(e.getMessage().startsWith("f.npy: "), e.getMessage());
                    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
                }
                // and once through the file path (known length)
                for (int len = 0; len < b.bytes().length; len += 7) {
                    Path p = tmp.resolve("cut.npy");
                    Files.write(p, java.util.Arrays.copyOf(b.bytes(), len));
                    assertThrows(BadInputException.class, () -> Npy.read(p), "file prefix " + len);
                }
            }
        });
    }

    @Test
    void headerByteFlipsGiveBadInputOrACorrectRead() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            Random r = new Random(20240611L);
            List<Base> bases = bases();
            int refused = 0;
            int accepted = 0;
            for (int trial = 0; trial < 600; trial++) {
                Base b = bases.get(trial % bases.size());
                byte[] m = b.bytes().clone();
                int flips = 1 + r.nextInt(3);
                for (int k = 0; k < flips; k++) {
                    int pos = r.nextInt(b.headerEnd());
                    m[pos] = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : (byte) (m[pos] ^ (1 << r.nextInt(8)));
                }
                NdArray got;
                try {
                    if (trial % 5 == 0) {
                        Path p = tmp.resolve("fuzz.npy");
                        Files.write(p, m);
                        got = Npy.read(p);
                    } else {
                        got = Npy.read(new ByteArrayInputStream(m), "f.npy");
                    }
                } catch (BadInputException e) {
                    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
                    refused++;
                    continue;
                } catch (Throwable t) {
                    fail("trial " + trial + ": unexpected " + t, t);
                    return;
                }
                accepted++;
                if (onlyInsignificantChanges(b.bytes(), m, b.headerEnd())) {
                    assertEquals(b.array(), got, "trial " + trial);
                } else {
                    // a meaningful but still valid header (e.g. '<' flipped to '>'): the data must fill the shape
                    String mutated = new String(m, 0, b.headerEnd(), java.nio.charset.StandardCharsets.ISO_8859_1);
                    assertEquals(b.bytes().length - b.headerEnd(), (long) got.size() * (mutated.contains("f4") ? 4 : 8),
                            "trial " + trial + ": " + mutated);
                }
            }
            assertTrue(refused > 300, "refused " + refused);
            assertTrue(accepted > 0 || refused == 600);
        });
    }

    /** True if every changed header byte replaced whitespace with whitespace. */
    private static boolean onlyInsignificantChanges(byte[] orig, byte[] mutated, int headerEnd) {
        for (int i = 0; i < headerEnd; i++) {
            if (orig[i] != mutated[i] && !(isSpace(orig[i]) && isSpace(mutated[i]))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }

    @Test
    void garbageInputsNeverThrowAnythingElse() throws IOException {
        Random r = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            byte[] g = new byte[r.nextInt(200)];
            r.nextBytes(g);
            if (trial % 2 == 0 && g.length >= 10) {
                System.arraycopy(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) (1 + r.nextInt(3)), 0},
                        0, g, 0, 8);
            }
            assertThrows(BadInputException.class, () -> Npy.read(new ByteArrayInputStream(g), "g.npy"));
        }
    }
}
