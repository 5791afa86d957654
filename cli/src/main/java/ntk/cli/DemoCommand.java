package ntk.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import ntk.BadInputException;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.io.NdArray;
import ntk.io.Npy;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;
import ntk.linalg.Linalg;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ntk demo}: the main job on built-in data. Computes the infinite-width NNGP and NTK of a
 * few architectures on (a) points on the unit circle, x(γ) = (cos γ, sin γ) as in Jacot et al.'s
 * Figure 1, and (b) 200 random points on the sphere in 16 dimensions; checks the one-hidden-layer
 * ReLU NTK against its closed form; prints a summary and writes the kernels and a plot.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Infinite-width NNGP/NTK of a few architectures on built-in data: summary, .npy files and a plot.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out-dir", defaultValue = "ntk-demo", description = "where to write results (default ${DEFAULT-VALUE})")
    Path outDir;

    record Arch(String label, String spec, Parameterization p) {
    }

    static final List<Arch> ARCHS = List.of(
            new Arch("ReLU, 1 hidden layer", "Dense(512), Relu, Dense(1)", Parameterization.NTK),
            new Arch("ReLU, 3 hidden, b_std=0.1", "Dense(512, b_std=0.1), Relu, Dense(512, b_std=0.1), Relu, "
                    + "Dense(512, b_std=0.1), Relu, Dense(1, b_std=0.1)", Parameterization.NTK),
            new Arch("ReLU, 5 hidden, EOC W_std=√2", repeat("Dense(512, W_std=1.4142135623730951), Relu, ", 5)
                    + "Dense(1, W_std=1.4142135623730951)", Parameterization.NTK),
            new Arch("ReLU, 3 hidden, standard", "Dense(512), Relu, Dense(512), Relu, Dense(512), Relu, Dense(1)",
                    Parameterization.STANDARD),
            new Arch("Erf, 3 hidden", "Dense(512, W_std=1.5), Erf, Dense(512, W_std=1.5), Erf, Dense(512, W_std=1.5),"
                    + " Erf, Dense(1)", Parameterization.NTK),
            new Arch("Tanh, 2 hidden (quadrature)", "Dense(512, W_std=1.5, b_std=0.1), Tanh, Dense(512, W_std=1.5,"
                    + " b_std=0.1), Tanh, Dense(1)", Parameterization.NTK),
            new Arch("ResNet, 5 blocks", "Dense(512), " + repeat("Residual(Relu, Dense(512)), ", 5) + "Dense(1)",
                    Parameterization.NTK),
            new Arch("scaled ResNet 1/√l, 5 blocks", "Dense(512), "
                    + repeat("Residual(Relu, Dense(512), scale=invsqrt_depth), ", 5) + "Dense(1)", Parameterization.NTK));

    private static String repeat(String s, int k) {
        return s.repeat(k);
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = new PrintWriter(System.out, true);
        Files.createDirectories(outDir);
        if (!Files.isDirectory(outDir)) {
            throw new BadInputException(outDir + ": --out-dir is not a directory");
        }
        KernelEngine engine = new KernelEngine();
        out.printf("ntk demo — infinite-width kernels (Java %s, %d threads, BLAS %s)%n%n", Runtime.version().feature(),
                Runtime.getRuntime().availableProcessors(), Linalg.backend());

        int nc = 181;
        double[] circle = new double[nc * 2];
        double[] gammas = new double[nc];
        for (int i = 0; i < nc; i++) {
            gammas[i] = -Math.PI + 2 * Math.PI * i / (nc - 1);
            circle[2 * i] = Math.cos(gammas[i]);
            circle[2 * i + 1] = Math.sin(gammas[i]);
        }
        int x0 = (nc - 1) / 2; // γ = 0
        int ns = 200;
        int ds = 16;
        double[] sphere = new double[ns * ds];
        Random r = new Random(2018);
        for (int i = 0; i < ns; i++) {
            double norm = 0;
            for (int k = 0; k < ds; k++) {
                sphere[i * ds + k] = r.nextGaussian();
                norm += sphere[i * ds + k] * sphere[i * ds + k];
            }
            for (int k = 0; k < ds; k++) {
                sphere[i * ds + k] *= Math.sqrt(ds / norm); // ‖x‖² = d, so Σ⁽⁰⁾(x, x) = 1
            }
        }

        out.println("(a) 181 points on the unit circle, x(γ) = (cos γ, sin γ); Θ normalised by Θ(x₀, x₀), x₀ = (1, 0)");
        out.println("(b) 200 random points on the sphere of radius √16 in 16 dimensions: spectrum of the NTK Gram matrix");
        out.println();
        out.printf("%-32s %10s %10s %9s %9s %9s %10s %10s %10s%n", "architecture", "Σ(x₀,x₀)", "Θ(x₀,x₀)", "Θ(γ=π/4)",
                "Θ(γ=π/2)", "Θ(γ=π)", "λmin(Θ)", "λmax(Θ)", "cond(Θ)");
        Map<String, double[]> curves = new LinkedHashMap<>();
        int idx = 0;
        for (Arch a : ARCHS) {
            Network net = Network.parse(a.spec, a.p);
            Kernels kc = engine.kernels(net, circle, nc, null, 0, 2, true);
            Kernels ks = engine.kernels(net, sphere, ns, null, 0, ds, true);
            double t00 = kc.ntk(x0, x0);
            double[] curve = new double[nc];
            for (int j = 0; j < nc; j++) {
                curve[j] = kc.ntk(x0, j) / t00;
            }
            curves.put(a.label + (a.p == Parameterization.STANDARD ? "" : ""), curve);
            double[] ev = eigenvalues(ks.ntk(), ns);
            out.printf("%-32s %10.4f %10.4f %9.4f %9.4f %9.4f %10.3e %10.3e %10.3e%n", a.label, kc.nngp(x0, x0), t00,
                    curve[x0 + (nc - 1) / 8], curve[x0 + (nc - 1) / 4], curve[nc - 1], ev[0], ev[ns - 1],
                    ev[ns - 1] / ev[0]);
            Npy.write(outDir.resolve(String.format("circle-ntk-%d.npy", idx)), new NdArray(new int[] {nc, nc}, kc.ntk()));
            Npy.write(outDir.resolve(String.format("circle-nngp-%d.npy", idx)), new NdArray(new int[] {nc, nc}, kc.nngp()));
            idx++;
        }
        Npy.write(outDir.resolve("circle-x.npy"), new NdArray(new int[] {nc, 2}, circle));

        // Independent check: the one-hidden-layer ReLU NTK in closed form (Jacot et al. 2018, §6):
        // Θ = ‖x‖‖x'‖/(2π n₀) [sin φ + 2(π − φ) cos φ].
        Kernels k1 = engine.kernels(Network.parse(ARCHS.get(0).spec, Parameterization.NTK), circle, nc, null, 0, 2, true);
        double worst = 0;
        for (int j = 0; j < nc; j++) {
            double phi = Math.abs(gammas[j]);
            double want = (Math.sin(phi) + 2 * (Math.PI - phi) * Math.cos(phi)) / (2 * Math.PI * 2);
            worst = Math.max(worst, Math.abs(k1.ntk(x0, j) - want) / k1.ntk(x0, x0));
        }
        out.printf("%ncheck: one-hidden-layer ReLU NTK vs closed form (1/2π n₀)‖x‖‖x'‖[sin φ + 2(π−φ) cos φ]:"
                + " max difference %.1e (relative to Θ(x₀,x₀)) over the circle%n", worst);

        Path plot = outDir.resolve("circle-ntk.png");
        Plots.lines(plot, "Infinite-width NTK on the unit circle: Θ(x₀, x(γ)) / Θ(x₀, x₀)", "γ", "Θ / Θ(x₀, x₀)",
                gammas, curves);
        Path finitePlot = finiteWidths(out, circle, gammas, nc, x0);
        out.printf("%nwrote %s/: circle-ntk-<i>.npy, circle-nngp-<i>.npy (181×181, architecture i in the order above),"
                + " circle-x.npy, and the plots %s, %s%n", outDir, plot, finitePlot);

        // (d) Hayou et al.'s depth experiment, shortened (the full one: ntk experiment depth --out DIR)
        out.printf("%n(d) the NTK against depth L = 1..300 by initialisation and architecture (Hayou et al.):%n");
        ntk.experiments.Experiment depth = ntk.experiments.Experiments.find("depth");
        ntk.experiments.Experiments.run(depth, ntk.experiments.Settings.of(depth, false, null, 0,
                java.util.Map.of("--max-depth", "300")), outDir, ntk.experiments.Progress.lines(out), "");
        return 0;
    }

    /**
     * (c) Finite networks against the limit (Jacot et al. 2018, Fig. 1 at initialisation): the empirical NTK
     * Θ(x₀, x(γ)) of random 4-layer ReLU networks of three widths, next to Θ∞.
     */
    private Path finiteWidths(PrintWriter out, double[] circle, double[] gammas, int nc, int x0) throws IOException {
        String tmpl = "Dense(m), Relu, Dense(m), Relu, Dense(m), Relu, Dense(1)";
        Network limit = Network.parse(tmpl.replace("(m", "(1"), Parameterization.NTK);
        double[] exact = new KernelEngine().kernels(limit, circle, nc, null, 0, 2, true).ntk();
        out.printf("%n(c) finite networks, %s, on the circle: the empirical NTK of 4 random networks per width%n", tmpl);
        out.printf("%-8s %12s %14s %16s%n", "width", "parameters", "Θ(x₀,x₀) mean", "rel. error (RMS)");
        Map<String, double[]> curves = new LinkedHashMap<>();
        Map<String, Plots.Style> styles = new LinkedHashMap<>();
        java.awt.Color[] colors = {new java.awt.Color(0x1f77b4), new java.awt.Color(0xff7f0e),
            new java.awt.Color(0x2ca02c)};
        int wi = 0;
        double[] lim = new double[nc];
        for (int j = 0; j < nc; j++) {
            lim[j] = exact[x0 * nc + j];
        }
        for (int m : new int[] {64, 256, 1024}) {
            ntk.finite.FiniteNetwork fn = new ntk.finite.FiniteNetwork(
                    Network.parse(tmpl.replace("(m", "(" + m), Parameterization.NTK), 2);
            double err = 0;
            double diag = 0;
            int seeds = 4;
            for (int s = 0; s < seeds; s++) {
                double[] k = ntk.finite.EmpiricalNtk.structured(fn, fn.init(s), circle, nc, null, 0, true);
                double num = 0;
                double den = 0;
                for (int i = 0; i < k.length; i++) {
                    num += (k[i] - exact[i]) * (k[i] - exact[i]);
                    den += exact[i] * exact[i];
                }
                err += num / den / seeds;
                diag += k[x0 * nc + x0] / seeds;
                if (s < 2) {
                    double[] c = new double[nc];
                    System.arraycopy(k, x0 * nc, c, 0, nc);
                    curves.put("width " + m + ", seed " + s, c);
                    styles.put("width " + m + ", seed " + s, new Plots.Style(colors[wi], s == 1));
                }
            }
            out.printf("%-8d %12d %14.4f %16.4f%n", m, fn.parameterCount(), diag, Math.sqrt(err));
            wi++;
        }
        out.printf("%-8s %12s %14.4f %16s   (infinite width: error falls like 1/√width)%n", "∞", "", exact[x0 * nc + x0],
                "0");
        curves.put("infinite width", lim);
        styles.put("infinite width", new Plots.Style(java.awt.Color.BLACK, false));
        Path plot = outDir.resolve("circle-finite-ntk.png");
        Plots.lines(plot, "Empirical NTK Θ(x₀, x(γ)) of random 4-layer ReLU networks vs the limit", "γ", "Θ(x₀, x(γ))",
                gammas, curves, styles);
        return plot;
    }

    static double[] eigenvalues(double[] m, int n) {
        return ntk.linalg.Linalg.symmetricEigenvalues(m, n);
    }

    static List<Double> list(double[] a) {
        List<Double> l = new ArrayList<>();
        for (double v : a) {
            l.add(v);
        }
        return l;
    }
}
