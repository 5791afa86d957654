package ntk.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** OpenBLAS's thread count read and set through the foreign-function API, and restored after a single-threaded run. */
class BlasThreadsTest {

    @Test
    void setsReadsAndRestoresTheThreadCount() {
        if (!BlasThreads.available()) {
            // CI installs OpenBLAS (.ci/run), so there the handle must be found
            ntk.CrossChecks.toolMissing(Linalg.isNative() ? "native BLAS, but openblas_set_num_threads was not found"
                    : "no native OpenBLAS");
        }
        int before = BlasThreads.get();
        try {
            BlasThreads.set(1);
            assertEquals(1, BlasThreads.get());
            BlasThreads.set(2);
            assertEquals(2, BlasThreads.get(), "OpenBLAS reports the count it was given");
            int inside = BlasThreads.singleThreaded(() -> BlasThreads.singleThreaded(BlasThreads::get));
            assertEquals(1, inside, "one thread inside, nested calls included");
            assertEquals(2, BlasThreads.get(), "restored after the outermost call");
            assertThrows(IllegalStateException.class, () -> BlasThreads.singleThreaded(() -> {
                throw new IllegalStateException("a failing task");
            }));
            assertEquals(2, BlasThreads.get(), "restored after a failure too");
            assertThrows(IllegalArgumentException.class, () -> BlasThreads.set(0));
        } finally {
            BlasThreads.set(before);
        }
    }
}
