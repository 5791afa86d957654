package ntk.meanfield;

import static ntk.BadInputException.param;

import java.util.ArrayList;
import java.util.List;
import ntk.BadInputException;
import ntk.Parameterization;
import ntk.activations.Activation;
import ntk.arch.Network;
import ntk.kernels.KernelEngine;
import ntk.linalg.Linalg;
import ntk.protocol.Layer;

/**
 * NTK degeneration with depth (Hayou, Doucet &amp; Rousseau, "Mean-field behaviour of the NTK for deep
 * networks"): one pass of {@link KernelEngine} through the deepest network (NTK parameterisation) with a
 * {@link DepthRecorder} after every depth, then normalisation, the mean-field limit, distances, rate
 * fits and smallest eigenvalues.
 *
 * <p>Normalisation and limit. Dense, ordered phase: α_L = 1 and K^L → q* / (1 − χ₁) for every pair
 * (the fixed point of Θ^{l+1} = χ₁Θ^l + q*, Jacot et al. Thm 1 at c* = 1). Dense, edge of chaos: the
 * average NTK K^L/L → q* on the diagonal and q* / (1 + a) off it, where 1 − f'(c^l) ≈ a/l: a = 2 when φ' is
 * continuous (Tanh, Elu; c^l → 1 like 2/(f''(1) l)) and a = 3 when φ' jumps (Relu: 1 − c^l ≈ 9π²/(2l²); LeakyRelu;
 * see {@link #derivativeJumps}); for Relu-like φ at σ_b = 0 every input keeps its own q_i, so the limit is
 * √(q_i q_j)/(1 + a) off the diagonal. Otherwise (chaotic phase,
 * ResNets) the NTK's correlation K^L(x, x')/√(K^L(x, x)K^L(x', x')) is reported: its limit is 0 off the
 * diagonal in the chaotic phase (Θ(x, x) grows like χ₁^L, Θ(x, x') stays bounded), and 1/4 for Relu ResNets,
 * plain or scaled — the same limit as the dense Relu net on the EOC, which ResNets "live on" (Hayou et al. §4).
 * Derivation (σ_b = 0; a bias only adds terms that the growing variance dominates): with block scale β_l and
 * s = σ_w²/2, the variance grows by (1 + β_l² s) per block, the NNGP correlation obeys
 * 1 − c_l ≈ (1 − c_{l−1}) − β_l² s κ (1 − c_{l−1})^{3/2}/(1 + β_l² s), κ = 2√2/(3π) (the arc-cosine kernel near 1),
 * and the normalised NTK's off-diagonal decays by 1 − β_l² s (1 − f'(c_l)) per block while both entries gain
 * the same source. Summing β_l² s over depth (τ = L for β = 1, τ ≈ s log L for β_l = 1/√l) gives
 * 1 − f'(c_l) ≈ 3/τ, so off-diagonal ≈ τ/(1 + 3) against τ on the diagonal: 1/4, approached like 1/L for
 * ResNets and like 1/log L for scaled ResNets (the rates Hayou et al. state; here they are measured, see tests).
 * Other activations in ResNets and a divergent q (no finite q*) get no limit here (NaN): the curves and
 * eigenvalues are still reported.
 */
public final class DepthAnalysis {
    /** Distances below this fraction of the limit's scale (at least 1) are rounding level and left out of the fits. */
    public static final double FLOOR = 1e-12;

    private DepthAnalysis() {
    }

    /** The analysis for inputs x (row-major n×d, n ≥ 1) up to maxDepth ≥ 1, normalised as the class javadoc says. */
    public static DepthProfile run(Activation act, double sigmaW, double sigmaB, ArchKind kind, int maxDepth,
            double[] x, int n, int d) {
        return run(act, sigmaW, sigmaB, kind, maxDepth, x, n, d, false);
    }

    /**
     * As {@link #run(Activation, double, double, ArchKind, int, double[], int, int)}; with {@code paper}, plain Relu
     * ResNets without bias are normalised as Hayou et al. do, by the scalar α_L = L(1 + σ_w²/2)^{L−1} instead of by
     * the diagonal. Derivation (σ_b = 0, s = σ_w²/2): q_l = (1 + s) q_{l−1} and, on the diagonal,
     * Θ_l = (1 + s)Θ_{l−1} + s q_{l−1} (Lemma 3 with E[φ'²] = 1/2, E[φ²] = q/2), so
     * Θ_L/(1 + s)^{L−1} = q_1 + (L − 1) s q_1/(1 + s) and K^L/α_L → s q_1/(1 + s) exactly like 1/L; off the diagonal
     * the limit is the geometric mean of the diagonal limits times the correlation limit 1/4. Other families keep their
     * normalisation (dense ones already use the paper's α_L = 1 or L).
     */
    public static DepthProfile run(Activation act, double sigmaW, double sigmaB, ArchKind kind, int maxDepth,
            double[] x, int n, int d, boolean paper) {
        return run(act, sigmaW, sigmaB, kind, maxDepth, x, n, ntk.Shape.dense(d), paper);
    }

