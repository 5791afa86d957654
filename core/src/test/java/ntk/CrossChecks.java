package ntk;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Cross-checks against outside tools (python3, NumPy): skipped on a developer machine without them, failed in CI. */
public final class CrossChecks {
    private CrossChecks() {
    }

    /** Under CI=true (set by .ci/run) a cross-check whose tool is missing fails; elsewhere it is skipped. */
    public static void toolMissing(String what) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(what + " (CI=true: a cross-check must run, not skip; .ci/run installs its tools)");
        }
        Assumptions.abort(what);
    }

    /**
     * The python3 that can import torch and NumPy (/usr/bin/python3 when present, where Debian's python3-torch lives),
     * or {@link #toolMissing} when none can.
     */
    public static String pythonWithTorch() throws InterruptedException {
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        int status;
        try {
            Process probe = new ProcessBuilder(python, "-c", "import torch, numpy").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            status = probe.waitFor(120, TimeUnit.SECONDS) ? probe.exitValue() : -1;
        } catch (java.io.IOException e) {
            status = -1;
        }
        if (status != 0) {
            toolMissing(python + " cannot import torch and numpy (install python3-torch)");
        }
        return python;
    }
}
