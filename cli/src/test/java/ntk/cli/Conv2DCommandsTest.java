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

/** The commands on images (n, height, width, channels) for Conv2D networks, and their one-line refusals. */
class Conv2DCommandsTest {
    @TempDir
    Path dir;

    static final String ARCH = "Conv2D(8, 3, padding=same, b_std=0.1), Residual(Relu, Conv2D(8, 3)), Relu, AvgPool2D(2),"
            + " GlobalAvgPool, Dense(1)";

    Path array(String name, long seed, int... shape) {
        return KernelCommandTest.gaussianNpy(dir, name, seed, shape);
    }

    @Test
    void everyCommandTakesImages() {
        Path x = array("x.npy", 1, 6, 4, 5, 2);
        Path z = array("z.npy", 2, 3, 4, 5, 2);
        Path y = array("y.npy", 3, 6, 1);
        Path k = dir.resolve("k.npy");
        assertEquals(0, KernelCommandTest.run("kernel", "--arch", ARCH, "--x1", x.toString(), "--x2", z.toString(),
                "--kind", "ntk", "--out", k.toString()).status());
        assertEquals("(6, 3)", Npy.read(k).shapeString());

        Path p = dir.resolve("p.npz");
        assertEquals(0, KernelCommandTest.run("init", "--arch", ARCH, "--input-shape", "4,5,2", "--seed", "1", "--out",
                p.toString()).status());
        Map<String, NdArray> params = Npz.read(p);
        assertEquals("(8, 2, 3, 3)", params.get("0.W").shapeString());
        assertEquals("(8, 8, 3, 3)", params.get("1.1.W").shapeString());
        assertEquals("(1, 8)", params.get("5.W").shapeString());

        Path e1 = dir.resolve("e1.npy");
        Path e2 = dir.resolve("e2.npy");
        assertEquals(0, KernelCommandTest.run("empirical", "--arch", ARCH, "--params", p.toString(), "--x1", x.toString(),
                "--x2", z.toString(), "--out", e1.toString()).status());
        assertEquals(0, KernelCommandTest.run("empirical", "--arch", ARCH, "--params", p.toString(), "--x1", x.toString(),
                "--x2", z.toString(), "--method", "jacobian", "--out", e2.toString()).status());
        assertArrayEquals(Npy.read(e2).data, Npy.read(e1).data, 1e-12 * ConvCommandsTest.maxAbs(Npy.read(e2).data));

        Path run = dir.resolve("run.npz");
        KernelCommandTest.Run r = KernelCommandTest.run("train", "--arch", ARCH, "--params", p.toString(), "--train-x",
                x.toString(), "--train-y", y.toString(), "--test-x", z.toString(), "--steps", "5", "--learning-rate",
                "0.1", "--out", run.toString(), "--no-progress");
        assertEquals(0, r.status(), r.err());
        assertEquals("(6, 3, 1)", Npz.read(run).get("test_out").shapeString());

        Path mean = dir.resolve("mean.npy");
        r = KernelCommandTest.run("predict", "--arch", ARCH, "--train-x", x.toString(), "--train-y", y.toString(),
                "--test-x", x.toString(), "--kind", "ntk", "--out", mean.toString());
        assertEquals(0, r.status(), r.err());
        assertArrayEquals(Npy.read(y).data, Npy.read(mean).data, 1e-7, "t = inf interpolates the training targets");

        r = KernelCommandTest.run("diagnose", "--arch", ARCH, "--train-x", x.toString(), "--json");
        assertEquals(0, r.status(), r.err());
        double[] ev = ntk.linalg.Linalg.symmetricEigenvalues(kernel(x, "ntk"), 6);
        assertEquals(ev[5], ConvCommandsTest.jsonNumber(r.out(), "lambda_max"), 1e-9 * ev[5]);

        Path pca = dir.resolve("pca.npz");
        r = KernelCommandTest.run("kernel-pca", "--arch", ARCH, "--train-x", x.toString(), "--kind", "ntk",
                "--components", "2", "--out", pca.toString());
        assertEquals(0, r.status(), r.err());

        Path mc = dir.resolve("mc.npy");
        assertEquals(0, KernelCommandTest.run("monte-carlo", "--arch", ARCH, "--x1", x.toString(), "--kind", "ntk",
                "--seeds", "2", "--out", mc.toString()).status());
        assertEquals("(6, 6)", Npy.read(mc).shapeString());
    }

    private double[] kernel(Path x, String kind) {
        Path k = dir.resolve("k-" + kind + ".npy");
        assertEquals(0, KernelCommandTest.run("kernel", "--arch", ARCH, "--x1", x.toString(), "--kind", kind, "--out",
                k.toString()).status());
        return Npy.read(k).data;
    }

    @Test
    void badShapesAreRefusedWithOneLine() {
        Path images = array("i.npy", 1, 4, 4, 5, 2);
        Path signals = array("s.npy", 2, 4, 5, 2);
        Path other = array("o.npy", 3, 4, 5, 4, 2);
        Path out = dir.resolve("k.npy");
        refused("signals for a 2-D spec", "--x1 must have shape (n, height, width, channels) for a 2-D convolutional"
                + " --arch (Conv2D, AvgPool2D), got (4, 5, 2)", "kernel", "--arch", ARCH, "--x1", signals.toString(),
                "--kind", "ntk", "--out", out.toString());
        refused("images for a 1-D spec", "(images (n, height, width, channels) need Conv2D layers)", "kernel", "--arch",
                "Conv1D(8, 3), Relu, Flatten, Dense(1)", "--x1", images.toString(), "--kind", "ntk", "--out",
                out.toString());
        refused("images for a dense spec", "must have shape (n, d) for a dense --arch", "kernel", "--arch",
                "Dense(8), Relu, Dense(1)", "--x1", images.toString(), "--kind", "ntk", "--out", out.toString());
        refused("images of another size", "--x2 has examples of shape (5, 4, 2) but --x1", "kernel", "--arch", ARCH,
                "--x1", images.toString(), "--x2", other.toString(), "--kind", "ntk", "--out", out.toString());
        refused("pool window past the image", "AvgPool2D(5): the window 5 x 5 is larger than the image 4 x 5", "kernel",
                "--arch", "Conv2D(8, 3), Relu, AvgPool2D(5), Flatten", "--x1", images.toString(), "--kind", "ntk",
                "--out", out.toString());
        refused("unknown padding", "padding must be one of circular, same", "kernel", "--arch",
                "Conv2D(8, 3, padding=valid), Flatten", "--x1", images.toString(), "--kind", "ntk", "--out",
                out.toString());
        refused("--input-shape of a signal", "--input-shape: expected HEIGHT,WIDTH,CHANNELS", "init", "--arch", ARCH,
                "--input-shape", "4,2", "--seed", "0", "--out", dir.resolve("p.npz").toString());
        refused("train on signals", "--train-x must have shape (n, height, width, channels)", "predict", "--arch", ARCH,
                "--train-x", signals.toString(), "--train-y", array("y.npy", 4, 4, 1).toString(), "--test-x",
                images.toString(), "--kind", "ntk", "--out", out.toString());
        assertFalse(Files.exists(out));
    }

    private void refused(String what, String fragment, String... args) {
        KernelCommandTest.Run r = KernelCommandTest.run(args);
        assertEquals(2, r.status(), what + ": " + r.err());
        assertTrue(r.err().contains(fragment), what + ": " + r.err());
        assertEquals(1, r.err().strip().lines().count(), what + ": one line, got " + r.err());
    }
}