    /**
     * As above for inputs of the given shape: flat (n, d) for the dense families, signals (n, length, channels) for
     * the convolutional ones ({@link ArchKind#convolutional}), whose kernels are the mean over positions of
     * K^L_{α,α}(x, x′) and whose limits are those of their dense counterparts (Hayou et al., Prop. 1 and the
     * appendix lemmas for CNNs: the same rates "for any α,α′").
     */
    public static DepthProfile run(Activation act, double sigmaW, double sigmaB, ArchKind kind, int maxDepth,
            double[] x, int n, ntk.Shape shape, boolean paper) {
        MeanField.checkSigmas(sigmaW, sigmaB);
        checkShape(kind, shape);
        int d = shape.size();
        if (maxDepth < 1) {
            throw BadInputException.of(param("maxDepth"), " must be at least 1, got " + maxDepth);
        }
        if (n < 1 || d < 1) {
            throw new BadInputException("depth analysis needs at least one input with at least one feature");
        }
        double[][] sig = new double[maxDepth][n * n];
        double[][] ntk = new double[maxDepth][n * n];
        List<Layer> layers = new ArrayList<>();
        for (int l = 1; l <= maxDepth; l++) {
            layers.addAll(kind.layers(l, act, sigmaW, sigmaB));
            layers.add(new DepthRecorder(sig[l - 1], ntk[l - 1], n));
        }
        pass(layers, kind, x, n, shape);
        for (int l = 0; l < maxDepth; l++) {
            for (int e = 0; e < n * n; e++) {
                if (!Double.isFinite(ntk[l][e]) || !Double.isFinite(sig[l][e])) {
                    throw BadInputException.of(String.format(java.util.Locale.ROOT, "the %s NTK of %s with sigma_w = %s,"
                            + " sigma_b = %s leaves the double range at depth %d (it grows geometrically with depth);"
                            + " use ", kind.cliName, act.spec(), sigmaW, sigmaB, l + 1), param("maxDepth"), " " + l + " or less");
                }
            }
        }

        MeanField mf = null;
        String norm;
        double[] limit = new double[n * n];
        double[] alpha = new double[maxDepth];
        java.util.Arrays.fill(alpha, 1.0);
        if (kind.plain()) {
            mf = MeanField.analyse(act, sigmaW, sigmaB, sig[0][0]);
        }
        boolean paperResNet = paper && (kind == ArchKind.RESNET || kind == ArchKind.CONV_RESNET)
                && act.spec().equals("Relu") && sigmaB == 0;
        if (paperResNet) {
            norm = "paper";
            double s = sigmaW * sigmaW / 2;
            for (int l = 1; l <= maxDepth; l++) {
                alpha[l - 1] = l * Math.pow(1 + s, l - 1);
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double li = s / (1 + s) * sig[0][i * n + i];
                    double lj = s / (1 + s) * sig[0][j * n + j];
                    limit[i * n + j] = i == j ? li : Math.sqrt(li * lj) / 4;
                }
            }
        } else if (mf != null && mf.phase() == Phase.ORDERED) {
            norm = "none";
            java.util.Arrays.fill(limit, mf.qStar() / (1 - mf.chi1()));
        } else if (mf != null && mf.phase() == Phase.EDGE_OF_CHAOS) {
            norm = "depth";
            for (int l = 1; l <= maxDepth; l++) {
                alpha[l - 1] = l;
            }
            double a = derivativeJumps(act) ? 3 : 2;
            boolean everyQ = mf.fixedPoint().kind() == VarianceFixedPoint.Kind.EVERY_Q;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double qq = everyQ ? Math.sqrt(sig[0][i * n + i] * sig[0][j * n + j]) : mf.qStar();
                    limit[i * n + j] = i == j ? qq : qq / (1 + a);
                }
            }
        } else {
            norm = "diagonal";
            double off = mf != null && mf.phase() == Phase.CHAOTIC ? 0.0
                    : !kind.plain() && act.spec().equals("Relu") ? 0.25 : Double.NaN;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    limit[i * n + j] = i == j ? 1.0 : off;
                }
            }
        }
        double[][] normalised = new double[maxDepth][];
        double[] distance = new double[maxDepth];
        double[] lambdaMin = new double[maxDepth];
        for (int l = 0; l < maxDepth; l++) {
            double[] k = ntk[l].clone();
            if (norm.equals("diagonal")) {
                double[] dg = new double[n];
                for (int i = 0; i < n; i++) {
                    dg[i] = Math.sqrt(k[i * n + i]);
                }
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        k[i * n + j] /= dg[i] * dg[j];
                    }
                }
            } else {
                for (int i = 0; i < k.length; i++) {
                    k[i] /= alpha[l];
                }
            }
            normalised[l] = k;
            double dist = Double.NaN;
            for (int e = 0; e < k.length; e++) {
                if (!Double.isNaN(limit[e]) && !(norm.equals("diagonal") && e % (n + 1) == 0)) {
                    double de = Math.abs(k[e] - limit[e]);
                    dist = Double.isNaN(dist) ? de : Math.max(dist, de);
                }
            }
            distance[l] = dist;
            lambdaMin[l] = smallestEigenvalue(k, n);
        }
        int[] depths = new int[maxDepth];
        for (int l = 0; l < maxDepth; l++) {
            depths[l] = l + 1;
        }
        // The fit runs over the depths whose distance is above rounding level (1e-12 of the limit's scale: the smooth
        // activations' Hermite-series kernels are exact to ~1e-13, where a 1e-13 floor let their plateau in) and skips
        // the first tenth of them (at least 2), where transients from the input dominate: in the ordered and chaotic
        // phases the distance reaches rounding within ~100 layers, and the fit must see the decay, not the floor.
        double scale = 0;
        for (double v : limit) {
            if (!Double.isNaN(v)) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        double floor = FLOOR * Math.max(scale, 1.0);
        double[] fitted = distance.clone();
        for (int l = 0; l < maxDepth; l++) {
            if (fitted[l] <= floor) {
                fitted[l] = Double.NaN;
            }
        }
        int to = maxDepth;
        while (to > 1 && Double.isNaN(fitted[to - 1])) {
            to--;
        }
        int from = Math.max(2, to / 10);
        RateFit exp = RateFit.fit("exponential", depths, fitted, from, to);
        RateFit poly = RateFit.fit("polynomial", depths, fitted, from, to);
        RateFit log = RateFit.fit("logarithmic", depths, fitted, from, to);
        RateFit logPoly = RateFit.fit("log-polynomial", depths, fitted, from, to);
        return new DepthProfile(kind, act.spec(), sigmaW, sigmaB, n, norm, sig, ntk, normalised, limit, distance,
                lambdaMin, mf, exp, poly, log, logPoly);
    }

    /**
     * The raw NNGP and NTK at the given depths only (strictly increasing, ≥ 1), from one pass of {@link KernelEngine}
     * through the deepest network (NTK parameterisation) with a recorder after each chosen depth: memory O(samples·n²),
     * time linear in the deepest depth, so L = 10⁵–10⁶ on a few inputs is cheap. Relu networks without bias that are
     * residual (kernels growing like ∏(1 + β_l²σ_w²/2)) are rescaled inside the pass by exact powers of two
     * ({@link DepthScale}; exact because every block is positively homogeneous of degree 1 in (Σ, Θ)), recorded in
     * {@link DepthSamples#log2Scale}. Refuses kernels that leave the double range.
     */
    public static DepthSamples sample(Activation act, double sigmaW, double sigmaB, ArchKind kind, int[] depths,
            double[] x, int n, int d) {
        return sample(act, sigmaW, sigmaB, kind, depths, x, n, ntk.Shape.dense(d));
    }

    /** As above for inputs of the given shape (signals for the convolutional families). */
    public static DepthSamples sample(Activation act, double sigmaW, double sigmaB, ArchKind kind, int[] depths,
            double[] x, int n, ntk.Shape shape) {
        MeanField.checkSigmas(sigmaW, sigmaB);
        checkShape(kind, shape);
        int d = shape.size();
        if (depths.length == 0 || depths[0] < 1) {
            throw BadInputException.of(param("depths"), " must be a non-empty list of depths ≥ 1");
        }
        for (int k = 1; k < depths.length; k++) {
            if (depths[k] <= depths[k - 1]) {
                throw BadInputException.of(param("depths"), " must increase strictly, got " + depths[k - 1] + " then "
                        + depths[k]);
            }
        }
        if (n < 1 || d < 1) {
            throw new BadInputException("depth analysis needs at least one input with at least one feature");
        }
        int deepest = depths[depths.length - 1];
        boolean rescale = !kind.plain() && act.spec().equals("Relu") && sigmaB == 0;
        double s = sigmaW * sigmaW / 2;
        double[][] sig = new double[depths.length][n * n];
        double[][] ntk = new double[depths.length][n * n];
        double[] log2Scale = new double[depths.length];
        List<Layer> layers = new ArrayList<>();
        double growth = 0;
        int applied = 0;
        int k = 0;
        for (int l = 1; l <= deepest; l++) {
            layers.addAll(kind.layers(l, act, sigmaW, sigmaB));
            if (rescale && l >= 2) {
                double beta2 = kind == ArchKind.SCALED_RESNET ? 1.0 / (l - 1) : 1.0;
                growth += Math.log1p(beta2 * s) / Math.log(2);
                int step = (int) Math.floor(growth) - applied;
                if (step > 0) {
                    layers.add(new DepthScale(step));
                    applied += step;
                }
            }
            if (l == depths[k]) {
                layers.add(new DepthRecorder(sig[k], ntk[k], n));
                log2Scale[k] = applied;
                k++;
            }
        }
        pass(layers, kind, x, n, shape);
        for (int j = 0; j < depths.length; j++) {
            for (int e = 0; e < n * n; e++) {
                if (!Double.isFinite(ntk[j][e]) || !Double.isFinite(sig[j][e])) {
                    throw BadInputException.of(String.format(java.util.Locale.ROOT, "the %s NTK of %s with sigma_w = %s,"
                            + " sigma_b = %s leaves the double range at depth %d; use ", kind.cliName, act.spec(), sigmaW,
                            sigmaB, depths[j]), param("depths"), " up to " + (j == 0 ? 0 : depths[j - 1]));
                }
            }
        }
        return new DepthSamples(kind, act.spec(), sigmaW, sigmaB, n, depths.clone(), sig, ntk, log2Scale);
    }

    /** Refuses signals for a dense family and flat inputs for a convolutional one. */
    static void checkShape(ArchKind kind, ntk.Shape shape) {
        if (kind.convolutional() != shape.spatial()) {
            throw new BadInputException(kind.convolutional() ? "the " + kind.cliName + " family takes signals (n, length,"
                    + " channels), got flat inputs of width " + shape.channels() : "the " + kind.cliName + " family takes"
                    + " flat inputs (n, d), got signals of shape " + shape);
        }
        if (kind.convolutional() && shape.length() < ArchKind.FILTER) {
            throw new BadInputException("signals of length " + shape.length() + " are shorter than the filter ("
                    + ArchKind.FILTER + ")");
        }
    }

    /** One pass of the engine through the recorded layers (closed by Flatten for a convolutional family). */
    private static void pass(List<Layer> layers, ArchKind kind, double[] x, int n, ntk.Shape shape) {
        List<Layer> all = new ArrayList<>(layers);
        if (kind.convolutional()) {
            all.add(new ntk.layers.Flatten());
        }
        new KernelEngine().kernels(new Network(all, Parameterization.NTK), x, n, null, 0, shape, true);
    }

    /** About perDecade depths per factor of 10 from 1 to deepest (rounded, distinct, increasing, ending at deepest). */
    public static int[] logSpaced(int deepest, int perDecade) {
        java.util.TreeSet<Integer> s = new java.util.TreeSet<>();
        int m = (int) Math.ceil(perDecade * Math.log10(Math.max(deepest, 1)));
        for (int i = 0; i <= m; i++) {
            s.add((int) Math.min(deepest, Math.round(Math.pow(10, (double) i / perDecade))));
        }
        s.add(deepest);
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * True when φ' jumps at 0 (Relu, LeakyRelu, Abs, Elu with α ≠ 1). On the edge of chaos the correlation map then
     * behaves like 1 − f(c) ≈ (1 − c) − κ(1 − c)^{3/2} near c = 1, so 1 − c_l ≈ 4/(κ²l²) and 1 − f'(c_l) ≈ 3/l whatever
     * κ is; with φ' continuous and φ'' bounded (Tanh, Elu with α = 1, ...) 1 − f(c) ≈ (1 − c) − β(1 − c)², so
     * 1 − c_l ≈ 1/(βl) and 1 − f'(c_l) ≈ 2/l. Hence a = 3 or 2 in the average NTK's off-diagonal limit q* / (1 + a).
     */
    static boolean derivativeJumps(Activation act) {
        return derivativeJumpsAtZero(act);
    }

    /** {@link #derivativeJumps}, public: whether φ' jumps at 0 (Relu-like), which sets the edge-of-chaos constants. */
    public static boolean derivativeJumpsAtZero(Activation act) {
        double eps = 1e-9;
        return Math.abs(act.derivative(eps) - act.derivative(-eps)) > 1e-6;
    }

    /** The smallest eigenvalue of a symmetric n×n matrix. */
    static double smallestEigenvalue(double[] m, int n) {
        return Linalg.symmetricEigenvalues(m, n)[0];
    }
}
