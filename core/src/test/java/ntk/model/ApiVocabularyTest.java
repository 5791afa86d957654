package ntk.model;

import static ntk.model.KernelRegressorTest.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ntk.BadInputException;
import ntk.KernelKind;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.dynamics.Classification;
import ntk.dynamics.KernelPredictor;
import ntk.dynamics.Trainability;
import ntk.dynamics.TrainingTime;
import ntk.finite.EmpiricalNtk;
import ntk.finite.FiniteNetwork;
import ntk.finite.Trainer;
import ntk.NdArray;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;
import ntk.Params;
import org.junit.jupiter.api.Test;

/** The shaped-array, enum, builder and record forms of the API, against the flat forms and known properties. */
class ApiVocabularyTest {
    static final Network NET = Network.parse("Dense(64, b_std=0.1), Relu, Dense(2, b_std=0.1)", Parameterization.NTK);

    @Test
    void denseNamedFormWritesTheSameSpecAsTheParser() {
        ntk.layers.Dense d = ntk.arch.Stax.dense(512).withWStd(1.5).withBStd(0.05);
        assertEquals(Network.parse("Dense(512, W_std=1.5, b_std=0.05)", Parameterization.NTK).spec(),
                ntk.arch.Stax.serial(d).spec());
        assertEquals(1.0, ntk.arch.Stax.dense(3).withBStd(0.2).wStd, 0.0, "withBStd keeps W_std");
        assertThrows(BadInputException.class, () -> ntk.arch.Stax.dense(3).withWStd(-1), "checked as the constructor");
    }

    @Test
    void aroundF0StartsAtF0AndInterpolatesTheTargets() {
        int n = 6;
        NdArray x = random(1, n, 3);
        NdArray y = random(2, n, 2);
        FiniteNetwork fn = new FiniteNetwork(NET, 3);
        Params p0 = fn.init(0);
        NdArray f0x = fn.outputs(p0, x);
        assertArrayEquals(new int[] {n, 2}, f0x.shape());
        KernelRegressor model = new KernelRegressor(NET, KernelKind.NTK)
                .times(TrainingTime.flow(0), TrainingTime.INFINITY).fitAround(x, y, f0x);
        // on the training points: f₀(X) at t = 0, the targets at t = ∞ (the kernel interpolates), whatever f₀
        NdArray at = model.predictAround(x, f0x).meanArray();
        for (int i = 0; i < n * 2; i++) {
            assertEquals(f0x.data()[i], at.data()[i], 1e-9);
            assertEquals(y.data()[i], at.data()[n * 2 + i], 1e-6);
        }
        // the same through precomputed kernels (the finite network's own empirical NTK, traced)
        Kernels theta = Kernels.ofNtk(EmpiricalNtk.of(fn, p0, x, null, EmpiricalNtk.Outputs.TRACED));
        NdArray viaKernels = KernelRegressor.precomputed(KernelKind.NTK).fitAround(theta, y, f0x)
                .predictAround(theta, f0x).meanArray();
        assertArrayEquals(y.data(), viaKernels.data(), 1e-6);
        // with f₀ = 0 it is the plain fit
        NdArray zero = NdArray.zeros(n, 2);
        NdArray t = random(3, 4, 3);
        KernelRegressor plain = new KernelRegressor(NET, KernelKind.NTK).times(TrainingTime.flow(5)).fit(x, y);
        KernelRegressor around = new KernelRegressor(NET, KernelKind.NTK).times(TrainingTime.flow(5))
                .fitAround(x, y, zero);
        assertArrayEquals(plain.predict(t).meanArray().data(),
                around.predictAround(t, NdArray.zeros(4, 2)).meanArray().data(), 0);
        assertThrows(IllegalStateException.class, () -> around.predict(t));
        assertThrows(IllegalStateException.class, () -> plain.predictAround(t, NdArray.zeros(4, 2)));
        BadInputException e = assertThrows(BadInputException.class, () -> around.predictAround(t, zero));
        assertTrue(e.getMessage().startsWith("f0t must be (m, o) = (4, 2)"), e.getMessage());
    }

