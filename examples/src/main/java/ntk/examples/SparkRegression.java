package ntk.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import ntk.KernelKind;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.distributed.ClusterEngine;
import ntk.distributed.ClusterEngines;
import ntk.NdArray;
import ntk.io.Npy;
import ntk.kernels.KernelEngine;
import ntk.model.KernelRegressor;

/**
 * The same kernel and kernel regression on Apache Spark (embedded, {@code local[*]}) as on this JVM's own threads:
 * {@code SparkRegression [n]} on n random points of R^5 with targets sin(x₁), in blocks of n/4. Needs ntk-spark and
 * its jars on the class path and Spark's JVM flags ({@code java @spark/jvm.options}); the example code itself uses
 * ntk-core only (the engine is found by name).
 */
public class SparkRegression {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        int m = 20;
        Random r = new Random(0);
        double[][] x = new double[n][5];
        double[][] y = new double[n][1];
        double[][] t = new double[m][5];
        for (double[] row : x) {
            for (int k = 0; k < 5; k++) {
                row[k] = r.nextGaussian();
            }
        }
        for (int i = 0; i < n; i++) {
            y[i][0] = Math.sin(x[i][0]);
        }
        for (double[] row : t) {
            for (int k = 0; k < 5; k++) {
                row[k] = r.nextGaussian();
            }
        }
        String arch = "Dense(512, b_std=0.1), Relu, Dense(512, b_std=0.1), Relu, Dense(1, b_std=0.1)";
        ClusterEngine spark = ClusterEngines.find("spark");
        ClusterEngine.Job job = new ClusterEngine.Job(arch, "ntk", null, Math.max(1, n / 4), 1e-12, null);

        Path dir = Files.createTempDirectory("ntk-spark-example");
        Path kFile = dir.resolve("K.npy");
        spark.kernel(job, NdArray.of(x), null, true, kFile);               // Θ on x × x, in blocks
        NdArray kSpark = Npy.read(kFile);
        Network net = Network.parse(arch, Parameterization.NTK);
        NdArray kLocal = new KernelEngine().kernels(net, NdArray.of(x), null, KernelKind.NTK).array(KernelKind.NTK);
        double kDiff = maxRelDiff(kSpark.data, kLocal.data);

        double ridge = 1e-3;                                               // the mean K(T,X)(K + rI)⁻¹Y
        double[] meanSpark = spark.regressionMean(job, NdArray.of(x), NdArray.of(y), NdArray.of(t), true, ridge);
        NdArray meanLocal = new KernelRegressor(net, KernelKind.NTK).ridge(ridge)
                .fit(NdArray.of(x), NdArray.of(y)).predict(NdArray.of(t)).meanArray();
        double mDiff = maxRelDiff(meanSpark, meanLocal.data);
        System.out.printf("kernel %s: Spark vs local max relative difference %.2e; regression mean (%d, 1): %.2e%n",
                kSpark.shapeString(), kDiff, m, mDiff);
        Files.delete(kFile);
        Files.delete(dir);
    }

    static double maxRelDiff(double[] a, double[] b) {
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.abs(b[i]));
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        return diff / scale;
    }
}
