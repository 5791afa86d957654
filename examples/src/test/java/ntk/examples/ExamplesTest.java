package ntk.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Runs each example on a small size and checks what it prints, so a renamed API breaks the build, not the docs. */
class ExamplesTest {

    static synchronized String run(Runnable main) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        old.print(out);
        return out;
    }

    @Test
    void quickStartPrintsATwoByOneMean() {
        String out = run(() -> QuickStart.main(new String[0]));
        assertTrue(out.contains("(2, 1)") || out.contains("2, 1"), out);
    }

    @Test
    void kernelRegressionFitsSinWell() {
        String out = run(() -> KernelRegression.main(new String[] {"100"}));
        Matcher m = Pattern.compile("test MSE at t = inf ([0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        // sin(x₁) on 100 points of R^5: kernel regression is far below the targets' variance (~0.43)
        assertTrue(Double.parseDouble(m.group(1)) < 0.25, out);
        assertTrue(out.contains("(3, 20, 1)") && out.contains("(3, 20, 20)"), out);
    }

    @Test
    void finiteNetworkKernelIsNearItsLimit() {
        String out = run(() -> FiniteAgainstLimit.main(new String[] {"1024"}));
        Matcher m = Pattern.compile("‖Θ₀ − Θ∞‖/‖Θ∞‖ = ([0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        // at width 1024 the empirical NTK is within ~10 % of the limit (relative error ~ 1/√width)
        assertTrue(Double.parseDouble(m.group(1)) < 0.3, out);
    }

    @Test
    void crossEntropyFlowClassifiesTheClusters() {
        String out = run(() -> CrossEntropyFlow.main(new String[0]));
        String last = out.lines().filter(l -> l.startsWith("t = 100")).findFirst().orElse("");
        assertTrue(last.contains("point 0 -> class 0") && last.contains("point 1 -> class 1")
                && last.contains("point 2 -> class 2"), out);
    }

    @Test
    void sparkGivesTheLocalKernelAndRegression() {
        String out = run(() -> {
            try {
                SparkRegression.main(new String[] {"120"});
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Matcher m = Pattern.compile("max relative difference ([0-9.e+-]+); regression mean \\(20, 1\\): ([0-9.e+-]+)")
                .matcher(out);
        assertTrue(m.find(), out);
        // the blocks are the local engine's arithmetic; the mean comes from PCG at relative residual 1e-12
        assertTrue(Double.parseDouble(m.group(1)) < 1e-12, out);
        assertTrue(Double.parseDouble(m.group(2)) < 1e-8, out);
    }
}
