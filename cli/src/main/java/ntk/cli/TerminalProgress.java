package ntk.cli;

import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import ntk.experiments.Progress;

/** {@link Progress} on the terminal: log lines to out, and a progress bar on stderr only when it is a terminal. */
final class TerminalProgress implements Progress {
    private final PrintWriter out;
    private final boolean tty;

    private TerminalProgress(PrintWriter out, boolean tty) {
        this.out = out;
        this.tty = tty;
    }

    /** Bars only when the JVM runs on an interactive terminal (never in tests or pipes). */
    static Progress on(PrintWriter out) {
        java.io.Console c = System.console();
        return new TerminalProgress(out, c != null && c.isTerminal());
    }

    @Override
    public void log(String line) {
        out.println(line);
        out.flush();
    }

    @Override
    public Task task(String label, long total) {
        if (!tty) {
            return Progress.QUIET.task(label, total);
        }
        ProgressBar bar = new ProgressBarBuilder().setTaskName(label).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate().build();
        return new Task() {
            @Override
            public void step() {
                bar.step();
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }
}
