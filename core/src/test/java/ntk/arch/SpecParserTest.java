package ntk.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import ntk.BadInputException;
import ntk.Parameterization;
import ntk.activations.Activations;
import ntk.layers.ActivationLayer;
import ntk.layers.Dense;
import ntk.layers.Residual;
import ntk.protocol.Layer;
import org.junit.jupiter.api.Test;

class SpecParserTest {

    @Test
    void parsesIntoTheSameObjectsTheJavaApiBuilds() {
        List<Layer> parsed = SpecParser.parse(
                "Dense(512, W_std=1.5, b_std=0.05), Relu, Residual(Relu, Dense(512, 2.0), scale=invsqrt_depth),"
                        + " Residual(Relu, Dense(512), scale=0.5), Dense(10)");
        List<Layer> built = List.of(
                new Dense(512, 1.5, 0.05),
                new ActivationLayer(Activations.parse("Relu", List.of())),
                new Residual(List.of(new ActivationLayer(Activations.parse("Relu", List.of())), new Dense(512, 2.0, 0)),
                        Residual.INVSQRT_DEPTH),
                new Residual(List.of(new ActivationLayer(Activations.parse("Relu", List.of())), new Dense(512)), 0.5),
                new Dense(10));
        assertEquals(built, parsed);
    }

    /** Every declared kind writes a spec that parses back to an equal layer, with defaults and without. */
    @Test
    void everyDeclaredKindRoundTripsThroughItsSpec() {
        for (ntk.protocol.LayerKind kind : ntk.layers.LayerKinds.ALL) {
            if (kind.takesLayers()) {
                continue;
            }
            for (boolean defaults : new boolean[] {true, false}) {
                double[] v = kind.defaults();
                for (int i = 0; i < v.length; i++) {
                    ntk.protocol.LayerKind.Parameter q = kind.parameters().get(i);
                    v[i] = q.required() ? 3 : defaults ? v[i] : q.word() ? q.choices().size() - 1 : v[i] + 0.25;
                }
                Layer layer = kind.build(v);
                assertEquals(kind.spec(v), layer.spec());
                assertEquals(List.of(layer), SpecParser.parse(layer.spec()), layer.spec());
                boolean optional = kind.parameters().stream().anyMatch(q -> !q.required());
                assertEquals(!defaults && optional, layer.spec().contains("="), layer.spec());
            }
        }
        assertEquals("Conv1D(16, 3, b_std=0.5)", new ntk.layers.Conv1D(16, 3, 1.0, 0.5).spec());
        assertEquals("Conv2D(16, 3, padding=same, b_std=0.5)", new ntk.layers.Conv2D(16, 3,
                ntk.layers.Conv2D.Padding.SAME, 1.0, 0.5).spec());
        assertEquals(SpecParser.parse("Conv2D(16, 3, same)"), SpecParser.parse("Conv2D(16, 3, padding=same)"));
    }

    @Test
    void networkOfEqualsParsedNetwork() {
        Network built = Network.of(Parameterization.STANDARD, new Dense(16, 1.5, 0.1),
                new ActivationLayer(new ntk.activations.Erf()), new Dense(1));
        assertEquals(Network.parse("Dense(16, W_std=1.5, b_std=0.1), Erf, Dense(1)", Parameterization.STANDARD), built);
    }

    @Test
    void specTextRoundTrips() {
        for (String s : new String[] {"Dense(512), Relu, Dense(1)",
            "Dense(3, W_std=1.4142135623730951, b_std=0.1), Relu, Residual(Relu, Dense(3), scale=invsqrt_depth), Dense(2)",
            "Residual(Dense(7), Relu, Dense(7, b_std=0.5), scale=0.25)"}) {
            Network n = Network.parse(s, Parameterization.NTK);
            assertEquals(s, n.spec());
            assertEquals(n, Network.parse(n.spec(), Parameterization.NTK));
        }
    }

    @Test
    void whitespaceKeywordsAndEmptyParenthesesAreAccepted() {
        assertEquals(SpecParser.parse("Dense(4,W_std=2),Relu,Dense(1)"),
                SpecParser.parse("  Dense( 4 , W_std = 2.0 ) ,Relu( ) , Dense(width=1)  "));
        assertEquals(SpecParser.parse("Dense(4, 1.0, 0.5)"), SpecParser.parse("Dense(4, b_std=5e-1)"));
    }

    @Test
    void errorsNameTheTokenAndItsPosition() {
        assertMessage("Dense(512), Rleu", "unknown layer 'Rleu' (known: Dense, Residual, Conv1D");
        assertMessage("Dense(512), Rleu", "at position 13 in \"Dense(512), Rleu\"");
        assertMessage("Dense(512),, Relu", "expected a layer name, got ',' at position 12");
        assertMessage("Dense(512, W_sd=2)", "unknown argument 'W_sd' for Dense (takes width, W_std, b_std) at position 17");
        assertMessage("Dense(51x2)", "expected ')', got 'x2' at position 9");
        assertMessage("Dense(-3)", "width must be a positive integer, got -3.0 at position 1");
        assertMessage("Dense(2.5)", "width must be a positive integer");
        assertMessage("Dense", "Dense needs its 'width' argument at position 1");
        assertMessage("Dense(4, W_std=0)", "W_std must be a positive number");
        assertMessage("Dense(4), Relu(", "expected a number, got end of spec at position 16");
        assertMessage("Dense(4) Relu", "unexpected 'Relu' at position 10");
        assertMessage("Residual(Relu, Dense(4), scale=sqrt)", "scale must be a number or invsqrt_depth, got 'sqrt'");
        assertMessage("Residual(Dense(4), Relu)", "the block must end in a Dense, Conv1D, Conv2D or LocallyConnected2D layer");
        assertMessage("Residual(Relu, Dense(4), scale=-1)", "scale must be a positive number");
        assertMessage("Dense(4, W_std=2, W_std=3)", "argument 'W_std' given twice");
        assertMessage("Dense(W_std=2, 4)", "positional argument after a keyword argument at position 16");
        assertMessage("Conv1D(8, 4)", "Conv1D(8, 4): filter size k must be a positive odd number");
        assertMessage("Conv1D(8)", "Conv1D needs its 'k' argument");
        assertMessage("GlobalAvgPool(2)", "GlobalAvgPool takes no arguments");
        assertMessage("", "empty spec");
        assertMessage("Dense(4, W_std=1e999)", "not finite");
    }

    @Test
    void residualWidthMismatchIsRefusedWhenBound() {
        Network n = Network.parse("Dense(8), Residual(Relu, Dense(4))", Parameterization.NTK);
        BadInputException e = assertThrows(BadInputException.class, () -> n.outputWidth(3));
        assertTrue(e.getMessage().contains("maps width 8 to 4"), e.getMessage());
    }

    private static void assertMessage(String spec, String fragment) {
        BadInputException e = assertThrows(BadInputException.class, () -> SpecParser.parse(spec));
        assertTrue(e.getMessage().contains(fragment), "message for \"" + spec + "\": " + e.getMessage());
        assertTrue(e.getMessage().startsWith("arch: "), e.getMessage()); // the API's name; the CLI says --arch
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }
}
