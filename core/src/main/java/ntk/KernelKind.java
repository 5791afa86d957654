package ntk;

/**
 * Which infinite-width kernel: the NNGP Σ (the covariance of the network's outputs at initialisation; the kernel of
 * training the read-out layer alone) or the NTK Θ (Jacot et al. 2018; the kernel of training every layer).
 */
public enum KernelKind {
    /** The NNGP kernel Σ. */
    NNGP("nngp"),
    /** The neural tangent kernel Θ. */
    NTK("ntk");

    /** The name on the command line ({@code --kind nngp|ntk}). */
    public final String cliName;

    KernelKind(String cliName) {
        this.cliName = cliName;
    }

    /** The kind with this command-line name, or null. */
    public static KernelKind byName(String name) {
        for (KernelKind k : values()) {
            if (k.cliName.equals(name)) {
                return k;
            }
        }
        return null;
    }
}
