package ntk.arch;

import java.util.List;
import ntk.Parameterization;
import ntk.activations.Activation;
import ntk.activations.Activations;
import ntk.layers.ActivationLayer;
import ntk.layers.AvgPool2D;
import ntk.layers.Conv1D;
import ntk.layers.Conv2D;
import ntk.layers.Dense;
import ntk.layers.Flatten;
import ntk.layers.GlobalAvgPool;
import ntk.layers.Residual;
import ntk.protocol.Layer;

/**
 * Typed network builders beside the spec strings, named after neural-tangents' stax:
 * {@code Stax.serial(dense(512), relu(), dense(1))} builds the same {@link Network} as
 * {@code Network.parse("Dense(512), Relu, Dense(1)", Parameterization.NTK)} (equal objects, equal spec()).
 * Every argument is checked as the parser checks it (the layers' constructors do both).
 */
public final class Stax {
    private Stax() {
    }

    /** The layers applied left to right, in the NTK parameterisation (the default of the command line). */
    public static Network serial(Layer... layers) {
        return new Network(List.of(layers), Parameterization.NTK);
    }

    /** The layers applied left to right, in the given parameterisation. */
    public static Network serial(Parameterization p, Layer... layers) {
        return new Network(List.of(layers), p);
    }

    /** {@code Dense(width)}: W_std = 1, b_std = 0. */
    public static Dense dense(int width) {
        return new Dense(width);
    }

    /** {@code Dense(width, W_std, b_std)}. */
    public static Dense dense(int width, double wStd, double bStd) {
        return new Dense(width, wStd, bStd);
    }

    /** {@code Conv1D(channels, k)}: odd filter size k, circular padding, W_std = 1, b_std = 0. */
    public static Conv1D conv1d(int channels, int k) {
        return new Conv1D(channels, k);
    }

    /** {@code Conv2D(channels, k)}: odd k × k filter, circular padding, W_std = 1, b_std = 0; takes images. */
    public static Conv2D conv2d(int channels, int k) {
        return new Conv2D(channels, k);
    }

    /** {@code Conv2D(channels, k, padding, W_std, b_std)}. */
    public static Conv2D conv2d(int channels, int k, Conv2D.Padding padding, double wStd, double bStd) {
        return new Conv2D(channels, k, padding, wStd, bStd);
    }

    /** {@code AvgPool2D(k)}: k × k windows, stride k. */
    public static AvgPool2D avgPool2d(int k) {
        return new AvgPool2D(k);
    }

    /** {@code Conv1D(channels, k, W_std, b_std)}. */
    public static Conv1D conv1d(int channels, int k, double wStd, double bStd) {
        return new Conv1D(channels, k, wStd, bStd);
    }

    public static GlobalAvgPool globalAvgPool() {
        return new GlobalAvgPool();
    }

    public static Flatten flatten() {
        return new Flatten();
    }

    /** {@code Residual(block...)}: y = x + block(x). */
    public static Residual residual(Layer... block) {
        return new Residual(List.of(block), 1.0);
    }

    /** {@code Residual(block..., scale=s)}: y = x + s·block(x). */
    public static Residual residual(double scale, Layer... block) {
        return new Residual(List.of(block), scale);
    }

    /** {@code Residual(block..., scale=invsqrt_depth)}: 1/√l for the l-th residual block of the network. */
    public static Residual residualInvSqrtDepth(Layer... block) {
        return new Residual(List.of(block), Residual.INVSQRT_DEPTH);
    }

    /** Any activation, as written in a spec: {@code activation("LeakyRelu(0.1)")}. */
    public static ActivationLayer activation(String spec) {
        return new ActivationLayer(Activations.parse(spec));
    }

    public static ActivationLayer activation(Activation a) {
        return new ActivationLayer(a);
    }

    public static ActivationLayer relu() {
        return activation("Relu");
    }

    public static ActivationLayer erf() {
        return activation("Erf");
    }

    public static ActivationLayer tanh() {
        return activation("Tanh");
    }

    public static ActivationLayer gelu() {
        return activation("Gelu");
    }

    public static ActivationLayer identity() {
        return activation("Identity");
    }

    public static ActivationLayer leakyRelu(double alpha) {
        return new ActivationLayer(Activations.parse("LeakyRelu", List.of(alpha)));
    }
}
