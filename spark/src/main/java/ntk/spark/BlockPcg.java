package ntk.spark;

import static ntk.BadInputException.param;

import java.io.PrintStream;
import java.io.Serializable;
import java.util.List;
import ntk.BadInputException;
import ntk.NdArray;
import ntk.linalg.Linalg;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * Kernel regression at t = ∞ without the N × N kernel in one place: (K + rI)α = Y by preconditioned conjugate
 * gradients (Hestenes &amp; Stiefel 1952; Saad, Iterative Methods for Sparse Linear Systems, 2nd ed., Alg. 9.1),
 * one independent recurrence per output column sharing every pass over K, then the mean K(T,X)α streamed over
 * blocks of the test set.
 *
 * <p>K lives as the B × B blocks on and below its diagonal in an RDD persisted MEMORY_AND_DISK: cached in executor
 * memory as far as Spark's storage memory allows, spilled to the executors' local disks beyond that (a block is
 * never recomputed unless its executor is lost; recomputation is deterministic, so the operator CG sees is fixed).
 * One product K·P is one job: each block (I, J) returns K_IJ P_J for row block I and, below the diagonal, K_IJᵀ P_I
 * for row block J; the driver adds them (N·o doubles per block row come back, not blocks). The preconditioner is
 * (README, "Nyström preconditioner") block Jacobi, M = blockdiag(K_II + rI), from Cholesky factors cached beside the blocks (applying it is a second
 * job per iteration); or the randomized Nyström preconditioner of {@link Nystrom}, whose sketch K·Ω is ℓ/w passes
 * of the same block operator with w right-hand sides and whose application is dense N × ℓ work on the driver; or
 * both: Nyström on the top of the spectrum, block Jacobi on the rest (see {@link Operator#precondition}).
 */
final class BlockPcg {
    private BlockPcg() {
    }

    /** Block (i, j) of K (row-major rows(i) × rows(j)). */
    record KBlock(int i, int j, double[] k) implements Serializable {
    }

    /** A contribution to row block i of an n×o result. */
    record Seg(int i, double[] v) implements Serializable {
    }

    /** The outcome of a solve: α (n×o) and how it went. */
    record Result(double[] alpha, int iterations, double relativeResidual) {
    }

    /** The preconditioners: block Jacobi, randomized Nyström, Nyström on top of block Jacobi. */
    static final java.util.List<String> PRECONDITIONERS = java.util.List.of("jacobi", "nystrom", "nystrom-jacobi");
    /** Preconditioner and Nyström sketch size when the job names none (README, "Nyström preconditioner"). */
    static final String DEFAULT_PRECONDITIONER = "nystrom";
    static final int DEFAULT_RANK = 50;
    /** Doubles a sketch pass may bring back to the driver (2 per entry of each off-diagonal block's B·w results). */
    static final long SKETCH_DOUBLES = 1L << 25;

    /** Ceiling of the iteration count: 2n (exact arithmetic needs n), at least 100, at most 5000. */
    static int maxIterations(int n) {
        return Math.max(100, Math.min(5000, 2 * n));
    }

    /**
     * Solves (K + rI)α = Y (n×o) with the preconditioner named (one of {@link #PRECONDITIONERS}) and the Nyström
     * sketch size ℓ = rank; failOnce (≥ 0) makes that block task fail on its first attempt (tests).
     */
    static Result solve(JavaSparkContext sc, KernelSpec spec, NdArray x, double[] y, int o, double ridge, int b,
            double tol, PrintStream log, int failOnce, String preconditioner, int rank) {
        if (!PRECONDITIONERS.contains(preconditioner)) {
            throw BadInputException.of(param("preconditioner"), ": expected one of " + PRECONDITIONERS + ", got '"
                    + preconditioner + "'");
        }
        if (rank < 1) {
            throw BadInputException.of(param("rank"), " must be >= 1, got " + rank);
        }
        boolean jacobi = !preconditioner.equals("nystrom");
        int n = x.dim(0);
        if (!preconditioner.equals("jacobi")) {
            // the driver holds Ω, Y_ν (then U from dgesdd), dgesdd's workspace of about as much and the kept U
            long entries = (long) n * Math.min(rank, n);
            if (entries > NdArray.MAX_ELEMENTS || 4 * 8 * entries > ntk.HeapBudget.free()) {
                throw BadInputException.of(param("rank"), String.format(java.util.Locale.ROOT, " %d: the Nystrom"
                        + " sketch needs about %.3f GB of driver heap for %d x %d matrices (%.3f GB free); lower ", rank,
                        4 * 8 * entries / 1e9, n, Math.min(rank, n), ntk.HeapBudget.free() / 1e9), param("rank"),
                        " or raise NTK_HEAP");
            }
        }
        Blocking bl = new Blocking(n, b);
        List<Broadcast<double[]>> xb = KernelJob.broadcastRows(sc, x, bl);
        List<KernelJob.Pair> pairs = KernelJob.pairs(bl.count(), bl.count(), true);
        JavaRDD<KBlock> blocks = sc.parallelize(pairs, pairs.size()).map(p -> {
            KernelJob.failFirstAttempt(p.index(), failOnce);
            int i = p.i();
            int j = p.j();
            double[] k = i == j ? spec.block(xb.get(i).value(), bl.rows(i), null, 0)
                    : spec.block(xb.get(i).value(), bl.rows(i), xb.get(j).value(), bl.rows(j));
            return new KBlock(i, j, k);
        }).persist(StorageLevel.MEMORY_AND_DISK());
        JavaRDD<KBlock> factors = null;
        try {
            long t0 = System.nanoTime();
            blocks.count();
            note(log, "kernel blocks: %d of %d x %d (B = %d) in %.1f s", pairs.size(), bl.count(), bl.count(), b,
                    (System.nanoTime() - t0) * 1e-9);
            if (log != null) {
                for (org.apache.spark.storage.RDDInfo info : sc.sc().getRDDStorageInfo()) {
                    if (info.id() == blocks.id()) {
                        note(log, "cached blocks: %d of %d partitions, %.2f GB in executor memory, %.2f GB on disk",
                                info.numCachedPartitions(), info.numPartitions(), info.memSize() / 1e9,
                                info.diskSize() / 1e9);
                    }
                }
            }
            factors = blocks.filter(k -> k.i() == k.j()).map(k -> factor(k, bl.rows(k.i()), ridge));
            if (jacobi) { // Nyström alone: the factors only serve the singular-block check below, not kept
                factors.persist(StorageLevel.MEMORY_AND_DISK());
            }
            List<Integer> failed = factors.filter(k -> k.k() == null).map(KBlock::i).collect();
            if (!failed.isEmpty()) {
                // a principal block singular to working precision makes K + rI singular too (its condition number
                // bounds the block's), so this is the whole-matrix solve's refusal (KernelRegression), found early
                throw BadInputException.of("t = inf needs K^-1, but the training kernel is singular to working"
                        + " precision: its diagonal block " + failed.get(0) + " (rows from " + bl.start(failed.get(0))
                        + ") has a reciprocal condition number <= block size * machine eps; add a ridge (", param("ridge"),
                        " r)");
            }
            Nystrom nys = null;
            if (!preconditioner.equals("jacobi")) {
                long t1 = System.nanoTime();
                Operator k = new Operator(sc, blocks, null, null, bl, o, 0.0);
                int chunk = (int) Math.max(1, Math.min(rank, SKETCH_DOUBLES / ((long) n * bl.count())));
                nys = Nystrom.sketch((p, w) -> k.times(p, w, 0.0), n, rank, chunk, 0x5eed);
                note(log, "nystrom preconditioner: sketch of %d columns (%d passes over K), rank kept %d, lambda"
                        + " %.3e .. %.3e, shift nu %.2e, in %.1f s", Math.min(rank, n), (Math.min(rank, n) + chunk - 1)
                        / chunk, nys.rank, nys.rank > 0 ? nys.lambda[0] : 0.0, nys.rank > 0 ? nys.lambda[nys.rank - 1]
                        : 0.0, nys.nu, (System.nanoTime() - t1) * 1e-9);
            }
            Operator op = new Operator(sc, blocks, jacobi ? factors : null, nys, bl, o, ridge);
            return cg(op, y, n, o, tol, log);
        } finally {
            blocks.unpersist(false);
            if (factors != null) {
                factors.unpersist(false);
            }
            KernelJob.destroy(xb);
        }
    }

    /**
     * The Cholesky factor of a diagonal block K_II + rI, or a null array when the block is not positive definite to
     * working precision: dpotrf fails, or LAPACK's reciprocal condition estimate (dpocon) is at most m·ε, the test
     * of {@link ntk.dynamics.KernelRegression} (an exactly duplicated row can pass dpotrf with a rounding-size pivot).
     */
    static KBlock factor(KBlock k, int m, double ridge) {
        double[] f = k.k().clone();
        double norm1 = 0;
        for (int a = 0; a < m; a++) {
            f[a * m + a] += ridge;
        }
        for (int a = 0; a < m; a++) {
            double row = 0;
            for (int c = 0; c < m; c++) {
                row += Math.abs(f[a * m + c]);
            }
            norm1 = Math.max(norm1, row);
        }
        boolean ok = Linalg.choleskyInPlace(f, m) && Linalg.choleskyReciprocalCondition(f, m, norm1) > m * Math.ulp(1.0);
        return new KBlock(k.i(), k.j(), ok ? f : null);
    }

    /** (K + rI)·P and M⁻¹·R over the cached blocks. */
    static final class Operator {
        private final JavaSparkContext sc;
        private final JavaRDD<KBlock> blocks;
        private final JavaRDD<KBlock> factors;
        private final Nystrom nystrom;
        private final Blocking bl;
        private final int o;
        private final double ridge;

        /** factors: block Jacobi's (or null); nystrom: the Nyström approximation (or null); both: the combination. */
        Operator(JavaSparkContext sc, JavaRDD<KBlock> blocks, JavaRDD<KBlock> factors, Nystrom nystrom, Blocking bl,
                int o, double ridge) {
            this.sc = sc;
            this.blocks = blocks;
            this.factors = factors;
            this.nystrom = nystrom;
            this.bl = bl;
            this.o = o;
            this.ridge = ridge;
        }

        double[] apply(double[] p) {
            return times(p, o, ridge);
        }

        /** (K + shift·I)·P for row-major n × w P. */
        double[] times(double[] p, int w, double shift) {
            Broadcast<double[]> pb = sc.broadcast(p);
            Blocking g = bl;
            try {
                List<Seg> segs = blocks.flatMap(k -> {
                    double[] all = pb.value();
                    int ri = g.rows(k.i());
                    int rj = g.rows(k.j());
                    double[] yi = Linalg.multiply(false, false, ri, w, rj, k.k(), g.slice(all, w, k.j()));
                    if (k.i() == k.j()) {
                        return List.of(new Seg(k.i(), yi)).iterator();
                    }
                    double[] yj = Linalg.multiply(true, false, rj, w, ri, k.k(), g.slice(all, w, k.i()));
                    return List.of(new Seg(k.i(), yi), new Seg(k.j(), yj)).iterator();
                }).collect();
                double[] out = new double[p.length];
                for (int a = 0; a < p.length; a++) {
                    out[a] = shift * p[a]; // cli-contract.md: --ridge r adds r·I to K
                }
                addSegments(out, segs, bl, w);
                return out;
            } finally {
                pb.destroy();
            }
        }

        /**
         * z = P⁻¹r. Block Jacobi: M⁻¹r. Nyström: eq. (5.3) of Frangella, Tropp &amp; Udell ({@link Nystrom#inverse}).
         * Both: U(Λ + rI)⁻¹Uᵀr + (I − UUᵀ) M⁻¹ (I − UUᵀ) r, symmetric positive definite (a sum of two positive
         * semidefinite terms, definite on span U and on its complement); the Nyström directions see the inverse
         * of their eigenvalues, the rest the block-Jacobi preconditioner, restricted to the complement.
         */
        double[] precondition(double[] r) {
            if (factors == null) {
                return nystrom.inverse(r, o, ridge);
            }
            if (nystrom == null) {
                return jacobi(r);
            }
            double[] z = nystrom.complement(jacobi(nystrom.complement(r, o)), o);
            double[] t = nystrom.top(r, o, ridge);
            for (int a = 0; a < z.length; a++) {
                z[a] += t[a];
            }
            return z;
        }

        private double[] jacobi(double[] r) {
            Broadcast<double[]> rb = sc.broadcast(r);
            Blocking g = bl;
            int w = o;
            try {
                List<Seg> segs = factors.map(f -> {
                    double[] z = g.slice(rb.value(), w, f.i());
                    Linalg.choleskySolve(f.k(), g.rows(f.i()), z, w);
                    return new Seg(f.i(), z);
                }).collect();
                double[] out = new double[r.length];
                addSegments(out, segs, bl, o);
                return out;
            } finally {
                rb.destroy();
            }
        }
    }

    /**
     * Preconditioned CG on each of the o columns at once (their scalars apart), from α = 0, until every column's
     * recurrence residual ‖r_c‖ ≤ tol·‖y_c‖; then the true residual ‖Y − (K + rI)α‖_F / ‖Y‖_F from one more product.
     */
    static Result cg(Operator op, double[] y, int n, int o, double tol, PrintStream log) {
        double[] x = new double[n * o];
        double[] r = y.clone();
        double[] yNorm = columnNorms(y, n, o);
        boolean[] done = new boolean[o];
        int active = 0;
        for (int c = 0; c < o; c++) {
            done[c] = yNorm[c] == 0; // Y_c = 0: α_c = 0 exactly
            active += done[c] ? 0 : 1;
        }
        double[] z = op.precondition(r);
        double[] p = z.clone();
        double[] rz = columnDots(r, z, n, o);
        int it = 0;
        int maxIt = maxIterations(n);
        long t0 = System.nanoTime();
        while (active > 0) {
            if (it == maxIt) {
                double worst = 0;
                double[] rn = columnNorms(r, n, o);
                for (int c = 0; c < o; c++) {
                    worst = Math.max(worst, yNorm[c] == 0 ? 0 : rn[c] / yNorm[c]);
                }
                throw BadInputException.of("conjugate gradients did not reach ", param("tol"), String.format(" %.1e in %d"
                        + " iterations (relative residual %.2e): the training kernel is too ill-conditioned; add a"
                        + " ridge (", tol, maxIt, worst), param("ridge"), " r) or loosen ", param("tol"));
            }
            double[] q = op.apply(p);
            double[] pq = columnDots(p, q, n, o);
            double[] alpha = new double[o];
            for (int c = 0; c < o; c++) {
                if (!done[c]) {
                    if (!(pq[c] > 0)) {
                        throw new BadInputException("t = inf needs K^-1, but conjugate gradients met p^T (K + rI) p = "
                                + pq[c] + " <= 0: the training kernel is not positive definite to working precision;"
                                + " add a ridge (--ridge r)");
                    }
                    alpha[c] = rz[c] / pq[c];
                }
            }
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < o; c++) {
                    x[i * o + c] += alpha[c] * p[i * o + c];
                    r[i * o + c] -= alpha[c] * q[i * o + c];
                }
            }
            it++;
            double[] rn = columnNorms(r, n, o);
            double worst = 0;
            for (int c = 0; c < o; c++) {
                if (!done[c]) {
                    double rel = rn[c] / yNorm[c];
                    worst = Math.max(worst, rel);
                    if (rel <= tol) {
                        done[c] = true;
                        active--;
                    }
                }
            }
            if (log != null && (it <= 3 || it % 10 == 0 || active == 0)) {
                note(log, "pcg iteration %d: relative residual %.3e (%.1f s)", it, worst, (System.nanoTime() - t0) * 1e-9);
            }
            if (active == 0) {
                break;
            }
            z = op.precondition(r);
            double[] rzNew = columnDots(r, z, n, o);
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < o; c++) {
                    p[i * o + c] = done[c] ? 0 : z[i * o + c] + rzNew[c] / rz[c] * p[i * o + c];
                }
            }
            rz = rzNew;
        }
        double[] ax = op.apply(x);
        double num = 0;
        double den = 0;
        for (int a = 0; a < y.length; a++) {
            double d = y[a] - ax[a];
            num += d * d;
            den += y[a] * y[a];
        }
        double rel = den == 0 ? 0 : Math.sqrt(num / den);
        note(log, "pcg: %d iterations, final relative residual ||Y - (K + rI)a||_F / ||Y||_F = %.3e (tol %.1e)", it,
                rel, tol);
        return new Result(x, it, rel);
    }

    /** K(T,X)·α (m×o) over blocks of the test set × blocks of the training set; no block is kept. */
    static double[] mean(JavaSparkContext sc, KernelSpec spec, NdArray x, NdArray t, double[] alpha, int o, int b) {
        Blocking xr = new Blocking(x.dim(0), b);
        Blocking tr = new Blocking(t.dim(0), b);
        List<Broadcast<double[]>> xb = KernelJob.broadcastRows(sc, x, xr);
        List<Broadcast<double[]>> tb = KernelJob.broadcastRows(sc, t, tr);
        Broadcast<double[]> ab = sc.broadcast(alpha);
        List<KernelJob.Pair> pairs = KernelJob.pairs(tr.count(), xr.count(), false);
        try {
            List<Seg> segs = sc.parallelize(pairs, pairs.size()).map(p -> {
                double[] k = spec.block(tb.get(p.i()).value(), tr.rows(p.i()), xb.get(p.j()).value(), xr.rows(p.j()));
                double[] v = Linalg.multiply(false, false, tr.rows(p.i()), o, xr.rows(p.j()), k,
                        xr.slice(ab.value(), o, p.j()));
                return new Seg(p.i(), v);
            }).collect();
            double[] out = new double[t.dim(0) * o];
            addSegments(out, segs, tr, o);
            return out;
        } finally {
            KernelJob.destroy(xb);
            KernelJob.destroy(tb);
            ab.destroy();
        }
    }

    /** Adds each segment into its row block of the row-major n×o out, in the order collected (deterministic). */
    static void addSegments(double[] out, List<Seg> segs, Blocking rows, int o) {
        for (Seg s : segs) {
            int off = rows.start(s.i()) * o;
            for (int a = 0; a < s.v().length; a++) {
                out[off + a] += s.v()[a];
            }
        }
    }

    private static double[] columnNorms(double[] a, int n, int o) {
        double[] s = columnDots(a, a, n, o);
        for (int c = 0; c < o; c++) {
            s[c] = Math.sqrt(s[c]);
        }
        return s;
    }

    private static double[] columnDots(double[] a, double[] b, int n, int o) {
        double[] s = new double[o];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < o; c++) {
                s[c] += a[i * o + c] * b[i * o + c];
            }
        }
        return s;
    }

    static void note(PrintStream log, String fmt, Object... args) {
        if (log != null) {
            log.println("ntk spark: " + String.format(java.util.Locale.ROOT, fmt, args));
        }
    }
}
