package ntk.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import ntk.NdArray;
import ntk.io.Npy;

/**
 * The training run of the JVM's ahead-of-time cache (docs/performance.md, "Start-up"): the launcher runs this class
 * once per build with {@code -XX:AOTCacheOutput}, and the JVM archives the classes it loaded, parsed and verified, so
 * that later commands map them instead of reading them from the jar. It runs the commands a short job is made of, each
 * through {@link Main#run} as {@code ntk} would, on small inputs in a temporary folder: the kernel command with a ReLU
 * network and with smooth activations (the Hermite-series path), a kernel between two inputs, a prediction (BLAS and
 * LAPACK) and the help text. Nothing it computes is kept; its exit status is 0 only if every command succeeded.
 */
public final class AotTraining {
    private AotTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("ntk-aot-training");
        try {
            System.exit(train(dir) ? 0 : 1);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Runs the training commands in dir; true if every one returned status 0. */
    static boolean train(Path dir) {
        Random rng = new Random(0);
        Path x = write(dir.resolve("x.npy"), 48, 8, rng);
        Path t = write(dir.resolve("t.npy"), 8, 8, rng);
        Path y = write(dir.resolve("y.npy"), 48, 1, rng);
        List<String[]> commands = new ArrayList<>();
        for (String act : new String[] {"Relu", "Tanh", "Gelu", "Erf"}) {
            commands.add(new String[] {"kernel", "--arch", arch(act), "--x1", x.toString(), "--kind", "ntk",
                "--out", dir.resolve("k-" + act + ".npy").toString()});
        }
        commands.add(new String[] {"kernel", "--arch", arch("Relu"), "--x1", x.toString(), "--x2", t.toString(),
            "--kind", "nngp", "--out", dir.resolve("k12.npy").toString()});
        commands.add(new String[] {"predict", "--arch", arch("Relu"), "--train-x", x.toString(), "--train-y",
            y.toString(), "--test-x", t.toString(), "--kind", "ntk", "--time", "inf", "--out",
            dir.resolve("mean.npy").toString()});
        commands.add(new String[] {"kernel", "--help"});
        boolean ok = true;
        for (String[] c : commands) {
            StringWriter sink = new StringWriter();
            PrintWriter w = new PrintWriter(sink);
            ok &= Main.run(c, w, w) == 0;
        }
        return ok;
    }

    private static String arch(String act) {
        String dense = "Dense(64, W_std=1.3, b_std=0.2), " + act + ", ";
        return dense + dense + "Dense(1, W_std=1.3, b_std=0.2)";
    }

    private static Path write(Path file, int rows, int cols, Random rng) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextGaussian();
        }
        Npy.write(file, NdArray.matrix(rows, cols, v));
        return file;
    }
}
