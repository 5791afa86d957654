package ntk.experiments;

import java.util.SplittableRandom;

/** Synthetic inputs of the experiments: the unit circle, Gaussian samples, uniform points on a sphere. */
public final class Points {
    private Points() {
    }

    /** The angles γ_j = −π + 2πj/(k − 1), j = 0..k−1 (both ends included, as Jacot et al.'s Fig. 1). */
    public static double[] angles(int k) {
        double[] g = new double[k];
        for (int j = 0; j < k; j++) {
            g[j] = -Math.PI + 2 * Math.PI * j / (k - 1);
        }
        return g;
    }

    /** x(γ) = (cos γ, sin γ) for each angle, row-major k×2. */
    public static double[] circle(double[] gammas) {
        double[] x = new double[2 * gammas.length];
        for (int j = 0; j < gammas.length; j++) {
            x[2 * j] = Math.cos(gammas[j]);
            x[2 * j + 1] = Math.sin(gammas[j]);
        }
        return x;
    }

    /** n samples of N(0, I_d), row-major n×d. */
    public static double[] gaussian(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[Math.multiplyExact(n, d)];
        for (int i = 0; i < x.length; i++) {
            x[i] = gaussian(r);
        }
        return x;
    }

    /** n points uniform on the unit sphere S^{d−1} ⊂ R^d (normalised Gaussians), row-major n×d. */
    public static double[] sphere(int n, int d, long seed) {
        double[] x = gaussian(n, d, seed);
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += x[i * d + k] * x[i * d + k];
            }
            double f = 1 / Math.sqrt(s);
            for (int k = 0; k < d; k++) {
                x[i * d + k] *= f;
            }
        }
        return x;
    }

    /** Rows rescaled to Euclidean norm r (zero rows stay zero). */
    public static double[] rowsToNorm(double[] x, int n, int d, double r) {
        double[] out = x.clone();
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += x[i * d + k] * x[i * d + k];
            }
            if (s > 0) {
                double f = r / Math.sqrt(s);
                for (int k = 0; k < d; k++) {
                    out[i * d + k] *= f;
                }
            }
        }
        return out;
    }

    /** Marsaglia's polar method on a SplittableRandom (reproducible across JDKs, unlike Random.nextGaussian). */
    static double gaussian(SplittableRandom r) {
        while (true) {
            double u = 2 * r.nextDouble() - 1;
            double v = 2 * r.nextDouble() - 1;
            double s = u * u + v * v;
            if (s > 0 && s < 1) {
                return u * Math.sqrt(-2 * Math.log(s) / s);
            }
        }
    }
}
