package ntk.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import ntk.activations.Activation;
import ntk.activations.Activations;
import ntk.NdArray;
import ntk.io.Npz;
import ntk.meanfield.ArchKind;
import ntk.meanfield.DepthAnalysis;
import ntk.meanfield.DepthProfile;
import ntk.meanfield.MeanField;
import ntk.meanfield.RateFit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ntk depth}: the infinite-width NTK against depth (Hayou et al., "Mean-field behaviour of the NTK"). */
@Command(name = "depth", mixinStandardHelpOptions = true,
        description = {"The infinite-width NTK (NTK parameterisation) of networks of depth L = 1..--max-depth on the"
            + " inputs: y^1 = Dense(x), then per depth dense: Dense(phi(y)); resnet: y + Dense(phi(y));"
            + " scaled-resnet: y + Dense(phi(y))/sqrt(l-1); every Dense has W_std = sigma_w, b_std = sigma_b.",
            "Normalisation (npz key 'normalisation'): dense nets in the ordered phase: none, limit q*/(1 - chi1);"
                + " on the edge of chaos the average NTK K^L/L, limit q* on the diagonal and q*/3 (phi' continuous: Tanh, Elu) or"
                + " q*/4 (phi' with a jump: Relu, LeakyRelu) off it; otherwise K^L(x,x')/sqrt(K^L(x,x) K^L(x',x')), limit 0 off the diagonal in"
                + " the chaotic phase, 1/4 for Relu ResNets (plain and scaled), none (NaN) for other ResNets.",
            "Writes --out .npz: depth (L,), ntk and nngp (L, n, n) raw, ntk_normalised (L, n, n), limit (n, n),"
                + " distance (L,) = max |normalised - limit|, lambda_min (L,) of the normalised NTK,"
                + " fit_exponential, fit_polynomial, fit_log_polynomial and fit_logarithmic = [rate, intercept, rss,"
                + " from, to]: least squares of log distance = a - L/xi (rate 1/xi), = a - beta log L,"
                + " = a + log log L - beta log L and = a - beta log log L (rate beta) over L >= max(2, L/10).",
            "Without --x: 4 points on the circle of radius sqrt(2) in 2-d (|x|^2/d = 1) at angles 0, 0.5, 1, 2; for conv"
                + " and conv-resnet 4 signals of length 8, sqrt(2) cos(2 pi p/8 + a) at the same a."})
