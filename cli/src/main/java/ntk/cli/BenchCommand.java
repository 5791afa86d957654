package ntk.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;
import ntk.linalg.Linalg;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ntk bench kernel}: times the infinite-width NNGP + NTK of a deep ReLU network on random
 * inputs, next to the machine's GEMM rate measured in the same run. Medians over repeats.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (medians over repeats, with the machine's GEMM rate measured in the same run).",
        subcommands = {BenchCommand.Kernel.class, BenchCommand.LinalgBench.class, BenchCommand.Empirical.class,
            BenchCommand.TrainStep.class, PredictBench.class, SgdEpochBench.class})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "kernel", mixinStandardHelpOptions = true,
            description = "NNGP and NTK of [Dense(512), activation] x depth + Dense(1) on N random inputs of dimension d.")
    static final class Kernel implements Callable<Integer> {
        @Option(names = "--n", defaultValue = "10000", description = "inputs (default ${DEFAULT-VALUE})")
        int n;

        @Option(names = "--d", defaultValue = "784", description = "input dimension (default ${DEFAULT-VALUE})")
        int d;

        @Option(names = "--depth", defaultValue = "5", description = "hidden Dense+Relu layers (default ${DEFAULT-VALUE})")
        int depth;

        @Option(names = "--activation", defaultValue = "Relu", description = "activation (default ${DEFAULT-VALUE})")
        String activation;

        @Option(names = "--repeats", defaultValue = "3", description = "timed runs (default ${DEFAULT-VALUE})")
        int repeats;

        @Option(names = "--threads", description = "worker threads (default: all cores)")
        Integer threads;

        @Option(names = "--nngp-only", description = "compute only the NNGP")
        boolean nngpOnly;

        @Option(names = "--w-std", defaultValue = "1.4142135623730951",
                description = "W_std of every Dense (default ${DEFAULT-VALUE})")
        double wStd;

        @Option(names = "--b-std", defaultValue = "0.1", description = "b_std of every Dense (default ${DEFAULT-VALUE})")
        double bStd;

        @Override
        public Integer call() {
            if (n < 1 || d < 1 || depth < 0 || repeats < 1 || threads != null && threads < 1) {
                throw new ntk.BadInputException(n < 1 ? "--n must be at least 1, got " + n : d < 1
                        ? "--d must be at least 1, got " + d : depth < 0 ? "--depth must be at least 0, got " + depth
                        : repeats < 1 ? "--repeats must be at least 1, got " + repeats
                        : "--threads must be at least 1, got " + threads);
            }
            StringBuilder arch = new StringBuilder();
            for (int l = 0; l < depth; l++) {
                arch.append("Dense(512, W_std=").append(wStd).append(", b_std=").append(bStd).append("), ")
                        .append(activation).append(", ");
            }
            arch.append("Dense(1, W_std=").append(wStd).append(", b_std=").append(bStd).append(")");
            Network net = Network.parse(arch.toString(), Parameterization.NTK);
            boolean wantNtk = !nngpOnly;
            KernelEngine.checkFits(n, n, wantNtk);
            KernelEngine engine = threads == null ? new KernelEngine() : new KernelEngine(threads);
            System.out.printf("ntk bench kernel: N=%d d=%d depth=%d activation=%s, %s, %d threads, BLAS %s, Java %s%n",
                    n, d, depth, activation, wantNtk ? "NNGP+NTK" : "NNGP", threads == null
                            ? Runtime.getRuntime().availableProcessors() : threads, Linalg.backend(), Runtime.version());

            double gemm = gemmRate();
            System.out.printf("machine dgemm (2000x2000x784): %.1f GFLOP/s%n", gemm);

            Random r = new Random(42);
            double[] x = new double[Math.multiplyExact(n, d)];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextGaussian();
            }
            // warm-up on a small problem so the JIT has compiled the hot loops
            engine.kernels(net, Arrays.copyOf(x, Math.min(n, 1000) * d), Math.min(n, 1000), null, 0, d, wantNtk);

            double[] g = new double[n * n];
            List<Double> gramTimes = new ArrayList<>();
            for (int rep = 0; rep < repeats; rep++) {
                long t0 = System.nanoTime();
                Linalg.gramLower(x, n, d, g);
                gramTimes.add((System.nanoTime() - t0) * 1e-9);
            }
            g = null;
            System.gc();
            long baseline = heapUsed();
            HeapSampler sampler = new HeapSampler();
            List<Double> times = new ArrayList<>();
            List<Double> cpuTimes = new ArrayList<>();
            double check = 0;
            for (int rep = 0; rep < repeats; rep++) {
                System.gc(); // the previous run's outputs must not count towards this run's peak
                // a fresh network per run: smooth activations cache per-variance tables, which a run must pay for
                Network fresh = Network.parse(arch.toString(), Parameterization.NTK);
                long c0 = processCpuNanos();
                long t0 = System.nanoTime();
                Kernels k = engine.kernels(fresh, x, n, null, 0, d, wantNtk);
                times.add((System.nanoTime() - t0) * 1e-9);
                cpuTimes.add((processCpuNanos() - c0) * 1e-9);
                check = (wantNtk ? k.ntk() : k.nngp())[n * n - 1];
                k = null;
            }
            long peak = sampler.stop() - baseline;
            double tGram = median(gramTimes);
            double t = median(times);
            double flops = 2.0 * n * (double) n * d; // X·Xᵀ counted in full, as a plain GEMM would
            System.out.printf("X·Xᵀ (syrk) alone: median %.3f s%n", tGram);
            System.out.printf("kernel total:      median %.3f s  (runs: %s)%n", t, fmt(times));
            System.out.printf("elementwise part:  %.3f s  (%.2f ns per lower-triangle entry per layer)%n", t - tGram,
                    (t - tGram) * 1e9 / (n * (n + 1.0) / 2) / (2 * depth + 1) * threadsUsed());
            System.out.printf("effective rate:    %.1f GFLOP/s (2·N²·d / total) = %.0f%% of measured dgemm%n",
                    flops / t * 1e-9, 100 * flops / t * 1e-9 / gemm);
            System.out.printf("peak heap above inputs (sampled every 10 ms): %.2f GB = %.2f N² doubles (outputs alone: %d N²)%n",
                    peak / 1e9, peak / (8.0 * n * n), wantNtk ? 2 : 1);
            System.out.printf("check value K[N-1,N-1] = %.17g%n", check);
            System.out.printf("process CPU time:  median %.3f s  (all threads, JIT and GC included; steadier than wall"
                    + " time on a shared machine)%n", median(cpuTimes));
            System.out.printf("RESULT java_seconds=%.4f gram_seconds=%.4f gemm_gflops=%.2f peak_n2=%.3f cpu_seconds=%.4f%n",
                    t, tGram, gemm, peak / (8.0 * n * n), median(cpuTimes));
            return 0;
        }

        private static long processCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
        }

        private int threadsUsed() {
            return threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        }
    }

    @Command(name = "linalg", mixinStandardHelpOptions = true,
            description = "dgemm, dsyrk and dpotrf (Cholesky) GFLOP/s of the native BLAS/LAPACK and the pure-Java fallback.")
    static final class LinalgBench implements Callable<Integer> {
        @Option(names = "--n", defaultValue = "4000", description = "matrix size (default ${DEFAULT-VALUE})")
        int n;

        @Option(names = "--k", defaultValue = "784", description = "inner dimension of the products (default ${DEFAULT-VALUE})")
        int k;

        @Override
        public Integer call() {
            Random r = new Random(3);
            double[] a = new double[n * k];
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextGaussian();
            }
            double[] c = new double[n * n];
            System.out.printf("n=%d k=%d; medians of 3 runs; Java %s%n", n, k, Runtime.version());
            System.out.printf("%-34s %12s %12s %12s%n", "backend", "dgemm GF/s", "dsyrk GF/s", "dpotrf GF/s");
            dev.ludovic.netlib.blas.BLAS[] blases = {Linalg.blas(), dev.ludovic.netlib.blas.JavaBLAS.getInstance()};
            dev.ludovic.netlib.lapack.LAPACK[] lapacks = {Linalg.lapack(),
                dev.ludovic.netlib.lapack.JavaLAPACK.getInstance()};
            for (int b = 0; b < 2; b++) {
                if (b == 0 && !Linalg.isNative()) {
                    continue;
                }
                dev.ludovic.netlib.blas.BLAS blas = blases[b];
                List<Double> tg = new ArrayList<>();
                List<Double> ts = new ArrayList<>();
                List<Double> tc = new ArrayList<>();
                for (int rep = 0; rep < 3; rep++) {
                    long t0 = System.nanoTime();
                    blas.dgemm("T", "N", n, n, k, 1.0, a, k, a, k, 0.0, c, n);
                    tg.add((System.nanoTime() - t0) * 1e-9);
                    t0 = System.nanoTime();
                    blas.dsyrk("U", "T", n, k, 1.0, a, k, 0.0, c, n);
                    ts.add((System.nanoTime() - t0) * 1e-9);
                    for (int i = 0; i < n; i++) {
                        c[i * n + i] += n; // well conditioned
                    }
                    org.netlib.util.intW info = new org.netlib.util.intW(0);
                    t0 = System.nanoTime();
                    lapacks[b].dpotrf("U", n, c, n, info);
                    tc.add((System.nanoTime() - t0) * 1e-9);
                }
                double flops = 2.0 * n * n * k;
                System.out.printf("%-34s %12.1f %12.1f %12.1f%n", blas.getClass().getSimpleName() + " / "
                        + lapacks[b].getClass().getSimpleName(), flops / median(tg) * 1e-9,
                        flops / 2 / median(ts) * 1e-9, n * (double) n * n / 3 / median(tc) * 1e-9);
            }
            return 0;
        }
    }

    static String mlp(int width, int depth) {
        StringBuilder a = new StringBuilder();
        for (int l = 0; l < depth; l++) {
            a.append("Dense(").append(width).append(", b_std=0.1), Relu, ");
        }
        return a.append("Dense(1, b_std=0.1)").toString();
    }

    static double[] gaussian(int count, long seed) {
        Random r = new Random(seed);
        double[] x = new double[count];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        return x;
    }

    @Command(name = "empirical", mixinStandardHelpOptions = true,
            description = "Empirical NTK of an MLP: structured path vs Jacobian contraction (issue 4's benchmark).")
    static final class Empirical implements Callable<Integer> {
        @Option(names = "--n", defaultValue = "1000") int n;
        @Option(names = "--d", defaultValue = "784") int d;
        @Option(names = "--width", defaultValue = "1024") int width;
        @Option(names = "--depth", defaultValue = "3") int depth;
        @Option(names = "--repeats", defaultValue = "3") int repeats;
        @Option(names = "--skip-jacobian", description = "time only the structured path") boolean skipJacobian;

        @Override
        public Integer call() {
            ntk.finite.FiniteNetwork fn = new ntk.finite.FiniteNetwork(Network.parse(mlp(width, depth),
                    Parameterization.NTK), d);
            ntk.Params p = fn.init(0);
            double[] x = gaussian(n * d, 1);
            System.out.printf("ntk bench empirical: N=%d d=%d width=%d depth=%d (%d parameters), BLAS %s%n", n, d,
                    width, depth, fn.parameterCount(), Linalg.backend());
            ntk.finite.EmpiricalNtk.structured(fn, p, java.util.Arrays.copyOf(x, Math.min(n, 100) * d),
                    Math.min(n, 100), null, 0, ntk.finite.EmpiricalNtk.Outputs.TRACED); // warm-up
            List<Double> ts = new ArrayList<>();
            double[] k = null;
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                k = ntk.finite.EmpiricalNtk.structured(fn, p, x, n, null, 0, ntk.finite.EmpiricalNtk.Outputs.TRACED);
                ts.add((System.nanoTime() - t0) * 1e-9);
            }
            double structured = median(ts);
            System.out.printf("structured:  median %.3f s (runs: %s)  Θ[0,0]=%.6g%n", structured, fmt(ts), k[0]);
            double jac = Double.NaN;
            if (!skipJacobian) {
                long t0 = System.nanoTime();
                double[] kj = ntk.finite.EmpiricalNtk.contraction(fn, p, x, n, null, 0, true);
                jac = (System.nanoTime() - t0) * 1e-9;
                double maxDiff = 0;
                double maxAbs = 0;
                for (int i = 0; i < k.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(k[i] - kj[i]));
                    maxAbs = Math.max(maxAbs, Math.abs(kj[i]));
                }
                System.out.printf("jacobian:    %.3f s (one run)  max |structured − jacobian| / max|Θ| = %.1e%n", jac,
                        maxDiff / maxAbs);
                System.out.printf("speed-up structured vs jacobian: %.1fx%n", jac / structured);
            }
            System.out.printf("RESULT structured_seconds=%.4f jacobian_seconds=%.4f%n", structured, jac);
            return 0;
        }
    }

    @Command(name = "train-step", mixinStandardHelpOptions = true,
            description = "One full-batch gradient-descent step of an MLP on the mean squared loss (issue 4's benchmark).")
    static final class TrainStep implements Callable<Integer> {
        @Option(names = "--n", defaultValue = "10000") int n;
        @Option(names = "--d", defaultValue = "784") int d;
        @Option(names = "--width", defaultValue = "1024") int width;
        @Option(names = "--depth", defaultValue = "3") int depth;
        @Option(names = "--repeats", defaultValue = "3") int repeats;

        @Override
        public Integer call() {
            ntk.finite.FiniteNetwork fn = new ntk.finite.FiniteNetwork(Network.parse(mlp(width, depth),
                    Parameterization.STANDARD), d);
            ntk.Params p = fn.init(0);
            double[] x = gaussian(n * d, 1);
            double[] y = gaussian(n, 2);
            System.out.printf("ntk bench train-step: N=%d d=%d width=%d depth=%d (%d parameters), BLAS %s%n", n, d,
                    width, depth, fn.parameterCount(), Linalg.backend());
            List<Double> ts = new ArrayList<>();
            // as ntk.finite.Trainer steps: one reusable tape and one gradient for every step
            ntk.protocol.Tape tape = fn.reusableTape(n);
            ntk.Params g = p.zerosLike();
            for (int r = 0; r <= repeats; r++) {
                long t0 = System.nanoTime();
                g.fill(0.0);
                fn.lossAndGradient(p, fn.forward(p, x, n, tape), y, g);
                p.axpy(-0.01, g);
                if (r > 0) {
                    ts.add((System.nanoTime() - t0) * 1e-9);
                }
            }
            double flops = 6.0 * n * fn.parameterCount();
            System.out.printf("GD step: median %.3f s (runs: %s), %.1f GFLOP/s (6·N·P)%n", median(ts), fmt(ts),
                    flops / median(ts) * 1e-9);
            System.out.printf("RESULT step_seconds=%.4f%n", median(ts));
            return 0;
        }
    }

    static double gemmRate() {
        int m = 2000;
        int k = 784;
        Random r = new Random(1);
        double[] a = new double[m * k];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        double[] c = new double[m * m];
        List<Double> ts = new ArrayList<>();
        for (int rep = 0; rep < 7; rep++) { // the first two wake OpenBLAS's threads and fault the pages in
            long t0 = System.nanoTime();
            Linalg.blas().dgemm("T", "N", m, m, k, 1.0, a, k, a, k, 0.0, c, m);
            if (rep >= 2) {
                ts.add((System.nanoTime() - t0) * 1e-9);
            }
        }
        return 2.0 * m * m * k / median(ts) * 1e-9;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : 0.5 * (s.get(n / 2 - 1) + s.get(n / 2));
    }

    private static String fmt(List<Double> xs) {
        StringBuilder b = new StringBuilder();
        for (double x : xs) {
            b.append(b.length() > 0 ? ", " : "").append(String.format("%.3f", x));
        }
        return b.toString();
    }

    /** Polls the heap's used bytes every 10 ms and keeps the maximum (pools' own peaks overcount). */
    static final class HeapSampler {
        private volatile boolean running = true;
        private volatile long max;
        private final Thread thread;

        HeapSampler() {
            max = heapUsed();
            thread = new Thread(() -> {
                while (running) {
                    max = Math.max(max, heapUsed());
                    try {
                        // every 10 ms: a thread waking each millisecond slowed 2-thread LAPACK calls by up to 40%
                        // (seen in `bench predict`: dsyevd 82 s raw vs 117 s beside a 1 ms sampler)
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        long stop() {
            running = false;
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Math.max(max, heapUsed());
        }
    }

    static long heapUsed() {
        long s = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                s += p.getUsage().getUsed();
            }
        }
        return s;
    }

}
