package ntk.protocol;

/** One layer's infinite-width kernel map, bound to its input width: updates every pair of a tile in place. */
@FunctionalInterface
public interface KernelMap {
    void apply(Tile t);
}
