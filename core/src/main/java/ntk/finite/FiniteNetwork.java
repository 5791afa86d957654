package ntk.finite;

import static ntk.BadInputException.param;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import ntk.BadInputException;
import ntk.Shape;
import ntk.arch.Network;
import ntk.protocol.Binding;
import ntk.protocol.FiniteOp;
import ntk.protocol.GradientSink;
import ntk.protocol.Layer;
import ntk.Params;
import ntk.protocol.Tape;

/**
 * A {@link Network} at finite width, bound to an input shape (a flat dimension d, or a signal
 * (length, channels) for a convolutional network): the same layer objects as the analytic kernels, each
 * contributing its {@link FiniteOp}. Forward passes on batches (row-major n × size, signals position-major),
 * backward passes (vector-Jacobian products), JVPs, seeded initialisation and parameter validation.
 */
public final class FiniteNetwork {
    /** The architecture. */
    public final Network network;
    /** Values per example: d, or length·channels. */
    public final int inputDim;
    /** The shape of one input example. */
    public final Shape inputShape;
    private final FiniteOp[] ops;
    /** The raw parameter keys of each op (none for an activation). */
    private final String[][] opKeys;
    private final int tapeSlots;
    private final Map<String, int[]> shapes = new LinkedHashMap<>();
    private final int outputs;

    /** A dense network on inputs of dimension d. */
    public FiniteNetwork(Network network, int inputDim) {
        this(network, Shape.dense(inputDim));
    }

    /** A network on inputs of the given shape (flat, or (length, channels) for a convolutional network). */
    public FiniteNetwork(Network network, Shape input) {
        ntk.VectorSupport.require();
        this.network = network;
        this.inputShape = input;
        this.inputDim = input.size();
        Shape out = network.outputShape(input); // validates shapes (residual widths, filter sizes, readouts)
        Binding b = new Binding(network.parameterization);
        ops = new FiniteOp[network.layers.size()];
        opKeys = new String[ops.length][];
        Shape w = input;
        long perExample = 0;
        for (int i = 0; i < ops.length; i++) {
            Layer l = network.layers.get(i);
            int before = b.tapeSlots();
            ops[i] = l.finiteOp(b, Integer.toString(i), w);
            Map<String, int[]> own = new LinkedHashMap<>();
            ops[i].declare(own);
            opKeys[i] = own.keySet().toArray(new String[0]);
            shapes.putAll(own);
            Shape next = l.outputShape(w);
            // a slot's reusable arrays: forward output, ∂/∂input and one scratch or saved array
            perExample += 3L * Math.max(1, b.tapeSlots() - before) * Math.max(w.size(), next.size());
            w = next;
        }
        this.outputs = out.size();
        this.tapeSlots = b.tapeSlots();
        this.bytesPerExample = perExample * Double.BYTES;
    }

    private final long bytesPerExample;

    /**
     * An estimate (an upper bound for dense stacks) of the bytes a {@linkplain #reusableTape reusable tape} holds per
     * example after a forward and a backward pass: each op's output, input gradient and one saved array.
     */
    public long bytesPerExample() {
        return bytesPerExample;
    }

    /** Number of outputs o. */
    public int outputs() {
        return outputs;
    }

    /** Raw parameter keys and shapes, in spec order. */
    public Map<String, int[]> shapes() {
        return java.util.Collections.unmodifiableMap(shapes);
    }

    /** Total number of raw parameters. */
    public long parameterCount() {
        long s = 0;
        for (int[] sh : shapes.values()) {
            long k = 1;
            for (int d : sh) {
                k *= d;
            }
            s += k;
        }
        return s;
    }

    /** Seeded raw parameters per the parameterisation (README "Command line" `ntk init`). */
    public Params init(long seed) {
        Params p = new Params();
        for (FiniteOp op : ops) {
            op.init(p, seed);
        }
        return p;
    }

