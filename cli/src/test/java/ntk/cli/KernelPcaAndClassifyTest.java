package ntk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import ntk.NdArray;
import ntk.io.Npy;
import ntk.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `ntk kernel-pca` against `ntk kernel` (the components rebuild the kernel) and `ntk predict` (the residual on the
 * training points shrinks along component i by exp(-t/decay_time_i)); `ntk predict --classify` against the same
 * regression on explicit one-hot targets, and on well-separated clusters.
 */
class KernelPcaAndClassifyTest {
    static final String ARCH = "Dense(256, b_std=0.1), Relu, Dense(256, b_std=0.1), Relu, Dense(1, b_std=0.1)";

    @TempDir
    Path dir;

    Path write(String name, int[] shape, double[] a) {
        Path p = dir.resolve(name);
        Npy.write(p, new NdArray(shape, a));
        return p;
    }

    Path gaussian(String name, long seed, int... shape) {
        Random r = new Random(seed);
        double[] a = new double[java.util.Arrays.stream(shape).reduce(1, (u, v) -> u * v)];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        return write(name, shape, a);
    }

    static KernelCommandTest.Run ok(String... args) {
        KernelCommandTest.Run r = KernelCommandTest.run(args);
        assertEquals(0, r.status(), r.err());
        return r;
    }

