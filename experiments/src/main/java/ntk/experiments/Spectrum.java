package ntk.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ntk.BadInputException;
import ntk.data.Mnist;
import ntk.NdArray;
import ntk.kernels.KernelEngine;
import ntk.linalg.Linalg;

/**
 * The spectrum of the limiting NTK against Pleiss' lecture notes §1.2 ("the spectrum of the NTK will decay at a rate
 * of λ_i = i^−α for some α &gt; 1"; Jacot et al. 2018 §5): the eigenvalues of the
 * Gram matrix Θ∞(X, X)/n of the depth-4 ReLU network (β = 0.1), largest first, on data, with a power law
 * λ_i ≈ C·i^−α fitted by least squares on log λ against log i over a stated range of indices. Gradient descent
 * fits the component along eigenvector i at the rate λ_i (e^{−λ_i t}), so a fast decay means the network learns
 * a few smooth directions first (spectral bias).
 *
 * <p>On the sphere S^{d−1} the NTK is a dot-product kernel whose eigenfunctions are the spherical harmonics; for
 * ReLU networks the eigenvalue of degree k decays like k^−d (Bietti &amp; Mairal 2019, Thm 4; Basri et al. 2019)
 * and degree k has multiplicity ∝ k^{d−2}, so the i-th largest eigenvalue decays like i^{−d/(d−1)}: α = 1.5 on
 * S² ⊂ R³. That case is the independent check of the fit; {@link #onSphere} computes it. The exponent tends to
 * 1 from above as d grows, and a fit over a finite index range sees only the first few harmonic degrees, so the
 * experiment also measures α against the fit range, against n and against the input dimension (spheres of several
 * d, the digits projected on their top k principal axes) to show where α &gt; 1 holds and where not.
 */
public final class Spectrum implements Experiment {

    /** Eigenvalues λ of Θ∞(X,X)/n (largest first), fitted over i ∈ [from, to] (1-based); alpha = −slope. */
    public record Result(int n, double[] eigenvalues, int from, int to, LogLogFit fit) {
        public double alpha() {
            return -fit.slope();
        }

        /** α with the regression standard error of the fitted slope. */
        public Estimate alphaEstimate() {
            return new Estimate(-fit.slope(), fit.slopeSe(), fit.points());
        }

        /** α fitted over another index range [a, b] of the same eigenvalues. */
        public Estimate alphaOver(int a, int b) {
            LogLogFit f = LogLogFit.ofIndex(eigenvalues, a, b);
            return new Estimate(-f.slope(), f.slopeSe(), f.points());
        }
    }

    /** The same power-law fit on given eigenvalues (largest first). */
    public static Result ofEigenvalues(double[] desc, int from, int to) {
        return new Result(desc.length, desc, from, to, LogLogFit.ofIndex(desc, from, to));
    }

    /**
     * The spectrum of n inputs x (row-major n×d), power law fitted over [from, to]. 0 &lt; from &lt; to ≤ n.
     */
    public static Result of(double[] x, int n, int d, int from, int to) {
        checkRange(n, from, to);
        return ofKernel(kernel(x, n, d), n, from, to);
    }

    private static void checkRange(int n, int from, int to) {
        if (from < 1 || to > n || to - from < 2) {
            throw new BadInputException("spectrum: fit range [" + from + ", " + to + "] must lie in 1.." + n
                    + " and hold at least 3 eigenvalues");
        }
    }

    /** The limiting NTK Θ∞(X, X) (n×n) of the depth-4 ReLU network with one output. */
    static double[] kernel(double[] x, int n, int d) {
        return new KernelEngine().kernels(JacotNetworks.limit(1), x, n, null, 0, d, true).ntk();
    }

    /** The same from a Gram matrix k (n×n, not modified). */
    public static Result ofKernel(double[] k, int n, int from, int to) {
        double[] asc = Linalg.symmetricEigenvalues(k, n);
        double[] desc = new double[n];
        for (int i = 0; i < n; i++) {
            desc[i] = asc[n - 1 - i] / n;
        }
        return new Result(n, desc, from, to, LogLogFit.ofIndex(desc, from, to));
    }

    /** The spectrum of the first m points (the top-left m×m block of the n×n Gram matrix k), fitted over [from, m/4]. */
    static Result ofHead(double[] k, int n, int m, int from) {
        double[] b = new double[m * m];
        for (int i = 0; i < m; i++) {
            System.arraycopy(k, i * n, b, i * m, m);
        }
        return ofKernel(b, m, from, m / 4);
    }

    /** The theory's exponent on S^{d−1}: d/(d−1). */
    public static double sphereAlpha(int d) {
        return d / (d - 1.0);
    }

    /** n points uniform on S^{d−1} (seeded), fitted over [from, to]. */
    public static Result onSphere(int n, int d, int from, int to, long seed) {
        return of(Points.sphere(n, d, seed), n, d, from, to);
    }

    /** One spectrum of a series against input dimension: dim = d of the sphere S^{d−1}, or k principal components. */
    public record Series(int dim, Result result) {
    }

