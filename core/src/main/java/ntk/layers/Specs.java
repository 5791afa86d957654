package ntk.layers;

/** Formatting shared by the layers' spec() methods. */
final class Specs {
    private Specs() {
    }

    /** A number as the shortest text that parses back to it ("1.5", "2", "1e-05"). */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
