package ntk.experiments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ntk.BadInputException;
import ntk.activations.Activation;
import ntk.activations.Elu;
import ntk.activations.Relu;
import ntk.activations.Tanh;
import ntk.io.NdArray;
import ntk.io.Npy;
import ntk.meanfield.ArchKind;
import ntk.meanfield.DepthAnalysis;
import ntk.meanfield.DepthProfile;
import ntk.meanfield.EdgeOfChaos;
import ntk.meanfield.RateFit;

/**
 * Hayou, Doucet &amp; Rousseau's Figure 1 ("Mean-field behaviour of the NTK", 2019/2022; formerly {@code experiment
 * depth}, still its alias): the infinite-width NTK of depth L = 1..maxDepth on a few inputs, normalised as
 * {@link DepthAnalysis} does (K^L/α_L: α_L = 1 ordered, L on the EOC; the NTK's correlation for chaotic nets and ResNets,
 * or with {@code --normalisation paper} α_L = L(1 + σ_w²/2)^{L−1} for Relu ResNets), its distance to the mean-field
 * limit against depth with four fitted rate models, and the smallest eigenvalue of the normalised NTK. Panels: (a) the
 * edge of chaos for ReLU and ELU (and Tanh), (b) the ordered phase for ReLU and ELU (and Tanh, plus Tanh chaotic),
 * (c) ReLU ResNets at four σ_w (Thm 2: the rate does not depend on σ_w), plus the 1/√l-scaled ResNets.
 */
public final class HayouFig1 implements Experiment {
    /** One initialisation and architecture, its panel of the figure, and what the theory says of it. */
    public record Family(String key, String name, String panel, String phase, Activation act, double sigmaW,
            double sigmaB, ArchKind kind, String theory) {
        /** The deepest L whose raw NTK stays well inside the double range (ResNets grow like (1 + σ_w²/2)^L). */
        public int depthCap() {
            if (kind != ArchKind.RESNET) {
                return Integer.MAX_VALUE;
            }
            return (int) Math.floor(680 / Math.log1p(sigmaW * sigmaW / 2));
        }
    }

    /** The inputs (n, d) row-major, the deepest L, and whether Relu ResNets take the paper's α_L. */
    public record Config(int maxDepth, double[] x, int n, int d, boolean paperNormalisation) {
        public Config {
            if (maxDepth < 3 || maxDepth > 1700) {
                throw new BadInputException("--max-depth must be in [3, 1700], got " + maxDepth);
            }
        }
    }

    /** One family's profile (its depth is min(maxDepth, the family's cap)). */
    public record Row(Family family, DepthProfile profile) {
    }

    public record Result(Config config, List<Row> rows) {
        /** The row of a family key. */
        public Row row(String key) {
            return rows.stream().filter(r -> r.family().key().equals(key)).findFirst().orElseThrow();
        }
    }

    /** The claim this experiment tests (to be quoted from the paper). */
    static final PaperClaim CLAIM = null;

    @Override
    public PaperClaim claim() {
        return CLAIM;
    }

    @Override
    public String name() {
        return "hayou-fig1";
    }

    @Override
    public List<String> aliases() {
        return List.of("depth");
    }