    /**
     * Everything the experiment measures: the spectra on the digits and on the sphere S^{sphereDim−1} (the claim's
     * test); the same on the first n/4, n/2, n of them (α against n); spheres of other dimensions and the digits
     * projected on their top k principal components (α against input dimension); and the eigenvalues of the
     * digits' second-moment matrix XᵀX/n, largest first (their dimension); and the same fit on disjoint samples
     * (digitSets: consecutive blocks of n digits of the pool, the first being {@code digits}; sphereSets: seeds
     * seed, seed + 1, …, the first being {@code sphere}), whose spread is the exponent's sampling error.
     */
    public record Both(Result digits, Result sphere, int sphereDim, long seed, List<Result> digitsByN,
            List<Result> sphereByN, List<Series> sphereDims, List<Series> digitsPca, double[] digitsMoments,
            List<Result> digitSets, List<Result> sphereSets) {
        /** The two spectra alone (no series, no further samples). */
        public Both(Result digits, Result sphere, int sphereDim, long seed) {
            this(digits, sphere, sphereDim, seed, List.of(), List.of(), List.of(), List.of(), new double[0], List.of(),
                    List.of());
        }
    }

    /**
     * The exponent the verdict uses: the mean over disjoint samples with its standard error over them when there are
     * two or more (the sampling error of the data), else the one fit with its slope's regression standard error.
     */
    public static Estimate verdictAlpha(Result main, List<Result> sets) {
        if (sets.size() >= 2) {
            return Estimate.of(sets.stream().mapToDouble(Result::alpha).toArray());
        }
        return main.alphaEstimate();
    }

    private static String alphaWords(Result main, List<Result> sets, String what) {
        String one = String.format(Locale.ROOT, "α = %s (the fit's standard error) over i in [%d, %d]",
                main.alphaEstimate().show(3), main.from(), main.to());
        if (sets.size() < 2) {
            return one;
        }
        return one + String.format(Locale.ROOT, "; over %d disjoint samples of %d %s α = %s (standard error over the"
                + " samples)", sets.size(), main.n(), what, verdictAlpha(main, sets).show(3));
    }

    /** Eigenvalues kept in summary.json (all of them go to spectrum.npz). */
    static final int SUMMARY_EIGENVALUES = 100;

    /** Pleiss' exponent bound: α &gt; 1. */
    public static final double PLEISS_ALPHA = 1.0;

    /** The claim this experiment tests, word for word (Pleiss' lecture notes, §1.2, property 2). */
    static final PaperClaim CLAIM = new PaperClaim("For most data distributions, the spectrum of the NTK will decay at"
            + " a rate of $\\lambda_i = i^{-\\alpha}$ for some $\\alpha > 1$ [Geifman et al., 2020].",
            "Pleiss, lecture notes \"The Neural Tangent Kernel Approximation\", §1.2, property 2");

    @Override
    public PaperClaim claim() {
        return CLAIM;
    }

    @Override
    public String name() {
        return "spectrum";
    }

    @Override
    public boolean readsData() {
        return true;
    }

