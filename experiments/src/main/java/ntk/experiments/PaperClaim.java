package ntk.experiments;

/**
 * The claim an experiment tests: {@code quote}, word for word from the paper (fragments may be joined by "…"),
 * {@code ref}, where it stands (e.g. "Jacot et al. 2018, §6.2, Fig. 2"), and {@code source}: null when the paper's
 * text is in {@code shared/papers} (where {@code PaperClaimsTest} and {@code shared/tools/check-claims} verify the
 * quotation), else the address of the page the words were read at (an external quotation, checked against that
 * page, not by the tools; {@code PaperClaimsTest} lists these). Written to summary.json as {@code paper_claim} and
 * {@code paper_ref}; the report opens with it.
 */
public record PaperClaim(String quote, String ref, String source) {
    public PaperClaim {
        if (quote == null || quote.isBlank() || ref == null || ref.isBlank()) {
            throw new IllegalArgumentException("a paper claim needs its quotation and its reference");
        }
        if (source != null && !source.matches("https?://\\S+")) {
            throw new IllegalArgumentException("an external quotation's source must be the address it was read at, got "
                    + source);
        }
    }

    /** A quotation from a paper in {@code shared/papers}. */
    public PaperClaim(String quote, String ref) {
        this(quote, ref, null);
    }

    /** Whether the quotation comes from outside {@code shared/papers} (read at {@link #source}). */
    public boolean external() {
        return source != null;
    }
}
