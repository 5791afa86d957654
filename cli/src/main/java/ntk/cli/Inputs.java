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
}
