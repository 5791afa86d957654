package ntk.experiments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import ntk.BadInputException;
import ntk.NdArray;
import ntk.io.Npy;
import ntk.io.AtomicFiles;

/**
 * The finished pieces of a long experiment kept in a folder of the user's ({@code --checkpoint DIR}), so that a run
 * killed after hours (a signal, a machine that stops) and started again with the same folder and settings redoes only
 * what had not finished. Each piece is a few numbers in its own small text file, written atomically once the piece is
 * done; the folder's {@code settings.txt} names what the pieces were computed for, and a run with other settings is
 * refused rather than mixed with them. Numbers are stored in Java's shortest round-trip form, so a resumed run's
 * summary is the one an uninterrupted run would have written.
 */
public final class Checkpoint {
    static final String SETTINGS = "settings.txt";
    /** The option, for the experiments that keep their pieces (each lists it in its {@code params()}). */
    public static final Param PARAM = new Param("--checkpoint", null, "a folder that keeps each piece of the run (a"
            + " trained network's numbers, a block of a kernel) as it finishes; a run stopped before the end (a signal,"
            + " a machine that stops) and started again with the same folder and settings computes only the pieces"
            + " that had not finished (default: none)");
    private final Path dir;

    private Checkpoint(Path dir) {
        this.dir = dir;
    }

    /**
     * Opens (creating it if missing) the checkpoint folder for pieces computed under {@code settings} (one line per
     * setting that changes a piece's numbers). Refuses, before any work, a path that is not a folder ntk can write,
     * and a folder made for other settings (naming the first difference).
     * @param option the command-line option, for messages
     */
    public static Checkpoint open(Path dir, String option, List<String> settings) {
        String name = dir.toString();
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.isSymbolicLink(abs) || (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)
                && !Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS))) {
            throw new BadInputException(name + ": " + option + " is not a folder");
        }
        String want = String.join("\n", settings) + "\n";
        Path file = abs.resolve(SETTINGS);
        try {
            Files.createDirectories(abs);
            if (Files.exists(file)) {
                List<String> had = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < Math.max(had.size(), settings.size()); i++) {
                    String h = i < had.size() ? had.get(i) : "(nothing)";
                    String w = i < settings.size() ? settings.get(i) : "(nothing)";
                    if (!h.equals(w)) {
                        throw new BadInputException(name + ": " + option + " holds results for other settings ("
                                + h + ", this run: " + w + "); give another folder");
                    }
                }
            } else {
                AtomicFiles.writeString(file, want);
            }
        } catch (IOException e) {
            throw new BadInputException(name + ": " + option + ": cannot use it (" + e.getMessage() + ")", e);
        }
        if (!Files.isWritable(abs)) {
            throw new BadInputException(name + ": " + option + " is not writable");
        }
        return new Checkpoint(abs);
    }

    /** The folder of {@link #PARAM} when given, else null (no pieces kept). */
    public static Checkpoint of(Settings s, List<String> settings) {
        return s.has(PARAM.name()) ? open(Path.of(s.string(PARAM.name())), PARAM.name(), settings) : null;
    }

    /** The numbers kept for {@code piece}, or null when it has not finished. */
    public double[] get(String piece) {
        Path f = file(piece);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            double[] v = new double[lines.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = Double.parseDouble(lines.get(i).trim());
            }
            return v;
        } catch (IOException | NumberFormatException e) {
            throw new BadInputException(f + ": a checkpoint piece that cannot be read (" + e.getMessage()
                    + "); delete it to compute the piece again", e);
        }
    }

    /**
     * The numbers kept for {@code piece} in {@code checkpoint}, or else computed and kept there (checkpoint null: just
     * computed).
     */
    public static double[] keptOr(Checkpoint checkpoint, String piece, java.util.function.Supplier<double[]> compute) {
        double[] kept = checkpoint == null ? null : checkpoint.get(piece);
        if (kept == null) {
            kept = compute.get();
            if (checkpoint != null) {
                checkpoint.put(piece, kept);
            }
        }
        return kept;
    }

    /** Keeps {@code values} for {@code piece} (atomically: a kill leaves the old file or the new one). */
    public void put(String piece, double... values) {
        StringBuilder s = new StringBuilder();
        for (double v : values) {
            s.append(Double.toString(v)).append('\n');
        }
        AtomicFiles.writeString(file(piece), s);
    }

    /** The array kept for {@code piece} ({@link #putArray}), or null when it has not finished. */
    public NdArray getArray(String piece) {
        Path f = dir.resolve(safe(piece) + ".npy");
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return Npy.read(f);
        } catch (BadInputException e) {
            throw new BadInputException(f + ": a checkpoint piece that cannot be read (" + e.getMessage()
                    + "); delete it to compute the piece again", e);
        }
    }

    /** Whether an array was kept for {@code piece} (without reading it). */
    public boolean hasArray(String piece) {
        return Files.isRegularFile(dir.resolve(safe(piece) + ".npy"));
    }

    /** Keeps an array for {@code piece} as a .npy file (atomically, bit for bit). */
    public void putArray(String piece, NdArray values) {
        Npy.write(dir.resolve(safe(piece) + ".npy"), values);
    }

    /** The finished pieces' names. */
    public List<String> pieces() {
        List<String> out = new ArrayList<>();
        try (var files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> (n.endsWith(".txt") || n.endsWith(".npy"))
                    && !n.equals(SETTINGS)).sorted().forEach(n -> out.add(n.substring(0, n.length() - 4)));
        } catch (IOException e) {
            throw new BadInputException(dir + ": cannot list the checkpoint folder (" + e.getMessage() + ")", e);
        }
        return out;
    }

    private Path file(String piece) {
        return dir.resolve(safe(piece) + ".txt");
    }

    /** A file name for a piece: letters, digits, '.', '-', '=' kept, anything else (parentheses, α, spaces) '_'. */
    static String safe(String piece) {
        StringBuilder s = new StringBuilder();
        for (char ch : piece.toCharArray()) {
            s.append(ch < 128 && (Character.isLetterOrDigit(ch) || ch == '.' || ch == '-' || ch == '=') ? ch : '_');
        }
        return s.toString().toLowerCase(Locale.ROOT).equals(SETTINGS.substring(0, SETTINGS.length() - 4))
                ? "_" + s : s.toString();
    }
}
