package ntk.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import ntk.data.Mnist;
import ntk.experiments.Demo;
import ntk.experiments.Progress;
import ntk.experiments.Report;
import ntk.linalg.Linalg;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ntk demo}: the main job ({@link Demo}) on the shipped MNIST subset — NNGP and NTK kernel regression,
 * finite networks against the NTK across widths, the NTK spectrum, the depth experiment — written as one report.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The main job on MNIST digits (the shipped subset, or --data DIR): NNGP and NTK kernel regression"
            + " accuracy on 1,000 + 1,000 digits; networks of widths 64..1,024 trained by gradient descent against the"
            + " infinite-width network (distance, kernel change, linearisation gap against width); the NTK's spectrum and"
            + " its power law against Pleiss' α > 1; Hayou et al.'s depth experiment to L = 300. Each section has its own"
            + " verdict; the top one is shown only if every section is, not shown only if none is. Test and training"
            + " images of different sizes are refused before any work.",
            "Writes --out-dir/report.html (path printed at the end), summary.json and depth/ (the depth experiment's"
                + " report)."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out-dir", defaultValue = "ntk-demo", description = "where to write results (default ${DEFAULT-VALUE})")
    Path outDir;

    @Option(names = "--data", description = "a directory with the full MNIST IDX files instead of the shipped subset")
    Path data;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        out.printf(Locale.ROOT, "ntk demo — Neural Tangent Kernels on MNIST digits (Java %d, %d threads, BLAS %s)%n",
                Runtime.version().feature(), Runtime.getRuntime().availableProcessors(), Linalg.backend());
        Progress progress = TerminalProgress.on(out);
        Demo.Result r = Demo.compute(Demo.Config.standard(Mnist.split(data)), progress);
        Report depth = Demo.depthReport(r);
        Report rep = Demo.render(r);
        double seconds = (System.nanoTime() - t0) * 1e-9;
        depth.runTime(seconds).command("ntk demo");
        rep.runTime(seconds).command("ntk demo" + (data == null ? "" : " --data " + data));
        // one folder, replaced whole: depth/ and the main page are built in a sibling folder and swapped in together
        ntk.io.Folders.replace(outDir, tmp -> {
            depth.writeInto(tmp.resolve("depth"));
            rep.writeInto(tmp);
        });
        ntk.experiments.Decision v = Demo.decide(r);
        out.printf(Locale.ROOT, "%nNNGP accuracy %.4f, NTK accuracy %.4f (%d training, %d test digits); spectrum α = %s"
                + " (%.0f s)%nverdict: %s. %s%n", r.nngpAccuracy(), r.ntkAccuracy(), r.config().train(),
                r.config().test(), r.spectrum().alphaEstimate().show(3), seconds, v.verdict().label, v.reason());
        out.println("report: " + outDir.resolve("report.html").toAbsolutePath());
        return 0;
    }
}
