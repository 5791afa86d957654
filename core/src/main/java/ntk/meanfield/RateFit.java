package ntk.meanfield;

/**
 * A least-squares line through log-distances over the depths [from, to]: exponential, log d = a − L/ξ
 * (rate = 1/ξ); polynomial, log d = a − β log L (rate = β); log-polynomial, log d = a + log log L − β log L
 * (d ∝ log(L)·L^−β, rate = β; Hayou et al.'s Thm 1 rate log(L)/L for smooth φ on the edge of chaos is β = 1); or
 * logarithmic, log d = a − β log log L (d ∝ (log L)^−β, rate = β; the scaled ResNet's regime). rss is the residual
 * sum of squares of log d, comparable across the models (each has two free parameters).
 */
public record RateFit(String model, double rate, double intercept, double rss, int from, int to, int points) {

    /** The exponential depth scale ξ = 1/rate (exponential model only). */
    public double xi() {
        return 1.0 / rate;
    }

    /** Fits log d against t = L (exponential), log L (polynomial; log-polynomial after removing log log L; L ≥ 2) or log log L (logarithmic; L ≥ 2) where d &gt; 0. */
    static RateFit fit(String model, int[] depths, double[] distance, int from, int to) {
        double st = 0;
        double sy = 0;
        double stt = 0;
        double sty = 0;
        int m = 0;
        for (int k = 0; k < depths.length; k++) {
            int l = depths[k];
            if (!usable(model, l, from, to, distance[k])) {
                continue;
            }
            double t = abscissa(model, l);
            double y = ordinate(model, l, distance[k]);
            st += t;
            sy += y;
            stt += t * t;
            sty += t * y;
            m++;
        }
        if (m < 3) {
            return new RateFit(model, Double.NaN, Double.NaN, Double.NaN, from, to, m);
        }
        double slope = (m * sty - st * sy) / (m * stt - st * st);
        double a = (sy - slope * st) / m;
        double rss = 0;
        for (int k = 0; k < depths.length; k++) {
            int l = depths[k];
            if (!usable(model, l, from, to, distance[k])) {
                continue;
            }
            double t = abscissa(model, l);
            double r = ordinate(model, l, distance[k]) - (a + slope * t);
            rss += r * r;
        }
        return new RateFit(model, -slope, a, rss, from, to, m);
    }

    private static boolean usable(String model, int l, int from, int to, double d) {
        return l >= from && l <= to && d > 0 && Double.isFinite(d) && (l >= 2 || model.equals("exponential") || model.equals("polynomial"));
    }

    /** log d, less the fixed log log L factor of the log-polynomial model. */
    private static double ordinate(String model, int l, double d) {
        return model.equals("log-polynomial") ? Math.log(d) - Math.log(Math.log(l)) : Math.log(d);
    }

    private static double abscissa(String model, int l) {
        return switch (model) {
            case "exponential" -> l;
            case "polynomial", "log-polynomial" -> Math.log(l);
            case "logarithmic" -> Math.log(Math.log(l));
            default -> throw new IllegalArgumentException(model);
        };
    }
}
