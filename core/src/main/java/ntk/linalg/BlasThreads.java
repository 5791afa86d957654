package ntk.linalg;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The thread count of the native OpenBLAS that {@link Linalg} runs on, read and set at run time through OpenBLAS's
 * own {@code openblas_get_num_threads}/{@code openblas_set_num_threads} (called with the JDK's foreign-function API;
 * the launcher grants native access). Work made of many small products — SGD on narrow networks, minibatches of 16 —
 * runs faster on one BLAS thread per task with the tasks side by side than on two BLAS threads that spend their time
 * waking each other (measured on hayou-table1: 9.8 s wall and 7.7 s of system time on two threads, 8.0 s and 0.2 s
 * on one). Without native OpenBLAS (the pure-Java fallback is single-threaded anyway) every call here is a no-op.
 */
public final class BlasThreads {
    private static final MethodHandle SET;
    private static final MethodHandle GET;
    private static final Object LOCK = new Object();
    private static int depth; // callers inside singleThreaded, guarded by LOCK
    private static int saved = 1; // the count to restore when the last of them ends

    static {
        MethodHandle set = null;
        MethodHandle get = null;
        if (Linalg.isNative()) {
            try {
                SymbolLookup lib = SymbolLookup.libraryLookup(loadedOpenBlas(), Arena.global());
                Linker linker = Linker.nativeLinker();
                Optional<java.lang.foreign.MemorySegment> s = lib.find("openblas_set_num_threads");
                Optional<java.lang.foreign.MemorySegment> g = lib.find("openblas_get_num_threads");
                if (s.isPresent() && g.isPresent()) {
                    set = linker.downcallHandle(s.get(), FunctionDescriptor.ofVoid(JAVA_INT));
                    get = linker.downcallHandle(g.get(), FunctionDescriptor.of(JAVA_INT));
                }
            } catch (RuntimeException e) {
                set = null; // a BLAS that is not OpenBLAS, or no native access: leave its threads alone
                get = null;
            }
        }
        SET = set;
        GET = get;
    }

    private BlasThreads() {
    }

    /** The OpenBLAS already in this process (the one netlib's JNI loaded), by path from /proc/self/maps. */
    private static Path loadedOpenBlas() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash >= 0 && line.contains("libopenblas")) {
                    return Path.of(line.substring(slash).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through to the soname
        }
        return Path.of("libopenblas.so.0");
    }

    /** True when the thread count can be read and set (native OpenBLAS). */
    public static boolean available() {
        return SET != null;
    }

    /** OpenBLAS's current thread count, or 1 without native OpenBLAS. */
    public static int get() {
        if (GET == null) {
            return 1;
        }
        try {
            return (int) GET.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("openblas_get_num_threads failed", e);
        }
    }

    /** Sets OpenBLAS's thread count (≥ 1); a no-op without native OpenBLAS. */
    public static void set(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("BLAS threads must be >= 1, got " + threads);
        }
        if (SET == null) {
            return;
        }
        try {
            SET.invokeExact(threads);
        } catch (Throwable e) {
            throw new IllegalStateException("openblas_set_num_threads failed", e);
        }
    }

    /**
     * Runs {@code body} with one BLAS thread and restores the previous count afterwards (also on failure). For
     * callers that run several BLAS-using tasks side by side. Nested or concurrent calls share one setting: the
     * count is restored when the last of them ends.
     */
    public static <T> T singleThreaded(Supplier<T> body) {
        synchronized (LOCK) {
            if (depth++ == 0) {
                saved = get();
                set(1);
            }
        }
        try {
            return body.get();
        } finally {
            synchronized (LOCK) {
                if (--depth == 0) {
                    set(saved);
                }
            }
        }
    }
}
