package ntk.cli;

import java.io.PrintWriter;
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
    private static final Class<?>[] COMMANDS = {KernelCommand.class, InitCommand.class, EmpiricalCommand.class,
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

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        StderrRelay.install();
        if (invoked(args) != null) {
            preload();
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Loads the native BLAS (dlopen of OpenBLAS, its thread pool: ~0.1-0.2 s) on a second core while this thread parses
     * the command line and reads the inputs, so that a one-shot command's first BLAS call does not wait for it. Class
     * initialisation is once per JVM whichever thread gets there first, so nothing else changes; a failure here is left
     * for the command itself to meet and report.
     */
    private static void preload() {
        Thread t = new Thread(() -> {
            try {
                ntk.linalg.Linalg.isNative();
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
                cl.addSubcommand(NAMES[i], COMMANDS[i]);
            }
        }
        if (only == null) {
            cl.addSubcommand("help", new CommandLine.HelpCommand());
        }
        if (cl.getSubcommands().containsKey("experiment")) {
            ExperimentCommand.register(cl.getSubcommands().get("experiment"));
        }
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
