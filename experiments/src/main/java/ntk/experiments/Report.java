package ntk.experiments;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ntk.BadInputException;
import ntk.io.AtomicFiles;
import ntk.io.Folders;
import ntk.io.JsonText;
import ntk.NdArray;
import ntk.io.Npz;

/**
 * One experiment's output, built in memory and written by {@link #write}: {@code report.html} (one
 * self-contained page: title, the paper's claim, the verdict, parameters, seeds, run time, then the
 * paragraphs, tables and inline-SVG plots in the order added), {@code summary.json} (the headline numbers
 * under the keys the issue names, plus {@code verdict}, {@code seeds}, {@code run_time_seconds}), the data
 * files ({@code .npz}, {@code .csv}) and each plot as {@code .svg} beside them. The folder is replaced whole
 * ({@link Folders}).
 *
 * <p>Numbers in the page that are also in the summary are shown with {@link #num(String, double)}: the
 * element carries {@code data-key} (the summary path, {@code /}-separated, list indices as numbers) and
 * {@code data-value} (the exact double), and {@link #write} refuses a page whose tagged number is not the
 * summary's (so the page and summary.json cannot disagree).
 */
public final class Report {
    /** Whether the reduced or full run shows the paper's claim. */
    public enum Verdict {
        SHOWN("shown"), PARTLY("partly shown"), NOT_SHOWN("not shown");

        public final String label;

        Verdict(String label) {
            this.label = label;
        }
    }

    /** A number in a table or paragraph tagged with its summary path. */
    public record Num(String key, double value, String format) {
        String html() {
            return String.format(Locale.ROOT, "<span class=\"num\" data-key=\"%s\" data-value=\"%s\">%s</span>",
                    SvgPlot.esc(key), JsonText.number(value), SvgPlot.esc(show(value, format)));
        }
    }

    private final String name;
    private final String title;
    private String claim = "";
    private PaperClaim paperClaim;
    private final List<String[]> deviations = new ArrayList<>();
    private Verdict verdict;
    private String verdictText = "";
    private final Map<String, String> params = new LinkedHashMap<>();
    private final List<Long> seeds = new ArrayList<>();
    private double runTime = Double.NaN;
    private String command = "";
    private final Map<String, Object> summary = new LinkedHashMap<>();
    private final List<String> body = new ArrayList<>();
    private final List<Num> tagged = new ArrayList<>();
    private final Map<String, Map<String, NdArray>> npz = new LinkedHashMap<>();
    private final Map<String, String> texts = new LinkedHashMap<>();

    /** {@code name} is the experiment's name (the output folder); {@code title} the page's heading. */
    public Report(String name, String title) {
        this.name = name;
        this.title = title;
    }

    public String name() {
        return name;
    }

    /**
     * The claim this experiment tests, quoted word for word ({@code paper_claim}, {@code paper_ref} in
     * summary.json); the report opens with it.
     */
    public Report claim(PaperClaim quoted) {
        paperClaim = quoted;
        return this;
    }

    /** What this run tests of the quoted claim, and how (plain text, shown under the quotation). */
    public Report claim(String text) {
        claim = text;
        return this;
    }

    /**
     * A way this run differs from the paper's setup (dataset, sizes, widths, depths, epochs, learning rate,
     * parameterisation, seeds): summary.json's {@code deviations} gets "paper: {@code paper}; this run:
     * {@code thisRun}".
     */
    public Report deviation(String paper, String thisRun) {
        deviations.add(new String[] {paper, thisRun});
        return this;
    }

    public List<String> deviations() {
        return deviations.stream().map(d -> "paper: " + d[0] + "; this run: " + d[1]).toList();
    }

    public PaperClaim paperClaim() {
        return paperClaim;
    }

    public String verdictText() {
        return verdictText;
    }

    /** Whether the data show the claim, and a sentence saying what they show (plain text). */
    public Report verdict(Verdict v, String text) {
        verdict = v;
        verdictText = text;
        return this;
    }

    /** The verdict and its reason from an experiment's {@code decide(Result)}. */
    public Report verdict(Decision d) {
        return verdict(d.verdict(), d.reason());
    }

    public Verdict verdict() {
        return verdict;
    }

    /** A parameter of the run, shown in the parameter table. */
    public Report param(String key, Object value) {
        params.put(key, String.valueOf(value));
        return this;
    }

    /** The seeds first, first + 1, …, first + count − 1. */
    public Report seedRange(long first, int count) {
        for (int i = 0; i < count; i++) {
            seeds.add(first + i);
        }
        return this;
    }

