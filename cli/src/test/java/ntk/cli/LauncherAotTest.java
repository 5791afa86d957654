package ntk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's JVM start-up cache (cli/target/ntk.aot, docs/performance.md "Start-up"): made once per build by a
 * training run, then passed to every command; a command never fails for it, whether the training run fails (not
 * retried until the next build) or the cache is unusable (here it is not a cache at all, and the real JVM ignores it
 * without a word). The JDK is the stand-in of {@link LauncherFixture}, which plays the training run.
 */
class LauncherAotTest {
    @TempDir
    Path dir;

    static final String MAKING = "ntk: making the JVM's start-up cache (once per build; NTK_AOT=0 to skip) ...\n";

    /** The command each test runs: as cheap as a JVM start, its stderr relayed as ntk.cli.Main's is. */
    public static final class Hello {
        private Hello() {
        }

        public static void main(String[] args) {
            StderrRelay.install();
            System.out.println("ntk hello");
        }
    }

    LauncherFixture.Run run(Path ntk, Map<String, String> env) throws Exception {
        return LauncherFixture.run(dir, ntk, Hello.class.getName(), env);
    }

    static void assertRan(LauncherFixture.Run r) {
        assertEquals(0, r.status(), r.stderr());
        assertEquals("ntk hello\n", r.stdout());
    }

    @Test
    void theCacheIsMadeOncePerBuildAndPassedToEveryCommandAndAnUnusableCacheIsIgnoredSilently() throws Exception {
        Path ntk = LauncherFixture.launcher(dir);
        Path aot = ntk.resolveSibling("cli/target/ntk.aot");
        LauncherFixture.Run first = run(ntk, Map.of("NTK_TEST_AOT", "ok"));
        assertRan(first); // the cache the stand-in wrote is no cache: the real JVM runs without it, silently
        assertEquals(MAKING, first.stderr());
        assertEquals(2, first.javaCalls().size(), first.javaCalls().toString());
        assertTrue(first.javaCalls().get(0).contains("-XX:AOTCacheOutput=") && first.javaCalls().get(0)
                .contains("ntk.cli.AotTraining"), first.javaCalls().get(0));
        assertTrue(first.javaCalls().get(1).contains("-XX:AOTCache=" + aot), first.javaCalls().get(1));
        assertTrue(Files.exists(aot));

        LauncherFixture.Run second = run(ntk, Map.of("NTK_TEST_AOT", "ok"));
        assertRan(second);
        assertEquals("", second.stderr());
        assertEquals(1, second.javaCalls().size(), second.javaCalls().toString());
        assertTrue(second.javaCalls().get(0).contains("-XX:AOTCache=" + aot));

        // a new build (the jar newer than the cache): made again
        Files.setLastModifiedTime(ntk.resolveSibling("cli/target/ntk.jar"),
                FileTime.from(Instant.now().plusSeconds(60)));
        LauncherFixture.Run rebuilt = run(ntk, Map.of("NTK_TEST_AOT", "ok"));
        assertRan(rebuilt);
        assertEquals(MAKING, rebuilt.stderr());
        assertTrue(rebuilt.javaCalls().get(0).contains("-XX:AOTCacheOutput="));
    }

    @Test
    void aFailedTrainingRunNeverFailsTheCommandAndIsNotRetriedUntilTheNextBuild() throws Exception {
        Path ntk = LauncherFixture.launcher(dir);
        LauncherFixture.Run first = run(ntk, Map.of());
        assertRan(first);
        assertEquals(MAKING, first.stderr());
        assertEquals(2, first.javaCalls().size(), first.javaCalls().toString());
        assertFalse(first.javaCalls().get(1).contains("AOTCache"), first.javaCalls().get(1));
        assertFalse(Files.exists(ntk.resolveSibling("cli/target/ntk.aot")));

        LauncherFixture.Run second = run(ntk, Map.of());
        assertRan(second);
        assertEquals("", second.stderr());
        assertEquals(1, second.javaCalls().size());
        assertFalse(second.javaCalls().get(0).contains("AOT"), second.javaCalls().get(0));
    }

    @Test
    void noCacheWithNtkAotZeroOrWhenTheJavaOptionsChooseTheirOwnSharing() throws Exception {
        Path ntk = LauncherFixture.launcher(dir);
        for (Map<String, String> env : List.of(Map.of("NTK_AOT", "0", "NTK_TEST_AOT", "ok"),
                Map.of("NTK_JAVA_OPTS", "-Xshare:off", "NTK_TEST_AOT", "ok"))) {
            LauncherFixture.Run r = run(ntk, env);
            assertRan(r);
            assertEquals(1, r.javaCalls().size(), env + ": " + r.javaCalls());
            assertFalse(r.javaCalls().get(0).contains("AOT"), env + ": " + r.javaCalls().get(0));
        }
    }
}
