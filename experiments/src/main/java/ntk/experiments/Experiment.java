package ntk.experiments;

import java.util.List;

/**
 * One of the papers' experiments. Implementations keep the science pure ({@code Config -> Result}, testable
 * on numbers) and build a {@link Report} from it in {@link #run}; {@link Experiments#run} times it and writes
 * it. Register a new experiment with one line in {@link Experiments#ALL}.
 */
public interface Experiment {
    /** The command-line name ({@code ntk experiment NAME}). */
    String name();

    /** Other names accepted on the command line. */
    default List<String> aliases() {
        return List.of();
    }

    /**
     * The paper's claim this experiment tests, quoted word for word (summary.json's {@code paper_claim} and
     * {@code paper_ref}); {@code PaperClaimsTest} checks each quotation against the papers' texts.
     */
    PaperClaim claim();

    /** One paragraph for {@code --help}. */
    String description();

    /**
     * Whether it reads MNIST digits, and so takes {@code --data DIR} (the full IDX files instead of the shipped subset).
     * An experiment that does not refuses {@code --data} ({@link Settings#of}) rather than ignore it.
     */
    default boolean readsData() {
        return false;
    }

    /** The experiment's own options beyond {@code --out --full --data --seed}. */
    default List<Param> params() {
        return List.of();
    }

    /** Its own options and the common ones every experiment takes ({@link Budget#PARAM}). */
    default List<Param> allParams() {
        List<Param> all = new java.util.ArrayList<>(params());
        all.add(Budget.PARAM);
        return all;
    }

    /** Runs the experiment; bad settings throw {@link ntk.BadInputException} before anything is written. */
    Report run(Settings settings, Progress progress);
}
