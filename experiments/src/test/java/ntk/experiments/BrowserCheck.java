package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Renders a written report in headless Chromium (Debian's /usr/bin/chromium) and checks what a reader sees:
 * the page is not blank, every plot area has coloured ink in it (the curves were drawn), and every number tagged
 * in the page ({@code data-key}/{@code data-value}) equals summary.json's and is shown as that value. Without
 * Chromium the check is skipped, except under {@code CI=true}, where it fails. For every experiment's test.
 */
public final class BrowserCheck {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private BrowserCheck() {
    }

    /** What was measured, for the caller's own asserts. */
    public record Seen(int plots, int[] inkPerPlot, int numbersChecked, int pageHeight) {
    }

    public static Seen check(Path reportDir, Path scratch) throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true but " + CHROMIUM + " is missing: .ci/run installs Debian's chromium");
            }
            Assumptions.abort(CHROMIUM + " not installed");
        }
        Path html = reportDir.resolve("report.html");
        String page = Files.readString(html);
        // 1. layout: the same page with a script that records where each plot area is and how tall the page is
        String probe = page.replace("</body>", """
                <script>
                const r = [];
                for (const a of document.querySelectorAll('rect.plot-area')) {
                  const b = a.getBoundingClientRect();
                  r.push([b.left + window.scrollX, b.top + window.scrollY, b.width, b.height].map(Math.round).join(','));
                }
                document.body.setAttribute('data-plot-rects', r.join(';'));
                document.body.setAttribute('data-page-height', document.documentElement.scrollHeight);
                </script></body>""");
        Path probeFile = scratch.resolve("probe-" + System.nanoTime() + ".html");
        Files.writeString(probeFile, probe);
        String dom;
        try {
            dom = chromium(scratch, "--dump-dom", "--window-size=1000,1200", probeFile.toUri().toString());
        } finally {
            Files.deleteIfExists(probeFile);
        }
        Matcher mr = Pattern.compile("data-plot-rects=\"([^\"]*)\"").matcher(dom);
        Matcher mh = Pattern.compile("data-page-height=\"(\\d+)\"").matcher(dom);
        assertTrue(mr.find() && mh.find(), "Chromium ran the layout probe");
        int height = Integer.parseInt(mh.group(1));
        List<int[]> rects = new ArrayList<>();
        for (String s : mr.group(1).split(";")) {
            if (!s.isEmpty()) {
                rects.add(java.util.Arrays.stream(s.split(",")).mapToInt(Integer::parseInt).toArray());
            }
        }
        int declared = countMatches(page, "class=\"plot-area\"");
        assertEquals(declared, rects.size(), "every plot laid out");
        // 2. pixels: a screenshot of the unmodified page, tall enough to hold all of it
        Path png = scratch.resolve("shot-" + System.nanoTime() + ".png");
        chromium(scratch, "--screenshot=" + png, "--hide-scrollbars", "--window-size=1000," + height,
                html.toUri().toString());
        BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertTrue(img != null && img.getWidth() == 1000, "screenshot written");
        int nonWhite = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                nonWhite += (img.getRGB(x, y) & 0xffffff) != 0xffffff ? 1 : 0;
            }
        }
        assertTrue(nonWhite > img.getWidth() * img.getHeight() / 4 / 100, "page not blank: " + nonWhite);
        int[] ink = new int[rects.size()];
        for (int k = 0; k < rects.size(); k++) {
            int[] r = rects.get(k);
            for (int y = r[1] + 2; y < Math.min(r[1] + r[3] - 2, img.getHeight()); y++) {
                for (int x = r[0] + 2; x < Math.min(r[0] + r[2] - 2, img.getWidth()); x++) {
                    int c = img.getRGB(x, y);
                    int red = c >> 16 & 0xff;
                    int green = c >> 8 & 0xff;
                    int blue = c & 0xff;
                    int sat = Math.max(red, Math.max(green, blue)) - Math.min(red, Math.min(green, blue));
                    // coloured ink (curves), or black ink darker than the light-grey grid
                    ink[k] += sat > 60 || red + green + blue < 200 ? 1 : 0;
                }
            }
            assertTrue(ink[k] > 300, "plot " + k + " has curves drawn in it: " + ink[k] + " inked pixels");
        }
        // 3. numbers: every tagged number equals summary.json's, and is shown as that number
        Object summary = parseJson(Files.readString(reportDir.resolve("summary.json")));
        Matcher m = Pattern.compile("data-key=\"([^\"]+)\" data-value=\"([^\"]+)\">([^<]*)<").matcher(dom);
        int checked = 0;
        while (m.find()) {
            String key = m.group(1);
            Object v = Report.lookup(summary, key);
            String shown = m.group(3).trim();
            if (m.group(2).equals("null")) {
                assertEquals(null, v, key);
                assertEquals("—", shown, key);
            } else {
                double value = Double.parseDouble(m.group(2));
                assertTrue(v instanceof Double, key + " in summary.json: " + v);
                assertEquals((Double) v, value, 0.0, key);
                double display = Double.parseDouble(shown);
                assertEquals(value, display, Math.max(Math.abs(value) * 5e-4, 0.051), key + " shown as " + shown);
            }
            checked++;
        }
        assertTrue(checked >= 1, "the page shows summary numbers");
        return new Seen(rects.size(), ink, checked, height);
    }

    private static int countMatches(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static String chromium(Path scratch, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(scratch, "chromium")));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(scratch, "chromium", ".log");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish in 120 s");
        }
        assertEquals(0, p.exitValue(), "chromium: " + Files.readString(log));
        return new String(out, StandardCharsets.UTF_8);
    }

    /** A minimal JSON reader (objects, arrays, strings, numbers as Double, true/false/null) for the check. */
    static Object parseJson(String s) {
        int[] pos = {0};
        Object v = value(s, pos);
        skip(s, pos);
        assertEquals(s.length(), pos[0], "trailing JSON text");
        return v;
    }

    private static void skip(String s, int[] p) {
        while (p[0] < s.length() && Character.isWhitespace(s.charAt(p[0]))) {
            p[0]++;
        }
    }

    private static Object value(String s, int[] p) {
        skip(s, p);
        char c = s.charAt(p[0]);
        if (c == '{') {
            Map<String, Object> m = new LinkedHashMap<>();
            p[0]++;
            skip(s, p);
            if (s.charAt(p[0]) == '}') {
                p[0]++;
                return m;
            }
            while (true) {
                String k = (String) value(s, p);
                skip(s, p);
                assertEquals(':', s.charAt(p[0]++));
                m.put(k, value(s, p));
                skip(s, p);
                if (s.charAt(p[0]++) == '}') {
                    return m;
                }
            }
        }
        if (c == '[') {
            List<Object> l = new ArrayList<>();
            p[0]++;
            skip(s, p);
            if (s.charAt(p[0]) == ']') {
                p[0]++;
                return l;
            }
            while (true) {
                l.add(value(s, p));
                skip(s, p);
                if (s.charAt(p[0]++) == ']') {
                    return l;
                }
            }
        }
        if (c == '"') {
            StringBuilder b = new StringBuilder();
            p[0]++;
            while (s.charAt(p[0]) != '"') {
                char ch = s.charAt(p[0]++);
                if (ch == '\\') {
                    char e = s.charAt(p[0]++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'u' -> {
                            b.append((char) Integer.parseInt(s.substring(p[0], p[0] + 4), 16));
                            p[0] += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(ch);
                }
            }
            p[0]++;
            return b.toString();
        }
        for (String lit : new String[] {"true", "false", "null"}) {
            if (s.startsWith(lit, p[0])) {
                p[0] += lit.length();
                return lit.equals("null") ? null : Boolean.valueOf(lit);
            }
        }
        int start = p[0];
        while (p[0] < s.length() && "+-0123456789.eE".indexOf(s.charAt(p[0])) >= 0) {
            p[0]++;
        }
        return Double.parseDouble(s.substring(start, p[0]));
    }
}
