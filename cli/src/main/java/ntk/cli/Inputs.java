package ntk.cli;

import java.nio.file.Path;
import ntk.BadInputException;
import ntk.Shape;
import ntk.arch.Network;
import ntk.NdArray;
import ntk.io.Npy;

/** Reading and checking the arrays the commands take. */
final class Inputs {
    private Inputs() {
    }

    /** An (n, d) float matrix of inputs, finite, with its file named in every complaint. */
    static NdArray matrix(Path file, String option) {
        NdArray a = Npy.read(file);
        if (a.rank() != 2) {
            throw new BadInputException(file + ": " + option + " must have shape (n, d), got " + a.shapeString());
        }
        if (a.dim(1) == 0) {
            throw new BadInputException(file + ": " + option + " has zero features, shape " + a.shapeString());
        }
        Npy.requireFinite(a, file.toString());
        return a;
    }

    /**
     * Examples for the network: (n, d) for a dense network, (n, length, channels) for a 1-D convolutional one,
     * images (n, height, width, channels) for a 2-D one, finite; a rank that does not fit the network is refused with
     * a one-line message naming the file.
     */
    static NdArray examples(Path file, String option, Network net) {
        NdArray a = Npy.read(file);
        boolean conv = net.convolutional();
        boolean images = net.imageNetwork();
        if (images && a.rank() != 4) {
            throw new BadInputException(file + ": " + option + " must have shape (n, height, width, channels) for a"
                    + " 2-D convolutional --arch (Conv2D, AvgPool2D), got " + a.shapeString()
                    + (a.rank() == 3 ? " (a single-channel image needs a last axis of 1)" : ""));
        }
        if (conv && !images && a.rank() != 3) {
            throw new BadInputException(file + ": " + option + " must have shape (n, length, channels) for a"
                    + " convolutional --arch (Conv1D), got " + a.shapeString()
                    + (a.rank() == 4 ? " (images (n, height, width, channels) need Conv2D layers)" : ""));
        }
        if (!conv && a.rank() != 2) {
            throw new BadInputException(file + ": " + option + " must have shape (n, d) for a dense --arch, got "
                    + a.shapeString() + (a.rank() == 3 ? " (signals (n, length, channels) need Conv1D layers)"
                    : a.rank() == 4 ? " (images (n, height, width, channels) need Conv2D layers)" : ""));
        }
        for (int k = 1; k < a.rank(); k++) {
            if (a.dim(k) == 0) {
                throw new BadInputException(file + ": " + option + " has an empty axis, shape " + a.shapeString());
            }
        }
        Npy.requireFinite(a, file.toString());
        return a;
    }

    /** The shape of one example of an (n, d), (n, length, channels) or (n, height, width, channels) array. */
    static Shape shape(NdArray a) {
        return Shape.ofExample(java.util.Arrays.copyOfRange(a.shape, 1, a.rank()));
    }

    /** Refuses second inputs whose examples differ in shape from the first's, naming both files. */
    static void sameShape(NdArray a, Path fileA, String optA, NdArray b, Path fileB, String optB) {
        if (b != null && !shape(a).equals(shape(b))) {
            if (!shape(a).spatial() && !shape(b).spatial()) {
                throw new BadInputException(fileB + ": " + optB + " has " + b.dim(1) + " features but " + optA + " ("
                        + fileA + ") has " + a.dim(1));
            }
            throw new BadInputException(fileB + ": " + optB + " has examples of shape " + shape(b) + " but " + optA
                    + " (" + fileA + ") has " + shape(a));
        }
    }

    /**
     * Refuses, before any work, an output path ntk cannot write as a regular file (ntk.io.OutputPaths: a missing
     * or unwritable folder, a directory, device, FIFO or symbolic link at the path).
     */
    static void checkWritable(Path out, String option) {
        ntk.io.OutputPaths.checkFile(out, option);
    }

    /** The default --max-work of train and monte-carlo: 1e15 floating-point operations (hours on two cores). */
    static final String DEFAULT_MAX_WORK = "1e15";

    /**
     * Refuses (before any work) a job estimated at more than maxWork floating-point operations, naming the estimate,
     * the flag that raises the bound and what the job is.
     */
    static void checkWork(double work, double maxWork, String what) {
        if (!(maxWork > 0)) {
            throw new BadInputException("--max-work must be > 0, got " + maxWork);
        }
        if (!(work <= maxWork)) {
            throw new BadInputException(String.format(java.util.Locale.ROOT, "%s is estimated at %.3g floating-point"
                    + " operations (about %.3g hours at 5e10/s), past --max-work %.3g; raise --max-work or make it"
                    + " smaller", what, work, work / 5e10 / 3600, maxWork));
        }
    }

    /** Refuses a job whose working set (bytes) exceeds the free heap, naming what needs it and the estimate. */
    static void checkHeap(long bytes, String what) {
        checkHeap(bytes, what, null);
    }

    /** As {@link #checkHeap(long, String)}, naming a way past this machine's memory (e.g. "--engine spark") too. */
    static void checkHeap(long bytes, String what, String alternative) {
        long free = ntk.HeapBudget.free();
        if (bytes > free) {
            throw new BadInputException(String.format("%s need about %.3f GB, but only %.3f GB of heap is free for large arrays"
                    + " (raise it with NTK_HEAP, e.g. NTK_HEAP=20g%s)", what, bytes / 1e9, free / 1e9,
                    alternative == null ? "" : ", or run it in blocks with " + alternative));
        }
    }

    /**
     * Integer class labels in [0, classes): shape (n,) or (n, 1), n of them, each value an integer (any NumPy integer
     * dtype, as np.save writes labels, or integral floats).
     */
    static int[] labels(Path file, String option, int n, int classes) {
        NdArray a = Npy.read(file);
        if (!(a.rank() == 1 || a.rank() == 2 && a.dim(1) == 1)) {
            throw new BadInputException(file + ": " + option + " must have shape (n,), got " + a.shapeString());
        }
        if (a.dim(0) != n) {
            throw new BadInputException(file + ": " + option + " has " + a.dim(0) + " labels but there are " + n
                    + " inputs");
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            double v = a.data[i];
            if (v != Math.rint(v) || v < 0 || v >= classes) {
                throw new BadInputException(file + ": " + option + " entry " + i + " is " + v + ", not a class in [0, "
                        + classes + ") (one per network output)");
            }
            out[i] = (int) v;
        }
        return out;
    }

    /** A (n, o) target matrix; a vector (n,) is taken as (n, 1). Finite, n rows. */
    static NdArray targets(Path file, String option, int n) {
        NdArray y = Npy.read(file);
        if (y.rank() == 1) {
            y = new NdArray(new int[] {y.dim(0), 1}, y.data);
        }
        if (y.rank() != 2) {
            throw new BadInputException(file + ": " + option + " must have shape (n, o), got " + y.shapeString());
        }
        if (y.dim(0) != n) {
            throw new BadInputException(file + ": " + option + " has " + y.dim(0) + " rows but there are " + n
                    + " training inputs");
        }
        Npy.requireFinite(y, file.toString());
        return y;
    }
}
