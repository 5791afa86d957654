package ntk.cli;

import java.nio.file.Path;
import ntk.io.AtomicFiles;

/** Text outputs (CSV, reports), written by the one atomic writer ({@link AtomicFiles}): umask permissions, fsync. */
final class Outputs {
    private Outputs() {
    }

    static void writeText(Path file, CharSequence text) {
        AtomicFiles.writeString(file, text);
    }
}
