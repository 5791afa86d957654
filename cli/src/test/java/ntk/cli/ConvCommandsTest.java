package ntk.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import ntk.NdArray;
import ntk.io.Npy;
import ntk.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands on signals (n, length, channels) for Conv1D networks, and their one-line refusals. */
class ConvCommandsTest {
    @TempDir
    Path dir;

    static final String ARCH = "Conv1D(16, 3, b_std=0.1), Residual(Relu, Conv1D(16, 3)), Relu, GlobalAvgPool, Dense(1)";

    Path array(String name, long seed, int... shape) {
        return KernelCommandTest.gaussianNpy(dir, name, seed, shape);
    }

    @Test
    void everyCommandTakesSignals() {
        Path x = array("x.npy", 1, 6, 5, 2);
        Path z = array("z.npy", 2, 3, 5, 2);
        Path y = array("y.npy", 3, 6, 1);
        Path k = dir.resolve("k.npy");
        assertEquals(0, KernelCommandTest.run("kernel", "--arch", ARCH, "--x1", x.toString(), "--x2", z.toString(),
                "--kind", "ntk", "--out", k.toString()).status());
        assertEquals("(6, 3)", Npy.read(k).shapeString());
        Path d = dir.resolve("d.npy");
        assertEquals(0, KernelCommandTest.run("kernel", "--arch", ARCH, "--x1", x.toString(), "--diag", "--kind", "nngp",
                "--out", d.toString()).status());
        assertEquals("(6,)", Npy.read(d).shapeString());

        Path p = dir.resolve("p.npz");
        assertEquals(0, KernelCommandTest.run("init", "--arch", ARCH, "--input-shape", "5,2", "--seed", "1", "--out",
                p.toString()).status());
        Map<String, NdArray> params = Npz.read(p);
        assertEquals("(16, 2, 3)", params.get("0.W").shapeString());
        assertEquals("(16, 16, 3)", params.get("1.1.W").shapeString());
        assertEquals("(1, 16)", params.get("4.W").shapeString());

        Path e1 = dir.resolve("e1.npy");
        Path e2 = dir.resolve("e2.npy");
        assertEquals(0, KernelCommandTest.run("empirical", "--arch", ARCH, "--params", p.toString(), "--x1", x.toString(),
                "--x2", z.toString(), "--out", e1.toString()).status());
        assertEquals(0, KernelCommandTest.run("empirical", "--arch", ARCH, "--params", p.toString(), "--x1", x.toString(),
                "--x2", z.toString(), "--method", "jacobian", "--out", e2.toString()).status());
        assertArrayEquals(Npy.read(e2).data, Npy.read(e1).data, 1e-12 * maxAbs(Npy.read(e2).data));

        Path run = dir.resolve("run.npz");
        KernelCommandTest.Run r = KernelCommandTest.run("train", "--arch", ARCH, "--params", p.toString(), "--train-x",
                x.toString(), "--train-y", y.toString(), "--test-x", z.toString(), "--steps", "5", "--learning-rate",
                "0.1", "--out", run.toString(), "--no-progress");
        assertEquals(0, r.status(), r.err());
        Map<String, NdArray> rec = Npz.read(run);
        assertEquals("(6, 3, 1)", rec.get("test_out").shapeString());
        assertTrue(rec.get("loss").data[5] < rec.get("loss").data[0], "loss decreases");

        Path mc = dir.resolve("mc.npy");
        assertEquals(0, KernelCommandTest.run("monte-carlo", "--arch", ARCH, "--x1", x.toString(), "--kind", "ntk",
                "--seeds", "2", "--out", mc.toString()).status());
        assertEquals("(6, 6)", Npy.read(mc).shapeString());
    }