    public Report seeds(long... s) {
        for (long v : s) {
            seeds.add(v);
        }
        return this;
    }

    /** Set by {@link Experiments#run}. */
    public Report runTime(double seconds) {
        runTime = seconds;
        return this;
    }

    /** The command line that reproduces the run (set by the command line). */
    public Report command(String c) {
        command = c;
        return this;
    }

    /** A headline number, list or nested map for summary.json ({@link JsonText} types). */
    public Report summary(String key, Object value) {
        summary.put(key, value);
        return this;
    }

    public Map<String, Object> summary() {
        return summary;
    }

    /** A heading inside the body. */
    public Report heading(String text) {
        body.add("<h2>" + SvgPlot.esc(text) + "</h2>");
        return this;
    }

    /** A paragraph of plain text; each literal {@code %s} in it is replaced, in order, by the next tagged number. */
    public Report paragraph(String text, Num... nums) {
        String[] parts = SvgPlot.esc(text).split("%s", -1);
        if (parts.length != nums.length + 1) {
            throw new IllegalArgumentException(nums.length + " numbers for " + (parts.length - 1) + " %s in: " + text);
        }
        StringBuilder b = new StringBuilder("<p>").append(parts[0]);
        for (int i = 0; i < nums.length; i++) {
            tagged.add(nums[i]);
            b.append(nums[i].html()).append(parts[i + 1]);
        }
        body.add(b.append("</p>").toString());
        return this;
    }

    /** A number that is in the summary at {@code key} ({@code /}-separated path), shown with %.4g. */
    public static Num num(String key, double value) {
        return new Num(key, value, "%.4g");
    }

    public static Num num(String key, double value, String format) {
        return new Num(key, value, format);
    }

    /**
     * A table: cells are {@link Num} (tagged numbers), {@link Double} (shown with %.4g, untagged) or anything
     * else (its text).
     */
    public Report table(String caption, List<String> header, List<List<Object>> rows) {
        StringBuilder t = new StringBuilder("<table>");
        if (caption != null && !caption.isEmpty()) {
            t.append("<caption>").append(SvgPlot.esc(caption)).append("</caption>");
        }
        t.append("<thead><tr>");
        for (String h : header) {
            t.append("<th>").append(SvgPlot.esc(h)).append("</th>");
        }
        t.append("</tr></thead><tbody>");
        for (List<Object> r : rows) {
            if (r.size() != header.size()) {
                throw new IllegalArgumentException("row of " + r.size() + " cells under " + header.size() + " headers");
            }
            t.append("<tr>");
            for (Object c : r) {
                t.append("<td>").append(cell(c)).append("</td>");
            }
            t.append("</tr>");
        }
        body.add(t.append("</tbody></table>").toString());
        return this;
    }

    private String cell(Object c) {
        return switch (c) {
            case Num n -> {
                tagged.add(n);
                yield n.html();
            }
            case Double d -> SvgPlot.esc(show(d, "%.4g"));
            case null -> "—";
            default -> SvgPlot.esc(String.valueOf(c));
        };
    }

    // ---- the declarative layer: the summary holds the numbers; tables, sentences and data files name them ----

    /**
     * A column of a {@link #table(String, int, Column...)}: its header and the cell of each row (anything
     * {@link #table(String, List, List)} takes: a {@link Num}, a Double, a label).
     */
    public record Column(String header, java.util.function.IntFunction<Object> cell) {
    }

    /** A column of the summary list at {@code key}, each cell tagged ({@code key/i}) and shown with {@code format}. */
    public Column column(String header, String key, String format) {
        return new Column(header, i -> num(key + "/" + i, format));
    }

    /** As {@link #column(String, String, String)}, shown with %.4g. */
    public Column column(String header, String key) {
        return column(header, key, "%.4g");
    }

    /** A column of field {@code field} of each entry of the summary list at {@code key} ({@code key/i/field}), tagged. */
    public Column column(String header, String key, String field, String format) {
        return new Column(header, i -> num(key + "/" + i + "/" + field, format));
    }

    /** The standard-error column "± se" of the summary list at {@code key} (%.2g). */
    public Column se(String key) {
        return column("± se", key, "%.2g");
    }

    /** A column of the summary list at {@code key}, untagged (e.g. the widths, shown as they are). */
    public Column label(String header, String key) {
        return new Column(header, i -> summaryAt(key + "/" + i));
    }

