// Shared file plumbing for ntk.io: atomic replace-on-write and one-line messages for OS errors.
package ntk.io;

import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.util.Map;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import ntk.BadInputException;

/** Helpers shared by {@link Npy}, {@link Npz} and {@link AtomicFiles}. */
final class FileIo {
    private FileIo() {
    }

    /** Writes the body of a file. */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * A new empty file ".name.XXXX.tmp" beside the target. Unlike Files.createTempFile (always mode 600)
     * it gets the permissions the umask gives, so the renamed output is readable as users expect.
     */
    private static Path createTemp(Path dir, String fileName) throws IOException {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve("." + fileName + "." + Long.toUnsignedString(r.nextLong(), 36) + ".tmp");
            try {
                TempFiles.register(p);
                try {
                    Files.newByteChannel(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                } catch (IOException | RuntimeException e) {
                    TempFiles.release(p);
                    throw e;
                }
                return p;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    /** The writes of an {@link AtomicFiles.Group} open on this thread: temporary file -> target, renamed on commit. */
    static final ThreadLocal<Map<Path, Path>> GROUP = new ThreadLocal<>();

    /**
     * Writes {@code target} atomically: the body goes to a temp file in the same directory, which is
     * flushed, fsynced and closed, then moved over the target. On any failure the temp file is deleted
     * and an existing target is left untouched. OS errors become a one-line {@link BadInputException}.
     */
    static void writeAtomically(Path target, Body body) {
        writeChannelAtomically(target, ch -> {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
            body.writeTo(out);
            out.flush();
        });
    }

    /** Writes the body of a file straight to its channel (positional or sequential writes). */
    @FunctionalInterface
    interface ChannelBody {
        void writeTo(FileChannel ch) throws IOException;
    }

    /** As {@link #writeAtomically}, the body writing to the temporary file's channel. */
    static void writeChannelAtomically(Path target, ChannelBody body) {
        try (Pending p = open(target)) {
            try {
                body.writeTo(p.channel());
            } catch (IOException e) {
                throw p.failure(e);
            }
            p.commit();
        }
    }

    /**
     * Opens the temporary file of an atomic write of {@code target} (checks as {@link #writeAtomically}): the caller
     * writes to {@link Pending#channel()} (from any threads, positional writes), then {@link Pending#commit()}
     * fsyncs and renames it into place (or hands it to the open {@link AtomicFiles.Group} of the opening thread);
     * {@link Pending#close()} without commit deletes it, leaving the target untouched. The file is registered with
     * {@link TempFiles}, so a signal also removes it.
     */
    static Pending open(Path target) {
        String name = target.toString();
        if (name.isEmpty()) {
            throw new BadInputException("cannot write a file with an empty name");
        }
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path fileName = abs.getFileName();
        if (dir == null || fileName == null) {
            throw new BadInputException(name + ": cannot write: not a file path");
        }
        requireReplaceable(abs, name);
        Path tmp;
        try {
            tmp = createTemp(dir, fileName.toString());
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            throw new BadInputException(name + ": cannot write: " + describe(e), e);
        }
        Pending p = new Pending(name, abs, dir, tmp, GROUP.get());
        try {
            p.ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            p.close();
            throw new BadInputException(name + ": cannot write: " + describe(e), e);
        }
        return p;
    }

    /** An atomic write in progress; see {@link #open}. */
    static final class Pending implements AutoCloseable {
        private final String name;
        private final Path abs;
        private final Path dir;
        private final Path tmp;
        private final Map<Path, Path> group;
        private FileChannel ch;
        private boolean done;

        private Pending(String name, Path abs, Path dir, Path tmp, Map<Path, Path> group) {
            this.name = name;
            this.abs = abs;
            this.dir = dir;
            this.tmp = tmp;
            this.group = group;
        }

        /** The temporary file's channel, open for writing. */
        FileChannel channel() {
            return ch;
        }

        /** The one-line message for an I/O failure while writing this file. */
        BadInputException failure(IOException e) {
            return new BadInputException(name + ": cannot write: " + describe(e), e);
        }

        /** Fsyncs and closes the temporary file, then renames it over the target (or hands it to the group). */
        void commit() {
            try {
                ch.force(true);
                ch.close();
                if (group != null) { // renamed with the group's other files on commit
                    Path earlier = group.remove(abs);
                    if (earlier != null) {
                        Files.deleteIfExists(earlier);
                        TempFiles.release(earlier);
                    }
                    group.put(abs, tmp);
                    done = true;
                    return;
                }
                moveIntoPlace(tmp, abs);
                done = true;
                syncDirectory(dir);
            } catch (IOException e) {
                throw failure(e);
            }
        }

        /** Without {@link #commit}: closes and deletes the temporary file; the target stays as it was. */
        @Override
        public void close() {
            if (done) {
                return;
            }
            done = true;
            try {
                if (ch != null) {
                    ch.close();
                }
            } catch (IOException | RuntimeException ignored) {
                // best effort: the original failure is what matters
            }
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException | RuntimeException ignored) {
                // best effort: the original failure is what matters
            }
            TempFiles.release(tmp);
        }
    }

    /** Renames a finished temporary file over its target (atomically where the file system can). */
    static void moveIntoPlace(Path tmp, Path abs) throws IOException {
        try {
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
        }
        TempFiles.release(tmp);
    }

    /**
     * Only regular files are created or replaced: an existing directory, device node, FIFO, socket or symbolic link
     * at the target is refused (a rename over {@code /dev/null} as root would replace the device with a file).
     */
    static void requireReplaceable(Path abs, String name) {
        if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isSymbolicLink(abs)) {
            throw new BadInputException(name + ": cannot write: is a symbolic link; ntk replaces only regular files"
                    + " (give the path of the file it points to)");
        }
        if (Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
            throw new BadInputException(name + ": cannot write: is a directory");
        }
        if (!Files.isRegularFile(abs, LinkOption.NOFOLLOW_LINKS)) {
            throw new BadInputException(name + ": cannot write: not a regular file (a device, FIFO or socket);"
                    + " ntk writes only regular files");
        }
    }

    /** Best effort: fsync the directory so the rename itself is durable (not supported everywhere). */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException ignored) {
            // some platforms cannot open or sync a directory; the file itself is already synced
        }
    }

    /** A short one-line description of an OS-level failure, without the path repeated. */
    static String describe(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof FileNotFoundException) {
            return "no such file or not readable";
        }
        String msg;
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            msg = fse.getReason();
        } else {
            msg = e.getMessage();
        }
        if (msg == null || msg.isBlank()) {
            msg = e.getClass().getSimpleName();
        }
        return oneLine(msg);
    }

    /** Collapses line breaks and control characters and caps the length, for one-line messages. */
    static String oneLine(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && sb.length() < 200; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        if (sb.length() >= 200 && s.length() > 200) {
            sb.append("...");
        }
        return sb.toString().strip();
    }

    /** Checks that {@code file} is an existing regular file, else throws a one-line message. */
    static void requireReadableFile(Path file) {
        String name = file.toString();
        if (!Files.exists(file)) {
            throw new BadInputException(name + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new BadInputException(name + ": is a directory, not a file");
        }
    }
}
