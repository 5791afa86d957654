package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Every experiment quotes the claim it tests word for word from the papers (as shared/tools/check-claims does). */
class PaperClaimsTest {

    @Test
    void everyExperimentQuotesItsClaimWordForWord() {
        for (Experiment e : Experiments.all()) {
            PaperClaim c = e.claim();
            assertNotNull(c, e.name() + " has no paper claim");
            assertNotNull(PaperTexts.source(c.quote()), e.name() + ": not a word-for-word quotation: " + c.quote());
        }
        assertNotNull(PaperTexts.source(Demo.CLAIM.quote()), "the demo's claim is not a quotation");
    }

    @Test
    void theCheckerRefusesWhatIsNotThere() {
        assertEquals("jacot-gabriel-hongler-2018-ntk.txt",
                PaperTexts.source("the NTK gives a good indication"));
        assertNull(PaperTexts.source("the NTK gives a bad indication of the behaviour"));
        assertNull(PaperTexts.source("short … the NTK gives a good indication"), "fragments under 15 characters");
    }
}
