package ntk.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import ntk.BadInputException;
import ntk.io.NdArray;
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

    /** Refuses an output path whose directory does not exist, before any work is done. */
    static void checkWritable(Path out, String option) {
        Path dir = out.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new BadInputException(out + ": " + option + " directory " + dir + " does not exist");
        }
        if (Files.isDirectory(out)) {
            throw new BadInputException(out + ": " + option + " is a directory");
        }
    }

    /** Refuses a job whose working set (bytes) exceeds the free heap, naming what needs it and the estimate. */
    static void checkHeap(long bytes, String what) {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (bytes > free) {
            throw new BadInputException(String.format("%s need about %.2f GB, but only %.2f GB of heap is free"
                    + " (raise it with NTK_HEAP, e.g. NTK_HEAP=20g)", what, bytes / 1e9, free / 1e9));
        }
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
