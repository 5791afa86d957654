package ntk.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

/**
 * {@link Sweeps#sum} (a pooled readout's mean) adds in one fixed order however the JIT has compiled it: vector lanes
 * of the preferred species in order, then the tail. Called often enough to run interpreted, in C1 and in C2; numbers
 * of mixed magnitudes make any other association visible in the last bits.
 */
class SweepsTest {
    @Test
    void sumAssociatesTheSameWayInEveryCompilationState() {
        int lanes = DoubleVector.SPECIES_PREFERRED.length();
        SplittableRandom r = new SplittableRandom(3);
        double[][] arrays = new double[64][];
        double[] want = new double[arrays.length];
        for (int k = 0; k < arrays.length; k++) {
            double[] a = new double[1 + r.nextInt(40)];
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextDouble(-1, 1) * Math.pow(10, r.nextInt(-8, 9));
            }
            arrays[k] = a;
            int bound = a.length / lanes * lanes;
            double[] acc = new double[lanes];
            for (int i = 0; i < bound; i++) {
                acc[i % lanes] += a[i];
            }
            double s = 0.0;
            for (double v : acc) {
                s += v;
            }
            for (int i = bound; i < a.length; i++) {
                s += a[i];
            }
            want[k] = s;
        }
        for (int call = 0; call < 400_000; call++) {
            int k = call % arrays.length;
            double got = Sweeps.sum(arrays[k], arrays[k].length);
            if (Double.doubleToRawLongBits(got) != Double.doubleToRawLongBits(want[k])) {
                assertEquals(want[k], got, 0.0, "call " + call + ", array " + k + " of length " + arrays[k].length);
            }
        }
    }
}
