package ntk.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import ntk.BadInputException;
import ntk.KernelKind;
import ntk.data.Mnist;
import ntk.dynamics.Classification;
import ntk.io.NdArray;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;
import ntk.model.KernelRegressor;
import ntk.meanfield.RateFit;

/**
 * {@code ntk demo}, the main job, composed of the experiments' cores: on MNIST digits, (1) NNGP and NTK kernel
 * regression of the depth-4 ReLU network (β = 0.1) at t = ∞ on one-hot targets, classified by argmax (Lee et al.
 * 2018 §3; Arora et al. 2019); (2) the NTK's spectrum on the training digits with its power law ({@link Spectrum});
 * (3) finite networks of increasing width trained by gradient descent against the infinite-width network from
 * the same f₀, their kernel change and linearisation gap ({@link Linearization}); (4) Hayou et al.'s depth
 * experiment ({@link HayouFig1}).
 */
public final class Demo {
    /** The central claim the demo shows (to be quoted from the paper). */
    public static final PaperClaim CLAIM = null;

    private Demo() {
    }

    /**
     * train/test: digits for kernel regression; finiteTrain: the first digits of train the finite networks are
     * trained on (their test outputs are compared on all of test); widths, seeds, steps, stepScale as
     * {@link Linearization}; maxDepth of the depth experiment.
     */
    public record Config(Mnist.Split split, int train, int test, int finiteTrain, int[] widths, int seeds, int steps,
            double stepScale, int maxDepth, long seed) {
        public Config {
            if (train < 10 || train > split.train().n() || test < 1 || test > split.test().n() || finiteTrain < 1
                    || finiteTrain > train) {
                throw new BadInputException("demo: need 10 <= train <= " + split.train().n() + ", 1 <= test <= "
                        + split.test().n() + " and 1 <= finite-train <= train");
            }
        }

        /** The default demo: 1,000 + 1,000 digits, networks of widths 64..1,024 on 256 of them. */
        public static Config standard(Mnist.Split split) {
            return new Config(split, 1000, 1000, 256, new int[] {64, 128, 256, 512, 1024}, 2, 50, 1.0, 300, 0);
        }
    }

    /** Kernel regression accuracies, the spectrum, the width sweep and the depth experiment. */
    public record Result(Config config, String source, double nngpAccuracy, double ntkAccuracy, Spectrum.Result spectrum,
            Linearization.Result widths, double[] finiteAccuracy, double[] ntkNetworkAccuracy,
            HayouFig1.Result depth) {
    }

    /** The fit range of the spectrum's power law on n digits. */
    static int[] fitRange(int n) {
        return new int[] {10, n / 4};
    }

    public static Result compute(Config c, Progress progress) {
        Mnist train = c.split().train().head(c.train());
        Mnist test = c.split().test().head(c.test());
        int d = train.dim();
        double[] x = Linearization.unitVariance(train);
        double[] t = Linearization.unitVariance(test);
        long t0 = System.nanoTime();
        KernelEngine engine = new KernelEngine();
        ntk.arch.Network limit = JacotNetworks.limit(10);
        Kernels kxx = engine.kernels(limit, x, c.train(), null, 0, d, true);
        Kernels ktx = engine.kernels(limit, t, c.test(), x, c.train(), d, true);
        int[] range = fitRange(c.train());
        Spectrum.Result spectrum = Spectrum.ofKernel(kxx.ntk().clone(), c.train(), range[0], range[1]);
        NdArray y = new NdArray(new int[] {c.train(), 10}, train.oneHot(1, 0));
        double nngp = Classification.accuracy(new KernelRegressor(limit, KernelKind.NNGP).fit(kxx, y).predict(ktx)
                .means()[0], c.test(), 10, test.labels());
        double ntk = Classification.accuracy(new KernelRegressor(limit, KernelKind.NTK).fit(kxx, y).predict(ktx)
                .means()[0], c.test(), 10, test.labels());
        progress.log(String.format(Locale.ROOT, "kernel regression on %d digits, tested on %d: NNGP accuracy %.4f, NTK"
                + " accuracy %.4f; NTK spectrum λ_i ~ i^−%.3f (%.1f s)", c.train(), c.test(), nngp, ntk, spectrum.alpha(),
                (System.nanoTime() - t0) * 1e-9));
        Linearization.Config lc = Linearization.mnist(c.split(), c.finiteTrain(), c.test(), c.widths(), c.seeds(),
                c.steps(), c.stepScale(), c.seed());
        Linearization.Result lin = Linearization.compute(lc, progress);
        int nw = c.widths().length;
        double[] finiteAcc = new double[nw];
        double[] ntkNetAcc = new double[nw];
        for (int w = 0; w < nw; w++) {
            for (int s = 0; s < c.seeds(); s++) {
                finiteAcc[w] += Classification.accuracy(lin.testOut()[w][s], c.test(), 10, test.labels()) / c.seeds();
                ntkNetAcc[w] += Classification.accuracy(lin.ntkOut()[w][s], c.test(), 10, test.labels()) / c.seeds();
            }
        }
        NdArray xs = HayouFig1.defaultInputs();
        HayouFig1.Result depth = HayouFig1.compute(new HayouFig1.Config(c.maxDepth(), xs.data, xs.dim(0), xs.dim(1),
                false), progress);
        return new Result(c, c.split().source(), nngp, ntk, spectrum, lin, finiteAcc, ntkNetAcc, depth);
    }

