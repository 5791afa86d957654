package ntk.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.linalg.Linalg;
import org.junit.jupiter.api.Test;

/** The engine against closed forms derived by hand, and against its own structural properties. */
class AnalyticKernelTest {

    static double[] randomInputs(int n, int d, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian() * (1 + (i / d) % 3); // rows of different norms
        }
        return x;
    }

    /** The angle between rows i and j, accurate even when tiny: 2·atan2(‖x̂ − ŷ‖, ‖x̂ + ŷ‖) (Kahan). */
    static double angle(double[] x, int i, int j, int d) {
        double ni = Math.sqrt(dot(x, i, i, d));
        double nj = Math.sqrt(dot(x, j, j, d));
        double minus = 0;
        double plus = 0;
        for (int k = 0; k < d; k++) {
            double a = x[i * d + k] / ni;
            double b = x[j * d + k] / nj;
            minus += (a - b) * (a - b);
            plus += (a + b) * (a + b);
        }
        return 2 * Math.atan2(Math.sqrt(minus), Math.sqrt(plus));
    }

    static double dot(double[] x, int i, int j, int d) {
        double s = 0;
        for (int k = 0; k < d; k++) {
            s += x[i * d + k] * x[j * d + k];
        }
        return s;
    }

    @Test
    void oneHiddenLayerReluNtkMatchesJacotClosedForm() {
        // Θ(x, x') = ‖x‖‖x'‖/(2π n₀) [sin φ + 2(π − φ) cos φ] for Dense, Relu, Dense in NTK parameterisation
        // (W_std = 1, b_std = 0), φ the angle between x and x' (Jacot et al. 2018 §6; the 1/n₀ from Σ⁽¹⁾ = xᵀx'/n₀).
        int n = 12;
        int d = 7;
        double[] x = randomInputs(n, d, 1);
        Network net = Network.parse("Dense(100), Relu, Dense(1)", Parameterization.NTK);
        Kernels k = new KernelEngine(2).kernels(net, x, n, null, 0, d, true);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double ni = Math.sqrt(dot(x, i, i, d));
                double nj = Math.sqrt(dot(x, j, j, d));
                double phi = angle(x, i, j, d);
                double cos = Math.cos(phi);
                double want = ni * nj / (2 * Math.PI * d) * (Math.sin(phi) + 2 * (Math.PI - phi) * cos);
                worst = Math.max(worst, Math.abs(k.ntk(i, j) - want) / Math.abs(want));
                double wantNngp = ni * nj / (2 * Math.PI * d) * (Math.sin(phi) + (Math.PI - phi) * cos);
                assertEquals(wantNngp, k.nngp(i, j), 1e-14 * Math.abs(wantNngp) + 1e-300);
            }
        }
        assertTrue(worst < 5e-14, "worst relative error " + worst); // measured 1.1e-14: the conditioning of acos, not the formula
    }

    @Test
    void oneHiddenLayerReluStandardParameterisation() {
        // Standard: raw ∂/∂W₁ = x, ∂/∂b₁ = 1, ∂/∂W₂ = relu(h), ∂/∂b₂ = 1, so with m hidden units
        // Θ = (xᵀx' + 1)·(π − φ)/(2π) + m·‖x‖‖x'‖/(2π n₀)(sin φ + (π − φ) cos φ) + 1.
        int n = 9;
        int d = 5;
        int m = 300;
        double[] x = randomInputs(n, d, 2);
        Network net = Network.parse("Dense(" + m + "), Relu, Dense(1)", Parameterization.STANDARD);
        Kernels k = new KernelEngine(2).kernels(net, x, n, null, 0, d, true);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double ni = Math.sqrt(dot(x, i, i, d));
                double nj = Math.sqrt(dot(x, j, j, d));
                double phi = angle(x, i, j, d);
                double cos = Math.cos(phi);
                double want = (dot(x, i, j, d) + 1) * (Math.PI - phi) / (2 * Math.PI)
                        + m * ni * nj / (2 * Math.PI * d) * (Math.sin(phi) + (Math.PI - phi) * cos) + 1;
                assertEquals(want, k.ntk(i, j), 5e-14 * Math.abs(want)); // acos conditioning, as above
            }
        }
    }

    @Test
    void residualReluMatchesHayouLemma3() {
        // Hayou et al. Lemma 3 for blocks (Relu, Dense): q^l = q^{l-1} + σ_w²E[relu²] + σ_b², K^l = K^{l-1}(Σ̇^l + 1) + Σ^l,
        // written out here pair by pair with the arc-cosine formulas; scale 1/√l for the scaled variant.
        int n = 6;
        int d = 4;
        double w = 1.3;
        double b = 0.2;
        double[] x = randomInputs(n, d, 3);
        for (boolean scaled : new boolean[] {false, true}) {
            String block = "Residual(Relu, Dense(64, W_std=" + w + ", b_std=" + b + ")"
                    + (scaled ? ", scale=invsqrt_depth)" : ")");
            Network net = Network.parse("Dense(64), " + block + ", " + block + ", " + block, Parameterization.NTK);
            Kernels k = new KernelEngine(1).kernels(net, x, n, null, 0, d, true);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double q1 = dot(x, i, i, d) / d;
                    double q2 = dot(x, j, j, d) / d;
                    double s = dot(x, i, j, d) / d;
                    double t = s;
                    for (int l = 1; l <= 3; l++) {
                        double a = scaled ? 1.0 / l : 1.0;
                        double c = Math.max(-1, Math.min(1, s / Math.sqrt(q1 * q2)));
                        double th = Math.acos(c);
                        double e = Math.sqrt(q1 * q2) / (2 * Math.PI) * (Math.sin(th) + (Math.PI - th) * c);
                        double sigma = w * w * e + b * b;
                        double sdot = w * w * (Math.PI - th) / (2 * Math.PI);
                        t = t + a * (t * sdot + sigma);
                        s = s + a * sigma;
                        q1 = q1 + a * (w * w * q1 / 2 + b * b);
                        q2 = q2 + a * (w * w * q2 / 2 + b * b);
                    }
                    assertEquals(s, k.nngp(i, j), 1e-13 * Math.abs(s), "nngp " + block);
                    assertEquals(t, k.ntk(i, j), 1e-13 * Math.abs(t), "ntk " + block);
                }
            }
        }
    }

    @Test
    void invsqrtDepthCountsEveryResidualBlockOfTheNetwork() {
        // cli-contract.md: scale=invsqrt_depth is 1/sqrt(l) for the l-th residual block of the network, scaled
        // or not. Blocks 1 (scale 1, unscaled), 2 (1/sqrt 2) and 3 (1/sqrt 3), Lemma 3 written out with s² = a.
        int n = 5;
        int d = 3;
        double w = 1.3;
        double b = 0.2;
        double[] x = randomInputs(n, d, 8);
        String dense = "Dense(16, W_std=" + w + ", b_std=" + b + ")";
        Network net = Network.parse("Dense(16), Residual(Relu, " + dense + "), Residual(Relu, " + dense
                + ", scale=invsqrt_depth), Residual(Relu, " + dense + ", scale=invsqrt_depth)", Parameterization.NTK);
        Kernels k = new KernelEngine(1).kernels(net, x, n, null, 0, d, true);
        double[] a = {1.0, 1.0 / 2, 1.0 / 3};
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double q1 = dot(x, i, i, d) / d;
                double q2 = dot(x, j, j, d) / d;
                double s = dot(x, i, j, d) / d;
                double t = s;
                for (double al : a) {
                    double c = Math.max(-1, Math.min(1, s / Math.sqrt(q1 * q2)));
                    double th = Math.acos(c);
                    double e = Math.sqrt(q1 * q2) / (2 * Math.PI) * (Math.sin(th) + (Math.PI - th) * c);
                    double sigma = w * w * e + b * b;
                    double sdot = w * w * (Math.PI - th) / (2 * Math.PI);
                    t = t + al * (t * sdot + sigma);
                    s = s + al * sigma;
                    q1 = q1 + al * (w * w * q1 / 2 + b * b);
                    q2 = q2 + al * (w * w * q2 / 2 + b * b);
                }
                assertEquals(s, k.nngp(i, j), 1e-13 * Math.abs(s), "nngp");
                assertEquals(t, k.ntk(i, j), 1e-13 * Math.abs(t), "ntk");
            }
        }
        // and the same numbers with the scales written out
        Kernels written = new KernelEngine(1).kernels(Network.parse("Dense(16), Residual(Relu, " + dense
                + "), Residual(Relu, " + dense + ", scale=" + (1 / Math.sqrt(2)) + "), Residual(Relu, " + dense
                + ", scale=" + (1 / Math.sqrt(3)) + ")", Parameterization.NTK), x, n, null, 0, d, true);
        for (int i = 0; i < n * n; i++) {
            assertEquals(written.ntk()[i], k.ntk()[i], 1e-14 * Math.abs(written.ntk()[i]));
        }
    }

    @Test
    void symmetricPathEqualsCrossPathAndDiagonalModeAndThreadCounts() {
        int n = 300; // more than one tile and one chunk
        int d = 11;
        double[] x = randomInputs(n, d, 4);
        Network net = Network.parse("Dense(8, W_std=1.5, b_std=0.3), Relu, Dense(8, W_std=1.5, b_std=0.3), Relu,"
                + " Dense(8), Residual(Relu, Dense(8)), Dense(2, W_std=1.5, b_std=0.3)", Parameterization.NTK);
        // No warm-up on purpose: the arc-cosine is built from IEEE-exact operations (InverseTrig), so interpreted,
        // C1 and C2 code give the same bits, and a JIT transition mid-run must not change any entry either.
        Kernels sym = new KernelEngine(2).kernels(net, x, n, null, 0, d, true);
        Kernels one = new KernelEngine(1).kernels(net, x, n, null, 0, d, true);
        Kernels cross = new KernelEngine(2).kernels(net, x, n, x.clone(), n, d, true);
        Kernels diag = new KernelEngine(1).diagonal(net, x, n, d, true);
        for (int i = 0; i < n; i++) {
            assertEquals(diag.nngp()[i], sym.nngp(i, i), 0.0);
            assertEquals(diag.ntk()[i], sym.ntk(i, i), 0.0);
            for (int j = 0; j < n; j++) {
                assertEquals(sym.nngp(i, j), sym.nngp(j, i), 0.0, "exact symmetry");
                assertEquals(sym.ntk(i, j), one.ntk(i, j), 0.0, "thread count must not change a bit");
                // On the diagonal the cross path's Gram entry (gemm) differs from the norm by rounding; the
                // engine snaps such correlations to exactly 1, else the sqrt(1 - ρ) behaviour would cost 1e-8.
                double tol = i == j ? 1e-14 : 1e-12;
                assertEquals(sym.ntk(i, j), cross.ntk(i, j), tol * Math.abs(sym.ntk(i, i)));
                assertEquals(sym.nngp(i, j), cross.nngp(i, j), tol * Math.abs(sym.nngp(i, i)));
            }
        }
        // a cross kernel of different batches equals the matching block of the joint kernel
        int n1 = 70;
        double[] a = java.util.Arrays.copyOfRange(x, 0, n1 * d);
        double[] b = java.util.Arrays.copyOfRange(x, n1 * d, n * d);
        Kernels ab = new KernelEngine(2).kernels(net, a, n1, b, n - n1, d, true);
        for (int i = 0; i < n1; i++) {
            for (int j = 0; j < n - n1; j++) {
                assertEquals(sym.ntk(i, n1 + j), ab.ntk(i, j), 1e-12 * Math.abs(sym.ntk(i, i)));
            }
        }
    }

    @Test
    void kernelsArePositiveSemiDefinite() {
        int n = 60;
        int d = 3; // more points than dimensions: the Gram matrix is singular, the kernels must not go negative
        double[] x = randomInputs(n, d, 5);
        for (String arch : new String[] {"Dense(4), Relu, Dense(4), Relu, Dense(1)",
            "Dense(4, b_std=0.5), Residual(Relu, Dense(4), scale=invsqrt_depth), Relu, Dense(1)"}) {
            for (Parameterization p : Parameterization.values()) {
                Kernels k = new KernelEngine(2).kernels(Network.parse(arch, p), x, n, null, 0, d, true);
                for (double[] m : new double[][] {k.nngp(), k.ntk()}) {
                    double[] ev = eigenvalues(m, n);
                    double max = ev[n - 1];
                    assertTrue(ev[0] > -1e-12 * max, arch + " " + p + ": smallest eigenvalue " + ev[0] + " vs " + max);
                }
            }
        }
    }

    @Test
    void reluKernelsArePositivelyHomogeneous() {
        // Without biases, every layer is positively homogeneous: K(c x, x') = c K(x, x') for c > 0.
        int n = 8;
        int d = 6;
        double[] x = randomInputs(n, d, 6);
        double c = 3.7;
        double[] cx = x.clone();
        for (int k = 0; k < d; k++) {
            cx[k] *= c; // scale the first row only
        }
        Network net = Network.parse("Dense(5), Relu, Dense(5, W_std=2), Relu, Dense(1)", Parameterization.NTK);
        Kernels k1 = new KernelEngine(1).kernels(net, x, n, null, 0, d, true);
        Kernels k2 = new KernelEngine(1).kernels(net, cx, n, null, 0, d, true);
        for (int j = 1; j < n; j++) {
            assertEquals(c * k1.ntk(0, j), k2.ntk(0, j), 1e-13 * Math.abs(c * k1.ntk(0, j)));
            assertEquals(c * k1.nngp(0, j), k2.nngp(0, j), 1e-13 * Math.abs(c * k1.nngp(0, j)));
        }
        assertEquals(c * c * k1.ntk(0, 0), k2.ntk(0, 0), 1e-13 * c * c * k1.ntk(0, 0));
    }

    @Test
    void activationsNeedGaussianInputsAsInNeuralTangents() {
        // Relu(Relu(h)) = Relu(h), but a Gaussian-expectation map would treat relu(h) as Gaussian: refuse.
        for (String arch : new String[] {"Relu, Dense(1)", "Dense(4), Relu, Tanh, Dense(1)",
            "Dense(4), Relu, Residual(Relu, Dense(4)), Dense(1)"}) {
            ntk.BadInputException e = org.junit.jupiter.api.Assertions.assertThrows(ntk.BadInputException.class,
                    () -> new KernelEngine(1).kernels(Network.parse(arch, Parameterization.NTK), new double[] {1, 2},
                            1, null, 0, 2, true));
            assertTrue(e.getMessage().contains("is not Gaussian"), e.getMessage());
        }
        // Identity keeps Gaussianity; a residual sum of Gaussians is Gaussian
        new KernelEngine(1).kernels(Network.parse("Dense(4), Identity, Residual(Relu, Dense(4)), Relu, Dense(1)",
                Parameterization.NTK), new double[] {1, 2}, 1, null, 0, 2, true);
    }

    static double[] eigenvalues(double[] m, int n) {
        return ntk.linalg.Linalg.symmetricEigenvalues(m, n);
    }
}
