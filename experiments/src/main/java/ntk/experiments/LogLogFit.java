package ntk.experiments;

/**
 * A least-squares line through (log x, log y): y ≈ e^intercept · x^slope, with the slope's standard error
 * ({@link LineFit}) and the coefficient of determination r² of the log values, over the points with x, y &gt; 0
 * and finite.
 */
public record LogLogFit(double slope, double slopeSe, double intercept, double r2, int points) {

    /** Fits log y against log x over all usable points (NaN slope when fewer than 2). */
    public static LogLogFit of(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException(x.length + " abscissae for " + y.length + " values");
        }
        int m = 0;
        for (int i = 0; i < x.length; i++) {
            m += usable(x[i], y[i]) ? 1 : 0;
        }
        double[] lx = new double[m];
        double[] ly = new double[m];
        for (int i = 0, k = 0; i < x.length; i++) {
            if (usable(x[i], y[i])) {
                lx[k] = Math.log(x[i]);
                ly[k++] = Math.log(y[i]);
            }
        }
        LineFit f = LineFit.of(lx, ly);
        return new LogLogFit(f.slope(), f.slopeSe(), f.intercept(), f.r2(), m);
    }

    /** Fits log(mean of values[i]) against log x[i] (e.g. a measure over seeds at each width). */
    public static LogLogFit ofMeans(int[] x, double[][] values) {
        double[] xs = new double[x.length];
        double[] ys = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            xs[i] = x[i];
            ys[i] = Estimate.of(values[i]).mean();
        }
        return of(xs, ys);
    }

    /** The slope as an {@link Estimate}. */
    public Estimate slopeEstimate() {
        return new Estimate(slope, slopeSe, points);
    }

    /** Fits a power law λ_i ≈ C·i^slope to values[from−1 .. to−1] indexed from 1 (a spectrum, largest first). */
    public static LogLogFit ofIndex(double[] values, int from, int to) {
        if (from < 1 || to > values.length || to - from < 1) {
            throw new ntk.BadInputException("fit range [" + from + ", " + to + "] must lie within 1.." + values.length
                    + " and hold at least 2 points");
        }
        double[] i = new double[to - from + 1];
        double[] v = new double[to - from + 1];
        for (int k = from; k <= to; k++) {
            i[k - from] = k;
            v[k - from] = values[k - 1];
        }
        return of(i, v);
    }

    /** The fitted value at x. */
    public double at(double x) {
        return Math.exp(intercept) * Math.pow(x, slope);
    }

    private static boolean usable(double x, double y) {
        return x > 0 && y > 0 && Double.isFinite(x) && Double.isFinite(y);
    }
}
