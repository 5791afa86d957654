package ntk.dynamics;

/**
 * Classification by regression on one-hot targets, as the NNGP/NTK papers do (Lee et al. 2018 §3;
 * Arora et al. 2019): regress on one-hot Y, predict the class of the largest mean output.
 */
public final class Classification {
    private Classification() {
    }

    /** One-hot rows (m×classes): {@code on} at the label's column, {@code off} elsewhere (Lee et al. 2018 use 0.9 / −0.1). */
    public static double[] oneHot(int[] labels, int classes, double on, double off) {
        double[] y = new double[Math.multiplyExact(labels.length, classes)];
        java.util.Arrays.fill(y, off);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new ntk.BadInputException("label " + labels[i] + " at row " + i + " is outside 0.." + (classes - 1));
            }
            y[i * classes + labels[i]] = on;
        }
        return y;
    }

    /** One-hot rows with 1 and 0. */
    public static double[] oneHot(int[] labels, int classes) {
        return oneHot(labels, classes, 1, 0);
    }

    /** Column of the largest entry of each row of the row-major m×o array (the first on ties). */
    public static int[] argmax(double[] rows, int m, int o) {
        int[] a = new int[m];
        for (int r = 0; r < m; r++) {
            int best = 0;
            for (int c = 1; c < o; c++) {
                if (rows[r * o + c] > rows[r * o + best]) {
                    best = c;
                }
            }
            a[r] = best;
        }
        return a;
    }

    /** Fraction of rows whose predicted class (argmax of the m×o mean) equals the label. */
    public static double accuracy(double[] predicted, int m, int o, int[] labels) {
        if (labels.length != m) {
            throw ntk.BadInputException.of("labels has " + labels.length
                    + " entries for " + m + " predictions");
        }
        int[] p = argmax(predicted, m, o);
        int right = 0;
        for (int r = 0; r < m; r++) {
            right += p[r] == labels[r] ? 1 : 0;
        }
        return m == 0 ? Double.NaN : (double) right / m;
    }

    /**
     * Fraction of rows where argmax of the prediction equals argmax of the one-hot (or score) targets, both m×o (the
     * parameter order of {@link #accuracy(double[], int, int, int[])}: prediction, its shape, the truth).
     *
     * @param predicted the predicted means, row-major m × o
     * @param m rows
     * @param o outputs (classes)
     * @param targets one-hot or score targets, row-major m × o
     * @return the fraction right, NaN for m = 0
     */
    public static double accuracy(double[] predicted, int m, int o, double[] targets) {
        return accuracy(predicted, m, o, argmax(targets, m, o));
    }

    /**
     * As {@link #accuracy(double[], int, int, double[])}, in another parameter order.
     *
     * @param predicted the predicted means, m × o
     * @param targets the targets, m × o
     * @param m rows
     * @param o outputs
     * @return the fraction right
     * @deprecated the order differs from the labels form; use {@link #accuracy(double[], int, int, double[])}
     */
    @Deprecated(since = "0.1.0")
    public static double accuracy(double[] predicted, double[] targets, int m, int o) {
        return accuracy(predicted, m, o, targets);
    }

    /**
     * Fraction of rows of the (m, o) prediction whose argmax equals the label.
     *
     * @param predicted the predicted means, (m, o)
     * @param labels m labels in 0..o−1
     * @return the fraction right, NaN for m = 0
     */
    public static double accuracy(ntk.NdArray predicted, int[] labels) {
        return accuracy(predicted.data(), predicted.dim(0), columns(predicted), labels);
    }

    /**
     * Fraction of rows where the argmax of the (m, o) prediction equals that of the (m, o) one-hot targets.
     *
     * @param predicted the predicted means, (m, o)
     * @param targets the targets, (m, o)
     * @return the fraction right, NaN for m = 0
     */
    public static double accuracy(ntk.NdArray predicted, ntk.NdArray targets) {
        if (!java.util.Arrays.equals(predicted.shape(), targets.shape())) {
            throw ntk.BadInputException.of("targets have shape " + targets.shapeString()
                    + ", the prediction " + predicted.shapeString());
        }
        return accuracy(predicted.data(), predicted.dim(0), columns(predicted), targets.data());
    }

    private static int columns(ntk.NdArray a) {
        if (a.rank() != 2) {
            throw ntk.BadInputException.of("predicted must be (m, o), got "
                    + a.shapeString());
        }
        return a.dim(1);
    }
}
