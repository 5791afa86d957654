import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.data.Mnist;
import ntk.experiments.HayouTable1;
import ntk.finite.EmpiricalNtk;
import ntk.finite.FiniteNetwork;
import ntk.finite.Trainer;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;
import ntk.linalg.BlasThreads;
import ntk.linalg.Linalg;
import ntk.Params;

/**
 * Why hayou-table1 --full's ReLU row stays at chance: diagnostics of its networks (depth and width 300, NTK
 * parameterisation, the EOC points the paper lists, He for Sigmoid) on the shipped digits.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp cli/target/ntk.jar \
 *     bench/Table1Diagnostics.java analytic N DEPTH         # the analytic NTK on N training digits, per activation
 *                                  finite M DEPTH SEEDS     # finite nets: mean φ² per layer and Θ_emp(x,x) vs analytic
 *                                  walk WIDTH DEPTH SEEDS   # ReLU: log(scale at the top / mean-field scale) over seeds
 *                                  empirical N SEEDS        # the finite networks' own NTK: margin per update, λ₁
 *                                  train ACT unit|standardised STEPS EVERY NTEST SEED   # one network's SGD trajectory
 * </pre>
 * analytic: Θ(x,x), λ₁/n, the centred kernel's top eigenvalue, the largest stable step 20n/λ₁ of full-batch GD on the
 * mean softmax cross-entropy at uniform outputs (its Hessian on the logits is at most 1/10 per example), and the margin
 * growth per update at η = 1e-2 ({@link #balancedMargin} of m(j, i) = Θ(x_j, x_i)(1[y_i = y_j] − 1/10): the initial
 * change of f_{y_j}(x_j) minus the mean of f(x_j) under full-batch GD on a large balanced training set), for pixels in
 * [0, 1] and standardised.
 */
public class Table1Diagnostics {
    static final List<String> ROWS = List.of("ReLU", "ELU", "Tanh", "Sigmoid");

    public static void main(String[] a) {
        switch (a[0]) {
            case "analytic" -> analytic(Integer.parseInt(a[1]), Integer.parseInt(a[2]));
            case "finite" -> finite(Integer.parseInt(a[1]), Integer.parseInt(a[2]), Integer.parseInt(a[3]));
            case "walk" -> walk(Integer.parseInt(a[1]), Integer.parseInt(a[2]), Integer.parseInt(a[3]));
            case "empirical" -> BlasThreads.singleThreaded(() -> {
                empirical(Integer.parseInt(a[1]), Integer.parseInt(a[2]));
                return null;
            });
            case "train" -> train(a[1], HayouTable1.Inputs.valueOf(a[2].toUpperCase(Locale.ROOT)),
                    Integer.parseInt(a[3]), Integer.parseInt(a[4]), Integer.parseInt(a[5]), Long.parseLong(a[6]));
            default -> throw new IllegalArgumentException("analytic | finite | walk | train");
        }
    }

    static List<HayouTable1.Act> rows() {
        return HayouTable1.activations(true).stream().filter(x -> ROWS.contains(x.name())).toList();
    }

    static double[] standardised(double[] x) {
        double[][] out = new double[2][];
        HayouTable1.prepare(HayouTable1.Inputs.STANDARDISED, x, new double[0], out);
        return out[0];
    }

