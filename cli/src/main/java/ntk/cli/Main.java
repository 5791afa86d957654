package ntk.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import ntk.BadInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code ntk} command (README "Command line"). Exit status 0 on success, 2 on bad input with a
 * one-line message on stderr, 1 on an internal error.
 */
@Command(name = "ntk", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Neural Tangent Kernels: infinite-width NNGP and NTK kernels, finite networks, dynamics.")
public final class Main implements Runnable {
    /**
     * The subcommands, in the order of the help listing (the names are their {@code @Command} names). They are added
     * by {@link #commandLine}, not by the annotation, so that a run of one command builds only that command's model:
     * picocli's reflection over all thirteen command classes took ~0.3-0.6 s of a one-shot command's CPU.
     */
    private static final String[] NAMES = {"kernel", "init", "empirical", "train", "monte-carlo", "predict",
        "kernel-pca", "diagnose", "eoc", "depth", "experiment", "demo", "bench"};
    private static final Class<?>[] COMMAND_CLASSES = {KernelCommand.class, InitCommand.class, EmpiricalCommand.class,
        TrainCommand.class, MonteCarloCommand.class, PredictCommand.class, KernelPcaCommand.class,
        DiagnoseCommand.class, EocCommand.class, DepthCommand.class, ExperimentCommand.class, DemoCommand.class,
        BenchCommand.class};

    public static final int BAD_INPUT = 2;
    public static final int INTERNAL = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Global (README "Command line"): accepted before or after the command name. */
    @CommandLine.Option(names = "--parameterization", defaultValue = "ntk", scope = CommandLine.ScopeType.INHERIT,
            description = "ntk (default) or standard")
    String parameterization;

    /** One entry of {@link #COMMANDS}: the line of {@code ntk --help} and the example of {@code ntk NAME --help}. */
    record Entry(String summary, String example) {
    }

    /**
     * The newcomer's table: one line per command in {@code ntk --help} (each command's header, so its own
     * {@code --help} opens with it too), and one example at the end of {@code ntk COMMAND --help}, whose description
     * keeps the detail. Kept here, in one place, so that the table reads as a whole.
     */
    static final Map<String, Entry> COMMANDS = commands();

    /** The longest one-line summary: 80 columns less the command column of {@code ntk --help}. */
    static final int SUMMARY_WIDTH = 62;

    private static Map<String, Entry> commands() {
        Map<String, Entry> m = new LinkedHashMap<>();
        m.put("kernel", new Entry("infinite-width NNGP or NTK kernel of inputs (n1, n2)",
                "ntk kernel --arch 'Dense(512), Relu, Dense(1)' --x1 X.npy --kind ntk --out K.npy"));
        m.put("init", new Entry("seeded raw parameters of a finite network (.npz)",
                "ntk init --arch 'Dense(512), Relu, Dense(1)' --input-dim 3 --seed 0 --out params.npz"));
        m.put("empirical", new Entry("empirical NTK of a finite network at given parameters",
                "ntk empirical --arch 'Dense(512), Relu, Dense(1)' --params params.npz --x1 X.npy --out K.npy"));
        m.put("train", new Entry("train a finite network (GD/SGD), record loss, kernel change",
                "ntk train --arch 'Dense(512), Relu, Dense(1)' --params params.npz --train-x X.npy --train-y Y.npy"
                        + " --steps 100 --learning-rate 1 --out run.npz"));
        m.put("monte-carlo", new Entry("finite networks' kernels averaged over seeds",
                "ntk monte-carlo --arch 'Dense(2048), Relu, Dense(1)' --x1 X.npy --kind ntk --seeds 20 --out K.npy"));
        m.put("predict", new Entry("the trained infinite-width network's mean (and covariance)",
                "ntk predict --arch 'Dense(512), Relu, Dense(1)' --train-x X.npy --train-y Y.npy --test-x T.npy"
                        + " --kind ntk --time inf --out mean.npy --cov-out cov.npy"));
        m.put("kernel-pca", new Entry("kernel principal components and their decay times",
                "ntk kernel-pca --arch 'Dense(512), Relu, Dense(1)' --train-x X.npy --kind ntk --components 10"
                        + " --out pca.npz"));
        m.put("diagnose", new Entry("trainability: eigenvalues, condition, largest stable rate",
                "ntk diagnose --arch 'Dense(512), Relu, Dense(1)' --train-x X.npy --train-y Y.npy --json"));
        m.put("eoc", new Entry("edge of chaos: the sigma_w of an activation at a given sigma_b",
                "ntk eoc --activation Tanh --sigma-b 0.2 --json"));
        m.put("depth", new Entry("infinite-width NTK against depth and its degeneration rates",
                "ntk depth --activation Relu --sigma-w 1.4142 --sigma-b 0 --max-depth 50 --out depth.npz"));
        m.put("experiment", new Entry("one of the papers' experiments: report.html, summary.json",
                "ntk experiment hayou-fig1 --out results"));
        m.put("demo", new Entry("the main job on the shipped MNIST digits, one report",
                "ntk demo --out-dir ntk-demo"));
        m.put("bench", new Entry("benchmarks: kernels, BLAS, empirical NTK, training, predict",
                "ntk bench kernel --n 1000"));
        m.put("help", new Entry("help on a command (as COMMAND --help)", "ntk help predict"));
        return m;
    }

    /**
     * Gives each command its line of {@code ntk --help} (its header, at most {@link #SUMMARY_WIDTH} characters so that
     * it stays one line in 80 columns) and its example (a footer).
     */
    static void describe(CommandLine cl) {
        for (Map.Entry<String, CommandLine> c : cl.getSubcommands().entrySet()) {
            Entry e = COMMANDS.get(c.getKey());
            if (e == null) {
                throw new IllegalStateException("command " + c.getKey() + " has no line in Main.COMMANDS");
            }
            CommandLine.Model.UsageMessageSpec u = c.getValue().getCommandSpec().usageMessage();
            u.header(e.summary());
            u.footerHeading("%nExample:%n");
            u.footer(exampleLines(e.example().replace("%", "%%")));
        }
    }

    /**
     * An example command as shell lines of at most 78 columns, broken before an option with a backslash
     * continuation (picocli would otherwise wrap it inside a word).
     */
    static String exampleLines(String example) {
        StringBuilder out = new StringBuilder("  ");
        int col = 2;
        for (String part : example.split(" (?=--)")) {
            if (col > 2 && col + 1 + part.length() > 76) {
                out.append(" \\%n      ");
                col = 6;
            } else if (col > 2) {
                out.append(' ');
                col++;
            }
            out.append(part);
            col += part.length();
        }
        return out.toString();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        StderrRelay.install();
        String command = invoked(args);
        if (command != null) {
            preload(!command.equals("kernel"));
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Loads the native BLAS (dlopen of OpenBLAS, its thread pool: ~0.1-0.2 s) on a second core while this thread parses
     * the command line and reads the inputs, so that a one-shot command's first BLAS call does not wait for it. Class
     * initialisation is once per JVM whichever thread gets there first, so nothing else changes; a failure here is left
     * for the command itself to meet and report. LAPACK too when lapack (the kernel command never uses it).
     */
    private static void preload(boolean lapack) {
        Thread t = new Thread(() -> {
            try {
                ntk.linalg.Linalg.isNative();
                if (lapack) {
                    ntk.linalg.Linalg.lapack();
                }
            } catch (Throwable ignored) { // reported, if it matters, where the command uses BLAS
            }
        }, "ntk-preload");
        t.setDaemon(true);
        t.start();
    }

    /** Runs the command line and returns its exit status (for tests and for {@link #main}). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine(invoked(args));
        cl.setExecutionStrategy(pr -> {
            try {
                Preflight.check(pr);
            } catch (BadInputException e) {
                throw new CommandLine.ExecutionException(pr.asCommandLineList().getLast(), e.getMessage(), e);
            }
            return new CommandLine.RunLast().execute(pr);
        });
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            String cmd = commandName(ex.getCommandLine());
            err.println("ntk: " + oneLine(ex.getMessage()) + " (see: ntk " + (cmd.isEmpty() ? "" : cmd + " ") + "--help)");
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Throwable e = ex;
            if (e instanceof BadInputException b) {
                err.println("ntk: " + oneLine(Flags.render(b)));
                return BAD_INPUT;
            }
            err.println("ntk: internal error: " + e);
            if (System.getenv("NTK_DEBUG") != null) {
                e.printStackTrace(err);
            } else {
                err.println("     (set NTK_DEBUG=1 for the stack trace)");
            }
            return INTERNAL;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) { // an Error: picocli's exception handler never sees it
            err.println("ntk: out of memory (" + oneLine(e.getMessage())
                    + "); raise the heap with NTK_HEAP, e.g. NTK_HEAP=20g");
            return INTERNAL;
        }
    }

    /**
     * The command line with every subcommand (only == null) or with the one named only (a run of that command: its
     * parsing, help and errors are the same, since subcommands do not see each other); experiments registered when
     * "experiment" is among them.
     */
    static CommandLine commandLine(String only) {
        CommandLine cl = new CommandLine(new Main());
        for (int i = 0; i < NAMES.length; i++) {
            if (only == null || only.equals(NAMES[i])) {
                cl.addSubcommand(NAMES[i], COMMAND_CLASSES[i]);
            }
        }
        if (only == null) {
            cl.addSubcommand("help", new CommandLine.HelpCommand());
        }
        if (cl.getSubcommands().containsKey("experiment")) {
            ExperimentCommand.register(cl.getSubcommands().get("experiment"));
        }
        describe(cl);
        return cl;
    }

    /**
     * The subcommand args name, if it is one of {@link #NAMES} (its first word that is not an option or the value of
     * the global --parameterization); otherwise null (no command, help, a misspelt name: all commands then).
     */
    static String invoked(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--parameterization")) {
                i++;
            } else if (!a.startsWith("-")) {
                return java.util.Arrays.asList(NAMES).contains(a) ? a : null;
            }
        }
        return null;
    }

    /** The command's full name after "ntk" ("experiment hayou-fig1"), for the hint "see: ntk ... --help". */
    private static String commandName(CommandLine cl) {
        return cl.getCommandSpec().qualifiedName(" ").replaceFirst("^ntk ?", "");
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"ntk " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ", BLAS: "
                    + ntk.linalg.Linalg.backend() + ")"};
        }
    }
}
