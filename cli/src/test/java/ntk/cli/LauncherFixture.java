package ntk.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A copy of the {@code ntk} launcher in a temporary folder, beside an empty stand-in jar and a stand-in JDK whose
 * {@code bin/java} runs the real JVM on the test class path (so no jar has to be built): {@code -jar JAR} becomes
 * {@code -cp TEST_CLASSPATH MAIN}. The stand-in also appends each of its command lines to {@code $NTK_TEST_LOG} when
 * that is set, and plays the JVM's AOT cache training run ({@code -XX:AOTCacheOutput=FILE}): with
 * {@code NTK_TEST_AOT=ok} it writes a file that is not a cache there and succeeds, otherwise it fails.
 */
final class LauncherFixture {
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private LauncherFixture() {
    }

    /** The launcher copied to dir/root/ntk, with the stand-ins; returns its path. */
    static Path launcher(Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("cli/target"));
        Files.createDirectories(root.resolve("spark/target"));
        Files.writeString(root.resolve("cli/target/ntk.jar"), "");
        Files.writeString(root.resolve("spark/target/ntk-spark.jar"), "");
        Path ntk = root.resolve("ntk");
        Files.copy(Path.of("..", "ntk"), ntk);
        Path jdk = Files.createDirectories(dir.resolve("jdk/bin"));
        Files.writeString(dir.resolve("jdk/release"), "JAVA_VERSION=\"25.0.1\"\n");
        Files.writeString(jdk.resolve("javac"), "#!/bin/sh\nexit 0\n");
        Files.writeString(jdk.resolve("java"), """
                #!/bin/bash
                [ -z "${NTK_TEST_LOG:-}" ] || printf '%s\\n' "$*" >>"$NTK_TEST_LOG"
                for a in "$@"; do
                  case "$a" in
                    -XX:AOTCacheOutput=*) [ "${NTK_TEST_AOT:-}" = ok ] || exit 1; echo "not a cache" >"${a#*=}"; exit 0 ;;
                  esac
                done
                args=(); skip=0
                for a in "$@"; do
                  if [ $skip = 1 ]; then skip=0; continue; fi
                  if [ "$a" = -jar ]; then skip=1; args+=(-cp "$NTK_TEST_CP" "${NTK_TEST_MAIN:-ntk.cli.Main}"); continue; fi
                  args+=("$a")
                done
                exec "$NTK_TEST_JAVA" "${args[@]}"
                """);
        for (Path p : List.of(ntk, jdk.resolve("java"), jdk.resolve("javac"))) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return ntk;
    }

    /** A process builder for {@code ntk args...} in dir, on the stand-in JDK; main replaces ntk.cli.Main if given. */
    static ProcessBuilder builder(Path dir, Path ntk, String main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(ntk.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.remove("NTK_JAVA_OPTS");
        env.remove("NTK_AOT");
        env.put("NTK_JAVA_HOME", dir.resolve("jdk").toString());
        env.put("NTK_NO_APT", "1");
        env.put("NTK_HEAP", "256m");
        env.put("NTK_TEST_JAVA", JAVA);
        env.put("NTK_TEST_CP", System.getProperty("java.class.path"));
        if (main != null) {
            env.put("NTK_TEST_MAIN", main);
        }
        return pb;
    }

    /** What {@link #run} saw: the exit status, stdout, stderr and the stand-in JDK's command lines. */
    record Run(int status, String stdout, String stderr, List<String> javaCalls) {
    }

    /** Runs {@code ntk args...} in dir with main in place of ntk.cli.Main and env added, logging the JVM's calls. */
    static Run run(Path dir, Path ntk, String main, Map<String, String> env, String... args) throws Exception {
        Path log = dir.resolve("java.log");
        Files.deleteIfExists(log);
        ProcessBuilder pb = builder(dir, ntk, main, args);
        pb.environment().put("NTK_TEST_LOG", log.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = p.waitFor();
        return new Run(status, out, err, Files.exists(log) ? Files.readAllLines(log) : List.of());
    }
}
