package ntk.distributed;

import java.io.PrintStream;
import java.nio.file.Path;
import ntk.NdArray;

/**
 * A kernel and kernel-regression engine that runs outside this JVM's own threads — Apache Spark, in the ntk-spark
 * module — found at run time by {@link ClusterEngines#find} through {@link java.util.ServiceLoader}, so that the
 * command line and the core never link against it. Inputs are checked by the caller (shapes, finiteness); an
 * engine refuses what it cannot do with a {@link ntk.BadInputException}.
 */
public interface ClusterEngine {
    /** The {@code --engine} name this engine answers to, e.g. "spark". */
    String name();

    /**
     * The infinite-width kernel (NTK when {@code ntk}, else NNGP) of {@code job.arch()} on x1 × x2 ({@code x2 == null}:
     * x1 × x1, whose blocks above the diagonal are never computed), (n, d) or (n, length, channels) inputs, in
     * blocks of {@code job.blockSize()}. Written to {@code out}: one {@code .npy} of shape (n1, n2) when its name
     * ends in {@code .npy}, else a new directory of block files and a {@code manifest.json}.
     */
    void kernel(Job job, NdArray x1, NdArray x2, boolean ntk, Path out);

    /**
     * Kernel regression (training time t = ∞): the mean K(T,X)(K + rI)⁻¹Y on the test inputs t, row-major m×o,
     * with K the NTK ({@code ntk}) or NNGP on the training inputs x (n×d), targets y (n×o).
     */
    double[] regressionMean(Job job, NdArray x, NdArray y, NdArray t, boolean ntk, double ridge);

    /**
     * What a job needs to know beyond its arrays: the architecture spec and parameterization (parsed again where
     * the blocks are computed), where to run ({@code master}, null for the engine's embedded default), the block
     * edge B (0 for the engine's default), the relative residual at which an iterative solve stops, where
     * progress lines go (null: silent), and the iterative solve's preconditioner ("jacobi", "nystrom" or
     * "nystrom-jacobi"; null for the engine's default) with its Nyström rank (0 for the default).
     */
    record Job(String arch, String parameterization, String master, int blockSize, double tolerance, PrintStream log,
            String preconditioner, int rank) {
        /** A job with the engine's default preconditioner. */
        public Job(String arch, String parameterization, String master, int blockSize, double tolerance,
                PrintStream log) {
            this(arch, parameterization, master, blockSize, tolerance, log, null, 0);
        }

        /**
         * Whether phase times are printed.
         * @return whether verbose
         */
        public boolean verbose() {
            return log != null;
        }
    }
}
