package ntk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import ntk.NdArray;
import ntk.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Core refusals name API parameters (ApiMessagesTest in core); the command line prints them with its flags, exactly
 * as it did when the core spelled the flags itself.
 */
class CoreMessagesCommandTest {
    @TempDir
    Path dir;

    private Path x(String name, double... v) {
        Path p = dir.resolve(name);
        Npy.write(p, new NdArray(new int[] {v.length / 2, 2}, v));
        return p;
    }

    private static void refused(String expectedLine, String... args) {
        KernelCommandTest.Run r = KernelCommandTest.run(args);
        assertEquals(2, r.status(), r.err());
        assertEquals("ntk: " + expectedLine, r.err().strip());
    }

    @Test
    void coreMessagesSpeakFlagsOnTheCommandLine() {
        Path x = x("x.npy", 1, 0, 0, 1, 1, 1);
        String out = dir.resolve("k.npy").toString();
        refused("--arch: empty spec", "kernel", "--arch", "", "--x1", x.toString(), "--kind", "ntk", "--out", out);
        refused("--arch: Relu after Relu has no infinite-width kernel: its input is not Gaussian; put a Dense layer"
                + " before it (as neural-tangents requires)", "kernel", "--arch", "Dense(2), Relu, Relu, Dense(1)",
                "--x1", x.toString(), "--kind", "ntk", "--out", out);
        refused("--parameterization: expected 'ntk' or 'standard', got 'mup'", "kernel", "--parameterization", "mup",
                "--arch", "Dense(1)", "--x1", x.toString(), "--kind", "ntk", "--out", out);
        refused("--arch-kind: expected dense, resnet, scaled-resnet, conv or conv-resnet, got 'mlp'", "depth", "--activation", "Relu",
                "--sigma-w", "1.4", "--sigma-b", "0", "--max-depth", "3", "--arch-kind", "mlp", "--out",
                dir.resolve("d.npz").toString());
        Path missing = dir.resolve("no-mnist-here");
        refused(missing + ": --data must be a directory holding the MNIST IDX files", "experiment", "jacot-fig3",
                "--data", missing.toString(), "--out", dir.resolve("exp").toString());
        // a flag inside the message: two equal training points make K singular at t = inf
        Path dup = x("dup.npy", 1, 0, 1, 0, 0, 1);
        Path y = dir.resolve("y.npy");
        Npy.write(y, new NdArray(new int[] {3, 1}, new double[] {1, 1, 0}));
        KernelCommandTest.Run r = KernelCommandTest.run("predict", "--arch", "Dense(1)", "--train-x", dup.toString(),
                "--train-y", y.toString(), "--test-x", x.toString(), "--kind", "ntk", "--out", out);
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().startsWith("ntk: t = inf needs K^-1, but the training kernel is singular")
                && r.err().contains("; train for a finite time or add a ridge (--ridge r, e.g. "), r.err());
    }

    @Test
    void flagsOfParameters() {
        assertEquals("--ridge", Flags.of("ridge"));
        assertEquals("--max-depth", Flags.of("maxDepth"));
        assertEquals("--batch-size", Flags.of("batchSize"));
        assertEquals("--arch-kind", Flags.of("kind"));
        assertEquals("--data", Flags.of("dataDir"));
    }

    /** Every parameter a core message names has a flag that some command declares. */
    @Test
    void everyNamedParameterIsAFlagOfSomeCommand() throws IOException {
        Set<String> flags = new HashSet<>();
        collect(Main.commandLine(null), flags); // every command, experiments included
        Pattern param = Pattern.compile("param\\(\"([A-Za-z]+)\"\\)");
        Set<String> named = new TreeSet<>();
        for (String module : new String[] {"core", "experiments", "spark"}) {
            try (Stream<Path> files = Files.walk(Path.of("..", module, "src", "main", "java"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = param.matcher(Files.readString(f));
                    while (m.find()) {
                        named.add(m.group(1));
                    }
                }
            }
        }
        assertTrue(named.containsAll(Set.of("ridge", "arch", "maxDepth", "kind", "dataDir", "engine", "blockSize",
                "master", "tol")), named.toString());
        for (String p : named) {
            assertTrue(flags.contains(Flags.of(p)), p + " -> " + Flags.of(p) + " is no command's flag");
        }
    }

    private static void collect(CommandLine cl, Set<String> flags) {
        cl.getCommandSpec().options().forEach(o -> flags.addAll(java.util.List.of(o.names())));
        cl.getSubcommands().values().forEach(c -> collect(c, flags));
    }
}
