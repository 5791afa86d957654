package ntk.cli;

import java.nio.file.Path;
import ntk.BadInputException;
import ntk.KernelKind;
import ntk.arch.Network;
import ntk.NdArray;
import ntk.io.Npy;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;

/**
 * Training inputs X ((n, d), or (n, length, channels) for a convolutional network) and targets Y (n, o) read and
 * checked against the network and each other, with their files named.
 */
record TrainingInputs(NdArray x, NdArray y, Path xFile, Path yFile) {

    static TrainingInputs read(Path xFile, Path yFile, Network net) {
        NdArray x = Inputs.examples(xFile, "--train-x", net);
        NdArray y = yFile == null ? null : targets(yFile, x.dim(0), xFile);
        return new TrainingInputs(x, y, xFile, yFile);
    }

    /** Y of shape (n, o), or (n,) taken as (n, 1); finite; n must match X's rows. */
    static NdArray targets(Path file, int n, Path xFile) {
        NdArray y = Npy.read(file);
        if (y.rank() == 1) {
            y = new NdArray(new int[] {y.dim(0), 1}, y.data);
        }
        if (y.rank() != 2) {
            throw new BadInputException(file + ": --train-y must have shape (n, o) or (n,), got " + y.shapeString());
        }
        if (y.dim(0) != n) {
            throw new BadInputException(file + ": --train-y has " + y.dim(0) + " rows but --train-x (" + xFile + ") has "
                    + n);
        }
        if (y.dim(1) == 0) {
            throw new BadInputException(file + ": --train-y has zero outputs, shape " + y.shapeString());
        }
        Npy.requireFinite(y, file.toString());
        return y;
    }

    /** Test inputs whose examples have the shape of X's. */
    NdArray testInputs(Path file, Network net) {
        NdArray t = Inputs.examples(file, "--test-x", net);
        Inputs.sameShape(x, xFile, "--train-x", t, file, "--test-x");
        return t;
    }

    int n() {
        return x.dim(0);
    }

    /** The train-train kernels Σ (and Θ when wantNtk). */
    Kernels trainKernels(KernelEngine engine, Network net, boolean wantNtk) {
        net.outputShape(Inputs.shape(x));
        return engine.kernels(net, x, null, wantNtk ? KernelKind.NTK : KernelKind.NNGP);
    }

    static KernelKind kind(String kind) {
        return wantsNtk(kind) ? KernelKind.NTK : KernelKind.NNGP;
    }

    static boolean wantsNtk(String kind) {
        return switch (kind) {
            case "ntk" -> true;
            case "nngp" -> false;
            default -> throw new BadInputException("--kind: expected 'ntk' or 'nngp', got '" + kind + "'");
        };
    }
}
