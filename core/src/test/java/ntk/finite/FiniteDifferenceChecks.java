package ntk.finite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import ntk.Params;

/**
 * The finite-difference checks every finite network's passes get (dense, 1-D and 2-D convolutional): central
 * differences of forward passes, independent of the backward and forward-mode code they check.
 */
final class FiniteDifferenceChecks {
    private FiniteDifferenceChecks() {
    }

    /**
     * The backward pass of g(θ, x) = Σ c ⊙ f(x; θ) (c random) against central differences: {@code perKey} random
     * entries of each parameter array, and every {@code xStride}-th input entry.
     */
    static void backward(FiniteNetwork net, Params p, double[] x, int n, int perKey, int xStride, String label) {
        double[] c = FiniteNetworkTest.random(n * net.outputs(), 2);
        FiniteNetwork.Forward f = net.forward(p, x, n);
        Params grad = p.zerosLike();
        double[] dx = net.backward(p, f, c, grad, null);
        Random pick = new Random(3);
        for (String key : p.asMap().keySet()) {
            double[] v = p.data(key);
            for (int t = 0; t < perKey; t++) {
                int i = pick.nextInt(v.length);
                double h = 1e-6 * Math.max(1, Math.abs(v[i]));
                double fd = centralDifference(net, p, x, n, c, v, i, h);
                assertEquals(fd, grad.data(key)[i], 1e-6 * (1 + Math.abs(fd)), label + " ∂/∂" + key + "[" + i + "]");
            }
        }
        for (int i = 0; i < x.length; i += xStride) {
            double fd = centralDifference(net, p, x, n, c, x, i, 1e-6);
            assertEquals(fd, dx[i], 1e-6 * (1 + Math.abs(fd)), label + " ∂/∂x[" + i + "]");
        }
    }

    /** (g(v[i] + h) − g(v[i] − h)) / 2h with g = Σ c ⊙ f, v being a parameter array of p or the input x. */
    private static double centralDifference(FiniteNetwork net, Params p, double[] x, int n, double[] c, double[] v,
            int i, double h) {
        double keep = v[i];
        v[i] = keep + h;
        double up = FiniteNetworkTest.dot(c, net.forward(p, x, n).out());
        v[i] = keep - h;
        double down = FiniteNetworkTest.dot(c, net.forward(p, x, n).out());
        v[i] = keep;
        return (up - down) / (2 * h);
    }

    /** The forward-mode pass (JVP) along a random parameter direction against central differences of the outputs. */
    static void jvp(FiniteNetwork net, Params p, double[] x, int n, String label) {
        Params dp = p.zerosLike();
        int k = 0;
        for (String key : dp.asMap().keySet()) {
            double[] r = FiniteNetworkTest.random(dp.data(key).length, 100 + k++);
            System.arraycopy(r, 0, dp.data(key), 0, r.length);
        }
        double[] jvp = net.jvp(p, net.forward(p, x, n), dp);
        double h = 1e-6;
        Params up = p.copy();
        up.axpy(h, dp);
        Params down = p.copy();
        down.axpy(-h, dp);
        double[] fu = net.forward(up, x, n).out();
        double[] fdn = net.forward(down, x, n).out();
        for (int i = 0; i < jvp.length; i++) {
            double fd = (fu[i] - fdn[i]) / (2 * h);
            assertEquals(fd, jvp[i], 1e-6 * (1 + Math.abs(fd)), label + " JVP[" + i + "]");
        }
    }
}
