package ntk.experiments;

/**
 * Where a running experiment reports: log lines (always shown) and counted tasks (a progress bar on a
 * terminal, nothing otherwise). {@link #QUIET} drops everything (tests).
 */
public interface Progress {
    /** One line for the user (what was computed, how long it took). */
    void log(String line);

    /** Starts a task of {@code total} steps; close it when done. */
    Task task(String label, long total);

    /** A counted task. */
    interface Task extends AutoCloseable {
        void step();

        @Override
        void close();
    }

    Progress QUIET = new Progress() {
        @Override
        public void log(String line) {
        }

        @Override
        public Task task(String label, long total) {
            return new Task() {
                @Override
                public void step() {
                }

                @Override
                public void close() {
                }
            };
        }
    };

    /** Log lines to a writer, no bars. */
    static Progress lines(java.io.PrintWriter out) {
        return new Progress() {
            @Override
            public void log(String line) {
                out.println(line);
                out.flush();
            }

            @Override
            public Task task(String label, long total) {
                return QUIET.task(label, total);
            }
        };
    }
}
