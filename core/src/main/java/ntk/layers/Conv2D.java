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
 * 2-D convolution {@code Conv2D(channels, k[, padding=circular|same][, W_std][, b_std])} (docs/cli.md): a k × k
 * filter (k = 2q+1 odd), stride 1, on images of shape (H, W, C_in) stored NHWC (position p = ph·W + pw);
 * {@code circular} padding (the default) wraps around both axes, {@code same} pads with zeros. The fan-in is k²·C_in,
 * padded zeros included (as neural-tangents' stax.Conv).
 *
 * <p>Finite width: raw W of shape (C_out, C_in, k, k) and b (C_out); NTK parameterisation
 * y(p, c) = (W_std/√(k²·C_in)) Σ_{jh,jw=-q..q} Σ_c' W[c, c', jh+q, jw+q] x(p + (jh, jw), c') + b_std·b[c]; standard
 * W ~ N(0, W_std²/(k²·C_in)), b ~ N(0, b_std²), y = W * x + b. Computed as im2col patches (n·H·W × C_in·k²) times Wᵀ
 * by one BLAS GEMM.
 *
 * <p>Infinite width, per pair of position pairs (the CNN-GP recursion of Novak et al. 2019, §2.2, and the CNTK of
 * Arora et al. 2019, §4, in two dimensions): with S(p, p') = Σ_{j ∈ [-q, q]²} Σ(p + j, p' + j) (terms outside the
 * image are zero with {@code same} padding; indices wrap with {@code circular}),
 * Σ'(p, p') = (W_std²/k²) S(p, p') + b_std²; NTK parameterisation Θ' = (W_std²/k²) Σ_j Θ(p + j, p' + j) + Σ';
 * standard Θ' = (W_std²/k²) Σ_j Θ(p + j, p' + j) + C_in·S + 1 (see {@link AffineRule}). A convolution keeps the
 * offset p' − p, so it acts on each offset plane of the tile alone, as a k × k box sum, separable into a sum along
 * rows and one along columns ({@link Windows}).
 */
public final class Conv2D implements Layer {
    /** Conv2D(channels, k[, padding][, W_std][, b_std]): its name, parameters and defaults. */
    public static final LayerKind KIND = LayerKind.of("Conv2D",
            a -> new Conv2D((int) a[0], (int) a[1], a[2] == 1 ? Padding.SAME : Padding.CIRCULAR, a[3], a[4]),
            Parameter.positiveInteger("channels"), Parameter.positiveInteger("k"),
            Parameter.choice("padding", "circular", "same"), Parameter.number("W_std", 1.0),
            Parameter.number("b_std", 0.0));

    /** How a convolution treats the positions past the edge: wrap around, or zeros. */
    public enum Padding {
        /** Positions past an edge wrap around. */
        CIRCULAR,
        /** Positions past an edge are zeros (the output keeps the input's size). */
        SAME
    }

    /** Output channels. */
    public final int channels;
    /** Filter edge (odd): a k × k filter. */
    public final int k;
    /** What the filter sees past an edge. */
    public final Padding padding;
    /** Weight standard deviation W_std. */
    public final double wStd;
    /** Bias standard deviation b_std. */
    public final double bStd;
    /** The layer's name in messages: Conv2D, or LocallyConnected2D for the untied twin. */
    private final String name;

    /**
     * A 2-D convolution, stride 1, over images (height, width, channels).
     *
     * @param channels output channels, positive
     * @param k filter edge, positive and odd
     * @param padding circular or same (zeros)
     * @param wStd W_std, positive
     * @param bStd b_std, non-negative
     */
    public Conv2D(int channels, int k, Padding padding, double wStd, double bStd) {
        this("Conv2D", channels, k, padding, wStd, bStd);
    }

    /** As the public constructor, naming the layer {@code name} in its messages (a LocallyConnected2D's geometry). */
    Conv2D(String name, int channels, int k, Padding padding, double wStd, double bStd) {
        String self = name + "(" + channels + ", " + k + ")";
        this.name = name;
        if (channels <= 0) {
            throw new BadInputException(self + ": channels must be positive, got " + channels);
        }
        if (k <= 0 || k % 2 == 0) {
            throw new BadInputException(self + ": filter size k must be a positive odd number (the filter is"
                    + " centred on each pixel), got " + k);
        }
        if (padding == null) {
            throw new BadInputException(self + ": padding must be circular or same");
        }
        AffineRule.checkStds(self, wStd, bStd);
        this.channels = channels;
        this.k = k;
        this.padding = padding;
        this.wStd = wStd;
        this.bStd = bStd;
    }

    /** Circular padding, W_std = 1, b_std = 0. */
    public Conv2D(int channels, int k) {
        this(channels, k, Padding.CIRCULAR, 1.0, 0.0);
    }

    @Override
    public String spec() {
        return KIND.spec(channels, k, padding == Padding.SAME ? 1 : 0, wStd, bStd);
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
    public Shape outputShape(Shape input) {
        if (!input.image()) {
            throw new BadInputException((name.equals("Conv2D") ? spec() : name + "(" + channels + ", " + k + ")")
                    + " takes images of shape (height, width, channels) but gets "
                    + (input.spatial() ? "signals of shape " + input : "a flat input of width " + input.channels())
                    + "; 2-D convolutional networks take inputs (n, height, width, channels)");
        }
        return new Shape(input.length(), channels, input.height());
    }

    @Override
    public KernelMap kernelMap(Binding binding, Shape input) {
        return kernelMap(binding, input, false);
    }

    /**
     * The map of this filter geometry with shared weights (a convolution) or untied ones (a locally connected layer:
     * independent filters and biases per position make the outputs at two positions p ≠ p' uncorrelated, so every
     * plane δ ≠ 0 of Σ' and Θ' is zero, and the δ = 0 plane is the convolution's: the window sum of the input's
     * diagonal Σ(p + j, p + j)).
     */
    KernelMap kernelMap(Binding binding, Shape input, boolean untied) {
        outputShape(input);
        final AffineRule rule = AffineRule.of(binding.parameterization, wStd, bStd, input.channels(), k * k);
        final int q = k / 2;
        final int len = input.length();
        final int w = input.width();
        final int h = input.rows();
        final boolean circular = padding == Padding.CIRCULAR;
        binding.gaussian = true; // each output is a sum over k²·C_in independent weights (Novak et al. 2019, §2.2)
        // the first layer with weights sees Θ = 0: Θ' = (W_std²/k²)·0 + Σ' is Σ' to the bit (Σ' is never −0: b² is +0
        // or more), so only Σ's window sums are needed (NTK parameterisation)
        final boolean ntkZeroIn = binding.ntkZero && rule.ntkParameterization();
        binding.ntkZero = false;
        return t -> {
            double[] work = t.work; // [0, L): row sums of a Σ plane, [L, 2L): of a Θ plane
            boolean sigmaOnly = ntkZeroIn || !t.computeNtk;
            for (int di = 0; di < t.offsets; di++) {
                int d = t.offsetStart + di;
                if (untied && d != 0) {
                    java.util.Arrays.fill(t.sig, di * len, (di + 1) * len, 0.0);
                    if (t.computeNtk) {
                        java.util.Arrays.fill(t.ntk, di * len, (di + 1) * len, 0.0);
                    }
                    continue;
                }
                int dh = d / w;
                Windows.conv(t.sig, sigmaOnly ? null : t.ntk, di * len, work, h, w, q, circular, dh, d - dh * w, rule);
                if (ntkZeroIn && t.computeNtk) {
                    System.arraycopy(t.sig, di * len, t.ntk, di * len, len);
                }
            }
        };
    }

    @Override
    public FiniteOp finiteOp(Binding binding, String key, Shape input) {
        outputShape(input);
        return finite(this, binding.parameterization, key, input, binding.newTapeSlot());
    }

    /**
     * The finite-width life of a Conv2D layer: a {@link PatchConvolution} whose tap (jh, jw) (row-major, t = jh·k + jw)
     * of position (ph, pw) reads position (ph + jh − k/2, pw + jw − k/2), wrapped for circular padding, absent (−1)
     * past the edge for same padding; W shaped (C_out, C_in, k, k).
     */
    static PatchConvolution finite(Conv2D layer, Parameterization pz, String key, Shape in, int slot) {
        int k = layer.k;
        return new PatchConvolution(pz, key, in.rows() * in.width(), in.channels(), layer.channels,
                source(in.rows(), in.width(), k, layer.padding == Padding.CIRCULAR),
                new int[] {layer.channels, in.channels(), k, k}, layer.wStd, layer.bStd, slot);
    }

    /**
     * The source table of a k × k filter on an h × w image: tap (jh, jw) (row-major, t = jh·k + jw) of position
     * (ph, pw) reads position (ph + jh − k/2, pw + jw − k/2), wrapped for circular padding, absent (−1) past the edge
     * for zero padding.
     */
    static int[] source(int h, int w, int k, boolean circular) {
        int[] source = new int[Math.multiplyExact(h * w, k * k)];
        for (int ph = 0; ph < h; ph++) {
            for (int pc = 0; pc < w; pc++) {
                for (int jh = 0; jh < k; jh++) {
                    int sh = tap(ph + jh - k / 2, h, circular);
                    for (int jw = 0; jw < k; jw++) {
                        int sw = tap(pc + jw - k / 2, w, circular);
                        source[(ph * w + pc) * k * k + jh * k + jw] = sh < 0 || sw < 0 ? -1 : sh * w + sw;
                    }
                }
            }
        }
        return source;
    }

    /** A source coordinate along an axis of size n: wrapped (circular), or −1 past a zero-padded edge. */
    private static int tap(int s, int n, boolean circular) {
        if (circular) {
            return Math.floorMod(s, n);
        }
        return s < 0 || s >= n ? -1 : s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Conv2D d && d.channels == channels && d.k == k && d.padding == padding && d.wStd == wStd
                && d.bStd == bStd;
    }

    @Override
    public int hashCode() {
        return ((Integer.hashCode(channels) * 31 + k) * 17 + padding.hashCode()) * 7 + Double.hashCode(wStd) * 3
                + Double.hashCode(bStd);
    }

    @Override
    public String toString() {
        return spec();
    }
}
