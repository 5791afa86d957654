package ntk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's JIT choice (docs/performance.md, "Start-up"): C1 only (-XX:TieredStopAtLevel=1) and no transparent
 * huge pages for a small kernel of a dense network whose activations are all smooth, the JVM's default (C1 then C2,
 * the activations' vector code compiled early) and huge pages for everything else. The inputs are
 * .npy headers only: the launcher reads nothing more, and the stand-in command ({@link LauncherAotTest.Hello}) reads
 * nothing.
 */
class LauncherJitTest {
    @TempDir
    Path dir;

    static final String C1 = "-XX:TieredStopAtLevel=1";

    /** A .npy header of shape (rows, 3), no data. */
    Path header(String name, int rows) throws Exception {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + rows + ", 3), }";
        String pad = " ".repeat(63 - (10 + dict.length()) % 64);
        byte[] h = (dict + pad + "\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] b = new byte[10 + h.length];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length, 0};
        System.arraycopy(magic, 0, b, 0, 10);
        System.arraycopy(h, 0, b, 10, h.length);
        return Files.write(dir.resolve(name), b);
    }

    /** Whether the command's JVM was held to C1 (and then without transparent huge pages, ntk's code compiled early). */
    boolean c1(Path ntk, Map<String, String> env, String... args) throws Exception {
        LauncherFixture.Run r = LauncherFixture.run(dir, ntk, LauncherAotTest.Hello.class.getName(), env, args);
        assertEquals(0, r.status(), r.stderr());
        String jvm = r.javaCalls().getLast();
        boolean small = jvm.contains(C1);
        assertEquals(small, jvm.contains("-XX:-UseTransparentHugePages"), jvm); // small pages with C1, huge otherwise
        assertEquals(!small, jvm.contains("-XX:+UseTransparentHugePages"), jvm);
        assertEquals(small, jvm.contains("-XX:CompileCommand=CompileThresholdScaling,ntk.*::*,0.1"), jvm);
        // with C2, the vector loops of ntk.activations compiled early (a large kernel's pairs do not start interpreted)
        assertEquals(!small, jvm.contains("-XX:CompileCommand=CompileThresholdScaling,ntk.activations.*::*,0.05"), jvm);
        assertEquals(true, jvm.contains("-XX:CompileCommand=quiet"), jvm); // either without a word
        return small;
    }

    @Test
    void onlySmallDenseKernelsWithSmoothActivationsRunOnC1() throws Exception {
        Path ntk = LauncherFixture.launcher(dir);
        Map<String, String> noCache = Map.of("NTK_AOT", "0");
        String small = header("small.npy", 500).toString();
        String big = header("big.npy", 2001).toString();
        String smooth = "Dense(512, W_std=1.3, b_std=0.2), Tanh, Dense(512), Gelu, Dense(512), Softplus, Dense(1)";
        assertEquals(true, c1(ntk, noCache, "kernel", "--arch", smooth, "--x1", small, "--out", "k.npy"));
        assertEquals(true, c1(ntk, noCache, "--parameterization", "standard", "kernel", "--arch=" + smooth,
                "--x1=" + small, "--x2", small, "--kind", "ntk", "--out", "k.npy"));
        // 2,000 x 2,000 x 3 layers is the largest; 2,001 rows are past it, as is x1 against a larger x2
        assertEquals(true, c1(ntk, noCache, "kernel", "--arch", smooth, "--x1", header("edge.npy", 2000).toString()));
        assertEquals(false, c1(ntk, noCache, "kernel", "--arch", smooth, "--x1", big, "--out", "k.npy"));
        assertEquals(false, c1(ntk, noCache, "kernel", "--arch", smooth, "--x1", small, "--x2",
                header("wide.npy", 24001).toString()));
        // a ReLU-like activation or a convolution anywhere (Vector API code, which only C2 compiles): the default
        assertEquals(false, c1(ntk, noCache, "kernel", "--arch", "Dense(512), Tanh, Dense(512), Relu, Dense(1)",
                "--x1", small));
        assertEquals(false, c1(ntk, noCache, "kernel", "--arch", "Conv1D(8, 3), Tanh, Flatten, Dense(1)", "--x1",
                small));
        // other commands, unreadable inputs: the default
        assertEquals(false, c1(ntk, noCache, "predict", "--arch", smooth, "--train-x", small));
        assertEquals(false, c1(ntk, noCache, "kernel", "--arch", smooth, "--x1", dir.resolve("none.npy").toString()));
        assertEquals(false, c1(ntk, noCache, "kernel", "--arch", smooth, "--x1", Files.writeString(
                dir.resolve("text.npy"), "not a header").toString()));
    }
}
