package ntk.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import ntk.Parameterization;
import org.junit.jupiter.api.Test;

/**
 * {@link Windows#conv} (row sums of Σ and Θ in one pass, column sums fused with the update) against the plain route
 * the NumPy reference checks (Conv2DReferenceTest): {@link Windows#plane} on each array, then {@link AffineRule#update};
 * on every offset plane of small images of odd and even sides, filters k = 1..7, both paddings and parameterisations,
 * with and without Θ: the same operations in the same order, so equal bit for bit.
 */
class WindowsTest {
    @Test
    void fusedConvolutionEqualsPlaneSumsThenUpdate() {
        SplittableRandom r = new SplittableRandom(3);
        int cases = 0;
        for (int h : new int[] {1, 3, 5, 6, 8}) {
            for (int w : new int[] {3, 4, 7, 9}) {
                int len = h * w;
                for (int q = 0; q <= 3; q++) {
                    for (boolean circular : new boolean[] {true, false}) {
                        for (Parameterization pz : Parameterization.values()) {
                            AffineRule rule = AffineRule.of(pz, 1.3, 0.4, 3, (2 * q + 1) * (2 * q + 1));
                            for (int d = 0; d < len; d++) {
                                double[] sig = new double[len];
                                double[] ntk = new double[len];
                                for (int i = 0; i < len; i++) {
                                    sig[i] = r.nextGaussian();
                                    ntk[i] = r.nextGaussian();
                                }
                                boolean withNtk = (d & 1) == 0;
                                double[] s1 = sig.clone();
                                double[] t1 = ntk.clone();
                                double[] work = new double[2 * len];
                                int dh = d / w;
                                int dw = d % w;
                                Windows.plane(s1, 0, work, 0, h, w, q, circular, dh, dw);
                                if (withNtk) {
                                    Windows.plane(t1, 0, work, len, h, w, q, circular, dh, dw);
                                }
                                rule.update(s1, t1, 0, s1, 0, t1, 0, len, withNtk);
                                double[] s2 = sig.clone();
                                double[] t2 = ntk.clone();
                                Windows.conv(s2, withNtk ? t2 : null, 0, new double[2 * len], h, w, q, circular, dh, dw,
                                        rule);
                                String at = h + "x" + w + " q=" + q + (circular ? " circular" : " same") + " " + pz
                                        + " offset " + d;
                                for (int i = 0; i < len; i++) {
                                    assertEquals(s1[i], s2[i], 0.0, "Σ " + at + " entry " + i);
                                    assertEquals(t1[i], t2[i], 0.0, "Θ " + at + " entry " + i);
                                }
                                cases++;
                            }
                        }
                    }
                }
            }
        }
        assertEquals(8464, cases);
    }
}
