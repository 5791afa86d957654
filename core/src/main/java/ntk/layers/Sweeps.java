package ntk.layers;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The elementwise passes of a training step, one vectorised sweep each: with the GEMMs at ~80% of the machine's rate,
 * these memory-bound loops are what separates a step from PyTorch's (README "Training without allocation").
 */
final class Sweeps {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private Sweeps() {
    }

    /** y = h &gt; 0 ? h : 0 (Relu's value as {@code Relu.value} defines it, NaN included). */
    static void relu(double[] h, double[] y, int len) {
        int i = 0;
        int bound = S.loopBound(len);
        DoubleVector zero = DoubleVector.zero(S);
        for (; i < bound; i += S.length()) {
            DoubleVector v = DoubleVector.fromArray(S, h, i);
            zero.blend(v, v.compare(VectorOperators.GT, 0.0)).intoArray(y, i);
        }
        for (; i < len; i++) {
            y[i] = h[i] > 0.0 ? h[i] : 0.0;
        }
    }

    /** dx = y &gt; 0 ? dy : 0: Relu's backward pass from its output (y &gt; 0 exactly where h &gt; 0). */
    static void reluMask(double[] y, double[] dy, double[] dx, int len) {
        int i = 0;
        int bound = S.loopBound(len);
        DoubleVector zero = DoubleVector.zero(S);
        for (; i < bound; i += S.length()) {
            VectorMask<Double> m = DoubleVector.fromArray(S, y, i).compare(VectorOperators.GT, 0.0);
            zero.blend(DoubleVector.fromArray(S, dy, i), m).intoArray(dx, i);
        }
        for (; i < len; i++) {
            dx[i] = y[i] > 0.0 ? dy[i] : 0.0;
        }
    }

    /** out = a ⊙ b. */
    static void multiply(double[] a, double[] b, double[] out, int len) {
        int i = 0;
        int bound = S.loopBound(len);
        for (; i < bound; i += S.length()) {
            DoubleVector.fromArray(S, a, i).mul(DoubleVector.fromArray(S, b, i)).intoArray(out, i);
        }
        for (; i < len; i++) {
            out[i] = a[i] * b[i];
        }
    }

    /** Σ a[0, len), in vector lanes (a readout's mean over a spatial tile). */
    static double sum(double[] a, int len) {
        int i = 0;
        int bound = S.loopBound(len);
        DoubleVector acc = DoubleVector.zero(S);
        for (; i < bound; i += S.length()) {
            acc = acc.add(DoubleVector.fromArray(S, a, i));
        }
        // lanes summed in a fixed order: reduceLanes(ADD) may associate differently interpreted, in C1 and in C2, so a
        // kernel entry computed while this method was being compiled could differ from its neighbours in the last bit
        double s = 0.0;
        for (int l = 0; l < S.length(); l++) {
            s += acc.lane(l);
        }
        for (; i < len; i++) {
            s += a[i];
        }
        return s;
    }
}
