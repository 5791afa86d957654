package ntk.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import ntk.NdArray;
import ntk.io.Npy;
import ntk.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ntk init`, `ntk empirical` and `ntk train` end to end, and their refusals. */
class FiniteCommandsTest {
    @TempDir
    Path dir;

    static final String ARCH = "Dense(64, b_std=0.1), Relu, Dense(64), Erf, Dense(2)";

    Path matrix(String name, int n, int d, long seed) {
        return KernelCommandTest.gaussianNpy(dir, name, seed, n, d);
    }

    @Test
    void initEmpiricalAndTrainRoundTrip() {
        Path params = dir.resolve("p.npz");
        Path x = matrix("x.npy", 10, 3, 1);
        Path y = matrix("y.npy", 10, 2, 2);
        Path t = matrix("t.npy", 4, 3, 3);
        assertEquals(0, KernelCommandTest.run("init", "--arch", ARCH, "--input-dim", "3", "--seed", "5", "--out",
                params.toString()).status());
        Map<String, NdArray> p = Npz.read(params);
        assertEquals(java.util.List.of("0.W", "0.b", "2.W", "2.b", "4.W", "4.b"), new java.util.ArrayList<>(p.keySet()));
        assertEquals("(64, 3)", p.get("0.W").shapeString());
        assertEquals("(2, 64)", p.get("4.W").shapeString());
        // seeds reproduce
        Path again = dir.resolve("p2.npz");
        KernelCommandTest.run("init", "--arch", ARCH, "--input-dim", "3", "--seed", "5", "--out", again.toString());
        assertEquals(p, Npz.read(again));

        Path full = dir.resolve("k.npy");
        Path ref = dir.resolve("kj.npy");
        Path traced = dir.resolve("kt.npy");
        assertEquals(0, KernelCommandTest.run("empirical", "--arch", ARCH, "--params", params.toString(), "--x1",
                x.toString(), "--x2", t.toString(), "--out", full.toString()).status());
        assertEquals(0, KernelCommandTest.run("empirical", "--arch", ARCH, "--params", params.toString(), "--x1",
                x.toString(), "--x2", t.toString(), "--out", ref.toString(), "--method", "jacobian").status());
        assertEquals(0, KernelCommandTest.run("empirical", "--arch", ARCH, "--params", params.toString(), "--x1",
                x.toString(), "--x2", t.toString(), "--out", traced.toString(), "--trace").status());
        NdArray k = Npy.read(full);
        NdArray kj = Npy.read(ref);
        NdArray kt = Npy.read(traced);
        assertEquals("(10, 4, 2, 2)", k.shapeString());
        assertEquals("(10, 4)", kt.shapeString());
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals((k.get(i, j, 0, 0) + k.get(i, j, 1, 1)) / 2, kt.get(i, j), 1e-12 * Math.abs(kt.get(i, j)));
                for (int a = 0; a < 2; a++) {
                    for (int b = 0; b < 2; b++) {
                        assertEquals(kj.get(i, j, a, b), k.get(i, j, a, b), 1e-12 * (1 + Math.abs(kj.get(i, j, a, b))));
                    }
                }
            }
        }

        Path run = dir.resolve("run.npz");
        Path csv = dir.resolve("run.csv");
        KernelCommandTest.Run r = KernelCommandTest.run("train", "--arch", ARCH, "--params", params.toString(),
                "--train-x", x.toString(), "--train-y", y.toString(), "--steps", "20", "--learning-rate", "0.5",
                "--test-x", t.toString(), "--record-every", "5", "--out", run.toString(), "--csv", csv.toString());
        assertEquals(0, r.status(), r.err());
        Map<String, NdArray> rec = Npz.read(run);
        assertEquals("(5,)", rec.get("step").shapeString());
        assertEquals(20.0, rec.get("step").get(4));
        assertEquals("(5, 4, 2)", rec.get("test_out").shapeString());
        assertTrue(rec.get("loss").get(4) < rec.get("loss").get(0));
        assertEquals(0.0, rec.get("kernel_change").get(0));
        assertTrue(rec.get("kernel_change").get(4) > 0);
        assertTrue(rec.containsKey("params/4.b"));
        assertTrue(rec.containsKey("linearization_gap"));
        // the record's parameters are accepted as --params (continue training)
        assertEquals(0, KernelCommandTest.run("empirical", "--arch", ARCH, "--params", run.toString(), "--x1",
                x.toString(), "--out", dir.resolve("k2.npy").toString()).status());
        assertTrue(Files.exists(csv));
        // --record-kernel: the empirical NTK at every record, the first equal to `ntk empirical` on θ₀
        Path runK = dir.resolve("runk.npz");
        assertEquals(0, KernelCommandTest.run("train", "--arch", ARCH, "--params", params.toString(), "--train-x",
                x.toString(), "--train-y", y.toString(), "--steps", "20", "--learning-rate", "0.5", "--record-every",
                "10", "--record-kernel", "--out", runK.toString()).status());
        NdArray kernels = Npz.read(runK).get("kernel");
        Path k0 = dir.resolve("k0.npy");
        assertEquals(0, KernelCommandTest.run("empirical", "--arch", ARCH, "--params", params.toString(), "--x1",
                x.toString(), "--out", k0.toString()).status());
        NdArray first = Npy.read(k0);
        int[] shape = new int[first.rank() + 1];
        shape[0] = 3;
        System.arraycopy(first.shape, 0, shape, 1, first.rank());
        assertArrayEquals(shape, kernels.shape, "(r, n, n, o, o)");
        for (int i = 0; i < first.data.length; i++) {
            assertEquals(first.data[i], kernels.data[i], 1e-12 * Math.abs(first.data[0]));
        }

        // standard parameterisation as a global option
        Path ps = dir.resolve("ps.npz");
        assertEquals(0, KernelCommandTest.run("--parameterization", "standard", "init", "--arch", ARCH, "--input-dim",
                "3", "--seed", "5", "--out", ps.toString()).status());
        double w = Npz.read(ps).get("0.W").get(0, 0);
        assertEquals(p.get("0.W").get(0, 0) / Math.sqrt(3), w, 1e-15);
    }

    @Test
    void badParamsAndDivergenceExitTwo() {
        Path params = dir.resolve("p.npz");
        Path x = matrix("x.npy", 6, 3, 1);
        Path y = matrix("y.npy", 6, 2, 2);
        Path y5 = matrix("y5.npy", 5, 2, 2);
        KernelCommandTest.run("init", "--arch", ARCH, "--input-dim", "3", "--seed", "5", "--out", params.toString());
        Map<String, NdArray> p = new LinkedHashMap<>(Npz.read(params));
        p.remove("2.b");
        Path missing = dir.resolve("missing.npz");
        Npz.write(missing, p);
        Path out = dir.resolve("o.npy");
        KernelCommandTest.Run r = KernelCommandTest.run("empirical", "--arch", ARCH, "--params", missing.toString(),
                "--x1", x.toString(), "--out", out.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("missing key '2.b'"), r.err());
        r = KernelCommandTest.run("empirical", "--arch", "Dense(32), Relu, Dense(2)", "--params", params.toString(),
                "--x1", x.toString(), "--out", out.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("key '0.W' has shape (64, 3), expected (32, 3)"), r.err());
        assertFalse(Files.exists(out));
        r = KernelCommandTest.run("train", "--arch", ARCH, "--params", params.toString(), "--train-x", x.toString(),
                "--train-y", y5.toString(), "--steps", "3", "--learning-rate", "0.1", "--out", out.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("5 rows but there are 6"), r.err());
        r = KernelCommandTest.run("train", "--arch", ARCH, "--params", params.toString(), "--train-x", x.toString(),
                "--train-y", y.toString(), "--steps", "3", "--learning-rate", "-0.1", "--out", out.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--learning-rate must be a positive number"), r.err());
        Path run = dir.resolve("run.npz");
        r = KernelCommandTest.run("train", "--arch", ARCH, "--params", params.toString(), "--train-x", x.toString(),
                "--train-y", y.toString(), "--steps", "2000", "--learning-rate", "500", "--out", run.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("diverged at step"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        Map<String, NdArray> rec = Npz.read(run);
        for (double l : rec.get("loss").data) {
            assertTrue(Double.isFinite(l));
        }
    }
    /**
     * Classification end to end: cross-entropy on labels for epochs of minibatches with a learning-rate drop; the
     * recorded test accuracy is the argmax accuracy of the recorded test outputs, and the refusals name their flag.
     */
    @Test
    void classificationByEpochs() throws Exception {
        Path params = dir.resolve("p.npz");
        Path x = matrix("x.npy", 12, 3, 1);
        Path t = matrix("t.npy", 5, 3, 3);
        Path labels = dir.resolve("l.npy");
        Npy.write(labels, new NdArray(new int[] {12}, new double[] {0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0}));
        Path testLabels = dir.resolve("tl.npy"); // int64, as np.save writes integer labels
        java.nio.ByteBuffer le = java.nio.ByteBuffer.allocate(5 * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long v : new long[] {1, 0, 1, 1, 0}) {
            le.putLong(v);
        }
        String header = "{'descr': '<i8', 'fortran_order': False, 'shape': (5,), }";
        header = header + " ".repeat(63 - header.length()) + "\n";
        java.io.ByteArrayOutputStream img = new java.io.ByteArrayOutputStream();
        img.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 64, 0});
        img.write(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        img.write(le.array());
        Files.write(testLabels, img.toByteArray());
        assertEquals(0, KernelCommandTest.run("init", "--arch", ARCH, "--input-dim", "3", "--seed", "5", "--out",
                params.toString()).status());
        Path run = dir.resolve("run.npz");
        Path csv = dir.resolve("run.csv");
        KernelCommandTest.Run r = KernelCommandTest.run("train", "--arch", ARCH, "--params", params.toString(),
                "--train-x", x.toString(), "--train-labels", labels.toString(), "--loss", "cross-entropy", "--epochs",
                "4", "--batch-size", "5", "--seed", "2", "--learning-rate", "0.5", "--lr-drops", "0.5", "--test-x",
                t.toString(), "--test-labels", testLabels.toString(), "--kernel-probe", "4", "--out", run.toString(),
                "--csv", csv.toString());
        assertEquals(0, r.status(), r.err());
        Map<String, NdArray> rec = Npz.read(run);
        assertArrayEquals(new double[] {0, 1, 2, 3, 4}, rec.get("epoch").data);
        assertArrayEquals(new double[] {0, 3, 6, 9, 12}, rec.get("step").data);
        assertArrayEquals(new double[] {0.5, 0.5, 0.05, 0.05, 0.05}, rec.get("learning_rate").data, 1e-16);
        NdArray out = rec.get("test_out");
        double[] tl = Npy.read(testLabels).data;
        for (int e = 0; e < 5; e++) {
            int right = 0;
            for (int i = 0; i < 5; i++) {
                int best = out.get(e, i, 1) > out.get(e, i, 0) ? 1 : 0;
                right += best == tl[i] ? 1 : 0;
            }
            assertEquals(right / 5.0, rec.get("test_accuracy").get(e), 1e-15);
        }
        for (String key : new String[] {"loss", "train_loss", "train_accuracy", "kernel_change", "param_change",
            "linearization_gap"}) {
            assertEquals("(5,)", rec.get(key).shapeString(), key);
        }
        assertTrue(rec.get("loss").get(4) < rec.get("loss").get(0));
        assertEquals("epoch", Files.readAllLines(csv).get(0).split(",")[1]);
        // refusals
        r = KernelCommandTest.run("train", "--arch", ARCH, "--params", params.toString(), "--train-x", x.toString(),
                "--train-labels", labels.toString(), "--loss", "cross-entropy", "--epochs", "2", "--steps", "3",
                "--learning-rate", "0.1", "--out", run.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--steps k or --epochs E"), r.err());
        Path bad = dir.resolve("bad.npy");
        Npy.write(bad, new NdArray(new int[] {12}, new double[] {0, 1, 2, 0, 1, 0, 0, 1, 1, 1, 0, 0}));
        r = KernelCommandTest.run("train", "--arch", ARCH, "--params", params.toString(), "--train-x", x.toString(),
                "--train-labels", bad.toString(), "--loss", "cross-entropy", "--epochs", "2", "--learning-rate", "0.1",
                "--out", dir.resolve("o.npz").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("entry 2 is 2.0, not a class in [0, 2)"), r.err());
        assertFalse(Files.exists(dir.resolve("o.npz")));
        r = KernelCommandTest.run("train", "--arch", ARCH, "--params", params.toString(), "--train-x", x.toString(),
                "--train-labels", labels.toString(), "--epochs", "2", "--learning-rate", "0.1", "--out",
                dir.resolve("o.npz").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--loss mse trains on --train-y"), r.err());
        // the training settings are checked by the core's builder, whose messages name each setting by its flag
        String[][] refused = {{"--batch-size", "0", "ntk: --batch-size must be positive, got 0"},
            {"--batch-size", "13", "ntk: --batch-size 13 exceeds the 12 training points"},
            {"--record-every", "0", "ntk: --record-every must be positive, got 0"},
            {"--kernel-probe", "-1", "ntk: --kernel-probe must be non-negative, got -1"},
            {"--lr-drops", "0.5,1.5", "ntk: --lr-drops: learning-rate drops are fractions of training in (0, 1), got 1.5"},
            {"--epochs", "0", "ntk: --epochs must be positive, got 0"}};
        for (String[] c : refused) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", "--arch", ARCH, "--params",
                    params.toString(), "--train-x", x.toString(), "--train-labels", labels.toString(), "--loss",
                    "cross-entropy", "--learning-rate", "0.1", "--out", dir.resolve("o.npz").toString(), c[0], c[1]));
            if (!c[0].equals("--epochs")) {
                args.addAll(java.util.List.of("--epochs", "2"));
            }
            r = KernelCommandTest.run(args.toArray(String[]::new));
            assertEquals(2, r.status(), c[0]);
            assertEquals(c[2], r.err().strip(), c[0]);
        }
        assertFalse(Files.exists(dir.resolve("o.npz")));
    }
}