    @Test
    void kernelPcaRebuildsTheKernelAndPredictsTheDecay() {
        int n = 8;
        Path x = gaussian("x.npy", 1, n, 3);
        Path y = gaussian("y.npy", 2, n, 2);
        Path pca = dir.resolve("pca.npz");
        KernelCommandTest.Run r = ok("kernel-pca", "--arch", ARCH, "--train-x", x.toString(), "--train-y", y.toString(),
                "--kind", "ntk", "--out", pca.toString());
        assertTrue(r.out().contains("decay time"), r.out());
        Map<String, NdArray> a = Npz.read(pca);
        double[] lambda = a.get("eigenvalues").data;
        double[] v = a.get("components").data;
        assertEquals("(8, 8)", a.get("components").shapeString());
        // independent: the kernel from `ntk kernel` equals sum_i lambda_i v_i v_i^T
        Path kf = dir.resolve("k.npy");
        ok("kernel", "--arch", ARCH, "--x1", x.toString(), "--kind", "ntk", "--out", kf.toString());
        double[] k = Npy.read(kf).data;
        for (int p = 0; p < n; p++) {
            for (int q = 0; q < n; q++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += lambda[i] * v[i * n + p] * v[i * n + q];
                }
                assertEquals(k[p * n + q], s, 1e-10 * lambda[0], "K[" + p + "," + q + "]");
            }
        }
        for (int i = 1; i < n; i++) {
            assertTrue(lambda[i] <= lambda[i - 1], "descending");
        }
        // projections are v_i^T Y; decay times n / lambda_i
        double[] yy = Npy.read(y).data;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 2; c++) {
                double s = 0;
                for (int p = 0; p < n; p++) {
                    s += v[i * n + p] * yy[p * 2 + c];
                }
                assertEquals(s, a.get("projections").data[i * 2 + c], 1e-12);
            }
            assertEquals(n / lambda[i], a.get("decay_time").data[i], 1e-12 * n / lambda[i]);
        }
        // `ntk predict --time t` on the training points: Y - f_t(X) along v_i is exp(-t / tau_i) v_i^T Y
        double t = a.get("decay_time").data[2];
        Path mean = dir.resolve("mean.npy");
        ok("predict", "--arch", ARCH, "--train-x", x.toString(), "--train-y", y.toString(), "--test-x", x.toString(),
                "--kind", "ntk", "--time", Double.toString(t), "--out", mean.toString());
        double[] f = Npy.read(mean).data;
        for (int i = 0; i < 4; i++) {
            for (int c = 0; c < 2; c++) {
                double res = 0;
                for (int p = 0; p < n; p++) {
                    res += v[i * n + p] * (yy[p * 2 + c] - f[p * 2 + c]);
                }
                double want = Math.exp(-t / a.get("decay_time").data[i]) * a.get("projections").data[i * 2 + c];
                assertEquals(want, res, 1e-8, "component " + i + " output " + c);
            }
        }
        // without Y: eigenvalues and components only; --components limits the rows
        Path pca2 = dir.resolve("pca2.npz");
        ok("kernel-pca", "--arch", ARCH, "--train-x", x.toString(), "--kind", "nngp", "--components", "3", "--out",
                pca2.toString());
        Map<String, NdArray> b = Npz.read(pca2);
        assertEquals("(3, 8)", b.get("components").shapeString());
        assertFalse(b.containsKey("projections"));
        KernelCommandTest.Run bad = KernelCommandTest.run("kernel-pca", "--arch", ARCH, "--train-x", x.toString(),
                "--kind", "ntk", "--components", "9", "--out", dir.resolve("no.npz").toString());
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--components"), bad.err());
        assertFalse(Files.exists(dir.resolve("no.npz")));
    }

    @Test
    void classifyIsOneHotRegressionAndSeparatesClusters() {
        int per = 6;
        int classes = 3;
        double[][] centres = {{3, 0}, {-2, 2.5}, {-2, -2.5}};
        Random r = new Random(5);
        int n = per * classes;
        double[] xs = new double[2 * n];
        double[] ls = new double[n];
        double[] ts = new double[2 * n];
        double[] tl = new double[n];
        for (int i = 0; i < n; i++) {
            int c = i % classes;
            ls[i] = c;
            tl[i] = c;
            for (int j = 0; j < 2; j++) {
                xs[2 * i + j] = centres[c][j] + 0.3 * r.nextGaussian();
                ts[2 * i + j] = centres[c][j] + 0.3 * r.nextGaussian();
            }
        }
        Path x = write("cx.npy", new int[] {n, 2}, xs);
        Path l = write("cl.npy", new int[] {n}, ls);
        Path t = write("ct.npy", new int[] {n, 2}, ts);
        Path tlab = write("ctl.npy", new int[] {n}, tl);
        Path mean = dir.resolve("cmean.npy");
        Path pred = dir.resolve("cpred.npy");
        KernelCommandTest.Run run = ok("predict", "--arch", ARCH, "--train-x", x.toString(), "--classify",
                "--train-labels", l.toString(), "--test-x", t.toString(), "--test-labels", tlab.toString(), "--kind", "nngp",
                "--ridge", "1e-6", "--out", mean.toString(), "--labels-out", pred.toString());
        assertTrue(run.out().contains("accuracy 1.0000 (18 of 18 test points, 3 classes)"), run.out());
        assertEquals("(18, 3)", Npy.read(mean).shapeString());
        // the same regression on explicit one-hot targets (0.9 / -0.1) gives the same mean, bit for bit
        double[] onehot = new double[n * classes];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < classes; c++) {
                onehot[i * classes + c] = c == (int) ls[i] ? 0.9 : -0.1;
            }
        }
        Path y = write("onehot.npy", new int[] {n, classes}, onehot);
        Path mean2 = dir.resolve("cmean2.npy");
        ok("predict", "--arch", ARCH, "--train-x", x.toString(), "--train-y", y.toString(), "--test-x", t.toString(),
                "--kind", "nngp", "--ridge", "1e-6", "--out", mean2.toString());
        double[] m1 = Npy.read(mean).data;
        double[] m2 = Npy.read(mean2).data;
        for (int i = 0; i < m1.length; i++) {
            assertEquals(m2[i], m1[i], 0.0);
        }
        double[] p = Npy.read(pred).data;
        for (int i = 0; i < n; i++) {
            assertEquals(tl[i], p[i], 0.0);
        }
        // bad input: fractional label, labels with --train-y, labels without --classify
        Path frac = write("frac.npy", new int[] {n}, java.util.Arrays.stream(ls).map(v -> v + 0.5).toArray());
        KernelCommandTest.Run bad = KernelCommandTest.run("predict", "--arch", ARCH, "--train-x", x.toString(),
                "--classify", "--train-labels", frac.toString(), "--test-x", t.toString(), "--kind", "nngp", "--out",
                dir.resolve("no.npy").toString());
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("frac.npy") && bad.err().contains("not a class number"), bad.err());
        bad = KernelCommandTest.run("predict", "--arch", ARCH, "--train-x", x.toString(), "--classify", "--train-y",
                y.toString(), "--train-labels", l.toString(), "--test-x", t.toString(), "--kind", "nngp", "--out",
                dir.resolve("no.npy").toString());
        assertEquals(2, bad.status());
        bad = KernelCommandTest.run("predict", "--arch", ARCH, "--train-x", x.toString(), "--train-y", y.toString(),
                "--test-labels", tlab.toString(), "--test-x", t.toString(), "--kind", "nngp", "--out",
                dir.resolve("no.npy").toString());
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("need --classify"), bad.err());
        assertFalse(Files.exists(dir.resolve("no.npy")));
    }
}
