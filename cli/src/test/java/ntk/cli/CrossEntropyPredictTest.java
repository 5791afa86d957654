package ntk.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import ntk.NdArray;
import ntk.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ntk predict --loss cross-entropy} against a second integrator written here (classical RK4 at a fixed small
 * step) driven by the kernels {@code ntk kernel} writes, its exact start, and its refusals.
 */
class CrossEntropyPredictTest {
    static final String ARCH = "Dense(64, b_std=0.1), Relu, Dense(64, b_std=0.1), Relu, Dense(1, b_std=0.1)";

    @TempDir
    Path dir;

    Path write(String name, int[] shape, double[] a) {
        Path p = dir.resolve(name);
        Npy.write(p, new NdArray(shape, a));
        return p;
    }

    @Test
    void logitsMatchAFixedStepIntegratorOnTheKernelsAndStartExactly() {
        int n = 9;
        int m = 4;
        int d = 3;
        int k = 3;
        Random r = new Random(5);
        double[] xa = new double[n * d];
        double[] ta = new double[m * d];
        double[] la = new double[n];
        double[] f0 = new double[m * k];
        for (int i = 0; i < xa.length; i++) {
            xa[i] = r.nextGaussian();
        }
        for (int i = 0; i < ta.length; i++) {
            ta[i] = r.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            la[i] = i % k;
        }
        for (int i = 0; i < f0.length; i++) {
            f0[i] = 0.1 * r.nextGaussian();
        }
        Path x = write("x.npy", new int[] {n, d}, xa);
        Path t = write("t.npy", new int[] {m, d}, ta);
        Path l = write("l.npy", new int[] {n}, la);
        Path f0t = write("f0t.npy", new int[] {m, k}, f0);
        Path out = dir.resolve("logits.npy");
        KernelCommandTest.Run run = KernelCommandTest.run("predict", "--arch", ARCH, "--train-x", x.toString(),
                "--test-x", t.toString(), "--kind", "ntk", "--loss", "cross-entropy", "--train-labels", l.toString(),
                "--f0-test", f0t.toString(), "--time", "0,0.5,2", "--out", out.toString());
        assertEquals(0, run.status(), run.err());
        NdArray got = Npy.read(out);
        assertArrayEquals(new int[] {3, m, k}, got.shape);
        assertArrayEquals(f0, java.util.Arrays.copyOfRange(got.data, 0, m * k), 0, "t = 0 is --f0-test exactly");
        // the kernels from `ntk kernel`, and RK4 at step 1e-3 written here
        Path kx = dir.resolve("kxx.npy");
        Path kt = dir.resolve("ktx.npy");
        assertEquals(0, KernelCommandTest.run("kernel", "--arch", ARCH, "--x1", x.toString(), "--kind", "ntk", "--out",
                kx.toString()).status());
        assertEquals(0, KernelCommandTest.run("kernel", "--arch", ARCH, "--x1", t.toString(), "--x2", x.toString(),
                "--kind", "ntk", "--out", kt.toString()).status());
        double[] kxx = Npy.read(kx).data;
        double[] ktx = Npy.read(kt).data;
        double[] fx = new double[n * k];
        double[] ft = f0.clone();
        double h = 1e-3;
        double time = 0;
        double[] checkpoints = {0.5, 2};
        int next = 0;
        while (next < checkpoints.length) {
            double[][] kk = new double[4][];
            double[][] kT = new double[4][];
            double[] cur = fx;
            for (int s = 0; s < 4; s++) {
                double[] g = gradient(cur, la, n, k);
                kk[s] = times(kxx, n, g, n, k);
                kT[s] = times(ktx, m, g, n, k);
                if (s < 3) {
                    double c = s < 2 ? h / 2 : h;
                    cur = fx.clone();
                    for (int i = 0; i < cur.length; i++) {
                        cur[i] += c * kk[s][i];
                    }
                }
            }
            for (int i = 0; i < fx.length; i++) {
                fx[i] += h / 6 * (kk[0][i] + 2 * kk[1][i] + 2 * kk[2][i] + kk[3][i]);
            }
            for (int i = 0; i < ft.length; i++) {
                ft[i] += h / 6 * (kT[0][i] + 2 * kT[1][i] + 2 * kT[2][i] + kT[3][i]);
            }
            time += h;
            if (Math.abs(time - checkpoints[next]) < h / 2) {
                double[] want = java.util.Arrays.copyOfRange(got.data, (next + 1) * m * k, (next + 2) * m * k);
                assertArrayEquals(ft, want, 1e-8, "t = " + checkpoints[next]);
                next++;
            }
        }
    }

    /** (softmax(F_i) − e_{y_i})/n. */
    private static double[] gradient(double[] f, double[] labels, int n, int k) {
        double[] g = new double[n * k];
        for (int i = 0; i < n; i++) {
            double z = 0;
            for (int c = 0; c < k; c++) {
                z += Math.exp(f[i * k + c]);
            }
            for (int c = 0; c < k; c++) {
                g[i * k + c] = (Math.exp(f[i * k + c]) / z - (c == (int) labels[i] ? 1 : 0)) / n;
            }
        }
        return g;
    }

    /** −A G for A (rows × n), G (n × k). */
    private static double[] times(double[] a, int rows, double[] g, int n, int k) {
        double[] o = new double[rows * k];
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < k; c++) {
                double v = 0;
                for (int j = 0; j < n; j++) {
                    v += a[i * n + j] * g[j * k + c];
                }
                o[i * k + c] = -v;
            }
        }
        return o;
    }

    @Test
    void refusals() throws Exception {
        Path x = write("x.npy", new int[] {4, 2}, new double[] {1, 0, 0, 1, -1, 0, 0, -1});
        Path l = write("l.npy", new int[] {4}, new double[] {0, 1, 0, 1});
        Path y = write("y.npy", new int[] {4, 1}, new double[] {0, 1, 0, 1});
        Path out = dir.resolve("o.npy");
        Files.writeString(out, "keep");
        String[] base = {"predict", "--arch", ARCH, "--train-x", x.toString(), "--test-x", x.toString(), "--kind", "ntk",
            "--out", out.toString(), "--loss", "cross-entropy"};
        String[][] bad = {
            {"--train-labels", l.toString(), "--time", "inf"},
            {"--train-labels", l.toString()},
            {"--train-y", y.toString(), "--time", "1"},
            {"--train-labels", l.toString(), "--time", "1", "--cov-out", dir.resolve("c.npy").toString()},
            {"--train-labels", l.toString(), "--time", "2,1"},
            {"--train-labels", l.toString(), "--time", "1", "--steps", "3", "--learning-rate", "0.1"},
            {"--train-labels", l.toString(), "--time", "1e12", "--max-steps", "1000"},
            {"--train-labels", l.toString(), "--time", "1", "--classify"},
        };
        for (String[] b : bad) {
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(b))
                    .toArray(String[]::new);
            KernelCommandTest.Run r = KernelCommandTest.run(args);
            assertEquals(2, r.status(), String.join(" ", b) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertEquals("keep", Files.readString(out), "the earlier output is untouched");
        }
        KernelCommandTest.Run r = KernelCommandTest.run("predict", "--arch", ARCH, "--train-x", x.toString(),
                "--test-x", x.toString(), "--kind", "ntk", "--out", out.toString(), "--loss", "hinge", "--train-y",
                y.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--loss"), r.err());
    }
}
