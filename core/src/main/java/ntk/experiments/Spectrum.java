package ntk.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ntk.BadInputException;
import ntk.data.Mnist;
import ntk.io.NdArray;
import ntk.kernels.KernelEngine;
import ntk.linalg.Linalg;

/**
 * The spectrum of the limiting NTK (Pleiss' lecture notes §1.2; Jacot et al. 2018 §5): the eigenvalues of the
 * Gram matrix Θ∞(X, X)/n of the depth-4 ReLU network (β = 0.1), largest first, on data, with a power law
 * λ_i ≈ C·i^−α fitted by least squares on log λ against log i over a stated range of indices. Gradient descent
 * fits the component along eigenvector i at the rate λ_i (e^{−λ_i t}), so a fast decay means the network learns
 * a few smooth directions first (spectral bias).
 *
 * <p>On the sphere S^{d−1} the NTK is a dot-product kernel whose eigenfunctions are the spherical harmonics; for
 * ReLU networks the eigenvalue of degree k decays like k^−d (Bietti &amp; Mairal 2019, Thm 4; Basri et al. 2019)
 * and degree k has multiplicity ∝ k^{d−2}, so the i-th largest eigenvalue decays like i^{−d/(d−1)}: α = 1.5 on
 * S² ⊂ R³. That case is the independent check of the fit; {@link #onSphere} computes it.
 */
public final class Spectrum implements Experiment {

    /** Eigenvalues λ of Θ∞(X,X)/n, fitted over i ∈ [from, to] (1-based); alpha = −slope. */
    public record Result(int n, double[] eigenvalues, int from, int to, LogLogFit fit) {
        public double alpha() {
            return -fit.slope();
        }
    }

    /**
     * The spectrum of n inputs x (row-major n×d), power law fitted over [from, to]. 0 &lt; from &lt; to ≤ n.
     */
    public static Result of(double[] x, int n, int d, int from, int to) {
        if (from < 1 || to > n || to - from < 2) {
            throw new BadInputException("spectrum: fit range [" + from + ", " + to + "] must lie in 1.." + n
                    + " and hold at least 3 eigenvalues");
        }
        double[] k = new KernelEngine().kernels(JacotNetworks.limit(1), x, n, null, 0, d, true).ntk();
        return ofKernel(k, n, from, to);
    }

    /** The same from a Gram matrix k (n×n, overwritten). */
    public static Result ofKernel(double[] k, int n, int from, int to) {
        double[] asc = Linalg.symmetricEigenvalues(k, n);
        double[] desc = new double[n];
        for (int i = 0; i < n; i++) {
            desc[i] = asc[n - 1 - i] / n;
        }
        return new Result(n, desc, from, to, LogLogFit.ofIndex(desc, from, to));
    }

    /** The theory's exponent on S^{d−1}: d/(d−1). */
    public static double sphereAlpha(int d) {
        return d / (d - 1.0);
    }

    /** n points uniform on S^{d−1} (seeded), fitted over [from, to]. */
    public static Result onSphere(int n, int d, int from, int to, long seed) {
        return of(Points.sphere(n, d, seed), n, d, from, to);
    }

    /** Both spectra of the experiment: MNIST digits and the sphere. */
    public record Both(Result digits, Result sphere, int sphereDim, long seed) {
    }

    /** Eigenvalues kept in summary.json (all of them go to spectrum.npz). */
    static final int SUMMARY_EIGENVALUES = 100;

