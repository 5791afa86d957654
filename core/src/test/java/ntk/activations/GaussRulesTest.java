package ntk.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GaussRulesTest {
    @Test
    void hermiteOrder5MatchesKnownRootsOfHe5() {
        double[][] r = GaussRules.hermite(5);
        double a = Math.sqrt(5 - Math.sqrt(10));
        double b = Math.sqrt(5 + Math.sqrt(10));
        double[] exp = {-b, -a, 0, a, b};
        for (int i = 0; i < 5; i++) {
            assertEquals(exp[i], r[0][i], 1e-15);
        }
        // weights n!/(n He_{n-1}(x))² ; He_4(x) = x⁴ - 6x² + 3
        for (int i = 0; i < 5; i++) {
            double x = exp[i];
            double he4 = x * x * x * x - 6 * x * x + 3;
            assertEquals(120.0 / (25.0 * he4 * he4), r[1][i], 1e-15);
        }
    }

    @Test
    void hermiteIntegratesEvenMomentsExactlyUpToDegree2nMinus1() {
        for (int n : new int[] {8, 20, 64, 128, 200}) {
            double[][] r = GaussRules.hermite(n);
            double dfact = 1.0; // (2k-1)!!
            for (int k = 0; 2 * k <= Math.min(2 * n - 1, 60); k++) {
                if (k > 0) {
                    dfact *= 2 * k - 1;
                }
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += r[1][i] * Math.pow(r[0][i], 2 * k);
                }
                assertEquals(1.0, s / dfact, 1e-12, "n=" + n + " k=" + k);
            }
            // p_n(z_i) residual small: check polynomial He_n via recurrence is ~0 relative to its scale
            double odd = 0;
            for (int i = 0; i < n; i++) {
                odd += r[1][i] * r[0][i] * r[0][i] * r[0][i];
            }
            assertEquals(0.0, odd, 1e-13);
        }
    }

    @Test
    void legendreIntegratesPolynomialsUpToDegree2nMinus1() {
        for (int n : new int[] {1, 2, 7, 40, 64, 160}) {
            double[][] r = GaussRules.legendre(n);
            for (int k = 0; k <= 2 * n - 1 && k <= 80; k++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += r[1][i] * Math.pow(r[0][i], k);
                }
                double exact = k % 2 == 1 ? 0.0 : 2.0 / (k + 1);
                assertEquals(exact, s, 1e-14, "n=" + n + " k=" + k);
            }
            for (int i = 1; i < n; i++) {
                assertTrue(r[0][i] > r[0][i - 1]);
            }
        }
    }
}
