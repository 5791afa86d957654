package ntk.arch;

import java.util.ArrayList;
import java.util.List;
import ntk.BadInputException;
import ntk.kernels.Binding;
import ntk.kernels.KernelMap;
import ntk.layers.Layer;

/**
 * A network: layers applied left to right, in one parameterisation. Built by the Java API
 * ({@code new Network(List.of(new Dense(512), ...), Parameterization.NTK)}) or parsed from an
 * --arch spec by {@link SpecParser}; both give equal objects.
 */
public final class Network {
    public final List<Layer> layers;
    public final Parameterization parameterization;

    public Network(List<Layer> layers, Parameterization parameterization) {
        if (layers.isEmpty()) {
            throw new BadInputException("--arch: the network has no layers");
        }
        this.layers = List.copyOf(layers);
        this.parameterization = parameterization;
    }

    /** {@code Network.of(Parameterization.NTK, new Dense(512), new ActivationLayer(new Relu()), new Dense(1))}. */
    public static Network of(Parameterization p, Layer... layers) {
        return new Network(List.of(layers), p);
    }

    public static Network parse(String spec, Parameterization p) {
        return new Network(SpecParser.parse(spec), p);
    }

    /** The spec text; parsing it gives an equal network. */
    public String spec() {
        StringBuilder s = new StringBuilder();
        for (Layer l : layers) {
            s.append(s.length() > 0 ? ", " : "").append(l.spec());
        }
        return s.toString();
    }

    /** The width of the output for inputs of the given width (refuses shape mismatches). */
    public int outputWidth(int inputWidth) {
        int w = inputWidth;
        for (Layer l : layers) {
            w = l.outputWidth(w);
        }
        return w;
    }

    /** The network's kernel maps, bound to inputs of width d. */
    public Bound bind(int inputWidth) {
        Binding b = new Binding(parameterization);
        List<KernelMap> maps = new ArrayList<>();
        int w = inputWidth;
        int nesting = 0;
        for (Layer l : layers) {
            maps.add(l.kernelMap(b, w));
            b.previous = l.spec();
            w = l.outputWidth(w);
            nesting = Math.max(nesting, l.nesting());
        }
        return new Bound(maps.toArray(new KernelMap[0]), b.slots(), nesting, w);
    }

    /** A network bound to an input width: its maps, how many activation slots, how deep residuals nest. */
    public record Bound(KernelMap[] maps, int slots, int nesting, int outputWidth) {
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Network n && n.layers.equals(layers) && n.parameterization == parameterization;
    }

    @Override
    public int hashCode() {
        return layers.hashCode() * 3 + parameterization.hashCode();
    }

    @Override
    public String toString() {
        return spec() + " [" + parameterization.cliName() + "]";
    }
}