    /** The claim this experiment tests (to be quoted from the paper). */
    static final PaperClaim CLAIM = null;

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
        return "The limiting NTK's spectrum (Pleiss' lecture notes §1.2) of the depth-4 ReLU network (β = 0.1): the"
                + " eigenvalues of Θ∞(X, X)/n on 1,000 MNIST digits (--full: 4,000) and on 1,000 uniform points of the"
                + " sphere S² (--full: 4,000), with a power law λ_i ~ i^−α fitted over i in [10, n/4]; on the sphere"
                + " harmonic analysis predicts α = d/(d − 1) = 1.5. Data: spectrum.npz (digits, sphere: all eigenvalues).";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("--n", null, "digits (default 1000; --full 4000)"),
                new Param("--sphere-n", null, "points on the sphere (default 1000; --full 4000)"),
                new Param("--sphere-d", "3", "ambient dimension d of the sphere S^{d−1}"),
                new Param("--from", "10", "first index of the power-law fit"),
                new Param("--to", null, "last index of the fit (default n/4)"));
    }

    @Override
    public Report run(Settings s, Progress progress) {
        int n = s.has("--n") ? s.integer("--n") : s.full() ? 4000 : 1000;
        int ns = s.has("--sphere-n") ? s.integer("--sphere-n") : s.full() ? 4000 : 1000;
        int sd = s.integer("--sphere-d");
        int from = s.integer("--from");
        if (sd < 2) {
            throw new BadInputException("--sphere-d must be >= 2, got " + sd);
        }
        Mnist.Split split = Mnist.split(s.data());
        if (n < 3 || n > split.train().n()) {
            throw new BadInputException("--n must be in 3.." + split.train().n() + ", got " + n);
        }
        int to = s.has("--to") ? s.integer("--to") : n / 4;
        int toSphere = s.has("--to") ? Math.min(s.integer("--to"), ns) : ns / 4;
        Mnist digits = split.train().head(n);
        long t0 = System.nanoTime();
        Result rd = of(Linearization.unitVariance(digits), n, digits.dim(), from, to);
        progress.log(String.format(Locale.ROOT, "%d digits: α = %.3f over [%d, %d] (%.1f s)", n, rd.alpha(), from, to,
                (System.nanoTime() - t0) * 1e-9));
        t0 = System.nanoTime();
        Result rs = onSphere(ns, sd, from, toSphere, s.seed());
        progress.log(String.format(Locale.ROOT, "%d points on S^%d: α = %.3f (theory %.3f) (%.1f s)", ns, sd - 1,
                rs.alpha(), sphereAlpha(sd), (System.nanoTime() - t0) * 1e-9));
        Report rep = render(new Both(rd, rs, sd, s.seed()));
        rep.param("digits", String.format(Locale.ROOT, "the first %d digits of the %s, each scaled to ‖x‖² = 784", n,
                split.source()));
        return rep;
    }

    /** The report: both spectra on log-log axes with their fits. */
    public static Report render(Both b) {
        Result rd = b.digits();
        Result rs = b.sphere();
        Report rep = new Report("spectrum", "The spectrum of the limiting NTK: a power law");
        rep.claim("Pleiss' lecture notes on the NTK, §1.2: the NTK's eigenvalues decay fast — like a power law — so"
                + " gradient descent, which fits the component along eigenvector i at the rate λ_i, learns a few smooth"
                + " directions first and the rest slowly (spectral bias). On the sphere S^{d−1} the ReLU NTK's eigenvalue"
                + " of spherical-harmonic degree k decays like k^−d (Bietti & Mairal 2019), which with the degree's"
                + " multiplicity ∝ k^{d−2} gives λ_i ~ i^{−d/(d−1)}.");
        rep.param("architecture", JacotNetworks.template(1) + ", infinite width")
                .param("eigenvalues", "of the Gram matrix Θ∞(X, X)/n, largest first (LAPACK dsyevd)")
                .param("fit", "least squares of log λ_i on log i over the stated index range")
                .param("sphere", String.format(Locale.ROOT, "%d points uniform on S^%d ⊂ R^%d (seed %d)", rs.n(),
                        b.sphereDim() - 1, b.sphereDim(), b.seed()));
        rep.seeds(b.seed());
        double theory = sphereAlpha(b.sphereDim());
        rep.summary("n", rd.n())
                .summary("eigenvalues", java.util.Arrays.copyOf(rd.eigenvalues(), Math.min(SUMMARY_EIGENVALUES, rd.n())))
                .summary("alpha", rd.alpha()).summary("fit_range", new int[] {rd.from(), rd.to()})
                .summary("fit_r2", rd.fit().r2()).summary("sphere_n", rs.n()).summary("sphere_d", b.sphereDim())
                .summary("sphere_alpha", rs.alpha()).summary("sphere_alpha_theory", theory)
                .summary("sphere_fit_range", new int[] {rs.from(), rs.to()}).summary("sphere_fit_r2", rs.fit().r2());
        boolean digitsPower = rd.alpha() > 0 && rd.fit().r2() >= 0.95;
        boolean sphereOk = Math.abs(rs.alpha() - theory) <= 0.15;
        rep.verdict(digitsPower && sphereOk ? Report.Verdict.SHOWN : digitsPower || sphereOk ? Report.Verdict.PARTLY
                : Report.Verdict.NOT_SHOWN, String.format(Locale.ROOT, "On %d MNIST digits the eigenvalues follow"
                + " λ_i ~ i^−%.3f over i in [%d, %d] (r² = %.4f of log λ); on the sphere S^%d α = %.3f against the"
                + " theory's %.3f (r² = %.4f).%s", rd.n(), rd.alpha(), rd.from(), rd.to(), rd.fit().r2(),
                b.sphereDim() - 1, rs.alpha(), theory, rs.fit().r2(), sphereOk ? "" : " The sphere's exponent is off"
                        + " the theory by more than 0.15: finite n blurs the harmonic blocks."));
        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of("MNIST digits", rd.n(), Report.num("alpha", rd.alpha(), "%.3f"), rd.from() + "–" + rd.to(),
                Report.num("fit_r2", rd.fit().r2(), "%.4f"), "> 0 (a power law)"));
        rows.add(List.of("sphere S^" + (b.sphereDim() - 1), rs.n(), Report.num("sphere_alpha", rs.alpha(), "%.3f"),
                rs.from() + "–" + rs.to(), Report.num("sphere_fit_r2", rs.fit().r2(), "%.4f"),
                String.format(Locale.ROOT, "%.3f", theory)));
        rep.table("Power-law fits λ_i ≈ C·i^−α", List.of("data", "n", "α", "fit range (i)", "r² (log λ)", "theory"), rows);
        List<List<Object>> top = new ArrayList<>();
        for (int i = 0; i < Math.min(5, rd.n()); i++) {
            top.add(List.of(i + 1, Report.num("eigenvalues/" + i, rd.eigenvalues()[i])));
        }
        rep.table("Largest eigenvalues on the digits (the first is the nearly constant component)", List.of("i", "λ_i"),
                top);
        SvgPlot p = new SvgPlot("Eigenvalues of Θ∞(X, X)/n", "index i", "λ_i").logX().logY().floor(1e-14);
        addSpectrum(p, "MNIST digits", rd, 0);
        addSpectrum(p, "sphere S^" + (b.sphereDim() - 1), rs, 1);
        rep.plot("spectrum", p, "Solid: eigenvalues, largest first; dashed: the fitted power laws over their ranges.");
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("digits", NdArray.vector(rd.eigenvalues()));
        arrays.put("sphere", NdArray.vector(rs.eigenvalues()));
        rep.npz("spectrum.npz", arrays);
        return rep;
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
        p.line(String.format(Locale.ROOT, "%s fit: α = %.3f", label, r.alpha()), fx, fy, SvgPlot.color(colour), true,
                true);
    }
}
