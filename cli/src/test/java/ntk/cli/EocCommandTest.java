package ntk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import ntk.activations.Tanh;
import ntk.io.NdArray;
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

    @Test
    void curveAndPlot() throws Exception {
        Path png = dir.resolve("eoc.png");
        KernelCommandTest.Run r = KernelCommandTest.run("eoc", "--activation", "Erf", "--sigma-b", "0.1", "--curve",
                "--sigma-b-max", "1", "--points", "4", "--plot", png.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(5, r.out().trim().split("\n").length, r.out());
        assertTrue(Files.size(png) > 1000);
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
        assertTrue(Files.size(dir.resolve("d.png")) > 1000);
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
                "--arch-kind", "conv", "--out", dir.resolve("c.npz").toString()},
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
