package ntk.io;

import ntk.NdArray;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import ntk.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20's output discipline at the level of ntk.io: only regular files are replaced, a group of writes lands all or
 * none, a folder is swapped whole (a failure between files leaves the old one whole), output paths are checked
 * before any work, and the readers take pipes and read only what the header announces.
 */
class OutputDisciplineTest {
    @TempDir
    Path dir;

    static Path fifo(Path p) throws Exception {
        Process pr = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertEquals(0, pr.waitFor());
        assertFalse(Files.isRegularFile(p));
        return p;
    }

    List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFifoOrADirectoryIsNeverReplaced() throws Exception {
        Path f = fifo(dir.resolve("f"));
        BadInputException e = assertThrows(BadInputException.class, () -> AtomicFiles.writeString(f, "x"));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        assertFalse(Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS));
        Files.createDirectory(dir.resolve("d"));
        e = assertThrows(BadInputException.class, () -> Npy.write(dir.resolve("d"), NdArray.vector(1)));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
        Path target = dir.resolve("t.txt");
        Files.writeString(target, "old");
        Files.createSymbolicLink(dir.resolve("link"), target);
        e = assertThrows(BadInputException.class, () -> AtomicFiles.writeString(dir.resolve("link"), "new"));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertEquals("old", Files.readString(target));
        assertEquals(List.of("d", "f", "link", "t.txt"), names()); // no temporary file left
        // the up-front check says the same before any work
        e = assertThrows(BadInputException.class, () -> OutputPaths.checkFile(f, "--out"));
        assertTrue(e.getMessage().startsWith(f + ": --out is not a regular file"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> OutputPaths.checkFile(Path.of("/dev/null"), "--out"));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> OutputPaths.checkFile(Path.of(""), "--out"));
        assertEquals("--out is empty: give a file name", e.getMessage());
        e = assertThrows(BadInputException.class, () -> OutputPaths.checkFile(Path.of("/proc/ntk-test.npy"), "--out"));
        assertTrue(e.getMessage().contains("cannot write into /proc"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> OutputPaths.checkFile(target.resolve("x.npy"), "--out"));
        assertTrue(e.getMessage().contains("is not a directory"), e.getMessage());
    }

    @Test
    void twoOutputsAtOnePathOrAnOutputOverAnInputAreRefused() throws Exception {
        Path x = dir.resolve("x.npy");
        Npy.write(x, NdArray.vector(1, 2));
        BadInputException e = assertThrows(BadInputException.class, () -> OutputPaths.checkDistinct(
                Map.of("--out", dir.resolve("d.npz"), "--plot", dir.resolve("./d.npz")), Map.of()));
        assertTrue(e.getMessage().contains("are the same path"), e.getMessage());
        Files.createLink(dir.resolve("hard.npy"), x);
        e = assertThrows(BadInputException.class, () -> OutputPaths.checkDistinct(Map.of("--out",
                dir.resolve("hard.npy")), Map.of("--train-x", x)));
        assertTrue(e.getMessage().contains("--out is the input --train-x"), e.getMessage());
        OutputPaths.checkDistinct(Map.of("--out", dir.resolve("a.npy"), "--cov-out", dir.resolve("b.npy")),
                Map.of("--x1", x));
    }

    @Test
    void aGroupOfWritesLandsAllOrNone() throws Exception {
        Path a = dir.resolve("a.npy");
        Path b = dir.resolve("b.txt");
        Npy.write(a, NdArray.vector(1));
        Files.writeString(b, "old");
        try (AtomicFiles.Group g = AtomicFiles.group()) {
            Npy.write(a, NdArray.vector(2));
            assertEquals(1.0, Npy.read(a).data[0]); // held back until commit
            AtomicFiles.writeString(b, "new");
            // the failure comes before commit: nothing replaced
        }
        assertEquals(1.0, Npy.read(a).data[0]);
        assertEquals("old", Files.readString(b));
        assertEquals(List.of("a.npy", "b.txt"), names());
        try (AtomicFiles.Group g = AtomicFiles.group()) {
            Npy.write(a, NdArray.vector(3));
            AtomicFiles.writeString(b, "new");
            g.commit();
        }
        assertEquals(3.0, Npy.read(a).data[0]);
        assertEquals("new", Files.readString(b));
        assertEquals(List.of("a.npy", "b.txt"), names());
        assertTrue(TempFiles.live().isEmpty(), TempFiles.live().toString());
    }

