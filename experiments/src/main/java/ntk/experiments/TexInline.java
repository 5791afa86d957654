package ntk.experiments;

import java.util.Map;

/**
 * The inline TeX of a quoted sentence, as a reader expects to see it on a report page: {@code $\alpha = 0.01$} as
 * α = 0.01, {@code \mathcal{S}} as 𝒮, {@code f_{\theta(t)}} as f with a subscript θ(t), {@code $\sim 10\%$} as ∼ 10%.
 * The papers' texts print their formulas as TeX source; a claim is quoted from them word for word
 * ({@code paper_claim} in summary.json keeps that source, which check-claims compares with the paper), and the report
 * shows it rendered. Covers what the quotes use: Greek letters and common symbols, {@code \mathcal}, {@code \tilde},
 * {@code \sqrt}, sub- and superscripts, {@code $} and braces; anything else is shown as written.
 */
final class TexInline {
    private TexInline() {
    }

    private static final Map<String, String> SYMBOLS = Map.ofEntries(Map.entry("alpha", "α"), Map.entry("beta", "β"),
            Map.entry("gamma", "γ"), Map.entry("Gamma", "Γ"), Map.entry("delta", "δ"), Map.entry("Delta", "Δ"),
            Map.entry("epsilon", "ε"), Map.entry("varepsilon", "ε"), Map.entry("eta", "η"), Map.entry("theta", "θ"),
            Map.entry("Theta", "Θ"), Map.entry("kappa", "κ"), Map.entry("lambda", "λ"), Map.entry("Lambda", "Λ"),
            Map.entry("mu", "μ"), Map.entry("nu", "ν"), Map.entry("xi", "ξ"), Map.entry("pi", "π"), Map.entry("rho", "ρ"),
            Map.entry("sigma", "σ"), Map.entry("Sigma", "Σ"), Map.entry("tau", "τ"), Map.entry("phi", "φ"),
            Map.entry("varphi", "φ"), Map.entry("Phi", "Φ"), Map.entry("chi", "χ"), Map.entry("psi", "ψ"),
            Map.entry("omega", "ω"), Map.entry("Omega", "Ω"), Map.entry("ell", "ℓ"), Map.entry("infty", "∞"),
            Map.entry("to", "→"), Map.entry("rightarrow", "→"), Map.entry("leftarrow", "←"), Map.entry("mapsto", "↦"),
            Map.entry("sim", "∼"), Map.entry("approx", "≈"), Map.entry("circ", "∘"), Map.entry("cdot", "·"),
            Map.entry("times", "×"), Map.entry("otimes", "⊗"), Map.entry("le", "≤"), Map.entry("leq", "≤"),
            Map.entry("ge", "≥"), Map.entry("geq", "≥"), Map.entry("neq", "≠"), Map.entry("in", "∈"),
            Map.entry("partial", "∂"), Map.entry("nabla", "∇"), Map.entry("sum", "∑"), Map.entry("int", "∫"),
            Map.entry("ldots", "…"), Map.entry("dots", "…"), Map.entry("S", "§"), Map.entry("log", "log"),
            Map.entry("exp", "exp"), Map.entry("min", "min"), Map.entry("max", "max"), Map.entry("quad", " "));
    /** Mathematical script capitals, A–Z (the letters outside the block are the Letterlike Symbols' ℬ ℰ ℱ ℋ ℐ ℒ ℳ ℛ). */
    private static final String SCRIPT = "𝒜ℬ𝒞𝒟ℰℱ𝒢ℋℐ𝒥𝒦ℒℳ𝒩𝒪𝒫𝒬ℛ𝒮𝒯𝒰𝒱𝒲𝒳𝒴𝒵";

    /** The text as HTML, its inline TeX rendered (HTML's special characters escaped). */
    static String html(String text) {
        StringBuilder out = new StringBuilder();
        render(text, 0, text.length(), out);
        return out.toString();
    }

