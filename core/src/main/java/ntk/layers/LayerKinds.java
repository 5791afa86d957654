package ntk.layers;

import java.util.List;
import ntk.protocol.LayerKind;

/**
 * The layer kinds the --arch grammar knows, in the order its messages list them; a new kind is its own file plus one
 * line here. Nonlinearities are not here: every activation of {@link ntk.activations.Activations} is a layer too.
 */
public final class LayerKinds {
    private LayerKinds() {
    }

    /** Every layer kind the spec grammar knows that takes numbers (activations are parsed by name). */
    public static final List<LayerKind> ALL = List.of(Dense.KIND, Residual.KIND, Conv1D.KIND, Conv2D.KIND,
            LocallyConnected2D.KIND, AvgPool2D.KIND, GlobalAvgPool.KIND, Flatten.KIND);

    /** The kind with this spec name, or null. */
    public static LayerKind byName(String name) {
        for (LayerKind k : ALL) {
            if (k.name().equals(name)) {
                return k;
            }
        }
        return null;
    }

    /** @return the spec names of {@link #ALL}, in order */
    public static List<String> names() {
        return ALL.stream().map(LayerKind::name).toList();
    }
}
