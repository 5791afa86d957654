package ntk.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import ntk.BadInputException;
import ntk.KernelKind;
import ntk.arch.Network;
import ntk.dynamics.Classification;
import ntk.dynamics.KernelGradientFlow;
import ntk.NdArray;
import ntk.io.Npy;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;

/**
 * {@code ntk predict --loss cross-entropy}: the infinite-width network trained by gradient flow on the cross-entropy
 * ({@link KernelGradientFlow}); writes the logits at each time, shape (times, m, classes).
 */
final class CrossEntropyPredict {
    private CrossEntropyPredict() {
    }

    /** Parses --loss: true for cross-entropy, false for the squared loss (the default). */
    static boolean wanted(String loss) {
        if (loss == null) {
            return false;
        }
        return switch (loss) {
            case "mse", "squared" -> false;
            case "cross-entropy" -> true;
            default -> throw new BadInputException("--loss must be mse or cross-entropy, got '" + loss + "'");
        };
    }

    static int run(PredictCommand c, KernelKind kind, Network net, PrintWriter out) {
        if (c.trainY != null) {
            throw new BadInputException("--loss cross-entropy takes --train-labels (integer classes), not --train-y");
        }
        if (c.classify.trainLabels == null) {
            throw new BadInputException("--loss cross-entropy needs --train-labels");
        }
        if (c.steps != null || c.learningRate != null) {
            throw new BadInputException("--loss cross-entropy is gradient flow: give --time t1,t2,..., not --steps");
        }
        if (c.time == null) {
            throw new BadInputException("--loss cross-entropy needs --time t1,t2,... (finite: the logits grow without"
                    + " bound as t -> inf)");
        }
        if (c.covOut != null) {
            throw new BadInputException("--cov-out is for the squared loss (the cross-entropy flow is not Gaussian)");
        }
        if (c.ridge != 0) {
            throw new BadInputException("--ridge is for the squared loss");
        }
        if (c.maxSteps < 1) {
            throw new BadInputException("--max-steps must be >= 1, got " + c.maxSteps);
        }
        double[] times = times(c.time);
        Inputs.checkWritable(c.out, "--out");
        if (c.classify.labelsOut != null) {
            Inputs.checkWritable(c.classify.labelsOut, "--labels-out");
        }
        TrainingInputs train = TrainingInputs.read(c.trainX, null, net);
        int n = train.n();
        int[] labels = ClassifyOptions.labels(c.classify.trainLabels, "--train-labels", n);
        int classes = Math.max(2, java.util.Arrays.stream(labels).max().orElse(0) + 1);
        NdArray t = train.testInputs(c.testX, net);
        int m = t.dim(0);
        double[] f0Train = initial(c.f0Train, "--f0-train", n, classes);
        double[] f0Test = initial(c.f0Test, "--f0-test", m, classes);
        int[] testLabels = c.classify.testLabels == null ? null
                : ClassifyOptions.labels(c.classify.testLabels, "--test-labels", m);
        long bytes = 8L * ((long) n * n + (long) m * n) * 2 + 8L * times.length * (long) (n + m) * classes * 2;
        Inputs.checkHeap(bytes, "the cross-entropy flow's kernels and outputs");
        KernelEngine engine = new KernelEngine();
        boolean ntk = kind == KernelKind.NTK;
        Kernels kxx = train.trainKernels(engine, net, ntk);
        Kernels ktx = engine.kernels(net, t, train.x(), ntk ? KernelKind.NTK : KernelKind.NNGP);
        KernelGradientFlow flow = new KernelGradientFlow(kxx.of(kind), n, ktx.of(kind), m, classes);
        KernelGradientFlow.Trajectory tr = flow.solve(KernelGradientFlow.crossEntropy(labels, classes), f0Train, f0Test,
                times, KernelGradientFlow.RTOL, KernelGradientFlow.ATOL, c.maxSteps);
        double[] all = new double[times.length * m * classes];
        for (int i = 0; i < times.length; i++) {
            System.arraycopy(tr.test()[i], 0, all, i * m * classes, m * classes);
        }
        Npy.write(c.out, new NdArray(new int[] {times.length, m, classes}, all));
        double[] last = tr.test()[times.length - 1];
        if (testLabels != null) {
            double acc = Classification.accuracy(last, m, classes, testLabels);
            out.printf(Locale.ROOT, "accuracy %.4f at t = %s (%d of %d test points, %d classes)%n", acc,
                    times[times.length - 1], Math.round(acc * m), m, classes);
        }
        if (c.classify.labelsOut != null) {
            int[] p = Classification.argmax(last, m, classes);
            double[] d = new double[m];
            for (int i = 0; i < m; i++) {
                d[i] = p[i];
            }
            Npy.write(c.classify.labelsOut, NdArray.vector(d));
        }
        out.flush();
        return 0;
    }

    private static double[] times(String s) {
        String[] parts = s.split(",", -1);
        double[] t = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                t[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new BadInputException("--time: '" + parts[i].trim() + "' is not a number (the cross-entropy flow"
                        + " takes finite times)");
            }
            if (!(t[i] >= 0) || Double.isInfinite(t[i]) || i > 0 && t[i] < t[i - 1]) {
                throw new BadInputException("--time must be finite, >= 0 and ascending for --loss cross-entropy, got '"
                        + s + "'");
            }
        }
        return t;
    }

    /** Initial outputs (rows, classes) from a .npy, or zeros. */
    private static double[] initial(Path file, String option, int rows, int classes) {
        if (file == null) {
            return new double[rows * classes];
        }
        NdArray a = Npy.read(file);
        if (a.rank() != 2 || a.dim(0) != rows || a.dim(1) != classes) {
            throw new BadInputException(file + ": " + option + " must have shape (" + rows + ", " + classes + "), got "
                    + a.shapeString());
        }
        Npy.requireFinite(a, file.toString());
        return a.data.clone();
    }
}
