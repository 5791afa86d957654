package ntk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import ntk.io.NdArray;
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
        Path out = dir.resolve("exp");
        KernelCommandTest.Run r = KernelCommandTest.run("experiment", "depth", "--max-depth", "40", "--out",
                out.toString());
        assertEquals(0, r.status(), r.err());
        for (String f : new String[] {"depth.npz", "depth-distance.png", "depth-lambda-min.png", "depth.md"}) {
            assertTrue(Files.size(out.resolve(f)) > 100, f);
        }
        Map<String, NdArray> a = Npz.read(out.resolve("depth.npz"));
        NdArray x = a.get("x");
        for (ExperimentCommand.Family f : ExperimentCommand.depthFamilies()) {
            DepthProfile p = DepthAnalysis.run(f.act(), f.sigmaW(), f.sigmaB(), f.kind(), 40, x.data, x.dim(0), x.dim(1));
            double[] d = a.get(f.key() + "/distance").data;
            for (int l = 0; l < 40; l++) {
                // bit for bit: every kernel map is built from IEEE-exact operations (InverseTrig, Exponentials), so
                // the CLI's run and this one agree whatever the JIT had compiled by then
                assertEquals(p.distance()[l], d[l], 0.0, f.key() + " L=" + (l + 1));
            }
        }
        // the ResNet rows carry the derived limit 1/4; the chaotic row reaches rounding level exponentially
        assertEquals(0.25, a.get("resnet_relu/limit").get(0, 1), 0.0);
        assertEquals(ArchKind.SCALED_RESNET, ExperimentCommand.depthFamilies().get(5).kind());
        String md = Files.readString(out.resolve("depth.md"));
        assertTrue(md.contains("| dense Tanh, chaotic (σw=2.5, σb=0.2) | chaotic | diagonal | 0 |"), md);
        assertTrue(md.contains("exponential, rate"), md);
        assertTrue(md.contains("![distance](depth-distance.png)"), md);
        // bad input: depth out of range, exit 2 and nothing new written
        Path other = dir.resolve("none");
        KernelCommandTest.Run bad = KernelCommandTest.run("experiment", "depth", "--max-depth", "2", "--out",
                other.toString());
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--max-depth must be in [3, 1700]"), bad.err());
        assertTrue(!Files.exists(other));
    }
}
