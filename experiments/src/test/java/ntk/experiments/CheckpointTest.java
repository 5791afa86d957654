package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ntk.BadInputException;
import ntk.data.Mnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A long run's finished pieces kept on disk, and hayou-table1 resumed from them. */
class CheckpointTest {
    @TempDir
    Path tmp;

    @Test
    void numbersComeBackBitForBit() {
        Checkpoint k = Checkpoint.open(tmp.resolve("k"), "--checkpoint", List.of("a 1", "b 2"));
        double[] v = {0.1 + 0.2, Double.NaN, -1, 1e-300, Double.MIN_VALUE, -0.0, 0.9433962264150944};
        assertNull(k.get("ReLU-seed0"));
        k.put("PReLU(α0=0.25)-seed1", v);
        double[] back = Checkpoint.open(tmp.resolve("k"), "--checkpoint", List.of("a 1", "b 2"))
                .get("PReLU(α0=0.25)-seed1");
        assertEquals(v.length, back.length);
        for (int i = 0; i < v.length; i++) {
            assertEquals(Double.doubleToRawLongBits(v[i]), Double.doubleToRawLongBits(back[i]), "value " + i);
        }
        assertEquals(List.of(Checkpoint.safe("PReLU(α0=0.25)-seed1")), k.pieces());
    }

    @Test
    void otherSettingsAndNonFoldersAreRefused() throws Exception {
        Checkpoint.open(tmp.resolve("k"), "--checkpoint", List.of("width 300", "batch 128"));
        BadInputException e = assertThrows(BadInputException.class, () -> Checkpoint.open(tmp.resolve("k"),
                "--checkpoint", List.of("width 300", "batch 64")));
        assertTrue(e.getMessage().contains("batch 128, this run: batch 64"), e.getMessage());
        assertThrows(BadInputException.class, () -> Checkpoint.open(tmp.resolve("k"), "--checkpoint",
                List.of("width 300")));
        Files.writeString(tmp.resolve("file"), "x");
        e = assertThrows(BadInputException.class, () -> Checkpoint.open(tmp.resolve("file"), "--checkpoint",
                List.of("a")));
        assertTrue(e.getMessage().contains("not a folder"), e.getMessage());
    }

    /**
     * A tiny Table 1 run kept in a checkpoint; then one network's file is removed (as if the run had been killed
     * while it trained) and another's accuracy changed by hand: the run started again trains the removed network
     * to the same numbers and takes the other's from the folder (so it did not train it again).
     */
    @Test
    void hayouTable1ResumesFromTheNetworksThatFinished() throws Exception {
        HayouTable1.Config c = new HayouTable1.Config(3, 8, 64, 64, 1, 2, 16, 1e-2, 2, 5,
                HayouTable1.activations().stream().filter(a -> a.name().equals("ReLU") || a.name().equals("Tanh"))
                        .toList());
        Mnist.Split data = Mnist.shippedSplit();
        Path dir = tmp.resolve("cells");
        List<String> settings = HayouTable1.checkpointSettings(c, data.source());
        HayouTable1.Result whole = HayouTable1.compute(c, data, Checkpoint.open(dir, "--checkpoint", settings),
                Progress.QUIET);
        Checkpoint k = Checkpoint.open(dir, "--checkpoint", settings);
        assertEquals(4, k.pieces().size());
        String removed = HayouTable1.piece(c, 1); // ReLU, second seed
        String edited = HayouTable1.piece(c, 2); // Tanh, first seed
        double[] cell = k.get(edited);
        Files.delete(dir.resolve(Checkpoint.safe(removed) + ".txt"));
        cell[1] = 0.875;
        k.put(edited, cell);
        HayouTable1.Result resumed = HayouTable1.compute(c, data, k, Progress.QUIET);
        assertArrayEquals(whole.row("ReLU").accuracy()[1], resumed.row("ReLU").accuracy()[1], 0.0);
        assertEquals(0.875, resumed.row("Tanh").accuracy()[0][1], 0.0);
        assertArrayEquals(whole.row("Tanh").accuracy()[1], resumed.row("Tanh").accuracy()[1], 0.0);
        // other settings (another width) may not reuse these networks
        HayouTable1.Config wider = new HayouTable1.Config(3, 9, 64, 64, 1, 2, 16, 1e-2, 2, 5, c.acts());
        assertThrows(BadInputException.class, () -> Checkpoint.open(dir, "--checkpoint",
                HayouTable1.checkpointSettings(wider, data.source())));
    }

