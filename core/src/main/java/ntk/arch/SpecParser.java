package ntk.arch;

import static ntk.BadInputException.param;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ntk.BadInputException;
import ntk.activations.Activations;
import ntk.layers.ActivationLayer;
import ntk.layers.LayerKinds;
import ntk.layers.Residual;
import ntk.protocol.Layer;
import ntk.protocol.LayerKind;

/**
 * The --arch grammar (README "Command line"), a recursive-descent parser:
 * <pre>
 *   spec  := layer (',' layer)*
 *   layer := NAME [ '(' [ arg (',' arg)* ] ')' ]
 *   arg   := NAME '=' value | layer | value        (layers only inside Residual)
 *   value := NUMBER | NAME                         (e.g. scale=invsqrt_depth)
 * </pre>
 * Errors name the offending token and its 1-based character position.
 */
public final class SpecParser {
    private final String src;
    private int pos;

    private SpecParser(String src) {
        this.src = src;
    }

    /**
     * The layers of a spec string in the grammar of docs/cli.md (e.g. {@code "Dense(512); Relu; Dense(1)"}).
     *
     * @param spec the architecture spec
     * @return its layers, in network order
     * @throws BadInputException naming the parameter {@code arch} and the offending token when the spec is not valid
     */
    public static List<Layer> parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw BadInputException.of(param("arch"), ": empty spec");
        }
        SpecParser p = new SpecParser(spec);
        List<Layer> layers = p.layerList();
        p.skipSpace();
        if (p.pos < spec.length()) {
            throw p.error(p.pos, "unexpected '" + p.tokenAt(p.pos) + "'");
        }
        return layers;
    }

    private List<Layer> layerList() {
        List<Layer> layers = new ArrayList<>();
        layers.add(layer());
        while (peek(',')) {
            pos++;
            layers.add(layer());
        }
        return layers;
    }

    private Layer layer() {
        skipSpace();
        int at = pos;
        String name = identifier("a layer name");
        LayerKind kind = LayerKinds.byName(name);
        if (kind != null && kind.takesLayers()) {
            return residual(at);
        }
        List<Object> positional = new ArrayList<>();
        Map<String, Object> keywords = new LinkedHashMap<>();
        Map<String, Integer> keywordPos = new LinkedHashMap<>();
        List<Integer> positionalPos = new ArrayList<>();
        if (peek('(')) {
            pos++;
            if (!peek(')')) {
                do {
                    skipSpace();
                    int argAt = pos;
                    if (isIdentifierStart() && isAssignment()) {
                        String key = identifier("an argument");
                        expect('=');
                        skipSpace();
                        int valAt = pos;
                        if (keywords.put(key, value()) != null) {
                            throw error(argAt, "argument '" + key + "' given twice");
                        }
                        keywordPos.put(key, valAt);
                    } else {
                        if (!keywords.isEmpty()) {
                            throw error(argAt, "positional argument after a keyword argument");
                        }
                        positionalPos.add(argAt);
                        positional.add(value());
                    }
                } while (consume(','));
            }
            expect(')');
        }
                try {
            return build(name, kind, at, positional, positionalPos, keywords, keywordPos);
        } catch (BadInputException e) {
            if (e.parameters().contains("arch")) {
                throw e;
            }
            throw error(at, e.getMessage());
        }
    }

    /** A declared kind from its arguments (checked against its declaration), else an activation. */
    private Layer build(String name, LayerKind kind, int at, List<Object> positionalValues, List<Integer> positionalPos,
            Map<String, Object> keywordValues, Map<String, Integer> keywordPos) {
        List<Double> positional = new ArrayList<>();
        for (int i = 0; i < positionalValues.size(); i++) {
            positional.add(numeric(kind, i, null, positionalValues.get(i), positionalPos.get(i)));
        }
        Map<String, Double> keywords = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : keywordValues.entrySet()) {
            keywords.put(e.getKey(), numeric(kind, -1, e.getKey(), e.getValue(), keywordPos.get(e.getKey())));
        }
        if (kind != null) {
            if (kind.parameters().isEmpty() && (!positional.isEmpty() || !keywords.isEmpty())) {
                throw error(at, name + " takes no arguments");
            }
            double[] a = arguments(name, at, positional, keywords, keywordPos, kind.parameterNames(), kind.defaults());
            for (int i = 0; i < a.length; i++) {
                if (kind.parameters().get(i).integer()) {
                    integer(at, kind.parameters().get(i).name(), a[i]);
                }
            }
            return kind.build(a);
        }
        if (!Activations.NAMES.contains(name)) {
            throw error(at, "unknown layer '" + name + "' (known: " + String.join(", ", LayerKinds.names()) + ", "
                    + String.join(", ", Activations.NAMES) + ")");
        }
        List<Double> args = new ArrayList<>(positional);
        if (!keywords.isEmpty()) {
            if ((name.equals("LeakyRelu") || name.equals("PReLU") || name.equals("Elu")) && keywords.size() == 1 && keywords.containsKey("alpha")
                    && args.isEmpty()) {
                args.add(keywords.get("alpha"));
            } else {
                String key = keywords.keySet().iterator().next();
                throw error(keywordPos.get(key), "unknown argument '" + key + "' for " + name);
            }
        }
        return new ActivationLayer(Activations.parse(name, args));
    }

    private Layer residual(int at) {
        expect('(');
        List<Layer> block = new ArrayList<>();
        double scale = 1.0;
        boolean scaleSeen = false;
        do {
            skipSpace();
            int argAt = pos;
            if (src.startsWith("scale", pos) && isKeywordAssignment()) {
                identifier("scale");
                expect('=');
                skipSpace();
                int valAt = pos;
                if (isIdentifierStart()) {
                    String v = identifier("a scale");
                    if (!v.equals("invsqrt_depth")) {
                        throw error(valAt, "scale must be a number or invsqrt_depth, got '" + v + "'");
                    }
                    scale = Residual.INVSQRT_DEPTH;
                } else {
                    scale = number();
                }
                scaleSeen = true;
            } else {
                if (scaleSeen) {
                    throw error(argAt, "a layer after scale=; scale comes last in Residual(...)");
                }
                block.add(layer());
            }
        } while (consume(','));
        expect(')');
        try {
            return new Residual(block, scale);
        } catch (BadInputException e) {
            throw error(at, e.getMessage());
        }
    }

    /** A number, or a word (the value of a word parameter such as padding=same). */
    private Object value() {
        if (isIdentifierStart()) {
            return identifier("a value");
        }
        return number();
    }

    /** Whether an identifier at pos is followed by '=' (a keyword argument). */
    private boolean isAssignment() {
        int p = pos;
        while (p < src.length() && (Character.isLetterOrDigit(src.charAt(p)) || src.charAt(p) == '_')) {
            p++;
        }
        while (p < src.length() && Character.isWhitespace(src.charAt(p))) {
            p++;
        }
        return p < src.length() && src.charAt(p) == '=';
    }

    /**
     * A parsed value as the number the declaration carries: a word parameter's word becomes its index (refused
     * when not one of its choices, or when a number is given); any other parameter needs a number.
     */
    private double numeric(LayerKind kind, int index, String key, Object v, int at) {
        LayerKind.Parameter p = null;
        if (kind != null) {
            if (key != null) {
                for (LayerKind.Parameter q : kind.parameters()) {
                    if (q.name().equals(key)) {
                        p = q;
                    }
                }
            } else if (index < kind.parameters().size()) {
                p = kind.parameters().get(index);
            }
        }
        if (p != null && p.word()) {
            if (v instanceof String w && p.choices().contains(w)) {
                return p.choices().indexOf(w);
            }
            throw error(at, p.name() + " must be one of " + String.join(", ", p.choices()) + ", got '" + v + "'");
        }
        if (v instanceof String w) {
            throw error(at, "expected a number, got '" + w + "'");
        }
        return (Double) v;
    }

    private boolean isKeywordAssignment() {
        int p = pos + "scale".length();
        while (p < src.length() && Character.isWhitespace(src.charAt(p))) {
            p++;
        }
        return p < src.length() && src.charAt(p) == '=';
    }

    private double[] arguments(String name, int at, List<Double> positional, Map<String, Double> keywords,
            Map<String, Integer> keywordPos, String[] names, double[] defaults) {
        if (positional.size() > names.length) {
            throw error(at, name + " takes at most " + names.length + " arguments ("
                    + String.join(", ", names) + "), got " + positional.size());
        }
        double[] out = defaults.clone();
        boolean[] set = new boolean[names.length];
        for (int i = 0; i < positional.size(); i++) {
            out[i] = positional.get(i);
            set[i] = true;
        }
        for (Map.Entry<String, Double> e : keywords.entrySet()) {
            int idx = List.of(names).indexOf(e.getKey());
            if (idx < 0) {
                throw error(keywordPos.get(e.getKey()), "unknown argument '" + e.getKey() + "' for " + name
                        + " (takes " + String.join(", ", names) + ")");
            }
            if (set[idx]) {
                throw error(keywordPos.get(e.getKey()), "argument '" + e.getKey() + "' given twice");
            }
            out[idx] = e.getValue();
            set[idx] = true;
        }
        for (int i = 0; i < names.length; i++) {
            if (Double.isNaN(out[i])) {
                throw error(at, name + " needs its '" + names[i] + "' argument");
            }
        }
        return out;
    }

    private int integer(int at, String what, double v) {
        if (v != Math.rint(v) || v < 1 || v > Integer.MAX_VALUE) {
            throw error(at, what + " must be a positive integer, got " + v);
        }
        return (int) v;
    }

    private double number() {
        skipSpace();
        int start = pos;
        if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
            pos++;
        }
        while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '.')) {
            pos++;
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                    pos++;
                }
            } else {
                pos = save;
            }
        }
        String tok = src.substring(start, pos);
        try {
            double v = Double.parseDouble(tok);
            if (!Double.isFinite(v)) {
                throw error(start, "number '" + tok + "' is not finite");
            }
            return v;
        } catch (NumberFormatException e) {
            throw error(start, "expected a number, got " + (start >= src.length() ? "end of spec" : "'" + tokenAt(start) + "'"));
        }
    }

    private String identifier(String what) {
        skipSpace();
        if (!isIdentifierStart()) {
            throw error(pos, "expected " + what + ", got " + (pos < src.length() ? "'" + tokenAt(pos) + "'" : "end of spec"));
        }
        int start = pos;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
            pos++;
        }
        return src.substring(start, pos);
    }

    private boolean isIdentifierStart() {
        return pos < src.length() && (Character.isLetter(src.charAt(pos)) || src.charAt(pos) == '_');
    }

    private void expect(char c) {
        skipSpace();
        if (pos >= src.length()) {
            throw error(pos, "expected '" + c + "', got end of spec");
        }
        if (src.charAt(pos) != c) {
            throw error(pos, "expected '" + c + "', got '" + tokenAt(pos) + "'");
        }
        pos++;
    }

    private boolean consume(char c) {
        if (peek(c)) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean peek(char c) {
        skipSpace();
        return pos < src.length() && src.charAt(pos) == c;
    }

    private void skipSpace() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
            pos++;
        }
    }

    /** The token starting at p, for messages: an identifier or number run, or one character. */
    private String tokenAt(int p) {
        if (p >= src.length()) {
            return "end of spec";
        }
        int e = p;
        while (e < src.length() && (Character.isLetterOrDigit(src.charAt(e)) || src.charAt(e) == '_'
                || src.charAt(e) == '.' || ((src.charAt(e) == '-' || src.charAt(e) == '+') && e == p))) {
            e++;
        }
        return e == p ? String.valueOf(src.charAt(p)) : src.substring(p, e);
    }

    private BadInputException error(int p, String what) {
        return BadInputException.of(param("arch"), ": " + what + " at position " + (p + 1) + " in \"" + src + "\"");
    }
}
