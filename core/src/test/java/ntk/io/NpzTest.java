// Tests for Npz: round trips, archive layout, refusals, atomic writes, numpy savez/savez_compressed interop.
package ntk.io;

import ntk.NdArray;
import static ntk.io.NpyTestSupport.assumeNumpy;
import static ntk.io.NpyTestSupport.python;
import static ntk.io.NpyTestSupport.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import ntk.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzTest {
    @TempDir
    Path tmp;

    static Map<String, NdArray> sampleArrays() {
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put("params/0.W", NpyTest.sample(new int[] {3, 4}));
        m.put("params/0.b", NpyTest.sample(new int[] {4}));
        m.put("z", NdArray.scalar(2.5));
        m.put("a.b.c", NpyTest.sample(new int[] {2, 1, 3, 2}));
        m.put("empty", NdArray.zeros(0, 3));
        return m;
    }

    static byte[] npyBytes(NdArray a) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, a);
        return out.toByteArray();
    }

    /** Writes a zip with the given (entry name, content) pairs, deflated. */
    static void zip(Path f, Object... nameAndBytes) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            for (int i = 0; i < nameAndBytes.length; i += 2) {
                z.putNextEntry(new ZipEntry((String) nameAndBytes[i]));
                z.write((byte[]) nameAndBytes[i + 1]);
                z.closeEntry();
            }
        }
    }

    static String refusal(Path f) {
        BadInputException e = assertThrows(BadInputException.class, () -> Npz.read(f));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        return e.getMessage().substring(f.toString().length() + 2);
    }

    @Test
    void roundTripKeepsOrderAndDottedSlashedKeys() throws IOException {
        Map<String, NdArray> m = sampleArrays();
        Path f = tmp.resolve("p.npz");
        Npz.write(f, m);
        Map<String, NdArray> back = Npz.read(f);
        assertEquals(new ArrayList<>(m.keySet()), new ArrayList<>(back.keySet()));
        assertEquals(m, back);
        try (ZipFile z = new ZipFile(f.toFile())) {
            List<String> names = z.stream().map(ZipEntry::getName).toList();
            assertEquals(List.of("params/0.W.npy", "params/0.b.npy", "z.npy", "a.b.c.npy", "empty.npy"), names);
            z.stream().forEach(e -> assertEquals(ZipEntry.STORED, e.getMethod()));
        }
        byte[] first = Files.readAllBytes(f);
        Npz.write(f, m);
        assertArrayEquals(first, Files.readAllBytes(f), "output is deterministic");
        Npz.write(f, Map.of());
        assertEquals(Map.of(), Npz.read(f));
    }

    @Test
    void readsDeflatedEntriesAndEntriesWithoutSuffix() throws IOException {
        Path f = tmp.resolve("d.npz");
        NdArray a = NpyTest.sample(new int[] {5, 5});
        zip(f, "w.npy", npyBytes(a), "dir/", new byte[0], "raw", npyBytes(NdArray.vector(1, 2)));
        Map<String, NdArray> m = Npz.read(f);
        assertEquals(List.of("w", "raw"), new ArrayList<>(m.keySet()));
        assertEquals(a, m.get("w"));
    }

    @Test
    void refusesBadArchives() throws IOException {
        Path f = tmp.resolve("p.npz");
        assertEquals("no such file", refusal(f));

        Files.writeString(f, "hello, not a zip");
        assertTrue(refusal(f).startsWith("not a valid zip/npz archive"));
        Files.write(f, new byte[0]);
        assertTrue(refusal(f).startsWith("not a valid zip/npz archive"));

        Npz.write(f, sampleArrays());
        byte[] good = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(good, good.length - 30));
        assertTrue(refusal(f).startsWith("not a valid zip/npz archive"));

        byte[] flipped = good.clone();
        flipped[200] ^= 0x55; // inside the data of the first member
        Files.write(f, flipped);
        assertTrue(refusal(f).startsWith("key 'params/0.W': "));

        byte[] npy = npyBytes(NpyTest.sample(new int[] {100}));
        zip(f, "ok.npy", npyBytes(NdArray.scalar(1)), "0.W.npy", Arrays.copyOf(npy, npy.length - 8));
        assertEquals("key '0.W': truncated: expected 800 bytes of data, found 792", refusal(f));

        zip(f, "0.W.npy", "not npy".getBytes(StandardCharsets.US_ASCII));
        assertEquals("key '0.W': not an NPY file (bad magic bytes)", refusal(f));

        zip(f, "a.npy", npy, "a", npy);
        assertEquals("duplicate key 'a'", refusal(f));
    }

    @Test
    void refusesTrulyDuplicateEntryNames() throws IOException {
        Path f = tmp.resolve("dup.npz");
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put("a", NdArray.scalar(1));
        m.put("b", NdArray.scalar(2));
        Npz.write(f, m);
        // rename member "b.npy" to "a.npy" in the local header and the central directory
        String s = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).replace("b.npy", "a.npy");
        Files.write(f, s.getBytes(StandardCharsets.ISO_8859_1));
        String msg = refusal(f);
        assertTrue(msg.equals("duplicate key 'a'") || msg.startsWith("not a valid zip/npz archive"), msg);
    }

    @Test
    void everyTruncationIsRefused() throws IOException {
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put("w", NpyTest.sample(new int[] {2, 2}));
        m.put("b", NdArray.vector(1));
        Path f = tmp.resolve("t.npz");
        Npz.write(f, m);
        byte[] good = Files.readAllBytes(f);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int len = 0; len < good.length; len++) {
                Files.write(f, Arrays.copyOf(good, len));
                refusal(f);
            }
        });
    }

    @Test
    void failedWriteLeavesTargetUntouchedAndNoTempFile() throws IOException {
        Path f = tmp.resolve("p.npz");
        Files.writeString(f, "OLD");
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put("a", NpyTest.sample(new int[] {1000}));
        m.put("b", null); // fails after the first member has been written
        assertThrows(NullPointerException.class, () -> Npz.write(f, m));
        assertEquals("OLD", Files.readString(f));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(f), s.toList());
        }
        Path g = tmp.resolve("q.npz");
        assertThrows(NullPointerException.class, () -> Npz.write(g, m));
        assertFalse(Files.exists(g));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(f), s.toList());
        }
        assertThrows(IllegalArgumentException.class, () -> Npz.write(g, Map.of("", NdArray.scalar(1))));
    }

    private static final String NUMPY_SAVEZ = """
            import numpy as np
            def v(shape, dt='f8'):
                n = int(np.prod(shape, dtype=np.int64))
                return (np.arange(n, dtype=np.float64) * 0.37 - 1.5).reshape(shape).astype(dt)
            arrs = {'params/0.W': v((3, 4)), 'params/0.b': v((4,), '>f4'), 'x.y': np.asfortranarray(v((2, 3, 4))),
                    's': v(()), 'e': v((0, 2))}
            np.savez('plain.npz', **arrs)
            np.savez_compressed('compressed.npz', **arrs)
            np.savez('positional.npz', v((2,)), v((1, 1)))
            """;

    @Test
    void readsNumpySavezAndSavezCompressed() throws Exception {
        assumeNumpy();
        python(tmp, NUMPY_SAVEZ);
        for (String name : List.of("plain.npz", "compressed.npz")) {
            Map<String, NdArray> m = Npz.read(tmp.resolve(name));
            assertEquals(List.of("params/0.W", "params/0.b", "x.y", "s", "e"), new ArrayList<>(m.keySet()), name);
            assertEquals(expected(new int[] {3, 4}, false), m.get("params/0.W"));
            assertEquals(expected(new int[] {4}, true), m.get("params/0.b"));
            assertEquals(expected(new int[] {2, 3, 4}, false), m.get("x.y"));
            assertEquals(expected(new int[] {}, false), m.get("s"));
            assertEquals(expected(new int[] {0, 2}, false), m.get("e"));
        }
        try (ZipFile z = new ZipFile(tmp.resolve("compressed.npz").toFile())) {
            assertTrue(z.stream().allMatch(e -> e.getMethod() == ZipEntry.DEFLATED));
        }
        Map<String, NdArray> p = Npz.read(tmp.resolve("positional.npz"));
        assertEquals(List.of("arr_0", "arr_1"), new ArrayList<>(p.keySet()));
        assertEquals(expected(new int[] {1, 1}, false), p.get("arr_1"));
    }

    private static NdArray expected(int[] shape, boolean f4) {
        NdArray a = NdArray.zeros(shape);
        for (int i = 0; i < a.size(); i++) {
            a.data[i] = f4 ? (float) value(i) : value(i);
        }
        return a;
    }

    private static final String NUMPY_LOADS = """
            import numpy as np
            d = np.load('j.npz')
            assert list(d.keys()) == ['params/0.W', 'params/0.b', 'z', 'a.b.c', 'empty'], list(d.keys())
            def v(shape):
                n = int(np.prod(shape, dtype=np.int64))
                return (np.arange(n, dtype=np.float64) * 0.37 - 1.5).reshape(shape)
            assert np.array_equal(d['params/0.W'], v((3, 4)))
            assert np.array_equal(d['params/0.b'], v((4,)))
            assert d['z'].shape == () and d['z'] == 2.5
            assert np.array_equal(d['a.b.c'], v((2, 1, 3, 2)))
            assert d['empty'].shape == (0, 3) and d['empty'].dtype == np.float64
            print('OK')
            """;

    @Test
    void numpyLoadsJavaWrittenNpz() throws Exception {
        assumeNumpy();
        Npz.write(tmp.resolve("j.npz"), sampleArrays());
        assertEquals("OK", python(tmp, NUMPY_LOADS).strip());
    }
}
