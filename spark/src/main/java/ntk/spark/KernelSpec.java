package ntk.spark;

import java.io.Serializable;
import ntk.Parameterization;
import ntk.Shape;
import ntk.arch.Network;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;

/**
 * What an executor needs to compute one block of a kernel: the architecture as its spec text (parsed again on the
 * executor, so nothing of the core has to be serializable), the shape of one example, and which kernel.
 * Each block runs the core's {@link KernelEngine} on one thread: Spark runs one task per core.
 */
record KernelSpec(String arch, String parameterization, int length, int channels, int height, boolean ntk)
        implements Serializable {

    /** For inputs like x: (n, d), (n, length, channels) or images (n, height, width, channels). */
    static KernelSpec of(String arch, String parameterization, ntk.NdArray x, boolean ntk) {
        Shape s = Shape.ofExample(java.util.Arrays.copyOfRange(x.shape, 1, x.rank()));
        return new KernelSpec(arch, parameterization, s.length(), s.channels(), s.height(), ntk);
    }

    Shape shape() {
        return new Shape(length, channels, height);
    }

    Network network() {
        return Network.parse(arch, Parameterization.parse(parameterization));
    }

    /**
     * The kernel on a × b (row-major na and nb examples), or on a × a by the engine's symmetric path when b is null
     * (its diagonal from the exact diagonal pass, as in a whole-matrix run): row-major na×nb.
     */
    double[] block(double[] a, int na, double[] b, int nb) {
        Kernels k = new KernelEngine(1).kernels(network(), a, na, b, nb, shape(), ntk);
        return ntk ? k.ntk() : k.nngp();
    }
}
