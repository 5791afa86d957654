package ntk.experiments;

/**
 * An experiment's verdict and the sentence that explains it, both generated from the Result by the experiment's
 * pure {@code decide(Result)} function (never fixed text about the data).
 */
public record Decision(Report.Verdict verdict, String reason) {
    public static Decision shown(String reason) {
        return new Decision(Report.Verdict.SHOWN, reason);
    }

    public static Decision partly(String reason) {
        return new Decision(Report.Verdict.PARTLY, reason);
    }

    public static Decision notShown(String reason) {
        return new Decision(Report.Verdict.NOT_SHOWN, reason);
    }
}
