package ntk.finite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import ntk.BadInputException;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.finite.Trainer.Config;
import ntk.finite.Trainer.Data;
import ntk.finite.Trainer.Loss;
import ntk.NdArray;
import ntk.io.Npz;
import ntk.Params;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Classification training, epochs, schedules and the typed configuration, each against independent evidence. */
class TrainerTest {
    @TempDir
    Path dir;

    static final String ARCH = "Dense(8, W_std=1.3, b_std=0.2), PReLU(0.2), Dense(8), Tanh, Dense(3, b_std=0.1)";

    /** Mean softmax cross-entropy of the network's outputs, written out from its definition. */
    static double crossEntropy(FiniteNetwork net, Params p, double[] x, int n, int[] labels) {
        double[] f = net.forward(p, x, n).out();
        int o = net.outputs();
        double s = 0;
        for (int i = 0; i < n; i++) {
            double z = 0;
            for (int a = 0; a < o; a++) {
                z += Math.exp(f[i * o + a]);
            }
            s += Math.log(z) - f[i * o + labels[i]];
        }
        return s / n;
    }

    static int[] labels(int n, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = r.nextInt(classes);
        }
        return l;
    }

    /** One GD step of rate 1 moves θ by −∇L: compared with central differences of the cross-entropy of the outputs. */
    @Test
    void crossEntropyGradientMatchesFiniteDifferences() {
        int n = 5;
        int d = 3;
        double[] x = FiniteNetworkTest.random(n * d, 71);
        int[] c = labels(n, 3, 72);
        for (Parameterization pz : Parameterization.values()) {
            FiniteNetwork fn = new FiniteNetwork(Network.parse(ARCH, pz), d);
            Params p0 = fn.init(4);
            Trainer.Result r = new Trainer(fn).train(p0, Data.classification(x, n, c), null,
                    Config.gradientDescent(1, 1.0).loss(Loss.CROSS_ENTROPY).kernelProbe(0).build(), null);
            assertEquals(crossEntropy(fn, p0, x, n, c), r.loss()[0], 1e-14, "recorded loss is the mean cross-entropy");
            assertEquals(p0.size(), r.finalParams().size());
            for (String key : p0.asMap().keySet()) {
                double[] v = p0.data(key);
                for (int i = 0; i < v.length; i++) {
                    double h = 1e-6;
                    double keep = v[i];
                    v[i] = keep + h;
                    double up = crossEntropy(fn, p0, x, n, c);
                    v[i] = keep - h;
                    double down = crossEntropy(fn, p0, x, n, c);
                    v[i] = keep;
                    double fd = (up - down) / (2 * h);
                    double g = keep - r.finalParams().data(key)[i];
                    assertEquals(fd, g, 1e-7 * (1 + Math.abs(fd)), pz + " ∂L/∂" + key + "[" + i + "]");
                }
            }
            assertTrue(Double.isNaN(r.kernelChange()[0]), "probe 0: no kernel change");
        }
    }

    /** Three well separated blobs (centres 3 apart on a circle, spread 0.4): a small net must classify them. */
    @Test
    void separableClassesAreLearned() {
        int n = 150;
        double[] x = new double[n * 2];
        double[] t = new double[n * 2];
        int[] c = new int[n];
        int[] tc = new int[n];
        SplittableRandom r = new SplittableRandom(81);
        for (int i = 0; i < n; i++) {
            c[i] = i % 3;
            tc[i] = (i + 1) % 3;
            x[2 * i] = 3 * Math.cos(2 * Math.PI * c[i] / 3) + 0.4 * r.nextGaussian();
            x[2 * i + 1] = 3 * Math.sin(2 * Math.PI * c[i] / 3) + 0.4 * r.nextGaussian();
            t[2 * i] = 3 * Math.cos(2 * Math.PI * tc[i] / 3) + 0.4 * r.nextGaussian();
            t[2 * i + 1] = 3 * Math.sin(2 * Math.PI * tc[i] / 3) + 0.4 * r.nextGaussian();
        }
        FiniteNetwork fn = new FiniteNetwork(Network.parse("Dense(32, W_std=1.41421356), Relu, Dense(3)",
                Parameterization.NTK), 2);
        Trainer.Result res = new Trainer(fn).train(fn.init(2), Data.classification(x, n, c),
                Data.classification(t, n, tc), Config.epochs(10, 15, 0.5).loss(Loss.CROSS_ENTROPY).seed(1).build(), null);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, res.epoch());
        assertEquals(100, res.step()[10]);
        int last = res.records() - 1;
        assertTrue(res.testAccuracy()[last] >= 0.95, "test accuracy " + res.testAccuracy()[last]);
        assertTrue(res.trainAccuracy()[last] >= 0.95, "train accuracy " + res.trainAccuracy()[last]);
        assertTrue(res.loss()[last] < 0.5 * res.loss()[0], res.loss()[0] + " → " + res.loss()[last]);
        assertTrue(Double.isNaN(res.trainLoss()[0]));
        assertTrue(res.trainLoss()[last] < res.trainLoss()[1]);
        assertEquals(11, res.testOut().length);
    }

    /**
     * Epochs of minibatch SGD with cross-entropy against a hand-rolled loop: a fresh Fisher–Yates permutation of a
     * SplittableRandom(seed) per epoch, batches of b in that order (the last one smaller), θ ← θ − η∇(mean batch CE).
     */
    @Test
    void epochsFollowTheirSeededScheduleWithAPartialLastBatch() {
        int n = 11;
        int d = 3;
        int b = 4;
        double[] x = FiniteNetworkTest.random(n * d, 91);
        int[] c = labels(n, 3, 92);
        FiniteNetwork fn = new FiniteNetwork(Network.parse(ARCH, Parameterization.NTK), d);
        Params p0 = fn.init(6);
        Config cfg = Config.epochs(3, b, 0.3).loss(Loss.CROSS_ENTROPY).seed(17).build();
        Trainer.Result res = new Trainer(fn).train(p0, Data.classification(x, n, c), null, cfg, null);
        Trainer.Result again = new Trainer(fn).train(p0, Data.classification(x, n, c), null, cfg, null);
        assertEquals(0.0, res.finalParams().distance(again.finalParams()), "same seed, same run");
        Params theta = p0.copy();
        SplittableRandom rng = new SplittableRandom(17);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        int steps = 0;
        for (int e = 0; e < 3; e++) {
            fisherYates(perm, rng);
            for (int start = 0; start < n; start += b) {
                int bs = Math.min(b, n - start);
                double[] xb = new double[bs * d];
                int[] cb = new int[bs];
                for (int i = 0; i < bs; i++) {
                    System.arraycopy(x, perm[start + i] * d, xb, i * d, d);
                    cb[i] = c[perm[start + i]];
                }
                FiniteNetwork.Forward f = fn.forward(theta, xb, bs);
                double[] cot = softmaxMinusOneHot(f.out(), bs, 3, cb);
                Params g = theta.zerosLike();
                fn.backwardParams(theta, f, cot, g, null);
                theta.axpy(-0.3, g);
                steps++;
            }
        }
        assertEquals(9, steps);
        assertArrayEquals(new int[] {0, 3, 6, 9}, res.step());
        assertTrue(res.finalParams().distance(theta) <= 1e-14 * theta.norm(), "hand-rolled epochs: "
                + res.finalParams().distance(theta));
        Trainer.Result other = new Trainer(fn).train(p0, Data.classification(x, n, c), null,
                cfg.toBuilder().seed(18).build(), null);
        assertTrue(other.finalParams().distance(theta) > 1e-6, "another seed, another order");
    }

    /** The documented minibatch order: Fisher–Yates from the last position down, j = rng.nextInt(i + 1). */
    static void fisherYates(int[] perm, SplittableRandom rng) {
        for (int i = perm.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
    }

    static double[] softmaxMinusOneHot(double[] f, int rows, int o, int[] c) {
        double[] g = new double[rows * o];
        for (int i = 0; i < rows; i++) {
            double z = 0;
            for (int a = 0; a < o; a++) {
                z += Math.exp(f[i * o + a]);
            }
            for (int a = 0; a < o; a++) {
                g[i * o + a] = (Math.exp(f[i * o + a]) / z - (a == c[i] ? 1 : 0)) / rows;
            }
        }
        return g;
    }

    /** With b dividing n, counting epochs is counting n/b steps: the same permutations, the same updates. */
    @Test
    void epochsOfWholeBatchesAreTheSameStepsAsAStepCount() {
        int n = 12;
        int d = 3;
        double[] x = FiniteNetworkTest.random(n * d, 95);
        double[] y = FiniteNetworkTest.random(n * 3, 96);
        FiniteNetwork fn = new FiniteNetwork(Network.parse(ARCH, Parameterization.STANDARD), d);
        Params p0 = fn.init(8);
        Trainer.Result byEpoch = new Trainer(fn).train(p0, Data.regression(x, n, y), null,
                Config.epochs(2, 4, 0.05).seed(3).build(), null);
        Trainer.Result bySteps = new Trainer(fn).train(p0, Data.regression(x, n, y), null,
                Config.sgd(6, 4, 0.05).seed(3).recordEvery(3).build(), null);
        assertEquals(0.0, byEpoch.finalParams().distance(bySteps.finalParams()));
        assertArrayEquals(bySteps.loss(), byEpoch.loss(), 0.0);
        assertNull(bySteps.epoch());
        assertNull(bySteps.trainAccuracy());
    }

    /** ÷10 at ⌊f·K⌋: a 8-step run with drops at 0.5, 0.75 uses η, η, η, η, η/10, η/10, η/100, η/100 (hand-rolled GD). */
    @Test
    void learningRateDropsHappenAtTheirSteps() {
        Config cfg = Config.gradientDescent(8, 0.3).lrDrops(0.5, 0.75).build();
        double[] want = {0.3, 0.3, 0.3, 0.3, 0.03, 0.03, 0.003, 0.003};
        for (int s = 0; s < 8; s++) {
            assertEquals(want[s], cfg.learningRateAt(s, 8), 1e-17, "step " + s);
        }
        int n = 6;
        int d = 3;
        double[] x = FiniteNetworkTest.random(n * d, 97);
        double[] y = FiniteNetworkTest.random(n * 3, 98);
        FiniteNetwork fn = new FiniteNetwork(Network.parse(ARCH, Parameterization.NTK), d);
        Params p0 = fn.init(9);
        Trainer.Result res = new Trainer(fn).train(p0, Data.regression(x, n, y), null, cfg, null);
        Params theta = p0.copy();
        for (int s = 0; s < 8; s++) {
            Params g = theta.zerosLike();
            fn.lossAndGradient(theta, fn.forward(theta, x, n), y, g);
            theta.axpy(-want[s], g);
        }
        assertEquals(0.0, res.finalParams().distance(theta), "same schedule, same arithmetic");
        assertArrayEquals(new double[] {0.3, 0.3, 0.3, 0.3, 0.03, 0.03, 0.003, 0.003, 0.003}, res.learningRate(), 1e-17);
        // epochs: 4 epochs of 3 steps, one drop at half: epochs 2 and 3 run at η/10
        Trainer.Result ep = new Trainer(fn).train(p0, Data.regression(x, n, y), null,
                Config.epochs(4, 2, 0.3).lrDrops(0.5).build(), null);
        assertArrayEquals(new double[] {0.3, 0.3, 0.03, 0.03, 0.03}, ep.learningRate(), 1e-17);
        assertThrows(BadInputException.class, () -> Config.gradientDescent(8, 0.3).lrDrops(0.75, 0.5).build());
        assertThrows(BadInputException.class, () -> Config.gradientDescent(8, 0.3).lrDrops(1.0).build());
    }

    @Test
    void badClassificationInputIsRefused() {
        int d = 3;
        double[] x = FiniteNetworkTest.random(4 * d, 99);
        FiniteNetwork fn = new FiniteNetwork(Network.parse(ARCH, Parameterization.NTK), d);
        Config ce = Config.gradientDescent(1, 0.1).loss(Loss.CROSS_ENTROPY).build();
        Trainer t = new Trainer(fn);
        assertThrows(BadInputException.class, () -> t.train(fn.init(1), Data.classification(x, 4, new int[] {0, 1, 3, 2}),
                null, ce, null), "class 3 of 3 outputs");
        assertThrows(BadInputException.class, () -> t.train(fn.init(1), Data.regression(x, 4, new double[12]), null, ce,
                null), "cross-entropy without labels");
        FiniteNetwork one = new FiniteNetwork(Network.parse("Dense(4), Relu, Dense(1)", Parameterization.NTK), d);
        assertThrows(BadInputException.class, () -> new Trainer(one).train(one.init(1),
                Data.classification(x, 4, new int[4]), null, ce, null), "one output");
    }

    /**
     * A reusable tape allocates once (the second step's arrays are the first's) and holds no more than the per-example
     * estimate behind `ntk train`'s up-front memory check; and steps on it give the same bits as fresh arrays.
     */
    @Test
    void reusableTapesAllocateOnceWithinTheEstimate() {
        int n = 20;
        int d = 7;
        double[] x = FiniteNetworkTest.random(n * d, 111);
        double[] y = FiniteNetworkTest.random(n * 3, 112);
        for (String spec : new String[] {"Dense(16, b_std=0.1), Relu, Dense(16), Tanh, Dense(3)", ARCH}) {
            FiniteNetwork fn = new FiniteNetwork(Network.parse(spec, Parameterization.NTK), d);
            Params p = fn.init(1);
            ntk.protocol.Tape tape = fn.reusableTape(n);
            Params g = p.zerosLike();
            fn.lossAndGradient(p, fn.forward(p, x, n, tape), y, g);
            long bytes = tape.bufferBytes();
            double[] out = fn.forward(p, x, n, tape).out();
            Params g2 = p.zerosLike();
            fn.lossAndGradient(p, fn.forward(p, x, n, tape), y, g2);
            assertEquals(bytes, tape.bufferBytes(), "no new arrays on the second step");
            assertTrue(out == fn.forward(p, x, n, tape).out(), "the same output array");
            assertTrue(bytes > 0 && bytes <= n * fn.bytesPerExample(), bytes + " vs estimate " + n * fn.bytesPerExample());
            Params fresh = p.zerosLike();
            fn.lossAndGradient(p, fn.forward(p, x, n), y, fresh);
            assertEquals(0.0, fresh.distance(g2), spec);
        }
        FiniteNetwork fn = new FiniteNetwork(Network.parse(ARCH, Parameterization.NTK), d);
        Trainer t = new Trainer(fn);
        Config full = Config.gradientDescent(5, 0.1).build();
        assertTrue(t.estimateBytes(full, 1000, 0) > t.estimateBytes(Config.sgd(5, 10, 0.1).build(), 1000, 0));
        assertTrue(t.estimateBytes(full.toBuilder().recordKernel(true).build(), 1000, 0)
                > 6L * 1000 * 1000 * 9 * Double.BYTES, "six recorded kernels of 1000² × 3²");
    }

    /** The probe: all inputs when they are few, else a fixed sorted subset of the requested size. */
    @Test
    void probeIsAFixedSubset() {
        assertArrayEquals(new int[] {0, 1, 2}, Trainer.probeIndices(3, 512));
        int[] p = Trainer.probeIndices(2000, 512);
        assertEquals(512, p.length);
        for (int i = 1; i < p.length; i++) {
            assertTrue(p[i] > p[i - 1]);
        }
        assertArrayEquals(p, Trainer.probeIndices(2000, 512));
        assertTrue(p[511] > 1500, "spread over the set, not its first rows");
    }

    /**
     * One epoch of minibatch SGD with cross-entropy, PReLU slopes learned, against PyTorch autograd (F.cross_entropy,
     * F.prelu) in the same batch order. Skipped when python3 with torch is missing, except under CI=true.
     */
    @Test
    void oneEpochMatchesPyTorch() throws Exception {
        int n = 13;
        int d = 3;
        double[] x = FiniteNetworkTest.random(n * d, 101);
        int[] c = labels(n, 3, 102);
        Map<String, NdArray> torch = epochAgainstPyTorch(ARCH, Parameterization.NTK, "[[\"dense\", \"0\", 1.3, 0.2],"
                + " [\"prelu\", \"1\"], [\"dense\", \"2\", 1.0, 0.0], [\"tanh\"], [\"dense\", \"4\", 1.0, 0.1]]",
                x, n, d, c, 4, 0.4, 1e-12);
        assertNotNull(torch.get("1.alpha"));
        assertTrue(Math.abs(torch.get("1.alpha").data[0] - 0.2) > 1e-6, "the slope was trained");
    }

    /**
     * Hayou et al.'s Table 1 networks: a deep (depth 30) standard-parameterised ELU network at its edge of chaos,
     * one epoch of minibatch SGD with cross-entropy against PyTorch autograd (y = x Wᵀ + b, F.elu) in the same batch
     * order, from the same initial parameters: every parameter after the epoch to 1e-10 relative. A defect in the
     * standard parameterisation's gradients or in ELU's derivative at depth shows here.
     */
    @Test
    void deepStandardEluEpochMatchesPyTorch() throws Exception {
        int depth = 30;
        int n = 24;
        int d = 6;
        StringBuilder arch = new StringBuilder();
        StringBuilder layers = new StringBuilder("[");
        for (int l = 0; l < depth; l++) {
            arch.append("Dense(12, W_std=1.2292511241372073, b_std=0.2), Elu, ");
            layers.append("[\"dense_std\", \"").append(2 * l).append("\"], [\"elu\"], ");
        }
        arch.append("Dense(4)");
        layers.append("[\"dense_std\", \"").append(2 * depth).append("\"]]");
        double[] x = FiniteNetworkTest.random(n * d, 201);
        int[] c = labels(n, 4, 202);
        Map<String, NdArray> torch = epochAgainstPyTorch(arch.toString(), Parameterization.STANDARD, layers.toString(),
                x, n, d, c, 5, 0.05, 1e-10);
        double[] losses = torch.get("losses").data;
        assertTrue(losses[losses.length - 1] < losses[0], "the epoch lowered the loss: " + losses[0] + " -> "
                + losses[losses.length - 1]);
    }

    /**
     * Trains {@code arch} one epoch (batch b, learning rate lr, seed 23) with ntk and with the PyTorch peer
     * {@code torch_epoch.py} from the same initial parameters in the same batch order; asserts every final parameter
     * and the epoch's mean loss agree to {@code tol} (relative); returns PyTorch's outputs.
     */
    private Map<String, NdArray> epochAgainstPyTorch(String arch, Parameterization param, String layersJson,
            double[] x, int n, int d, int[] c, int b, double lr, double tol) throws Exception {
        String python = ntk.CrossChecks.pythonWithTorch();
        long seed = 23;
        FiniteNetwork fn = new FiniteNetwork(Network.parse(arch, param), d);
        Params p0 = fn.init(7);
        Trainer.Result res = new Trainer(fn).train(p0, Data.classification(x, n, c), null,
                Config.epochs(1, b, lr).loss(Loss.CROSS_ENTROPY).seed(seed).build(), null);
        // the batch order the trainer uses: Fisher–Yates on SplittableRandom(seed), as documented
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        fisherYates(perm, new SplittableRandom(seed));
        Map<String, NdArray> in = new LinkedHashMap<>();
        in.put("x", new NdArray(new int[] {n, d}, x));
        in.put("labels", new NdArray(new int[] {n}, java.util.Arrays.stream(c).asDoubleStream().toArray()));
        in.put("order", new NdArray(new int[] {n}, java.util.Arrays.stream(perm).asDoubleStream().toArray()));
        in.put("batch", new NdArray(new int[] {1}, new double[] {b}));
        in.put("lr", new NdArray(new int[] {1}, new double[] {lr}));
        for (Map.Entry<String, NdArray> e : p0.asMap().entrySet()) {
            in.put("params/" + e.getKey(), e.getValue());
        }
        Path inFile = dir.resolve("in.npz");
        Path outFile = dir.resolve("out.npz");
        Path layers = dir.resolve("layers.json");
        Npz.write(inFile, in);
        Files.writeString(layers, layersJson);
        Path script = Path.of(TrainerTest.class.getResource("torch_epoch.py").toURI());
        Process p = new ProcessBuilder(python, script.toString(), inFile.toString(), layers.toString(), outFile.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), log);
        Map<String, NdArray> torch = Npz.read(outFile);
        int compared = 0;
        for (Map.Entry<String, NdArray> e : res.finalParams().asMap().entrySet()) {
            double[] ours = e.getValue().data;
            double[] theirs = torch.get(e.getKey()).data;
            assertEquals(ours.length, theirs.length, e.getKey());
            for (int i = 0; i < ours.length; i++) {
                assertEquals(theirs[i], ours[i], tol * (1 + Math.abs(theirs[i])), e.getKey() + "[" + i + "]");
            }
            compared++;
        }
        assertTrue(compared >= 2, "parameters compared: " + compared);
        // the epoch's mean minibatch loss, weighted by batch size
        double[] losses = torch.get("losses").data;
        double mean = 0;
        for (int i = 0; i < losses.length; i++) {
            mean += losses[i] * Math.min(b, n - i * b);
        }
        assertEquals(mean / n, res.trainLoss()[1], tol);
        return torch;
    }
}
