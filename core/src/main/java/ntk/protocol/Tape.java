package ntk.protocol;

/**
 * What a forward pass leaves for the backward pass and the forward-mode (JVP) pass: one slot per
 * finite op, assigned when the network is bound. Backward and JVP only read it, so one forward pass
 * serves any number of them (one per output for the NTK, and so on).
 *
 * <p>A {@linkplain #reusable reusable} tape also keeps each op's forward and backward output arrays between passes
 * (training: every step has the same batch size, so a step allocates nothing large; fresh arrays every step cost a
 * third of a step in page faults, README "Training without allocation"). Its arrays are overwritten by the next pass
 * on the same tape: a caller may keep a pass's outputs only until it runs the next one, and must not hand the arrays
 * of a backward pass to anything that outlives it (a {@link GradientSink} does, so backward passes with a sink run on
 * plain tapes).
 */
public final class Tape {
    /** Buffer roles per slot: an op's forward output, its backward output (∂/∂input), and one scratch array. */
    public static final int FORWARD = 0;
    /** Buffer role: an op's backward output (the gradient with respect to its input). */
    public static final int BACKWARD = 1;
    /** Buffer role: one scratch array per op. */
    public static final int SCRATCH = 2;
    private static final int ROLES = 3;

    final Object[] slots;
    /** The batch size of the pass this tape records. */
    public final int n;
    private final double[][] buffers;

    /**
     * A plain tape: every pass allocates its own arrays.
     *
     * @param slots one per finite op that saves something (the bound network's tape slot count)
     * @param n the batch size
     */
    public Tape(int slots, int n) {
        this(slots, n, false);
    }

    private Tape(int slots, int n, boolean reuse) {
        this.slots = new Object[slots];
        this.n = n;
        this.buffers = reuse ? new double[slots * ROLES][] : null;
    }

    /** A tape whose ops keep their output arrays from one pass to the next (see the class comment). */
    public static Tape reusable(int slots, int n) {
        return new Tape(slots, n, true);
    }

    /** Number of slots (one per finite op that saves something). */
    public int slots() {
        return slots.length;
    }

    /** Bytes of the arrays a reusable tape keeps (0 for a plain tape). */
    public long bufferBytes() {
        long s = 0;
        if (buffers != null) {
            for (double[] b : buffers) {
                s += b == null ? 0 : (long) b.length * Double.BYTES;
            }
        }
        return s;
    }

    /** @return whether this tape keeps its ops' arrays between passes ({@link #reusable}) */
    public boolean reuses() {
        return buffers != null;
    }

    /**
     * Saves what an op's forward pass leaves for its backward and JVP passes.
     *
     * @param slot the op's tape slot
     * @param value what it saves (the op knows its type)
     */
    public void put(int slot, Object value) {
        slots[slot] = value;
    }

    /**
     * What the op at a slot saved in the forward pass.
     *
     * @param <T> the type the op saved
     * @param slot the op's tape slot
     * @return the saved value
     */
    @SuppressWarnings("unchecked")
    public <T> T get(int slot) {
        return (T) slots[slot];
    }

    /**
     * An array of the given length for the op at slot in the given role: on a reusable tape the same array as the
     * last pass (its old contents still in it: the caller overwrites every entry), otherwise a fresh zeroed one.
     */
    public double[] buffer(int slot, int role, int length) {
        if (buffers == null) {
            return new double[length];
        }
        int k = slot * ROLES + role;
        double[] b = buffers[k];
        if (b == null || b.length != length) {
            b = new double[length];
            buffers[k] = b;
        }
        return b;
    }
}
