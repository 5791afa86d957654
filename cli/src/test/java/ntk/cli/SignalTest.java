package ntk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20 items 4-5: the launcher execs the JVM (a signal to ./ntk reaches the job), SIGTERM ends a job with status
 * 143 and removes its temporary files, the previous output stays whole; the launcher's stderr carries only ntk's
 * lines (the JDK's incubator notice is dropped by StderrRelay). The launcher runs on a stand-in JDK whose
 * {@code bin/java} runs the real JVM on the test class path, so no jar has to be built.
 */
class SignalTest {
    @TempDir
    Path dir;

    /** A copy of the launcher beside a stand-in jar and JDK (see {@link LauncherFixture}). */
    Path launcher() throws Exception {
        return LauncherFixture.launcher(dir);
    }

    Process start(Path ntk, String main, String... args) throws Exception {
        ProcessBuilder pb = LauncherFixture.builder(dir, ntk, main, args);
        pb.environment().put("NTK_AOT", "0"); // the start-up cache has its own test (LauncherAotTest)
        return pb.start();
    }

    List<String> names(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static String all(java.io.InputStream in) throws Exception {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Waits for "writing", then SIGTERM to the launcher's pid: the JVM itself gets it (exec). */
    int killWhileWriting(Process p) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        assertEquals("writing", line, () -> {
            try {
                return all(p.getErrorStream());
            } catch (Exception e) {
                return e.toString();
            }
        });
        assertTrue(p.info().command().orElse("").endsWith("java"), "the launcher's pid runs java: "
                + p.info().command());
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.exitValue();
    }

    @Test
    void sigtermToTheLauncherStopsTheJobRemovesItsTemporaryFileAndKeepsTheOldOutput() throws Exception {
        Path ntk = launcher();
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("K.npy"), "old");
        Process p = start(ntk, "ntk.cli.SlowWriterMain", "file", out.resolve("K.npy").toString());
        assertEquals(143, killWhileWriting(p));
        assertEquals(List.of("K.npy"), names(out)); // no .K.npy.*.tmp left
        assertEquals("old", Files.readString(out.resolve("K.npy")));
        // an .npy file being written by rows while the kernel is computed (ntk kernel)
        p = start(ntk, "ntk.cli.SlowWriterMain", "streamed", out.resolve("K.npy").toString());
        assertEquals(143, killWhileWriting(p));
        assertEquals(List.of("K.npy"), names(out));
        assertEquals("old", Files.readString(out.resolve("K.npy")));
        // a folder being replaced whole: the old one stays, the temporary sibling goes
        Path exp = Files.createDirectories(out.resolve("exp"));
        Files.writeString(exp.resolve("summary.json"), "{\"old\": true}");
        p = start(ntk, "ntk.cli.SlowWriterMain", "folder", exp.toString());
        assertEquals(143, killWhileWriting(p));
        assertEquals(List.of("K.npy", "exp"), names(out));
        assertEquals(List.of("summary.json"), names(exp));
        assertEquals("{\"old\": true}", Files.readString(exp.resolve("summary.json")));
    }

    @Test
    void theLaunchersStderrCarriesOnlyNtksLines() throws Exception {
        Path ntk = launcher();
        Process p = start(ntk, null, "eoc", "--activation", "Relu", "--sigma-b", "0");
        String stdout = all(p.getInputStream());
        String stderr = all(p.getErrorStream());
        assertEquals(0, p.waitFor(), stderr);
        assertTrue(stdout.contains("edge of chaos at sigma_w = 1.41421356"), stdout);
        assertEquals("", stderr); // the JDK's "Using incubator modules" notice is not passed on
        Process fifo = new ProcessBuilder("mkfifo", dir.resolve("n").toString()).start();
        assertEquals(0, fifo.waitFor());
        p = start(ntk, null, "depth", "--activation", "Relu", "--sigma-w", "1.4", "--sigma-b", "0", "--max-depth",
                "3", "--out", dir.resolve("n").toString());
        stdout = all(p.getInputStream());
        stderr = all(p.getErrorStream());
        assertEquals(2, p.waitFor(), stderr);
        assertEquals("ntk: " + dir.resolve("n") + ": --out is not a regular file (a device, FIFO or socket); ntk"
                + " writes only regular files\n", stderr);
        assertEquals("", stdout);
    }
}