    @Test
    void predictAndDiagnoseTakeSignals() {
        // CNTK regression from the command line: at t = inf on the training signals themselves the mean
        // interpolates Y (the CNTK Gram matrix of 6 generic signals is positive definite); diagnose reports the
        // extreme eigenvalues of the same Gram matrix as written by `ntk kernel`.
        Path x = array("x.npy", 1, 6, 5, 2);
        Path t = array("t.npy", 4, 3, 5, 2);
        Path y = array("y.npy", 3, 6, 1);
        Path mean = dir.resolve("mean.npy");
        KernelCommandTest.Run r = KernelCommandTest.run("predict", "--arch", ARCH, "--train-x", x.toString(),
                "--train-y", y.toString(), "--test-x", x.toString(), "--kind", "ntk", "--out", mean.toString());
        assertEquals(0, r.status(), r.err());
        assertArrayEquals(Npy.read(y).data, Npy.read(mean).data, 1e-7);
        Path mt = dir.resolve("mt.npy");
        r = KernelCommandTest.run("predict", "--arch", ARCH, "--train-x", x.toString(), "--train-y", y.toString(),
                "--test-x", t.toString(), "--kind", "nngp", "--time", "0,inf", "--out", mt.toString());
        assertEquals(0, r.status(), r.err());
        NdArray m = Npy.read(mt);
        assertEquals("(2, 3, 1)", m.shapeString());
        assertArrayEquals(new double[3], java.util.Arrays.copyOfRange(m.data, 0, 3), 0.0, "t = 0: the prior mean 0");

        Path k = dir.resolve("k.npy");
        assertEquals(0, KernelCommandTest.run("kernel", "--arch", ARCH, "--x1", x.toString(), "--kind", "ntk", "--out",
                k.toString()).status());
        double[] ev = ntk.linalg.Linalg.symmetricEigenvalues(Npy.read(k).data, 6);
        r = KernelCommandTest.run("diagnose", "--arch", ARCH, "--train-x", x.toString(), "--json");
        assertEquals(0, r.status(), r.err());
        assertEquals(ev[0], jsonNumber(r.out(), "lambda_min"), 1e-9 * ev[5]);
        assertEquals(ev[5], jsonNumber(r.out(), "lambda_max"), 1e-9 * ev[5]);

        Path flat = array("f.npy", 5, 3, 10);
        refused("flat test inputs for a conv spec", "--test-x must have shape (n, length, channels)", "predict",
                "--arch", ARCH, "--train-x", x.toString(), "--train-y", y.toString(), "--test-x", flat.toString(),
                "--kind", "ntk", "--out", mean.toString());
        Path other = array("o.npy", 6, 3, 7, 2);
        refused("test signals of another length", "--test-x has examples of shape (7, 2) but --train-x", "predict",
                "--arch", ARCH, "--train-x", x.toString(), "--train-y", y.toString(), "--test-x", other.toString(),
                "--kind", "ntk", "--out", mean.toString());
    }

    static double jsonNumber(String json, String key) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + key + "\"\\s*:\\s*([-+0-9.eE]+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @Test
    void badInputsAreRefusedWithOneLine() {
        Path signals = array("s.npy", 1, 4, 5, 2);
        Path flat = array("f.npy", 2, 4, 10);
        Path other = array("o.npy", 3, 4, 6, 2);
        Path out = dir.resolve("k.npy");
        refused("rank-3 for a dense spec", "must have shape (n, d) for a dense --arch, got (4, 5, 2)",
                "kernel", "--arch", "Dense(8), Relu, Dense(1)", "--x1", signals.toString(), "--kind", "ntk", "--out",
                out.toString());
        refused("rank-2 for a conv spec", "must have shape (n, length, channels) for a convolutional --arch (Conv1D), got (4, 10)",
                "kernel", "--arch", ARCH, "--x1", flat.toString(), "--kind", "ntk", "--out", out.toString());
        refused("filter wider than the signal", "Conv1D(8, 7): filter size 7 is wider than the signal length 5",
                "kernel", "--arch", "Conv1D(8, 7), GlobalAvgPool", "--x1", signals.toString(), "--kind", "ntk", "--out",
                out.toString());
        refused("even filter", "Conv1D(8, 2): filter size k must be a positive odd number",
                "kernel", "--arch", "Conv1D(8, 2), GlobalAvgPool", "--x1", signals.toString(), "--kind", "ntk", "--out",
                out.toString());
        refused("mismatched lengths", "--x2 has examples of shape (6, 2) but --x1", "kernel", "--arch", ARCH, "--x1",
                signals.toString(), "--x2", other.toString(), "--kind", "ntk", "--out", out.toString());
        refused("no readout", "end the convolutional layers with GlobalAvgPool or Flatten", "kernel", "--arch",
                "Conv1D(8, 3), Relu", "--x1", signals.toString(), "--kind", "ntk", "--out", out.toString());
        refused("--input-dim for conv", "give --input-shape", "init", "--arch", ARCH, "--input-dim", "5", "--seed", "0",
                "--out", dir.resolve("p.npz").toString());
        refused("bad --input-shape", "--input-shape: expected LENGTH,CHANNELS", "init", "--arch", ARCH,
                "--input-shape", "5x2", "--seed", "0", "--out", dir.resolve("p.npz").toString());
        refused("empirical rank", "must have shape (n, length, channels)", "empirical", "--arch", ARCH,
                "--params", dir.resolve("none.npz").toString(), "--x1", flat.toString(), "--out", out.toString());
        refused("dense depth families take (n, d)", "--x must have shape (n, d) for --arch-kind dense; signals (4, 5, 2)"
                + " go with --arch-kind conv or conv-resnet", "depth", "--activation", "Relu", "--sigma-w",
                "1.41", "--sigma-b", "0", "--max-depth", "3", "--x", signals.toString(), "--out",
                dir.resolve("d.npz").toString());
        refused("conv depth families take signals", "--x must have shape (n, length, channels) for --arch-kind conv",
                "depth", "--activation", "Relu", "--sigma-w", "1.41", "--sigma-b", "0", "--max-depth", "3",
                "--arch-kind", "conv", "--x", flat.toString(), "--out", dir.resolve("d.npz").toString());
        assertFalse(Files.exists(out));
    }