    private static void render(String s, int from, int to, StringBuilder out) {
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (c == '$' || c == '{' || c == '}') {
                i++; // math delimiters and bare grouping braces show nothing
            } else if (c == '\\' && i + 1 < to) {
                i = macro(s, i + 1, to, out);
            } else if ((c == '_' || c == '^') && i + 1 < to && i > from && !Character.isWhitespace(s.charAt(i - 1))) {
                String tag = c == '_' ? "sub" : "sup";
                int[] arg = argument(s, i + 1, to);
                out.append('<').append(tag).append('>');
                render(s, arg[0], arg[1], out);
                out.append("</").append(tag).append('>');
                i = arg[2];
            } else {
                out.append(SvgPlot.esc(String.valueOf(c)));
                i++;
            }
        }
    }

    /** A macro whose name starts at i (after the backslash); returns where the text goes on. */
    private static int macro(String s, int i, int to, StringBuilder out) {
        int j = i;
        while (j < to && Character.isLetter(s.charAt(j))) {
            j++;
        }
        if (j == i) { // \% \{ \} \, \  and the like: the character itself (a thin space as a space)
            char c = s.charAt(i);
            out.append(c == ',' || c == ';' || c == ' ' ? " " : SvgPlot.esc(String.valueOf(c)));
            return i + 1;
        }
        String name = s.substring(i, j);
        switch (name) {
            case "mathcal" -> {
                int[] arg = argument(s, j, to);
                String a = s.substring(arg[0], arg[1]);
                if (a.length() == 1 && a.charAt(0) >= 'A' && a.charAt(0) <= 'Z') {
                    out.append(SCRIPT, SCRIPT.offsetByCodePoints(0, a.charAt(0) - 'A'),
                            SCRIPT.offsetByCodePoints(0, a.charAt(0) - 'A' + 1));
                } else {
                    render(s, arg[0], arg[1], out);
                }
                return arg[2];
            }
            case "tilde", "hat", "bar" -> {
                int[] arg = argument(s, j, to);
                render(s, arg[0], arg[1], out);
                out.append(name.equals("tilde") ? '\u0303' : name.equals("hat") ? '\u0302' : '\u0304');
                return arg[2];
            }
            case "sqrt" -> {
                int[] arg = argument(s, j, to);
                boolean single = arg[1] - arg[0] == 1;
                out.append('√').append(single ? "" : "(");
                render(s, arg[0], arg[1], out);
                out.append(single ? "" : ")");
                return arg[2];
            }
            case "mathrm", "text", "mathbf", "mathit", "operatorname" -> {
                int[] arg = argument(s, j, to);
                render(s, arg[0], arg[1], out);
                return arg[2];
            }
            case "left", "right" -> {
                return j; // the delimiter that follows is shown as itself
            }
            default -> {
                String sym = SYMBOLS.get(name);
                if (sym != null) {
                    out.append(sym);
                    return j;
                }
                // not known here: as written, with its braced arguments
                out.append(SvgPlot.esc("\\" + name));
                while (j < to && s.charAt(j) == '{') {
                    int[] arg = argument(s, j, to);
                    out.append(SvgPlot.esc(s.substring(j, Math.min(arg[2], to))));
                    j = arg[2];
                }
                return j;
            }
        }
    }

    /** A macro's or script's argument at i: a braced group or one character; {start, end, next}. */
    private static int[] argument(String s, int i, int to) {
        if (i < to && s.charAt(i) == '{') {
            int depth = 0;
            for (int j = i; j < to; j++) {
                char c = s.charAt(j);
                if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    return new int[] {i + 1, j, j + 1};
                }
            }
            return new int[] {i + 1, to, to}; // unbalanced: the rest
        }
        if (i < to && s.charAt(i) == '\\') { // a macro as the argument: x_\theta
            int j = i + 1;
            while (j < to && Character.isLetter(s.charAt(j))) {
                j++;
            }
            return new int[] {i, Math.max(j, Math.min(i + 2, to)), Math.max(j, Math.min(i + 2, to))};
        }
        return new int[] {i, Math.min(i + 1, to), Math.min(i + 1, to)};
    }
}
