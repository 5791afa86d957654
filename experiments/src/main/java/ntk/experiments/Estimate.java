package ntk.experiments;

import java.util.Locale;

/**
 * A measured number with its standard error: a mean over {@code n} independent runs (seeds) with the standard error
 * of the mean s/√n, or a fitted parameter with its regression standard error. Verdicts compare estimates only
 * through {@link #aheadOf} and {@link #consistentWith}, so every "A beats B" in a report is decided the same way:
 * by more than {@link #Z} combined standard errors.
 */
public record Estimate(double mean, double se, int n) {
    /** How many combined standard errors make a difference "real": 2 (about 95 % for a normal error). */
    public static final double Z = 2.0;

    /** The mean of {@code values} and its standard error (sample standard deviation / √n); se is NaN for n &lt; 2. */
    public static Estimate of(double... values) {
        int n = values.length;
        if (n == 0) {
            return new Estimate(Double.NaN, Double.NaN, 0);
        }
        double m = 0;
        for (double v : values) {
            m += v;
        }
        m /= n;
        if (n < 2) {
            return new Estimate(m, Double.NaN, 1);
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - m) * (v - m);
        }
        return new Estimate(m, Math.sqrt(ss / (n - 1) / n), n);
    }

    /** The mean of each row ({@link #of}). */
    public static double[] means(double[][] rows) {
        double[] m = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            m[i] = of(rows[i]).mean();
        }
        return m;
    }

    /** An exactly known number (zero error), e.g. a value the paper prints or a closed form. */
    public static Estimate exact(double value) {
        return new Estimate(value, 0, Integer.MAX_VALUE);
    }

    /** The sample standard deviation behind {@link #se} (se·√n). */
    public double sd() {
        return se * Math.sqrt(n);
    }

    /** The combined standard error of this minus {@code o} (independent errors). */
    public double seOfDifference(Estimate o) {
        return Math.sqrt(se * se + o.se * o.se);
    }

    /**
     * Whether this is larger than {@code o} by more than {@link #Z} combined standard errors. False when either
     * error is unknown (NaN): one run cannot show a difference.
     */
    public boolean aheadOf(Estimate o) {
        double s = seOfDifference(o);
        return Double.isFinite(s) && mean - o.mean > Z * s;
    }

    /** Whether this is within {@link #Z} of its standard errors (plus {@code tolerance}) of {@code value}. */
    public boolean consistentWith(double value, double tolerance) {
        return Double.isFinite(se) && Math.abs(mean - value) <= Z * se + tolerance;
    }

    /** "0.423 ± 0.021" with {@code digits} significant digits on the mean. */
    public String show(int digits) {
        String f = "%." + digits + "g";
        return Double.isFinite(se) ? String.format(Locale.ROOT, f + " ± %.2g", mean, se)
                : String.format(Locale.ROOT, f + " (one run, no error)", mean);
    }

    @Override
    public String toString() {
        return show(3);
    }

    /** For summary.json: {"mean": m, "se": s, "n": n}. */
    public java.util.Map<String, Object> json() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("mean", mean);
        m.put("se", se);
        m.put("n", n == Integer.MAX_VALUE ? -1 : n);
        return m;
    }
}
