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
import ntk.layers.LocallyConnected2D;
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

    /**
     * {@code LocallyConnected2D(channels, k)}: Conv2D without weight sharing (a filter per position), circular padding,
     * W_std = 1, b_std = 0; takes images.
     */
    public static LocallyConnected2D locallyConnected2d(int channels, int k) {
        return new LocallyConnected2D(channels, k);
    }

    /** {@code LocallyConnected2D(channels, k, padding, W_std, b_std)}. */
    public static LocallyConnected2D locallyConnected2d(int channels, int k, Conv2D.Padding padding, double wStd,
            double bStd) {
        return new LocallyConnected2D(channels, k, padding, wStd, bStd);
    }

    /** {@code AvgPool2D(k)}: k × k windows, stride k. */
    public static AvgPool2D avgPool2d(int k) {
        return new AvgPool2D(k);
    }

    /** {@code Conv1D(channels, k, W_std, b_std)}. */
    public static Conv1D conv1d(int channels, int k, double wStd, double bStd) {
        return new Conv1D(channels, k, wStd, bStd);
    }

    /**
     * GlobalAvgPool: the mean over all position pairs.
     * @return the layer
     */
    public static GlobalAvgPool globalAvgPool() {
        return new GlobalAvgPool();
    }

    /**
     * Flatten: the mean over the diagonal position pairs, from a convolutional stack to a dense one.
     * @return the layer
     */
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

    /**
     * An activation layer.
     * @param a the activation
     * @return the layer
     */
    public static ActivationLayer activation(Activation a) {
        return new ActivationLayer(a);
    }

    /**
     * Relu.
     * @return the layer
     */
    public static ActivationLayer relu() {
        return activation("Relu");
    }

    /**
     * Erf.
     * @return the layer
     */
    public static ActivationLayer erf() {
        return activation("Erf");
    }

    /**
     * Tanh.
     * @return the layer
     */
    public static ActivationLayer tanh() {
        return activation("Tanh");
    }

    /**
     * Sigmoid, the logistic function.
     *
     * @return the layer
     */
    public static ActivationLayer sigmoid() {
        return activation("Sigmoid");
    }

    /**
     * Softplus, log(1 + e^x).
     *
     * @return the layer
     */
    public static ActivationLayer softplus() {
        return activation("Softplus");
    }

    /**
     * Silu, x·sigmoid(x).
     *
     * @return the layer
     */
    public static ActivationLayer silu() {
        return activation("Silu");
    }

    /**
     * Sin.
     *
     * @return the layer
     */
    public static ActivationLayer sin() {
        return activation("Sin");
    }

    /**
     * Abs, |x|.
     *
     * @return the layer
     */
    public static ActivationLayer abs() {
        return activation("Abs");
    }

    /**
     * Elu with α = 1.
     *
     * @return the layer
     */
    public static ActivationLayer elu() {
        return activation(new ntk.activations.Elu());
    }

    /**
     * Elu with a given α.
     *
     * @param alpha α &gt; 0
     * @return the layer
     */
    public static ActivationLayer elu(double alpha) {
        return activation(new ntk.activations.Elu(alpha));
    }

    /**
     * PReLU with the initial slope 0.25.
     *
     * @return the layer
     */
    public static ActivationLayer prelu() {
        return activation(new ntk.activations.PRelu());
    }

    /**
     * Gelu (exact).
     * @return the layer
     */
    public static ActivationLayer gelu() {
        return activation("Gelu");
    }

    /**
     * Identity.
     * @return the layer
     */
    public static ActivationLayer identity() {
        return activation("Identity");
    }

    /**
     * LeakyRelu.
     * @param alpha the negative slope
     * @return the layer
     */
    public static ActivationLayer leakyRelu(double alpha) {
        return new ActivationLayer(Activations.parse("LeakyRelu", List.of(alpha)));
    }
}
