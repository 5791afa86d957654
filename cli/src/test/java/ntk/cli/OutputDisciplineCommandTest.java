package ntk.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import ntk.NdArray;
import ntk.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20 through the command line: outputs checked before any work (device/FIFO, directory, empty path, unwritable
 * folder, two outputs at one path, an output over an input), a refused command touches no output, flags a command
 * does not use are refused, and the small things of item 14.
 */
class OutputDisciplineCommandTest {
    @TempDir
    Path dir;

    static final String ARCH = "Dense(64), Relu, Dense(1)";

    static KernelCommandTest.Run run(String... args) {
        return KernelCommandTest.run(args);
    }

    Path x(String name, int n) {
        double[] v = new double[n * 3];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.sin(i + 1.0);
        }
        Path p = dir.resolve(name);
        Npy.write(p, new NdArray(new int[] {n, 3}, v));
        return p;
    }

    Path labels(String name, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i % 3;
        }
        Path p = dir.resolve(name);
        Npy.write(p, NdArray.vector(v));
        return p;
    }

    void refused(KernelCommandTest.Run r, String message) {
        assertEquals(2, r.status(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains(message), r.err());
    }

    List<String> names() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void nonRegularOrUnwritableOutputsAreRefusedBeforeAnyWork() throws Exception {
        Path x = x("x.npy", 6);
        Path fifo = dir.resolve("node");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        refused(run("kernel", "--arch", ARCH, "--x1", x.toString(), "--kind", "ntk", "--out", fifo.toString()),
                "--out is not a regular file");
        assertFalse(Files.isRegularFile(fifo));
        refused(run("kernel", "--arch", ARCH, "--x1", x.toString(), "--kind", "ntk", "--out", "/dev/null"),
                "/dev/null: --out is not a regular file");
        assertFalse(Files.isRegularFile(Path.of("/dev/null")));
        refused(run("kernel", "--arch", ARCH, "--x1", x.toString(), "--kind", "ntk", "--out", dir.toString()),
                "--out is a directory");
        refused(run("kernel", "--arch", ARCH, "--x1", x.toString(), "--kind", "ntk", "--out", ""), "--out is empty");
        refused(run("kernel", "--arch", ARCH, "--x1", x.toString(), "--kind", "ntk", "--out", "/proc/k.npy"),
                "cannot write into /proc");
        refused(run("eoc", "--activation", "Tanh", "--sigma-b", "0.1", "--curve", "--plot", dir.toString()),
                "--plot is a directory");
        // one path for two outputs, an output over an input
        refused(run("depth", "--activation", "Relu", "--sigma-w", "1.4", "--sigma-b", "0", "--max-depth", "3",
                "--out", dir.resolve("d.npz").toString(), "--plot", dir.resolve("d.npz").toString()),
                "--out and --plot are the same path");
        refused(run("kernel-pca", "--arch", ARCH, "--train-x", x.toString(), "--kind", "ntk", "--out", x.toString()),
                "--out is the input --train-x");
        Path l = labels("l.npy", 6);
        refused(run("predict", "--arch", ARCH, "--train-x", x.toString(), "--test-x", x.toString(), "--kind", "ntk",
                "--classify", "--train-labels", l.toString(), "--out", dir.resolve("m.npy").toString(),
                "--labels-out", dir.resolve("m.npy").toString()), "--out and --labels-out are the same path");
        assertEquals(List.of("l.npy", "node", "x.npy"), names()); // nothing written, no temporary file
    }

    @Test
    void aRefusedClassificationLeavesItsOutputsUntouched() throws Exception {
        Path x = x("x.npy", 9);
        Path l = labels("l.npy", 9);
        Path wrong = labels("wrong.npy", 5);
        Path out = dir.resolve("mean.npy");
        Files.writeString(out, "earlier output");
        Path lab = dir.resolve("pred.npy");
        Files.writeString(lab, "earlier labels");
        refused(run("predict", "--arch", ARCH, "--train-x", x.toString(), "--test-x", x.toString(), "--kind", "ntk",
                "--classify", "--train-labels", l.toString(), "--test-labels", wrong.toString(), "--out",
                out.toString(), "--labels-out", lab.toString()), "--test-labels has 5 labels for 9 points");
        assertEquals("earlier output", Files.readString(out));
        assertEquals("earlier labels", Files.readString(lab));
        KernelCommandTest.Run ok = run("predict", "--arch", ARCH, "--train-x", x.toString(), "--test-x", x.toString(),
                "--kind", "ntk", "--classify", "--train-labels", l.toString(), "--test-labels", l.toString(), "--out",
                out.toString(), "--labels-out", lab.toString());
        assertEquals(0, ok.status(), ok.err());
        assertTrue(ok.out().startsWith("accuracy 1.0000"), ok.out());
        assertArrayEquals(new int[] {9, 3}, Npy.read(out).shape);
        assertEquals(List.of("l.npy", "mean.npy", "pred.npy", "wrong.npy", "x.npy"), names());
    }

    @Test
    void outputFoldersAreCheckedBeforeTheComputation() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        long t0 = System.nanoTime();
        refused(run("demo", "--out-dir", file.toString()), "--out-dir is an existing file, not a folder");
        refused(run("demo", "--out-dir", "/proc/ntk-demo"), "cannot write into /proc");
        refused(run("experiment", "hayou-fig1", "--out", file.toString()), "--out is an existing file");
        refused(run("experiment", "hayou-fig1", "--out", ""), "--out is empty");
        Path taken = Files.createDirectories(dir.resolve("e/hayou-fig1"));
        Files.writeString(taken.resolve("notes.md"), "mine");
        refused(run("experiment", "hayou-fig1", "--out", dir.resolve("e").toString()), "holds files ntk did not write"
                + " (notes.md)");
        assertTrue((System.nanoTime() - t0) * 1e-9 < 10, "refused at once, not after the computation");
        assertEquals("mine", Files.readString(taken.resolve("notes.md")));
    }

    @Test
    void aFlagACommandDoesNotUseIsRefused() {
        refused(run("experiment", "hayou-fig1", "--out", dir.toString(), "--parameterization", "bogus"),
                "--parameterization: experiment hayou-fig1 does not take it");
        // hayou-table1 declares it (before or after the command name), so a bad value gets that option's own message
        refused(run("experiment", "hayou-table1", "--out", dir.toString(), "--parameterization", "bogus"),
                "--parameterization: expected 'ntk' or 'standard', got 'bogus'");
        refused(run("--parameterization", "bogus", "experiment", "hayou-table1", "--out", dir.toString()),
                "--parameterization: expected 'ntk' or 'standard', got 'bogus'");
        refused(run("--parameterization", "standard", "demo", "--out-dir", dir.resolve("d").toString()),
                "--parameterization: demo does not take it");
        refused(run("depth", "--parameterization", "standard", "--activation", "Relu", "--sigma-w", "1.4",
                "--sigma-b", "0", "--max-depth", "3", "--out", dir.resolve("d.npz").toString()),
                "--parameterization: depth does not take it");
        assertFalse(Files.exists(dir.resolve("hayou-fig1")));
        // where it is used, it is still taken
        Path x = x("x.npy", 4);
        KernelCommandTest.Run r = run("kernel", "--parameterization", "standard", "--arch", ARCH, "--x1", x.toString(),
                "--kind", "nngp", "--out", dir.resolve("k.npy").toString());
        assertEquals(0, r.status(), r.err());
    }

    @Test
    void smallThings() {
        refused(run("bench", "kernel", "--n", "0"), "--n must be at least 1, got 0");
        refused(run("bench", "kernel", "--depth", "-1"), "--depth must be at least 0, got -1");
        refused(run("experiment", "hayou-fig1", "--out", dir.toString(), "--bogus", "1"),
                "(see: ntk experiment hayou-fig1 --help)");
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        KernelCommandTest.Run help;
        try {
            System.setErr(new java.io.PrintStream(captured, true));
            help = run("experiment", "--help");
            for (ntk.experiments.Experiment e : ntk.experiments.Experiments.all()) {
                run("experiment", e.name(), "--help");
            }
        } finally {
            System.setErr(saved);
        }
        assertEquals(0, help.status());
        assertFalse(captured.toString().contains("WARN") || help.err().contains("WARN"), captured + help.err());
        Path empty = dir.resolve("empty.npy");
        Npy.write(empty, new NdArray(new int[] {0, 3}, new double[0]));
        refused(run("kernel-pca", "--arch", ARCH, "--train-x", empty.toString(), "--kind", "ntk", "--out",
                dir.resolve("p.npz").toString()), "no training points");
    }
}
