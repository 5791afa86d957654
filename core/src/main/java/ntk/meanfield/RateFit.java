package ntk.meanfield;

/**
 * A least-squares line through log-distances over the depths [from, to]: exponential, log d = a − L/ξ
 * (rate = 1/ξ); polynomial, log d = a − β log L (rate = β); or logarithmic, log d = a − β log log L
 * (d ∝ (log L)^−β, rate = β; the scaled ResNet's regime). rss is the residual sum of squares of log d.
 */
public record RateFit(String model, double rate, double intercept, double rss, int from, int to, int points) {

    /** The exponential depth scale ξ = 1/rate (exponential model only). */
    public double xi() {
        return 1.0 / rate;
    }

    /** Fits log d against t = L (exponential), log L (polynomial) or log log L (logarithmic; L ≥ 2) where d &gt; 0. */
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
            double y = Math.log(distance[k]);
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
            double r = Math.log(distance[k]) - (a + slope * t);
            rss += r * r;
        }
        return new RateFit(model, -slope, a, rss, from, to, m);
    }

    private static boolean usable(String model, int l, int from, int to, double d) {
        return l >= from && l <= to && d > 0 && Double.isFinite(d) && (l >= 2 || !model.equals("logarithmic"));
    }

    private static double abscissa(String model, int l) {
        return switch (model) {
            case "exponential" -> l;
            case "polynomial" -> Math.log(l);
            case "logarithmic" -> Math.log(Math.log(l));
            default -> throw new IllegalArgumentException(model);
        };
    }
}
