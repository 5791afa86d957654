package ntk.experiments;

import java.nio.file.Path;
import java.util.List;
import ntk.BadInputException;

/** The registry of experiments ({@code ntk experiment NAME}) and the one way to run and write one. */
public final class Experiments {
    private Experiments() {
    }

    /** Every experiment, in the order {@code --help} lists them. Adding one: its class plus one line here. */
    static final List<Experiment> ALL = List.of(
            new HayouFig1(),
            new JacotFig1(),
            new JacotFig2(),
            new JacotFig3(),
            new JacotRandomFeatures(),
            new KernelGdCrossEntropy(),
            new Linearization(),
            new PleissEq7(),
            new Spectrum(),
            new HayouSgd(),
            new HayouTable1(),
            new HayouTable2(),
            new CntkMnist());

    public static List<Experiment> all() {
        return ALL;
    }

    /** The experiment named (or aliased) {@code name}. */
    public static Experiment find(String name) {
        for (Experiment e : ALL) {
            if (e.name().equals(name) || e.aliases().contains(name)) {
                return e;
            }
        }
        throw new BadInputException("no experiment '" + name + "'; known: "
                + String.join(", ", ALL.stream().map(Experiment::name).toList()));
    }

    /**
     * Runs {@code e} and writes its report into {@code outRoot/<name>} (report.html, summary.json, data);
     * returns that directory. {@code command} (may be empty) is shown in the report.
     */
    public static Path run(Experiment e, Settings s, Path outRoot, Progress progress, String command) {
        long t0 = System.nanoTime();
        Report r = e.run(s, progress);
        r.runTime((System.nanoTime() - t0) * 1e-9).command(command);
        r.param("full", s.full());
        Path dir = outRoot.resolve(e.name());
        r.write(dir);
        progress.log("wrote " + dir.resolve("report.html") + " (with " + String.join(", ",
                r.files().subList(1, r.files().size())) + ")");
        return dir;
    }
}
