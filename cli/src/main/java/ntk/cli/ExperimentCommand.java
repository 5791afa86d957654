package ntk.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import ntk.experiments.Experiment;
import ntk.experiments.Experiments;
import ntk.experiments.Param;
import ntk.experiments.Settings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ntk experiment NAME --out DIR [--full] [--data DIR] [--seed S] [own options]}: one subcommand per
 * entry of {@link Experiments#all()}, built from the registry (the experiment's {@link Param}s become its options).
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "The papers' experiments: DIR/NAME/report.html (one self-contained page), DIR/NAME/summary.json"
            + " (headline numbers) and the data beside them.")
final class ExperimentCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Adds one subcommand per registered experiment to the {@code experiment} command line. */
    static void register(CommandLine experiment) {
        for (Experiment e : Experiments.all()) {
            Runner r = new Runner(e);
            CommandSpec s = CommandSpec.wrapWithoutInspection(r);
            r.spec = s;
            s.name(e.name()).aliases(e.aliases().toArray(String[]::new)).mixinStandardHelpOptions(true);
            s.usageMessage().description(e.description().replace("%", "%%")); // picocli formats descriptions
            s.usageMessage().header(summary(e.description()).replace("%", "%%"));
            s.usageMessage().footerHeading("%nExample:%n").footer("  ntk experiment " + e.name() + " --out results");
            s.addOption(OptionSpec.builder("--out").required(true).type(Path.class).paramLabel("DIR")
                    .description("output directory; the experiment writes into DIR/" + e.name()).build());
            s.addOption(OptionSpec.builder("--full").type(boolean.class).arity("0").defaultValue("false")
                    .description("the paper's size (slow) instead of the reduced default").build());
            s.addOption(OptionSpec.builder("--data").type(Path.class).paramLabel("DIR").description("full MNIST IDX files"
                    + " (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-...) instead of the shipped"
                    + " subset").hidden(!e.readsData()).build()); // the others refuse it (Settings.of)
            s.addOption(OptionSpec.builder("--seed").type(long.class).defaultValue("0")
                    .description("first random seed (default ${DEFAULT-VALUE})").build());
            for (Param p : e.allParams()) {
                if (p.name().equals(PARAMETERIZATION)) {
                    continue; // the global option, inherited from ntk's command line; the Runner passes it on
                }
                if (p.isFlag()) { // no value: on when given
                    s.addOption(OptionSpec.builder(p.name()).type(boolean.class).arity("0").defaultValue("false")
                            .description(p.description().replace("%", "%%")).build());
                    continue;
                }
                OptionSpec.Builder b = OptionSpec.builder(p.name()).type(String.class).description(p.description().replace("%", "%%")
                        + (p.defaultValue() == null ? "" : " (default ${DEFAULT-VALUE})"));
                if (p.defaultValue() != null) {
                    b.defaultValue(p.defaultValue());
                }
                s.addOption(b.build());
            }
            experiment.addSubcommand(e.name(), new CommandLine(s));
            e.allParams().stream().filter(p -> p.name().equals(PARAMETERIZATION)).findFirst().ifPresent(p -> {
                // the inherited global option, described as this experiment uses it (its own default)
                OptionSpec global = s.findOption(PARAMETERIZATION);
                s.remove(global);
                s.addOption(OptionSpec.builder(PARAMETERIZATION).type(String.class).paramLabel("ntk|standard")
                        .description(p.description().replace("%", "%%")).build());
            });
        }
    }

    /** The longest line of {@code ntk experiment --help}: 80 columns less the name column. */
    static final int SUMMARY_WIDTH = 52;

    /**
     * An experiment's line in {@code ntk experiment --help}: its description up to the first colon (the paper and
     * figure, "Hayou, Doucet &amp; Rousseau's Figure 1"), or its first words, cut at {@link #SUMMARY_WIDTH}.
     */
    static String summary(String description) {
        int colon = description.indexOf(": ");
        String head = colon > 0 ? description.substring(0, colon) : description;
        if (head.length() <= SUMMARY_WIDTH) {
            return head;
        }
        int cut = head.lastIndexOf(' ', SUMMARY_WIDTH - 1);
        return head.substring(0, cut > 0 ? cut : SUMMARY_WIDTH - 1) + "…";
    }

    /**
     * The global option an experiment may declare as one of its {@link Param}s: it then receives the value given on the
     * command line (before or after the command name), or null when none was given (the experiment's own default
     * applies, not the global default); an experiment that does not declare it refuses it (Preflight).
     */
    static final String PARAMETERIZATION = "--parameterization";

    /** True when the experiment named declares the option as one of its params. */
    static boolean takes(String experiment, String option) {
        return Experiments.all().stream().filter(e -> e.name().equals(experiment) || e.aliases().contains(experiment))
                .anyMatch(e -> e.allParams().stream().anyMatch(p -> p.name().equals(option)));
    }

    /** ", and experiment X, Y" for the experiments that declare --parameterization (empty when none does). */
    static String takingIt() {
        java.util.List<String> names = Experiments.all().stream().filter(e -> e.allParams().stream()
                .anyMatch(p -> p.name().equals(PARAMETERIZATION))).map(Experiment::name).toList();
        return names.isEmpty() ? "" : ", and experiment " + String.join(", ", names);
    }

    /** Runs one experiment from its parsed options. */
    static final class Runner implements Callable<Integer> {
        final Experiment experiment;
        CommandSpec spec;

        Runner(Experiment experiment) {
            this.experiment = experiment;
        }

        /** --parameterization's value where the command line gave it (root or subcommand), else null. */
        String globalParameterization() {
            String v = null;
            for (CommandLine.ParseResult p = spec.root().commandLine().getParseResult(); p != null; p = p.subcommand()) {
                if (p.hasMatchedOption(PARAMETERIZATION)) {
                    v = p.matchedOptionValue(PARAMETERIZATION, null);
                }
            }
            return v;
        }

        @Override
        public Integer call() {
            Map<String, String> given = new LinkedHashMap<>();
            for (Param p : experiment.allParams()) {
                Object v = p.name().equals(PARAMETERIZATION) ? globalParameterization()
                        : spec.findOption(p.name()).getValue();
                given.put(p.name(), v instanceof Boolean on ? (on ? "true" : null) : (String) v);
            }
            Path data = spec.findOption("--data").getValue();
            boolean full = spec.findOption("--full").getValue();
            long seed = spec.findOption("--seed").getValue();
            Settings s = Settings.of(experiment, full, data, seed, given);
            String cmd = "ntk " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
            Path out = spec.findOption("--out").getValue();
            Experiments.run(experiment, s, out, TerminalProgress.on(spec.commandLine().getOut()), cmd.toString());
            return 0;
        }
    }
}
