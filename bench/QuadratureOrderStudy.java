import ntk.activations.*;

/**
 * Manual study (not a test): max relative error of quadrature vs closed form / high-order reference, per order;
 * the measurement behind GaussianQuadrature's default orders. Run after a build:
 * {@code java --add-modules jdk.incubator.vector -cp core/target/classes bench/QuadratureOrderStudy.java}
 */
public final class QuadratureOrderStudy {
    static double[] QS = {0.05, 0.3, 1.0, 3.0, 10.0};
    static final double[] RHOS = {-1.0, -0.999999, -0.9, -0.5, 0.0, 0.3, 0.9, 0.999999, 1.0};

    static double[][] grid() {
        int n = QS.length * QS.length * RHOS.length;
        double[][] g = new double[3][n];
        int k = 0;
        for (double a : QS) {
            for (double b : QS) {
                for (double r : RHOS) {
                    g[0][k] = a;
                    g[1][k] = b;
                    g[2][k] = r * Math.sqrt(a * b);
                    k++;
                }
            }
        }
        return g;
    }

    static int worstP;
    static int worstD;

    /** Error relative to the Cauchy–Schwarz scale √(E φ(u)² E φ(v)²) (resp. φ'), taken from the reference's diagonal. */
    static double[] maxErr(double[] p, double[] d, double[] rp, double[] rd, double[][] g, Activation act, GaussianQuadrature ref) {
        int n = p.length;
        double[][] diag1 = {g[0].clone(), g[0].clone(), g[0].clone()};
        double[][] diag2 = {g[1].clone(), g[1].clone(), g[1].clone()};
        double[] d1p = new double[n], d1d = new double[n], d2p = new double[n], d2d = new double[n];
        if (ref == null) {
            act.expectations(diag1[0], diag1[1], diag1[2], n, d1p, d1d);
            act.expectations(diag2[0], diag2[1], diag2[2], n, d2p, d2d);
        } else {
            ref.expectations(act, true, diag1[0], diag1[1], diag1[2], n, d1p, d1d);
            ref.expectations(act, true, diag2[0], diag2[1], diag2[2], n, d2p, d2d);
        }
        double ep = 0;
        double ed = 0;
        for (int i = 0; i < n; i++) {
            double sp = Math.sqrt(d1p[i] * d2p[i]);
            double sd = Math.sqrt(d1d[i] * d2d[i]);
            double e1 = Math.abs(p[i] - rp[i]) / sp;
            double e2 = Math.abs(d[i] - rd[i]) / sd;
            if (e1 > ep) {
                ep = e1;
                worstP = i;
            }
            if (e2 > ed) {
                ed = e2;
                worstD = i;
            }
        }
        return new double[] {ep, ed};
    }

    public static void main(String[] args) {
        if (args.length > 0) {
            QS = java.util.Arrays.stream(args).mapToDouble(Double::parseDouble).toArray();
        }
        double[][] g = grid();
        int n = g[0].length;
        Activation[] closed = {new Relu(), new LeakyRelu(0.1), new Abs(), new Erf(), new Sin(), new Identity()};
        for (Activation act : closed) {
            double[] rp = new double[n];
            double[] rd = new double[n];
            act.expectations(g[0], g[1], g[2], n, rp, rd);
            for (boolean split : new boolean[] {true, false}) {
                StringBuilder sb = new StringBuilder(act.spec() + (split ? " split " : " GH    "));
                int[] orders = split ? new int[] {10, 16, 20, 24, 32, 40, 48, 64, 80} : new int[] {16, 24, 32, 48, 64, 96, 128, 200};
                for (int m : orders) {
                    GaussianQuadrature gq = split ? new GaussianQuadrature(20, m) : new GaussianQuadrature(m, 20);
                    double[] p = new double[n];
                    double[] d = new double[n];
                    gq.expectations(act, split, g[0], g[1], g[2], n, p, d);
                    double[] e = maxErr(p, d, rp, rd, g, act, null);
                    sb.append(String.format(" %d:%.1e/%.1e", m, e[0], e[1]));
                }
                sb.append(String.format("  worst at (%g,%g,%g) / (%g,%g,%g)", g[0][worstP], g[1][worstP], g[2][worstP]/Math.sqrt(g[0][worstP]*g[1][worstP]), g[0][worstD], g[1][worstD], g[2][worstD]/Math.sqrt(g[0][worstD]*g[1][worstD])));
                System.out.println(sb);
            }
        }
        Activation[] quad = {new Tanh(), new Sigmoid(), new Softplus(), new Silu(), new Gelu(), new Elu()};
        for (Activation act : quad) {
            double[] rp = new double[n];
            double[] rd = new double[n];
            GaussianQuadrature refq = new GaussianQuadrature(20, 160);
            refq.expectations(act, true, g[0], g[1], g[2], n, rp, rd);
            for (boolean split : new boolean[] {true, false}) {
                StringBuilder sb = new StringBuilder(act.spec() + (split ? " split " : " GH    "));
                int[] orders = split ? new int[] {10, 16, 20, 24, 32, 40, 48, 64, 80} : new int[] {16, 24, 32, 48, 64, 96, 128, 200};
                for (int m : orders) {
                    GaussianQuadrature gq = split ? new GaussianQuadrature(20, m) : new GaussianQuadrature(m, 20);
                    double[] p = new double[n];
                    double[] d = new double[n];
                    gq.expectations(act, split, g[0], g[1], g[2], n, p, d);
                    double[] e = maxErr(p, d, rp, rd, g, act, refq);
                    sb.append(String.format(" %d:%.1e/%.1e", m, e[0], e[1]));
                }
                sb.append(String.format("  worst at (%g,%g,%g) / (%g,%g,%g)", g[0][worstP], g[1][worstP], g[2][worstP]/Math.sqrt(g[0][worstP]*g[1][worstP]), g[0][worstD], g[1][worstD], g[2][worstD]/Math.sqrt(g[0][worstD]*g[1][worstD])));
                System.out.println(sb);
            }
        }
    }
}
