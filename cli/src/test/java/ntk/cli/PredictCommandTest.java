package ntk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import ntk.NdArray;
import ntk.io.Npy;
import ntk.linalg.Linalg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ntk predict` and `ntk diagnose` on files: against `ntk kernel` + Cholesky, and the bad-input contract. */
class PredictCommandTest {
    static final String ARCH = "Dense(512, b_std=0.1), Relu, Dense(512, b_std=0.1), Relu, Dense(1, b_std=0.1)";

    @TempDir
    Path dir;

    Path array(String name, long seed, int... shape) {
        return KernelCommandTest.gaussianNpy(dir, name, seed, shape);
    }

    String p(String name) {
        return dir.resolve(name).toString();
    }

    NdArray kernel(Path x1, Path x2, String kind) {
        Path out = dir.resolve("k-" + kind + "-" + x1.getFileName() + (x2 == null ? "" : x2.getFileName()));
        KernelCommandTest.Run r = x2 == null
                ? KernelCommandTest.run("kernel", "--arch", ARCH, "--x1", x1.toString(), "--kind", kind, "--out", out.toString())
                : KernelCommandTest.run("kernel", "--arch", ARCH, "--x1", x1.toString(), "--x2", x2.toString(), "--kind",
                        kind, "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        return Npy.read(out);
    }

    @Test
    void infiniteTimeEqualsCholeskyRegressionOnKernelFiles() {
        int n = 15;
        int m = 4;
        Path x = array("x.npy", 1, n, 3);
        Path y = array("y.npy", 2, n, 2);
        Path t = array("t.npy", 3, m, 3);
        for (String kind : new String[] {"ntk", "nngp"}) {
            double ridge = 1e-3;
            KernelCommandTest.Run r = KernelCommandTest.run("predict", "--arch", ARCH, "--train-x", x.toString(),
                    "--train-y", y.toString(), "--test-x", t.toString(), "--kind", kind, "--ridge", "0.001", "--out",
                    p("mean.npy"), "--cov-out", p("cov.npy"));
            assertEquals(0, r.status(), r.err());
            NdArray mean = Npy.read(dir.resolve("mean.npy"));
            assertEquals("(4, 2)", mean.shapeString());
            assertEquals("(4, 4)", Npy.read(dir.resolve("cov.npy")).shapeString());
            double[] kxx = kernel(x, null, kind).data;
            double[] ktx = kernel(t, x, kind).data;
            double[] f = kxx.clone();
            for (int i = 0; i < n; i++) {
                f[i * n + i] += ridge;
            }
            assertTrue(Linalg.choleskyInPlace(f, n));
            double[] alpha = Npy.read(y).data.clone();
            Linalg.choleskySolve(f, n, alpha, 2);
            double[] want = Linalg.multiply(false, false, m, 2, n, ktx, alpha);
            double scale = 0;
            for (double v : kxx) {
                scale = Math.max(scale, Math.abs(v));
            }
            // nε·cond bound with cond ≤ λ_max/ridge ≤ n·max|K|/ridge
            double tol = 64 * n * Math.ulp(1.0) * (n * scale / ridge) * maxAbs(want);
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], mean.data[i], tol, kind + " entry " + i);
            }
        }
    }

    static double maxAbs(double[] a) {
        double s = 0;
        for (double v : a) {
            s = Math.max(s, Math.abs(v));
        }
        return s;
    }

    @Test
    void listOfTimesStacksSingleRunsAndOneDimensionalTargetsAreAccepted() {
        Path x = array("x.npy", 1, 10, 3);
        Path y = array("y.npy", 2, 10);
        Path t = array("t.npy", 3, 3, 3);
        String[] base = {"predict", "--arch", ARCH, "--train-x", x.toString(), "--train-y", y.toString(), "--test-x",
            t.toString(), "--kind", "ntk"};
        KernelCommandTest.Run r = KernelCommandTest.run(concat(base, "--time", "0.5,inf", "--out", p("all.npy"),
                "--cov-out", p("allcov.npy")));
        assertEquals(0, r.status(), r.err());
        NdArray all = Npy.read(dir.resolve("all.npy"));
        assertEquals("(2, 3, 1)", all.shapeString());
        assertEquals("(2, 3, 3)", Npy.read(dir.resolve("allcov.npy")).shapeString());
        assertEquals(0, KernelCommandTest.run(concat(base, "--time", "0.5", "--out", p("one.npy"))).status());
        assertEquals(0, KernelCommandTest.run(concat(base, "--out", p("inf.npy"))).status()); // default: inf
        double[] one = Npy.read(dir.resolve("one.npy")).data;
        double[] inf = Npy.read(dir.resolve("inf.npy")).data;
        for (int i = 0; i < 3; i++) {
            assertEquals(one[i], all.data[i], 1e-14 * (1 + Math.abs(one[i])));
            assertEquals(inf[i], all.data[3 + i], 1e-14 * (1 + Math.abs(inf[i])));
        }
    }

    static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void learningRateAboveStabilityLimitWarnsAndStillComputes() {
        Path x = array("x.npy", 1, 10, 3);
        Path y = array("y.npy", 2, 10, 1);
        Path t = array("t.npy", 3, 2, 3);
        KernelCommandTest.Run r = KernelCommandTest.run("predict", "--arch", ARCH, "--train-x", x.toString(), "--train-y",
                y.toString(), "--test-x", t.toString(), "--kind", "ntk", "--steps", "20", "--learning-rate", "1000",
                "--out", p("m.npy"));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("stability limit 2n/lambda_max"), r.err());
        assertEquals(1, r.err().strip().lines().count());
        double div = maxAbs(Npy.read(dir.resolve("m.npy")).data);
        assertTrue(div > 1e6 && Double.isFinite(div), "diverged: " + div);
    }

    @Test
    void badInputExitsTwoWithOneLineNamingTheFileOrOptionAndWritesNothing() throws Exception {
        Path x = array("x.npy", 1, 10, 3);
        Path y = array("y.npy", 2, 10, 1);
        Path yShort = array("yshort.npy", 2, 9, 1);
        Path t = array("t.npy", 3, 2, 3);
        Path t4 = array("t4.npy", 3, 2, 4);
        double[] bad = Npy.read(y).data.clone();
        bad[4] = Double.NaN;
        Path yNan = dir.resolve("ynan.npy");
        Npy.write(yNan, new NdArray(new int[] {10, 1}, bad));
        String[][] cases = {
            {"--train-y", y.toString(), "--test-x", t4.toString()},
            {"--train-y", yShort.toString(), "--test-x", t.toString()},
            {"--train-y", yNan.toString(), "--test-x", t.toString()},
            {"--train-y", y.toString(), "--test-x", t.toString(), "--time", "-1"},
            {"--train-y", y.toString(), "--test-x", t.toString(), "--steps", "5", "--learning-rate", "-0.1"},
            {"--train-y", y.toString(), "--test-x", t.toString(), "--steps", "5"},
            {"--train-y", y.toString(), "--test-x", t.toString(), "--ridge", "-1"},
        };
        String[] named = {"t4.npy", "yshort.npy", "ynan.npy", "--time", "--learning-rate", "--learning-rate", "--ridge"};
        for (int c = 0; c < cases.length; c++) {
            String[] args = concat(new String[] {"predict", "--arch", ARCH, "--train-x", x.toString(), "--kind", "ntk",
                "--out", p("never.npy")}, cases[c]);
            KernelCommandTest.Run r = KernelCommandTest.run(args);
            assertEquals(2, r.status(), "case " + c + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(named[c]), "case " + c + ": " + r.err());
            assertFalse(Files.exists(dir.resolve("never.npy")));
        }
    }

    /** A job whose kernels cannot fit is refused before any kernel is computed, with the estimate. */
    @Test
    void aJobThatCannotFitIsRefusedUpFront() {
        Path x = array("xbig.npy", 3, 40000, 1); // 3·40000² doubles = 38 GB for the eigen path
        Path y = array("ybig.npy", 4, 40000, 1);
        Path t = array("tbig.npy", 5, 3, 1);
        // computing first would need the 38 GB it names (this JVM has 6 GB): the message proves it refused up front
        KernelCommandTest.Run r = KernelCommandTest.run("predict", "--arch", ARCH, "--train-x", x.toString(),
                "--train-y", y.toString(), "--test-x", t.toString(), "--kind", "nngp", "--time", "1", "--out", p("big.npy"));
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("40000 x 40000 training kernels and the eigendecomposition's workspace need about"),
                r.err());
        assertFalse(Files.exists(dir.resolve("big.npy")));
    }

    @Test
    void singularKernelAtInfinityIsRefusedWithRidgeAdvice() {
        double[] xs = Npy.read(array("x0.npy", 1, 6, 3)).data.clone();
        System.arraycopy(xs, 0, xs, 3, 3); // duplicated input
        Path x = dir.resolve("x.npy");
        Npy.write(x, new NdArray(new int[] {6, 3}, xs));
        Path y = array("y.npy", 2, 6, 1);
        KernelCommandTest.Run r = KernelCommandTest.run("predict", "--arch", ARCH, "--train-x", x.toString(),
                "--train-y", y.toString(), "--test-x", x.toString(), "--kind", "ntk", "--out", p("m.npy"));
        assertEquals(2, r.status());
        assertTrue(r.err().contains("singular to working precision") && r.err().contains("--ridge"), r.err());
        KernelCommandTest.Run d = KernelCommandTest.run("diagnose", "--arch", ARCH, "--train-x", x.toString(), "--json");
        assertEquals(0, d.status(), d.err());
        assertTrue(d.out().contains("\"trainable\": false") && d.out().contains("\"condition_number\": null"), d.out());
    }

    @Test
    void diagnoseReportsTheStableRate() {
        Path x = array("x.npy", 1, 10, 3);
        KernelCommandTest.Run d = KernelCommandTest.run("diagnose", "--arch", ARCH, "--train-x", x.toString());
        assertEquals(0, d.status(), d.err());
        double[] k = kernel(x, null, "ntk").data;
        double lmax = Linalg.symmetricEigen(k, 10).largest();
        assertTrue(d.out().contains(String.format("%.6g", 20 / lmax)), d.out());
        assertTrue(d.out().contains("trainable                          yes"), d.out());
    }
}