final class DepthCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--activation", required = true, description = "Relu, Tanh, Erf, Elu, ...")
    String activation;

    @Option(names = "--sigma-w", required = true, description = "weight scale W_std > 0")
    double sigmaW;

    @Option(names = "--sigma-b", required = true, description = "bias scale b_std >= 0")
    double sigmaB;

    @Option(names = "--max-depth", required = true, description = "deepest L (>= 1); all depths 1..L are computed")
    int maxDepth;

    @Option(names = "--arch-kind", defaultValue = "dense", description = "dense (default), resnet, scaled-resnet, or the"
            + " convolutional conv and conv-resnet (circular Conv1D, filter 3; --x of shape (n, length, channels), the"
            + " kernel is the mean over positions of K_{a,a}(x, x'))")
    String archKind;

    @Option(names = "--x", description = "inputs .npy of shape (n, d); default: 4 points on a circle")
    Path x;

    @Option(names = "--out", required = true, description = "output .npz")
    Path out;

    @Option(names = "--plot", description = "PNG: log10 distance to the limit and lambda_min against depth")
    Path plot;

    @Override
    public Integer call() throws Exception {
        Activation act = Activations.parse(activation);
        ArchKind kind = ArchKind.parse(archKind);
        MeanField.checkSigmas(sigmaW, sigmaB);
        if (maxDepth < 1) {
            throw new ntk.BadInputException("--max-depth must be at least 1, got " + maxDepth);
        }
        Inputs.checkWritable(out, "--out");
        if (plot != null) {
            Inputs.checkWritable(plot, "--plot");
        }
        NdArray xs;
        if (x != null) {
            xs = depthInputs(x, kind);
        } else {
            xs = kind.convolutional() ? defaultSignals() : defaultInputs();
        }
        int n = xs.dim(0);
        // every depth's NNGP, NTK and normalised NTK (n × n doubles each) are kept: refused up front past the heap
        double bytes = 3.0 * 8 * maxDepth * n * (double) n + 8.0 * maxDepth * 4;
        Inputs.checkHeap(bytes > Long.MAX_VALUE / 2 ? Long.MAX_VALUE / 2 : (long) bytes, "the kernels of " + maxDepth
                + " depths on " + n + " inputs");
        ntk.Shape shape = xs.rank() == 3 ? ntk.Shape.signal(xs.dim(1), xs.dim(2)) : ntk.Shape.dense(xs.dim(1));
        DepthProfile p = DepthAnalysis.run(act, sigmaW, sigmaB, kind, maxDepth, xs.data, n, shape, false);
        int nl = p.maxDepth();
        double[] depth = new double[nl];
        for (int l = 0; l < nl; l++) {
            depth[l] = l + 1;
        }
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("depth", new NdArray(new int[] {nl}, depth));
        arrays.put("ntk", stack(p.ntk(), n));
        arrays.put("nngp", stack(p.nngp(), n));
        arrays.put("ntk_normalised", stack(p.normalised(), n));
        arrays.put("limit", new NdArray(new int[] {n, n}, p.limit()));
        arrays.put("distance", new NdArray(new int[] {nl}, p.distance()));
        arrays.put("lambda_min", new NdArray(new int[] {nl}, p.lambdaMin()));
        arrays.put("fit_exponential", fit(p.exponential()));
        arrays.put("fit_polynomial", fit(p.polynomial()));
        arrays.put("fit_logarithmic", fit(p.logarithmic()));
        arrays.put("fit_log_polynomial", fit(p.logPolynomial()));
        arrays.put("x", xs);
        try (ntk.io.AtomicFiles.Group group = ntk.io.AtomicFiles.group()) { // the .npz and the plot: both or neither
            Npz.write(out, arrays);
            if (plot != null) {
                double[] logd = new double[nl];
                double[] lmin = new double[nl];
                for (int l = 0; l < nl; l++) {
                    logd[l] = Math.log10(p.distance()[l]);
                    lmin[l] = p.lambdaMin()[l];
                }
                Map<String, double[]> series = new LinkedHashMap<>();
                series.put("log10 distance to limit", logd);
                series.put("lambda_min (normalised NTK)", lmin);
                Plots.lines(plot, kind.cliName + " " + act.spec() + ", sigma_w = " + sigmaW + ", sigma_b = " + sigmaB
                        + " (" + p.normalisation() + ")", "depth L", "", depth, series);
            }
            group.commit();
        }
        var o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "%s, %s, sigma_w = %s, sigma_b = %s, depths 1..%d on %d inputs%n", kind.cliName,
                act.spec(), sigmaW, sigmaB, nl, n);
        if (p.meanField() != null) {
            MeanField m = p.meanField();
            o.printf(Locale.ROOT, "phase: %s (q* = %.6g, chi1 = %.6g, xi_c = %.4g)%n", m.phase().label, m.qStar(),
                    m.chi1(), m.xiC());
        }
        o.printf(Locale.ROOT, "normalisation: %s; at L = %d: distance to limit %.4g, lambda_min %.4g%n",
                p.normalisation(), nl, p.distance()[nl - 1], p.lambdaMin()[nl - 1]);
        RateFit e = p.exponential();
        RateFit q = p.polynomial();
        if (!Double.isNaN(e.rss())) {
            RateFit g = p.logarithmic();
            RateFit lp = p.logPolynomial();
            o.printf(Locale.ROOT, "fit over L in [%d, %d]: exponential xi = %.4g (rss %.3g); polynomial L^-beta,"
                    + " beta = %.4g (rss %.3g); log-polynomial log(L) L^-beta, beta = %.4g (rss %.3g); logarithmic"
                    + " (log L)^-beta, beta = %.4g (rss %.3g); best: %s%n", e.from(), e.to(), e.xi(), e.rss(), q.rate(),
                    q.rss(), lp.rate(), lp.rss(), g.rate(), g.rss(), p.better().model());
        } else {
            o.println("no rate fit (no known limit here, or too few depths)");
        }
        o.println("wrote " + out + (plot != null ? " and " + plot : ""));
        return 0;
    }

    /**
     * --x for the depth families: (n, d) for the fully connected ones (dense, resnet, scaled-resnet), signals
     * (n, length, channels) for conv and conv-resnet; the other rank is refused naming why.
     */
    static NdArray depthInputs(Path x, ArchKind kind) {
        NdArray a = ntk.io.Npy.read(x);
        if (kind.convolutional()) {
            if (a.rank() != 3) {
                throw new ntk.BadInputException(x + ": --x must have shape (n, length, channels) for --arch-kind "
                        + kind.cliName + ", got " + a.shapeString());
            }
            ntk.io.Npy.requireFinite(a, x.toString());
            if (a.dim(0) < 1 || a.dim(1) < ArchKind.FILTER || a.dim(2) < 1) {
                throw new ntk.BadInputException(x + ": --x needs at least one signal of length >= " + ArchKind.FILTER
                        + " with at least one channel, got " + a.shapeString());
            }
            return a;
        }
        if (a.rank() == 3) {
            throw new ntk.BadInputException(x + ": --x must have shape (n, d) for --arch-kind " + kind.cliName
                    + "; signals " + a.shapeString() + " go with --arch-kind conv or conv-resnet");
        }
        return Inputs.matrix(x, "--x");
    }

    /**
     * 4 signals of length 8, one channel, x_i(p) = √2 cos(2πp/8 + a_i) at a_i = 0, 0.5, 1, 2 (|x(p)|² averages 1 per
     * position): the circle inputs of the dense default, turned along positions.
     */
    static NdArray defaultSignals() {
        double[] a = {0, 0.5, 1, 2};
        int len = 8;
        double[] s = new double[a.length * len];
        for (int i = 0; i < a.length; i++) {
            for (int p = 0; p < len; p++) {
                s[i * len + p] = Math.sqrt(2) * Math.cos(2 * Math.PI * p / len + a[i]);
            }
        }
        return new NdArray(new int[] {a.length, len, 1}, s);
    }

    /** 4 points on the circle of radius √2 in 2-d (|x|²/d = 1) at angles 0, 0.5, 1, 2. */
    static NdArray defaultInputs() {
        return ntk.experiments.HayouFig1.defaultInputs();
    }

    private static NdArray stack(double[][] perDepth, int n) {
        double[] all = new double[perDepth.length * n * n];
        for (int l = 0; l < perDepth.length; l++) {
            System.arraycopy(perDepth[l], 0, all, l * n * n, n * n);
        }
        return new NdArray(new int[] {perDepth.length, n, n}, all);
    }

    private static NdArray fit(RateFit f) {
        return NdArray.vector(f.rate(), f.intercept(), f.rss(), f.from(), f.to());
    }
}
