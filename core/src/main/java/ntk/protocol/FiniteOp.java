package ntk.protocol;

import ntk.Params;
import java.util.Map;

/**
 * One layer's finite-width life, bound to its input width and the network's parameterisation:
 * its raw parameters, forward pass on a batch, reverse-mode backward pass and forward-mode JVP.
 * Batches are row-major n×width arrays.
 */
public interface FiniteOp {

    /**
     * Values per example of this op's output.
     *
     * @return the output width
     */
    int outputWidth();

    /** Adds this op's raw parameters (key → shape) in spec order. */
    default void declare(Map<String, int[]> shapes) {
    }

    /** Draws this op's raw parameters into params from the given seed. */
    default void init(Params params, long seed) {
    }

    /** y = op(x) for n rows; saves what backward and jvp need on the tape. */
    double[] forward(Params p, double[] x, int n, Tape tape);

    /**
     * Given dy = ∂f/∂y (n×out), returns ∂f/∂x (n×in); adds the parameter gradients summed over the
     * batch into grad (when non-null) and reports each weighted layer to sink (when non-null).
     */
    double[] backward(Params p, double[] dy, int n, Tape tape, Params grad, GradientSink sink);

    /**
     * As {@link #backward} for the network's first op, whose input gradient nobody needs: ops with weights
     * may skip computing ∂f/∂x (a GEMM as large as the forward pass) and return null.
     */
    default double[] backwardParamsOnly(Params p, double[] dy, int n, Tape tape, Params grad, GradientSink sink) {
        return backward(p, dy, n, tape, grad, sink);
    }

    /** Forward-mode derivative: given a parameter displacement dp and input tangent dx (null = 0), the output tangent. */
    double[] jvp(Params p, Params dp, double[] dx, int n, Tape tape);
}
