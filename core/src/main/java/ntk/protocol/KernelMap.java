package ntk.protocol;

/** One layer's infinite-width kernel map, bound to its input width: updates every pair of a tile in place. */
@FunctionalInterface
public interface KernelMap {
    /**
     * Maps every live pair of the tile from this layer's input kernels to its output kernels.
     *
     * @param t the tile, updated in place
     */
    void apply(Tile t);
}
