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
        return raw(key, ntk.io.JsonText.number(value));
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
        return ntk.io.JsonText.quote(s);
    }

    @Override
    public String toString() {
        return b + "}";
    }
}