    @Test
    void spectrumAndStableRateOnBothSolverPaths() {
        NdArray x = random(4, 9, 3);
        NdArray y = random(5, 9, 2);
        KernelRegressor chol = new KernelRegressor(NET, KernelKind.NTK).ridge(1e-3).fit(x, y);
        KernelRegressor eig = new KernelRegressor(NET, KernelKind.NTK).ridge(1e-3).times(TrainingTime.flow(1)).fit(x, y);
        assertTrue(chol.infinityOnly());
        double[] a = chol.spectrum();
        double[] b = eig.spectrum();
        assertArrayEquals(b, a, 1e-9 * b[0]);
        for (int i = 1; i < a.length; i++) {
            assertTrue(a[i] <= a[i - 1], "descending");
        }
        // independent check: the eigenvalues sum to the trace of K + rI
        double[] k = new KernelEngine().kernels(NET, x, null, KernelKind.NTK).of(KernelKind.NTK);
        double trace = 0;
        double sum = 0;
        for (int i = 0; i < 9; i++) {
            trace += k[i * 9 + i] + 1e-3;
            sum += a[i];
        }
        assertEquals(trace, sum, 1e-9 * trace);
        assertEquals(2.0 * 9 / a[0], chol.maxStableLearningRate(), 1e-12);
        assertEquals(eig.maxStableLearningRate(), chol.maxStableLearningRate(), 1e-9);
        a[0] = -1; // a copy
        assertEquals(b[0], chol.spectrum()[0], 1e-9 * b[0]);
    }

