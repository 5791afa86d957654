import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import ntk.Parameterization;
import ntk.activations.Activation;
import ntk.activations.Activations;
import ntk.arch.Network;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;

/**
 * Per-entry cost of a smooth activation's kernel against Relu's, in a warm JVM on ONE thread, at sizes where Relu's
 * own time is well above the timer's resolution. Network (that of bench/smooth-bench.sh): [Dense(512, W_std=1.3,
 * b_std=0.2), act] × 3 + Dense(1, 1.3, 0.2), d = 50, NTK.
 * <ol>
 * <li><b>activation</b>: {@code Activation.expectations} alone (E[φφ] and E[φ'φ'], what an NTK layer needs) on the
 *   inputs the network's three layers really see (the NNGP recursion of this activation on N Gaussian points, rows of
 *   Σ as the engine's tiles have them: q1 constant along a row); the activation's tables are warm (the kernel map's
 *   cost per entry). Thread CPU time; each run repeats the pass over all 3·N² entries until it takes ≥ 0.6 s.</li>
 * <li><b>kernel</b>: the whole NTK through {@code KernelEngine} with one thread, a fresh network per run (tables
 *   paid), N points: Gram, all layers, diagonal; each run repeats the kernel until it takes ≥ 0.6 s. Process CPU
 *   time (one worker thread; JIT idle after the warm-up); per entry of the N × N kernel (the engine computes the
 *   lower triangle and mirrors it).</li>
 * </ol>
 * Medians of R runs, each activation in turn; prints SHA-256 of the layer outputs and of the NTK, for a
 * bit-for-bit comparison between builds. Run after a build:
 * {@code java -XX:+UseParallelGC --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * core/target/classes:DEPENDENCIES bench/SmoothPerEntry.java [N_act] [N_kernel] [R] [acts...]} (ParallelGC as
 * {@code ./ntk} runs; under G1 the per-entry reference stores of the series' scratch cost ~10 ns more; DEPENDENCIES:
 * {@code mvn -pl core dependency:build-classpath}; add {@code -XX:UseAVX=2} for the other JVM configuration)
 * (defaults 1000 3000 5 Relu Tanh Gelu).
 */
public final class SmoothPerEntry {
    static final int D = 50;
    static final double W = 1.3;
    static final double B = 0.2;
    static final int DEPTH = 3;
    /** Each timed run of the activation alone repeats its pass over the layers until it takes at least this (s). */
    static final double MIN_RUN = 0.6;
    /** CPU seconds of untimed passes before the activation's timing. */
    static final double WARM_UP = 1.0;

    public static void main(String[] args) throws Exception {
        int nAct = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int nKer = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String[] acts = args.length > 3 ? Arrays.copyOfRange(args, 3, args.length) : new String[] {"Relu", "Tanh", "Gelu"};
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.printf("SmoothPerEntry: activation N=%d (3 layers x N^2 entries), kernel N=%d, %d runs, Java %s, %s%n",
                nAct, nKer, reps, Runtime.version(), ManagementFactory.getRuntimeMXBean().getInputArguments());
        double[] relu = new double[2];
        for (String name : acts) {
            // 1. the activation's expectations on the inputs of its own network's layers
            Activation act = Activations.parse(name);
            double[][][] in = layerInputs(act, nAct);
            double[] p = new double[nAct];
            double[] d = new double[nAct];
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            pass(act, in, nAct, p, d, md);
            for (long s0 = mx.getCurrentThreadCpuTime(); mx.getCurrentThreadCpuTime() - s0 < WARM_UP * 1e9; ) {
                pass(act, in, nAct, p, d, null); // until the JIT has compiled the loops
            }
            long w0 = mx.getCurrentThreadCpuTime();
            pass(act, in, nAct, p, d, null);
            int passes = (int) Math.max(1, Math.ceil(MIN_RUN / ((mx.getCurrentThreadCpuTime() - w0) * 1e-9)));
            List<Double> ta = new ArrayList<>();
            for (int r = 0; r < reps; r++) {
                long c0 = mx.getCurrentThreadCpuTime();
                for (int k = 0; k < passes; k++) {
                    pass(act, in, nAct, p, d, null);
                }
                ta.add((mx.getCurrentThreadCpuTime() - c0) * 1e-9);
            }
            double entries = 3.0 * nAct * nAct * passes;
            double perA = median(ta) / entries * 1e9;
            String hashA = HexFormat.of().formatHex(md.digest()).substring(0, 16);

            // 2. the whole NTK, one thread, fresh network per run
            StringBuilder arch = new StringBuilder();
            for (int l = 0; l < DEPTH; l++) {
                arch.append("Dense(512, W_std=").append(W).append(", b_std=").append(B).append("), ").append(name).append(", ");
            }
            arch.append("Dense(1, W_std=").append(W).append(", b_std=").append(B).append(")");
            double[] x = points(nKer, 7);
            KernelEngine engine = new KernelEngine(1);
            engine.kernels(Network.parse(arch.toString(), Parameterization.NTK), Arrays.copyOf(x, Math.min(nKer, 600) * D),
                    Math.min(nKer, 600), null, 0, D, true);
            List<Double> tk = new ArrayList<>();
            List<Double> wk = new ArrayList<>();
            long k0 = os.getProcessCpuTime();
            String hashK = sha(engine.kernels(Network.parse(arch.toString(), Parameterization.NTK), x, nKer, null, 0, D,
                    true).ntk());
            int kPasses = (int) Math.max(1, Math.ceil(MIN_RUN / ((os.getProcessCpuTime() - k0) * 1e-9)));
            for (int r = 0; r < reps; r++) {
                System.gc();
                long c0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                for (int k = 0; k < kPasses; k++) {
                    Network fresh = Network.parse(arch.toString(), Parameterization.NTK); // tables paid in every run
                    engine.kernels(fresh, x, nKer, null, 0, D, true);
                }
                wk.add((System.nanoTime() - t0) * 1e-9);
                tk.add((os.getProcessCpuTime() - c0) * 1e-9);
            }
            double perK = median(tk) / ((double) nKer * nKer * kPasses) * 1e9;
            if (name.equals("Relu")) {
                relu[0] = perA;
                relu[1] = perK;
            }
            System.out.printf("%-5s activation: %.2f ns/entry (median; runs %s s CPU, %d passes each) x%.2f Relu; layers sha %s%n", name,
                    perA, fmt(ta), passes, relu[0] > 0 ? perA / relu[0] : Double.NaN, hashA);
            System.out.printf("%-5s kernel:     %.2f ns/entry (median %.3f s CPU, %.3f s wall; runs %s, %d kernels each) x%.2f Relu; NTK sha %s%n",
                    name, perK, median(tk), median(wk), fmt(tk), kPasses, relu[1] > 0 ? perK / relu[1] : Double.NaN, hashK);
        }
    }

