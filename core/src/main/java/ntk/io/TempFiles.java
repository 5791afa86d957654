package ntk.io;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The temporary files and folders ntk has open beside its outputs (".name.XXXX.tmp"), removed by a shutdown hook when
 * the JVM stops early: SIGTERM (exit 143), SIGINT (130), SIGHUP, or {@code System.exit} from another thread. A kill
 * therefore leaves no temporary file behind and the previous output untouched (it is only ever replaced by a rename).
 * A folder swap in progress registers how to put the old folder back ({@link #registerRestore}).
 */
public final class TempFiles {
    private static final Map<Path, Runnable> LIVE = new LinkedHashMap<>();
    private static boolean stopping;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TempFiles::cleanUp, "ntk-temp-files"));
    }

    private TempFiles() {
    }

    /** Deletes {@code path} (a file, or a folder with everything in it) if the JVM stops before {@link #release}. */
    public static void register(Path path) {
        Path p = path.toAbsolutePath();
        register(p, () -> deleteTree(p));
    }

    /**
     * While a folder swap is between its two renames: on shutdown, {@code old} goes back to {@code target} if
     * {@code target} is missing, else it is deleted.
     */
    public static void registerRestore(Path old, Path target) {
        Path o = old.toAbsolutePath();
        Path t = target.toAbsolutePath();
        register(o, () -> {
            try {
                if (!Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(o, t);
                } else {
                    deleteTree(o);
                }
            } catch (IOException | RuntimeException ignored) {
                // best effort while the JVM stops
            }
        });
    }

    private static synchronized void register(Path p, Runnable cleanUp) {
        if (stopping) { // the hook has run or is running: this file would be left behind, so refuse to make it
            deleteTree(p);
            throw new IllegalStateException("ntk is stopping");
        }
        LIVE.put(p, cleanUp);
    }

    /** The path is renamed into place or deleted: nothing to clean up any more. */
    public static synchronized void release(Path path) {
        LIVE.remove(path.toAbsolutePath());
    }

    /** The paths registered now (for tests). */
    public static synchronized List<Path> live() {
        return new ArrayList<>(LIVE.keySet());
    }

    static synchronized void cleanUp() {
        stopping = true;
        for (Runnable r : LIVE.values()) {
            try {
                r.run();
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
        LIVE.clear();
    }

    /** Deletes a file or a folder tree; best effort, never throws. */
    public static void deleteTree(Path p) {
        try {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(p);
                return;
            }
            Files.walkFileTree(p, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                    Files.deleteIfExists(f);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }
}
