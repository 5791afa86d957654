package ntk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import ntk.activations.Activations;
import ntk.arch.Network;
import ntk.dynamics.KernelPredictor;
import ntk.dynamics.KernelRegression;
import ntk.dynamics.SgdSde;
import ntk.dynamics.Trainability;
import ntk.meanfield.ArchKind;
import ntk.meanfield.DepthAnalysis;
import ntk.model.KernelRegressor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A Java caller reads the API's parameter names, never a command-line flag: each refusal names its parameter
 * ({@link BadInputException#parameters()}), its message has no "--", and a front end can render the parameter its
 * own way ({@link BadInputException#message}). The command line's rendering is checked in the cli module
 * (CoreMessagesCommandTest).
 */
class ApiMessagesTest {
    private static final UnaryOperator<String> FLAG = p -> "--" + p;

    private static BadInputException refused(Executable call, String parameter, String expected) {
        BadInputException e = assertThrows(BadInputException.class, call);
        assertEquals(expected, e.getMessage());
        assertFalse(e.getMessage().contains("--"), e.getMessage());
        assertEquals(parameter, e.parameters().get(0), e.getMessage());
        return e;
    }

    @Test
    void messagesNameTheApiParameter() {
        refused(() -> KernelRegression.fitInPlace(new double[] {1}, 1, new double[] {1}, 1, -1),
                "ridge", "ridge must be finite and >= 0, got -1.0");
        refused(() -> KernelPredictor.fit(new double[] {1}, 1, new double[] {1}, 1, Double.NaN),
                "ridge", "ridge must be finite and >= 0, got NaN");
        refused(() -> new KernelRegressor(Network.parse("Dense(1)", Parameterization.NTK), KernelKind.NTK).ridge(-2),
                "ridge", "ridge must be finite and >= 0, got -2.0");
        refused(() -> Network.parse("", Parameterization.NTK), "arch", "arch: empty spec");
        refused(() -> Network.parse("Dense(4), Relu, Dense(", Parameterization.NTK), "arch",
                "arch: expected a number, got end of spec at position 23 in \"Dense(4), Relu, Dense(\"");
        refused(() -> Parameterization.parse("ntk2"), "parameterization",
                "parameterization: expected 'ntk' or 'standard', got 'ntk2'");
        refused(() -> Trainability.diagnose(new double[] {1}, 1, null, 0, 1.0), "fraction",
                "fraction must lie strictly between 0 and 1, got 1.0");
        refused(() -> new SgdSde(new double[] {1, 0, 0, 1, 1, 1}, 2, 1, new double[] {1, 2}, 3), "batchSize",
                "batchSize must be in [1, 2], got 3");
        refused(() -> ArchKind.parse("mlp"), "kind", "kind: expected dense, resnet, scaled-resnet, conv or conv-resnet, got 'mlp'");
        refused(() -> DepthAnalysis.run(Activations.parse("Relu"), 1.4, 0, ArchKind.DENSE, 0, new double[] {1, 0}, 1, 2,
                true), "maxDepth", "maxDepth must be at least 1, got 0");
    }

    /** The training configuration's builder owns its checks (the command line only maps names to flags). */
    @Test
    void trainerBuilderNamesEachSetting() {
        refused(() -> ntk.finite.Trainer.Config.builder().learningRate(0.1).build(), "steps",
                "give steps k or epochs E (one of them)");
        refused(() -> ntk.finite.Trainer.Config.builder().steps(3).epochs(2).learningRate(0.1).build(), "steps",
                "give steps k or epochs E (one of them)");
        refused(() -> ntk.finite.Trainer.Config.builder().steps(-1).learningRate(0.1).build(), "steps",
                "steps must be non-negative, got -1");
        refused(() -> ntk.finite.Trainer.Config.builder().epochs(0).learningRate(0.1).build(), "epochs",
                "epochs must be positive, got 0");
        refused(() -> ntk.finite.Trainer.Config.builder().steps(3).learningRate(-1).build(), "learningRate",
                "learningRate must be a positive number, got -1.0");
        refused(() -> ntk.finite.Trainer.Config.builder().steps(3).learningRate(Double.NaN).build(), "learningRate",
                "learningRate must be a positive number, got NaN");
        refused(() -> ntk.finite.Trainer.Config.builder().steps(3).batchSize(0).learningRate(0.1).build(),
                "batchSize", "batchSize must be positive, got 0");
        refused(() -> ntk.finite.Trainer.Config.builder().steps(3).recordEvery(0).learningRate(0.1).build(),
                "recordEvery", "recordEvery must be positive, got 0");
        refused(() -> ntk.finite.Trainer.Config.builder().steps(3).kernelProbe(-1).learningRate(0.1).build(),
                "kernelProbe", "kernelProbe must be non-negative, got -1");
        refused(() -> ntk.finite.Trainer.Config.builder().steps(3).lrDrops(0.5, 1.5).learningRate(0.1).build(),
                "lrDrops", "lrDrops: learning-rate drops are fractions of training in (0, 1), got 1.5");
        refused(() -> ntk.finite.Trainer.Config.sgd(3, 8, 0.1).build().checkBatch(5), "batchSize",
                "batchSize 8 exceeds the 5 training points");
        // the full batch when no batch size is given; 0 steps is a valid (empty) run
        assertEquals(0, ntk.finite.Trainer.Config.epochs(2, 0, 0.1).build().batchSize());
        assertEquals(0, ntk.finite.Trainer.Config.gradientDescent(0, 0.1).build().steps());
    }

    @Test
    void aFrontEndRendersParametersItsOwnWay() {
        BadInputException e = BadInputException.of("t = inf needs K^-1; add a ridge (", BadInputException.param("ridge"),
                " r, e.g. 1e-8)");
        assertEquals("t = inf needs K^-1; add a ridge (ridge r, e.g. 1e-8)", e.getMessage());
        assertEquals("t = inf needs K^-1; add a ridge (--ridge r, e.g. 1e-8)", e.message(FLAG));
        BadInputException p = e.prefixed("X.npy: ");
        assertEquals("X.npy: t = inf needs K^-1; add a ridge (ridge r, e.g. 1e-8)", p.getMessage());
        assertEquals("X.npy: t = inf needs K^-1; add a ridge (--ridge r, e.g. 1e-8)", p.message(FLAG));
        assertEquals(List.of("ridge"), p.parameters());
        // a plain message has no parameters and renders as itself
        BadInputException plain = new BadInputException("X.npy: not an .npy file");
        assertEquals(List.of(), plain.parameters());
        assertEquals(plain.getMessage(), plain.message(FLAG));
    }

    @Test
    void aRefusalInsideTheSpecKeepsItsParameter() {
        // ActivationLayer's refusal comes from binding, inside the parser: the parser must not wrap it twice
        BadInputException e = assertThrows(BadInputException.class,
                () -> Network.parse("Dense(2), Relu, Relu, Dense(1)", Parameterization.NTK).bind(3));
        assertTrue(e.getMessage().startsWith("arch: Relu after Relu has no infinite-width kernel"), e.getMessage());
        assertTrue(e.message(FLAG).startsWith("--arch: Relu after Relu "), e.message(FLAG));
    }
}
