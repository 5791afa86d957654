package ntk.experiments;

/**
 * The claim an experiment tests: {@code quote}, word for word from the paper (fragments may be joined by "…"),
 * and {@code ref}, where it stands (e.g. "Jacot et al. 2018, §6.2, Fig. 2"). Written to summary.json as
 * {@code paper_claim} and {@code paper_ref}; the report opens with it.
 */
public record PaperClaim(String quote, String ref) {
    public PaperClaim {
        if (quote == null || quote.isBlank() || ref == null || ref.isBlank()) {
            throw new IllegalArgumentException("a paper claim needs its quotation and its reference");
        }
    }
}
