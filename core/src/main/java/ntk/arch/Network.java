package ntk.arch;

import static ntk.BadInputException.param;

import java.util.ArrayList;
import java.util.List;
import ntk.BadInputException;
import ntk.Parameterization;
import ntk.Shape;
import ntk.protocol.Binding;
import ntk.protocol.KernelMap;
import ntk.protocol.Layer;

/**
 * A network: layers applied left to right, in one parameterisation. Built by the Java API
 * ({@code new Network(List.of(new Dense(512), ...), Parameterization.NTK)}) or parsed from an
 * --arch spec by {@link SpecParser}; both give equal objects.
 */
public final class Network {
    /** The layers, in order. */
    public final List<Layer> layers;
    /** How raw parameters map to weights. */
    public final Parameterization parameterization;

    /**
     * A network of these layers.
     * @param layers the layers, in order
     * @param parameterization NTK or STANDARD
     */
    public Network(List<Layer> layers, Parameterization parameterization) {
        ntk.VectorSupport.require();
        if (layers.isEmpty()) {
            throw BadInputException.of(param("arch"), ": the network has no layers");
        }
        this.layers = List.copyOf(layers);
        this.parameterization = parameterization;
    }

    /** {@code Network.of(Parameterization.NTK, new Dense(512), new ActivationLayer(new Relu()), new Dense(1))}. */
    public static Network of(Parameterization p, Layer... layers) {
        return new Network(List.of(layers), p);
    }

    /**
     * Parses an architecture spec (the {@code --arch} grammar of docs/cli.md).
     * @param spec e.g. {@code "Dense(512), Relu, Dense(1)"}
     * @param p the parameterisation
     * @return the network
     */
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

    /** The width of the output for flat inputs of the given width (refuses shape mismatches). */
    public int outputWidth(int inputWidth) {
        return outputShape(Shape.dense(inputWidth)).size();
    }

    /**
     * The output shape for inputs of the given shape; refuses shape mismatches, a signal input to a dense
     * network, a flat input to a convolutional one, and a network whose output is still a signal.
     */
    public Shape outputShape(Shape input) {
        if (input.spatial() && !convolutional()) {
            throw BadInputException.of("inputs of shape (n, " + input.toString().substring(1) + " are "
                    + (input.image() ? "images" : "signals") + ", but ", param("arch"), " " + spec()
                    + " has no " + (input.image() ? "Conv2D" : "Conv1D") + "; dense networks take (n, d)");
        }
        if (!input.spatial() && convolutional()) {
            throw BadInputException.of("inputs of shape (n, " + input.channels() + ") are flat, but ", param("arch"),
                    " " + spec() + " is convolutional; it takes " + takes());
        }
        Shape w = input;
        for (Layer l : layers) {
            w = l.outputShape(w);
        }
        if (w.spatial()) {
            throw BadInputException.of(param("arch"), " " + spec() + " ends with a signal of shape " + w
                    + "; end the convolutional layers with GlobalAvgPool or Flatten");
        }
        return w;
    }

    /** What a convolutional network takes, for messages: "(n, length, channels)" or "(n, height, width, channels)". */
    public String takes() {
        return imageNetwork() ? "images (n, height, width, channels)" : "(n, length, channels)";
    }

    /** Whether the network has 2-D layers (Conv2D, AvgPool2D): it takes images. */
    public boolean imageNetwork() {
        return layers.stream().anyMatch(Layer::twoDimensional);
    }

    /** Whether the network is convolutional (takes inputs (n, length, channels) or images). */
    public boolean convolutional() {
        return layers.stream().anyMatch(Layer::convolutional);
    }

    /** The network's kernel maps, bound to flat inputs of width d. */
    public Bound bind(int inputWidth) {
        return bind(Shape.dense(inputWidth), false);
    }

    /**
     * The network's kernel maps, bound to inputs of the given shape. For a convolutional network the maps up to
     * and including the readout (GlobalAvgPool or Flatten) act on per-pair spatial tiles, the rest on tiles of
     * scalar pairs; a Flatten readout needs only the offset-0 position pairs (L per pair of inputs), a
     * GlobalAvgPool all L² — unless allOffsets asks for all of them anyway (a check of the offset rule).
     */
    public Bound bind(Shape input, boolean allOffsets) {
        Shape out = outputShape(input);
        Binding b = new Binding(parameterization);
        List<KernelMap> maps = new ArrayList<>();
        Shape w = input;
        int nesting = 0;
        int spatialMaps = 0;
        int offsets = 0;
        boolean mixes = false;
        boolean readsAll = false;
        int otherPlanesFrom = 0;
        for (Layer l : layers) {
            maps.add(l.kernelMap(b, w));
            if (w.spatial() && spatialMaps == 0 && l.zeroesOtherPositions()) {
                otherPlanesFrom = maps.size();
            }
            b.previous = l.spec();
            Shape next = l.outputShape(w);
            mixes |= w.spatial() && l.mixesOffsets();
            if (w.spatial() && !next.spatial()) {
                spatialMaps = maps.size();
                readsAll = l.readsAllOffsets();
                offsets = allOffsets || readsAll || mixes ? input.length() : 1;
            }
            w = next;
            nesting = Math.max(nesting, l.nesting());
        }
        int[] slotLengths = new int[b.slots()];
        // the network itself needs every offset plane (a pooled readout, or planes mixed): records hold the roots too
        boolean roots = readsAll || mixes;
        for (int i = 0; i < slotLengths.length; i++) { // values recorded per example
            slotLengths[i] = b.spatialSlot(i) ? ntk.protocol.Tile.recordStride(b.slotLength(i), roots) : b.slotLength(i);
        }
        return new Bound(maps.toArray(new KernelMap[0]), b.slots(), nesting, out.size(), input, spatialMaps, offsets,
                slotLengths, readsAll && !mixes, roots, otherPlanesFrom);
    }

    /**
     * A network bound to an input shape: its maps, how many activation slots (and values per example each
     * records), how deep residuals nest; for a convolutional network, how many leading maps are spatial (up to
     * and including the readout) and how many circular offsets δ = p' − p their tiles track (1 or L); whether the
     * offset planes may pass the spatial maps a run at a time (chunked: no layer mixes planes and the readout
     * sums over all of them, so the chunks' readouts add up); whether the activations' records hold the roots of
     * the variances too (roots: the network itself needs every plane; see ntk.protocol.Tile#recordStride); the first
     * map the planes δ ≠ 0 need (otherPlanesFrom: after the last top-level layer that zeroes them, a locally
     * connected one; 0 when none does).
     */
    public record Bound(KernelMap[] maps, int slots, int nesting, int outputWidth, Shape input, int spatialMaps,
            int offsets, int[] slotLengths, boolean chunked, boolean roots, int otherPlanesFrom) {
        /**
         * Whether the network starts with convolutional (spatial) layers.
         * @return whether spatial
         */
        public boolean spatial() {
            return spatialMaps > 0;
        }

        /**
         * The kernel maps of the spatial part (before the readout).
         * @return the maps
         */
        public KernelMap[] spatialPart() {
            return java.util.Arrays.copyOfRange(maps, 0, spatialMaps);
        }

        /**
         * The kernel maps of the dense part.
         * @return the maps
         */
        public KernelMap[] densePart() {
            return java.util.Arrays.copyOfRange(maps, spatialMaps, maps.length);
        }

        /** Position pairs a spatial tile holds: offsets·L. */
        public int spatialEntries() {
            return offsets * input.length();
        }
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
