package ntk.experiments;

import ntk.arch.Network;
import ntk.Parameterization;
import ntk.finite.FiniteNetwork;

/**
 * The networks of Jacot, Gabriel &amp; Hongler 2018, §6: fully connected ReLU networks of depth L (L Dense layers,
 * L − 1 hidden layers of equal width) in the NTK parameterisation, y = (1/√fan_in)·W x + β·b with raw
 * parameters N(0, 1), and bias scale β = 0.1.
 */
public final class JacotNetworks {
    /** The paper's bias scale β. */
    public static final double BETA = 0.1;
    /** The paper's depth L = 4 (three hidden layers). */
    public static final int DEPTH = 4;

    private JacotNetworks() {
    }

    /** The spec of the depth-L ReLU network of the given hidden width, bias scale β and number of outputs. */
    public static String spec(int width, int depth, double beta, int outputs) {
        if (width < 1 || depth < 2 || outputs < 1) {
            throw new ntk.BadInputException("width, outputs must be >= 1 and depth >= 2, got " + width + ", "
                    + outputs + ", " + depth);
        }
        return layers(Integer.toString(width), depth, beta, outputs);
    }

    /** The paper's network with the hidden width written as "w", for reports. */
    public static String template(int outputs) {
        return layers("w", DEPTH, BETA, outputs) + " (NTK parameterisation)";
    }

    private static String layers(String width, int depth, double beta, int outputs) {
        String dense = "Dense(" + width + ", b_std=" + beta + "), Relu, ";
        return dense.repeat(depth - 1) + "Dense(" + outputs + ", b_std=" + beta + ")";
    }

    /** The paper's network (L = 4, β = 0.1) at the given width. */
    public static Network network(int width, int outputs) {
        return Network.parse(spec(width, DEPTH, BETA, outputs), Parameterization.NTK);
    }

    /** The same network at finite width on inputs of dimension d. */
    public static FiniteNetwork finite(int width, int outputs, int d) {
        return new FiniteNetwork(network(width, outputs), d);
    }

    /** The infinite-width limit (hidden widths do not enter the NTK parameterisation's kernels). */
    public static Network limit(int outputs) {
        return network(1, outputs);
    }

    /**
     * Ordinary least squares of log values[w][s] against log widths[w] over every (width, seed) pair with a positive
     * finite value: the slope of a power law value ∝ width^slope with its standard error from the scatter of the
     * individual networks about the line (seed-to-seed spread and lack of fit together). NaN error with fewer than
     * three usable points.
     */
    static LineFit logLogPerSeed(int[] widths, double[][] values) {
        int m = 0;
        for (double[] v : values) {
            m += v.length;
        }
        double[] lx = new double[m];
        double[] ly = new double[m];
        int k = 0;
        for (int w = 0; w < widths.length; w++) {
            for (double v : values[w]) {
                boolean ok = v > 0 && Double.isFinite(v);
                lx[k] = ok ? Math.log(widths[w]) : Double.NaN;
                ly[k++] = ok ? Math.log(v) : Double.NaN;
            }
        }
        return LineFit.of(lx, ly);
    }

    /** Indices of the narrowest and the widest width. */
    static int[] narrowWide(int[] widths) {
        int narrow = 0;
        int wide = 0;
        for (int w = 0; w < widths.length; w++) {
            narrow = widths[w] < widths[narrow] ? w : narrow;
            wide = widths[w] > widths[wide] ? w : wide;
        }
        return new int[] {narrow, wide};
    }

    /** "−0.512 ± 0.061" for a fitted slope. */
    static String slope(LineFit f) {
        return f.slopeEstimate().show(3);
    }

    /** Seeds that would bring a standard error {@code se} measured with {@code seeds} seeds down to {@code target}. */
    static int seedsFor(double se, int seeds, double target) {
        return (int) Math.ceil(seeds * (se / target) * (se / target));
    }
}
