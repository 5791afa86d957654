package ntk.cli;

import java.nio.file.Path;
import java.util.Locale;
import ntk.BadInputException;
import ntk.dynamics.Classification;
import ntk.NdArray;
import ntk.io.Npy;
import picocli.CommandLine.Option;

/**
 * {@code ntk predict --classify}: regression on one-hot targets built from integer labels (0.9 for the class,
 * −0.1 elsewhere, zero-mean as Lee et al. 2018 §3), the predicted class is the argmax of the mean, and the
 * accuracy against {@code --test-labels} is printed.
 */
final class ClassifyOptions {
    static final double ON = 0.9;
    static final double OFF = -0.1;

    @Option(names = "--classify", description = "classification: one-hot regression on --train-labels (0.9 / -0.1),"
            + " argmax of the mean; --out holds the mean (m, classes)")
    boolean classify;

    @Option(names = "--train-labels", description = "with --classify: integer class labels 0..C-1 of X, .npy (n,)"
            + " (instead of --train-y)")
    Path trainLabels;

    @Option(names = "--test-labels", description = "with --classify: labels of T, .npy (m,); the accuracy is printed")
    Path testLabels;

    @Option(names = "--labels-out", description = "with --classify: predicted classes of T, .npy (m,)")
    Path labelsOut;

    private int classes;
    private int[] truth;

    /**
     * Before any work: the test labels (if given) read and checked against the m test inputs, so a wrong count is
     * refused before anything is computed or written.
     */
    void checkTestLabels(int m) {
        if (classify && testLabels != null) {
            truth = labels(testLabels, "--test-labels", m);
        }
    }

    /** Checks the combination; returns the one-hot targets (n, C) when classifying, else null. */
    NdArray targets(Path trainY, int n) {
        if (!classify) {
            if (trainLabels != null || testLabels != null || labelsOut != null) {
                throw new BadInputException("--train-labels, --test-labels and --labels-out need --classify");
            }
            if (trainY == null) {
                throw new BadInputException("--train-y is required (or --classify with --train-labels)");
            }
            return null;
        }
        if (trainY != null || trainLabels == null) {
            throw new BadInputException("--classify takes --train-labels (integer classes) instead of --train-y");
        }
        if (labelsOut != null) {
            Inputs.checkWritable(labelsOut, "--labels-out");
        }
        int[] labels = labels(trainLabels, "--train-labels", n);
        classes = Math.max(2, java.util.Arrays.stream(labels).max().orElse(0) + 1);
        return new NdArray(new int[] {n, classes}, Classification.oneHot(labels, classes, ON, OFF));
    }

    /**
     * After the prediction: argmax, predicted labels (written, inside the command's group of writes); returns the
     * accuracy line to print once the outputs are in place (empty without --test-labels).
     */
    String report(double[] mean, int m) {
        if (!classify) {
            return "";
        }
        int[] predicted = Classification.argmax(mean, m, classes);
        String line = "";
        if (testLabels != null) {
            if (truth == null) {
                truth = labels(testLabels, "--test-labels", m);
            }
            double acc = Classification.accuracy(mean, m, classes, truth);
            line = String.format(Locale.ROOT, "accuracy %.4f (%d of %d test points, %d classes)%n", acc,
                    Math.round(acc * m), m, classes);
        }
        if (labelsOut != null) {
            double[] p = new double[m];
            for (int i = 0; i < m; i++) {
                p[i] = predicted[i];
            }
            Npy.write(labelsOut, NdArray.vector(p));
        }
        return line;
    }

    /** Integer labels 0..999 from a .npy of shape (n,) or (n, 1), integer or float dtype. */
    static int[] labels(Path file, String option, int n) {
        NdArray a;
        try {
            a = Npy.read(file);
        } catch (BadInputException e) {
            throw e.getMessage().contains("unsupported dtype") ? new BadInputException(e.getMessage()
                    + "; save labels as floats, e.g. np.save(f, labels.astype(float))") : e;
        }
        if (!(a.rank() == 1 || a.rank() == 2 && a.dim(1) == 1)) {
            throw new BadInputException(file + ": " + option + " must have shape (n,), got " + a.shapeString());
        }
        if (a.dim(0) != n) {
            throw new BadInputException(file + ": " + option + " has " + a.dim(0) + " labels for " + n + " points");
        }
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            double v = a.data[i];
            if (!(v >= 0 && v < 1000 && v == Math.rint(v))) {
                throw new BadInputException(file + ": " + option + " entry " + i + " is " + v
                        + ", not a class number 0..999");
            }
            l[i] = (int) v;
        }
        return l;
    }
}
