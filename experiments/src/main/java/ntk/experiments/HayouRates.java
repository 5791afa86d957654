package ntk.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import ntk.activations.Activation;
import ntk.meanfield.ArchKind;
import ntk.meanfield.DepthAnalysis;
import ntk.meanfield.DepthSamples;
import ntk.meanfield.MeanField;
import ntk.meanfield.Phase;

/**
 * The rate tests of hayou-fig1 (issue 18): each family's distance to its mean-field limit at depths up to
 * {@code deepDepth} from one engine pass ({@link DepthAnalysis#sample}), reduced to one fitted number with its standard
 * error and the value or sign the paper's rate predicts for it.
 *
 * <p>Edge of chaos and ResNets (the paper: Θ(L⁻¹) for ReLU-like φ and ResNets, Θ(log(L)L⁻¹) for class S). With
 * e_L the signed distance of the normalised NTK to its limit, the two rates differ in whether L·e_L tends to a
 * constant (1/L) or grows like A·log L (log(L)/L): the statistic is the slope A of L·e_L against log L (least squares
 * over the window [deepDepth/100, deepDepth]). The log factor counts as present when |A| exceeds two standard errors
 * AND 1 % of the mean |L·e_L| per e-fold of depth (so that an O(1/L) remainder of a 1/L curve, fitted by a line in
 * log L, does not count as a log factor).
 *
 * <p>Ordered phase (Prop. 2: e^{−γL}): the distance from the constant limit λ = q* / (1 − χ₁) on one pair of inputs,
 * fitted as log(d_L/L^p) = a − γL over the depths where 10⁻⁷ ≤ d_L/λ ≤ 10⁻³ for φ' jumping, 10⁻¹¹..10⁻⁵ for smooth φ (deep enough for the asymptote, above
 * rounding). Predicted γ from χ₁: −log χ₁ with p = 1 for smooth φ (the forcing Σ̇^l − χ₁ ∝ 1 − c^l ∝ χ₁^l meets the
 * recursion's own factor χ₁: resonance, d ∝ Lχ₁^L); −½ log χ₁ with p = 0 when φ' jumps (Relu: Σ̇^l − χ₁ ∝
 * √(1 − c^l) ∝ χ₁^{L/2} dominates). Agreement: within two standard errors plus 3 % of the prediction.
 * Chaotic phase: the NTK's correlation ρ_L → 0, fitted as log ρ_L = a − γL where 10⁻⁴⁰ ≤ ρ_L ≤ 10⁻¹⁵ (past the transient; ρ is a ratio of resolved numbers); predicted
 * γ = log χ₁ − max(0, log χ_{c*}) (Θ(x, x) grows like χ₁^L, Θ(x, x') like max(1, χ_{c*})^L).
 *
 * <p>Scaled ResNets (Prop. 3: Θ(1/log L)): 1/d_L against log L has a positive slope b (d_L ≈ 1/(a + b log L));
 * shown when b exceeds two standard errors and 1 % of the mean 1/d_L per e-fold.
 */
final class HayouRates {
    private HayouRates() {
    }

    /**
     * One rate test. {@code test}: "equals" (value within 2·se + tolerance·|predicted| of predicted), "zero" (the log
     * factor absent: not "nonzero"), "nonzero" (|value| &gt; 2·se and |value| &gt; tolerance·level), "positive"
     * (value &gt; 2·se and value &gt; tolerance·level). {@code inVerdict}: false for the checks of where this project's
     * limits differ from the paper's statements (shown, not part of the paper's claim).
     */
    public record RateCheck(String key, String family, String paperRate, String statistic, String test, double value,
            double se, double predicted, double tolerance, double level, int points, int from, int to,
            boolean inVerdict, double curvature, double curvatureSe) {

        /** Fewer than this many depths in the window: undecided (not shown at this size). */
        static final int MIN_POINTS = 5;

        public boolean decided() {
            return points >= MIN_POINTS && Double.isFinite(value) && Double.isFinite(se);
        }

        /** Whether the paper's rate holds by this check (false when undecided). */
        public boolean passes() {
            if (!decided()) {
                return false;
            }
            boolean nonzero = Math.abs(value) > 2 * se && Math.abs(value) > tolerance * Math.abs(level);
            return switch (test) {
                case "equals" -> Math.abs(value - predicted) <= 2 * se + tolerance * Math.abs(predicted);
                case "zero" -> !nonzero;
                // log(L)/L: L·e_L linear in log L — the slopes over the two halves of the window agree within two
                // standard errors plus 10 % (L·e_L ∝ √L, say, fails this)
                case "nonzero" -> nonzero && !(Math.abs(curvature) > 2 * curvatureSe + 0.1 * Math.abs(value));
                case "positive" -> nonzero && value > 0;
                default -> throw new IllegalArgumentException(test);
            };
        }

        /** This check with another value and standard error (for tests and what-ifs). */
        public RateCheck with(double v, double s) {
            return new RateCheck(key, family, paperRate, statistic, test, v, s, predicted, tolerance, level, points, from,
                    to, inVerdict, curvature, curvatureSe);
        }
    }

