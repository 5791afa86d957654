package ntk.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import ntk.cli.Main;
import ntk.NdArray;
import ntk.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ntk kernel|predict --engine spark} end to end through the command line (ServiceLoader finds the engine). */
class SparkCommandTest {
    @TempDir
    Path dir;

    record Run(int status, String err) {
    }

    static Run run(String... args) {
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        return new Run(status, err.toString());
    }

    static final String ARCH = "Dense(256, b_std=0.1), Relu, Dense(256, b_std=0.1), Relu, Dense(1)";

    Path save(String name, NdArray a) {
        Path p = dir.resolve(name);
        Npy.write(p, a);
        return p;
    }

    /** Files in dir besides the inputs: none may be left by a refused command. */
    long outputs() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("in-")).count();
        }
    }

    @Test
    void kernelOnSparkEqualsTheLocalEngineAndBlockDirectoryHasAManifest() throws Exception {
        Path x1 = save("in-x1.npy", SparkEngineTest.gaussian(21, 61, 7));
        Path x2 = save("in-x2.npy", SparkEngineTest.gaussian(22, 45, 7));
        Path local = dir.resolve("local.npy");
        Path spark = dir.resolve("spark.npy");
        Path blocks = dir.resolve("blocks");
        assertEquals(0, run("kernel", "--arch", ARCH, "--x1", x1.toString(), "--x2", x2.toString(), "--kind", "ntk",
                "--out", local.toString()).status());
        Run r = run("kernel", "--arch", ARCH, "--x1", x1.toString(), "--x2", x2.toString(), "--kind", "ntk",
                "--out", spark.toString(), "--engine", "spark", "--master", "local[2]", "--block-size", "20");
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err(), "Spark stays quiet without -v");
        SparkEngineTest.assertClose(Npy.read(local).data, Npy.read(spark).data, 1e-12);
        r = run("kernel", "--arch", ARCH, "--x1", x1.toString(), "--kind", "nngp", "--out", blocks.toString(),
                "--engine", "spark", "--master", "local[2]", "--block-size", "25");
        assertEquals(0, r.status(), r.err());
        String manifest = Files.readString(blocks.resolve("manifest.json"));
        assertTrue(manifest.contains("\"shape\": [61, 61]") && manifest.contains("\"symmetric\": true"), manifest);
        assertEquals("(25, 25)", Npy.read(blocks.resolve("block-00001-00000.npy")).shapeString());
        assertFalse(Files.exists(blocks.resolve("block-00000-00001.npy")), "no block above the diagonal");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.filter(p -> p.getFileName().toString().startsWith(".")).count(), "no temporary left");
        }
    }

    @Test
    void predictOnSparkEqualsTheLocalDirectSolve() throws Exception {
        NdArray xs = SparkEngineTest.unitRows(SparkEngineTest.gaussian(23, 70, 6));
        NdArray y = SparkEngineTest.gaussian(24, 70, 2);
        Path x = save("in-x.npy", xs);
        Path yy = save("in-y.npy", y);
        Path t = save("in-t.npy", SparkEngineTest.unitRows(SparkEngineTest.gaussian(25, 9, 6)));
        Path local = dir.resolve("local.npy");
        Path spark = dir.resolve("spark.npy");
        String[] common = {"predict", "--arch", ARCH, "--train-x", x.toString(), "--train-y", yy.toString(),
            "--test-x", t.toString(), "--kind", "nngp", "--ridge", "0.1"};
        assertEquals(0, run(concat(common, "--out", local.toString())).status());
        Run r = run(concat(common, "--out", spark.toString(), "--engine", "spark", "--master", "local[2]",
                "--block-size", "30"));
        assertEquals(0, r.status(), r.err());
        assertEquals("(9, 2)", Npy.read(spark).shapeString());
        SparkEngineTest.assertClose(Npy.read(local).data, Npy.read(spark).data, 1e-6);
        for (String pc : new String[] {"nystrom", "nystrom-jacobi"}) {
            r = run(concat(common, "--out", spark.toString(), "--engine", "spark", "--master", "local[2]",
                    "--block-size", "30", "--preconditioner", pc, "--rank", "20"));
            assertEquals(0, r.status(), r.err());
            SparkEngineTest.assertClose(Npy.read(local).data, Npy.read(spark).data, 1e-6);
        }

        double[] labels = new double[70];
        for (int i = 0; i < 70; i++) {
            labels[i] = i % 3;
        }
        Path lab = save("in-labels.npy", new NdArray(new int[] {70}, labels));
        String[] classify = {"predict", "--arch", ARCH, "--train-x", x.toString(), "--classify", "--train-labels",
            lab.toString(), "--test-x", t.toString(), "--kind", "ntk", "--ridge", "1e-3"};
        assertEquals(0, run(concat(classify, "--out", local.toString())).status());
        r = run(concat(classify, "--out", spark.toString(), "--engine", "spark", "--master", "local[2]"));
        assertEquals(0, r.status(), r.err());
        assertEquals("(9, 3)", Npy.read(spark).shapeString());
        SparkEngineTest.assertClose(Npy.read(local).data, Npy.read(spark).data, 1e-6);
        // issue 20 item 2: test labels of the wrong length are refused before --out is touched
        Path wrong = save("in-wrong.npy", new NdArray(new int[] {5}, new double[5]));
        byte[] before = Files.readAllBytes(spark);
        r = run(concat(classify, "--test-labels", wrong.toString(), "--out", spark.toString(), "--engine", "spark",
                "--master", "local[2]"));
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("--test-labels has 5 labels for 9 points"), r.err());
        assertArrayEquals(before, Files.readAllBytes(spark));
    }

    static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    @Test
    void badInputExitsTwoWithOneLineAndNoOutput() throws Exception {
        Path x = save("in-x.npy", SparkEngineTest.gaussian(26, 20, 3));
        Path y = save("in-y.npy", SparkEngineTest.gaussian(27, 20, 1));
        NdArray nan = SparkEngineTest.gaussian(28, 20, 3);
        nan.data[7] = Double.NaN;
        Path bad = save("in-nan.npy", nan);
        Files.createDirectory(dir.resolve("in-existing"));
        String out = dir.resolve("k.npy").toString();
        String[][] cases = {
            {"kernel", "--arch", ARCH, "--x1", x.toString(), "--kind", "ntk", "--out", out, "--engine", "sparkle"},
            {"kernel", "--arch", ARCH, "--x1", x.toString(), "--kind", "ntk", "--out", out, "--engine", "spark",
                "--block-size", "0"},
            {"kernel", "--arch", ARCH, "--x1", bad.toString(), "--kind", "ntk", "--out", out, "--engine", "spark"},
            {"kernel", "--arch", ARCH, "--x1", x.toString(), "--kind", "ntk", "--out", out, "--engine", "spark",
                "--master", "nonsense://nowhere"},
            {"kernel", "--arch", ARCH, "--x1", x.toString(), "--kind", "ntk", "--out",
                dir.resolve("in-existing").toString(), "--engine", "spark"},
            {"kernel", "--arch", ARCH, "--x1", x.toString(), "--kind", "ntk", "--out", out, "--master", "local[2]"},
            {"predict", "--arch", ARCH, "--train-x", x.toString(), "--train-y", y.toString(), "--test-x", x.toString(),
                "--kind", "ntk", "--out", out, "--cov-out", dir.resolve("c.npy").toString(), "--engine", "spark"},
            {"predict", "--arch", ARCH, "--train-x", x.toString(), "--train-y", y.toString(), "--test-x", x.toString(),
                "--kind", "ntk", "--out", out, "--time", "1,inf", "--engine", "spark"},
            {"predict", "--arch", ARCH, "--train-x", x.toString(), "--train-y", y.toString(), "--test-x", x.toString(),
                "--kind", "ntk", "--out", out, "--engine", "spark", "--tol", "2"},
            {"predict", "--arch", ARCH, "--train-x", x.toString(), "--train-y", y.toString(), "--test-x", x.toString(),
                "--kind", "ntk", "--out", out, "--preconditioner", "nystrom"},
            {"predict", "--arch", ARCH, "--train-x", x.toString(), "--train-y", y.toString(), "--test-x", x.toString(),
                "--kind", "ntk", "--out", out, "--rank", "10"},
            {"predict", "--arch", ARCH, "--train-x", x.toString(), "--train-y", y.toString(), "--test-x", x.toString(),
                "--kind", "ntk", "--out", out, "--engine", "spark", "--preconditioner", "multigrid"},
            {"predict", "--arch", ARCH, "--train-x", x.toString(), "--train-y", y.toString(), "--test-x", x.toString(),
                "--kind", "ntk", "--out", out, "--engine", "spark", "--preconditioner", "nystrom", "--rank", "0"},
            {"predict", "--arch", ARCH, "--train-x", x.toString(), "--train-y", y.toString(), "--test-x", x.toString(),
                "--kind", "ntk", "--out", out, "--engine", "spark", "--preconditioner", "jacobi", "--rank", "10"},
            {"kernel", "--arch", ARCH, "--x1", x.toString(), "--kind", "ntk", "--out", out, "--engine", "spark",
                "--preconditioner", "nystrom"},
        };
        for (String[] args : cases) {
            Run r = run(args);
            String what = String.join(" ", args);
            assertEquals(2, r.status(), what + " -> " + r.err());
            assertTrue(r.err().startsWith("ntk: ") && r.err().strip().lines().count() == 1, what + " -> " + r.err());
            assertEquals(0, outputs(), what + " left output");
            if (what.contains("nonsense://")) { // a message of the engine (API parameter "master"), rendered with the flag
                assertTrue(r.err().startsWith("ntk: --master nonsense://nowhere: Spark did not start: "), r.err());
            }
            if (what.contains("multigrid")) {
                assertEquals("ntk: --preconditioner: expected one of [jacobi, nystrom, nystrom-jacobi], got 'multigrid'",
                        r.err().strip());
            }
            if (what.contains("--rank 0")) {
                assertEquals("ntk: --rank must be >= 1, got 0", r.err().strip());
            }
        }
    }
}
