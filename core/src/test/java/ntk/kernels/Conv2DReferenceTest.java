package ntk.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import ntk.Parameterization;
import ntk.Shape;
import ntk.arch.Network;
import ntk.NdArray;
import ntk.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 2-D CNN-GP and CNTK against an independent NumPy implementation of the papers' recursions
 * ({@code cnn_gp_reference.py}: full 4-D pixel-pair covariances, diagonal traces by shifted copies, closed-form
 * activations; Novak et al. 2019, Arora et al. 2019), to 1e-9. Skipped without python3 and NumPy, except under CI=true.
 */
class Conv2DReferenceTest {
    @TempDir
    Path dir;

    /** Each case: the spec, the parameterisation, the reference's layer list. */
    static final String[][] CASES = {
        {"Conv2D(5, 3, W_std=1.4, b_std=0.2), Relu, Conv2D(4, 3, W_std=1.3, b_std=0.1), Relu, GlobalAvgPool, Dense(1,"
                + " W_std=1.1, b_std=0.3)", "ntk",
            "[[\"conv\", 5, 3, \"circular\", 1.4, 0.2], [\"relu\"], [\"conv\", 4, 3, \"circular\", 1.3, 0.1], [\"relu\"],"
                + " [\"gap\"], [\"dense\", 1, 1.1, 0.3]]"},
        {"Conv2D(5, 3, padding=same, W_std=1.4, b_std=0.2), Erf, Conv2D(4, 3, padding=same, W_std=1.2), Relu, Flatten,"
                + " Dense(3, b_std=0.1), Relu, Dense(1)", "ntk",
            "[[\"conv\", 5, 3, \"same\", 1.4, 0.2], [\"erf\"], [\"conv\", 4, 3, \"same\", 1.2, 0.0], [\"relu\"],"
                + " [\"flatten\"], [\"dense\", 3, 1.0, 0.1], [\"relu\"], [\"dense\", 1, 1.0, 0.0]]"},
        {"Conv2D(5, 3, padding=same, W_std=1.4, b_std=0.2), Relu, AvgPool2D(2), Conv2D(4, 3, W_std=1.2, b_std=0.1), Relu,"
                + " GlobalAvgPool, Dense(1)", "ntk",
            "[[\"conv\", 5, 3, \"same\", 1.4, 0.2], [\"relu\"], [\"avgpool\", 2], [\"conv\", 4, 3, \"circular\", 1.2, 0.1],"
                + " [\"relu\"], [\"gap\"], [\"dense\", 1, 1.0, 0.0]]"},
        {"Conv2D(5, 3, padding=same, W_std=1.4, b_std=0.2), Relu, Conv2D(4, 5, padding=same), Relu, AvgPool2D(2),"
                + " Flatten, Dense(2, b_std=0.1), Erf, Dense(1)", "standard",
            "[[\"conv\", 5, 3, \"same\", 1.4, 0.2], [\"relu\"], [\"conv\", 4, 5, \"same\", 1.0, 0.0], [\"relu\"],"
                + " [\"avgpool\", 2], [\"flatten\"], [\"dense\", 2, 1.0, 0.1], [\"erf\"], [\"dense\", 1, 1.0, 0.0]]"},
        {"Conv2D(6, 3, W_std=1.3), Relu, Conv2D(6, 3, padding=same, b_std=0.3), Erf, GlobalAvgPool, Dense(1)",
            "standard",
            "[[\"conv\", 6, 3, \"circular\", 1.3, 0.0], [\"relu\"], [\"conv\", 6, 3, \"same\", 1.0, 0.3], [\"erf\"],"
                + " [\"gap\"], [\"dense\", 1, 1.0, 0.0]]"},
        // locally connected layers (no weight sharing): the reference zeroes every pixel pair (i, j) != (i', j')
        {"LocallyConnected2D(5, 3, W_std=1.4, b_std=0.2), Relu, LocallyConnected2D(4, 3, padding=same, W_std=1.3,"
                + " b_std=0.1), Relu, GlobalAvgPool, Dense(1, W_std=1.1, b_std=0.3)", "ntk",
            "[[\"lconv\", 5, 3, \"circular\", 1.4, 0.2], [\"relu\"], [\"lconv\", 4, 3, \"same\", 1.3, 0.1],"
                + " [\"relu\"], [\"gap\"], [\"dense\", 1, 1.1, 0.3]]"},
        {"Conv2D(5, 3, padding=same, W_std=1.4, b_std=0.2), Erf, LocallyConnected2D(4, 3, W_std=1.2, b_std=0.3), Relu,"
                + " AvgPool2D(2), Conv2D(3, 3, W_std=1.1), Relu, GlobalAvgPool, Dense(1)", "standard",
            "[[\"conv\", 5, 3, \"same\", 1.4, 0.2], [\"erf\"], [\"lconv\", 4, 3, \"circular\", 1.2, 0.3],"
                + " [\"relu\"], [\"avgpool\", 2], [\"conv\", 3, 3, \"circular\", 1.1, 0.0], [\"relu\"], [\"gap\"],"
                + " [\"dense\", 1, 1.0, 0.0]]"},
        {"LocallyConnected2D(5, 3, padding=same, W_std=1.3, b_std=0.1), Relu, LocallyConnected2D(4, 3, W_std=1.2),"
                + " Relu, Flatten, Dense(2, b_std=0.1), Relu, Dense(1)", "standard",
            "[[\"lconv\", 5, 3, \"same\", 1.3, 0.1], [\"relu\"], [\"lconv\", 4, 3, \"circular\", 1.2, 0.0],"
                + " [\"relu\"], [\"flatten\"], [\"dense\", 2, 1.0, 0.1], [\"relu\"], [\"dense\", 1, 1.0, 0.0]]"}};

