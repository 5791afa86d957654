package ntk.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import ntk.BadInputException;
import ntk.io.OutputPaths;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Checks every command makes before it runs (README "Conventions"), in one place for all of them: each output path
 * ({@code --out}, {@code --cov-out}, {@code --labels-out}, {@code --plot}, {@code --csv}; {@code --out-dir} and an
 * experiment's folder) can be written — a regular file or nothing yet, in a folder ntk can write into, never a
 * directory, device or FIFO — no output is an input and no two outputs are one path; and a global flag the command
 * does not use ({@code --parameterization} on an experiment that does not declare it) is refused instead of being accepted
 * and ignored.
 */
final class Preflight {
    /** Options that name one output file. */
    static final Set<String> FILE_OUTPUTS = Set.of("--out", "--cov-out", "--labels-out", "--plot", "--csv");

    /** Commands whose networks take --parameterization (the others fix it or have no network). */
    static final Set<String> PARAMETERIZED = Set.of("kernel", "init", "empirical", "train", "monte-carlo", "predict",
            "kernel-pca", "diagnose");

    private Preflight() {
    }

    /** Runs the checks on a parsed command line; a refusal is a {@link BadInputException} (exit 2). */
    static void check(ParseResult root) {
        for (ParseResult p = root; p != null; p = p.subcommand()) {
            if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
                return;
            }
        }
        ParseResult leaf = root;
        boolean parameterization = false;
        for (ParseResult p = root; p != null; p = p.subcommand()) {
            parameterization |= p.hasMatchedOption("--parameterization");
            leaf = p;
        }
        CommandSpec spec = leaf.commandSpec();
        String name = spec.name();
        CommandSpec parent = spec.parent();
        boolean experiment = parent != null && parent.name().equals("experiment");
        boolean takesIt = experiment ? ExperimentCommand.takes(name, ExperimentCommand.PARAMETERIZATION)
                : PARAMETERIZED.contains(name) && (parent == null || parent.name().equals("ntk"));
        if (parameterization && !takesIt) {
            throw new BadInputException("--parameterization: " + spec.qualifiedName(" ").replaceFirst("^ntk ", "")
                    + " does not take it (" + (experiment || name.equals("demo")
                    ? "it fixes its networks' parameterisation, as the paper does"
                    : "it has no network whose parameterisation it would change") + "); it is for "
                    + String.join(", ", PARAMETERIZED.stream().sorted().toList()) + ExperimentCommand.takingIt());
        }
        Map<String, Path> outputs = new LinkedHashMap<>();
        Map<String, Path> inputs = new LinkedHashMap<>();
        boolean spark = spec.findOption("--engine") != null && "spark".equals(spec.findOption("--engine").getValue());
        for (OptionSpec o : spec.options()) {
            if (o.type() != Path.class || o.getValue() == null) {
                continue;
            }
            String flag = o.longestName();
            Path v = o.getValue();
            if (experiment && flag.equals("--out")) {
                if (java.nio.file.Files.exists(v) && !java.nio.file.Files.isDirectory(v)) {
                    throw new BadInputException(v + ": --out is an existing file, not a folder (the experiment writes"
                            + " the folder DIR/" + name + ")");
                }
                OutputPaths.checkFolder(v.toString().isEmpty() ? v : v.resolve(name), "--out");
                outputs.put(flag, v.resolve(name));
            } else if (flag.equals("--out-dir")) {
                OutputPaths.checkFolder(v, flag);
                outputs.put(flag, v);
            } else if (FILE_OUTPUTS.contains(flag) && !(spark && name.equals("kernel") && flag.equals("--out")
                    && !v.getFileName().toString().endsWith(".npy"))) {
                OutputPaths.checkFile(v, flag);
                outputs.put(flag, v);
            } else if (!flag.equals("--save")) {
                inputs.put(flag, v);
            }
        }
        OutputPaths.checkDistinct(outputs, inputs);
    }
}
