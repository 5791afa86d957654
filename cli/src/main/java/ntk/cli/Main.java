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
        description = "Neural Tangent Kernels: infinite-width NNGP and NTK kernels, finite networks, dynamics.",
        subcommands = {KernelCommand.class, InitCommand.class, EmpiricalCommand.class, TrainCommand.class,
            MonteCarloCommand.class, PredictCommand.class, KernelPcaCommand.class,
            DiagnoseCommand.class, EocCommand.class, DepthCommand.class,
            ExperimentCommand.class, DemoCommand.class, BenchCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
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
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns its exit status (for tests and for {@link #main}). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        ExperimentCommand.register(cl.getSubcommands().get("experiment"));
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
