package ntk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import ntk.NdArray;
import ntk.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ntk kernel` end to end on files: results against a closed form, and the bad-input contract. */
class KernelCommandTest {
    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    Path inputs(String name, int n, int d, long seed) {
        return gaussianNpy(dir, name, seed, n, d);
    }

    /** A .npy file in {@code dir} of standard normal draws (seeded) of the given shape: the commands' test input. */
    static Path gaussianNpy(Path dir, String name, long seed, int... shape) {
        Random r = new Random(seed);
        double[] x = new double[java.util.Arrays.stream(shape).reduce(1, (u, v) -> u * v)];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        Path p = dir.resolve(name);
        Npy.write(p, new NdArray(shape, x));
        return p;
    }

    @Test
    void ntkOfOneHiddenLayerReluMatchesClosedFormThroughFiles() {
        Path x1 = inputs("x1.npy", 7, 3, 1);
        Path x2 = inputs("x2.npy", 4, 3, 2);
        Path out = dir.resolve("k.npy");
        Run r = run("kernel", "--arch", "Dense(64), Relu, Dense(1)", "--x1", x1.toString(), "--x2", x2.toString(),
                "--kind", "ntk", "--out", out.toString());
        assertEquals(0, r.status, r.err);
        NdArray k = Npy.read(out);
        assertEquals("(7, 4)", k.shapeString());
        NdArray a = Npy.read(x1);
        NdArray b = Npy.read(x2);
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 4; j++) {
                double na = 0;
                double nb = 0;
                double ab = 0;
                for (int c = 0; c < 3; c++) {
                    na += a.get(i, c) * a.get(i, c);
                    nb += b.get(j, c) * b.get(j, c);
                    ab += a.get(i, c) * b.get(j, c);
                }
                double cos = ab / Math.sqrt(na * nb);
                double phi = Math.acos(cos);
                double want = Math.sqrt(na * nb) / (2 * Math.PI * 3) * (Math.sin(phi) + 2 * (Math.PI - phi) * cos);
                assertEquals(want, k.get(i, j), 1e-12 * Math.abs(want));
            }
        }
    }

    @Test
    void diagonalModeAndNngpKind() {
        Path x = inputs("x.npy", 5, 4, 3);
        Path full = dir.resolve("full.npy");
        Path diag = dir.resolve("diag.npy");
        assertEquals(0, run("kernel", "--arch", "Dense(8, b_std=0.5), Erf, Dense(1)", "--x1", x.toString(), "--kind",
                "nngp", "--out", full.toString()).status);
        Run r = run("kernel", "--arch", "Dense(8, b_std=0.5), Erf, Dense(1)", "--x1", x.toString(), "--kind", "nngp",
                "--out", diag.toString(), "--diag");
        assertEquals(0, r.status, r.err);
        NdArray f = Npy.read(full);
        NdArray g = Npy.read(diag);
        assertEquals("(5,)", g.shapeString());
        for (int i = 0; i < 5; i++) {
            assertEquals(f.get(i, i), g.get(i), 0.0);
        }
    }

    @Test
    void standardParameterisationChangesTheNtkButNotTheNngp() {
        Path x = inputs("x.npy", 4, 3, 4);
        String arch = "Dense(100), Relu, Dense(1)";
        for (String kind : new String[] {"nngp", "ntk"}) {
            Path a = dir.resolve(kind + "-ntk.npy");
            Path b = dir.resolve(kind + "-std.npy");
            assertEquals(0, run("kernel", "--arch", arch, "--x1", x.toString(), "--kind", kind, "--out", a.toString()).status);
            assertEquals(0, run("kernel", "--arch", arch, "--x1", x.toString(), "--kind", kind, "--out", b.toString(),
                    "--parameterization", "standard").status);
            boolean same = Npy.read(a).equals(Npy.read(b));
            assertEquals(kind.equals("nngp"), same, kind);
        }
    }

    @Test
    void badInputExitsTwoWithOneLineAndWritesNothing() throws Exception {
        Path x = inputs("x.npy", 5, 4, 5);
        Path x3 = inputs("x3.npy", 5, 3, 6);
        Path nan = dir.resolve("nan.npy");
        double[] v = new double[10];
        v[7] = Double.NaN;
        Npy.write(nan, new NdArray(new int[] {5, 2}, v));
        Path rank3 = dir.resolve("r3.npy");
        Npy.write(rank3, new NdArray(new int[] {2, 2, 2}, new double[8]));
        Path garbage = dir.resolve("garbage.npy");
        Files.writeString(garbage, "this is not an npy file");
        Path out = dir.resolve("out.npy");
        String[][] cases = {
            {"--arch", "Dense(4), Rleu", "--x1", x.toString(), "--kind", "ntk"},
            {"--arch", "Dense(4), Relu", "--x1", nan.toString(), "--kind", "ntk"},
            {"--arch", "Dense(4), Relu", "--x1", rank3.toString(), "--kind", "ntk"},
            {"--arch", "Dense(4), Relu", "--x1", garbage.toString(), "--kind", "ntk"},
            {"--arch", "Dense(4), Relu", "--x1", x.toString(), "--x2", x3.toString(), "--kind", "ntk"},
            {"--arch", "Dense(4), Relu", "--x1", dir.resolve("missing.npy").toString(), "--kind", "ntk"},
            {"--arch", "Dense(4), Relu", "--x1", x.toString(), "--kind", "ntkk"},
            {"--arch", "Dense(4), Relu", "--x1", x.toString(), "--kind", "ntk", "--parameterization", "mean-field"},
            {"--arch", "Dense(4), Relu", "--x1", x.toString()},
            {"--arch", "Dense(4), Relu", "--x1", x.toString(), "--kind", "ntk", "--bogus"},
        };
        String[] expect = {"unknown layer 'Rleu'", "contains NaN at index (3, 1)", "must have shape (n, d)",
            "garbage.npy", "--x2 has 3 features", "no such file", "expected 'ntk' or 'nngp'", "--parameterization",
            "--kind", "--bogus"};
        for (int c = 0; c < cases.length; c++) {
            String[] args = new String[cases[c].length + 3];
            args[0] = "kernel";
            System.arraycopy(cases[c], 0, args, 1, cases[c].length);
            args[args.length - 2] = "--out";
            args[args.length - 1] = out.toString();
            Run r = run(args);
            assertEquals(2, r.status, String.join(" ", args) + " -> " + r.err);
            assertTrue(r.err.contains(expect[c]), "case " + c + ": " + r.err);
            assertEquals(1, r.err.strip().lines().count(), "one line: " + r.err);
            assertFalse(Files.exists(out), "no output for a refused job");
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp files left");
        }
    }

    @Test
    void jobTooBigForMemoryIsRefusedBeforeStarting() {
        // 50,000 rows of 1 feature: the 50,000² kernel needs 40 GB per array; refused with the estimate.
        Path big = dir.resolve("big.npy");
        Npy.write(big, new NdArray(new int[] {50_000, 1}, new double[50_000]));
        Run r = run("kernel", "--arch", "Dense(4), Relu", "--x1", big.toString(), "--kind", "ntk", "--out",
                dir.resolve("o.npy").toString());
        assertEquals(2, r.status, r.err);
        assertTrue(r.err.contains("entries") || r.err.contains("GB"), r.err);
    }
}
