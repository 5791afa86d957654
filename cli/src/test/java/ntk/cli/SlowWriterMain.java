package ntk.cli;

import java.nio.file.Path;
import ntk.io.AtomicFiles;
import ntk.io.Folders;

/**
 * For {@link SignalTest}: starts writing {@code args[1]} (a file, or with {@code args[0] = folder} a folder replaced
 * whole, or with {@code streamed} an .npy file written by rows as {@code ntk kernel} does), says "writing" on stdout
 * once its temporary file or folder exists, then waits to be killed.
 */
public final class SlowWriterMain {
    private SlowWriterMain() {
    }

    public static void main(String[] args) {
        Path target = Path.of(args[1]);
        if (args[0].equals("folder")) {
            Folders.replace(target, tmp -> {
                AtomicFiles.writeString(tmp.resolve("summary.json"), "{\"new\": true}");
                hang();
            });
        } else if (args[0].equals("streamed")) { // ntk kernel's way: rows put while the rest is computed
            try (ntk.io.Npy.Streamed file = ntk.io.Npy.open(target, new int[] {4, 1 << 15})) {
                file.put(new double[4 << 15], 0, 1 << 15);
                hang();
            }
        } else {
            AtomicFiles.write(target, out -> {
                out.write(new byte[1 << 20]);
                out.flush();
                hang();
            });
        }
    }

    private static void hang() {
        System.out.println("writing");
        System.out.flush();
        try {
            Thread.sleep(120_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("not killed");
    }
}
