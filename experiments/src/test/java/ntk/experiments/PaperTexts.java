package ntk.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import ntk.CrossChecks;

/**
 * The papers' plain texts ({@code shared/papers/*.txt} beside the checkout, as on every developer's machine and in
 * CI) and the same word-for-word test as {@code shared/tools/check-claims}: whitespace, {@code $} and {@code *}
 * aside, fragments joined by "…" or "..." (each at least 15 characters) found in order in one paper.
 */
final class PaperTexts {
    private static Map<String, String> texts;

    private PaperTexts() {
    }

    static String norm(String s) {
        return s.replace("$", "").replace("*", "").replaceAll("\\s+", " ").strip();
    }

    /** The papers by file name, normalised; skips the test (fails under CI) when the folder is not found. */
    static synchronized Map<String, String> texts() {
        if (texts == null) {
            Path dir = null;
            for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("shared/papers"))) {
                    dir = p.resolve("shared/papers");
                    break;
                }
            }
            if (dir == null) {
                CrossChecks.toolMissing("the papers' texts (shared/papers beside the checkout) are not here");
            }
            Map<String, String> t = new LinkedHashMap<>();
            try (var files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    if (f.toString().endsWith(".txt")) {
                        t.put(f.getFileName().toString(), norm(Files.readString(f)));
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            texts = t;
        }
        return texts;
    }

    /** The paper file that holds {@code quote} word for word, or null. */
    static String source(String quote) {
        String[] raw = quote.split("\\[?…\\]?|\\[?\\.\\.\\.\\]?");
        java.util.List<String> frags = new java.util.ArrayList<>();
        for (String r : raw) {
            if (!norm(r).isEmpty()) {
                frags.add(norm(r));
            }
        }
        if (frags.isEmpty() || frags.stream().anyMatch(f -> f.length() < 15)) {
            return null;
        }
        for (Map.Entry<String, String> e : texts().entrySet()) {
            int pos = 0;
            boolean all = true;
            for (String f : frags) {
                int i = e.getValue().indexOf(f, pos);
                if (i < 0) {
                    all = false;
                    break;
                }
                pos = i + f.length();
            }
            if (all) {
                return e.getKey();
            }
        }
        return null;
    }
}
