package ntk.layers;

import ntk.BadInputException;
import ntk.Parameterization;
import ntk.Shape;
import ntk.protocol.Binding;
import ntk.protocol.FiniteOp;
import ntk.protocol.KernelMap;
import ntk.protocol.Layer;
import ntk.protocol.LayerKind;
import ntk.protocol.LayerKind.Parameter;

/**
 * 1-D convolution {@code Conv1D(channels, k, W_std, b_std)} (README "Command line"): filter size k = 2q+1 (odd),
 * circular padding, stride 1, on signals of shape (length L, channels C_in), position-major.
 *
 * <p>Finite width: raw W of shape (C_out, C_in, k) and b (C_out); NTK parameterisation
 * y(p, c) = (W_std/√(k·C_in)) Σ_{j=-q..q} Σ_c' W[c, c', j+q] x(p+j mod L, c') + b_std·b[c]; standard
 * W ~ N(0, W_std²/(k·C_in)), b ~ N(0, b_std²), y = W * x + b. Computed as im2col patches (n·L × C_in·k)
 * times Wᵀ by one BLAS GEMM.
 *
 * <p>Infinite width, on the per-pair state Σ(p, p') over position pairs (the CNN-GP recursion of Novak et al.
 * 2019, §2.2, and the CNTK of Arora et al. 2019, §4 — Hayou et al., Prop. 1 applied per position pair):
 * Σ'(p, p') = (W_std²/k) Σ_j Σ(p+j, p'+j) + b_std².
 * NTK parameterisation: the layer's own parameters contribute Σ', so Θ'(p, p') = (W_std²/k) Σ_j Θ(p+j, p'+j) + Σ'
 * (Arora et al. 2019, §4). Standard: ∂y(p,c)/∂W[c,c',j] = x(p+j, c') and ∂y/∂b = 1 for the raw parameters, so
 * they contribute Σ_{j,c'} x(p+j,c')x'(p'+j,c') + 1 = C_in·Σ_j Σ(p+j, p'+j) + 1, and the weights back-propagate
 * (W_std²/(k·C_in))·C_in·Σ_j Θ(p+j, p'+j): Θ' = W_std²(1/k)Σ_j Θ(p+j, p'+j) + C_in Σ_j Σ(p+j, p'+j) + 1.
 * A convolution keeps the offset p' − p of each position pair.
 */
public final class Conv1D implements Layer {
    /** Conv1D(channels, k[, W_std][, b_std]): its name, parameters and defaults, for the parser and spec(). */
    public static final LayerKind KIND = LayerKind.of("Conv1D", a -> new Conv1D((int) a[0], (int) a[1], a[2], a[3]),
            Parameter.positiveInteger("channels"), Parameter.positiveInteger("k"), Parameter.number("W_std", 1.0),
            Parameter.number("b_std", 0.0));

    /** Output channels. */
    public final int channels;
    /** Filter size (odd). */
    public final int k;
    /** Weight standard deviation W_std. */
    public final double wStd;
    /** Bias standard deviation b_std. */
    public final double bStd;

    /**
     * A 1-D convolution with circular padding, stride 1.
     *
     * @param channels output channels, positive
     * @param k filter size, positive and odd
     * @param wStd W_std, positive
     * @param bStd b_std, non-negative
     */
    public Conv1D(int channels, int k, double wStd, double bStd) {
        String self = "Conv1D(" + channels + ", " + k + ")";
        if (channels <= 0) {
            throw new BadInputException(self + ": channels must be positive, got " + channels);
        }
        if (k <= 0 || k % 2 == 0) {
            throw new BadInputException(self + ": filter size k must be a positive odd number (circular 'same'"
                    + " padding centres the filter), got " + k);
        }
        AffineRule.checkStds(self, wStd, bStd);
        this.channels = channels;
        this.k = k;
        this.wStd = wStd;
        this.bStd = bStd;
    }

    /**
     * {@code Conv1D(channels, k)} with W_std = 1, b_std = 0.
     *
     * @param channels output channels
     * @param k filter size (odd)
     */
    public Conv1D(int channels, int k) {
        this(channels, k, 1.0, 0.0);
    }

    @Override
    public String spec() {
        return KIND.spec(channels, k, wStd, bStd);
    }

    @Override
    public boolean convolutional() {
        return true;
    }

    @Override
    public Shape outputShape(Shape input) {
        if (!input.spatial()) {
            throw new BadInputException(spec() + " takes signals of shape (length, channels) but gets a flat input"
                    + " of width " + input.channels() + "; convolutional networks take inputs (n, length, channels)");
        }
        if (input.image()) {
            throw new BadInputException(spec() + " takes signals of shape (length, channels) but gets images of shape "
                    + input + "; use Conv2D for images");
        }
        if (k > input.length()) {
            throw new BadInputException(spec() + ": filter size " + k + " is wider than the signal length "
                    + input.length());
        }
        return new Shape(input.length(), channels);
    }

    @Override
    public KernelMap kernelMap(Binding binding, Shape input) {
        outputShape(input);
        final AffineRule rule = AffineRule.of(binding.parameterization, wStd, bStd, input.channels(), k);
        final int q = k / 2;
        final int len = input.length();
        binding.gaussian = true; // each output is a sum over k·C_in independent weights (Novak et al. 2019, §2.2)
        binding.ntkZero = false;
        return t -> {
            double[] w = t.work; // [0, L): window sums of Σ, [L, 2L): of Θ
            for (int di = 0; di < t.offsets; di++) {
                int base = di * len;
                window(t.sig, base, len, q, w, 0);
                if (t.computeNtk) {
                    window(t.ntk, base, len, q, w, len);
                }
                rule.update(t.sig, t.ntk, base, w, 0, w, len, len, t.computeNtk);
            }
        };
    }

    /** out[o + p] = Σ_{j=-q..q} a[base + (p + j mod L)]: the circular window sum along one offset row. */
    static void window(double[] a, int base, int len, int q, double[] out, int o) {
        for (int p = 0; p < len; p++) {
            double s = 0;
            for (int j = -q; j <= q; j++) {
                int i = p + j;
                if (i < 0) {
                    i += len;
                } else if (i >= len) {
                    i -= len;
                }
                s += a[base + i];
            }
            out[o + p] = s;
        }
    }

    @Override
    public FiniteOp finiteOp(Binding binding, String key, Shape input) {
        outputShape(input);
        return finite(this, binding.parameterization, key, input, binding.newTapeSlot());
    }

    /**
     * The finite-width life of a Conv1D layer: a {@link PatchConvolution} whose tap j of position p reads position
     * p + j − k/2, wrapped (circular padding); W shaped (C_out, C_in, k).
     */
    static PatchConvolution finite(Conv1D layer, Parameterization pz, String key, Shape in, int slot) {
        int len = in.length();
        int k = layer.k;
        int[] source = new int[Math.multiplyExact(len, k)];
        for (int p = 0; p < len; p++) {
            for (int j = 0; j < k; j++) {
                source[p * k + j] = Math.floorMod(p + j - k / 2, len);
            }
        }
        return new PatchConvolution(pz, key, len, in.channels(), layer.channels, source,
                new int[] {layer.channels, in.channels(), k}, layer.wStd, layer.bStd, slot);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Conv1D d && d.channels == channels && d.k == k && d.wStd == wStd && d.bStd == bStd;
    }

    @Override
    public int hashCode() {
        return (Integer.hashCode(channels) * 31 + k) * 17 + Double.hashCode(wStd) * 7 + Double.hashCode(bStd);
    }

    @Override
    public String toString() {
        return spec();
    }
}