    /** depth --arch-kind conv on signals constant along positions equals the dense family on one position. */
    @Test
    void convDepthOnConstantSignalsEqualsDenseDepth() {
        int n = 3;
        int len = 4;
        double[] flat = {1.0, -0.5, 0.3, 0.8, -1.1, 0.2};
        double[] sig = new double[n * len * 2];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < len; p++) {
                System.arraycopy(flat, 2 * i, sig, (i * len + p) * 2, 2);
            }
        }
        Path xf = dir.resolve("xf.npy");
        Path xs = dir.resolve("xs.npy");
        ntk.io.Npy.write(xf, new ntk.NdArray(new int[] {n, 2}, flat));
        ntk.io.Npy.write(xs, new ntk.NdArray(new int[] {n, len, 2}, sig));
        Path df = dir.resolve("df.npz");
        Path dc = dir.resolve("dc.npz");
        String[] common = {"depth", "--activation", "Tanh", "--sigma-w", "1.2", "--sigma-b", "0.1", "--max-depth", "12"};
        KernelCommandTest.Run a = KernelCommandTest.run(concat(common, "--x", xf.toString(), "--out", df.toString()));
        KernelCommandTest.Run b = KernelCommandTest.run(concat(common, "--arch-kind", "conv", "--x", xs.toString(),
                "--out", dc.toString()));
        assertEquals(0, a.status(), a.err());
        assertEquals(0, b.status(), b.err());
        double[] ka = ntk.io.Npz.read(df).get("ntk").data;
        double[] kb = ntk.io.Npz.read(dc).get("ntk").data;
        for (int e = 0; e < ka.length; e++) {
            assertEquals(ka[e], kb[e], 1e-12 * Math.abs(ka[e]));
        }
        KernelCommandTest.Run d = KernelCommandTest.run("depth", "--activation", "Relu", "--sigma-w", "1.4142135623730951",
                "--sigma-b", "0", "--max-depth", "50", "--arch-kind", "conv-resnet", "--out",
                dir.resolve("dr.npz").toString());
        assertEquals(0, d.status(), d.err());
        assertTrue(d.out().contains("conv-resnet"), d.out());
    }

    private static String[] concat(String[] a, String... b) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b))
                .toArray(String[]::new);
    }

    private void refused(String what, String fragment, String... args) {
        KernelCommandTest.Run r = KernelCommandTest.run(args);
        assertEquals(2, r.status(), what + ": " + r.err());
        assertTrue(r.err().contains(fragment), what + ": " + r.err());
        assertEquals(1, r.err().strip().lines().count(), what + ": one line, got " + r.err());
    }
}
