package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every experiment quotes the claim it tests word for word from the papers (as shared/tools/check-claims does); a claim
 * from a paper whose text is not in shared/papers carries the address it was read at instead, and is listed here.
 */
class PaperClaimsTest {

    /**
     * Where a claim is verified: the paper file in shared/papers that holds it, "external: URL" when it carries the
     * address it was read at, or null (neither: the test fails). A claim with an address that IS in the papers is
     * verified against the papers.
     */
    static String verifiedBy(PaperClaim c) {
        String file = PaperTexts.source(c.quote());
        if (file != null) {
            return file;
        }
        return c.external() ? "external: " + c.source() : null;
    }

    @Test
    void everyExperimentQuotesItsClaimWordForWord() {
        List<String> external = new ArrayList<>();
        for (Experiment e : Experiments.all()) {
            PaperClaim c = e.claim();
            assertNotNull(c, e.name() + " has no paper claim");
            String by = verifiedBy(c);
            assertNotNull(by, e.name() + ": not a word-for-word quotation from shared/papers and no source address: "
                    + c.quote());
            if (by.startsWith("external: ")) {
                external.add(e.name() + " — " + c.ref() + " — read at " + c.source());
            } else {
                assertNull(c.source(), e.name() + " names an outside source for a quotation shared/papers holds");
            }
        }
        assertNotNull(PaperTexts.source(Demo.CLAIM.quote()), "the demo's claim is not a quotation");
        System.out.println("claims checked against the page they were read at, not shared/papers ("
                + external.size() + "):");
        external.forEach(x -> System.out.println("  " + x));
        assertEquals(List.of("cntk-mnist"), external.stream().map(x -> x.substring(0, x.indexOf(" — "))).toList(),
                "the external quotations (review each against its page when this list changes)");
    }

    @Test
    void aClaimWithNeitherFails() {
        PaperClaim made = new PaperClaim("the NTK gives a bad indication of the behaviour", "nowhere");
        assertNull(verifiedBy(made), "not in the papers and no address: refused");
        PaperClaim sourced = new PaperClaim("the NTK gives a bad indication of the behaviour", "somewhere",
                "https://example.org/paper");
        assertEquals("external: https://example.org/paper", verifiedBy(sourced));
        assertEquals("jacot-gabriel-hongler-2018-ntk.txt", verifiedBy(new PaperClaim("the NTK gives a good indication",
                "Jacot et al.")));
        assertThrows(IllegalArgumentException.class, () -> new PaperClaim("a quotation of some length", "ref",
                "not an address"));
    }

    @Test
    void theCheckerRefusesWhatIsNotThere() {
        assertEquals("jacot-gabriel-hongler-2018-ntk.txt",
                PaperTexts.source("the NTK gives a good indication"));
        assertNull(PaperTexts.source("the NTK gives a bad indication of the behaviour"));
        assertNull(PaperTexts.source("short … the NTK gives a good indication"), "fragments under 15 characters");
    }
}
