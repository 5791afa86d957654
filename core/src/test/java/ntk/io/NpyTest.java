// Tests for Npy: round trips, hand-built fixtures, refusals with their messages, NaN/Inf, atomic writes.
package ntk.io;

import ntk.NdArray;
import static ntk.io.NpyTestSupport.hex;
import static ntk.io.NpyTestSupport.image;
import static ntk.io.NpyTestSupport.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import ntk.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path tmp;

    static final int[][] SHAPES = {
        {}, {1}, {5}, {3, 4}, {2, 3, 4}, {2, 1, 3, 2}, {0}, {3, 0}, {2, 0, 4}, {1, 1, 1, 1},
    };

    static NdArray sample(int[] shape) {
        NdArray a = NdArray.zeros(shape);
        for (int i = 0; i < a.size(); i++) {
            a.data[i] = value(i);
        }
        return a;
    }

    static NdArray read(byte[] bytes) {
        return Npy.read(new ByteArrayInputStream(bytes), "x.npy");
    }

    static byte[] toBytes(NdArray a) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, a);
        return out.toByteArray();
    }

    static byte[] doubles(ByteOrder order, double... v) {
        ByteBuffer bb = ByteBuffer.allocate(8 * v.length).order(order);
        bb.asDoubleBuffer().put(v);
        return bb.array();
    }

    static byte[] floats(ByteOrder order, float... v) {
        ByteBuffer bb = ByteBuffer.allocate(4 * v.length).order(order);
        bb.asFloatBuffer().put(v);
        return bb.array();
    }

    static void assertRefused(byte[] bytes, String expectedMessage) {
        BadInputException e = assertThrows(BadInputException.class, () -> read(bytes));
        assertTrue(e.getMessage().startsWith(expectedMessage),
                () -> "message '" + e.getMessage() + "' does not start with '" + expectedMessage + "'");
        assertFalse(e.getMessage().contains("\n"), "message must be one line");
    }

    @Test
    void roundTripRanks0To4AndZeroSize() throws IOException {
        for (int[] shape : SHAPES) {
            NdArray a = sample(shape);
            Path f = tmp.resolve("a" + a.rank() + "_" + a.size() + ".npy");
            Npy.write(f, a);
            assertEquals(a, Npy.read(f), a.shapeString());
            byte[] bytes = Files.readAllBytes(f);
            assertArrayEquals(bytes, toBytes(a));
            assertEquals(Npy.encodedLength(a), bytes.length);
            int headerEnd = bytes.length - 8 * a.size();
            assertEquals(0, headerEnd % 64, "header padded to a multiple of 64");
            assertEquals('\n', bytes[headerEnd - 1]);
            assertEquals(a, read(bytes));
        }
    }

    @Test
    void roundTripSpecialValues() {
        NdArray a = NdArray.vector(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0,
                Double.MIN_VALUE, Double.MAX_VALUE, Math.PI, Double.longBitsToDouble(0x7ff8_0000_0000_1234L));
        NdArray b = read(toBytes(a));
        for (int i = 0; i < a.size(); i++) {
            assertEquals(Double.doubleToRawLongBits(a.data[i]), Double.doubleToRawLongBits(b.data[i]));
        }
    }

    @Test
    void writerMatchesNumpyByteForByte() {
        // python3 -c "import numpy as np, io; b=io.BytesIO(); np.save(b, np.array([1.0, -2.5])); print(b.getvalue().hex())"
        byte[] fromNumpy = hex("934e554d5059010076007b276465736372273a20273c6638272c2027666f727472616e5f6f7264657227"
                + "3a2046616c73652c20277368617065273a2028322c292c207d2020202020202020202020202020202020"
                + "202020202020202020202020202020202020202020202020202020202020202020202020202020202020"
                + "200a000000000000f03f00000000000004c0");
        assertArrayEquals(fromNumpy, toBytes(NdArray.vector(1.0, -2.5)));
        assertEquals(NdArray.vector(1.0, -2.5), read(fromNumpy));
    }

    @Test
    void writesVersion2WhenHeaderIsLarge() {
        int[] shape = new int[23000];
        java.util.Arrays.fill(shape, 1);
        NdArray a = NdArray.zeros(shape);
        a.data[0] = 3;
        byte[] b = toBytes(a);
        assertEquals(2, b[6]);
        int hlen = ByteBuffer.wrap(b, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertEquals(0, (12 + hlen) % 64);
        assertEquals(a, read(b));
    }

    @Test
    void readsBigEndianFloat32FortranFixture() {
        // numpy: np.save(b, np.array([[1.5,2],[3,4],[5,6]], dtype='>f4').T)
        String h = "{'descr': '>f4', 'fortran_order': True, 'shape': (2, 3), }"
                + " ".repeat(59) + "\n";
        byte[] bytes = image(1, h, floats(ByteOrder.BIG_ENDIAN, 1.5f, 2, 3, 4, 5, 6));
        assertEquals(128, bytes.length - 24);
        NdArray a = read(bytes);
        assertArrayEquals(new int[] {2, 3}, a.shape);
        assertArrayEquals(new double[][] {{1.5, 3, 5}, {2, 4, 6}}, a.toRows());
    }

    @Test
    void readsTolerantHeaders() {
        byte[] be = doubles(ByteOrder.BIG_ENDIAN, 1, 2, 3, 4);
        NdArray expect = new NdArray(new int[] {2, 2}, new double[] {1, 2, 3, 4});
        // keys in another order, odd whitespace, double quotes, trailing comma in the tuple, no newline
        assertEquals(expect, read(image(2, "{ \"shape\" :( 2 ,\t2 , ) ,\"fortran_order\":False,'descr':'>f8'}", be)));
        // version 3 (UTF-8 header), no trailing comma in the dict
        byte[] le = doubles(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4);
        assertEquals(expect, read(image(3, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2)}\n", le)));
        // Python 2 longs
        assertEquals(expect, read(image(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2L, 2L), }\n", le)));
        // '=' byte order, scalar
        assertEquals(NdArray.scalar(7),
                read(image(1, "{'descr': '=f8', 'fortran_order': False, 'shape': (), }  \n",
                        doubles(ByteOrder.LITTLE_ENDIAN, 7))));
        // Fortran order for rank 1 and 0 is the same as C order
        assertEquals(NdArray.vector(1, 2, 3, 4),
                read(image(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (4,), }\n", le)));
    }

    @Test
    void float32IsWidenedExactly() {
        float[] f = {0.1f, -3.4028235e38f, 1.4e-45f, Float.NaN, Float.NEGATIVE_INFINITY, -0.0f};
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            String d = order == ByteOrder.LITTLE_ENDIAN ? "<f4" : ">f4";
            NdArray a = read(image(1, "{'descr': '" + d + "', 'fortran_order': False, 'shape': (6,), }\n",
                    floats(order, f)));
            for (int i = 0; i < f.length; i++) {
                assertEquals(Double.doubleToLongBits(f[i]), Double.doubleToLongBits(a.data[i]));
            }
        }
    }

    @Test
    void fortranToCMatchesNaiveTranspose() {
        Random r = new Random(1);
        for (int trial = 0; trial < 50; trial++) {
            int rank = 2 + r.nextInt(4);
            int[] shape = new int[rank];
            for (int k = 0; k < rank; k++) {
                shape[k] = 1 + r.nextInt(4);
            }
            NdArray expect = sample(shape);
            double[] f = new double[expect.size()];
            for (int c = 0; c < f.length; c++) {
                int[] idx = expect.unravel(c);
                int fo = 0;
                for (int k = rank - 1; k >= 0; k--) {
                    fo = fo * shape[k] + idx[k];
                }
                f[fo] = expect.data[c];
            }
            String header = "{'descr': '<f8', 'fortran_order': True, 'shape': " + NdArray.shapeString(shape) + ", }\n";
            assertEquals(expect, read(image(1, header, doubles(ByteOrder.LITTLE_ENDIAN, f))));
        }
    }

    static String hdr(String descr, String fortran, String shape) {
        return "{'descr': " + descr + ", 'fortran_order': " + fortran + ", 'shape': " + shape + ", }\n";
    }

    @Test
    void refusesUnsupportedDtypes() {
        for (String d : List.of("'|O'", "'<c16'", "'|b1'", "'<i16'", "'<f2'", "'|f8'", "'<U3'", "'|i8'")) {
            assertRefused(image(1, hdr(d, "False", "(1,)"), new byte[8]),
                    "x.npy: unsupported dtype " + d + " (need float64 or float32, or an integer type for labels)");
        }
        assertRefused(image(1, hdr("[('a', '<f8'), ('b', '<i4')]", "False", "(1,)"), new byte[12]),
                "x.npy: unsupported dtype [('a', '<f8'), ('b', '<i4')] (need float64 or float32, or an integer type"
                + " for labels)");
    }

    /** Integer arrays (np.save of labels) are read as float64, signed and unsigned, either byte order. */
    @Test
    void readsIntegerArraysAsDoubles() {
        java.nio.ByteBuffer le = java.nio.ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        le.putLong(3).putLong(-2).putLong(1L << 40);
        assertEquals(new NdArray(new int[] {3}, new double[] {3, -2, 1L << 40}),
                read(image(1, hdr("'<i8'", "False", "(3,)"), le.array())));
        java.nio.ByteBuffer be = java.nio.ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
        be.putInt(7).putInt(-1);
        assertEquals(new NdArray(new int[] {2}, new double[] {7, -1}),
                read(image(1, hdr("'>i4'", "False", "(2,)"), be.array())));
        assertEquals(new NdArray(new int[] {2}, new double[] {255, 9}),
                read(image(1, hdr("'|u1'", "False", "(2,)"), new byte[] {(byte) 255, 9})));
        java.nio.ByteBuffer u8 = java.nio.ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        u8.putLong(-1L); // 2^64 − 1
        assertEquals(new NdArray(new int[] {1}, new double[] {18446744073709551615.0}),
                read(image(1, hdr("'<u8'", "False", "(1,)"), u8.array())));
    }

    @Test
    void refusesMalformedFiles() {
        byte[] le = doubles(ByteOrder.LITTLE_ENDIAN, 1, 2);
        assertRefused(new byte[0], "x.npy: not an NPY file (empty)");
        assertRefused("hello world".getBytes(StandardCharsets.US_ASCII), "x.npy: not an NPY file (bad magic");
        assertRefused(new byte[] {(byte) 0x93, 'N', 'U'}, "x.npy: truncated");
        byte[] v4 = image(1, hdr("'<f8'", "False", "(2,)"), le);
        v4[6] = 4;
        assertRefused(v4, "x.npy: unsupported NPY format version 4.0");
        byte[] shortHeader = image(1, hdr("'<f8'", "False", "(2,)"), new byte[0]);
        assertRefused(java.util.Arrays.copyOf(shortHeader, 30), "x.npy: truncated header: expected");
        assertRefused(image(1, "[1, 2]\n", le), "x.npy: header is not a dict");
        assertRefused(image(1, "{'descr': '<f8', 'fortran_order': False\n", le),
                "x.npy: header is not a valid Python dict literal");
        assertRefused(image(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), } junk\n", le),
                "x.npy: header is not a valid Python dict literal");
        assertRefused(image(1, "{'descr': '<f8', 'shape': (2,), }\n", le), "x.npy: header has no 'fortran_order' key");
        assertRefused(image(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'x': 1}\n", le),
                "x.npy: header has unexpected key 'x'");
        assertRefused(image(1, "{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2,)}\n", le),
                "x.npy: header is not a valid Python dict literal (duplicate key 'descr'");
        assertRefused(image(1, hdr("'<f8'", "'no'", "(2,)"), le), "x.npy: header 'fortran_order' must be True or False");
        assertRefused(image(1, hdr("'<f8'", "False", "[2]"), le), "x.npy: header 'shape' must be a tuple");
        assertRefused(image(1, hdr("'<f8'", "False", "(2)"), le), "x.npy: header 'shape' must be a tuple");
        assertRefused(image(1, hdr("'<f8'", "False", "(-2,)"), le), "x.npy: shape (-2,) has a negative dimension");
        assertRefused(image(1, hdr("'<f8'", "False", "(2.0,)"), le), "x.npy: shape (2.0,) has a non-integer dimension");
        assertRefused(image(1, hdr("'<f8'", "False", "('2',)"), le), "x.npy: shape ('2',) has a non-integer dimension");
        assertRefused(image(1, hdr("'<f8'", "False", "(100000, 100000, 1000)"), le),
                "x.npy: too large: shape (100000, 100000, 1000) has 10000000000000 elements");
        assertRefused(image(1, hdr("'<f8'", "False", "(99999999999999999999999, 0)"), le),
                "x.npy: shape (99999999999999999999999, 0) has a dimension too large");
        byte[] badUtf8 = image(3, hdr("'<f8'", "False", "(2,)"), le);
        badUtf8[12] = (byte) 0xff;
        assertRefused(badUtf8, "x.npy: header is not valid UTF-8");
        assertRefused(image(1, "((((((((((((((((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))))"
                + "))))))))))))\n", le), "x.npy: header is not a valid Python dict literal (nested too deeply");
    }

    @Test
    void refusesTruncatedDataAndTrailingGarbage() throws IOException {
        byte[] full = toBytes(sample(new int[] {100}));
        byte[] cut = java.util.Arrays.copyOf(full, full.length - 8);
        String msg = "x.npy: truncated: expected 800 bytes of data, found 792";
        assertEquals(msg, assertThrows(BadInputException.class, () -> read(cut)).getMessage());
        Path f = tmp.resolve("x.npy");
        Files.write(f, cut);
        assertEquals(f + ": truncated: expected 800 bytes of data, found 792",
                assertThrows(BadInputException.class, () -> Npy.read(f)).getMessage());
        byte[] longer = java.util.Arrays.copyOf(full, full.length + 3);
        assertRefused(longer, "x.npy: trailing garbage: 3 unexpected bytes after the 800 bytes of data");
        Files.write(f, longer);
        BadInputException e = assertThrows(BadInputException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().startsWith(f + ": trailing garbage: 3 "), e.getMessage());
    }

    @Test
    void fileErrorsNameTheFile() throws IOException {
        Path missing = tmp.resolve("x.npy");
        assertEquals(missing + ": no such file",
                assertThrows(BadInputException.class, () -> Npy.read(missing)).getMessage());
        Path dir = Files.createDirectory(tmp.resolve("d.npy"));
        assertTrue(assertThrows(BadInputException.class, () -> Npy.read(dir)).getMessage()
                .startsWith(dir + ": is a directory"));
        Path noDir = tmp.resolve("nope").resolve("y.npy");
        BadInputException w = assertThrows(BadInputException.class, () -> Npy.write(noDir, NdArray.scalar(1)));
        assertTrue(w.getMessage().startsWith(noDir + ": cannot write: "), w.getMessage());
        assertFalse(w.getMessage().contains("\n"));
    }

    @Test
    void streamReadWhenLengthUnknown() {
        NdArray a = sample(new int[] {3, 100_001});
        // a stream that hands out at most 1000 bytes per read call
        byte[] bytes = toBytes(a);
        java.io.InputStream inner = new ByteArrayInputStream(bytes);
        java.io.InputStream slow = new java.io.InputStream() {
            @Override
            public int read() throws IOException {
                return inner.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return inner.read(b, off, Math.min(len, 1000));
            }
        };
        int saved = Npy.unverifiedDirectLimit;
        Npy.unverifiedDirectLimit = 1000; // force the block-by-block path
        try {
            assertEquals(a, Npy.read(slow, "s"));
            byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 5);
            assertTrue(assertThrows(BadInputException.class, () -> read(cut)).getMessage()
                    .startsWith("x.npy: truncated: expected 2400024 bytes of data, found 2400019"));
        } finally {
            Npy.unverifiedDirectLimit = saved;
        }
        assertEquals(a, Npy.read(new ByteArrayInputStream(bytes), "s"));
    }

    @Test
    void nanAndInfAreReadAndRequireFiniteNamesTheIndex() {
        NdArray a = read(toBytes(new NdArray(new int[] {2, 3}, new double[] {0, 1, 2, 3, Double.NaN, 5})));
        assertTrue(Double.isNaN(a.get(1, 1)));
        assertEquals("w.npy: contains NaN at index (1, 1)",
                assertThrows(BadInputException.class, () -> Npy.requireFinite(a, "w.npy")).getMessage());
        NdArray inf = new NdArray(new int[] {2, 1, 2}, new double[] {0, 1, Double.POSITIVE_INFINITY, Double.NaN});
        assertEquals("p.npz: key 'W': contains Inf at index (1, 0, 0)",
                assertThrows(BadInputException.class, () -> Npy.requireFinite(inf, "p.npz: key 'W'")).getMessage());
        assertEquals("s: contains -Inf at index ()", assertThrows(BadInputException.class,
                () -> Npy.requireFinite(NdArray.scalar(Double.NEGATIVE_INFINITY), "s")).getMessage());
        Npy.requireFinite(sample(new int[] {4, 4}), "ok");
        Npy.requireFinite(NdArray.zeros(0, 3), "ok");
    }

    @Test
    void atomicWriteReplacesTargetAndLeavesNoTempFiles() throws IOException {
        Path f = tmp.resolve("t.npy");
        Files.writeString(f, "old");
        Npy.write(f, NdArray.vector(1, 2));
        assertEquals(NdArray.vector(1, 2), Npy.read(f));
        assertEquals(List.of(f), listDir());
    }

    @Test
    void aStreamedArrayPutInPiecesFromSeveralThreadsHasTheBytesOfWrite() throws Exception {
        NdArray a = sample(new int[] {97, 301});
        Path ref = tmp.resolve("ref.npy");
        Npy.write(ref, a);
        Path f = tmp.resolve("s.npy");
        Files.writeString(f, "old");
        long saved = Npy.flushBytes;
        Npy.flushBytes = 4096; // the background sync runs many times, concurrently with the puts
        try (Npy.Streamed w = Npy.open(f, a.shape)) {
            List<Integer> rows = new java.util.ArrayList<>(java.util.stream.IntStream.range(0, 97).boxed().toList());
            java.util.Collections.shuffle(rows, new Random(3));
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            Thread[] ts = new Thread[3];
            for (int k = 0; k < ts.length; k++) {
                ts[k] = new Thread(() -> {
                    for (int i; (i = next.getAndIncrement()) < rows.size();) {
                        int r = rows.get(i);
                        if (r % 2 == 0) {
                            w.put(a.data, r * 301, (r + 1) * 301);
                        } else { // on the file's writer thread, waited for by commit
                            w.putLater(a.data, r * 301, (r + 1) * 301);
                        }
                    }
                });
                ts[k].start();
            }
            for (Thread t : ts) {
                t.join();
            }
            assertEquals("old", Files.readString(f)); // replaced only by commit
            assertThrows(IndexOutOfBoundsException.class, () -> w.put(a.data, 0, 97 * 301 + 1));
            w.commit();
        } finally {
            Npy.flushBytes = saved;
        }
        assertArrayEquals(Files.readAllBytes(ref), Files.readAllBytes(f));
        assertEquals(List.of(ref, f).stream().sorted().toList(), listDir().stream().sorted().toList());
        // closed without commit (a failure while computing): the old file stays, the temporary one goes
        try (Npy.Streamed w = Npy.open(f, new int[] {4, 4})) {
            w.put(new double[16], 0, 8);
        }
        assertArrayEquals(Files.readAllBytes(ref), Files.readAllBytes(f));
        assertEquals(2, listDir().size());
        // a write on the writer thread that fails is thrown by commit, which then replaces nothing
        try (Npy.Streamed w = Npy.open(f, new int[] {2, 2})) {
            w.putLater(new double[4], 0, 5);
            assertThrows(IndexOutOfBoundsException.class, w::commit);
        }
        assertArrayEquals(Files.readAllBytes(ref), Files.readAllBytes(f));
        assertEquals(2, listDir().size());
    }

    @Test
    void failedWriteLeavesTargetUntouchedAndNoTempFile() throws IOException {
        Path f = tmp.resolve("t.npy");
        Files.writeString(f, "old contents");
        RuntimeException boom = assertThrows(RuntimeException.class, () -> FileIo.writeAtomically(f, out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk full (simulated)");
        }));
        assertTrue(boom instanceof BadInputException && boom.getMessage().equals(f + ": cannot write: disk full (simulated)"),
                boom.toString());
        assertEquals("old contents", Files.readString(f));
        assertEquals(List.of(f), listDir());

        Path g = tmp.resolve("new.npy");
        assertThrows(IllegalStateException.class, () -> FileIo.writeAtomically(g, out -> {
            Npy.writeTo(out, sample(new int[] {1000}));
            throw new IllegalStateException("bug midway");
        }));
        assertFalse(Files.exists(g));
        assertEquals(List.of(f), listDir());
    }

    private List<Path> listDir() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.sorted().toList();
        }
    }

    @Test
    void largeFileReadsInBulk() {
        NdArray a = NdArray.zeros(4_000_000, 4); // 128 MB of data
        for (int i = 0; i < a.size(); i += 997) {
            a.data[i] = i;
        }
        Path f = tmp.resolve("big.npy");
        Npy.write(f, a);
        // a round trip of 128 MB (more than any single read buffer); speed is measured by `ntk bench`, not here
        NdArray b = Npy.read(f);
        assertEquals(a, b);
    }
}
