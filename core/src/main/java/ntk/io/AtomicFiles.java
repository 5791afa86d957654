package ntk.io;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The one way ntk writes an output file (arrays, CSV, JSON, plots, reports): the bytes go to a temporary
 * file beside the target, which is flushed and fsynced, then renamed over the target. The file gets the
 * permissions the umask gives (not the 0600 of {@code Files.createTempFile}); on failure the target is left
 * untouched and no temporary file remains. OS errors become a one-line {@link ntk.BadInputException}.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes the body of a file to an output stream. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws java.io.IOException;
    }

    /** Writes {@code target} atomically from {@code body}. */
    public static void write(Path target, Body body) {
        FileIo.writeAtomically(target, body::writeTo);
    }

    /** Writes {@code text} as UTF-8, atomically. */
    public static void writeString(Path target, CharSequence text) {
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    /** Writes {@code bytes}, atomically. */
    public static void writeBytes(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }
}
