package ntk.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ntk.BadInputException;
import ntk.KernelKind;
import ntk.data.Mnist;
import ntk.dynamics.KernelPca;
import ntk.finite.FiniteNetwork;
import ntk.protocol.Params;
import ntk.finite.Trainer;
import ntk.io.NdArray;
import ntk.kernels.KernelEngine;
import ntk.model.KernelRegressor;

/**
 * Jacot, Gabriel &amp; Hongler 2018, §6 "Convergence along a principal component" and Fig. 3: the kernel
 * principal components of a batch of N digits with respect to the limiting NTK Θ∞ of the depth-4 ReLU network
 * (β = 0.1), and networks of several widths trained from their own initial function f₀ towards
 * f* = f₀ + ½f⁽²⁾, f⁽²⁾ the second component. In the limit the residual f_t − f* = −½e^{−λ₂t}f⁽²⁾ moves
 * along a straight line and decays at the rate λ₂.
 *
 * <p>Conventions: functions on the batch carry the paper's p_in norm ‖f‖² = (1/N)Σf(xᵢ)², so f⁽ⁱ⁾ = √N·vᵢ
 * with vᵢ the unit eigenvector of the Gram matrix K = Θ∞(X, X) of eigenvalue Λᵢ; the paper's operator
 * eigenvalue is λᵢ = Λᵢ/N, which is also the decay rate under the project's loss 1/(2N)Σ(f − y)²
 * (cli-contract.md: f_t − Y = e^{−tK/N}(f₀ − Y)). Time is t = η·step. At each record the residual
 * r_t = f_t − f* is split into g_t = ⟨r_t, f⁽²⁾⟩ (−½e^{−λ₂t} in the limit) and h_t = r_t − g_t f⁽²⁾ (0 in the
 * limit). {@code pc2RateMeasured}[w] is the mean over seeds of the least-squares slope of −log|g_t| against t;
 * {@code lineDeviation}[w] the root mean square over seeds of max_t ‖h_t‖/‖r_0‖ (‖r_0‖ = ½).
 */
public final class JacotFig3 implements Experiment {

    /**
     * x: N inputs (row-major N×d) as the network sees them; labels (may be null) only colour the plots;
     * widths, seeds per width (parameter seeds {@code seed}, {@code seed}+1, …); the learning rate is
     * {@code stepScale}·N/Λ₁ (so one step moves the first component by the factor 1 − stepScale) and training
     * lasts until λ₂t = {@code decayTimes}; {@code records} records along the way.
     */
    public record Config(double[] x, int n, int d, int[] labels, int[] widths, int seeds, double stepScale,
            double decayTimes, int records, long seed) {
        public Config {
            if (n < 4 || d < 1 || x.length != (long) n * d) {
                throw new BadInputException("jacot-fig3 needs at least 4 inputs of dimension d, got " + n + "×" + d);
            }
            if (widths.length == 0 || seeds < 1 || !(stepScale > 0 && stepScale < 2) || !(decayTimes > 0)
                    || records < 3) {
                throw new BadInputException("jacot-fig3 needs widths, seeds >= 1, 0 < step scale < 2, decay > 0,"
                        + " records >= 3");
            }
        }

        /** Gradient-descent steps for Λ₁ and Λ₂ (eigenvalues of K). */
        int steps(double lambda1, double lambda2) {
            return (int) Math.ceil(decayTimes * lambda1 / (stepScale * lambda2));
        }
    }

    /**
     * eigenvalues: the top {@link #TOP} eigenvalues of K/N (the paper's λᵢ), descending; components: the first
     * three components f⁽¹⁾, f⁽²⁾, f⁽³⁾ on the batch (3×N, p_in-unit); learningRate, steps; time (records,);
     * g[w][s] and h[w][s] (records,) per width and seed; pc2RateTheory = λ₂ (gradient flow) and
     * pc2RateDiscrete = −log(1 − ηλ₂)/η (what η-steps give in the limit); pc2RateMeasured, lineDeviation per width.
     */
    public record Result(Config config, double[] eigenvalues, double[][] components, double learningRate, int steps,
            double[] time, double[][][] g, double[][][] h, double pc2RateTheory, double pc2RateDiscrete,
            double[] pc2RateMeasured, double[] lineDeviation) {
    }

