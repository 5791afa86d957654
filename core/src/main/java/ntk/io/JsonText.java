package ntk.io;

import java.util.List;
import java.util.Map;

/**
 * JSON text of plain Java values: {@link Map} (keys as strings, in iteration order), {@link List}, arrays of
 * double/int/long/String, {@link Number}, {@link String}, {@link Boolean}, {@code null}. Doubles are written
 * with {@link Double#toString} (shortest round-trip form); non-finite ones become {@code null}.
 */
public final class JsonText {
    private JsonText() {
    }

    /** Pretty-printed with two-space indentation. */
    public static String of(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value, "");
        return b.append('\n').toString();
    }

    private static void write(StringBuilder b, Object v, String indent) {
        switch (v) {
            case null -> b.append("null");
            case Map<?, ?> m -> {
                if (m.isEmpty()) {
                    b.append("{}");
                    return;
                }
                b.append("{\n");
                int i = 0;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    b.append(indent).append("  ").append(quote(String.valueOf(e.getKey()))).append(": ");
                    write(b, e.getValue(), indent + "  ");
                    b.append(++i < m.size() ? ",\n" : "\n");
                }
                b.append(indent).append('}');
            }
            case List<?> l -> {
                b.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        b.append(", ");
                    }
                    write(b, l.get(i), indent);
                }
                b.append(']');
            }
            case double[] a -> write(b, java.util.Arrays.stream(a).boxed().toList(), indent);
            case int[] a -> write(b, java.util.Arrays.stream(a).boxed().toList(), indent);
            case long[] a -> write(b, java.util.Arrays.stream(a).boxed().toList(), indent);
            case String[] a -> write(b, List.of(a), indent);
            case Double d -> b.append(number(d));
            case Float f -> b.append(number(f.doubleValue()));
            case Number n -> b.append(n.toString());
            case Boolean z -> b.append(z);
            case CharSequence s -> b.append(quote(s.toString()));
            default -> throw new IllegalArgumentException("no JSON form for " + v.getClass().getName());
        }
    }

    /** A double as JSON: its shortest round-trip decimal, or null when not finite. */
    public static String number(double d) {
        return Double.isFinite(d) ? Double.toString(d) : "null";
    }

    /** A JSON string literal. */
    public static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
