package ntk.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.Stream;
import ntk.NdArray;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KernelEngine#onRowsFinal}: every row is handed over exactly once, holding its final values at that moment
 * (symmetric: diagonal and mirrored upper part included), and the symmetric result agrees with the cross path, which
 * computes every entry itself (no mirror); a failing sink stops the job, and a kernel streamed to a file then leaves
 * the old file untouched and no temporary file behind.
 */
class RowSinkTest {
    static final Network NET = Network.parse("Dense(64, b_std=0.1), Relu, Dense(64), Erf, Dense(1)",
            Parameterization.NTK);

    @TempDir
    Path dir;

    static double[] random(int n, int d, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        return x;
    }

    /** Runs the job with a sink that snapshots each row when it is reported; checks once-only and finality. */
    static Kernels checked(int threads, double[] x1, int n1, double[] x2, int n2, int d) {
        AtomicIntegerArray seen = new AtomicIntegerArray(n1);
        double[] snapSig = new double[n1 * n2];
        double[] snapNtk = new double[n1 * n2];
        Kernels k = new KernelEngine(threads).onRowsFinal((sig, ntk, r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                seen.incrementAndGet(r);
            }
            System.arraycopy(sig, r0 * n2, snapSig, r0 * n2, (r1 - r0) * n2);
            System.arraycopy(ntk, r0 * n2, snapNtk, r0 * n2, (r1 - r0) * n2);
        }).kernels(NET, x1, n1, x2, n2, d, true);
        for (int r = 0; r < n1; r++) {
            assertEquals(1, seen.get(r), "row " + r + " reported once");
        }
        assertArrayEquals(k.nngp(), snapSig); // each row was final when reported
        assertArrayEquals(k.ntk(), snapNtk);
        return k;
    }

    @Test
    void symmetricRowsAreReportedOnceWhenFinalAndAgreeWithTheCrossPath() {
        int n = 300; // five chunks of 64 rows: finished out of order by three threads
        int d = 7;
        double[] x = random(n, d, 1);
        for (int threads : new int[] {1, 3}) {
            Kernels sym = checked(threads, x, n, null, n, d);
            Kernels cross = checked(threads, x, n, x.clone(), n, d);
            Kernels diag = new KernelEngine(1).diagonal(NET, x, n, d, true);
            for (int i = 0; i < n; i++) {
                assertEquals(diag.ntk()[i], sym.ntk()[i * n + i]); // the diagonal pass's exact value
                for (int j = 0; j < n; j++) {
                    assertEquals(sym.ntk()[j * n + i], sym.ntk()[i * n + j]);
                    assertEquals(cross.ntk()[i * n + j], sym.ntk()[i * n + j], 1e-12 * Math.abs(diag.ntk()[i]));
                    assertEquals(cross.nngp()[i * n + j], sym.nngp()[i * n + j], 1e-12 * Math.abs(diag.nngp()[i]));
                }
            }
        }
    }

    @Test
    void aFailureMidwayStopsTheJobAndLeavesTheOldFileAndNoTemporaryFile() throws Exception {
        int n = 400;
        int d = 5;
        double[] x = random(n, d, 2);
        Path out = dir.resolve("K.npy");
        Files.writeString(out, "old");
        IllegalStateException boom = new IllegalStateException("disk gone (simulated)");
        AtomicInteger calls = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            try (Npy.Streamed file = Npy.open(out, new int[] {n, n})) {
                new KernelEngine(2).onRowsFinal((sig, ntk, r0, r1) -> {
                    file.put(ntk, r0 * n, r1 * n);
                    if (calls.incrementAndGet() == 3) {
                        throw boom;
                    }
                }).kernels(NET, x, n, null, n, d, true);
                file.commit();
            }
        });
        assertSame(boom, e);
        assertEquals("old", Files.readString(out));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(out), s.toList());
        }
        // and the same job to completion writes what Npy.write writes
        try (Npy.Streamed file = Npy.open(out, new int[] {n, n})) {
            Kernels k = new KernelEngine(2).onRowsFinal((sig, ntk, r0, r1) -> file.putLater(ntk, r0 * n, r1 * n))
                    .kernels(NET, x, n, null, n, d, true);
            file.commit();
            Path ref = dir.resolve("ref.npy");
            Npy.write(ref, new NdArray(new int[] {n, n}, k.ntk()));
            assertArrayEquals(Files.readAllBytes(ref), Files.readAllBytes(out));
        }
    }
}