    /** jacot-fig1 kept per (width, seed): a resumed run equals the whole one, and takes kept networks as they are. */
    @Test
    void jacotFig1ResumesFromTheNetworksThatFinished() throws Exception {
        JacotFig1.Config c = new JacotFig1.Config(new int[] {16, 32}, 2, 10, 1.0, 12, 15, 3);
        Path dir = tmp.resolve("fig1");
        List<String> settings = List.of("experiment jacot-fig1", "steps 10");
        JacotFig1.Result whole = JacotFig1.compute(c, Checkpoint.open(dir, "--checkpoint", settings), Progress.QUIET);
        Checkpoint k = Checkpoint.open(dir, "--checkpoint", settings);
        assertEquals(List.of("width16-seed3", "width16-seed4", "width32-seed3", "width32-seed4"), k.pieces());
        Files.delete(dir.resolve("width32-seed4.txt"));
        double[] edited = k.get("width16-seed3");
        edited[2 * c.grid()] = 0.25; // its final loss
        k.put("width16-seed3", edited);
        JacotFig1.Result resumed = JacotFig1.compute(c, k, Progress.QUIET);
        assertEquals(0.25, resumed.finalLoss()[0][0], 0.0);
        assertArrayEquals(whole.init()[1][1], resumed.init()[1][1], 0.0);
        assertArrayEquals(whole.trained()[1][1], resumed.trained()[1][1], 0.0);
        assertEquals(whole.finalLoss()[1][1], resumed.finalLoss()[1][1], 0.0);
        assertArrayEquals(whole.trained()[0][1], resumed.trained()[0][1], 0.0);
    }

    /**
     * hayou-sgd kept per SGD run (both kinds), Hessian kernel and Γ_0 of the width sweep: a resumed run recomputes the
     * deleted pieces bit for bit and takes the kept ones as they are (an edited output moves the mean by its share).
     */
    @Test
    void hayouSgdResumesFromTheRunsThatFinished() throws Exception {
        HayouSgd.Config c = new HayouSgd.Config(64, 2, 8, 5, 2, 0.5, 6, 3, 20, 200, 1, new int[] {16, 32}, 2);
        Path dir = tmp.resolve("sgd");
        List<String> settings = HayouSgd.checkpointSettings(c);
        HayouSgd.Result whole = HayouSgd.compute(c, Checkpoint.open(dir, "--checkpoint", settings), Progress.QUIET);
        Checkpoint k = Checkpoint.open(dir, "--checkpoint", settings);
        assertEquals(2 * c.runs() + 1 + 4, k.pieces().size(), k.pieces().toString());
        Files.delete(dir.resolve("sgd-run3.txt"));
        Files.delete(dir.resolve("gamma-width32-seed1.txt"));
        Files.delete(dir.resolve("hessian-kernel.npy"));
        double[] edited = k.get("reshuffled-run0");
        int lastPoint0 = (c.records() - 1) * c.m(); // run 0's output at the last record, test point 0
        double old = edited[lastPoint0];
        edited[lastPoint0] = 7.0;
        k.put("reshuffled-run0", edited);
        HayouSgd.Result resumed = HayouSgd.compute(c, k, Progress.QUIET);
        assertArrayEquals(whole.sgdOutputs(), resumed.sgdOutputs(), 0.0);
        assertArrayEquals(whole.sgdMean(), resumed.sgdMean(), 0.0);
        assertEquals(whole.reshuffledMean()[0] + (7.0 - old) / c.runs(), resumed.reshuffledMean()[0], 1e-12);
        assertArrayEquals(whole.routes().gammaMean(), resumed.routes().gammaMean(), 0.0);
        assertArrayEquals(whole.routes().gammaNorm()[1], resumed.routes().gammaNorm()[1], 0.0);
        assertTrue(Files.isRegularFile(dir.resolve("sgd-run3.txt")) && Files.isRegularFile(dir.resolve("hessian-kernel.npy")));
        HayouSgd.Config wider = new HayouSgd.Config(128, 2, 8, 5, 2, 0.5, 6, 3, 20, 200, 1, new int[] {16, 32}, 2);
        assertThrows(BadInputException.class, () -> Checkpoint.open(dir, "--checkpoint",
                HayouSgd.checkpointSettings(wider)));
    }

