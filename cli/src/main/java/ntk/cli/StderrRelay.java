package ntk.cli;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * The launcher {@code exec}s the JVM (so a signal to {@code ./ntk} reaches the job itself) and still keeps stderr to
 * ntk's own one-line messages: it starts the JVM with stderr on an unlinked temporary file (descriptor
 * {@code ntk.stderr.boot}, read back here) and the real stderr on descriptor {@code ntk.stderr.real}. First thing in
 * {@code main}: the JVM's start-up lines are read back, the real stderr is put back on descriptor 2 (dup2), and every
 * start-up line but the incubator-module notice is passed on. Without those properties (tests, a plain
 * {@code java -jar}) this does nothing.
 */
final class StderrRelay {
    static final String NOTICE = "WARNING: Using incubator modules: jdk.incubator.vector";

    private StderrRelay() {
    }

    static void install() {
        String boot = System.getProperty("ntk.stderr.boot");
        String real = System.getProperty("ntk.stderr.real");
        if (boot == null || real == null) {
            return;
        }
        byte[] early;
        try (FileInputStream in = new FileInputStream("/dev/fd/" + Integer.parseInt(boot))) {
            early = in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            early = new byte[0];
        }
        int realFd = Integer.parseInt(real);
        boolean moved = false;
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle dup2 = linker.downcallHandle(linker.defaultLookup().find("dup2").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            MethodHandle close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            moved = (int) dup2.invokeExact(realFd, 2) == 2;
            if (moved) {
                int ignored = (int) close.invokeExact(realFd);
                ignored = (int) close.invokeExact(Integer.parseInt(boot));
            }
        } catch (Throwable t) {
            moved = false;
        }
        if (!moved) { // no native access: at least Java's own messages reach the real stderr
            try {
                System.setErr(new PrintStream(new FileOutputStream("/dev/fd/" + realFd), true));
            } catch (IOException e) {
                return;
            }
        }
        StringBuilder keep = new StringBuilder();
        for (String line : new String(early, StandardCharsets.UTF_8).split("\n", -1)) {
            if (!line.isEmpty() && !line.equals(NOTICE)) {
                keep.append(line).append('\n');
            }
        }
        if (!keep.isEmpty()) {
            System.err.print(keep);
            System.err.flush();
        }
    }
}