    /** How many eigenvalues the result keeps. */
    public static final int TOP = 10;

    /** The science: the limit's components, then each width's networks trained towards f₀ + ½f⁽²⁾. */
    public static Result compute(Config c, Progress progress) {
        int n = c.n();
        ntk.arch.Network limit = JacotNetworks.limit(1);
        KernelPca pca = new KernelRegressor(limit, KernelKind.NTK)
                .components(new KernelEngine().kernels(limit, c.x(), n, null, 0, c.d(), true), null);
        double[] top = new double[Math.min(TOP, n)];
        for (int i = 0; i < top.length; i++) {
            top[i] = pca.eigenvalue(i) / n;
        }
        double[][] comps = new double[3][];
        for (int i = 0; i < 3; i++) {
            comps[i] = pca.eigenvector(i);
            orient(comps[i]);
            for (int j = 0; j < n; j++) {
                comps[i][j] *= Math.sqrt(n);
            }
        }
        double[] f2 = comps[1];
        double eta = c.stepScale() / top[0];
        int steps = c.steps(top[0], top[1]);
        int every = Math.max(1, steps / (c.records() - 1));
        // records need only the outputs: no kernel change or linearisation gap (kernelProbe 0)
        Trainer.Config tc = Trainer.Config.gradientDescent(steps, eta).recordEvery(every).kernelProbe(0).build();
        double[] time = null;
        int nw = c.widths().length;
        double[][][] g = new double[nw][c.seeds()][];
        double[][][] h = new double[nw][c.seeds()][];
        double[] rate = new double[nw];
        double[] line = new double[nw];
        progress.log(String.format(Locale.ROOT, "limiting NTK on %d inputs: λ₁ = %.4g, λ₂ = %.4g, λ₃ = %.4g; %d steps of"
                + " η = %.4g", n, top[0], top[1], top[2], steps, eta));
        try (Progress.Task task = progress.task("training networks", (long) nw * c.seeds() * steps)) {
            for (int w = 0; w < nw; w++) {
                long t0 = System.nanoTime();
                FiniteNetwork net = JacotNetworks.finite(c.widths()[w], 1, c.d());
                Trainer trainer = new Trainer(net);
                double sumRate = 0;
                double sumLine = 0;
                for (int s = 0; s < c.seeds(); s++) {
                    Params p0 = net.init(c.seed() + s);
                    double[] f0 = net.forward(p0, c.x(), n).out();
                    double[] target = new double[n];
                    for (int j = 0; j < n; j++) {
                        target[j] = f0[j] + 0.5 * f2[j]; // f* = f₀ + ½f⁽²⁾
                    }
                    Trainer.Result r = trainer.train(p0, c.x(), n, target, c.x(), n, tc, st -> task.step());
                    if (r.divergedAt() >= 0) {
                        throw new BadInputException("jacot-fig3: width " + c.widths()[w] + ", seed " + (c.seed() + s)
                                + " diverged at step " + r.divergedAt() + " (learning rate " + eta + ")");
                    }
                    int rec = r.records();
                    time = new double[rec];
                    g[w][s] = new double[rec];
                    h[w][s] = new double[rec];
                    double maxH = 0;
                    for (int t = 0; t < rec; t++) {
                        time[t] = eta * r.step()[t];
                        double[] f = r.testOut()[t];
                        double gt = 0;
                        for (int j = 0; j < n; j++) {
                            gt += (f[j] - target[j]) * f2[j];
                        }
                        gt /= n; // ⟨r, f⁽²⁾⟩ in the p_in inner product
                        double hh = 0;
                        for (int j = 0; j < n; j++) {
                            double e = f[j] - target[j] - gt * f2[j];
                            hh += e * e;
                        }
                        g[w][s][t] = gt;
                        h[w][s][t] = Math.sqrt(hh / n);
                        maxH = Math.max(maxH, h[w][s][t]);
                    }
                    sumRate += decayRate(time, g[w][s]);
                    double dev = maxH / 0.5;
                    sumLine += dev * dev;
                }
                rate[w] = sumRate / c.seeds();
                line[w] = Math.sqrt(sumLine / c.seeds());
                progress.log(String.format(Locale.ROOT, "width %-6d %d networks: decay rate along f⁽²⁾ %.4g (limit %.4g),"
                        + " deviation from the line %.3g (%.1f s)", c.widths()[w], c.seeds(), rate[w], top[1], line[w],
                        (System.nanoTime() - t0) * 1e-9));
            }
        }
        double discrete = -Math.log1p(-eta * top[1]) / eta;
        return new Result(c, top, comps, eta, steps, time, g, h, top[1], discrete, rate, line);
    }

