package ntk.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.layers.ActivationLayer;
import ntk.layers.Dense;
import ntk.layers.Residual;
import ntk.protocol.Layer;

/**
 * Test-only sampler of a random finite network, written from the definitions and sharing no code
 * with the kernel engine: forward pass, hand-written backward pass, and from them the empirical
 * NTK Σ_p ∂f(x)/∂θ_p ∂f(x')/∂θ_p (single output) and the empirical NNGP of the read-out layer,
 * W_std²·α(x)·α(x')/n + b_std², with α the read-out's input features.
 */
final class WideNetwork {
    private final List<Module> modules = new ArrayList<>();
    private final Parameterization p;
    private int paramCount;
    private Dense readout;
    private double[] readoutInput;

    /** Every Dense of the network gets width m except the last one (the read-out). */
    WideNetwork(Network net, int inputDim, long seed) {
        this.p = net.parameterization;
        Random r = new Random(seed);
        int w = inputDim;
        for (Layer l : net.layers) {
            Module m = build(l, w, r);
            modules.add(m);
            w = m.outWidth;
        }
        if (!(net.layers.get(net.layers.size() - 1) instanceof Dense d) || d.width != 1) {
            throw new IllegalArgumentException("the sampler wants a single-output read-out Dense");
        }
        readout = d;
    }

    int paramCount() {
        return paramCount;
    }

    private Module build(Layer l, int in, Random r) {
        if (l instanceof Dense d) {
            return new DenseModule(d, in, r);
        } else if (l instanceof ActivationLayer a) {
            return new ActModule(a, in);
        } else if (l instanceof Residual res) {
            return new ResModule(res, in, r);
        }
        throw new IllegalArgumentException("sampler does not know " + l.spec());
    }

    /** f(x) and, into grad (length paramCount), ∂f/∂θ. Also remembers the read-out's input. */
    double forwardBackward(double[] x, double[] grad) {
        List<double[]> inputs = new ArrayList<>();
        double[] h = x;
        for (Module m : modules) {
            inputs.add(h);
            h = m.forward(h);
        }
        readoutInput = inputs.get(inputs.size() - 1);
        double[] g = {1.0};
        for (int k = modules.size() - 1; k >= 0; k--) {
            g = modules.get(k).backward(inputs.get(k), g, grad);
        }
        return h[0];
    }

    double[] readoutInput() {
        return readoutInput;
    }

    double readoutCovariance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return readout.wStd * readout.wStd * s / a.length + readout.bStd * readout.bStd;
    }

    private abstract static class Module {
        int outWidth;

        abstract double[] forward(double[] x);

        /** Given ∂f/∂y, accumulates parameter gradients into grad and returns ∂f/∂x. */
        abstract double[] backward(double[] x, double[] gOut, double[] grad);
    }

    private final class DenseModule extends Module {
        final int in;
        final int out;
        final double[] w;
        final double[] b;
        final double wScale;
        final double bScale;
        final int offset;

        DenseModule(Dense d, int in, Random r) {
            this.in = in;
            this.out = d.width;
            this.outWidth = out;
            w = new double[out * in];
            b = new double[out];
            if (p == Parameterization.NTK) { // raw N(0,1), scaled in the forward pass
                wScale = d.wStd / Math.sqrt(in);
                bScale = d.bStd;
                for (int i = 0; i < w.length; i++) {
                    w[i] = r.nextGaussian();
                }
                for (int i = 0; i < out; i++) {
                    b[i] = r.nextGaussian();
                }
            } else { // standard: the raw parameters carry the variance
                wScale = 1.0;
                bScale = 1.0;
                for (int i = 0; i < w.length; i++) {
                    w[i] = r.nextGaussian() * d.wStd / Math.sqrt(in);
                }
                for (int i = 0; i < out; i++) {
                    b[i] = r.nextGaussian() * d.bStd;
                }
            }
            offset = paramCount;
            paramCount += w.length + b.length;
        }

        @Override
        double[] forward(double[] x) {
            double[] y = new double[out];
            for (int i = 0; i < out; i++) {
                double s = 0;
                for (int j = 0; j < in; j++) {
                    s += w[i * in + j] * x[j];
                }
                y[i] = wScale * s + bScale * b[i];
            }
            return y;
        }

        @Override
        double[] backward(double[] x, double[] gOut, double[] grad) {
            double[] gIn = new double[in];
            for (int i = 0; i < out; i++) {
                double g = gOut[i];
                for (int j = 0; j < in; j++) {
                    grad[offset + i * in + j] += wScale * x[j] * g;
                    gIn[j] += wScale * w[i * in + j] * g;
                }
                grad[offset + w.length + i] += bScale * g;
            }
            return gIn;
        }
    }

    private static final class ActModule extends Module {
        final ntk.activations.Activation act;

        ActModule(ActivationLayer a, int in) {
            act = a.activation;
            outWidth = in;
        }

        @Override
        double[] forward(double[] x) {
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = act.value(x[i]);
            }
            return y;
        }

        @Override
        double[] backward(double[] x, double[] gOut, double[] grad) {
            double[] g = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                g[i] = gOut[i] * act.derivative(x[i]);
            }
            return g;
        }
    }

    private int residualCount;

    private final class ResModule extends Module {
        final List<Module> block = new ArrayList<>();
        final double s;

        ResModule(Residual res, int in, Random r) {
            residualCount++;
            s = res.invSqrtDepth() ? 1.0 / Math.sqrt(residualCount) : res.scale;
            int w = in;
            for (Layer l : res.block) {
                Module m = build(l, w, r);
                block.add(m);
                w = m.outWidth;
            }
            outWidth = in;
        }

        @Override
        double[] forward(double[] x) {
            double[] h = x;
            for (Module m : block) {
                h = m.forward(h);
            }
            double[] y = x.clone();
            for (int i = 0; i < y.length; i++) {
                y[i] += s * h[i];
            }
            return y;
        }

        @Override
        double[] backward(double[] x, double[] gOut, double[] grad) {
            List<double[]> inputs = new ArrayList<>();
            double[] h = x;
            for (Module m : block) {
                inputs.add(h);
                h = m.forward(h);
            }
            double[] g = new double[gOut.length];
            for (int i = 0; i < g.length; i++) {
                g[i] = s * gOut[i];
            }
            for (int k = block.size() - 1; k >= 0; k--) {
                g = block.get(k).backward(inputs.get(k), g, grad);
            }
            for (int i = 0; i < g.length; i++) {
                g[i] += gOut[i];
            }
            return g;
        }
    }

    /** Empirical NTK and read-out NNGP of this network on the rows of x: [0] = Θ, [1] = Σ, both n×n. */
    double[][][] empiricalKernels(double[][] x) {
        int n = x.length;
        double[][] grads = new double[n][];
        double[][] feats = new double[n][];
        for (int i = 0; i < n; i++) {
            grads[i] = new double[paramCount];
            forwardBackward(x[i], grads[i]);
            feats[i] = readoutInput().clone();
        }
        double[][] theta = new double[n][n];
        double[][] sigma = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < paramCount; k++) {
                    s += grads[i][k] * grads[j][k];
                }
                theta[i][j] = s;
                sigma[i][j] = readoutCovariance(feats[i], feats[j]);
            }
        }
        return new double[][][] {theta, sigma};
    }
}
