package ntk.meanfield;

import static ntk.BadInputException.param;

import java.util.List;
import ntk.BadInputException;
import ntk.activations.Activation;
import ntk.layers.ActivationLayer;
import ntk.layers.Dense;
import ntk.layers.Residual;
import ntk.protocol.Layer;

/**
 * The three depth families of Hayou et al. ("Mean-field behaviour of the NTK"), built as layer lists
 * with L Dense layers: y¹ = Dense(x), then for l = 2..L
 * dense: y^l = Dense(φ(y^{l−1})); resnet: y^l = y^{l−1} + Dense(φ(y^{l−1})) (their Lemma 3);
 * scaled-resnet: the same with the branch scaled by 1/√(l−1) (Residual scale=invsqrt_depth, their Prop. 3).
 */
public enum ArchKind {
    DENSE("dense"), RESNET("resnet"), SCALED_RESNET("scaled-resnet");

    /** Hidden width of the specs; in the NTK parameterisation the infinite-width kernel does not depend on it. */
    static final int WIDTH = 512;

    public final String cliName;

    ArchKind(String cliName) {
        this.cliName = cliName;
    }

    public static ArchKind parse(String s) {
        for (ArchKind k : values()) {
            if (k.cliName.equals(s)) {
                return k;
            }
        }
        throw BadInputException.of(param("kind"), ": expected dense, resnet or scaled-resnet, got '" + s + "'");
    }

    /** The layers that make depth l (1-based): the first Dense, then φ + Dense or one Residual block. */
    List<Layer> layers(int l, Activation act, double sigmaW, double sigmaB) {
        Dense dense = new Dense(WIDTH, sigmaW, sigmaB);
        if (l == 1) {
            return List.of(dense);
        }
        ActivationLayer phi = new ActivationLayer(act);
        return switch (this) {
            case DENSE -> List.of(phi, dense);
            case RESNET -> List.of(new Residual(List.of(phi, dense), 1.0));
            case SCALED_RESNET -> List.of(new Residual(List.of(phi, dense), Residual.INVSQRT_DEPTH));
        };
    }

    /** The --arch spec of the depth-L network (for the record; width and output width do not change the kernel). */
    public String spec(int depth, Activation act, double sigmaW, double sigmaB) {
        StringBuilder s = new StringBuilder();
        for (int l = 1; l <= depth; l++) {
            for (Layer layer : layers(l, act, sigmaW, sigmaB)) {
                s.append(s.length() > 0 ? ", " : "").append(layer.spec());
            }
        }
        return s.toString();
    }
}
