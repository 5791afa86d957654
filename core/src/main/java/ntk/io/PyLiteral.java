// A small parser for the Python literal subset used in NPY headers (dict, tuple, list, str, int, bool, None).
package ntk.io;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the Python literal subset that appears in NPY headers. Values map to Java as:
 * dict to {@link LinkedHashMap}, tuple to {@link Tuple}, list to {@link ArrayList}, str to
 * {@link String}, int to {@link BigInteger}, float to {@link PyFloat}, True/False to {@link Boolean},
 * None to {@link #NONE}. Errors are {@link Syntax} exceptions with a short one-line message.
 */
final class PyLiteral {
    /** Python None. */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    /** A Python tuple. */
    record Tuple(List<Object> items) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < items.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(repr(items.get(i)));
            }
            return sb.append(items.size() == 1 ? ",)" : ")").toString();
        }
    }

    /** A Python float literal, kept as its text. */
    record PyFloat(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** A syntax error in the literal. */
    static final class Syntax extends Exception {
        private static final long serialVersionUID = 1L;

        Syntax(String message) {
            super(message);
        }
    }

    private static final int MAX_DEPTH = 32;

    private final String s;
    private int pos;

    private PyLiteral(String s) {
        this.s = s;
    }

    /** Parses {@code text} as exactly one literal surrounded by optional whitespace. */
    static Object parse(String text) throws Syntax {
        PyLiteral p = new PyLiteral(text);
        p.skipSpace();
        Object v = p.value(0);
        p.skipSpace();
        if (p.pos < p.s.length()) {
            throw p.error("unexpected " + p.describeHere() + " after the end of the literal");
        }
        return v;
    }

    /** Python-like repr of a parsed value, for messages. */
    static String repr(Object v) {
        if (v instanceof String str) {
            StringBuilder sb = new StringBuilder("'");
            for (int i = 0; i < str.length(); i++) {
                char c = str.charAt(i);
                switch (c) {
                    case '\'' -> sb.append("\\'");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20 || c == 0x7f) {
                            sb.append(String.format("\\x%02x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            return sb.append('\'').toString();
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(repr(list.get(i)));
            }
            return sb.append(']').toString();
        }
        if (v instanceof Map<?, ?> map) {
            StringBuilder sb = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                sb.append(first ? "" : ", ").append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
                first = false;
            }
            return sb.append('}').toString();
        }
        return String.valueOf(v);
    }

    private Object value(int depth) throws Syntax {
        if (depth > MAX_DEPTH) {
            throw error("nested too deeply");
        }
        if (pos >= s.length()) {
            throw error("unexpected end of header");
        }
        char c = s.charAt(pos);
        switch (c) {
            case '{':
                return dict(depth);
            case '(':
                return parenthesized(depth);
            case '[':
                pos++;
                return new ArrayList<>(sequence(']', depth));
            case '\'':
            case '"':
                return string();
            default:
                if (c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9')) {
                    return number();
                }
                if (Character.isLetter(c) || c == '_') {
                    return name();
                }
                throw error("unexpected " + describeHere());
        }
    }

    private Map<String, Object> dict(int depth) throws Syntax {
        pos++; // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        skipSpace();
        while (true) {
            if (peek() == '}') {
                pos++;
                return map;
            }
            Object key = value(depth + 1);
            if (!(key instanceof String k)) {
                throw error("dict key " + repr(key) + " is not a string");
            }
            skipSpace();
            expect(':');
            skipSpace();
            Object v = value(depth + 1);
            if (map.put(k, v) != null) {
                throw error("duplicate key " + repr(k));
            }
            skipSpace();
            if (peek() == ',') {
                pos++;
                skipSpace();
            } else if (peek() != '}') {
                throw error("expected ',' or '}' but found " + describeHere());
            }
        }
    }

    /** "(x)" is just x; "()" , "(x,)" and "(x, y)" are tuples, as in Python. */
    private Object parenthesized(int depth) throws Syntax {
        pos++; // '('
        skipSpace();
        if (peek() == ')') {
            pos++;
            return new Tuple(List.of());
        }
        Object first = value(depth + 1);
        skipSpace();
        if (peek() == ')') {
            pos++;
            return first;
        }
        expect(',');
        skipSpace();
        List<Object> items = new ArrayList<>();
        items.add(first);
        items.addAll(sequence(')', depth));
        return new Tuple(List.copyOf(items));
    }

    /** Comma-separated values up to {@code close}, trailing comma allowed; position after '(' / ','. */
    private List<Object> sequence(char close, int depth) throws Syntax {
        List<Object> items = new ArrayList<>();
        skipSpace();
        while (true) {
            if (peek() == close) {
                pos++;
                return items;
            }
            items.add(value(depth + 1));
            skipSpace();
            if (peek() == ',') {
                pos++;
                skipSpace();
            } else if (peek() != close) {
                throw error("expected ',' or '" + close + "' but found " + describeHere());
            }
        }
    }

    private String string() throws Syntax {
        char quote = s.charAt(pos++);
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= s.length()) {
                throw error("unterminated string");
            }
            char c = s.charAt(pos++);
            if (c == quote) {
                return sb.toString();
            }
            if (c == '\n' || c == '\r') {
                throw error("line break inside a string");
            }
            if (c == '\\') {
                if (pos >= s.length()) {
                    throw error("unterminated string");
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case '0' -> sb.append('\0');
                    case '\\', '\'', '"' -> sb.append(e);
                    default -> sb.append('\\').append(e);
                }
            } else {
                sb.append(c);
            }
        }
    }

    private Object number() throws Syntax {
        int start = pos;
        if (peek() == '-' || peek() == '+') {
            pos++;
        }
        int digitsStart = pos;
        while (pos < s.length() && isNumberChar(s.charAt(pos))) {
            pos++;
        }
        String body = s.substring(digitsStart, pos);
        String text = s.substring(start, pos);
        if (body.isEmpty()) {
            throw error("malformed number " + repr(text));
        }
        String digits = body;
        if (digits.endsWith("L") || digits.endsWith("l")) { // Python 2 long, seen in old headers
            digits = digits.substring(0, digits.length() - 1);
        }
        if (!digits.isEmpty() && digits.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            if (digits.length() > 1 && digits.charAt(0) == '0' && !digits.chars().allMatch(ch -> ch == '0')) {
                throw error("malformed integer " + repr(text));
            }
            BigInteger v = new BigInteger(digits);
            return text.charAt(0) == '-' ? v.negate() : v;
        }
        try {
            Double.parseDouble(text);
        } catch (NumberFormatException ex) {
            throw error("malformed number " + repr(text));
        }
        return new PyFloat(text);
    }

    private static boolean isNumberChar(char c) {
        return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == 'L' || c == 'l'
                || c == '_' || c == 'x' || c == 'X' || ((c == '+' || c == '-'));
    }

    private Object name() throws Syntax {
        int start = pos;
        while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
            pos++;
        }
        String n = s.substring(start, pos);
        return switch (n) {
            case "True" -> Boolean.TRUE;
            case "False" -> Boolean.FALSE;
            case "None" -> NONE;
            default -> {
                pos = start;
                throw error("unexpected name " + repr(n));
            }
        };
    }

    private void skipSpace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b) {
                pos++;
            } else {
                break;
            }
        }
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\uffff';
    }

    private void expect(char c) throws Syntax {
        if (peek() != c) {
            throw error("expected '" + c + "' but found " + describeHere());
        }
        pos++;
    }

    private String describeHere() {
        if (pos >= s.length()) {
            return "end of header";
        }
        return repr(String.valueOf(s.charAt(pos)));
    }

    private Syntax error(String what) {
        return new Syntax(what + " at offset " + pos);
    }
}
