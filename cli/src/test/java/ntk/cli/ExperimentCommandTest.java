package ntk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import ntk.experiments.HayouFig1;
import ntk.NdArray;
import ntk.io.Npz;
import ntk.meanfield.ArchKind;
import ntk.meanfield.DepthAnalysis;
import ntk.meanfield.DepthProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ntk experiment depth`: every family's curves equal `ntk depth`'s analysis, and the report names them. */
class ExperimentCommandTest {
    @TempDir
    Path dir;

    @Test
    void depthExperimentWritesDataPlotsAndReport() throws Exception {
        Path root = dir.resolve("exp");
        KernelCommandTest.Run r = KernelCommandTest.run("experiment", "depth", "--max-depth", "40", "--out",
                root.toString());
        assertEquals(0, r.status(), r.err());
        Path out = root.resolve("hayou-fig1"); // `depth` is the alias of hayou-fig1
        for (String f : new String[] {"hayou-fig1.npz", "hayou-fig1-a.svg", "hayou-fig1-b.svg", "hayou-fig1-c.svg",
            "hayou-fig1-lambda-min.svg", "report.html", "summary.json"}) {
            assertTrue(Files.size(out.resolve(f)) > 100, f);
        }
        Map<String, NdArray> a = Npz.read(out.resolve("hayou-fig1.npz"));
        NdArray x = a.get("x");
        for (HayouFig1.Family f : HayouFig1.families()) {
            DepthProfile p = DepthAnalysis.run(f.act(), f.sigmaW(), f.sigmaB(), f.kind(), 40, x.data, x.dim(0), x.dim(1));
            double[] d = a.get(f.key() + "/distance").data;
            for (int l = 0; l < 40; l++) {
                // bit for bit: every kernel map is built from IEEE-exact operations (InverseTrig, Exponentials), so
                // the CLI's run and this one agree whatever the JIT had compiled by then
                assertEquals(p.distance()[l], d[l], 0.0, f.key() + " L=" + (l + 1));
            }
        }
        // the ResNet rows carry the derived limit 1/4; the chaotic row reaches rounding level exponentially
        assertEquals(0.25, a.get("resnet_relu_w1/limit").get(0, 1), 0.0);
        assertEquals(ArchKind.SCALED_RESNET, HayouFig1.families().stream()
                .filter(f -> f.key().equals("scaled_resnet_relu_w2")).findFirst().orElseThrow().kind());
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<td>b</td><td>Tanh, chaotic (σw=2.5, σb=0.2)</td><td>chaotic</td><td>diagonal</td><td>0</td>"),
                html);
        assertTrue(html.contains("exponential, rate"), html);
        assertTrue(html.contains("<svg") && html.contains("data-plot=\"hayou-fig1-a\""), html);
        String json = Files.readString(out.resolve("summary.json"));
        assertTrue(json.contains("\"max_depth\": 40") && json.contains("\"tanh_chaotic\"") && json.contains("\"rate_model\": \"exponential\""), json);
        // bad input: depth out of range, exit 2 and nothing written
        Path other = dir.resolve("none");
        KernelCommandTest.Run bad = KernelCommandTest.run("experiment", "depth", "--max-depth", "2", "--out",
                other.toString());
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--max-depth must be in [3, 1700]"), bad.err());
        assertTrue(!Files.exists(other));
        // the registry's alias: `training` is jacot-fig2
        KernelCommandTest.Run help = KernelCommandTest.run("experiment", "training", "--help");
        assertEquals(0, help.status(), help.err());
        assertTrue(help.out().contains("--learning-rate"), help.out());
    }
}
