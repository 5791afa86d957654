package ntk.layers;

import ntk.BadInputException;
import ntk.Parameterization;

/**
 * How W_std and b_std enter an affine layer (Dense, Conv1D) in both parameterisations, in one place. The layer sums
 * {@code window} positions of {@code channelsIn} channels (fan-in = window·channelsIn; a Dense has window 1).
 *
 * <p>Finite width (README "Command line"): NTK parameterisation y = (W_std/√fan_in)·W·x + b_std·b with raw
 * W, b ~ N(0, 1); standard y = W·x + b with W ~ N(0, W_std²/fan_in), b ~ N(0, b_std²).
 *
 * <p>Infinite width, with S and T the sums of Σ and Θ over the window (S = Σ for a Dense): Σ' = (W_std²/window)·S +
 * b_std² in both (Jacot et al. 2018, Prop. 1; Novak et al. 2019 §2.2 per position pair). NTK parameterisation: the
 * layer's own parameters contribute Σ', so Θ' = (W_std²/window)·T + Σ' (Jacot et al. Thm 1; Arora et al. 2019 §4).
 * Standard: the raw parameters contribute channelsIn·S + 1 (the bias counts even when b_std = 0, as in
 * neural-tangents), so Θ' = (W_std²/window)·T + channelsIn·S + 1.
 */
public record AffineRule(boolean ntkParameterization, double wStd, double bStd, int channelsIn, int window) {

    /**
     * The rule of an affine layer.
     *
     * @param p the parameterisation
     * @param wStd W_std
     * @param bStd b_std
     * @param channelsIn input channels (the input width for Dense)
     * @param window taps per channel (1 for Dense, k for Conv1D, k² for Conv2D); fan-in = channelsIn·window
     * @return the rule
     */
    public static AffineRule of(Parameterization p, double wStd, double bStd, int channelsIn, int window) {
        return new AffineRule(p == Parameterization.NTK, wStd, bStd, channelsIn, window);
    }

    /** Refuses W_std ≤ 0 and b_std &lt; 0 (or non-finite), naming the layer. */
    public static void checkStds(String layer, double wStd, double bStd) {
        if (!(wStd > 0) || !Double.isFinite(wStd)) {
            throw new BadInputException(layer + ": W_std must be a positive number, got " + wStd);
        }
        if (!(bStd >= 0) || !Double.isFinite(bStd)) {
            throw new BadInputException(layer + ": b_std must be a non-negative number, got " + bStd);
        }
    }

    /** @return the fan-in: input channels × taps per channel */
    public int fanIn() {
        return channelsIn * window;
    }

    /** The forward multiplier of the raw weights: W_std/√fan_in (NTK) or 1 (standard). */
    public double weightScale() {
        return ntkParameterization ? wStd / Math.sqrt(fanIn()) : 1.0;
    }

    /** The forward multiplier of the raw biases: b_std (NTK) or 1 (standard). */
    public double biasScale() {
        return ntkParameterization ? bStd : 1.0;
    }

    /** The standard deviation of the raw weights' draws: 1 (NTK) or W_std/√fan_in (standard). */
    public double weightInitStd() {
        return ntkParameterization ? 1.0 : wStd / Math.sqrt(fanIn());
    }

    /** The standard deviation of the raw biases' draws: 1 (NTK) or b_std (standard). */
    public double biasInitStd() {
        return ntkParameterization ? 1.0 : bStd;
    }

    /**
     * The kernel update for len entries: sig[base + p] = Σ', and when computeNtk ntk[base + p] = Θ', from the window sums
     * s[sOff + p] of Σ and t[tOff + p] of Θ (which may be sig and ntk themselves: each entry is read before written).
     * Plain multiply-adds, as Dense always rounded them: deep-network rate fits read distances near the rounding
     * floor, and a fused multiply-add moved one of them (DepthAnalysisTest, ordered Tanh) out of its tolerance.
     */
    public void update(double[] sig, double[] ntk, int base, double[] s, int sOff, double[] t, int tOff, int len,
            boolean computeNtk) {
        final double c = wStd * wStd / window;
        final double b2 = bStd * bStd;
        if (!computeNtk) {
            for (int p = 0; p < len; p++) {
                sig[base + p] = c * s[sOff + p] + b2;
            }
        } else if (ntkParameterization) {
            for (int p = 0; p < len; p++) {
                double sNew = c * s[sOff + p] + b2;
                sig[base + p] = sNew;
                ntk[base + p] = c * t[tOff + p] + sNew;
            }
        } else {
            final double cin = channelsIn;
            for (int p = 0; p < len; p++) {
                double sS = s[sOff + p];
                sig[base + p] = c * sS + b2;
                ntk[base + p] = c * t[tOff + p] + cin * sS + 1.0;
            }
        }
    }
}
