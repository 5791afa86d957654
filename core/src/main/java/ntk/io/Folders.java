package ntk.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;
import ntk.BadInputException;

/**
 * A multi-file output (an experiment's folder, the demo's folder with its {@code depth/}) replaced whole or not at
 * all: the new folder is built in a sibling temporary folder ".name.XXXX.tmp", then swapped in. On Linux the swap is
 * one {@code renameat2(RENAME_EXCHANGE)} (the old folder stays in place until the new one is); elsewhere the old
 * folder is renamed aside, the new one renamed in, and the old one put back if that fails (or if the JVM is stopped
 * between the two renames). A failure or a kill while the files are written leaves the old folder whole and no
 * temporary folder behind.
 */
public final class Folders {
    private Folders() {
    }

    /**
     * Builds {@code target} with {@code fill} (called with an empty sibling folder) and swaps it in; the parent is
     * created if missing. An existing {@code target} must be a folder (it is replaced as a whole).
     */
    public static void replace(Path target, Consumer<Path> fill) {
        String name = target.toString();
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null || abs.getFileName() == null) {
            throw new BadInputException(name + ": cannot write a folder here");
        }
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && (Files.isSymbolicLink(abs)
                || !Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS))) {
            throw new BadInputException(name + ": cannot write the output folder: "
                    + (Files.isSymbolicLink(abs) ? "is a symbolic link" : "a file of that name exists"));
        }
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new BadInputException(parent + ": cannot create the output folder (" + FileIo.describe(e) + ")", e);
        }
        String base = abs.getFileName().toString();
        Path stage = sibling(parent, base, ".tmp");
        try {
            TempFiles.register(stage);
            Files.createDirectory(stage);
        } catch (IOException e) {
            TempFiles.release(stage);
            throw new BadInputException(name + ": cannot write: " + FileIo.describe(e), e);
        }
        boolean swapped = false;
        try {
            fill.accept(stage);
            if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(stage, abs, StandardCopyOption.ATOMIC_MOVE);
                TempFiles.release(stage);
            } else if (exchange(stage, abs)) {
                // stage now holds the old folder: deleted below
                swapped = true;
            } else {
                Path old = sibling(parent, base, ".old");
                TempFiles.registerRestore(old, abs);
                Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
                try {
                    Files.move(stage, abs, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    Files.move(old, abs, StandardCopyOption.ATOMIC_MOVE);
                    TempFiles.release(old);
                    throw e;
                }
                TempFiles.release(stage);
                TempFiles.deleteTree(old);
                TempFiles.release(old);
            }
            syncDirectory(parent);
        } catch (IOException e) {
            throw new BadInputException(name + ": cannot write: " + FileIo.describe(e), e);
        } finally {
            if (swapped || Files.exists(stage, LinkOption.NOFOLLOW_LINKS)) {
                TempFiles.deleteTree(stage);
                if (swapped && Files.exists(stage, LinkOption.NOFOLLOW_LINKS)) { // e.g. an immutable file in it
                    System.err.println("ntk: warning: " + name + " is written whole, but the previous folder could"
                            + " not be removed completely; what is left of it is in " + stage);
                    System.err.flush();
                }
            }
            TempFiles.release(stage);
        }
    }

    private static Path sibling(Path parent, String base, String suffix) {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        for (;;) {
            Path p = parent.resolve("." + base + "." + Long.toUnsignedString(r.nextLong(), 36) + suffix);
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return p;
            }
        }
    }

    private static void syncDirectory(Path dir) {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir,
                java.nio.file.StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }

    private static final int AT_FDCWD = -100;
    private static final int RENAME_EXCHANGE = 2;
    private static volatile MethodHandle renameat2;
    private static volatile boolean noRenameat2;

    /** Linux renameat2(RENAME_EXCHANGE): swaps two paths atomically; false where unavailable (then two renames). */
    static boolean exchange(Path a, Path b) {
        if (noRenameat2 || !System.getProperty("os.name", "").startsWith("Linux")) {
            return false;
        }
        try {
            MethodHandle h = renameat2;
            if (h == null) {
                Linker linker = Linker.nativeLinker();
                MemorySegment f = linker.defaultLookup().find("renameat2").orElse(null);
                if (f == null) {
                    noRenameat2 = true;
                    return false;
                }
                h = linker.downcallHandle(f, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
                renameat2 = h;
            }
            try (Arena arena = Arena.ofConfined()) {
                int rc = (int) h.invokeExact(AT_FDCWD, arena.allocateFrom(a.toString()), AT_FDCWD,
                        arena.allocateFrom(b.toString()), RENAME_EXCHANGE);
                return rc == 0;
            }
        } catch (Throwable t) { // no native access, no symbol: the two-rename path
            noRenameat2 = true;
            return false;
        }
    }
}
