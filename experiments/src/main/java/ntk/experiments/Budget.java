package ntk.experiments;

import java.util.Locale;
import ntk.BadInputException;
import ntk.HeapBudget;

/**
 * Up-front bounds on an experiment's run: before any work, its peak memory (bytes) and its work (floating-point
 * operations, a rough count of the dominant terms) are estimated from its settings; a run whose memory exceeds the free
 * heap, or whose work exceeds {@code --max-work} (default {@link #DEFAULT_MAX_WORK}: a few hours on two cores at the
 * rates ntk reaches), is refused with one line giving the estimate and the flag that raises the bound. The estimates
 * are computed in double precision, so sizes past the int range are refused here instead of overflowing later.
 */
public final class Budget {
    /** 10¹⁵ floating-point operations: about 3–6 hours on two cores at 50–100 GFlop/s. */
    public static final double DEFAULT_MAX_WORK = 1e15;
    /** The common option every experiment takes. */
    public static final Param PARAM = new Param("--max-work", "1e15", "refuse a run estimated at more floating-point"
            + " operations than this (default 1e15: a few hours on two cores)");
    /** A nominal rate for the message (floating-point operations per second on two cores). */
    static final double NOMINAL_RATE = 5e10;
    /** The largest Java array: sizes are refused past it. */
    static final double MAX_ARRAY = Integer.MAX_VALUE - 8.0;

    private Budget() {
    }

    /** The --max-work bound of these settings. */
    public static double maxWork(Settings s) {
        double m = s.has(PARAM.name()) ? s.number(PARAM.name()) : DEFAULT_MAX_WORK;
        if (!(m > 0)) {
            throw new BadInputException("--max-work must be > 0, got " + m);
        }
        return m;
    }

    /**
     * Refuses (BadInputException) a run of {@code what} needing more than the free heap, an array longer than Java
     * allows ({@code largestArray} elements), or more than {@code maxWork} operations.
     */
    public static void check(String what, double bytes, double largestArray, double work, double maxWork) {
        if (!(largestArray <= MAX_ARRAY)) {
            throw new BadInputException(String.format(Locale.ROOT, "%s needs an array of %.3g elements, more than one"
                    + " Java array holds (%.3g); choose smaller sizes", what, largestArray, MAX_ARRAY));
        }
        long free = HeapBudget.free();
        if (!(bytes <= free)) {
            throw new BadInputException(String.format(Locale.ROOT, "%s needs about %.3g GB, but only %.3g GB of heap is"
                    + " free (raise it with NTK_HEAP, e.g. NTK_HEAP=20g, or choose smaller sizes)", what, bytes / 1e9,
                    free / 1e9));
        }
        if (!(work <= maxWork)) {
            throw new BadInputException(String.format(Locale.ROOT, "%s is estimated at %.3g floating-point operations"
                    + " (about %s at %.0e/s), past --max-work %.3g; raise --max-work or choose smaller sizes", what, work,
                    duration(work / NOMINAL_RATE), NOMINAL_RATE, maxWork));
        }
    }

    static String duration(double seconds) {
        if (seconds < 120) {
            return String.format(Locale.ROOT, "%.0f s", seconds);
        }
        if (seconds < 7200) {
            return String.format(Locale.ROOT, "%.0f min", seconds / 60);
        }
        if (seconds < 2 * 86400) {
            return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
        }
        return String.format(Locale.ROOT, "%.3g days", seconds / 86400);
    }

    /**
     * The check for training {@code seeds} fully connected networks per width (d_in inputs, {@code hidden} hidden layers,
     * {@code out} outputs) on {@code examplesSeen} examples each, plus {@code extraPerParam} operations per parameter
     * (evaluations, empirical kernels): work summed over widths, memory and the largest array of the widest.
     */
    public static void denseRuns(String what, int[] widths, double dIn, int hidden, double out, double seeds,
            double examplesSeen, double extraPerParam, double maxWork) {
        denseRuns(what, widths, dIn, hidden, out, seeds, examplesSeen, extraPerParam, maxWork, 12);
    }

    /**
     * As {@link #denseRuns(String, int[], double, int, double, double, double, double, double)}, with the memory of the
     * widest network taken as {@code copies} arrays of its parameters (12 by default, for experiments that keep
     * Jacobian-sized work arrays; measured live set of jacot-fig1's width-10,000 training, after a full GC: 4.86 GB,
     * 3 copies of its 2.0e8 parameters).
     */
    public static void denseRuns(String what, int[] widths, double dIn, int hidden, double out, double seeds,
            double examplesSeen, double extraPerParam, double maxWork, int copies) {
        double work = 0;
        double bytes = 0;
        double largest = 0;
        for (int w : widths) {
            double p = denseParams(dIn, w, hidden, out);
            work += seeds * (trainingWork(p, examplesSeen) + extraPerParam * p);
            bytes = Math.max(bytes, copies * 8.0 * p);
            // the largest weight matrix: w × w between hidden layers, w × d_in at the input
            largest = Math.max(largest, Math.max(hidden > 1 ? (double) w * w : 0, (double) w * Math.max(dIn, out)));
        }
        check(what, bytes, largest, work, maxWork);
    }

    /** Parameters of a fully connected network: d_in·w + (layers − 1)·w² + w·out (+ biases). */
    public static double denseParams(double dIn, double width, int hiddenLayers, double out) {
        return dIn * width + Math.max(0, hiddenLayers - 1) * width * width + width * out + hiddenLayers * width + out;
    }

    /** Training work: forward and backward ≈ 6 operations per parameter per example. */
    public static double trainingWork(double params, double examplesSeen) {
        return 6 * params * examplesSeen;
    }
}
