package ntk.cli;

import static ntk.BadInputException.param;

import java.util.List;
import ntk.BadInputException;
import ntk.distributed.ClusterEngine;
import picocli.CommandLine.Option;

/** {@code --engine local|spark [--master URL] [--block-size B]} on {@code kernel} and {@code predict} (cli-contract.md). */
class EngineOptions {
    /** --preconditioner's values (ntk.spark.BlockPcg.PRECONDITIONERS; the command line does not link the module). */
    static final List<String> PRECONDITIONERS = List.of("jacobi", "nystrom", "nystrom-jacobi");

    @Option(names = "--engine", defaultValue = "local",
            description = "local (this JVM's threads, default) or spark (Apache Spark: embedded local[*] unless --master)")
    String engine;

    @Option(names = "--master", description = "Spark master URL for --engine spark (default local[*], all cores here)")
    String master;

    @Option(names = "--block-size", description = "edge B of the B x B kernel blocks of --engine spark (default 2048)")
    Integer blockSize;

    @Option(names = "--tol", description = "predict --engine spark: stop conjugate gradients at relative residual"
            + " ||Y - (K + rI)a|| / ||Y|| <= tol per output (default 1e-10)")
    Double tol;

    @Option(names = "--preconditioner", description = "predict --engine spark: nystrom (randomized Nystrom,"
            + " Frangella-Tropp-Udell 2023; default), jacobi (block Jacobi) or nystrom-jacobi (Nystrom on the top of"
            + " the spectrum, block Jacobi on the rest)")
    String preconditioner;

    @Option(names = "--rank", description = "predict --engine spark: sketch size L of the Nystrom preconditioner"
            + " (default 50)")
    Integer rank;

    /** {@code predict} has no -v of its own: this one prints the Spark engine's progress (iterations, residual). */
    static final class WithVerbose extends EngineOptions {
        @Option(names = {"-v", "--verbose"}, description = "print progress to stderr (Spark engine: blocks, iterations,"
                + " final relative residual; Spark's own warnings)")
        boolean verbose;
    }

    /** True for --engine spark; refuses an unknown engine and Spark-only options without it. */
    boolean spark(String command) {
        switch (engine) {
            case "local" -> {
                if (master != null || blockSize != null || tol != null) {
                    throw new BadInputException((master != null ? "--master" : blockSize != null ? "--block-size"
                            : "--tol") + " goes with --engine spark");
                }
                if (preconditioner != null || rank != null) {
                    throw BadInputException.of(param(preconditioner != null ? "preconditioner" : "rank"),
                            " goes with predict --engine spark");
                }
                return false;
            }
            case "spark" -> {
                if (blockSize != null && blockSize < 1) {
                    throw new BadInputException("--block-size must be >= 1, got " + blockSize);
                }
                if (tol != null && !(tol > 0 && tol < 1)) {
                    throw new BadInputException("--tol must be in (0, 1), got " + tol);
                }
                if (preconditioner != null && !PRECONDITIONERS.contains(preconditioner)) {
                    throw BadInputException.of(param("preconditioner"), ": expected one of " + PRECONDITIONERS
                            + ", got '" + preconditioner + "'");
                }
                if (rank != null && rank < 1) {
                    throw BadInputException.of(param("rank"), " must be >= 1, got " + rank);
                }
                if (rank != null && "jacobi".equals(preconditioner)) {
                    throw BadInputException.of(param("rank"), " is the Nystrom sketch size; it does not go with ",
                            param("preconditioner"), " jacobi");
                }
                if ((preconditioner != null || rank != null) && command.equals("kernel")) {
                    throw BadInputException.of(param(preconditioner != null ? "preconditioner" : "rank"),
                            " is for predict --engine spark (kernel solves nothing)");
                }
                if (tol != null && command.equals("kernel")) {
                    throw new BadInputException("--tol is for predict --engine spark (kernel has no iterations)");
                }
                return true;
            }
            default -> throw new BadInputException("--engine: expected 'local' or 'spark', got '" + engine + "'");
        }
    }

    ClusterEngine.Job job(String arch, String parameterization, boolean verbose) {
        return new ClusterEngine.Job(arch, parameterization, master, blockSize == null ? 0 : blockSize,
                tol == null ? 1e-10 : tol, verbose ? System.err : null, preconditioner, rank == null ? 0 : rank);
    }
}