    /** The ReLU ResNet weight scales and the scaled ResNets' (as panel (c)). */
    static final double[] RESNET_SIGMAS = HayouFig1.RESNET_SIGMAS;

    static List<RateCheck> compute(HayouFig1.Config c, List<HayouFig1.Family> families, Progress progress) {
        List<RateCheck> out = new ArrayList<>();
        int deep = c.deepDepth();
        if (c.n() < 2 || deep < 10) {
            return out;
        }
        double[] x2 = new double[2 * c.d()];
        System.arraycopy(c.x(), 0, x2, 0, 2 * c.d());
        int[] deepDepths = DepthAnalysis.logSpaced(deep, 20);
        int lo = Math.max(2, deep / 100);
        try (Progress.Task t = progress.task("rate tests to L = " + deep, families.size())) {
            for (HayouFig1.Family f : families) {
                long t0 = System.nanoTime();
                RateCheck r = switch (f.phase()) {
                    case "EOC", "ResNet" -> logFactor(f, x2, c.d(), deepDepths, lo);
                    case "ordered" -> ordered(f, x2, c.d());
                    case "chaotic" -> chaotic(f, x2, c.d(), out);
                    default -> scaled(f, x2, c.d(), deepDepths, lo);
                };
                out.add(r);
                t.step();
                progress.log(String.format(Locale.ROOT, "%-50s %s = %.4g ± %.2g (%.1f s)", f.name(), r.statistic(),
                        r.value(), r.se(), (System.nanoTime() - t0) * 1e-9));
            }
        }
        return out;
    }

    /** Signal length of the CNN families' inputs. */
    static final int SIGNAL_LENGTH = 8;

    /**
     * The two inputs of a CNN family: signals of length 8, one channel, √2 cos(2πp/8 + a) at a = 0 and 0.5 (|x(p)|²
     * averages 1 per position) — the dense families' circle points turned along positions.
     */
    static double[] signals() {
        double[] s = new double[2 * SIGNAL_LENGTH];
        double[] a = {0, 0.5};
        for (int i = 0; i < 2; i++) {
            for (int p = 0; p < SIGNAL_LENGTH; p++) {
                s[i * SIGNAL_LENGTH + p] = Math.sqrt(2) * Math.cos(2 * Math.PI * p / SIGNAL_LENGTH + a[i]);
            }
        }
        return s;
    }

    /** The family's kernels at the depths on two inputs: x (flat, width d) or, for a CNN family, {@link #signals}. */
    static DepthSamples sample(HayouFig1.Family f, int[] depths, double[] x, int d) {
        if (f.kind().convolutional()) {
            return DepthAnalysis.sample(f.act(), f.sigmaW(), f.sigmaB(), f.kind(), depths, signals(), 2,
                    ntk.Shape.signal(SIGNAL_LENGTH, 1));
        }
        return DepthAnalysis.sample(f.act(), f.sigmaW(), f.sigmaB(), f.kind(), depths, x, 2, d);
    }

    /** The off-diagonal limit of the normalised NTK on the pair (x0, x1), as {@link DepthAnalysis} defines it. */
    static double limit(HayouFig1.Family f, DepthSamples s) {
        if (!f.kind().plain()) {
            return 0.25; // the NTK's correlation of a Relu ResNet, plain or scaled, dense or convolutional
        }
        MeanField mf = MeanField.analyse(f.act(), f.sigmaW(), f.sigmaB(), s.nngp()[0][0]);
        double a = DepthAnalysis.derivativeJumpsAtZero(f.act()) ? 3 : 2;
        double q = mf.fixedPoint().kind() == ntk.meanfield.VarianceFixedPoint.Kind.EVERY_Q
                ? Math.sqrt(s.nngp()[0][0] * s.nngp()[0][3]) : mf.qStar();
        return q / (1 + a);
    }