    @Override
    public String description() {
        return "The limiting NTK's spectrum against Pleiss' lecture notes §1.2 (λ_i = i^−α with α > 1) for the depth-4"
                + " ReLU network (β = 0.1): the eigenvalues of Θ∞(X, X)/n on 1,000 MNIST digits (--full: 4,000) and on"
                + " 1,000 uniform points of the sphere S² (--full: 4,000), a power law fitted over i in [10, n/4] with"
                + " the exponent's standard error; on the sphere harmonic analysis predicts α = d/(d − 1) = 1.5. Also"
                + " measured: α against the fit range, against n, against the sphere's dimension and against the number"
                + " of principal components the digits keep. Data: spectrum.npz (all eigenvalues).";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("--n", null, "digits (default 1000; --full 4000)"),
                new Param("--sphere-n", null, "points on the sphere (default 1000; --full 4000)"),
                new Param("--sphere-d", "3", "ambient dimension d of the sphere S^{d−1}"),
                new Param("--from", "10", "first index of the power-law fit"),
                new Param("--to", null, "last index of the fit (default n/4)"),
                new Param("--sphere-dims", "3,5,10,30,100,784", "sphere dimensions d of the α-against-dimension series"),
                new Param("--pca-dims", "3,10,30,100", "principal components k the digits are projected on (series)"),
                new Param("--samples", "4", "disjoint samples of n digits (as many as the pool holds) and of sphere"
                        + " points (seeds seed, seed + 1, …): the exponent's sampling error"));
    }

    @Override
    public Report run(Settings s, Progress progress) {
        int n = s.has("--n") ? s.integer("--n") : s.full() ? 4000 : 1000;
        int ns = s.has("--sphere-n") ? s.integer("--sphere-n") : s.full() ? 4000 : 1000;
        int sd = s.integer("--sphere-d");
        int from = s.integer("--from");
        int[] dims = s.integers("--sphere-dims");
        int[] pca = s.integers("--pca-dims");
        if (sd < 2) {
            throw new BadInputException("--sphere-d must be >= 2, got " + sd);
        }
        for (int d : dims) {
            if (d < 2) {
                throw new BadInputException("--sphere-dims must be >= 2, got " + d);
            }
        }
        Mnist.Split split = Mnist.split(s.data());
        if (n < 12 || n > split.train().n() || ns < 12) {
            throw new BadInputException("--n must be in 12.." + split.train().n() + " and --sphere-n >= 12, got " + n
                    + " and " + ns);
        }
        for (int k : pca) {
            if (k < 1 || k > split.train().dim()) {
                throw new BadInputException("--pca-dims must be in 1.." + split.train().dim() + ", got " + k);
            }
        }
        int to = s.has("--to") ? s.integer("--to") : n / 4;
        int toSphere = s.has("--to") ? Math.min(s.integer("--to"), ns) : ns / 4;
        checkRange(n, from, to);
        checkRange(ns, from, toSphere);
        int samples = s.integer("--samples");
        if (samples < 1) {
            throw new BadInputException("--samples must be >= 1, got " + samples);
        }
        double big = Math.max(n, ns);
        Budget.check("spectrum", 8 * 3 * big * big, big * big, 10.0 * samples * ((double) n * n * n + (double) ns * ns * ns)
                * (1 + dims.length + pca.length), Budget.maxWork(s));
        Mnist digits = split.train().head(n);
        List<double[]> more = new ArrayList<>();
        for (int j = 1; j < samples && (j + 1) * n <= split.train().n(); j++) {
            more.add(Linearization.unitVariance(split.train().slice(j * n, n)));
        }
        Report rep = render(compute(Linearization.unitVariance(digits), n, digits.dim(), from, to, ns, sd, toSphere,
                dims, pca, s.seed(), more, samples, progress));
        rep.param("digits", String.format(Locale.ROOT, "the first %d digits of the %s, each scaled to ‖x‖² = 784", n,
                split.source()));
        return rep;
    }

    /** The science: every spectrum of the experiment (x: the digits, n×d, scaled to ‖x‖² = d). */
    public static Both compute(double[] x, int n, int d, int from, int to, int ns, int sd, int toSphere, int[] dims,
            int[] pca, long seed, List<double[]> moreDigits, int sphereSamples, Progress progress) {
        long t0 = System.nanoTime();
        double[] kd = kernel(x, n, d);
        Result rd = ofKernel(kd, n, from, to);
        progress.log(String.format(Locale.ROOT, "%d digits: α = %s over [%d, %d] (%.1f s)", n, rd.alphaEstimate(), from,
                to, (System.nanoTime() - t0) * 1e-9));
        t0 = System.nanoTime();
        double[] xs = Points.sphere(ns, sd, seed);
        double[] ks = kernel(xs, ns, sd);
        Result rs = ofKernel(ks, ns, from, toSphere);
        progress.log(String.format(Locale.ROOT, "%d points on S^%d: α = %s (theory %.3f) (%.1f s)", ns, sd - 1,
                rs.alphaEstimate(), sphereAlpha(sd), (System.nanoTime() - t0) * 1e-9));
        t0 = System.nanoTime();
        List<Result> dByN = new ArrayList<>();
        List<Result> sByN = new ArrayList<>();
        // the first n/4, n/2 and n points, fitted over [from, m/4] where that holds at least 3 eigenvalues
        for (int div : new int[] {4, 2, 1}) {
            if ((n / div) / 4 - from >= 2) {
                dByN.add(div == 1 && n / 4 == to ? rd : ofHead(kd, n, n / div, from));
            }
            if ((ns / div) / 4 - from >= 2) {
                sByN.add(div == 1 && ns / 4 == toSphere ? rs : ofHead(ks, ns, ns / div, from));
            }
        }
        List<Series> sphereDims = new ArrayList<>();
        for (int dd : dims) {
            sphereDims.add(new Series(dd, dd == sd ? rs : onSphere(ns, dd, from, toSphere, seed)));
        }
        // the digits' second-moment matrix XᵀX/n (the kernel sees uncentred dot products) and its principal axes
        double[] m2 = new double[d * d];
        Linalg.gemm(true, false, d, d, n, 1.0 / n, x, x, 0, m2);
        ntk.linalg.SymmetricEigen e = Linalg.symmetricEigen(m2, d);
        double[] moments = new double[d];
        for (int i = 0; i < d; i++) {
            moments[i] = e.values()[d - 1 - i];
        }
        List<Series> digitsPca = new ArrayList<>();
        for (int k : pca) {
            double[] z = new double[n * k];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < k; j++) {
                    double v = 0;
                    int row = (d - 1 - j) * d;
                    for (int c = 0; c < d; c++) {
                        v += x[i * d + c] * e.vectors()[row + c];
                    }
                    z[i * k + j] = v;
                }
            }
            digitsPca.add(new Series(k, of(Points.rowsToNorm(z, n, k, Math.sqrt(k)), n, k, from, to)));
        }
        progress.log(String.format(Locale.ROOT, "α against n, sphere dimension and principal components (%.1f s)",
                (System.nanoTime() - t0) * 1e-9));
        t0 = System.nanoTime();
        List<Result> dSets = new ArrayList<>(List.of(rd));
        for (double[] xj : moreDigits) {
            dSets.add(of(xj, n, d, from, to));
        }
        List<Result> sSets = new ArrayList<>(List.of(rs));
        for (int j = 1; j < sphereSamples; j++) {
            sSets.add(onSphere(ns, sd, from, toSphere, seed + j));
        }
        progress.log(String.format(Locale.ROOT, "%d samples of digits: α = %s; %d of the sphere: α = %s (%.1f s)",
                dSets.size(), verdictAlpha(rd, dSets), sSets.size(), verdictAlpha(rs, sSets),
                (System.nanoTime() - t0) * 1e-9));
        return new Both(rd, rs, sd, seed, dByN, sByN, sphereDims, digitsPca, moments, dSets, sSets);
    }

    /** Where an exponent stands against Pleiss' α &gt; 1, by {@link Estimate#aheadOf} (two standard errors). */
    public enum Side {
        ABOVE("above 1"), BELOW("below 1"), UNDECIDED("within two standard errors of 1");

        public final String words;

        Side(String words) {
            this.words = words;
        }
    }

    /** ABOVE when α is ahead of 1 by more than two standard errors, BELOW when 1 is ahead of α, else UNDECIDED. */
    public static Side side(Estimate alpha) {
        Estimate one = Estimate.exact(PLEISS_ALPHA);
        return alpha.aheadOf(one) ? Side.ABOVE : one.aheadOf(alpha) ? Side.BELOW : Side.UNDECIDED;
    }

    /**
     * The verdict on Pleiss' "λ_i = i^−α for some α &gt; 1", tested on two data distributions, each by the fitted
     * exponent over its stated fit range ({@link #verdictAlpha}: the mean over disjoint samples with its standard
     * error over them, or one fit with its regression standard error) against 1 ({@link #side}): SHOWN when α
     * is above 1 on both the digits and the sphere; NOT SHOWN when it is below 1 on both; PARTLY otherwise (one
     * above, or either within two standard errors of 1). The sphere's agreement with harmonic analysis' d/(d − 1)
     * is reported in the reason (it checks the fit) but does not enter the verdict: the claim is α &gt; 1.
     */
    public static Decision decide(Both b) {
        Estimate ad = verdictAlpha(b.digits(), b.digitSets());
        Estimate as = verdictAlpha(b.sphere(), b.sphereSets());
        Side sdg = side(ad);
        Side ssp = side(as);
        double theory = sphereAlpha(b.sphereDim());
        String reason = String.format(Locale.ROOT, "On %d MNIST digits %s: %s; on %d points of S^%d %s: %s (harmonic"
                + " analysis: %.3f, %s).", b.digits().n(), alphaWords(b.digits(), b.digitSets(), "digits"), sdg.words,
                b.sphere().n(), b.sphereDim() - 1, alphaWords(b.sphere(), b.sphereSets(), "points"), ssp.words, theory,
                as.consistentWith(theory, 0) ? "within two standard errors"
                        : String.format(Locale.ROOT, "off by %.3f", as.mean() - theory));
        if (sdg == Side.ABOVE && ssp == Side.ABOVE) {
            return Decision.shown(reason);
        }
        if (sdg == Side.BELOW && ssp == Side.BELOW) {
            return Decision.notShown(reason + " α > 1 holds on neither.");
        }
        String where = sdg == Side.BELOW || ssp == Side.BELOW ? " α > 1 does not hold on the "
                + (sdg == Side.BELOW ? "digits" : "sphere") + " at this size (not shown at this size)." : "";
        if (sdg == Side.BELOW && b.digitsByN().size() >= 2) {
            where += " " + trendSentence("On the digits", b.digitsByN()) + " A larger n is not measured here (--full:"
                    + " n = 4,000).";
        }
        return Decision.partly(reason + where);
    }

    /** Index windows [a, 4a] (a = 2, 5, 10, 25, 50, …) within 1..n, and the stated range: α against the fit range. */
    static List<int[]> windows(int n) {
        List<int[]> w = new ArrayList<>();
        for (int a : new int[] {2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500}) {
            if (4 * a <= n) {
                w.add(new int[] {a, 4 * a});
            }
        }
        return w;
    }

    /** The participation ratio (Σλ)²/Σλ² of non-negative values. */
    static double participationRatio(double[] v) {
        double s = 0;
        double s2 = 0;
        for (double x : v) {
            s += x;
            s2 += x * x;
        }
        return s * s / s2;
    }

    /** How many of the values (largest first) hold the fraction q of their sum. */
    static int holding(double[] v, double q) {
        double total = 0;
        for (double x : v) {
            total += x;
        }
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            s += v[i];
            if (s >= q * total) {
                return i + 1;
            }
        }
        return v.length;
    }

    private static Map<String, Object> fitJson(Estimate a, int from, int to) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", from);
        m.put("to", to);
        m.put("alpha", a.mean());
        m.put("alpha_se", a.se());
        return m;
    }

    private static String pm(Estimate a) {
        return Report.show(a.mean(), "%.3f") + " ± " + Report.show(a.se(), "%.3f");
    }

    /** The report: the claim's test, the spectra on log-log axes, α against fit range, n and input dimension. */
    public static Report render(Both b) {
        Report rep = new Report("spectrum", "The spectrum of the limiting NTK: λ_i = i^−α with α > 1?");
        describe(rep, b);
        fits(rep, b);
        if (b.digitSets().size() >= 2 || b.sphereSets().size() >= 2) {
            samplesSection(rep, b);
        }
        windowsSection(rep, b);
        if (!b.digitsByN().isEmpty() || !b.sphereByN().isEmpty()) {
            sizeSection(rep, b);
        }
        if (!b.sphereDims().isEmpty() || !b.digitsPca().isEmpty()) {
            dimensionSection(rep, b);
        }
        Result rd = b.digits();
        rep.heading("The spectra");
        rep.table("Largest eigenvalues on the digits", Math.min(5, rd.n()), Report.of("i", i -> i + 1),
                rep.column("λ_i", "eigenvalues"));
        SvgPlot p = new SvgPlot("Eigenvalues of Θ∞(X, X)/n", "index i", "λ_i").logX().logY().floor(1e-14);
        addSpectrum(p, "MNIST digits", rd, 0);
        addSpectrum(p, "sphere S^" + (b.sphereDim() - 1), b.sphere(), 1);
        rep.plot("spectrum", p, "Solid: eigenvalues, largest first; dashed: the fitted power laws over their ranges.");
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("digits", NdArray.vector(rd.eigenvalues()));
        arrays.put("sphere", NdArray.vector(b.sphere().eigenvalues()));
        for (Series s : b.sphereDims()) {
            arrays.put("sphere_d" + s.dim(), NdArray.vector(s.result().eigenvalues()));
        }
        for (Series s : b.digitsPca()) {
            arrays.put("digits_pca" + s.dim(), NdArray.vector(s.result().eigenvalues()));
        }
        if (b.digitsMoments().length > 0) {
            arrays.put("digits_second_moments", NdArray.vector(b.digitsMoments()));
        }
        rep.npz("spectrum.npz", arrays);
        return rep.npz("spectrum.npz", arrays);
    }

    /** The claim, what the run tests, the deviations from the claim's setting, the parameters and seed. */
    private static void describe(Report rep, Both b) {
        Result rd = b.digits();
        Result rs = b.sphere();
        rep.claim(CLAIM);
        rep.claim("Whether the eigenvalues of the limiting NTK's Gram matrix fall like i^−α with α > 1, on two data"
                + " distributions: MNIST digits and uniform points on a sphere. α is the least-squares slope of log λ_i"
                + " against log i over a stated index range, with its standard error; α counts as above (below) 1 when"
                + " it is more than two standard errors above (below). On the sphere S^{d−1} harmonic analysis gives"
                + " the exponent: the ReLU NTK's eigenvalue of spherical-harmonic degree k falls like k^−d (Bietti &"
                + " Mairal 2019) and degree k has multiplicity ∝ k^{d−2}, so λ_i ~ i^{−d/(d−1)}, which tends to 1 from"
                + " above as d grows; the series against dimension below measure what a finite fit range sees.");
        rep.deviation("the NTK of a one-hidden-layer ReLU network (eq. 6), inputs of norm 1, \"most data"
                + " distributions\", the kernel operator's eigenvalues", JacotNetworks.template(1)
                + ", infinite width; the eigenvalues of the Gram matrix Θ∞(X, X)/n of " + rd.n() + " digits and "
                + rs.n() + " sphere points, fitted over i in [" + rd.from() + ", " + rd.to() + "] and [" + rs.from()
                + ", " + rs.to() + "]");
        rep.deviation("no seed (a statement about a kernel)", "sphere points drawn with seed " + b.seed()
                + "; the digits are the first " + rd.n() + " of the training pool (no seed)");
        rep.param("architecture", JacotNetworks.template(1) + ", infinite width")
                .param("eigenvalues", "of the Gram matrix Θ∞(X, X)/n, largest first (LAPACK dsyev)")
                .param("fit", "least squares of log λ_i on log i over the stated index range; ± is the slope's"
                        + " regression standard error, which treats the eigenvalues' residuals as independent")
                .param("sphere", String.format(Locale.ROOT, "%d points uniform on S^%d ⊂ R^%d (seed %d)", rs.n(),
                        b.sphereDim() - 1, b.sphereDim(), b.seed()));
        rep.seeds(b.seed());
    }

    /** The headline fits on the digits and the sphere (summary, verdict, table, sentence). */
    private static void fits(Report rep, Both b) {
        Result rd = b.digits();
        Result rs = b.sphere();
        Estimate ad = rd.alphaEstimate();
        Estimate as = rs.alphaEstimate();
        double theory = sphereAlpha(b.sphereDim());
        rep.summary("n", rd.n())
                .summary("eigenvalues", java.util.Arrays.copyOf(rd.eigenvalues(), Math.min(SUMMARY_EIGENVALUES, rd.n())))
                .summary("alpha", rd.alpha()).summary("alpha_se", ad.se())
                .summary("fit_range", new int[] {rd.from(), rd.to()})
                .summary("fit_r2", rd.fit().r2()).summary("sphere_n", rs.n()).summary("sphere_d", b.sphereDim())
                .summary("sphere_alpha", rs.alpha()).summary("sphere_alpha_se", as.se())
                .summary("sphere_alpha_theory", theory)
                .summary("sphere_fit_range", new int[] {rs.from(), rs.to()}).summary("sphere_fit_r2", rs.fit().r2())
                .summary("pleiss_alpha_bound", PLEISS_ALPHA)
                .summary("digits_side", side(verdictAlpha(rd, b.digitSets())).name().toLowerCase(Locale.ROOT))
                .summary("sphere_side", side(verdictAlpha(rs, b.sphereSets())).name().toLowerCase(Locale.ROOT));
        rep.verdict(decide(b));
        List<List<Object>> rows = new ArrayList<>();
        Estimate vd = verdictAlpha(rd, b.digitSets());
        Estimate vs = verdictAlpha(rs, b.sphereSets());
        rows.add(List.of("MNIST digits", rd.n(), pm(ad), rd.from() + "–" + rd.to(),
                Report.num("fit_r2", rd.fit().r2(), "%.4f"), "> 1", "—", side(vd).words));
        rows.add(List.of("sphere S^" + (b.sphereDim() - 1), rs.n(), pm(as), rs.from() + "–" + rs.to(),
                Report.num("sphere_fit_r2", rs.fit().r2(), "%.4f"), "> 1", String.format(Locale.ROOT, "%.3f", theory),
                side(vs).words));
        rep.table("Power-law fits λ_i ≈ C·i^−α (± the slope's standard error)", List.of("data", "n", "α", "fit range (i)",
                "r² (log λ)", "paper (Pleiss §1.2)", "harmonic analysis", "α against 1 (the verdict's α)"), rows);
        rep.sentence("The fitted exponents: digits {alpha|%.3f}, sphere {sphere_alpha|%.3f} (standard errors"
                + " {alpha_se|%.2g} and {sphere_alpha_se|%.2g}).");
    }

    /** α on disjoint samples (these enter the verdict). */
    private static void samplesSection(Report rep, Both b) {
        Result rd = b.digits();
        Result rs = b.sphere();
        Estimate sd = verdictAlpha(rd, b.digitSets());
        Estimate ss = verdictAlpha(rs, b.sphereSets());
        Map<String, Object> sj = new LinkedHashMap<>();
        sj.put("digits", sd.json());
        sj.put("digits_values", b.digitSets().stream().mapToDouble(Result::alpha).toArray());
        sj.put("sphere", ss.json());
        sj.put("sphere_values", b.sphereSets().stream().mapToDouble(Result::alpha).toArray());
        rep.summary("alpha_samples", sj).summary("alpha_samples_mean", sd.mean()).summary("alpha_samples_se", sd.se())
                .summary("sphere_alpha_samples_mean", ss.mean()).summary("sphere_alpha_samples_se", ss.se());
        List<List<Object>> srows = new ArrayList<>();
        for (int j = 0; j < Math.max(b.digitSets().size(), b.sphereSets().size()); j++) {
            srows.add(List.of(j + 1, j < b.digitSets().size() ? pm(b.digitSets().get(j).alphaEstimate()) : "—",
                    j < b.sphereSets().size() ? pm(b.sphereSets().get(j).alphaEstimate()) : "—"));
        }
        srows.add(List.of("mean ± standard error over the samples", pm(sd), pm(ss)));
        rep.table(String.format(Locale.ROOT, "α on disjoint samples (digits: consecutive blocks of %d of the pool;"
                + " sphere: seeds %d..%d), fitted over the same ranges", rd.n(), b.seed(), b.seed()
                + b.sphereSets().size() - 1), List.of("sample", "digits α (± fit se)", "sphere α (± fit se)"), srows);
        rep.sentence("Over the samples: digits α = {alpha_samples_mean|%.3f} ± {alpha_samples_se|%.2g}, sphere α ="
                + " {sphere_alpha_samples_mean|%.3f} ± {sphere_alpha_samples_se|%.2g} (these enter the verdict).");
    }

    /** α against the fit range. */
    private static void windowsSection(Report rep, Both b) {
        Result rd = b.digits();
        Result rs = b.sphere();
        double theory = sphereAlpha(b.sphereDim());
        List<Map<String, Object>> wd = new ArrayList<>();
        List<Map<String, Object>> ws = new ArrayList<>();
        List<List<Object>> wrows = new ArrayList<>();
        List<double[]> wdPts = new ArrayList<>();
        List<double[]> wsPts = new ArrayList<>();
        int maxN = Math.max(rd.n(), rs.n());
        for (int[] w : windows(maxN)) {
            Estimate a1 = w[1] <= rd.n() ? rd.alphaOver(w[0], w[1]) : null;
            Estimate a2 = w[1] <= rs.n() ? rs.alphaOver(w[0], w[1]) : null;
            double mid = Math.sqrt((double) w[0] * w[1]);
            if (a1 != null) {
                wd.add(fitJson(a1, w[0], w[1]));
                wdPts.add(new double[] {mid, a1.mean()});
            }
            if (a2 != null) {
                ws.add(fitJson(a2, w[0], w[1]));
                wsPts.add(new double[] {mid, a2.mean()});
            }
            wrows.add(List.of(w[0] + "–" + w[1], a1 == null ? "—" : pm(a1) + " (" + side(a1).words + ")",
                    a2 == null ? "—" : pm(a2) + " (" + side(a2).words + ")"));
        }
        Map<String, Object> byWindow = new LinkedHashMap<>();
        byWindow.put("digits", wd);
        byWindow.put("sphere", ws);
        rep.summary("alpha_by_window", byWindow);
        rep.heading("α against the fit range");
        rep.table("α fitted over windows of indices [a, 4a]", List.of("window (i)", "digits α", "sphere S^"
                + (b.sphereDim() - 1) + " α"), wrows);
        rep.paragraph(windowSentence("digits", wd) + " " + windowSentence("sphere", ws));
        SvgPlot pw = new SvgPlot("Local exponent α against the fit window", "window centre √(a·4a)", "α").logX();
        addXY(pw, "MNIST digits", wdPts, 0);
        addXY(pw, "sphere S^" + (b.sphereDim() - 1), wsPts, 1);
        if (!wdPts.isEmpty() || !wsPts.isEmpty()) {
            double lo = 1;
            double hi = maxN;
            pw.line("Pleiss: α = 1", new double[] {lo, hi}, new double[] {1, 1}, "#000000", true, true);
            pw.line(String.format(Locale.ROOT, "harmonic analysis on S^%d: %.3f", b.sphereDim() - 1, theory),
                    new double[] {lo, hi}, new double[] {theory, theory}, SvgPlot.color(1), true, true);
        }
        rep.plot("spectrum-windows", pw, "Markers: α fitted over [a, 4a], plotted at the window's geometric centre.");
    }

    /** α against the number of points n. */
    private static void sizeSection(Report rep, Both b) {
        Result rd = b.digits();
        List<List<Object>> nrows = new ArrayList<>();
        Map<String, Object> byN = new LinkedHashMap<>();
        for (String set : new String[] {"digits", "sphere"}) {
            List<Map<String, Object>> nd = new ArrayList<>();
            for (Result x : set.equals("digits") ? b.digitsByN() : b.sphereByN()) {
                Map<String, Object> m = fitJson(x.alphaEstimate(), x.from(), x.to());
                m.put("n", x.n());
                nd.add(m);
                nrows.add(List.of(set, x.n(), x.from() + "–" + x.to(), pm(x.alphaEstimate())));
            }
            byN.put(set, nd);
        }
        rep.summary("alpha_by_n", byN);
        rep.heading("α against n");
        rep.table("The first n points of each set, fitted over [" + rd.from() + ", n/4]", List.of("data", "n",
                "fit range (i)", "α"), nrows);
        rep.paragraph(trendSentence("On the digits", b.digitsByN()) + " " + trendSentence("On the sphere",
                b.sphereByN()));
    }

    /** α against the input dimension (the sphere's d, the digits' principal axes). */
    private static void dimensionSection(Report rep, Both b) {
        Result rd = b.digits();
        Result rs = b.sphere();
        Estimate ad = rd.alphaEstimate();
        rep.heading("α against input dimension");
        List<List<Object>> drows = new ArrayList<>();
        List<Map<String, Object>> sj = new ArrayList<>();
        List<double[]> sPts = new ArrayList<>();
        for (Series s : b.sphereDims()) {
            Estimate a = s.result().alphaEstimate();
            Map<String, Object> m = fitJson(a, s.result().from(), s.result().to());
            m.put("d", s.dim());
            m.put("theory", sphereAlpha(s.dim()));
            sj.add(m);
            sPts.add(new double[] {s.dim(), a.mean()});
            drows.add(List.of("uniform on S^" + (s.dim() - 1) + " ⊂ R^" + s.dim(), s.dim(), pm(a),
                    String.format(Locale.ROOT, "%.3f", sphereAlpha(s.dim())), side(a).words));
        }
        List<Map<String, Object>> pj = new ArrayList<>();
        List<double[]> pPts = new ArrayList<>();
        for (Series s : b.digitsPca()) {
            Estimate a = s.result().alphaEstimate();
            Map<String, Object> m = fitJson(a, s.result().from(), s.result().to());
            m.put("k", s.dim());
            pj.add(m);
            pPts.add(new double[] {s.dim(), a.mean()});
            drows.add(List.of("digits on their top " + s.dim() + " principal axes", s.dim(), pm(a), "—",
                    side(a).words));
        }
        if (!b.digitsPca().isEmpty()) {
            pPts.add(new double[] {b.digitsMoments().length, rd.alpha()});
            drows.add(List.of("digits (all " + b.digitsMoments().length + " pixels)", b.digitsMoments().length,
                    pm(ad), "—", side(ad).words));
        }
        rep.summary("alpha_by_sphere_dim", sj).summary("alpha_by_pca_dim", pj);
        rep.table("n = " + rs.n() + " sphere points / " + rd.n() + " digits, fitted over [" + rs.from() + ", "
                + rs.to() + "]", List.of("inputs", "dimension", "α", "harmonic analysis d/(d − 1)", "α against 1"),
                drows);
        SvgPlot pd = new SvgPlot("α against input dimension", "dimension (d of the sphere, k principal axes)", "α")
                .logX();
        addXY(pd, "uniform sphere in R^d", sPts, 1);
        addXY(pd, "digits on k principal axes", pPts, 0);
        if (!sPts.isEmpty()) {
            double[] dx = sPts.stream().mapToDouble(p -> p[0]).toArray();
            pd.line("harmonic analysis d/(d − 1)", dx, java.util.Arrays.stream(dx).map(d -> d / (d - 1)).toArray(),
                    SvgPlot.color(1), true, true);
            pd.line("Pleiss: α = 1", new double[] {dx[0], Math.max(dx[dx.length - 1], b.digitsMoments().length)},
                    new double[] {1, 1}, "#000000", true, true);
        }
        rep.plot("spectrum-dimension", pd, "Markers: α over the stated fit range; dashed: the sphere's asymptotic"
                + " exponent and Pleiss' bound.");
        if (b.digitsMoments().length > 0) {
            double pr = participationRatio(b.digitsMoments());
            int d90 = holding(b.digitsMoments(), 0.9);
            int d99 = holding(b.digitsMoments(), 0.99);
            rep.summary("digits_participation_ratio", pr).summary("digits_dim_90", d90).summary("digits_dim_99", d99);
            rep.paragraph("The digits' dimension, from the eigenvalues of their second-moment matrix XᵀX/n:"
                    + " participation ratio (Σλ)²/Σλ² = %s; %s principal axes hold 90 % of Σλ, %s hold 99 %."
                    + " " + dimensionSentence(b), Report.num("digits_participation_ratio", pr, "%.1f"),
                    Report.num("digits_dim_90", d90, "%.0f"), Report.num("digits_dim_99", d99, "%.0f"));
        }
    }

    /** "On the digits α ranges from … over [a, b] to … over [c, d]; above 1 in k of m windows." */
    static String windowSentence(String what, List<Map<String, Object>> w) {
        if (w.isEmpty()) {
            return "";
        }
        Map<String, Object> lo = w.get(0);
        Map<String, Object> hi = w.get(0);
        int above = 0;
        for (Map<String, Object> m : w) {
            double a = (double) m.get("alpha");
            lo = a < (double) lo.get("alpha") ? m : lo;
            hi = a > (double) hi.get("alpha") ? m : hi;
            above += side(new Estimate(a, (double) m.get("alpha_se"), 2)) == Side.ABOVE ? 1 : 0;
        }
        return String.format(Locale.ROOT, "On the %s α runs from %.3f (i in [%d, %d]) to %.3f (i in [%d, %d]) and is"
                + " above 1 in %d of %d windows.", what, (double) lo.get("alpha"), (int) lo.get("from"),
                (int) lo.get("to"), (double) hi.get("alpha"), (int) hi.get("from"), (int) hi.get("to"), above, w.size());
    }

    /** Whether α rises or falls with n (the last against the first, by two combined standard errors). */
    static String trendSentence(String what, List<Result> byN) {
        if (byN.size() < 2) {
            return "";
        }
        Result first = byN.get(0);
        Result last = byN.get(byN.size() - 1);
        Estimate a0 = first.alphaEstimate();
        Estimate a1 = last.alphaEstimate();
        String trend = a1.aheadOf(a0) ? "rises" : a0.aheadOf(a1) ? "falls" : "does not change beyond two standard errors";
        return String.format(Locale.ROOT, "%s α %s from n = %d to n = %d (%.3f to %.3f).", what, trend, first.n(),
                last.n(), a0.mean(), a1.mean());
    }

    /** Where the sphere series and the digits' projections stand against 1, from the data. */
    static String dimensionSentence(Both b) {
        StringBuilder s = new StringBuilder();
        List<Integer> aboveS = new ArrayList<>();
        List<Integer> notS = new ArrayList<>();
        for (Series x : b.sphereDims()) {
            (side(x.result().alphaEstimate()) == Side.ABOVE ? aboveS : notS).add(x.dim());
        }
        if (!b.sphereDims().isEmpty()) {
            s.append("On the uniform spheres α is above 1 for d in ").append(aboveS.isEmpty() ? "none" : aboveS)
                    .append(" and not for d in ").append(notS.isEmpty() ? "none" : notS).append(". ");
        }
        List<Integer> aboveP = new ArrayList<>();
        List<Integer> notP = new ArrayList<>();
        for (Series x : b.digitsPca()) {
            (side(x.result().alphaEstimate()) == Side.ABOVE ? aboveP : notP).add(x.dim());
        }
        if (!b.digitsPca().isEmpty()) {
            s.append("The digits projected on k principal axes have α above 1 for k in ")
                    .append(aboveP.isEmpty() ? "none" : aboveP).append(" and not for k in ")
                    .append(notP.isEmpty() ? "none" : notP).append('.');
        }
        return s.toString().trim();
    }

    private static void addXY(SvgPlot p, String label, List<double[]> pts, int colour) {
        if (pts.isEmpty()) {
            return;
        }
        p.points(label, pts.stream().mapToDouble(q -> q[0]).toArray(), pts.stream().mapToDouble(q -> q[1]).toArray(),
                SvgPlot.color(colour));
    }

    /** A spectrum and its fit on a log-log plot. */
    public static void addSpectrum(SvgPlot p, String label, Result r, int colour) {
        double[] idx = new double[r.n()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i + 1;
        }
        p.line(label, idx, r.eigenvalues(), SvgPlot.color(colour), false, true);
        double[] fx = {r.from(), r.to()};
        double[] fy = {r.fit().at(r.from()), r.fit().at(r.to())};
        p.line(String.format(Locale.ROOT, "%s fit: α = %.3f ± %.3f", label, r.alpha(), r.fit().slopeSe()), fx, fy,
                SvgPlot.color(colour), true, true);
    }
}
