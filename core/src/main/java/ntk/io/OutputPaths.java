package ntk.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import ntk.BadInputException;

/**
 * Checks of output paths made before any work (README "Conventions"): a file output is a regular file or does not
 * exist yet, in an existing folder ntk can write into; a folder output is a folder holding only what ntk writes, or
 * does not exist yet under a folder ntk can write into; no output is an input and no two outputs are one path.
 * Every refusal is a one-line {@link BadInputException} naming the path and the option.
 */
public final class OutputPaths {
    /** What an output folder may hold: the files ntk writes (and, one level down, such folders: the demo's depth/). */
    private static final Set<String> OURS = Set.of("html", "json", "npz", "npy", "csv", "svg", "png", "txt");

    private OutputPaths() {
    }

    /** A file output ({@code --out K.npy}): see the class comment. */
    public static void checkFile(Path out, String option) {
        String name = out.toString();
        if (name.isEmpty()) {
            throw new BadInputException(option + " is empty: give a file name");
        }
        Path abs = out.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || abs.getFileName() == null) {
            throw new BadInputException(name + ": " + option + " is not a file path");
        }
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isDirectory(abs)) {
                throw new BadInputException(name + ": " + option + " is a directory");
            }
            if (Files.isSymbolicLink(abs)) {
                throw new BadInputException(name + ": " + option + " is a symbolic link; ntk replaces only regular"
                        + " files (give the path of the file it points to)");
            }
            if (!Files.isRegularFile(abs, LinkOption.NOFOLLOW_LINKS)) {
                throw new BadInputException(name + ": " + option + " is not a regular file (a device, FIFO or"
                        + " socket); ntk writes only regular files");
            }
        }
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(name + ": " + option + " directory " + dir
                    + (Files.exists(dir) ? " is not a directory" : " does not exist"));
        }
        probe(dir, name, option);
    }

    /**
     * A folder output replaced whole ({@code --out-dir}, an experiment's DIR/NAME): an existing one must be a folder
     * holding only files ntk writes (so replacing it loses nothing else), and must not be the current folder or hold
     * it; a missing one needs its nearest existing ancestor to be a folder ntk can write into.
     */
    public static void checkFolder(Path folder, String option) {
        String name = folder.toString();
        if (name.isEmpty()) {
            throw new BadInputException(option + " is empty: give a folder name");
        }
        Path abs = folder.toAbsolutePath().normalize();
        if (abs.getParent() == null) {
            throw new BadInputException(name + ": " + option + " cannot be the root folder");
        }
        Path cwd = Path.of("").toAbsolutePath().normalize();
        if (cwd.startsWith(abs)) {
            throw new BadInputException(name + ": " + option + " is the current folder or holds it; ntk replaces"
                    + " its output folder whole, so give a folder of its own (e.g. " + option + " ntk-out)");
        }
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isSymbolicLink(abs)) {
                throw new BadInputException(name + ": " + option + " is a symbolic link; give the folder it points to");
            }
            if (!Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
                throw new BadInputException(name + ": " + option + " is an existing file, not a folder");
            }
            List<String> foreign = new ArrayList<>();
            foreign(abs, 0, abs, foreign);
            if (!foreign.isEmpty()) {
                throw new BadInputException(name + ": " + option + " holds files ntk did not write (" + String.join(", ",
                        foreign.subList(0, Math.min(3, foreign.size()))) + (foreign.size() > 3 ? ", ..." : "")
                        + "); ntk replaces its output folder whole, so give a new or empty folder");
            }
        }
        Path p = abs.getParent();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null || !Files.isDirectory(p)) {
            throw new BadInputException(name + ": " + option + " cannot be created: " + p + " is not a folder");
        }
        probe(p, name, option);
    }

    private static void foreign(Path dir, int depth, Path root, List<String> out) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path f : ds) {
                String n = f.getFileName().toString();
                String rel = root.relativize(f).toString();
                if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
                    if (depth == 0) {
                        foreign(f, 1, root, out);
                    } else {
                        out.add(rel + "/");
                    }
                } else if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || n.lastIndexOf('.') < 0
                        || !OURS.contains(n.substring(n.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT))) {
                    out.add(rel);
                }
            }
        } catch (IOException e) {
            out.add(root.relativize(dir) + " (unreadable)");
        }
    }

    /** Refuses an output that is one of the inputs, or two outputs at one path (labels are the options). */
    public static void checkDistinct(Map<String, Path> outputs, Map<String, Path> inputs) {
        List<Map.Entry<String, Path>> outs = new ArrayList<>(outputs.entrySet());
        for (int i = 0; i < outs.size(); i++) {
            for (int j = i + 1; j < outs.size(); j++) {
                if (same(outs.get(i).getValue(), outs.get(j).getValue())) {
                    throw new BadInputException(outs.get(j).getValue() + ": " + outs.get(i).getKey() + " and "
                            + outs.get(j).getKey() + " are the same path; each output needs its own file");
                }
            }
            for (Map.Entry<String, Path> in : inputs.entrySet()) {
                if (same(outs.get(i).getValue(), in.getValue())) {
                    throw new BadInputException(outs.get(i).getValue() + ": " + outs.get(i).getKey() + " is the input "
                            + in.getKey() + "; write the output to another file");
                }
            }
        }
    }

    /** Same path, or the same existing file under two names (links). */
    static boolean same(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** Creates and deletes a temporary file in {@code dir}: the one test of "can write here" that root, read-only
     * mounts and /proc all answer truthfully. */
    private static void probe(Path dir, String name, String option) {
        Path p = dir.resolve(".ntk-write-test." + Long.toUnsignedString(
                java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        boolean made = false;
        try {
            TempFiles.register(p);
            Files.newByteChannel(p, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE).close();
            made = true;
            Files.delete(p);
        } catch (IOException | UnsupportedOperationException e) {
            if (made) {
                TempFiles.deleteTree(p);
            }
            throw new BadInputException(name + ": " + option + ": cannot write into " + dir + " ("
                    + FileIo.describe(e) + ")");
        } finally {
            TempFiles.release(p);
        }
    }
}