    /** The normalised off-diagonal NTK at sample k: Θ/L on the EOC, the NTK's correlation for ResNets. */
    static double normalised(HayouFig1.Family f, DepthSamples s, int k) {
        return f.kind().plain() ? s.ntk(k, 0, 1) / s.depths()[k] : s.ntkCorrelation(k, 0, 1);
    }

    private static RateCheck logFactor(HayouFig1.Family f, double[] x, int d, int[] depths, int lo) {
        DepthSamples s = sample(f, depths, x, d);
        double lim = limit(f, s);
        List<double[]> pts = new ArrayList<>();
        for (int k = 0; k < depths.length; k++) {
            if (depths[k] >= lo) {
                double l = depths[k];
                pts.add(new double[] {Math.log(l), l * (normalised(f, s, k) - lim)});
            }
        }
        LineFit fit = fit(pts);
        LineFit first = fit(pts.subList(0, pts.size() / 2));
        LineFit second = fit(pts.subList(pts.size() / 2, pts.size()));
        double level = pts.stream().mapToDouble(p -> Math.abs(p[1])).average().orElse(Double.NaN);
        boolean log = f.phase().equals("EOC") && !DepthAnalysis.derivativeJumpsAtZero(f.act());
        return new RateCheck(f.key(), f.name(), log ? "Θ(log(L)/L)" : "Θ(1/L)", "A (slope of L·e_L against log L)",
                log ? "nonzero" : "zero", fit.slope(), fit.slopeSe(), log ? Double.NaN : 0.0, 0.01, level, pts.size(), lo,
                depths[depths.length - 1], true, second.slope() - first.slope(),
                Math.hypot(first.slopeSe(), second.slopeSe()));
    }

    private static RateCheck scaled(HayouFig1.Family f, double[] x, int d, int[] depths, int lo) {
        DepthSamples s = sample(f, depths, x, d);
        List<double[]> pts = new ArrayList<>();
        for (int k = 0; k < depths.length; k++) {
            double e = Math.abs(normalised(f, s, k) - 0.25);
            if (depths[k] >= lo && e > 0) {
                pts.add(new double[] {Math.log(depths[k]), 1 / e});
            }
        }
        LineFit fit = fit(pts);
        double level = pts.stream().mapToDouble(p -> p[1]).average().orElse(Double.NaN);
        return new RateCheck(f.key(), f.name(), "Θ(1/log L)", "b (slope of 1/d_L against log L)", "positive",
                fit.slope(), fit.slopeSe(), Double.NaN, 0.01, level, pts.size(), lo, depths[depths.length - 1], true,
                Double.NaN, Double.NaN);
    }