    /** The demo's report (name "ntk-demo"); the depth experiment's own report is {@link #depthReport}. */
    public static Report render(Result r) {
        Config c = r.config();
        Linearization.Result lin = r.widths();
        int nw = c.widths().length;
        Report rep = new Report("ntk-demo", "ntk demo: Neural Tangent Kernels on MNIST digits");
        rep.claim("Infinitely wide networks are kernel machines: at initialisation a Gaussian process with the NNGP"
                + " kernel, and under gradient descent kernel regression with the Neural Tangent Kernel (Jacot, Gabriel &"
                + " Hongler 2018; Lee et al. 2018, 2019). Finite networks approach that limit as they widen: their outputs"
                + " approach the NTK's, their kernel moves less and they stay near their linearisation (lazy training,"
                + " width^−1/2). The NTK's spectrum decays like a power law, and with depth the NTK degenerates at a"
                + " speed set by the initialisation (Hayou, Doucet & Rousseau).");
        rep.param("data", String.format(Locale.ROOT, "%s: the first %d training and %d test digits, each scaled to ‖x‖²"
                + " = 784; one-hot targets (1 for the digit, 0 elsewhere)", r.source(), c.train(), c.test()))
                .param("architecture", JacotNetworks.template(10))
                .param("kernel regression", "t = ∞, no ridge (Cholesky), prediction = argmax of the 10 outputs")
                .param("finite networks", String.format(Locale.ROOT, "widths %s, %d per width, trained on the first %d"
                        + " training digits by %d steps of full-batch gradient descent, η = %.4g", java.util.Arrays
                        .toString(c.widths()), c.seeds(), c.finiteTrain(), c.steps(), lin.learningRate()))
                .param("depth experiment", "L = 1.." + c.maxDepth() + " (full report: depth/report.html)");
        long[] seeds = new long[c.seeds()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = c.seed() + i;
        }
        rep.seeds(seeds);
        rep.summary("mnist_train", c.train()).summary("mnist_test", c.test())
                .summary("nngp_accuracy", r.nngpAccuracy()).summary("ntk_accuracy", r.ntkAccuracy())
                .summary("widths", c.widths()).summary("distance_to_ntk", lin.distanceToNtk())
                .summary("distance_slope", lin.distanceFit().slope())
                .summary("linearization_gap", lin.linearizationGap()).summary("gap_slope", lin.gapFit().slope())
                .summary("kernel_change", lin.kernelChange()).summary("finite_accuracy", r.finiteAccuracy())
                .summary("ntk_network_accuracy", r.ntkNetworkAccuracy())
                .summary("spectrum_alpha", r.spectrum().alpha())
                .summary("spectrum_fit_range", new int[] {r.spectrum().from(), r.spectrum().to()})
                .summary("spectrum_fit_r2", r.spectrum().fit().r2());
        boolean distFalls = lin.distanceFit().slope() < 0;
        boolean gapOk = Math.abs(lin.gapFit().slope() + 0.5) <= Linearization.SLOPE_TOLERANCE;
        rep.verdict(distFalls && gapOk ? Report.Verdict.SHOWN : distFalls || gapOk ? Report.Verdict.PARTLY
                : Report.Verdict.NOT_SHOWN, String.format(Locale.ROOT, "Kernel regression classifies %.1f %% (NNGP) and"
                + " %.1f %% (NTK) of %d test digits after %d training digits. The finite networks' test outputs approach"
                + " the infinite-width network's as width^%.3f and their linearisation gap falls as width^%.3f (theory"
                + " −1/2); the NTK's eigenvalues fall like i^−%.3f.", 100 * r.nngpAccuracy(), 100 * r.ntkAccuracy(),
                c.test(), c.train(), lin.distanceFit().slope(), lin.gapFit().slope(), r.spectrum().alpha()));

        rep.heading("1. Kernel regression with the infinite-width kernels");
        rep.table("Test accuracy, one-hot regression at t = ∞, argmax", List.of("kernel", "training digits", "test digits",
                "accuracy"), List.of(
                        List.of("NNGP Σ∞ (Bayesian posterior mean; trained read-out)", Report.num("mnist_train", c.train(),
                                "%.0f"), Report.num("mnist_test", c.test(), "%.0f"),
                                Report.num("nngp_accuracy", r.nngpAccuracy(), "%.4f")),
                        List.of("NTK Θ∞ (gradient descent to convergence)", c.train(), c.test(),
                                Report.num("ntk_accuracy", r.ntkAccuracy(), "%.4f"))));

        rep.heading("2. Finite networks approach the NTK as they widen");
        List<List<Object>> rows = new ArrayList<>();
        for (int w = 0; w < nw; w++) {
            rows.add(List.of(c.widths()[w], Report.num("distance_to_ntk/" + w, lin.distanceToNtk()[w]),
                    Report.num("kernel_change/" + w, lin.kernelChange()[w]),
                    Report.num("linearization_gap/" + w, lin.linearizationGap()[w]),
                    Report.num("finite_accuracy/" + w, r.finiteAccuracy()[w], "%.4f"),
                    Report.num("ntk_network_accuracy/" + w, r.ntkNetworkAccuracy()[w], "%.4f")));
        }
        rep.table(String.format(Locale.ROOT, "After %d steps on %d digits (root mean square over %d networks)", c.steps(),
                c.finiteTrain(), c.seeds()), List.of("width", "‖f_T − f_T^∞‖/‖f_T^∞ − f₀‖ on test digits",
                "‖Θ_T − Θ₀‖/‖Θ₀‖", "‖f − f_lin‖/‖f − f₀‖", "test accuracy (network)",
                "test accuracy (infinite width, same f₀)"), rows);
        rep.paragraph("f_T^∞ is the infinite-width network from the same initial function f₀ after the same steps (f₀ plus"
                + " kernel gradient descent with the limiting NTK). Fitted log-log slopes against width: distance %s,"
                + " linearisation gap %s (theory −1/2).", Report.num("distance_slope", lin.distanceFit().slope(), "%.3f"),
                Report.num("gap_slope", lin.gapFit().slope(), "%.3f"));
        rep.plot("demo-widths", Linearization.plot(lin, "Finite networks against width (log-log)"), "Markers:"
                + " measurements; dashed: least-squares fits; black dashed: width^−1/2.");

        rep.heading("3. The NTK's spectrum on the training digits");
        rep.paragraph("Eigenvalues of Θ∞(X, X)/n fall like i^−α with α = %s over i in [" + r.spectrum().from() + ", "
                + r.spectrum().to() + "] (r² = %s): gradient descent fits a few directions quickly and the rest slowly"
                + " (ntk experiment spectrum compares with the sphere, where theory gives the exponent).",
                Report.num("spectrum_alpha", r.spectrum().alpha(), "%.3f"),
                Report.num("spectrum_fit_r2", r.spectrum().fit().r2(), "%.4f"));
        SvgPlot sp = new SvgPlot("Eigenvalues of the limiting NTK on " + c.train() + " digits", "index i", "λ_i")
                .logX().logY().floor(1e-14);
        Spectrum.addSpectrum(sp, "MNIST digits", r.spectrum(), 0);
        rep.plot("demo-spectrum", sp, "Solid: eigenvalues; dashed: the fitted power law.");

        rep.heading("4. The NTK against depth (Hayou, Doucet & Rousseau)");
        List<List<Object>> drows = new ArrayList<>();
        for (HayouFig1.Row row : r.depth().rows()) {
            RateFit best = row.profile().better();
            drows.add(List.of(row.family().name(), HayouFig1.fit(best), row.family().theory(),
                    row.profile().lambdaMin()[row.profile().maxDepth() - 1]));
        }
        rep.table("Distance of the normalised NTK to its mean-field limit, L = 1.." + c.maxDepth()
                + " (plots and data: depth/report.html)", List.of("family", "best fit", "theory",
                "λ_min at L = " + c.maxDepth()), drows);
        return rep;
    }

    /** The depth experiment's own report (written under depth/). */
    public static Report depthReport(Result r) {
        return HayouFig1.render(r.depth(), " (4 points on a circle)");
    }
}
