package ntk;

/**
 * The one check that the JDK's incubating Vector API is available, made where the library is entered
 * ({@code Network}, {@code KernelEngine}, {@code FiniteNetwork}), so that a JVM started without
 * {@code --add-modules jdk.incubator.vector} gets one line saying so instead of a
 * {@link NoClassDefFoundError} deep inside an activation.
 */
public final class VectorSupport {
    private static volatile boolean checked;

    private VectorSupport() {
    }

    /**
     * Returns normally when {@code jdk.incubator.vector} is resolved in this JVM.
     *
     * @throws IllegalStateException (one line) when it is not
     */
    public static void require() {
        if (checked) {
            return;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            throw new IllegalStateException("ntk needs the JDK's Vector API: start the JVM with"
                    + " --add-modules jdk.incubator.vector (JDK 25 or newer)");
        }
        checked = true;
    }
}