    /** Every depth 1..n. */
    private static int[] upTo(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i + 1;
        }
        return a;
    }

    private static RateCheck ordered(HayouFig1.Family f, double[] x, int d) {
        int[] depths = upTo(400);
        DepthSamples s = sample(f, depths, x, d);
        MeanField mf = MeanField.analyse(f.act(), f.sigmaW(), f.sigmaB(), s.nngp()[0][0]);
        double lam = mf.qStar() / (1 - mf.chi1());
        boolean jumps = DepthAnalysis.derivativeJumpsAtZero(f.act());
        List<double[]> pts = new ArrayList<>();
        for (int k = 0; k < depths.length; k++) {
            double dist = Math.abs(s.ntk(k, 0, 1) - lam);
            // φ' jumping: √(1 − c^l) reaches rounding (1 − c = 0 in doubles) near d ≈ 1e-8·λ, so stop at 1e-7; smooth
            // φ: the distance is resolved to ~1e-13, so the window goes deeper, past the transient
            if (jumps ? dist <= 1e-3 * lam && dist >= 1e-7 * lam : dist <= 1e-5 * lam && dist >= 1e-11 * lam) {
                pts.add(new double[] {depths[k], Math.log(dist) - (jumps ? 0 : Math.log(depths[k]))});
            }
        }
        LineFit fit = fit(pts);
        double pred = -Math.log(mf.chi1()) * (jumps ? 0.5 : 1.0);
        return new RateCheck(f.key(), f.name(), "e^{−γL}", jumps ? "γ (fit of log d_L against L)"
                : "γ (fit of log(d_L/L) against L)", "equals", -fit.slope(), fit.slopeSe(), pred, 0.03, Double.NaN,
                pts.size(), pts.isEmpty() ? 0 : (int) pts.get(0)[0], pts.isEmpty() ? 0 : (int) pts.get(pts.size() - 1)[0],
                true, Double.NaN, Double.NaN);
    }

    private static RateCheck chaotic(HayouFig1.Family f, double[] x, int d, List<RateCheck> out) {
        int[] depths = upTo(400);
        DepthSamples s = sample(f, depths, x, d);
        MeanField mf = MeanField.analyse(f.act(), f.sigmaW(), f.sigmaB(), s.nngp()[0][0]);
        List<double[]> pts = new ArrayList<>();
        List<double[]> diag = new ArrayList<>();
        for (int k = 0; k < depths.length; k++) {
            double rho = Math.abs(s.ntkCorrelation(k, 0, 1));
            if (rho <= 1e-15 && rho >= 1e-40) {
                pts.add(new double[] {depths[k], Math.log(rho)});
                diag.add(new double[] {depths[k], s.logNtk(k, 0, 0)});
            }
        }
        LineFit fit = fit(pts);
        LineFit grow = fit(diag);
        int from = pts.isEmpty() ? 0 : (int) pts.get(0)[0];
        int to = pts.isEmpty() ? 0 : (int) pts.get(pts.size() - 1)[0];
        // Prop. 2 says K^L → λ in the chaotic phase too; the diagonal grows like χ₁^L instead (shown, not in the verdict)
        out.add(new RateCheck(f.key() + "_diagonal_growth", f.name(), "K^L(x, x) → λ (Prop. 2)",
                "growth rate of log K^L(x, x) against L", "equals", grow.slope(), grow.slopeSe(), Math.log(mf.chi1()), 0.03,
                Double.NaN, diag.size(), from, to, false, Double.NaN, Double.NaN));
        double pred = Math.log(mf.chi1()) - Math.max(0, Math.log(mf.chiC()));
        return new RateCheck(f.key(), f.name(), "e^{−γL} (of the NTK's correlation)", "γ (fit of log ρ_L against L)",
                "equals", -fit.slope(), fit.slopeSe(), pred, 0.03, Double.NaN, pts.size(), from, to, true, Double.NaN,
                Double.NaN);
    }

    private static LineFit fit(List<double[]> pts) {
        if (pts.size() < 3) {
            return new LineFit(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, pts.size());
        }
        double[] xs = pts.stream().mapToDouble(p -> p[0]).toArray();
        double[] ys = pts.stream().mapToDouble(p -> p[1]).toArray();
        return LineFit.of(xs, ys);
    }

    /**
     * Relu on the edge of chaos (σ_w² = 2, σ_b = 0), off-diagonal NTK Θ^L(x, x')/L at the given depths, computed
     * from 1 − c (not from c, whose difference to 1 loses digits as 1 − c ≈ 9π²/(2L²) shrinks): with u = √((1 − c)/2),
     * θ = arccos c = 2 asin u, f'(c) = 1 − θ/π and 1 − f(c) = (π(1 − c) + 2g(u) − θ(1 − c))/π, g(u) = asin u − u√(1 − u²)
     * (a series for small u). q = √(q_x q_x'), c1 the inputs' correlation. The independent check of the engine's
     * double-precision kernels at large depth (test: it matches a 40-digit mpmath recursion).
     */
    static double[] reluEocReference(double q, double c1, int[] depths) {
        double gamma = 1 - c1;
        double theta = q * c1;
        double[] out = new double[depths.length];
        int k = 0;
        for (int l = 1; l <= depths[depths.length - 1]; l++) {
            if (l == depths[k]) {
                out[k++] = theta / l;
            }
            double u = Math.sqrt(gamma / 2);
            double th = 2 * Math.asin(u);
            double g = u < 0.05 ? u * u * u * (2.0 / 3 + u * u * (1.0 / 5 + u * u * (3.0 / 28 + u * u * (5.0 / 72
                    + u * u * 35.0 / 704)))) : Math.asin(u) - u * Math.sqrt(1 - u * u);
            double oneMinusF = (Math.PI * gamma + 2 * g - th * gamma) / Math.PI;
            double fp = 1 - th / Math.PI;
            theta = theta * fp + q * (1 - oneMinusF);
            gamma = oneMinusF;
        }
        return out;
    }
}