    @Test
    void kernelsAgreeWithTheNumpyReference() throws Exception {
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Process probe;
        try {
            probe = new ProcessBuilder(python, "-c", "import numpy").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            assertTrue(probe.waitFor(60, TimeUnit.SECONDS));
        } catch (java.io.IOException e) {
            probe = null;
        }
        if (probe == null || probe.exitValue() != 0) {
            ntk.CrossChecks.toolMissing(python + " cannot import numpy");
        }
        int n1 = 3;
        int n2 = 2;
        int h = 5;
        int w = 4;
        int c = 2;
        Shape shape = Shape.image(h, w, c);
        double[] x1 = AnalyticKernelTest.randomInputs(n1, h * w * c, 41);
        double[] x2 = AnalyticKernelTest.randomInputs(n2, h * w * c, 42);
        Map<String, NdArray> in = new LinkedHashMap<>();
        in.put("x1", new NdArray(new int[] {n1, h, w, c}, x1));
        in.put("x2", new NdArray(new int[] {n2, h, w, c}, x2));
        Npz.write(dir.resolve("in.npz"), in);
        StringBuilder json = new StringBuilder("[");
        for (String[] cs : CASES) {
            json.append(json.length() > 1 ? ", " : "").append("{\"standard\": ").append(cs[1].equals("standard"))
                    .append(", \"layers\": ").append(cs[2]).append('}');
        }
        Files.writeString(dir.resolve("layers.json"), json.append(']').toString());
        Path script = Path.of(Conv2DReferenceTest.class.getResource("cnn_gp_reference.py").toURI());
        Process p = new ProcessBuilder(python, script.toString(), dir.resolve("in.npz").toString(),
                dir.resolve("layers.json").toString(), dir.resolve("out.npz").toString()).redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), log);
        Map<String, NdArray> ref = Npz.read(dir.resolve("out.npz"));
        KernelEngine e = new KernelEngine(2);
        for (int a = 0; a < CASES.length; a++) {
            Parameterization pz = CASES[a][1].equals("standard") ? Parameterization.STANDARD : Parameterization.NTK;
            Network net = Network.parse(CASES[a][0], pz);
            Kernels k = e.kernels(net, x1, n1, x2, n2, shape, true);
            ConvKernelTest.assertClose(ref.get("nngp_" + a).data, k.nngp(), 1e-9, CASES[a][0] + " NNGP");
            ConvKernelTest.assertClose(ref.get("ntk_" + a).data, k.ntk(), 1e-9, CASES[a][0] + " NTK");
        }
    }
}
