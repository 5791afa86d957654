package ntk.meanfield;

import static ntk.BadInputException.param;

import java.util.List;
import ntk.BadInputException;
import ntk.activations.Activation;
import ntk.layers.ActivationLayer;
import ntk.layers.Conv1D;
import ntk.layers.Dense;
import ntk.layers.Residual;
import ntk.protocol.Layer;

/**
 * The depth families of Hayou et al. ("Mean-field behaviour of the NTK"), built as layer lists
 * with L Dense layers: y¹ = Dense(x), then for l = 2..L
 * dense: y^l = Dense(φ(y^{l−1})); resnet: y^l = y^{l−1} + Dense(φ(y^{l−1})) (their Lemma 3);
 * scaled-resnet: the same with the branch scaled by 1/√(l−1) (Residual scale=invsqrt_depth, their Prop. 3);
 * and their convolutional counterparts (§3, eq. 19, Prop. 1; Lemma 4 for the residual one) with 1-D circular
 * convolutions of filter size {@link #FILTER} in place of Dense: conv, conv-resnet. A convolutional family takes
 * signals (n, length, channels); its recorded kernel is the mean over positions α of K^L_{α,α}(x, x′) (Hayou et al.
 * state their CNN results "for any α,α′").
 */
public enum ArchKind {
    /** A stack of Dense layers. */
    DENSE("dense"),
    /** Residual blocks y + Dense(φ(y)). */
    RESNET("resnet"),
    /** Residual blocks scaled by 1/√(l − 1). */
    SCALED_RESNET("scaled-resnet"),
    /** A stack of Conv1D layers. */
    CONV("conv"),
    /** Residual blocks of Conv1D layers. */
    CONV_RESNET("conv-resnet");

    /** Filter size of the convolutional families (2k + 1 with k = 1, the example of Hayou et al.'s appendix). */
    public static final int FILTER = 3;

    /** Hidden width of the specs; in the NTK parameterisation the infinite-width kernel does not depend on it. */
    static final int WIDTH = 512;

    /** The name on the command line. */
    public final String cliName;

    ArchKind(String cliName) {
        this.cliName = cliName;
    }

    /**
     * The family named {@code s} on the command line ({@code --arch-kind}).
     * @param s dense, resnet, scaled-resnet, conv or conv-resnet
     * @return the family
     */
    public static ArchKind parse(String s) {
        for (ArchKind k : values()) {
            if (k.cliName.equals(s)) {
                return k;
            }
        }
        throw BadInputException.of(param("kind"), ": expected dense, resnet, scaled-resnet, conv or conv-resnet, got '"
                + s + "'");
    }

    /** Whether the family is convolutional (takes signals). */
    public boolean convolutional() {
        return this == CONV || this == CONV_RESNET;
    }

    /** Whether the family has no skip connections (its limits are those of the dense mean-field analysis). */
    public boolean plain() {
        return this == DENSE || this == CONV;
    }

    /** The layers that make depth l (1-based): the first Dense, then φ + Dense or one Residual block. */
    List<Layer> layers(int l, Activation act, double sigmaW, double sigmaB) {
        Layer affine = convolutional() ? new Conv1D(WIDTH, FILTER, sigmaW, sigmaB) : new Dense(WIDTH, sigmaW, sigmaB);
        if (l == 1) {
            return List.of(affine);
        }
        ActivationLayer phi = new ActivationLayer(act);
        return switch (this) {
            case DENSE, CONV -> List.of(phi, affine);
            case RESNET, CONV_RESNET -> List.of(new Residual(List.of(phi, affine), 1.0));
            case SCALED_RESNET -> List.of(new Residual(List.of(phi, affine), Residual.INVSQRT_DEPTH));
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