    @Override
    public String description() {
        return "Hayou, Doucet & Rousseau's Figure 1: the infinite-width NTK of depth L = 1..--max-depth on a few inputs —"
                + " (a) ReLU, ELU and Tanh on the edge of chaos, (b) ReLU, ELU and Tanh in the ordered phase (and Tanh"
                + " chaotic), (c) ReLU ResNets at σw = 0.5, 1, 1.5, 2 and 1/√l-scaled ResNets — its distance to the"
                + " mean-field limit against depth with fitted rates (exponential, polynomial L^-β, log-polynomial"
                + " log(L)L^-β, logarithmic (log L)^-β), and the smallest eigenvalue of the normalised NTK. Data:"
                + " hayou-fig1.npz (<family>/depth, /distance, /lambda_min, /limit, /fit_<model> = [rate, intercept,"
                + " rss, from, to]).";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("--max-depth", "1000", "deepest L, at most 1700 (ResNets stop earlier, where their NTK"
                        + " would leave the double range)"),
                new Param("--x", null, "inputs .npy (n, d); default: 4 points on a circle, |x|²/d = 1"),
                new Param("--normalisation", "standard", "standard (ResNets: the NTK's correlation) or paper (Relu"
                        + " ResNets: K^L/α_L with α_L = L(1 + σw²/2)^(L-1))"));
    }

    /** The default inputs: 4 points on the circle of radius √2 (|x|²/d = 1) at angles 0, 0.5, 1, 2. */
    public static NdArray defaultInputs() {
        double[] ang = {0, 0.5, 1.0, 2.0};
        double[] v = new double[8];
        for (int i = 0; i < 4; i++) {
            v[2 * i] = Math.sqrt(2) * Math.cos(ang[i]);
            v[2 * i + 1] = Math.sqrt(2) * Math.sin(ang[i]);
        }
        return new NdArray(new int[] {4, 2}, v);
    }

    /** The ReLU ResNet weight scales of panel (c). */
    public static final double[] RESNET_SIGMAS = {0.5, 1.0, 1.5, 2.0};

    public static List<Family> families() {
        double tanhEoc = new EdgeOfChaos(new Tanh()).find(0.2).sigmaW();
        double eluEoc = new EdgeOfChaos(new Elu()).find(0.2).sigmaW();
        List<Family> f = new ArrayList<>(List.of(
                new Family("relu_eoc", "ReLU, EOC (σw=1.4142, σb=0)", "a", "EOC", new Relu(), Math.sqrt(2), 0,
                        ArchKind.DENSE, "K/L → limit like 1/L"),
                new Family("elu_eoc", String.format(Locale.ROOT, "ELU, EOC (σw=%.4f, σb=0.2)", eluEoc), "a", "EOC",
                        new Elu(), eluEoc, 0.2, ArchKind.DENSE, "K/L → limit like log(L)/L (Thm 1, φ' continuous)"),
                new Family("tanh_eoc", String.format(Locale.ROOT, "Tanh, EOC (σw=%.4f, σb=0.2)", tanhEoc), "a", "EOC",
                        new Tanh(), tanhEoc, 0.2, ArchKind.DENSE, "K/L → limit like log(L)/L (Thm 1, smooth φ)"),
                new Family("relu_ordered", "ReLU, ordered (σw=1.2, σb=0.2)", "b", "ordered", new Relu(), 1.2, 0.2,
                        ArchKind.DENSE, "K → constant kernel exponentially, rate −log χ₁"),
                new Family("elu_ordered", "ELU, ordered (σw=1, σb=0.2)", "b", "ordered", new Elu(), 1.0, 0.2,
                        ArchKind.DENSE, "K → constant kernel exponentially, rate −log χ₁"),
                new Family("tanh_ordered", "Tanh, ordered (σw=1, σb=0.3)", "b", "ordered", new Tanh(), 1.0, 0.3,
                        ArchKind.DENSE, "K → constant kernel exponentially, rate −log χ₁"),
                new Family("tanh_chaotic", "Tanh, chaotic (σw=2.5, σb=0.2)", "b", "chaotic", new Tanh(), 2.5, 0.2,
                        ArchKind.DENSE, "NTK correlation → 0 exponentially, rate log χ₁")));
        for (double sw : RESNET_SIGMAS) {
            f.add(new Family(String.format(Locale.ROOT, "resnet_relu_w%s", key(sw)), String.format(Locale.ROOT,
                    "ReLU ResNet (σw=%s, σb=0)", fmt(sw)), "c", "ResNet", new Relu(), sw, 0, ArchKind.RESNET,
                    "polynomial, the same rate for every σw (Thm 2)"));
        }
        f.add(new Family("scaled_resnet_relu_w1", "ReLU scaled ResNet, blocks ×1/√l (σw=1, σb=0)", "c", "scaled ResNet",
                new Relu(), 1.0, 0, ArchKind.SCALED_RESNET, "slower still: like 1/log L (asymptotically)"));
        f.add(new Family("scaled_resnet_relu_w2", "ReLU scaled ResNet, blocks ×1/√l (σw=2, σb=0)", "c", "scaled ResNet",
                new Relu(), 2.0, 0, ArchKind.SCALED_RESNET, "like 1/log L, reached sooner with larger σw"));
        return f;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static String key(double v) {
        return fmt(v).replace('.', 'p');
    }

    /** The science: every family's depth profile. */
    public static Result compute(Config c, Progress progress) {
        List<Row> rows = new ArrayList<>();
        List<Family> fams = families();
        try (Progress.Task t = progress.task("depth families", fams.size())) {
            for (Family f : fams) {
                long t0 = System.nanoTime();
                int depth = Math.min(c.maxDepth(), f.depthCap());
                DepthProfile p;
                try {
                    p = DepthAnalysis.run(f.act(), f.sigmaW(), f.sigmaB(), f.kind(), depth, c.x(), c.n(), c.d(),
                            c.paperNormalisation());
                } catch (BadInputException e) {
                    throw e.prefixed(f.name() + ": ");
                }
                rows.add(new Row(f, p));
                t.step();
                progress.log(String.format(Locale.ROOT, "%-50s best fit: %-40s (%.1f s)", f.name(), fit(p.better()),
                        (System.nanoTime() - t0) * 1e-9));
            }
        }
        return new Result(c, rows);
    }

    static String fit(RateFit best) {
        return Double.isNaN(best.rss()) ? "—" : switch (best.model()) {
            case "exponential" -> String.format(Locale.ROOT, "exponential, rate %.4g (ξ = %.4g)", best.rate(), best.xi());
            case "polynomial" -> String.format(Locale.ROOT, "polynomial, L^−%.3f", best.rate());
            case "log-polynomial" -> String.format(Locale.ROOT, "log-polynomial, log(L)·L^−%.3f", best.rate());
            default -> String.format(Locale.ROOT, "logarithmic, (log L)^−%.3f", best.rate());
        };
    }

    @Override
    public Report run(Settings s, Progress progress) {
        NdArray xs = s.has("--x") ? Npy.read(Path.of(s.string("--x"))) : defaultInputs();
        if (xs.rank() != 2) {
            throw new BadInputException(s.string("--x") + ": --x must have shape (n, d), got " + xs.shapeString());
        }
        Npy.requireFinite(xs, "--x");
        String norm = s.string("--normalisation");
        if (!norm.equals("standard") && !norm.equals("paper")) {
            throw new BadInputException("--normalisation: expected standard or paper, got '" + norm + "'");
        }
        Config c = new Config(s.integer("--max-depth"), xs.data, xs.dim(0), xs.dim(1), norm.equals("paper"));
        return render(compute(c, progress), s.has("--x") ? " from " + s.string("--x") : " (4 points on a circle)");
    }

    /** The report of a result. */
    public static Report render(Result r, String inputsLabel) {
        Config c = r.config();
        int maxDepth = c.maxDepth();
        Report rep = new Report("hayou-fig1", "The NTK against depth (Hayou, Doucet & Rousseau, Figure 1)");
        rep.claim("Hayou, Doucet & Rousseau (\"Mean-field behaviour of the neural tangent kernel for deep neural"
                + " networks\", Thm 1, Thm 2, Lemma 1, Fig. 1): at initialisation in the ordered or chaotic phase the"
                + " normalised NTK K^L/α_L converges exponentially fast in depth to a degenerate limit (a constant kernel in"
                + " the ordered phase: not invertible, so very deep nets there cannot be trained); on the edge of chaos"
                + " only polynomially — like 1/L for ReLU and like log(L)/L for smooth activations such as ELU and Tanh"
                + " (Thm 1) — and ResNets behave like the EOC whatever σ_w, at a rate that does not depend on σ_w"
                + " (Thm 2); scaling the l-th block by 1/√l slows the degeneration further (to a power of 1/log L). The"
                + " paper shows this as curves (Fig. 1 a–c); it gives no table of fitted rates, so the comparison below"
                + " is with the stated rates.");
        rep.param("max depth L", maxDepth + " (ReLU ResNets stop where their NTK, growing like (1 + σw²/2)^L, would"
                        + " leave the double range)")
                .param("inputs", c.n() + " points in dimension " + c.d() + inputsLabel)
                .param("parameterisation", "NTK, infinite width")
                .param("normalisation", c.paperNormalisation() ? "paper (ReLU ResNets: α_L = L(1 + σw²/2)^(L−1))"
                        : "standard (ResNets: the NTK's correlation)");
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("x", new NdArray(new int[] {c.n(), c.d()}, c.x()));
        Map<String, SvgPlot> panels = new LinkedHashMap<>();
        panels.put("a", new SvgPlot("(a) Edge of chaos: distance of K^L/L to its limit", "depth L", "max |K_L/α_L − K∞|")
                .logX().logY().floor(1e-12));
        panels.put("b", new SvgPlot("(b) Ordered (and chaotic) phase: distance to the limit", "depth L",
                "max |K_L/α_L − K∞|").logX().logY().floor(1e-12));
        panels.put("c", new SvgPlot("(c) ResNets: distance of the normalised NTK to its limit", "depth L",
                "max |K_L/α_L − K∞|").logX().logY().floor(1e-12));
        SvgPlot lam = new SvgPlot("Smallest eigenvalue of the normalised NTK on the inputs", "depth L", "λ_min")
                .logX().logY().floor(1e-16);
        List<Integer> shown = new ArrayList<>();
        for (int l : new int[] {10, 100, 1000, maxDepth}) {
            if (l <= maxDepth && !shown.contains(l)) {
                shown.add(l);
            }
        }
        List<Object> fams = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        int i = 0;
        boolean expoOk = true;
        boolean eocOk = true;
        List<Double> resnetRates = new ArrayList<>();
        for (Row row : r.rows()) {
            Family f = row.family();
            DepthProfile p = row.profile();
            int nl = p.maxDepth();
            double[] depth = new double[nl];
            for (int l = 0; l < nl; l++) {
                depth[l] = l + 1;
            }
            arrays.put(f.key() + "/depth", new NdArray(new int[] {nl}, depth));
            arrays.put(f.key() + "/distance", new NdArray(new int[] {nl}, p.distance()));
            arrays.put(f.key() + "/lambda_min", new NdArray(new int[] {nl}, p.lambdaMin()));
            arrays.put(f.key() + "/limit", new NdArray(new int[] {c.n(), c.n()}, p.limit()));
            for (RateFit rf : p.fits()) {
                arrays.put(f.key() + "/fit_" + rf.model(), NdArray.vector(rf.rate(), rf.intercept(), rf.rss(), rf.from(),
                        rf.to()));
            }
            panels.get(f.panel()).line(f.name(), depth, p.distance(), SvgPlot.color(i), false, true);
            lam.line(f.name(), depth, p.lambdaMin(), SvgPlot.color(i), false, true);
            i++;
            RateFit best = p.better();
            Map<String, Object> fs = new LinkedHashMap<>();
            fs.put("name", f.name());
            fs.put("phase", f.phase());
            fs.put("rate_model", Double.isNaN(best.rss()) ? "none" : best.model());
            fs.put("rate", best.rate());
            fs.put("key", f.key());
            fs.put("panel", f.panel());
            fs.put("sigma_w", f.sigmaW());
            fs.put("sigma_b", f.sigmaB());
            fs.put("normalisation", p.normalisation());
            fs.put("max_depth", nl);
            Map<String, Object> allFits = new LinkedHashMap<>();
            for (RateFit rf : p.fits()) {
                allFits.put(rf.model(), Map.of("rate", rf.rate(), "rss", rf.rss()));
            }
            fs.put("fits", allFits);
            fs.put("distance_at_max_depth", p.distance()[nl - 1]);
            fs.put("lambda_min_at_max_depth", p.lambdaMin()[nl - 1]);
            int idx = fams.size();
            fams.add(fs);
            boolean expo = "exponential".equals(best.model()) || Double.isNaN(best.rss());
            boolean wantExpo = f.phase().equals("ordered") || f.phase().equals("chaotic");
            expoOk &= !wantExpo || expo;
            if (f.phase().equals("EOC")) {
                eocOk &= !expo && best.model().contains("polynomial");
            }
            if (f.phase().equals("ResNet") && f.sigmaW() >= 1) {
                resnetRates.add(p.polynomial().rate());
            }
            double off = c.n() > 1 ? p.limit()[1] : Double.NaN;
            List<String> ds = shown.stream().map(l -> l <= nl ? Report.show(p.distance()[l - 1], "%.3g") : "—").toList();
            rows.add(List.of(f.panel(), f.name(), f.phase(), p.normalisation(),
                    Double.isNaN(off) ? "—" : off == 0 ? "0" : String.format(Locale.ROOT, "%.6g", off),
                    String.join(", ", ds), fit(best), Report.num("families/" + idx + "/rate", best.rate(), "%.4g"),
                    String.format(Locale.ROOT, "%.3f", p.polynomial().rate()), f.theory(),
                    Report.num("families/" + idx + "/lambda_min_at_max_depth", p.lambdaMin()[nl - 1])));
        }
        double spread = resnetRates.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)
                - resnetRates.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        rep.summary("max_depth", maxDepth).summary("normalisation", c.paperNormalisation() ? "paper" : "standard")
                .summary("families", fams).summary("resnet_polynomial_rate_spread", spread);
        boolean resOk = spread <= 0.05;
        boolean all = expoOk && eocOk && resOk;
        rep.verdict(all ? Report.Verdict.SHOWN : Report.Verdict.PARTLY, (expoOk
                ? "The ordered and chaotic rows reach their limit exponentially fast (best fit exponential)"
                : "Not every ordered or chaotic row is best fitted by an exponential")
                + (eocOk ? "; the edge-of-chaos rows approach theirs like a power of L (polynomial or log-polynomial)"
                        : "; not every edge-of-chaos row is best fitted by a power of L")
                + String.format(Locale.ROOT, "; the ReLU ResNets at σw ≥ 1 share one exponent (fitted L^−β over the last"
                        + " 90%% of depths: β spread %.3f across σw)%s.", spread, resOk ? ", as Thm 2 says"
                        : ", more than the 0.05 taken as agreement"));
        rep.table("Distance to the mean-field limit by initialisation and architecture",
                List.of("panel", "family", "phase", "normalisation", "limit off the diagonal", "distance at L = "
                        + String.join(", ", shown.stream().map(String::valueOf).toList()), "best fit", "rate",
                    "polynomial β", "the paper", "λ_min at the deepest L"), rows);
        rep.paragraph("Distance: the largest entry-wise distance of the normalised NTK to its mean-field limit"
                + " (normalisation as in `ntk depth --help`); four rate models are fitted by least squares of log distance"
                + " over L ≥ max(2, L/10): exponential (against L), polynomial L^−β (against log L), log-polynomial"
                + " log(L)·L^−β (Thm 1's form) and logarithmic (log L)^−β; the best has the smallest residual sum of"
                + " squares. Distances at rounding level (below 1e-12 of the limit) are left out of the fits and the plots.");
        rep.paragraph("Where we agree and where not. Ordered and chaotic phases: exponential, at the mean-field rates, as"
                + " the paper says; the ordered limit is a constant kernel (λ_min → 0). ReLU on the EOC: 1/L as the paper"
                + " says. ELU and Tanh on the EOC: the limit is q*/3 off the diagonal (φ' continuous) and a log(L)/L term is"
                + " there (ntk's tests measure it: L·distance changes by the same amount per doubling of L for every pair"
                + " of inputs), but its coefficient is small and of the opposite sign to the 1/L term at these depths, so"
                + " the fitted exponent is not exactly 1 and the best of the four models may be the plain power. ReLU"
                + " ResNets: the exponent is the same for every σw ≥ 1 (Thm 2), about 0.93 over these depths — the"
                + " log-polynomial model log(L)·L^−1.1 fits them better still, i.e. the approach is slightly slower"
                + " than 1/L at these depths. σw = 0.5 approaches the same rate later (β ≈ 0.86 at L = 1000): the"
                + " distance is roughly a function of (σw²/2)·L, so small σw are pre-asymptotic here. The scaled ResNets'"
                + " 1/log L regime needs σ_w² log L ≫ 1, which is why σw = 2 is shown beside σw = 1.");
        for (Map.Entry<String, SvgPlot> e : panels.entrySet()) {
            rep.plot("hayou-fig1-" + e.getKey(), e.getValue(), e.getKey().equals("a")
                    ? "Log-log: a straight line is a power law; exponential decay bends down." : null);
        }
        rep.plot("hayou-fig1-lambda-min", lam, "On the EOC and for ResNets λ_min stays bounded away from 0 (the"
                + " normalised NTK stays invertible); in the ordered phase it goes to 0.");
        rep.npz("hayou-fig1.npz", arrays);
        return rep;
    }
}
