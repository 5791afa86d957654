package ntk.spark;

import ntk.KernelKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import ntk.BadInputException;
import ntk.arch.Network;
import ntk.Parameterization;
import ntk.dynamics.KernelRegression;
import ntk.NdArray;
import ntk.io.Npy;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark engine on local[2] against the core's single-machine engine and direct Cholesky solve (the independent
 * evidence: a second, whole-matrix computation), with a task that fails on its first attempt (local[2,3] allows
 * Spark three attempts per task).
 */
class SparkEngineTest {
    static JavaSparkContext sc;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        org.apache.logging.log4j.core.config.Configurator.setRootLevel(org.apache.logging.log4j.Level.ERROR);
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2,3]").setAppName("ntk-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    static NdArray gaussian(long seed, int... shape) {
        Random r = new Random(seed);
        NdArray a = NdArray.zeros(shape);
        for (int i = 0; i < a.data.length; i++) {
            a.data[i] = r.nextGaussian();
        }
        return a;
    }

    static Kernels local(String arch, NdArray x1, NdArray x2, boolean ntk) {
        return new KernelEngine(2).kernels(Network.parse(arch, Parameterization.NTK), x1, x2, ntk ? KernelKind.NTK : KernelKind.NNGP);
    }

    /** Runs the block job into a fresh directory and assembles it. */
    NdArray spark(String arch, NdArray x1, NdArray x2, boolean ntk, int b, int failOnce) throws Exception {
        Path blocks = Files.createTempDirectory(dir, "blocks");
        KernelJob.run(sc, KernelSpec.of(arch, "ntk", x1, ntk), x1, x2, b, blocks, failOnce);
        Path out = dir.resolve("k-" + System.nanoTime() + ".npy");
        int n2 = x2 == null ? x1.dim(0) : x2.dim(0);
        KernelJob.assemble(blocks, x1.dim(0), n2, b, x2 == null, out);
        return Npy.read(out);
    }

    static void assertClose(double[] want, double[] got, double rel) {
        assertEquals(want.length, got.length);
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            scale = Math.max(scale, Math.abs(want[i]));
            worst = Math.max(worst, Math.abs(want[i] - got[i]));
        }
        assertTrue(worst <= rel * scale, "max |difference| " + worst + " > " + rel + " * " + scale);
    }

    static final String DEEP = "Dense(512, b_std=0.1), Relu, Dense(512, b_std=0.1), Erf, Dense(512), Relu, Dense(1)";

    @Test
    void symmetricNtkInBlocksEqualsTheWholeMatrix() throws Exception {
        NdArray x = gaussian(1, 150, 12);
        NdArray k = spark(DEEP, x, null, true, 40, -1); // 4 × 4 blocks, 10 computed, last ones ragged
        assertEquals("(150, 150)", k.shapeString());
        assertClose(local(DEEP, x, null, true).ntk(), k.data, 1e-12);
    }

    @Test
    void crossNngpInBlocksEqualsTheWholeMatrix() throws Exception {
        NdArray x1 = gaussian(2, 97, 12);
        NdArray x2 = gaussian(3, 70, 12);
        NdArray k = spark(DEEP, x1, x2, false, 32, -1); // 4 × 3 blocks
        assertEquals("(97, 70)", k.shapeString());
        assertClose(local(DEEP, x1, x2, false).nngp(), k.data, 1e-12);
    }

    @Test
    void convolutionalNtkOnSignalsInBlocks() throws Exception {
        String conv = "Conv1D(16, 3), Relu, Conv1D(16, 3, b_std=0.1), Relu, GlobalAvgPool, Dense(1)";
        NdArray x = gaussian(4, 37, 8, 2);
        NdArray k = spark(conv, x, null, true, 12, -1); // 4 × 4 blocks
        assertClose(local(conv, x, null, true).ntk(), k.data, 1e-12);
    }

    /** Images (n, height, width, channels): a pooled CNTK and a Flatten CNN-GP in blocks equal the local kernels. */
    @Test
    void convolutionalKernelsOnImagesInBlocks() throws Exception {
        String pooled = "Conv2D(8, 3), Relu, AvgPool2D(2), Conv2D(8, 3, padding=same), Relu, GlobalAvgPool, Dense(1)";
        NdArray x = gaussian(6, 23, 6, 5, 2);
        NdArray k = spark(pooled, x, null, true, 8, -1); // 3 × 3 blocks, symmetric
        assertEquals("(23, 23)", k.shapeString());
        assertClose(local(pooled, x, null, true).ntk(), k.data, 1e-12);
        String flat = "Conv2D(8, 3, padding=same), Relu, Flatten, Dense(1)";
        NdArray t = gaussian(7, 9, 6, 5, 2);
        NdArray kt = spark(flat, x, t, false, 8, -1); // 3 × 2 cross blocks
        assertEquals("(23, 9)", kt.shapeString());
        assertClose(local(flat, x, t, false).nngp(), kt.data, 1e-12);
    }

    @Test
    void aBlockTaskThatFailsOnceIsRetriedAndTheKernelIsStillRight() throws Exception {
        NdArray x = gaussian(5, 90, 6);
        int before = KernelJob.INJECTED.get();
        NdArray k = spark(DEEP, x, null, true, 30, 4); // block (2, 1) fails on its first attempt
        assertEquals(before + 1, KernelJob.INJECTED.get(), "the injected failure happened once");
        assertClose(local(DEEP, x, null, true).ntk(), k.data, 1e-12);
    }

    @Test
    void manifestListsTheLowerBlocksOfASymmetricKernel() {
        List<KernelJob.Pair> pairs = KernelJob.pairs(3, 3, true);
        assertEquals(6, pairs.size());
        String m = KernelJob.manifest(KernelSpec.of("Dense(8), Relu, Dense(1)", "ntk", gaussian(0, 5, 2), false),
                70, 70, 30, true, pairs);
        assertTrue(m.contains("\"symmetric\": true"), m);
        assertTrue(m.contains("{\"row\": 2, \"col\": 1, \"row_start\": 60, \"col_start\": 30, \"shape\": [10, 30],"
                + " \"file\": \"block-00002-00001.npy\"}"), m);
    }

    /** Direct solve on one machine: the whole kernel, Cholesky (the core's KernelRegression). */
    static double[] direct(String arch, NdArray x, NdArray y, NdArray t, boolean ntk, double ridge) {
        Kernels kxx = local(arch, x, null, ntk);
        Kernels ktx = local(arch, t, x, ntk);
        KernelRegression reg = KernelRegression.fitInPlace((ntk ? kxx.ntk() : kxx.nngp()).clone(), x.dim(0),
                y.data, y.dim(1), ridge);
        return reg.mean(ntk ? ktx.ntk() : ktx.nngp(), t.dim(0));
    }

    static NdArray unitRows(NdArray x) {
        int d = x.dim(1);
        for (int i = 0; i < x.dim(0); i++) {
            double s = 0;
            for (int c = 0; c < d; c++) {
                s += x.data[i * d + c] * x.data[i * d + c];
            }
            for (int c = 0; c < d; c++) {
                x.data[i * d + c] /= Math.sqrt(s);
            }
        }
        return x;
    }

    @Test
    void pcgMeanEqualsTheDirectSolveWithTwoOutputsAndARetriedTask() {
        String arch = "Dense(512), Relu, Dense(512), Relu, Dense(512), Relu, Dense(1)";
        NdArray x = unitRows(gaussian(6, 120, 10));
        NdArray t = unitRows(gaussian(7, 33, 10));
        NdArray y = new NdArray(new int[] {120, 2}, new double[240]);
        for (int i = 0; i < 120; i++) {
            y.data[2 * i] = Math.sin(3 * x.data[i * 10]);
            y.data[2 * i + 1] = x.data[i * 10 + 1] * x.data[i * 10 + 2];
        }
        KernelSpec spec = KernelSpec.of(arch, "ntk", x, true);
        int before = KernelJob.INJECTED.get();
        BlockPcg.Result res = BlockPcg.solve(sc, spec, x, y.data, 2, 0.0, 40, 1e-10, null, 3, "jacobi", 1);
        assertEquals(before + 1, KernelJob.INJECTED.get(), "the injected failure happened once");
        assertTrue(res.relativeResidual() <= 1e-9, "true relative residual " + res.relativeResidual());
        double[] mean = BlockPcg.mean(sc, spec, x, t, res.alpha(), 2, 40);
        assertClose(direct(arch, x, y, t, true, 0.0), mean, 1e-6);
    }

    @Test
    void pcgWithRidgeOnNngp() {
        String arch = "Dense(256, b_std=0.2), Erf, Dense(1, b_std=0.2)";
        NdArray x = gaussian(8, 80, 5);
        NdArray t = gaussian(9, 20, 5);
        NdArray y = gaussian(10, 80, 1);
        KernelSpec spec = KernelSpec.of(arch, "ntk", x, false);
        BlockPcg.Result res = BlockPcg.solve(sc, spec, x, y.data, 1, 5e-2, 30, 1e-10, null, -1, "jacobi", 1);
        assertClose(direct(arch, x, y, t, false, 5e-2), BlockPcg.mean(sc, spec, x, t, res.alpha(), 1, 30), 1e-6);
    }

    @Test
    void aSingularDiagonalBlockIsRefusedWithARidgeHint() {
        NdArray x = gaussian(11, 40, 4);
        System.arraycopy(x.data, 0, x.data, 4, 4); // rows 0 and 1 equal: K singular without a ridge
        KernelSpec spec = KernelSpec.of("Dense(64), Relu, Dense(1)", "ntk", x, true);
        BadInputException e = assertThrows(BadInputException.class,
                () -> BlockPcg.solve(sc, spec, x, gaussian(12, 40, 1).data, 1, 0.0, 20, 1e-10, null, -1,
                        BlockPcg.DEFAULT_PRECONDITIONER, BlockPcg.DEFAULT_RANK));
        // the API names its parameter; the command line renders it as the flag (ntk.cli.Flags)
        assertTrue(e.getMessage().endsWith("add a ridge (ridge r)"), e.getMessage());
        assertTrue(e.message(p -> "--" + p).endsWith("add a ridge (--ridge r)"), e.getMessage());
    }

    @Test
    void nystromPcgMeanEqualsTheDirectSolveWithoutAndWithARidge() {
        String arch = "Dense(512), Relu, Dense(512), Relu, Dense(512), Relu, Dense(1)";
        NdArray x = unitRows(gaussian(13, 110, 8));
        NdArray t = unitRows(gaussian(14, 25, 8));
        NdArray y = gaussian(15, 110, 2);
        KernelSpec spec = KernelSpec.of(arch, "ntk", x, true);
        for (double ridge : new double[] {0.0, 1e-2}) {
            double[] want = direct(arch, x, y, t, true, ridge);
            for (String pc : new String[] {"nystrom", "nystrom-jacobi"}) {
                BlockPcg.Result res = BlockPcg.solve(sc, spec, x, y.data, 2, ridge, 40, 1e-10, null, -1, pc, 30);
                assertTrue(res.relativeResidual() <= 1e-9, pc + " true relative residual " + res.relativeResidual());
                assertClose(want, BlockPcg.mean(sc, spec, x, t, res.alpha(), 2, 40), 1e-6);
            }
        }
        // a sketch as large as n: K itself up to rounding, so P^-1 (K + rI) is nearly λ_n·I and CG needs a few steps
        BlockPcg.Result full = BlockPcg.solve(sc, spec, x, y.data, 2, 0.0, 40, 1e-10, null, -1, "nystrom", 110);
        assertClose(direct(arch, x, y, t, true, 0.0), BlockPcg.mean(sc, spec, x, t, full.alpha(), 2, 40), 1e-6);
        assertTrue(full.iterations() <= 5, full.iterations() + " iterations with the full-rank sketch");
    }

    /**
     * On a kernel whose spectrum decays fast (a smooth Erf NNGP on 3-dimensional inputs) with a small ridge μ,
     * Nyström with λ_ℓ near μ leaves P⁻¹(K + μI) a condition number of order (λ_ℓ + μ)/μ (Frangella, Tropp &amp;
     * Udell 2023, Prop. 5.3), while block Jacobi (one block per 60 points) leaves most of K's spread: the Nyström
     * solve must take fewer than half of block Jacobi's iterations, and no more than the PCG bound for the
     * residual, ½·√κ_P·ln(2√κ/tol) (from ‖e_k‖_A ≤ 2((√κ_P − 1)/(√κ_P + 1))^k ‖e_0‖_A, ‖r‖ ≤ √λ_max‖e‖_A and
     * ‖e_0‖_A ≤ ‖y‖/√λ_min), with κ that of K + μI and κ_P that of P^{-1/2}(K + μI)P^{-1/2}, computed here densely
     * from the same approximation.
     */
    @Test
    void nystromCutsIterationsOnADecayingSpectrum() {
        String arch = "Dense(256, W_std=1.0, b_std=0.5), Erf, Dense(1, W_std=1.0, b_std=0.5)";
        int n = 240;
        NdArray x = gaussian(16, n, 3);
        NdArray y = gaussian(17, n, 1);
        double ridge = 1e-2;
        KernelSpec spec = KernelSpec.of(arch, "ntk", x, false);
        BlockPcg.Result jac = BlockPcg.solve(sc, spec, x, y.data, 1, ridge, 60, 1e-6, null, -1, "jacobi", 1);
        BlockPcg.Result nys = BlockPcg.solve(sc, spec, x, y.data, 1, ridge, 60, 1e-6, null, -1, "nystrom", 60);
        assertTrue(jac.relativeResidual() <= 1e-5 && nys.relativeResidual() <= 1e-5);
        assertTrue(2 * nys.iterations() < jac.iterations(), "Nystrom " + nys.iterations() + " iterations, block"
                + " Jacobi " + jac.iterations());

        double[] k = local(arch, x, null, false).nngp();
        Nystrom ny = Nystrom.sketch((p, w) -> ntk.linalg.Linalg.multiply(false, false, n, w, n, k, p), n, 60, 60,
                0x5eed);
        // P^-1/2 (K + μI) P^-1/2 from P^-1/2 = P^-1 with the λ factors square-rooted: build P^-1 densely, symmetric
        double[] pinv = new double[n * n];
        for (int c = 0; c < n; c++) {
            double[] e = new double[n];
            e[c] = 1;
            double[] z = ny.inverse(e, 1, ridge);
            for (int i = 0; i < n; i++) {
                pinv[i * n + c] = z[i];
            }
        }
        ntk.linalg.SymmetricEigen pe = ntk.linalg.Linalg.symmetricEigen(pinv, n);
        double[] half = new double[n * n]; // P^-1/2 = V diag(√w) Vᵀ
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int c = 0; c < n; c++) {
                    s += pe.vector(c, i) * Math.sqrt(pe.values()[c]) * pe.vector(c, j);
                }
                half[i * n + j] = s;
            }
        }
        double[] kr = k.clone();
        for (int i = 0; i < n; i++) {
            kr[i * n + i] += ridge;
        }
        double[] m = ntk.linalg.Linalg.multiply(false, false, n, n, n, half,
                ntk.linalg.Linalg.multiply(false, false, n, n, n, kr, half));
        double[] ev = ntk.linalg.Linalg.symmetricEigenvalues(m, n);
        double kappa = ev[n - 1] / ev[0];
        double[] kev = ntk.linalg.Linalg.symmetricEigenvalues(kr, n);
        double bound = 0.5 * Math.sqrt(kappa) * Math.log(2 * Math.sqrt(kev[n - 1] / kev[0]) / 1e-6);
        assertTrue(nys.iterations() <= Math.ceil(bound), nys.iterations() + " iterations > CG bound " + bound
                + " (kappa " + kappa + ")");
    }
}
