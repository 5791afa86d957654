package ntk.experiments;

/**
 * Ordinary least squares y ≈ intercept + slope·x with the textbook standard errors (residual variance
 * s² = RSS/(m − 2); se(slope) = s/√Sxx; se(intercept) = s·√(1/m + x̄²/Sxx)) and the coefficient of
 * determination r². With two points the errors are NaN (no residual degrees of freedom).
 */
public record LineFit(double slope, double slopeSe, double intercept, double interceptSe, double r2, int points) {

    /** Fits all points with finite x and y; NaN everything when fewer than two. */
    public static LineFit of(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException(x.length + " abscissae for " + y.length + " values");
        }
        double sx = 0;
        double sy = 0;
        int m = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                sx += x[i];
                sy += y[i];
                m++;
            }
        }
        if (m < 2) {
            return new LineFit(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, m);
        }
        double mx = sx / m;
        double my = sy / m;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                double u = x[i] - mx;
                double v = y[i] - my;
                sxx += u * u;
                sxy += u * v;
                syy += v * v;
            }
        }
        double slope = sxy / sxx;
        double rss = Math.max(syy - slope * sxy, 0);
        double r2 = syy == 0 ? 1 : 1 - rss / syy;
        double s2 = m > 2 ? rss / (m - 2) : Double.NaN;
        double seSlope = Math.sqrt(s2 / sxx);
        double seIntercept = Math.sqrt(s2 * (1.0 / m + mx * mx / sxx));
        return new LineFit(slope, seSlope, my - slope * mx, seIntercept, r2, m);
    }

    /** The slope as an {@link Estimate} (its n is the number of points). */
    public Estimate slopeEstimate() {
        return new Estimate(slope, slopeSe, points);
    }

    /** The fitted value at x. */
    public double at(double x) {
        return intercept + slope * x;
    }
}