    /**
     * Checks that arrays hold exactly the parameters of this network (keys and shapes), optionally under a
     * prefix such as "params/" (the final parameters in a training record); returns them as Params.
     * Messages name the file and the key.
     */
    public Params validate(Map<String, ntk.NdArray> arrays, String file) {
        String prefix = "";
        if (!arrays.isEmpty() && !shapes.isEmpty() && !arrays.containsKey(shapes.keySet().iterator().next())
                && arrays.containsKey("params/" + shapes.keySet().iterator().next())) {
            prefix = "params/";
        }
        Params p = new Params();
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            ntk.NdArray a = arrays.get(prefix + e.getKey());
            if (a == null) {
                throw BadInputException.of(file + ": missing key '" + prefix + e.getKey() + "' (shape "
                        + shapeString(e.getValue()) + ") for ", param("arch"), " " + network.spec());
            }
            if (!Arrays.equals(a.shape, e.getValue())) {
                throw new BadInputException(file + ": key '" + prefix + e.getKey() + "' has shape " + a.shapeString()
                        + ", expected " + shapeString(e.getValue()));
            }
            ntk.io.Npy.requireFinite(a, file + ": key '" + prefix + e.getKey() + "'");
            p.put(e.getKey(), a);
        }
        for (String k : arrays.keySet()) {
            if (k.startsWith(prefix) && !shapes.containsKey(k.substring(prefix.length())) && (prefix.isEmpty()
                    || k.startsWith("params/"))) {
                throw BadInputException.of(file + ": unexpected key '" + k + "' (not a parameter of ", param("arch"),
                        " " + network.spec() + ")");
            }
        }
        return p;
    }

    static String shapeString(int[] s) {
        return new ntk.NdArray(s, new double[Math.toIntExact(Arrays.stream(s).asLongStream()
                .reduce(1, (a, b) -> a * b))]).shapeString();
    }

    /** The result of a forward pass: outputs (n×o, row-major) and the tape for backward/JVP passes. */
    public record Forward(double[] out, int n, Tape tape) {
    }

    /** Forward pass on n inputs x (row-major n×d). */
    public Forward forward(Params p, double[] x, int n) {
        return forward(p, x, n, new Tape(tapeSlots, n));
    }

    /** A tape for passes on n examples that keeps its arrays from pass to pass ({@link Tape#reusable}). */
    public Tape reusableTape(int n) {
        return Tape.reusable(tapeSlots, n);
    }

    /**
     * Forward pass on n inputs on the given tape (from {@link #reusableTape} for training loops: then the returned
     * outputs and the tape's contents are overwritten by the next pass on it).
     */
    public Forward forward(Params p, double[] x, int n, Tape tape) {
        if (x.length != (long) n * inputDim) {
            throw new IllegalArgumentException("x has " + x.length + " values, expected " + n + "×" + inputDim);
        }
        if (tape.n != n || tape.slots() != tapeSlots) {
            throw new IllegalArgumentException("a tape for " + tape.n + " examples used for " + n);
        }
        double[] h = x;
        for (FiniteOp op : ops) {
            h = op.forward(p, h, n, tape);
        }
        return new Forward(h, n, tape);
    }

    /**
     * Backward pass (vector-Jacobian product) for cotangent dy (n×o): adds Σ_rows J_rowᵀ dy_row into grad
     * (when non-null), reports each weighted layer's (α, δ) to sink (when non-null); returns ∂/∂x.
     */
    public double[] backward(Params p, Forward f, double[] dy, Params grad, GradientSink sink) {
        double[] g = dy;
        for (int k = ops.length - 1; k >= 0; k--) {
            g = ops[k].backward(p, g, f.n(), f.tape(), grad, sink);
        }
        return g;
    }

    /** As {@link #backward} without the input gradient (the first layer skips its ∂f/∂x GEMM). */
    public void backwardParams(Params p, Forward f, double[] dy, Params grad, GradientSink sink) {
        double[] g = dy;
        for (int k = ops.length - 1; k >= 1; k--) {
            g = ops[k].backward(p, g, f.n(), f.tape(), grad, sink);
        }
        ops[0].backwardParamsOnly(p, g, f.n(), f.tape(), grad, sink);
    }

    /**
     * A training step's gradient: grad = Σ_rows J_rowᵀ dy_row as {@link #backwardParams} computes it (the same
     * operations in the same order, so the same bits), with grad's old contents ignored: each op's gradient arrays are
     * zeroed just before its backward pass accumulates into them and checked just after, while they are in cache —
     * instead of a pass over all the parameters to zero them before and one to check them after (on a deep narrow
     * network the parameters are hundreds of MB, and those two passes were a tenth of an SGD step). Returns true when
     * every gradient entry is finite.
     */
    boolean stepGradient(Params p, Forward f, double[] dy, Params grad) {
        boolean finite = true;
        double[] g = dy;
        for (int k = ops.length - 1; k >= 0; k--) {
            for (String key : opKeys[k]) {
                Arrays.fill(grad.data(key), 0.0);
            }
            if (k > 0) {
                g = ops[k].backward(p, g, f.n(), f.tape(), grad, null);
            } else {
                ops[0].backwardParamsOnly(p, g, f.n(), f.tape(), grad, null);
            }
            for (String key : opKeys[k]) {
                finite &= allFinite(grad.data(key));
            }
        }
        return finite;
    }

    private static final jdk.incubator.vector.VectorSpecies<Double> S = jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED;

    /** Whether every entry is finite: v − v is 0 for a finite v and NaN for ±∞ or NaN, so their sum is 0 exactly then. */
    private static boolean allFinite(double[] a) {
        jdk.incubator.vector.DoubleVector acc = jdk.incubator.vector.DoubleVector.zero(S);
        int i = 0;
        int bound = S.loopBound(a.length);
        for (; i < bound; i += S.length()) {
            jdk.incubator.vector.DoubleVector v = jdk.incubator.vector.DoubleVector.fromArray(S, a, i);
            acc = acc.add(v.sub(v));
        }
        double t = acc.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        for (; i < a.length; i++) {
            t += a[i] - a[i];
        }
        return t == 0.0;
    }

    /** J(x; p)·dp for the inputs of a forward pass at p (n×o). */
    public double[] jvp(Params p, Forward f, Params dp) {
        double[] t = null;
        for (FiniteOp op : ops) {
            t = op.jvp(p, dp, t, f.n(), f.tape());
        }
        return t;
    }

    /** Gradient of L = 1/(2n) Σ‖f(x_i) − y_i‖² at p for the forward pass f on targets y; also returns L. */
    public double lossAndGradient(Params p, Forward f, double[] y, Params grad) {
        int n = f.n();
        double[] r = new double[f.out().length];
        double loss = 0;
        for (int i = 0; i < r.length; i++) {
            double e = f.out()[i] - y[i];
            loss += e * e;
            r[i] = e / n;
        }
        backwardParams(p, f, r, grad, null);
        return loss / (2.0 * n);
    }

    /**
     * The network's outputs f(x; p) on inputs x, shaped (n, o): e.g. f₀ on the training and test inputs, which
     * {@code ntk.model.KernelRegressor}'s {@code fitAround(x, y, f0x)} and {@code predictAround(t, f0t)} take to compare this
     * network with its infinite-width limit.
     *
     * @param p the parameters
     * @param x inputs (n, d), or (n, length, channels) for a convolutional network
     * @return a new (n, o) array
     */
    public ntk.NdArray outputs(Params p, ntk.NdArray x) {
        int n = checkInputs(x, "x");
        return ntk.NdArray.matrix(n, outputs, forward(p, x.data(), n).out());
    }

    /**
     * Checks that x holds examples of this network's input size along its first axis and finite values; returns n.
     * Messages name the caller's parameter.
     */
    int checkInputs(ntk.NdArray x, String name) {
        if (x.rank() < 2 || x.size() != (long) x.dim(0) * inputDim) {
            throw BadInputException.of(name.matches("x[12]") ? param(name) : name, " must hold n examples of shape " + inputShape + " ("
                    + inputDim + " values each) for this network, got " + x.shapeString());
        }
        ntk.io.Npy.requireFinite(x, name);
        return x.dim(0);
    }
}
