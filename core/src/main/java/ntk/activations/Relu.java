package ntk.activations;

/** TEMPORARY stub; replaced by the activations branch. */
public final class Relu implements Activation {
    public String spec() { return "Relu"; }
    public double value(double x) { return x > 0 ? x : 0; }
    public double derivative(double x) { return x > 0 ? 1 : 0; }
    public boolean closedForm() { return true; }
    public void expectations(double[] q1, double[] q2, double[] s12, int n, double[] outPhi, double[] outDphi) {
        for (int i = 0; i < n; i++) {
            double r = Math.sqrt(q1[i] * q2[i]);
            double c = r > 0 ? Math.max(-1, Math.min(1, s12[i] / r)) : 0;
            double th = Math.acos(c);
            outPhi[i] = r / (2 * Math.PI) * (Math.sqrt(1 - c * c) + (Math.PI - th) * c);
            if (outDphi != null) outDphi[i] = (Math.PI - th) / (2 * Math.PI);
        }
    }
}
