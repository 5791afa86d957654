package ntk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's stderr relay (docs/conventions.md): ntk's own lines go straight to the real stderr, lines native code
 * writes to descriptor 2 are not lost (copied over at exit in a short job, and written directly once the relay has
 * put descriptor 2 back in a longer one), and the JDK's incubator notice is dropped.
 */
class StderrRelayTest {
    @TempDir
    Path dir;

    String[] run(String... args) throws Exception {
        Path ntk = LauncherFixture.launcher(dir);
        ProcessBuilder pb = LauncherFixture.builder(dir, ntk, NativeStderrMain.class.getName(), args);
        pb.environment().put("NTK_AOT", "0");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), err);
        return new String[] {out, err};
    }

    @Test
    void aShortJobsNativeLinesArePassedOnAtExit() throws Exception {
        String[] r = run();
        assertEquals("done\n", r[0]);
        assertEquals("ntk: java line\nnative early\n", r[1]);
    }

    @Test
    void aLongerJobsNativeLinesArePassedOnAndLaterOnesGoStraightOut() throws Exception {
        String[] r = run("late");
        assertEquals("done\n", r[0]);
        assertEquals("ntk: java line\nnative early\nnative late\n", r[1]);
    }
}
