package ntk.protocol;

/**
 * What a forward pass leaves for the backward pass and the forward-mode (JVP) pass: one slot per
 * finite op, assigned when the network is bound. Backward and JVP only read it, so one forward pass
 * serves any number of them (one per output for the NTK, and so on).
 */
public final class Tape {
    final Object[] slots;
    public final int n;

    public Tape(int slots, int n) {
        this.slots = new Object[slots];
        this.n = n;
    }

    public void put(int slot, Object value) {
        slots[slot] = value;
    }

    @SuppressWarnings("unchecked")
    public <T> T get(int slot) {
        return (T) slots[slot];
    }
}