    /** A column computed per row. */
    public static Column of(String header, java.util.function.IntFunction<Object> cell) {
        return new Column(header, cell);
    }

    /** A table of {@code rows} rows, one cell per column. */
    public Report table(String caption, int rows, Column... columns) {
        List<List<Object>> cells = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            List<Object> row = new ArrayList<>();
            for (Column c : columns) {
                row.add(c.cell().apply(i));
            }
            cells.add(row);
        }
        return table(caption, java.util.Arrays.stream(columns).map(Column::header).toList(), cells);
    }

    /** The summary's number at {@code key} ({@code /}-separated), tagged, shown with {@code format}. */
    public Num num(String key, String format) {
        return new Num(key, ((Number) summaryAt(key)).doubleValue(), format);
    }

    private Object summaryAt(String key) {
        Object v;
        try {
            v = lookup(summary, key);
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            v = null;
        }
        if (v == null) {
            throw new IllegalArgumentException("no summary number at " + key);
        }
        return v;
    }

    /**
     * A sentence generated from the summary: each {@code {key}} or {@code {key|format}} in {@code template} is the
     * summary's number at that path, tagged (format %.4g unless given).
     */
    public Report sentence(String template) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([^{}|]+)(?:\\|([^{}]+))?}").matcher(template);
        List<Num> nums = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        while (m.find()) {
            nums.add(num(m.group(1), m.group(2) == null ? "%.4g" : m.group(2)));
            m.appendReplacement(text, "%s");
        }
        m.appendTail(text);
        return paragraph(text.toString(), nums.toArray(Num[]::new));
    }

    /** Per row i: the mean and standard error of {@code estimate.apply(i)}: summary lists {@code key}, {@code key_se}. */
    public Report estimates(String key, int rows, java.util.function.IntFunction<Estimate> estimate) {
        double[] mean = new double[rows];
        double[] se = new double[rows];
        for (int i = 0; i < rows; i++) {
            Estimate e = estimate.apply(i);
            mean[i] = e.mean();
            se[i] = e.se();
        }
        return summary(key, mean).summary(key + "_se", se);
    }

    /** The standard error of each row's estimate. */
    public static double[] errors(int rows, java.util.function.IntFunction<Estimate> estimate) {
        double[] se = new double[rows];
        for (int i = 0; i < rows; i++) {
            se[i] = estimate.apply(i).se();
        }
        return se;
    }

    /** A fitted slope and its standard error, as summary numbers {@code key}, {@code key_se}. */
    public Report slope(String key, LogLogFit fit) {
        return summary(key, fit.slope()).summary(key + "_se", fit.slopeSe());
    }

    /** As {@link #slope(String, LogLogFit)} for a straight-line fit. */
    public Report slope(String key, LineFit fit) {
        return summary(key, fit.slope()).summary(key + "_se", fit.slopeSe());
    }

    /** A data file {@code <file>} of named arrays: name, array, name, array, … */
    public Report npz(String file, Object... namesAndArrays) {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        for (int i = 0; i < namesAndArrays.length; i += 2) {
            arrays.put((String) namesAndArrays[i], (NdArray) namesAndArrays[i + 1]);
        }
        return npz(file, arrays);
    }

    /** The summary's list of numbers at {@code key} (as put: a double[]). */
    public double[] values(String key) {
        return (double[]) summaryAt(key);
    }

    /** The largest value of each row (0 when all are below 0). */
    public static double[] largest(double[][] rows) {
        double[] m = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            for (double v : rows[i]) {
                m[i] = Math.max(m[i], v);
            }
        }
        return m;
    }

    /** The values as doubles (e.g. widths as a plot's x). */
    public static double[] doubles(int[] v) {
        return java.util.Arrays.stream(v).asDoubleStream().toArray();
    }

    /** A plot, inline in the page and also saved as {@code <id>.svg}. */
    public Report plot(String id, SvgPlot plot, String caption) {
        String svg = plot.svg(id);
        texts.put(id + ".svg", svg);
        body.add("<figure>" + svg + (caption == null ? "" : "<figcaption>" + SvgPlot.esc(caption) + "</figcaption>")
                + "</figure>");
        return this;
    }

    /** A data file {@code <file>} (e.g. "training.npz") written beside the report. */
    public Report npz(String file, Map<String, NdArray> arrays) {
        npz.put(file, new LinkedHashMap<>(arrays));
        return this;
    }

    /** A CSV file: header and columns of equal length. */
    public Report csv(String file, List<String> header, List<double[]> columns) {
        StringBuilder b = new StringBuilder(String.join(",", header)).append('\n');
        int m = columns.isEmpty() ? 0 : columns.get(0).length;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < columns.size(); j++) {
                b.append(j == 0 ? "" : ",").append(JsonText.number(columns.get(j)[i]).replace("null", "nan"));
            }
            b.append('\n');
        }
        texts.put(file, b.toString());
        return this;
    }

    static String show(double v, String format) {
        if (Double.isNaN(v)) {
            return "—";
        }
        return String.format(Locale.ROOT, format, v);
    }

    /** The files {@link #write} creates in its directory. */
    public List<String> files() {
        List<String> f = new ArrayList<>(List.of("report.html", "summary.json"));
        f.addAll(npz.keySet());
        f.addAll(texts.keySet());
        return f;
    }

    /** The complete summary.json content. */
    public Map<String, Object> summaryJson() {
        Map<String, Object> s = new LinkedHashMap<>(summary);
        s.put("experiment", name);
        s.put("paper_claim", paperClaim == null ? null : paperClaim.quote());
        s.put("paper_ref", paperClaim == null ? null : paperClaim.ref());
        if (paperClaim != null && paperClaim.external()) {
            s.put("paper_claim_source", paperClaim.source()); // not in shared/papers: read at this address
        }
        s.put("verdict", verdict == null ? null : verdict.label);
        s.put("verdict_reason", verdictText);
        s.put("deviations", deviations());
        s.put("seeds", seeds.stream().mapToLong(Long::longValue).toArray());
        s.put("full", params.getOrDefault("full", "false").equals("true"));
        s.put("run_time_seconds", runTime);
        return s;
    }

    /** The page. */
    public String html() {
        Map<String, Object> json = summaryJson();
        for (Num n : tagged) {
            Object v = lookup(json, n.key());
            if (!(v instanceof Number x) || Double.compare(x.doubleValue(), n.value()) != 0
                    && !(Double.isNaN(n.value()) && !Double.isFinite(x.doubleValue()))) {
                throw new IllegalStateException("report number " + n.key() + " = " + n.value()
                        + " is not summary.json's " + v);
            }
        }
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(SvgPlot.esc(title))
                .append("</title>\n<style>\n").append(CSS).append("</style></head>\n<body>\n<h1>")
                .append(SvgPlot.esc(title)).append("</h1>\n");
        h.append("<section class=\"claim\"><h2>The paper's claim</h2>");
        if (paperClaim != null) {
            // the quote's TeX rendered; the words as printed (summary.json's paper_claim) in the title
            h.append("<blockquote class=\"quote\" title=\"as printed: ").append(SvgPlot.esc(paperClaim.quote()))
                    .append("\">“").append(TexInline.html(paperClaim.quote()))
                    .append("”<cite>— ").append(SvgPlot.esc(paperClaim.ref()))
                    .append(paperClaim.external() ? " (read at " + SvgPlot.esc(paperClaim.source()) + ")" : "")
                    .append("</cite></blockquote>");
        }
        if (!claim.isEmpty()) {
            h.append("<p>").append(SvgPlot.esc(claim)).append("</p>");
        }
        h.append("</section>\n");
        String cls = verdict == null ? "none" : verdict.name().toLowerCase(Locale.ROOT);
        h.append("<section class=\"verdict ").append(cls).append("\" data-verdict=\"")
                .append(verdict == null ? "" : verdict.label).append("\"><h2>What the data show: ")
                .append(verdict == null ? "—" : verdict.label).append("</h2><p>").append(SvgPlot.esc(verdictText))
                .append("</p></section>\n");
        h.append("<section class=\"run\"><h2>Run</h2><table class=\"params\"><tbody>");
        for (Map.Entry<String, String> p : params.entrySet()) {
            h.append("<tr><th>").append(SvgPlot.esc(p.getKey())).append("</th><td>").append(SvgPlot.esc(p.getValue()))
                    .append("</td></tr>");
        }
        h.append("<tr><th>seeds</th><td>").append(seeds.isEmpty() ? "none (deterministic)"
                : SvgPlot.esc(seeds.toString().replaceAll("[\\[\\]]", "")))
                .append("</td></tr>");
        h.append("<tr><th>run time</th><td><span data-key=\"run_time_seconds\" data-value=\"")
                .append(JsonText.number(runTime)).append("\">").append(show(runTime, "%.1f")).append("</span> s")
                .append("</td></tr>");
        if (!command.isEmpty()) {
            h.append("<tr><th>command</th><td><code>").append(SvgPlot.esc(command)).append("</code></td></tr>");
        }
        h.append("</tbody></table></section>\n");
        if (!deviations.isEmpty()) {
            h.append("<section class=\"deviations\"><h2>Where this run differs from the paper</h2><table><thead><tr>"
                    + "<th>the paper</th><th>this run</th></tr></thead><tbody>");
            for (String[] d : deviations) {
                h.append("<tr><td>").append(SvgPlot.esc(d[0])).append("</td><td>").append(SvgPlot.esc(d[1]))
                        .append("</td></tr>");
            }
            h.append("</tbody></table></section>\n");
        }
        for (String b : body) {
            h.append(b).append('\n');
        }
        h.append("<footer>Files beside this page: ").append(SvgPlot.esc(String.join(", ", files())))
                .append(". Written by ntk.</footer>\n</body></html>\n");
        return h.toString();
    }

    /** Resolves a {@code /}-separated path (map keys, list indices) in the summary. */
    public static Object lookup(Object root, String path) {
        Object cur = root;
        for (String part : path.split("/")) {
            cur = switch (cur) {
                case Map<?, ?> m -> m.get(part);
                case List<?> l -> l.get(Integer.parseInt(part));
                case double[] a -> a[Integer.parseInt(part)];
                case int[] a -> a[Integer.parseInt(part)];
                case long[] a -> a[Integer.parseInt(part)];
                case null, default -> null;
            };
        }
        return cur;
    }

    /**
     * Writes everything as the folder {@code dir}, replaced whole ({@link Folders#replace}): the files are written
     * into a sibling temporary folder, which is then swapped in; a failure or a kill before the swap leaves the old
     * folder as it was.
     */
    public void write(Path dir) {
        String page = html();
        Folders.replace(dir, tmp -> writeInto(tmp, page));
    }

    /** Writes everything into the existing folder {@code dir} (a fresh one, e.g. inside a {@link Folders#replace}). */
    public void writeInto(Path dir) {
        writeInto(dir, html());
    }

    /** Test hook: called with the number of files written so far after each one (a fault injected here). */
    static java.util.function.IntConsumer afterFile = k -> { };

    private void writeInto(Path dir, String page) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new BadInputException(dir + ": cannot create the output directory (" + e.getMessage() + ")");
        }
        int k = 0;
        for (Map.Entry<String, Map<String, NdArray>> e : npz.entrySet()) {
            Npz.write(dir.resolve(e.getKey()), e.getValue());
            afterFile.accept(++k);
        }
        for (Map.Entry<String, String> e : texts.entrySet()) {
            AtomicFiles.writeString(dir.resolve(e.getKey()), e.getValue());
            afterFile.accept(++k);
        }
        AtomicFiles.writeString(dir.resolve("summary.json"), JsonText.of(summaryJson()));
        afterFile.accept(++k);
        AtomicFiles.writeString(dir.resolve("report.html"), page);
        afterFile.accept(++k);
    }

    static final String CSS = """
            body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; max-width: 900px; margin: 24px auto;
                   padding: 0 16px; color: #222; line-height: 1.45; background: white; }
            h1 { font-size: 1.6em; margin-bottom: 0.3em; }
            h2 { font-size: 1.15em; margin: 1.2em 0 0.4em; }
            section.claim { border-left: 4px solid #888; padding: 2px 12px; background: #f7f7f7; }
            blockquote.quote { margin: 8px 0; font-style: italic; }
            blockquote.quote cite { display: block; font-style: normal; font-size: 0.9em; color: #555; margin-top: 4px; }
            section.verdict { border-left: 4px solid #888; padding: 2px 12px; }
            section.verdict.shown { border-color: #2ca02c; background: #f1faf1; }
            section.verdict.partly { border-color: #e0a000; background: #fdf8ec; }
            section.verdict.not_shown { border-color: #d62728; background: #fdf1f1; }
            table { border-collapse: collapse; margin: 8px 0 16px; font-size: 0.92em; }
            th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }
            thead th { background: #eee; }
            caption { caption-side: top; text-align: left; font-weight: bold; padding-bottom: 4px; }
            figure { margin: 12px 0; }
            figcaption { font-size: 0.9em; color: #555; }
            footer { margin-top: 2em; font-size: 0.85em; color: #666; }
            code { font-size: 0.9em; }
            """;
}
