package ntk.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import ntk.Parameterization;
import ntk.arch.Network;
import org.junit.jupiter.api.Test;

/**
 * Random wide finite networks (sampled by {@link WideNetwork}, which shares no code with the engine)
 * against the analytic kernels: the empirical NTK and the read-out NNGP of one network differ from
 * the limit by O(1/√width) (Jacot et al. 2018, Thm 1 and Prop. 1). We measure the RMS relative error
 * over seeds at three widths and fit its log-log slope, which must be near −1/2.
 */
class MonteCarloKernelTest {
    static final int[] WIDTHS = {64, 256, 1024};
    static final int SEEDS = 6;

    @Test
    void reluNetworkNtkParameterisation() {
        check("Dense(m, W_std=1.4, b_std=0.2), Relu, Dense(m, W_std=1.4, b_std=0.2), Relu, Dense(1, W_std=1.2, b_std=0.1)",
                Parameterization.NTK);
    }

    @Test
    void reluNetworkStandardParameterisation() {
        check("Dense(m, W_std=1.4, b_std=0.2), Relu, Dense(m, W_std=1.4, b_std=0.2), Relu, Dense(1, W_std=1.2, b_std=0.1)",
                Parameterization.STANDARD);
    }

    @Test
    void scaledResidualNetwork() {
        check("Dense(m), Residual(Relu, Dense(m, W_std=1.3, b_std=0.1), scale=invsqrt_depth),"
                + " Residual(Relu, Dense(m, W_std=1.3, b_std=0.1), scale=invsqrt_depth), Relu, Dense(1)",
                Parameterization.NTK);
    }

    private static void check(String archTemplate, Parameterization p) {
        int n = 5;
        int d = 6;
        Random r = new Random(11);
        double[][] x = new double[n][d];
        double[] flat = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                x[i][k] = r.nextGaussian();
                flat[i * d + k] = x[i][k];
            }
        }
        double[] errNtk = new double[WIDTHS.length];
        double[] errNngp = new double[WIDTHS.length];
        Kernels exact = null;
        for (int wi = 0; wi < WIDTHS.length; wi++) {
            int m = WIDTHS[wi];
            Network net = Network.parse(archTemplate.replace("(m", "(" + m), p);
            exact = new KernelEngine(1).kernels(net, flat, n, null, 0, d, true);
            double sumNtk = 0;
            double sumNngp = 0;
            for (int s = 0; s < SEEDS; s++) {
                double[][][] emp = new WideNetwork(net, d, 1000L * m + s).empiricalKernels(x);
                sumNtk += relErr2(emp[0], exact.ntk(), n);
                sumNngp += relErr2(emp[1], exact.nngp(), n);
            }
            errNtk[wi] = Math.sqrt(sumNtk / SEEDS);
            errNngp[wi] = Math.sqrt(sumNngp / SEEDS);
        }
        double slopeNtk = slope(errNtk);
        double slopeNngp = slope(errNngp);
        String report = String.format("%s [%s]: NTK rel. errors %s slope %.3f; NNGP %s slope %.3f", archTemplate, p,
                java.util.Arrays.toString(errNtk), slopeNtk, java.util.Arrays.toString(errNngp), slopeNngp);
        System.out.println(report);
        assertTrue(slopeNtk < -0.3 && slopeNtk > -0.75, "NTK slope should be about -1/2: " + report);
        assertTrue(slopeNngp < -0.3 && slopeNngp > -0.75, "NNGP slope should be about -1/2: " + report);
        assertTrue(errNtk[WIDTHS.length - 1] < 0.2, report);
        assertTrue(errNngp[WIDTHS.length - 1] < 0.2, report);
    }

    /** ‖A − B‖²_F / ‖B‖²_F. */
    private static double relErr2(double[][] a, double[] b, int n) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double e = a[i][j] - b[i * n + j];
                num += e * e;
                den += b[i * n + j] * b[i * n + j];
            }
        }
        return num / den;
    }

    /** Least-squares slope of log(err) against log(width). */
    private static double slope(double[] err) {
        int k = err.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < k; i++) {
            mx += Math.log(WIDTHS[i]) / k;
            my += Math.log(err[i]) / k;
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < k; i++) {
            double dx = Math.log(WIDTHS[i]) - mx;
            num += dx * (Math.log(err[i]) - my);
            den += dx * dx;
        }
        return num / den;
    }
}
