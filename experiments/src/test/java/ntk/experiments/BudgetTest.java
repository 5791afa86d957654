package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ntk.BadInputException;
import org.junit.jupiter.api.Test;

/** The up-front bounds: arrays past Java's limit, memory past the free heap, work past --max-work. */
class BudgetTest {

    @Test
    void refusesWhatCannotFitOrFinishAndPassesTheRest() {
        assertDoesNotThrow(() -> Budget.check("small", 1e6, 1e6, 1e9, Budget.DEFAULT_MAX_WORK));
        BadInputException array = assertThrows(BadInputException.class, () -> Budget.check("x", 1, 3e9, 1, 1e15));
        assertTrue(array.getMessage().contains("more than one Java array holds"), array.getMessage());
        BadInputException heap = assertThrows(BadInputException.class, () -> Budget.check("x", 1e18, 1, 1, 1e15));
        assertTrue(heap.getMessage().contains("NTK_HEAP"), heap.getMessage());
        BadInputException work = assertThrows(BadInputException.class, () -> Budget.check("x", 1, 1, 2e15, 1e15));
        assertTrue(work.getMessage().contains("--max-work") && work.getMessage().contains("2.00e+15"), work.getMessage());
        assertThrows(BadInputException.class, () -> Budget.check("x", Double.NaN, 1, 1, 1e15), "NaN sizes are refused");
        assertTrue(Budget.duration(30).equals("30 s") && Budget.duration(3 * 86400).contains("days"));
    }

    @Test
    void everyExperimentTakesMaxWork() {
        for (Experiment e : Experiments.all()) {
            assertTrue(e.allParams().contains(Budget.PARAM), e.name());
            Settings s = Settings.of(e, false, null, 0, java.util.Map.of("--max-work", "1e12"));
            assertTrue(Budget.maxWork(s) == 1e12);
        }
    }
}