    /** Least-squares slope of −log|g| against t (the exponential decay rate of g). */
    static double decayRate(double[] t, double[] g) {
        double st = 0;
        double sy = 0;
        double stt = 0;
        double sty = 0;
        int m = 0;
        for (int i = 0; i < t.length; i++) {
            if (g[i] != 0) {
                double y = Math.log(Math.abs(g[i]));
                st += t[i];
                sy += y;
                stt += t[i] * t[i];
                sty += t[i] * y;
                m++;
            }
        }
        return -(m * sty - st * sy) / (m * stt - st * st);
    }

    /** Fixes an eigenvector's sign (LAPACK's is arbitrary): its largest-magnitude entry positive. */
    private static void orient(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (Math.abs(v[i]) > Math.abs(v[best])) {
                best = i;
            }
        }
        if (v[best] < 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] = -v[i];
            }
        }
    }

    /** The paper's batch size N. */
    public static final int PAPER_N = 512;

    /** The claim this experiment tests (to be quoted from the paper). */
    static final PaperClaim CLAIM = null;

    @Override
    public PaperClaim claim() {
        return CLAIM;
    }

    @Override
    public String name() {
        return "jacot-fig3";
    }

    @Override
    public boolean readsData() {
        return true;
    }

    @Override
    public String description() {
        return "Jacot, Gabriel & Hongler's Fig. 3: the first kernel principal components of N = 512 MNIST digits"
                + " (pixels in [0, 1]) under the limiting NTK of the depth-4 ReLU network (β = 0.1), and networks of"
                + " widths 100 and 1,000 (--full adds 10,000), two per width, trained from their own f₀ towards"
                + " f₀ + ½f⁽²⁾: the deviation from the straight line and the decay along f⁽²⁾ against e^{−λ₂t}."
                + " Data: jacot-fig3.npz (eigenvalues, components (3, N), labels, time, width_<w>/g and width_<w>/h"
                + " (seeds, records)).";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("--n", Integer.toString(PAPER_N), "digits in the batch (the paper: 512)"),
                new Param("--widths", null, "hidden widths (default 100,1000; --full 100,1000,10000 as the paper)"),
                new Param("--seeds", "2", "networks per width (the paper: 2)"),
                new Param("--decay", "2", "train until λ₂t reaches this (the residual along f⁽²⁾ falls by e^−decay)"),
                new Param("--step-scale", "0.5", "learning rate η = step-scale/λ₁"));
    }

    @Override
    public Report run(Settings s, Progress progress) {
        int n = s.integer("--n");
        Mnist.Split split = Mnist.split(s.data());
        if (n < 4 || n > split.train().n()) {
            throw new BadInputException("--n must be in 4.." + split.train().n() + ", got " + n);
        }
        Mnist digits = split.train().head(n);
        int[] widths = s.has("--widths") ? s.integers("--widths")
                : s.full() ? new int[] {100, 1_000, 10_000} : new int[] {100, 1_000};
        Config c = new Config(digits.x(), n, digits.dim(), digits.labels(), widths, s.integer("--seeds"),
                s.number("--step-scale"), s.number("--decay"), 25, s.seed());
        Report rep = render(compute(c, progress));
        rep.param("data", "the first " + n + " digits of the " + split.source() + ", pixels in [0, 1]");
        return rep;
    }

    /** The report: the components, the line deviation and the decay along f⁽²⁾ per width. */
    public static Report render(Result r) {
        Config c = r.config();
        int nw = c.widths().length;
        Report rep = new Report("jacot-fig3", "Convergence along a principal component (Jacot et al., Fig. 3)");
        rep.claim("Jacot, Gabriel & Hongler (NeurIPS 2018), §5–6 and Fig. 3: under the limiting NTK, gradient descent"
                + " fits the kernel principal components independently, the i-th at the rate λ_i; a network trained"
                + " towards f* = f₀ + ½f⁽²⁾ (f⁽²⁾ the 2nd component) therefore converges along a straight line, its"
                + " residual decaying like ½e^{−λ₂t}. Fig. 3 (N = 512 MNIST digits, widths 100, 1,000 and 10,000, two"
                + " networks each): the wider the network, the less it deviates from the line and the closer its decay"
                + " is to e^{−λ₂t}; narrower networks converge slightly faster.");
        rep.param("architecture", JacotNetworks.template(1)).param("widths", java.util.Arrays.toString(c.widths()))
                .param("networks per width", c.seeds()).param("N", c.n())
                .param("training", String.format(Locale.ROOT, "%d steps of full-batch gradient descent, η = %.4g (η λ₁ ="
                        + " %s), until λ₂t = %s; loss 1/(2N) Σ (f(x_i) − f*(x_i))²", r.steps(), r.learningRate(),
                        c.stepScale(), c.decayTimes()))
                .param("inner product", "⟨f, g⟩ = (1/N) Σ f(x_i) g(x_i) (the paper's p_in); eigenvalues λ_i of"
                        + " Θ∞(X, X)/N, so the rate along component i is λ_i");
        long[] seeds = new long[c.seeds()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = c.seed() + i;
        }
        rep.seeds(seeds);
        rep.summary("n", c.n()).summary("eigenvalues", r.eigenvalues()).summary("widths", c.widths())
                .summary("pc2_rate_theory", r.pc2RateTheory()).summary("pc2_rate_discrete", r.pc2RateDiscrete())
                .summary("pc2_rate_measured", r.pc2RateMeasured()).summary("line_deviation", r.lineDeviation())
                .summary("learning_rate", r.learningRate()).summary("steps", r.steps());
        int narrow = 0;
        int wide = 0;
        for (int w = 0; w < nw; w++) {
            narrow = c.widths()[w] < c.widths()[narrow] ? w : narrow;
            wide = c.widths()[w] > c.widths()[wide] ? w : wide;
        }
        double th = r.pc2RateDiscrete();
        double errWide = Math.abs(r.pc2RateMeasured()[wide] / th - 1);
        double errNarrow = Math.abs(r.pc2RateMeasured()[narrow] / th - 1);
        boolean lineShown = r.lineDeviation()[wide] < r.lineDeviation()[narrow];
        boolean rateShown = errWide < errNarrow;
        rep.verdict(lineShown && rateShown ? Report.Verdict.SHOWN : lineShown || rateShown ? Report.Verdict.PARTLY
                : Report.Verdict.NOT_SHOWN, String.format(Locale.ROOT, "Width %d: decay rate along f⁽²⁾ %.4g, %.1f %%"
                + " from the limit's %.4g, largest deviation from the line %.3g of the initial distance; width %d: %.4g"
                + " (%.1f %% off, %s) and %.3g.%s%s", c.widths()[wide], r.pc2RateMeasured()[wide], 100 * errWide, th,
                r.lineDeviation()[wide], c.widths()[narrow], r.pc2RateMeasured()[narrow], 100 * errNarrow,
                r.pc2RateMeasured()[narrow] > th ? "faster, as the paper saw" : "slower", r.lineDeviation()[narrow],
                lineShown ? " The wider networks keep closer to the line." : " The wider networks do not keep closer to"
                        + " the line in this run.",
                rateShown ? " Their rate is the closer to λ₂." : " Their rate is not the closer to λ₂ in this run."));
        List<List<Object>> ev = new ArrayList<>();
        for (int i = 0; i < Math.min(3, r.eigenvalues().length); i++) {
            ev.add(List.of("λ" + (i + 1), Report.num("eigenvalues/" + i, r.eigenvalues()[i])));
        }
        rep.table("Largest eigenvalues of Θ∞(X, X)/N", List.of("", "value"), ev);
        rep.paragraph("The kernel PCA is not centred, as in the paper: the first component is nearly the constant"
                + " function, hence the gap between λ₁ and the rest.");
        List<List<Object>> rows = new ArrayList<>();
        for (int w = 0; w < nw; w++) {
            rows.add(List.of(c.widths()[w], Report.num("pc2_rate_measured/" + w, r.pc2RateMeasured()[w]),
                    String.format(Locale.ROOT, "%.3f", r.pc2RateMeasured()[w] / th),
                    Report.num("line_deviation/" + w, r.lineDeviation()[w])));
        }
        rep.table(String.format(Locale.ROOT, "Training towards f₀ + ½f⁽²⁾: the limit decays at λ₂ = %.4g (gradient"
                + " flow) or %.4g (these η-steps)", r.pc2RateTheory(), th), List.of("width",
                "measured rate of |g_t| (mean over networks)", "÷ limit", "max_t ‖h_t‖ / ‖f₀ − f*‖ (RMS over networks)"),
                rows);
        rep.paragraph("g_t = ⟨f_t − f*, f⁽²⁾⟩ is the residual's coordinate along the 2nd component (−½e^{−λ₂t} in the"
                + " limit); h_t = f_t − f* − g_t f⁽²⁾ is what leaves the straight line (0 in the limit). Rates are least"
                + " squares slopes of −log|g_t| over the recorded times t = η·step.");
        int[] labels = c.labels();
        SvgPlot pc = new SvgPlot("The batch in the 2nd and 3rd components", "f⁽²⁾(x_i)", "f⁽³⁾(x_i)");
        for (int digit = 0; digit < 10 && labels != null; digit++) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < c.n(); i++) {
                if (labels[i] == digit) {
                    idx.add(i);
                }
            }
            double[] px = idx.stream().mapToDouble(i -> r.components()[1][i]).toArray();
            double[] py = idx.stream().mapToDouble(i -> r.components()[2][i]).toArray();
            pc.points("digit " + digit, px, py, SvgPlot.color(digit));
        }
        if (labels == null) {
            pc.points("inputs", r.components()[1], r.components()[2], SvgPlot.color(0));
        }
        rep.plot("jacot-fig3-components", pc, "Each digit at its coordinates along the 2nd and 3rd principal components"
                + " of the limiting NTK (the paper's Fig. 3a).");
        SvgPlot line = new SvgPlot("Deviation from the straight line", "t", "‖h_t‖");
        SvgPlot decay = new SvgPlot("Decay along the 2nd component", "t", "|g_t|").logY();
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("eigenvalues", NdArray.vector(r.eigenvalues()));
        arrays.put("components", new NdArray(new int[] {3, c.n()}, concat(r.components())));
        if (labels != null) {
            arrays.put("labels", NdArray.vector(java.util.Arrays.stream(labels).asDoubleStream().toArray()));
        }
        arrays.put("time", NdArray.vector(r.time()));
        for (int w = 0; w < nw; w++) {
            for (int s = 0; s < c.seeds(); s++) {
                double[] ag = java.util.Arrays.stream(r.g()[w][s]).map(Math::abs).toArray();
                line.line("width " + c.widths()[w], r.time(), r.h()[w][s], SvgPlot.color(w), false, s == 0);
                decay.line("width " + c.widths()[w], r.time(), ag, SvgPlot.color(w), false, s == 0);
            }
            arrays.put("width_" + c.widths()[w] + "/g", new NdArray(new int[] {c.seeds(), r.time().length},
                    concat(r.g()[w])));
            arrays.put("width_" + c.widths()[w] + "/h", new NdArray(new int[] {c.seeds(), r.time().length},
                    concat(r.h()[w])));
        }
        double[] limit = java.util.Arrays.stream(r.time()).map(t -> 0.5 * Math.exp(-r.pc2RateTheory() * t)).toArray();
        decay.line("½e^{−λ₂t} (limit)", r.time(), limit, "#000000", true, true);
        rep.plot("jacot-fig3-line", line, "The paper's Fig. 3b: one line per network; 0 in the infinite-width limit.");
        rep.plot("jacot-fig3-decay", decay, "The paper's Fig. 3c: |g_t| per network against the limit's ½e^{−λ₂t}"
                + " (dashed).");
        rep.npz("jacot-fig3.npz", arrays);
        return rep;
    }

    private static double[] concat(double[][] rows) {
        int len = 0;
        for (double[] r : rows) {
            len += r.length;
        }
        double[] out = new double[len];
        int at = 0;
        for (double[] r : rows) {
            System.arraycopy(r, 0, out, at, r.length);
            at += r.length;
        }
        return out;
    }
}
