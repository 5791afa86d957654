package ntk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import ntk.activations.Tanh;
import ntk.NdArray;
import ntk.io.Npz;
import ntk.meanfield.EdgeOfChaos;
import ntk.meanfield.EocPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ntk eoc` and `ntk depth` end to end: the contract's JSON, files, and exit status 2 on bad input. */
class EocCommandTest {
    @TempDir
    Path dir;

    @Test
    void eocJsonFollowsTheContractAndTheApi() {
        KernelCommandTest.Run r = KernelCommandTest.run("eoc", "--activation", "Tanh", "--sigma-b", "0.2", "--json");
        assertEquals(0, r.status(), r.err());
        EocPoint p = new EdgeOfChaos(new Tanh()).find(0.2);
        assertEquals("{\"sigma_w\": " + p.sigmaW() + ", \"q_star\": " + p.qStar() + ", \"chi1\": " + p.chi1() + "}",
                r.out().trim());
        KernelCommandTest.Run relu = KernelCommandTest.run("eoc", "--activation", "Relu", "--sigma-b", "0", "--json");
        assertEquals(0, relu.status(), relu.err());
        assertTrue(relu.out().startsWith("{\"sigma_w\": 1.414213562373095"), relu.out());
        KernelCommandTest.Run text = KernelCommandTest.run("eoc", "--activation", "Erf", "--sigma-b", "0.5");
        assertEquals(0, text.status(), text.err());
        assertTrue(text.out().contains("sigma_w = "), text.out());
    }

    /**
     * Sigmoid has an edge of chaos (at large σ_w, where pre-activations saturate) and Silu has none at σ_b = 0.2
     * (its χ₁ = 1 fixed point repels the variance map); both against SciPy's adaptive quadrature
     * (bench/eoc_check.py, values in its docstring), not against ntk's own Gauss–Legendre rules.
     */
    @Test
    void sigmoidAndSiluAgreeWithAnIndependentScipyComputation() {
        double[][] sigmoid = {{0.0, 10.14926371, 45.6242777974}, {0.2, 10.1540302742, 45.7124527717}};
        for (double[] c : sigmoid) {
            KernelCommandTest.Run r = KernelCommandTest.run("eoc", "--activation", "Sigmoid", "--sigma-b",
                    String.valueOf(c[0]), "--json");
            assertEquals(0, r.status(), r.err());
            assertEquals(c[1], ConvCommandsTest.jsonNumber(r.out(), "sigma_w"), 1e-8 * c[1], r.out());
            assertEquals(c[2], ConvCommandsTest.jsonNumber(r.out(), "q_star"), 1e-8 * c[2], r.out());
        }
        KernelCommandTest.Run silu = KernelCommandTest.run("eoc", "--activation", "Silu", "--sigma-b", "0.2");
        assertEquals(2, silu.status(), silu.err());
        assertTrue(silu.err().contains("chi1 = 1 at q = 0.689453 (sigma_w = 1.67953) is a variance fixed point that"
                + " repels (V'(q) = 1.09873 > 1)"), silu.err());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("attracts the variance map for sigma_b >= ([0-9.e+-]+)")
                .matcher(silu.err());
        assertTrue(m.find(), silu.err());
        double lo = Double.parseDouble(m.group(1));
        assertEquals(0.7450793, lo, 1e-6, "where V'(q*) = 1 on Silu's EOC");
        assertTrue(0.2 < lo, "the range given must not contain the refused sigma_b");
        assertEquals(0, KernelCommandTest.run("eoc", "--activation", "Silu", "--sigma-b", "0.75").status());
    }

    @Test
    void curveAndPlot() throws Exception {
        Path png = dir.resolve("eoc.png");
        KernelCommandTest.Run r = KernelCommandTest.run("eoc", "--activation", "Erf", "--sigma-b", "0.1", "--curve",
                "--sigma-b-max", "1", "--points", "4", "--plot", png.toString());
        assertEquals(0, r.status(), r.err());
        String[] rows = r.out().trim().split("\n");
        assertEquals(5, rows.length, r.out());
        // Erf's Gaussian moments in closed form (Williams 1997): E[φ'(√q Z)²] = (4/π)/√(1 + 4q),
        // E[φ(√q Z)²] = (2/π) asin(2q/(1 + 2q)); every row must solve χ₁ = 1 and the variance equation.
        double[] sigmaB = {0.1, 0.4, 0.7, 1.0};
        for (int i = 0; i < 4; i++) {
            String[] f = rows[i + 1].trim().split("\\s+");
            double sb = Double.parseDouble(f[0]);
            double sw = Double.parseDouble(f[1]);
            double q = Double.parseDouble(f[2]);
            assertEquals(sigmaB[i], sb, 1e-12);
            assertEquals(1.0, sw * sw * 4 / Math.PI / Math.sqrt(1 + 4 * q), 1e-13, rows[i + 1]);
            assertEquals(q, sw * sw * 2 / Math.PI * Math.asin(2 * q / (1 + 2 * q)) + sb * sb, 1e-13 * q, rows[i + 1]);
        }
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertTrue(img != null && img.getWidth() > 100 && img.getHeight() > 100, "a PNG image");
    }

    @Test
    void depthWritesEveryDepth() throws Exception {
        Path out = dir.resolve("d.npz");
        KernelCommandTest.Run r = KernelCommandTest.run("depth", "--activation", "Relu", "--sigma-w",
                String.valueOf(Math.sqrt(2)), "--sigma-b", "0", "--max-depth", "30", "--out", out.toString(),
                "--plot", dir.resolve("d.png").toString());
        assertEquals(0, r.status(), r.err());
        Map<String, NdArray> a = Npz.read(out);
        assertEquals("(30, 4, 4)", a.get("ntk").shapeString());
        assertEquals("(30,)", a.get("lambda_min").shapeString());
        // Relu on its EOC: the average NTK's diagonal is q = σ_w²‖x‖²/d = 2 at every depth.
        assertEquals(2.0, a.get("ntk_normalised").data[29 * 16], 1e-12);
        for (int l = 0; l < 30; l++) {
            assertEquals(l + 1.0, a.get("depth").data[l], 0.0);
        }
        // NNGP at depth 1 is σ_w²⟨x, x'⟩/d (σ_b = 0) on the default inputs: 4 points of norm √2 in 2-d
        double[] x = a.get("x").data;
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double dot = (x[2 * i] * x[2 * j] + x[2 * i + 1] * x[2 * j + 1]) / 2;
                assertEquals(2 * dot, a.get("nngp").data[i * 4 + j], 1e-14, "depth 1 NNGP " + i + "," + j);
            }
        }
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(dir.resolve("d.png").toFile());
        assertTrue(img != null && img.getWidth() > 100 && img.getHeight() > 100, "a PNG image");
    }

    @Test
    void badInputExitsTwoWithOneLine() {
        String[][] cases = {
            {"eoc", "--activation", "Relu", "--sigma-b", "0.3"},
            {"eoc", "--activation", "Softplus", "--sigma-b", "0.3"},
            {"eoc", "--activation", "Rleu", "--sigma-b", "0.3"},
            {"eoc", "--activation", "Tanh", "--sigma-b", "-0.3"},
            {"depth", "--activation", "Tanh", "--sigma-w", "0", "--sigma-b", "0.1", "--max-depth", "5", "--out",
                dir.resolve("a.npz").toString()},
            {"depth", "--activation", "Tanh", "--sigma-w", "1", "--sigma-b", "0.1", "--max-depth", "0", "--out",
                dir.resolve("b.npz").toString()},
            {"depth", "--activation", "Tanh", "--sigma-w", "1", "--sigma-b", "0.1", "--max-depth", "3",
                "--arch-kind", "cnn", "--out", dir.resolve("c.npz").toString()},
        };
        for (String[] c : cases) {
            KernelCommandTest.Run r = KernelCommandTest.run(c);
            assertEquals(2, r.status(), String.join(" ", c) + ": " + r.err());
            assertEquals(1, r.err().trim().split("\n").length, r.err());
            assertTrue(r.err().startsWith("ntk: "), r.err());
        }
        assertFalse(Files.exists(dir.resolve("a.npz")));
    }
}