    /**
     * cntk-mnist kept per kernel block. Blocks put together equal the kernels the engine computes whole (to rounding:
     * the blocks are the same pairs, some through the cross rather than the symmetric path); a resumed run equals the
     * whole one bit for bit where a block was deleted, and carries a block's edited entry (it was read, not redone).
     */
    @Test
    void cntkMnistResumesFromTheKernelBlocksThatFinished() throws Exception {
        // 60 + 55 digits: two blocks of training rows (the second partial), two of test rows; 4 × 4 images, depth 2
        CntkMnist.Config c = new CntkMnist.Config(60, 55, 7, 2, ntk.layers.Conv2D.Padding.SAME);
        Mnist.Split data = Mnist.shippedSplit();
        Path dir = tmp.resolve("cntk");
        List<String> settings = CntkMnist.checkpointSettings(c, data.source());
        CntkMnist.Result whole = CntkMnist.compute(c, data, Checkpoint.open(dir, "--checkpoint", settings),
                Progress.QUIET);
        int n = c.train();
        int m = c.test();
        double[] x = CntkMnist.images(data.train().head(n), c.pool());
        double[] t = CntkMnist.images(data.test().head(m), c.pool());
        ntk.kernels.KernelEngine engine = new ntk.kernels.KernelEngine();
        for (CntkMnist.Arch a : List.of(CntkMnist.Arch.FC, CntkMnist.Arch.FLATTEN, CntkMnist.Arch.GAP)) {
            ntk.Shape shape = a == CntkMnist.Arch.FC ? ntk.Shape.dense(16) : ntk.Shape.image(4, 4, 1);
            ntk.arch.Network net = CntkMnist.network(a, c);
            ntk.kernels.Kernels kxx = engine.kernels(net, x, n, null, 0, shape, true);
            ntk.kernels.Kernels ktx = engine.kernels(net, t, m, x, n, shape, true);
            ntk.kernels.Kernels[] got = whole.kernels()[a.ordinal()];
            assertClose(kxx.nngp(), got[0].nngp(), a + " train NNGP");
            assertClose(kxx.ntk(), got[0].ntk(), a + " train NTK");
            assertClose(ktx.nngp(), got[1].nngp(), a + " test NNGP");
            assertClose(ktx.ntk(), got[1].ntk(), a + " test NTK");
        }
        Checkpoint k = Checkpoint.open(dir, "--checkpoint", settings);
        assertEquals(2 * CntkMnist.Arch.values().length * 4, k.pieces().size(), "4 blocks per architecture, each"
                + " with its seconds");
        String removed = CntkMnist.blockPiece(CntkMnist.Arch.GAP, 1, n); // training rows 50-59
        String edited = CntkMnist.blockPiece(CntkMnist.Arch.FLATTEN, 2, n); // test rows 0-49
        assertEquals("gap-train-rows-50-100", removed);
        Files.delete(dir.resolve(removed + ".npy"));
        ntk.NdArray block = k.getArray(edited);
        block.data()[1] = 123.0; // NNGP of test digit 0 against training digit 1
        k.putArray(edited, block);
        CntkMnist.Result resumed = CntkMnist.compute(c, data, k, Progress.QUIET);
        ntk.kernels.Kernels[] w = whole.kernels()[CntkMnist.Arch.GAP.ordinal()];
        ntk.kernels.Kernels[] r = resumed.kernels()[CntkMnist.Arch.GAP.ordinal()];
        assertArrayEquals(w[0].nngp(), r[0].nngp(), 0.0);
        assertArrayEquals(w[0].ntk(), r[0].ntk(), 0.0);
        assertEquals(123.0, resumed.kernels()[CntkMnist.Arch.FLATTEN.ordinal()][1].nngp()[1], 0.0);
        for (CntkMnist.Arch a : List.of(CntkMnist.Arch.FC, CntkMnist.Arch.LCN_GAP)) {
            assertEquals(whole.passCpuSeconds()[a.ordinal()], resumed.passCpuSeconds()[a.ordinal()], 0.0,
                    a + ": a kept block's seconds come from its file");
        }
        Files.delete(dir.resolve(removed + "-seconds.txt"));
        assertThrows(BadInputException.class, () -> CntkMnist.compute(c, data, k, Progress.QUIET),
                "a block without its seconds is refused, not silently mixed");
        CntkMnist.Config deeper = new CntkMnist.Config(60, 55, 7, 3, ntk.layers.Conv2D.Padding.SAME);
        assertThrows(BadInputException.class, () -> Checkpoint.open(dir, "--checkpoint",
                CntkMnist.checkpointSettings(deeper, data.source())));
    }

    private static void assertClose(double[] want, double[] got, String what) {
        assertEquals(want.length, got.length, what);
        double max = 0;
        for (double v : want) {
            max = Math.max(max, Math.abs(v));
        }
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-13 * max, what + " entry " + i);
        }
    }
}