    static void analytic(int n, int depth) {
        Mnist tr = Mnist.shippedSplit().train().head(n);
        for (HayouTable1.Inputs in : HayouTable1.Inputs.values()) {
            double[] x = in == HayouTable1.Inputs.UNIT ? tr.x() : Arrays.copyOf(standardised(Mnist.shippedSplit()
                    .train().x()), n * 784);
            for (HayouTable1.Act act : rows()) {
                Network net = Network.parse(HayouTable1.arch(act, depth, 300), Parameterization.NTK);
                double[] th = new KernelEngine(2).kernels(net, x, n, null, 0, 784, true).ntk();
                double diag = 0;
                double all = 0;
                double[] rowMean = new double[n];
                for (int i = 0; i < n; i++) {
                    diag += th[i * n + i] / n;
                    for (int j = 0; j < n; j++) {
                        all += th[i * n + j] / ((double) n * n);
                        rowMean[i] += th[i * n + j] / n;
                    }
                }
                final double[] kernel = th;
                double contrast = balancedMargin(tr.labels(), n, (j, i) -> kernel[j * n + i]
                        * ((tr.labels()[i] == tr.labels()[j] ? 1 : 0) - 0.1));
                double[] centred = new double[n * n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        centred[i * n + j] = th[i * n + j] - rowMean[i] - rowMean[j] + all;
                    }
                }
                double l1 = Linalg.symmetricEigenvalues(th, n)[n - 1];
                double c1 = Linalg.symmetricEigenvalues(centred, n)[n - 1];
                System.out.printf(Locale.ROOT, "%-12s %-8s Θ(x,x) %8.3f  λ1/n %8.3f  centred λ1/n %8.4f  largest stable"
                        + " step %6.3g  margin per update at η=1e-2 %.4g (updates to margin 1: %.0f)%n", in.id,
                        act.name(), diag, l1 / n, c1 / n, 20.0 * n / l1, contrast, 1 / contrast);
            }
        }
    }

    static void finite(int m, int depth, int seeds) {
        Mnist tr = Mnist.shippedSplit().train().head(m);
        int[] at = java.util.stream.IntStream.concat(java.util.stream.IntStream.of(1, 10, 50, 100, 200).filter(l -> l
                < depth), java.util.stream.IntStream.of(depth)).toArray();
        for (HayouTable1.Act act : rows()) {
            System.out.printf(Locale.ROOT, "== %s%nlayer                 ", act.name());
            for (int l : at) {
                System.out.printf(Locale.ROOT, "%9d", l);
            }
            System.out.printf(Locale.ROOT, "%nanalytic mean φ²      ");
            double theta = 0;
            for (int l : at) {
                Network nl = Network.parse(HayouTable1.arch(act, l, 300), Parameterization.NTK);
                Kernels k = new KernelEngine(1).diagonal(nl, tr.x(), m, 784, l == depth);
                System.out.printf(Locale.ROOT, "%9.4f", Arrays.stream(k.nngp()).average().orElseThrow());
                if (l == depth) {
                    theta = Arrays.stream(k.ntk()).average().orElseThrow();
                }
            }
            System.out.printf(Locale.ROOT, "%nanalytic Θ(x,x) %.3f%n", theta);
            FiniteNetwork fn = new FiniteNetwork(Network.parse(HayouTable1.arch(act, depth, 300),
                    Parameterization.NTK), 784);
            for (int sd = 0; sd < seeds; sd++) {
                Params p = fn.init(sd);
                FiniteNetwork.Forward f = fn.forward(p, tr.x(), m);
                System.out.printf(Locale.ROOT, "seed %d mean φ²       ", sd);
                for (int l : at) {
                    double[] h = f.tape().get(2 * l); // the input of Dense layer l: φ(h_l)
                    System.out.printf(Locale.ROOT, "%9.4f", Arrays.stream(h).map(v -> v * v).average().orElseThrow());
                }
                double total = 0;
                for (int i = 0; i < m; i++) {
                    FiniteNetwork.Forward fi = fn.forward(p, Arrays.copyOfRange(tr.x(), i * 784, (i + 1) * 784), 1);
                    double[] dy = new double[10];
                    dy[0] = 1;
                    Params g = p.zerosLike();
                    fn.backward(p, fi, dy, g, null);
                    total += g.norm() * g.norm() / m;
                }
                System.out.printf(Locale.ROOT, "%n       Θ_emp(x,x) (output 0, mean over the %d digits) %.3f%n", m, total);
            }
        }
    }

    /**
     * The empirical NTK Θ_ab(x, x') of the networks themselves (seeds 0..SEEDS−1) on N training digits: the initial
     * margin growth per update of full-batch GD at η = 1e-2 on the mean cross-entropy at uniform outputs (as the
     * analytic one: the kernel's class contrast; the networks' initial outputs add a transient of their own),
     * {@link #balancedMargin} of m(j, i) = Σ_b [Θ_{y_j b}(x_j, x_i) − mean_a Θ_{ab}(x_j, x_i)](1[y_i = b] − 1/10), and the
     * largest stable step 2/(λ₁ · 0.1/N) of the (N·10)² kernel.
     */
    static void empirical(int n, int seeds) {
        Mnist tr = Mnist.shippedSplit().train().head(n);
        for (HayouTable1.Inputs in : HayouTable1.Inputs.values()) {
            double[] x = in == HayouTable1.Inputs.UNIT ? tr.x() : standardised(Mnist.shippedSplit().train().x());
            x = Arrays.copyOf(x, n * 784);
            for (HayouTable1.Act act : rows()) {
                if (act.name().equals("Sigmoid") || (in != HayouTable1.Inputs.UNIT && !act.name().equals("ReLU"))) {
                    continue;
                }
                FiniteNetwork fn = new FiniteNetwork(Network.parse(HayouTable1.arch(act, 300, 300),
                        Parameterization.NTK), 784);
                for (int sd = 0; sd < seeds; sd++) {
                    Params p = fn.init(sd);
                    double[] th = EmpiricalNtk.structured(fn, p, x, n, null, 0, EmpiricalNtk.Outputs.EACH_PAIR);
                    final double[] k = th;
                    double margin = balancedMargin(tr.labels(), n, (j, i) -> {
                        int yj = tr.labels()[j];
                        double s = 0;
                        for (int b = 0; b < 10; b++) {
                            double mean = 0;
                            for (int aa = 0; aa < 10; aa++) {
                                mean += k[((j * n + i) * 10 + aa) * 10 + b] / 10;
                            }
                            s += (k[((j * n + i) * 10 + yj) * 10 + b] - mean) * ((tr.labels()[i] == b ? 1 : 0) - 0.1);
                        }
                        return s;
                    });
                    double diag = 0;
                    for (int j = 0; j < n; j++) {
                        diag += th[((j * n + j) * 10) * 10] / n;
                    }
                    // (N·10)² matrix with rows (j, a), columns (i, b)
                    int m = n * 10;
                    double[] big = new double[m * m];
                    for (int j = 0; j < n; j++) {
                        for (int i = 0; i < n; i++) {
                            for (int aa = 0; aa < 10; aa++) {
                                for (int b = 0; b < 10; b++) {
                                    big[(j * 10 + aa) * m + i * 10 + b] = th[((j * n + i) * 10 + aa) * 10 + b];
                                }
                            }
                        }
                    }
                    double l1 = Linalg.symmetricEigenvalues(big, m)[m - 1];
                    System.out.printf(Locale.ROOT, "%-12s %-5s seed %d  Θ_emp(x,x)_00 %8.3f  λ1/n %8.3f  largest stable"
                            + " step %6.3g  margin per update at η=1e-2 %.3g (updates to margin 1: %.0f)%n", in.id,
                            act.name(), sd, diag, l1 / n, 20.0 * n / l1, margin, 1 / margin);
                }
            }
        }
    }

    /** m(j, i): the contribution of digit i's gradient to digit j's margin. */
    interface Pair {
        double at(int j, int i);
    }

    /**
     * η = 1e-2 times mean_j of (1/10) Σ_c mean_{i in class c, i ≠ j} m(j, i): the margin growth of x_j per update of
     * full-batch GD on a large class-balanced training set. Leaving out i = j drops memorisation (weight 1/n, nothing
     * on 8,000 digits); averaging per class makes a kernel part shared by all inputs contribute nothing, as on
     * balanced data (on a small sample it would not cancel). Classes with no other digit in the sample are left out.
     */
    static double balancedMargin(int[] labels, int n, Pair m) {
        double total = 0;
        for (int j = 0; j < n; j++) {
            double[] sum = new double[10];
            int[] count = new int[10];
            for (int i = 0; i < n; i++) {
                if (i != j) {
                    sum[labels[i]] += m.at(j, i);
                    count[labels[i]]++;
                }
            }
            double s = 0;
            int classes = 0;
            for (int c = 0; c < 10; c++) {
                if (count[c] > 0) {
                    s += sum[c] / count[c];
                    classes++;
                }
            }
            total += s / classes / n;
        }
        return 1e-2 * total;
    }

    static void walk(int width, int depth, int seeds) {
        StringBuilder spec = new StringBuilder();
        for (int l = 0; l < depth; l++) {
            spec.append(l == 0 ? "" : ", ").append("Dense(").append(width).append(", W_std=1.4142135623730951), Relu");
        }
        FiniteNetwork net = new FiniteNetwork(Network.parse(spec.toString(), Parameterization.NTK), 784);
        double[] x = Mnist.shippedSplit().train().head(1).x();
        double xx = Arrays.stream(x).map(v -> v * v).sum();
        List<Double> ys = new ArrayList<>();
        for (int sd = 0; sd < seeds; sd++) {
            double[] out = net.forward(net.init(sd), x, 1).out();
            ys.add(Math.log(Arrays.stream(out).map(v -> v * v).sum() * 784 / (width * xx)));
        }
        double m = ys.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double var = ys.stream().mapToDouble(y -> (y - m) * (y - m)).sum() / (seeds - 1);
        Collections.sort(ys);
        System.out.printf(Locale.ROOT, "width %d depth %d, %d seeds: log(scale / mean-field scale) mean %.3f ± %.3f,"
                + " variance %.3f, median %.3f, range %.2f to %.2f%n", width, depth, seeds, m, Math.sqrt(var / seeds),
                var, ys.get(seeds / 2), ys.get(0), ys.get(seeds - 1));
    }

    static void train(String name, HayouTable1.Inputs inputs, int steps, int every, int nTest, long seed) {
        Mnist.Split s = Mnist.shippedSplit();
        Mnist te = s.test().head(nTest);
        double[][] x = new double[2][];
        HayouTable1.prepare(inputs, s.train().x(), te.x(), x);
        HayouTable1.Act act = rows().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
        FiniteNetwork net = new FiniteNetwork(Network.parse(HayouTable1.arch(act, 300, 300), Parameterization.NTK),
                784);
        Trainer.Result r = BlasThreads.singleThreaded(() -> new Trainer(net).train(net.init(seed),
                Trainer.Data.classification(x[0], s.train().n(), s.train().labels()),
                Trainer.Data.classification(x[1], nTest, te.labels()),
                Trainer.Config.sgd(steps, 128, 1e-2).loss(Trainer.Loss.CROSS_ENTROPY).seed(seed).recordEvery(every)
                        .kernelProbe(0).build(), null));
        for (int i = 0; i < r.step().length; i++) {
            System.out.printf(Locale.ROOT, "%s %s seed %d update %5d  train loss %.4f  train acc %.4f  test acc %.4f"
                    + "  param change %.3g%n", name, inputs.id, seed, r.step()[i], r.loss()[i], r.trainAccuracy()[i],
                    r.testAccuracy()[i], r.paramChange()[i]);
        }
    }
}
