package ntk.layers;

import ntk.Shape;
import ntk.protocol.Binding;
import ntk.protocol.FiniteOp;
import ntk.protocol.KernelMap;
import ntk.protocol.Layer;
import ntk.protocol.LayerKind;
import ntk.protocol.LayerKind.Parameter;

/**
 * Locally connected 2-D layer {@code LocallyConnected2D(channels, k[, padding=circular|same][, W_std][, b_std])}
 * (docs/cli.md): a {@link Conv2D} without weight sharing. Every output position p = (ph, pw) has its own k × k × C_in
 * × C_out filter W_p and its own bias b_p; the windows, padding (circular wraps, same pads with zeros) and fan-in
 * k²·C_in (padded zeros included) are Conv2D's.
 *
 * <p>Finite width: raw W of shape (H, W, C_out, C_in, k, k) and b of shape (H, W, C_out); NTK parameterisation
 * y(p, c) = (W_std/√(k²·C_in)) Σ_{jh,jw} Σ_c' W_p[c, c', jh+q, jw+q] x(p + (jh, jw), c') + b_std·b_p[c]; standard
 * W ~ N(0, W_std²/(k²·C_in)), b ~ N(0, b_std²). One GEMM per position over the examples.
 *
 * <p>Infinite width (the locally connected network's GP of Novak et al. 2019, the network "without weight sharing" of
 * their abstract): the filters of two positions p ≠ p' are independent, so Σ'(p, p') = 0 and Θ'(p, p') = 0, and at
 * p = p' the map is the convolution's, Σ'(p, p) = (W_std²/k²) Σ_j Σ(p + j, p + j) + b_std² (and Θ' likewise, see
 * {@link AffineRule}): the window sum of the input's pixel-wise variances and covariances only. Hence, without pooling
 * (a Flatten readout reads only p = p', and the δ = 0 plane of a convolution needs only the δ = 0 plane of its input),
 * a network of these layers has the same NNGP and NTK as its Conv2D twin; with pooling it does not.
 */
public final class LocallyConnected2D implements Layer {
    /** LocallyConnected2D(channels, k[, padding][, W_std][, b_std]): its name, parameters and defaults (Conv2D's). */
    public static final LayerKind KIND = LayerKind.of("LocallyConnected2D",
            a -> new LocallyConnected2D((int) a[0], (int) a[1], a[2] == 1 ? Conv2D.Padding.SAME
                    : Conv2D.Padding.CIRCULAR, a[3], a[4]),
            Parameter.positiveInteger("channels"), Parameter.positiveInteger("k"),
            Parameter.choice("padding", "circular", "same"), Parameter.number("W_std", 1.0),
            Parameter.number("b_std", 0.0));

    /** Output channels. */
    public final int channels;
    /** Filter edge (odd): a k × k filter at every position. */
    public final int k;
    /** What the filters see past an edge. */
    public final Conv2D.Padding padding;
    /** Weight standard deviation W_std. */
    public final double wStd;
    /** Bias standard deviation b_std. */
    public final double bStd;
    /** The same geometry with shared weights: its checks, shapes, source table and δ = 0 plane map. */
    private final Conv2D geometry;

    /**
     * A locally connected 2-D layer, stride 1, over images (height, width, channels).
     *
     * @param channels output channels, positive
     * @param k filter edge, positive and odd
     * @param padding circular or same (zeros)
     * @param wStd W_std, positive
     * @param bStd b_std, non-negative
     */
    public LocallyConnected2D(int channels, int k, Conv2D.Padding padding, double wStd, double bStd) {
        this.geometry = new Conv2D("LocallyConnected2D", channels, k, padding, wStd, bStd);
        this.channels = channels;
        this.k = k;
        this.padding = padding;
        this.wStd = wStd;
        this.bStd = bStd;
    }

    /** Circular padding, W_std = 1, b_std = 0. */
    public LocallyConnected2D(int channels, int k) {
        this(channels, k, Conv2D.Padding.CIRCULAR, 1.0, 0.0);
    }

    @Override
    public String spec() {
        return KIND.spec(channels, k, padding == Conv2D.Padding.SAME ? 1 : 0, wStd, bStd);
    }

    @Override
    public boolean convolutional() {
        return true;
    }

    @Override
    public boolean twoDimensional() {
        return true;
    }

    @Override
    public boolean zeroesOtherPositions() {
        return true;
    }

    @Override
    public Shape outputShape(Shape input) {
        return geometry.outputShape(input);
    }

    @Override
    public KernelMap kernelMap(Binding binding, Shape input) {
        return geometry.kernelMap(binding, input, true);
    }

    @Override
    public FiniteOp finiteOp(Binding binding, String key, Shape input) {
        outputShape(input);
        int h = input.rows();
        int w = input.width();
        return new PatchConvolution(binding.parameterization, key, h * w, input.channels(), channels,
                Conv2D.source(h, w, k, padding == Conv2D.Padding.CIRCULAR),
                new int[] {h, w, channels, input.channels(), k, k}, new int[] {h, w, channels}, wStd, bStd,
                binding.newTapeSlot(), true);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LocallyConnected2D d && d.geometry.equals(geometry);
    }

    @Override
    public int hashCode() {
        return geometry.hashCode() * 31 + 1;
    }

    @Override
    public String toString() {
        return spec();
    }
}