    @Test
    void aFolderIsSwappedWholeAndAFailureBetweenFilesLeavesTheOldOne() throws Exception {
        Path out = dir.resolve("exp");
        Folders.replace(out, tmp -> {
            AtomicFiles.writeString(tmp.resolve("summary.json"), "{\"v\": 1}");
            AtomicFiles.writeString(tmp.resolve("report.html"), "old page");
        });
        assertEquals("old page", Files.readString(out.resolve("report.html")));
        RuntimeException boom = assertThrows(RuntimeException.class, () -> Folders.replace(out, tmp -> {
            AtomicFiles.writeString(tmp.resolve("data.npz"), "new data");
            AtomicFiles.writeString(tmp.resolve("summary.json"), "{\"v\": 2}");
            throw new RuntimeException("injected between files");
        }));
        assertEquals("injected between files", boom.getMessage());
        assertEquals("{\"v\": 1}", Files.readString(out.resolve("summary.json")));
        assertEquals("old page", Files.readString(out.resolve("report.html")));
        assertFalse(Files.exists(out.resolve("data.npz")));
        assertEquals(List.of("exp"), names()); // no temporary folder left beside it
        Folders.replace(out, tmp -> AtomicFiles.writeString(tmp.resolve("report.html"), "new page"));
        assertEquals("new page", Files.readString(out.resolve("report.html")));
        assertFalse(Files.exists(out.resolve("summary.json"))); // replaced whole, not merged
        assertEquals(List.of("exp"), names());
        assertTrue(Folders.exchange(Files.createDirectory(dir.resolve("p")), Files.createDirectory(dir.resolve("q")))
                || !System.getProperty("os.name").startsWith("Linux"), "renameat2 exchange on Linux");
    }

    @Test
    void anOutputFolderHoldingOtherFilesOrAFileIsRefusedUpFront() throws Exception {
        Path out = Files.createDirectory(dir.resolve("out"));
        Files.writeString(out.resolve("report.html"), "x");
        Files.createDirectory(out.resolve("depth"));
        Files.writeString(out.resolve("depth").resolve("summary.json"), "{}");
        OutputPaths.checkFolder(out, "--out-dir"); // only what ntk writes: fine
        Files.writeString(out.resolve("thesis.tex"), "mine");
        BadInputException e = assertThrows(BadInputException.class, () -> OutputPaths.checkFolder(out, "--out-dir"));
        assertTrue(e.getMessage().contains("holds files ntk did not write (thesis.tex)"), e.getMessage());
        Path file = Files.writeString(dir.resolve("file"), "x");
        e = assertThrows(BadInputException.class, () -> OutputPaths.checkFolder(file, "--out-dir"));
        assertTrue(e.getMessage().contains("is an existing file"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> OutputPaths.checkFolder(Path.of("."), "--out-dir"));
        assertTrue(e.getMessage().contains("current folder"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> OutputPaths.checkFolder(Path.of("/proc/ntk-x"), "--out-dir"));
        assertTrue(e.getMessage().contains("cannot write into /proc"), e.getMessage());
        OutputPaths.checkFolder(dir.resolve("new/deeper"), "--out-dir");
        assertFalse(Files.exists(dir.resolve("new"))); // checking creates nothing
    }

    @Test
    void readersTakeAPipeAndReadOnlyWhatTheHeaderAnnounces() throws Exception {
        Path x = dir.resolve("x.npy");
        Npy.write(x, new NdArray(new int[] {2, 3}, new double[] {1, 2, 3, 4, 5, 6}));
        byte[] npy = Files.readAllBytes(x);
        Path f = fifo(dir.resolve("pipe"));
        Thread writer = Thread.ofPlatform().start(() -> {
            try (OutputStream o = Files.newOutputStream(f)) {
                o.write(npy);
            } catch (IOException ignored) {
                // the reader's failure is what the test sees
            }
        });
        NdArray a = Npy.read(f);
        writer.join();
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, a.data);
        // an endless stream after a valid header: refused after one byte past the data, not read to its end
        InputStream endless = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(npy), new InputStream() {
            @Override
            public int read() {
                return 0;
            }
        });
        BadInputException e = assertThrows(BadInputException.class, () -> Npy.read(endless, "stdin"));
        assertTrue(e.getMessage().contains("the stream goes on for more than"), e.getMessage());
        // IDX: a gzip stream that goes on far past its header (a bomb) stops one byte past the data
        byte[] idx = Idx.encode(new int[] {2, 2, 2}, new byte[8]);
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (OutputStream g = new java.util.zip.GZIPOutputStream(gz)) {
            g.write(idx);
            g.write(new byte[50 << 20]); // 50 MB of zeros, 50 kB compressed
        }
        assertTrue(gz.size() < 200_000);
        Path bomb = Files.write(dir.resolve("bomb-idx3-ubyte.gz"), gz.toByteArray());
        e = assertThrows(BadInputException.class, () -> Idx.read(bomb, 3));
        assertTrue(e.getMessage().contains("trailing bytes"), e.getMessage());
        InputStream zeros = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(idx), new InputStream() {
            @Override
            public int read() {
                return 0;
            }
        });
        e = assertThrows(BadInputException.class, () -> Idx.read(zeros, 3, "/dev/zero link"));
        assertTrue(e.getMessage().contains("trailing bytes"), e.getMessage());
        Path g = fifo(dir.resolve("idx-pipe"));
        Thread w2 = Thread.ofPlatform().start(() -> {
            try (OutputStream o = Files.newOutputStream(g)) {
                o.write(idx);
            } catch (IOException ignored) {
                // seen by the reader
            }
        });
        assertArrayEquals(new int[] {2, 2, 2}, Idx.read(g, 3).shape());
        w2.join();
    }
}
