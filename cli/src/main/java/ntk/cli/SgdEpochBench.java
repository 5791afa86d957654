package ntk.cli;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import ntk.BadInputException;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.data.Mnist;
import ntk.experiments.HayouTable1;
import ntk.finite.FiniteNetwork;
import ntk.finite.Trainer;
import ntk.linalg.BlasThreads;
import ntk.linalg.Linalg;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ntk bench sgd-epoch}: one SGD epoch of Hayou et al.'s Table 1 network (depth × [Dense(width), φ] on the edge
 * of chaos, Dense(10)) on the shipped MNIST digits, through {@link Trainer} as hayou-table1 trains it (softmax
 * cross-entropy, minibatches of a fresh permutation each epoch). Warm-up epochs first, then timed ones: each epoch's
 * wall and process CPU seconds, from the end of the previous epoch's last step to the end of its own (the records at
 * the start and the end, which evaluate the whole training set, fall outside every timed epoch).
 */
@Command(name = "sgd-epoch", mixinStandardHelpOptions = true,
        description = "One SGD epoch of Hayou et al.'s Table 1 network on the shipped MNIST digits (bench/sgd-epoch-bench.sh"
            + " runs it against PyTorch).")
final class SgdEpochBench implements Callable<Integer> {
    @Option(names = "--depth", defaultValue = "300", description = "hidden layers (default ${DEFAULT-VALUE})")
    int depth;

    @Option(names = "--width", defaultValue = "300", description = "hidden width (default ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--n", defaultValue = "8000", description = "training digits (default ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--batch", defaultValue = "128", description = "minibatch size (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--activation", defaultValue = "ELU",
            description = "a hayou-table1 row: ReLU, ELU, Tanh, ... (default ${DEFAULT-VALUE}, at its EOC point)")
    String activation;

    @Option(names = "--scheme", defaultValue = "ntk", description = "parameterisation: ntk or standard (default"
            + " ${DEFAULT-VALUE})")
    String scheme;

    @Option(names = "--learning-rate", defaultValue = "0.01", description = "SGD step (default ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--threads", defaultValue = "1", description = "OpenBLAS threads (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--warmup", defaultValue = "1", description = "untimed epochs first, at least 1 (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--epochs", defaultValue = "2", description = "timed epochs (default ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--seed", defaultValue = "0", description = "initialisation and batch-order seed")
    long seed;

    @Override
    public Integer call() {
        if (epochs < 1 || warmup < 1 || threads < 1 || n < batch || batch < 1 || n > Mnist.SHIPPED_TRAIN) {
            throw new BadInputException("sgd-epoch: --epochs >= 1, --warmup >= 1 (the first epoch starts after a record, so it is never timed), --threads >= 1 and 1 <= --batch <= --n"
                    + " <= " + Mnist.SHIPPED_TRAIN + " are needed");
        }
        HayouTable1.Act act = HayouTable1.activations().stream().filter(a -> a.name().equalsIgnoreCase(activation))
                .findFirst().orElseThrow(() -> new BadInputException("--activation: no hayou-table1 row named '"
                        + activation + "'"));
        Mnist train = Mnist.shippedSplit().train().head(n);
        FiniteNetwork net = new FiniteNetwork(Network.parse(HayouTable1.arch(act, depth, width),
                Parameterization.parse(scheme)), train.dim());
        int total = warmup + epochs;
        Trainer.Config cfg = Trainer.Config.epochs(total, batch, learningRate).loss(Trainer.Loss.CROSS_ENTROPY)
                .seed(seed).recordEvery(total).kernelProbe(0).build();
        int perEpoch = cfg.stepsPerEpoch(n);
        long[] wall = new long[total + 1];
        long[] cpu = new long[total + 1];
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.printf(Locale.ROOT, "ntk bench sgd-epoch: depth %d, width %d, %s (σw=%.6f, σb=%s), %s"
                + " parameterisation, %d digits, batch %d (%d steps an epoch), learning rate %s, %d warm-up + %d timed"
                + " epochs, BLAS %s, %d BLAS thread(s), %d cores%n", depth, width, act.name(), act.sigmaW(),
                act.sigmaB(), scheme, n, batch, perEpoch, learningRate, warmup, epochs, Linalg.backend(), threads,
                Runtime.getRuntime().availableProcessors());
        int before = BlasThreads.get();
        BlasThreads.set(threads);
        Trainer.Result r;
        try {
            r = new Trainer(net).train(net.init(seed), Trainer.Data.classification(train.x(), train.n(), train.labels()),
                    null, cfg, s -> {
                        if (s % perEpoch == 0) {
                            wall[s / perEpoch] = System.nanoTime();
                            cpu[s / perEpoch] = os.getProcessCpuTime();
                        }
                    });
        } finally {
            BlasThreads.set(before);
        }
        if (r.divergedAt() >= 0) {
            System.out.println("diverged at step " + r.divergedAt() + " (the timings are not meaningful)");
            return 1;
        }
        List<Double> ws = new ArrayList<>();
        List<Double> cs = new ArrayList<>();
        for (int e = warmup + 1; e <= total; e++) {
            ws.add((wall[e] - wall[e - 1]) * 1e-9);
            cs.add((cpu[e] - cpu[e - 1]) * 1e-9);
            System.out.printf(Locale.ROOT, "epoch %d: %.2f s wall, %.2f s CPU%n", e, ws.getLast(), cs.getLast());
        }
        double[] loss = r.trainLoss();
        System.out.printf(Locale.ROOT, "training loss (mean over the last epoch's batches) %.4f, whole-set loss %.4f,"
                + " training accuracy %.3f%n", loss[loss.length - 1], r.loss()[r.loss().length - 1],
                r.trainAccuracy()[r.trainAccuracy().length - 1]);
        System.out.printf(Locale.ROOT, "RESULT epoch_seconds=%.3f epoch_cpu_seconds=%.3f%n", BenchCommand.median(ws),
                BenchCommand.median(cs));
        return 0;
    }
}