    /** One pass of E[φφ], E[φ'φ'] over every row of the three layers' inputs; md (if given) digests the outputs. */
    static void pass(Activation act, double[][][] in, int n, double[] p, double[] d, MessageDigest md) {
        for (double[][] layer : in) {
            double[] diag = layer[n];
            for (int i = 0; i < n; i++) {
                double[] qi = layer[n + 1 + i];
                act.expectations(qi, diag, layer[i], n, p, d);
                if (md != null) {
                    md.update(bytes(p));
                    md.update(bytes(d));
                }
            }
        }
    }

    /**
     * Per layer l = 0..2: rows 0..n−1 of the pre-activation covariance Σ^l, then its diagonal, then n rows each
     * filled with Σ^l_ii (the q1 of row i), by the NNGP recursion Σ^{l+1} = W²·E[φφ] + B² from Σ^0 = W²·XXᵀ/d + B².
     */
    static double[][][] layerInputs(Activation act, int n) {
        double[] x = points(n, 3);
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int k = 0; k < D; k++) {
                    dot += x[i * D + k] * x[j * D + k];
                }
                s[i][j] = W * W * dot / D + B * B;
            }
        }
        double[][][] out = new double[DEPTH][][];
        for (int l = 0; l < DEPTH; l++) {
            double[][] layer = new double[2 * n + 1][];
            double[] diag = new double[n];
            for (int i = 0; i < n; i++) {
                diag[i] = s[i][i];
            }
            for (int i = 0; i < n; i++) {
                layer[i] = s[i].clone();
                double[] qi = new double[n];
                Arrays.fill(qi, diag[i]);
                layer[n + 1 + i] = qi;
            }
            layer[n] = diag;
            out[l] = layer;
            double[][] next = new double[n][n];
            for (int i = 0; i < n; i++) {
                act.expectations(layer[n + 1 + i], diag, layer[i], n, next[i], null);
                for (int j = 0; j < n; j++) {
                    next[i][j] = W * W * next[i][j] + B * B;
                }
            }
            s = next;
        }
        return out;
    }

    static double[] points(int n, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n * D];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        return x;
    }

    static byte[] bytes(double[] v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length);
        for (double e : v) {
            b.putLong(Double.doubleToRawLongBits(e));
        }
        return b.array();
    }

    static String sha(double[] v) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes(v))).substring(0, 16);
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        int m = s.size();
        return m % 2 == 1 ? s.get(m / 2) : 0.5 * (s.get(m / 2 - 1) + s.get(m / 2));
    }

    static String fmt(List<Double> v) {
        StringBuilder b = new StringBuilder();
        for (double e : v) {
            b.append(b.length() > 0 ? " " : "").append(String.format("%.3f", e));
        }
        return b.toString();
    }
}
