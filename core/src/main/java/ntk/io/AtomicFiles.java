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
        /**
         * Writes the whole content to {@code out}.
         * @param out the stream of the temporary file
         * @throws java.io.IOException on a write error
         */
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

    /**
     * Opens a group of writes on this thread: until {@link Group#commit}, every file written (by this class,
     * {@link Npy} or {@link Npz}) goes to its temporary file only; commit renames them all into place, one after the
     * other, once every file is complete; close without commit deletes them and leaves every target as it was. A
     * command with several outputs (a mean and a covariance, records and their CSV) thus replaces all or none.
     */
    public static Group group() {
        if (FileIo.GROUP.get() != null) {
            throw new IllegalStateException("a group of writes is already open on this thread");
        }
        Group g = new Group();
        FileIo.GROUP.set(g.pending);
        return g;
    }

    /** Writes held back until {@link #commit}; see {@link AtomicFiles#group()}. */
    public static final class Group implements AutoCloseable {
        private final java.util.Map<Path, Path> pending = new java.util.LinkedHashMap<>();
        private boolean open = true;

        private Group() {
        }

        /** Renames every written file into place (in the order written). */
        public void commit() {
            FileIo.GROUP.remove();
            open = false;
            for (java.util.Iterator<java.util.Map.Entry<Path, Path>> it = pending.entrySet().iterator(); it.hasNext();) {
                java.util.Map.Entry<Path, Path> e = it.next();
                try {
                    FileIo.moveIntoPlace(e.getValue(), e.getKey());
                } catch (java.io.IOException ex) {
                    throw new ntk.BadInputException(e.getKey() + ": cannot write: " + FileIo.describe(ex), ex);
                }
                it.remove();
            }
        }

        /** Without {@link #commit}: deletes the temporary files; the targets stay as they were. */
        @Override
        public void close() {
            if (open) {
                FileIo.GROUP.remove();
                open = false;
            }
            for (Path tmp : pending.values()) {
                TempFiles.deleteTree(tmp);
                TempFiles.release(tmp);
            }
            pending.clear();
        }
    }

    /** Writes {@code bytes}, atomically. */
    public static void writeBytes(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }
}
