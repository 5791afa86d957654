package ntk.cli;

import java.nio.file.Path;
import ntk.io.AtomicFiles;
import ntk.io.Folders;

/**
 * For {@link SignalTest}: starts writing {@code args[1]} (a file, or with {@code args[0] = folder} a folder replaced
 * whole), says "writing" on stdout once its temporary file or folder exists, then waits to be killed.
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
