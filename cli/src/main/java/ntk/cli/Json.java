package ntk.cli;

/** A flat JSON object written by hand: strings, booleans and numbers (non-finite numbers become null). */
final class Json {
    private final StringBuilder b = new StringBuilder("{");

    Json put(String key, String value) {
        return raw(key, quote(value));
    }

    Json put(String key, boolean value) {
        return raw(key, Boolean.toString(value));
    }

    Json put(String key, double value) {
        return raw(key, Double.isFinite(value) ? Double.toString(value) : "null");
    }

    Json put(String key, long value) {
        return raw(key, Long.toString(value));
    }

    private Json raw(String key, String value) {
        if (b.length() > 1) {
            b.append(", ");
        }
        b.append(quote(key)).append(": ").append(value);
        return this;
    }

    static String quote(String s) {
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

    @Override
    public String toString() {
        return b + "}";
    }
}
