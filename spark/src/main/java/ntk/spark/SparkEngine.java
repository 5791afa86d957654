package ntk.spark;

import static ntk.BadInputException.param;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import ntk.BadInputException;
import ntk.HeapBudget;
import ntk.distributed.ClusterEngine;
import ntk.io.AtomicFiles;
import ntk.NdArray;
import ntk.kernels.KernelEngine;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code --engine spark}: kernels ({@link KernelJob}) and kernel regression ({@link BlockPcg}) on Apache Spark,
 * embedded ({@code local[*]}, no set-up) unless a master URL is given. Any {@code spark.*} Java system property
 * (e.g. {@code NTK_JAVA_OPTS=-Dspark.memory.fraction=0.8}) reaches the Spark configuration.
 */
public final class SparkEngine implements ClusterEngine {
    /** B when --block-size is not given: a 2048² block is 32 MB, a task of a few seconds at d = 784. */
    static final int DEFAULT_BLOCK = 2048;

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public void kernel(Job job, NdArray x1, NdArray x2, boolean ntk, Path out) {
        int n1 = x1.dim(0);
        int n2 = x2 == null ? n1 : x2.dim(0);
        int b = blockSize(job, Math.max(n1, n2));
        boolean sym = x2 == null;
        boolean oneFile = out.getFileName().toString().endsWith(".npy");
        Path target = out.toAbsolutePath();
        Path dir = target.getParent();
        if (!oneFile && Files.exists(target)) {
            throw BadInputException.of(out + ": ", param("out"), " directory for the kernel blocks already exists; give a new path"
                    + " (or a name ending in .npy for one assembled file)");
        }
        long blockBytes = 8L * blockCount(n1, n2, b, sym) * b * b;
        long need = (oneFile ? 8L * n1 * n2 : 0) + Math.min(blockBytes, 8L * n1 * n2);
        checkDisk(dir, need, oneFile ? "the kernel blocks and the assembled " + n1 + " x " + n2 + " .npy"
                : "the kernel blocks");
        if (oneFile) {
            checkHeap(8L * b * n2 + 8L * b * b, "assembling the .npy one block row at a time (" + b + " x " + n2 + ")");
        }
        KernelSpec spec = KernelSpec.of(job.arch(), job.parameterization(), x1, ntk);
        Path work = dir.resolve("." + target.getFileName() + (oneFile ? ".blocks-" : ".partial-")
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
        try (JavaSparkContext sc = open(job)) {
            checkTaskMemory(sc, b, ntk);
            Files.createDirectory(work);
            long t0 = System.nanoTime();
            List<KernelJob.Pair> pairs = KernelJob.run(sc, spec, x1, x2, b, work, -1);
            BlockPcg.note(job.log(), "kernel: %d blocks of %d x %d in %.1f s on %s (%d cores)", pairs.size(), b, b,
                    (System.nanoTime() - t0) * 1e-9, sc.master(), sc.defaultParallelism());
            if (oneFile) {
                t0 = System.nanoTime();
                KernelJob.assemble(work, n1, n2, b, sym, target);
                BlockPcg.note(job.log(), "assembled %s in %.1f s", out, (System.nanoTime() - t0) * 1e-9);
            } else {
                AtomicFiles.writeString(work.resolve("manifest.json"), KernelJob.manifest(spec, n1, n2, b, sym, pairs));
                Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
                work = null;
            }
        } catch (IOException e) {
            throw new BadInputException(out + ": " + e.getMessage(), e);
        } catch (Exception e) { // Spark's jobs throw the checked SparkException
            throw unwrap(e);
        } finally {
            KernelJob.deleteTree(work);
        }
    }

    @Override
    public double[] regressionMean(Job job, NdArray x, NdArray y, NdArray t, boolean ntk, double ridge) {
        int n = x.dim(0);
        int o = y.dim(1);
        int b = blockSize(job, n);
        if (!(ridge >= 0) || Double.isInfinite(ridge)) {
            throw BadInputException.of(param("ridge"), " must be finite and >= 0, got " + ridge);
        }
        KernelSpec spec = KernelSpec.of(job.arch(), job.parameterization(), x, ntk);
        try (JavaSparkContext sc = open(job)) {
            checkTaskMemory(sc, b, ntk);
            BlockPcg.Result res = BlockPcg.solve(sc, spec, x, y.data, o, ridge, b, job.tolerance(), job.log(), -1,
                    job.preconditioner() == null ? BlockPcg.DEFAULT_PRECONDITIONER : job.preconditioner(),
                    job.rank() == 0 ? BlockPcg.DEFAULT_RANK : job.rank());
            long t0 = System.nanoTime();
            double[] mean = BlockPcg.mean(sc, spec, x, t, res.alpha(), o, b);
            BlockPcg.note(job.log(), "test set: %d points through K(T,X)a in %.1f s", t.dim(0),
                    (System.nanoTime() - t0) * 1e-9);
            return mean;
        } catch (Exception e) { // Spark's jobs throw the checked SparkException
            throw unwrap(e);
        }
    }

    static int blockSize(Job job, int n) {
        int b = job.blockSize() == 0 ? DEFAULT_BLOCK : job.blockSize();
        if (b < 1) {
            throw BadInputException.of(param("blockSize"), " must be >= 1, got " + b);
        }
        if ((long) b * b > NdArray.MAX_ELEMENTS) {
            throw BadInputException.of(param("blockSize"), " " + b + ": a block of " + (long) b * b
                    + " entries exceeds the " + NdArray.MAX_ELEMENTS + " one array can hold; use at most 46340");
        }
        return Math.max(1, Math.min(b, n));
    }

    private static long blockCount(int n1, int n2, int b, boolean sym) {
        long r = (n1 + b - 1) / b;
        long c = (n2 + b - 1) / b;
        return sym ? r * (r + 1) / 2 : r * c;
    }

    private static void checkDisk(Path dir, long need, String what) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw BadInputException.of(param("out"), " directory " + dir + " does not exist");
        }
        try {
            long free = Files.getFileStore(dir).getUsableSpace();
            if (need > free) {
                throw new BadInputException(String.format(java.util.Locale.ROOT, "%s need %.3f GB of disk in %s, but"
                        + " only %.3f GB is free", what, need / 1e9, dir, free / 1e9));
            }
        } catch (IOException e) {
            throw new BadInputException(dir + ": " + e.getMessage(), e);
        }
    }

    private static void checkHeap(long need, String what) {
        long free = HeapBudget.free();
        if (need > free) {
            throw BadInputException.of(String.format(java.util.Locale.ROOT, "%s needs %.3f GB of heap, but only %.3f GB"
                    + " is free (lower ", what, need / 1e9, free / 1e9), param("blockSize"), " or raise NTK_HEAP)");
        }
    }

    /** In local mode the tasks share this heap: each holds a block's NNGP (and NTK) while it computes. */
    private static void checkTaskMemory(JavaSparkContext sc, int b, boolean ntk) {
        if (sc.isLocal()) {
            checkHeap(sc.defaultParallelism() * KernelEngine.outputBytes(b, b, ntk),
                    sc.defaultParallelism() + " concurrent block tasks of " + b + " x " + b);
        }
    }

    /**
     * A Spark context for the job: the master from --master, else {@code spark.master}, else {@code local[*]}; no web
     * UI; an embedded driver bound to the loopback address. Spark's own log is off (ntk reports failures in its one
     * line) unless -v (WARN) or NTK_SPARK_LOG names a level.
     */
    static JavaSparkContext open(Job job) {
        String level = System.getenv("NTK_SPARK_LOG");
        Configurator.setRootLevel(Level.toLevel(level != null ? level : job.verbose() ? "WARN" : "OFF", Level.OFF));
        SparkConf conf = new SparkConf().setAppName("ntk");
        String master = job.master() != null ? job.master() : conf.get("spark.master", "local[*]");
        conf.setMaster(master);
        conf.setIfMissing("spark.ui.enabled", "false");
        if (master.startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        } else {
            conf.setJars(jars()); // executors elsewhere need ntk's classes: ntk.jar (core) and ntk-spark.jar
        }
        try {
            return new JavaSparkContext(conf);
        } catch (Exception e) {
            throw BadInputException.of(param("master"), " " + master + ": Spark did not start: " + rootMessage(e)).causedBy(e);
        }
    }

    private static String[] jars() {
        return java.util.stream.Stream.of(KernelEngine.class, SparkEngine.class)
                .map(c -> c.getProtectionDomain().getCodeSource())
                .filter(java.util.Objects::nonNull)
                .map(s -> s.getLocation().getPath())
                .filter(p -> p.endsWith(".jar"))
                .distinct()
                .toArray(String[]::new);
    }

    /** A failed Spark job whose cause is bad input stays bad input (exit 2, its own line); others stay internal. */
    static RuntimeException unwrap(Exception e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof BadInputException bad) {
                return bad;
            }
        }
        return e instanceof RuntimeException re ? re : new IllegalStateException("Spark job failed: " + rootMessage(e), e);
    }

    private static String rootMessage(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return String.valueOf(c.getMessage()).replaceAll("\\s+", " ");
    }
}
