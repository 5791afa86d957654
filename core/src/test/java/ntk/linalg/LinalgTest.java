package ntk.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The row-major wrappers against plain loops. */
class LinalgTest {
    static final double EPS = Math.ulp(1.0);
    final Random r = new Random(5);

    double[] random(int len) {
        double[] a = new double[len];
        for (int i = 0; i < len; i++) {
            a[i] = r.nextGaussian();
        }
        return a;
    }

    @Test
    void gemmAllTransposesMatchLoops() {
        int m = 5;
        int n = 7;
        int k = 3;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                double[] a = random(m * k);
                double[] b = random(k * n);
                double[] c = Linalg.multiply(ta, tb, m, n, k, a, b);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int p = 0; p < k; p++) {
                            s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                        }
                        assertEquals(s, c[i * n + j], 8 * k * EPS * 10, ta + " " + tb);
                    }
                }
            }
        }
    }

    double[] spd(int n) {
        double[] g = random(n * n);
        double[] a = Linalg.multiply(false, true, n, n, n, g, g);
        for (int i = 0; i < n; i++) {
            a[i * n + i] += n;
        }
        return a;
    }

    @Test
    void eigenDecompositionReconstructsAndIsOrthonormal() {
        int n = 9;
        double[] a = spd(n);
        SymmetricEigen e = Linalg.symmetricEigen(a, n);
        for (int i = 1; i < n; i++) {
            assertTrue(e.values()[i] >= e.values()[i - 1]);
        }
        double norm = e.largest();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                double dotv = 0;
                for (int c = 0; c < n; c++) {
                    s += e.vector(c, i) * e.values()[c] * e.vector(c, j);
                    dotv += e.vector(i, c) * e.vector(j, c);
                }
                assertEquals(a[i * n + j], s, 32 * n * EPS * norm);
                assertEquals(i == j ? 1 : 0, dotv, 32 * n * EPS);
            }
        }
    }

    @Test
    void choleskySolvesAndDetectsIndefinite() {
        int n = 8;
        int nrhs = 3;
        double[] a = spd(n);
        double[] b = random(n * nrhs);
        double[] f = a.clone();
        assertTrue(Linalg.choleskyInPlace(f, n));
        double[] x = b.clone();
        Linalg.choleskySolve(f, n, x, nrhs);
        double[] ax = Linalg.multiply(false, false, n, nrhs, n, a, x);
        for (int i = 0; i < b.length; i++) {
            assertEquals(b[i], ax[i], 1e-12 * n * 10);
        }
        double[] indefinite = a.clone();
        indefinite[0] = -1;
        assertFalse(Linalg.choleskyInPlace(indefinite, n));
    }
}
