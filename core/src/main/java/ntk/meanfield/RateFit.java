package ntk.meanfield;

/**
 * A least-squares line through log-distances: exponential, log d = a − L/ξ (rate = 1/ξ), or polynomial,
 * log d = a − β log L (rate = β), over the depths [from, to]; rss is the residual sum of squares of log d.
 */
public record RateFit(String model, double rate, double intercept, double rss, int from, int to, int points) {

    /** The exponential depth scale ξ = 1/rate (exponential model only). */
    public double xi() {
        return 1.0 / rate;
    }

    /** Fits log d against t = L (exponential) or t = log L (polynomial) for the depths with d &gt; 0. */
    static RateFit fit(String model, int[] depths, double[] distance, int from, int to) {
        double st = 0;
        double sy = 0;
        double stt = 0;
        double sty = 0;
        int m = 0;
        for (int k = 0; k < depths.length; k++) {
            int l = depths[k];
            if (l < from || l > to || !(distance[k] > 0) || !Double.isFinite(distance[k])) {
                continue;
            }
            double t = model.equals("exponential") ? l : Math.log(l);
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
            if (l < from || l > to || !(distance[k] > 0) || !Double.isFinite(distance[k])) {
                continue;
            }
            double t = model.equals("exponential") ? l : Math.log(l);
            double r = Math.log(distance[k]) - (a + slope * t);
            rss += r * r;
        }
        return new RateFit(model, -slope, a, rss, from, to, m);
    }
}
