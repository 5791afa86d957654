package ntk.cli;

import java.nio.file.Files;
import ntk.BadInputException;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.distributed.ClusterEngine;
import ntk.distributed.ClusterEngines;
import ntk.io.AtomicFiles;
import ntk.NdArray;
import ntk.io.Npy;

/** {@code kernel} and {@code predict} with {@code --engine spark}: the same checks, then the cluster engine. */
final class ClusterCommands {
    private ClusterCommands() {
    }

    static int kernel(KernelCommand c, EngineOptions e) {
        boolean wantNtk = TrainingInputs.wantsNtk(c.kind);
        Network net = Network.parse(c.arch, Parameterization.parse(c.main.parameterization));
        if (c.diag) {
            throw new BadInputException("--diag runs on --engine local only (the diagonal is O(n))");
        }
        if (c.threads != null) {
            throw new BadInputException("--threads is for --engine local (Spark runs one block task per core)");
        }
        boolean oneFile = c.out.getFileName().toString().endsWith(".npy");
        if (oneFile) {
            Inputs.checkWritable(c.out, "--out");
        } else if (Files.exists(c.out)) {
            throw new BadInputException(c.out + ": --out directory for the kernel blocks already exists; give a new"
                    + " path (or a name ending in .npy for one assembled file)");
        } else {
            Inputs.checkWritable(c.out, "--out");
        }
        NdArray a = Inputs.examples(c.x1, "--x1", net);
        net.outputShape(Inputs.shape(a));
        NdArray b = null;
        if (c.x2 != null) {
            b = Inputs.examples(c.x2, "--x2", net);
            Inputs.sameShape(a, c.x1, "--x1", b, c.x2, "--x2");
        }
        ClusterEngine engine = ClusterEngines.find(e.engine);
        engine.kernel(e.job(net.spec(), c.main.parameterization, c.verbose), a, b, wantNtk, c.out);
        return 0;
    }

    static int predict(PredictCommand c, EngineOptions.WithVerbose e) {
        boolean ntk = TrainingInputs.wantsNtk(c.kind);
        Network net = Network.parse(c.arch, Parameterization.parse(c.main.parameterization));
        if (c.steps != null || c.learningRate != null || (c.time != null && !onlyInfinity(c.time))) {
            throw new BadInputException("--engine spark solves t = inf only (kernel regression by conjugate gradients);"
                    + " finite times and --steps need --engine local");
        }
        if (c.covOut != null) {
            throw new BadInputException("--cov-out is not implemented on --engine spark (only the mean); use"
                    + " --engine local for the covariance");
        }
        if (!(c.ridge >= 0) || Double.isInfinite(c.ridge)) {
            throw new BadInputException("--ridge must be finite and >= 0, got " + c.ridge);
        }
        Inputs.checkWritable(c.out, "--out");
        TrainingInputs train = TrainingInputs.read(c.trainX, c.trainY, net);
        NdArray oneHot = c.classify.targets(c.trainY, train.n()); // --classify: one-hot targets, as on the local engine
        train = oneHot == null ? train : new TrainingInputs(train.x(), oneHot, c.trainX, null);
        NdArray t = train.testInputs(c.testX, net);
        c.classify.checkTestLabels(t.dim(0));
        net.outputShape(Inputs.shape(train.x()));
        ClusterEngine engine = ClusterEngines.find(e.engine);
        double[] mean = engine.regressionMean(e.job(net.spec(), c.main.parameterization, e.verbose), train.x(),
                train.y(), t, ntk, c.ridge);
        String accuracy;
        try (AtomicFiles.Group g = AtomicFiles.group()) { // --out and --labels-out: all or none
            Npy.write(c.out, new NdArray(new int[] {t.dim(0), train.y().dim(1)}, mean));
            accuracy = c.classify.report(mean, t.dim(0));
            g.commit();
        }
        c.spec.commandLine().getOut().print(accuracy);
        c.spec.commandLine().getOut().flush();
        return 0;
    }

    private static boolean onlyInfinity(String times) {
        for (String s : times.split(",", -1)) {
            String v = s.trim();
            if (!v.equalsIgnoreCase("inf") && !v.equalsIgnoreCase("infinity")) {
                return false;
            }
        }
        return true;
    }
}
