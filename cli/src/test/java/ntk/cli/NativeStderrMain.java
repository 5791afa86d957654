package ntk.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * For {@link StderrRelayTest}: relays stderr as {@link Main} does, then writes a line to descriptor 2 itself (as native
 * code would), one through System.err, and with the argument "late" another to descriptor 2 after the relay has put
 * descriptor 2 back ({@link StderrRelay#NATIVE_DELAY_MS}).
 */
public final class NativeStderrMain {
    private NativeStderrMain() {
    }

    public static void main(String[] args) throws Exception {
        StderrRelay.install();
        FileOutputStream fd2 = new FileOutputStream(FileDescriptor.err);
        fd2.write("native early\n".getBytes(StandardCharsets.UTF_8));
        System.err.println("ntk: java line");
        if (args.length > 0 && args[0].equals("late")) {
            Thread.sleep(StderrRelay.NATIVE_DELAY_MS + 1500);
            fd2.write("native late\n".getBytes(StandardCharsets.UTF_8));
        }
        System.out.println("done");
    }
}