    @Test
    void kernelsWithoutTheNtkSaySo() {
        Kernels k = new KernelEngine().kernels(NET, random(6, 3, 3), null, KernelKind.NNGP);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> k.ntk(0, 1));
        assertTrue(e.getMessage().startsWith("the NTK kernel was not computed"), e.getMessage());
        assertEquals(k.nngp(0, 1), k.array(KernelKind.NNGP).get(0, 1), 0);
        BadInputException m = assertThrows(BadInputException.class, () -> new KernelRegressor(NET, KernelKind.NTK)
                .fit(random(7, 4, 3), random(8, 4, 2)).predict(random(9, 2, 5)));
        assertTrue(m.getMessage().startsWith("x has examples of shape (3) but t has (5)"), m.getMessage());
    }

    @Test
    void empiricalNtkShapesAndTheTraceOfEachPair() {
        FiniteNetwork fn = new FiniteNetwork(NET, 3);
        Params p = fn.init(1);
        NdArray x1 = random(10, 4, 3);
        NdArray x2 = random(11, 5, 3);
        NdArray each = EmpiricalNtk.of(fn, p, x1, x2, EmpiricalNtk.Outputs.EACH_PAIR);
        NdArray traced = EmpiricalNtk.of(fn, p, x1, x2, EmpiricalNtk.Outputs.TRACED);
        assertArrayEquals(new int[] {4, 5, 2, 2}, each.shape());
        assertArrayEquals(new int[] {4, 5}, traced.shape());
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 5; j++) {
                double mean = (each.get(i, j, 0, 0) + each.get(i, j, 1, 1)) / 2;
                assertEquals(mean, traced.get(i, j), 1e-12 * Math.abs(mean) + 1e-15);
            }
        }
        BadInputException e = assertThrows(BadInputException.class,
                () -> EmpiricalNtk.of(fn, p, random(12, 4, 2), null, EmpiricalNtk.Outputs.TRACED));
        assertTrue(e.getMessage().startsWith("x1 must hold n examples of shape (3)"), e.getMessage());
    }

    @Test
    void trainerTakesShapedDataABuiltConfigAndGivesRecords() {
        FiniteNetwork fn = new FiniteNetwork(NET, 3);
        NdArray x = random(13, 8, 3);
        NdArray y = random(14, 8, 2);
        Trainer.Config cfg = Trainer.Config.builder().steps(20).learningRate(0.5).recordEvery(5).build();
        assertEquals(Trainer.Config.gradientDescent(20, 0.5).recordEvery(5).build(), cfg);
        Trainer.Result shaped = new Trainer(fn).train(fn.init(0), Trainer.Data.regression(x, y), Trainer.Data.inputs(x),
                cfg, null);
        Trainer.Result flat = new Trainer(fn).train(fn.init(0), Trainer.Data.regression(x.data(), 8, y.data()),
                Trainer.Data.inputs(x.data(), 8), cfg, null);
        assertArrayEquals(flat.loss(), shaped.loss(), 0);
        assertEquals(5, shaped.history().size());
        assertEquals(0, shaped.first().step());
        assertEquals(20, shaped.last().step());
        assertEquals(shaped.loss()[4], shaped.last().loss(), 0);
        assertArrayEquals(shaped.testOut()[4], shaped.last().testOut(), 0);
        assertTrue(Double.isNaN(shaped.last().testAccuracy()) && shaped.last().epoch() == -1);
        BadInputException e = assertThrows(BadInputException.class, () -> Trainer.Config.builder().steps(3).build());
        assertEquals("learningRate must be given", e.getMessage());
        BadInputException d = assertThrows(BadInputException.class,
                () -> Trainer.Data.regression(x, random(15, 7, 2)));
        assertTrue(d.getMessage().startsWith("y must be (n, o) or (n,) with n = 8 examples of x"), d.getMessage());
    }

    @Test
    void everyActivationHasATypedBuilder() {
        Network typed = ntk.arch.Stax.serial(ntk.arch.Stax.dense(8), ntk.arch.Stax.sigmoid(), ntk.arch.Stax.softplus(),
                ntk.arch.Stax.silu(), ntk.arch.Stax.sin(), ntk.arch.Stax.abs(), ntk.arch.Stax.elu(0.5),
                ntk.arch.Stax.prelu(), ntk.arch.Stax.dense(1));
        Network parsed = Network.parse("Dense(8), Sigmoid, Softplus, Silu, Sin, Abs, Elu(0.5), PReLU, Dense(1)",
                Parameterization.NTK);
        assertEquals(parsed.spec(), typed.spec());
    }

    @Test
    void arrayTierTakesShapedKernels() {
        NdArray x = random(16, 7, 3);
        NdArray y = random(17, 7, 2);
        Kernels k = new KernelEngine().kernels(NET, x, null, KernelKind.NTK);
        NdArray kxx = k.array(KernelKind.NTK);
        double[] shaped = KernelPredictor.fit(kxx, y, 1e-6).on(kxx).mean(TrainingTime.flow(3));
        double[] flat = KernelPredictor.fit(kxx.data(), 7, y.data(), 2, 1e-6).on(kxx.data(), 7)
                .mean(TrainingTime.flow(3));
        assertArrayEquals(flat, shaped, 0);
        assertEquals(Trainability.diagnose(kxx.data(), 7, y.data(), 2, 0.9), Trainability.diagnose(kxx, y, 0.9));
        BadInputException e = assertThrows(BadInputException.class,
                () -> KernelPredictor.fit(random(1, 7, 6), y, 0));
        assertTrue(e.getMessage().startsWith("kxx must be a square (n, n) kernel"), e.getMessage());
        NdArray pred = NdArray.of(new double[][] {{1, 0}, {0, 1}, {1, 2}});
        assertEquals(2.0 / 3, Classification.accuracy(pred, new int[] {0, 1, 0}), 1e-15);
        assertEquals(2.0 / 3, Classification.accuracy(pred, NdArray.of(new double[][] {{1, 0}, {0, 1}, {1, 0}})),
                1e-15);
        assertEquals(Classification.accuracy(pred, new int[] {0, 1, 0}),
                Classification.accuracy(pred.data(), 3, 2, new double[] {1, 0, 0, 1, 1, 0}), 0);
    }
}
