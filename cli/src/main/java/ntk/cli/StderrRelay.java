package ntk.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;

/**
 * The launcher {@code exec}s the JVM (so a signal to {@code ./ntk} reaches the job itself) and still keeps stderr to
 * ntk's own one-line messages: it starts the JVM with stderr on an unlinked temporary file (descriptor
 * {@code ntk.stderr.boot}, read back here) and the real stderr on descriptor {@code ntk.stderr.real}. First thing in
 * {@code main}: the JVM's start-up lines are read back and every one but the incubator-module notice is passed on, and
 * {@code System.err} writes to the real stderr's descriptor itself (so ntk's messages go straight out, in order with
 * stdout when both go to one file). Descriptor 2, where native code (the JVM's own warnings, BLAS) writes, is put back
 * on the real stderr (dup2) only after {@link #NATIVE_DELAY_MS}, by a daemon thread, because the foreign-function
 * call costs ~0.15 s of CPU in a fresh JVM (measured), 10-15 % of a short command; until then what native code wrote
 * is copied from the temporary file to the real stderr, by that thread or, in a shorter job, when the JVM exits.
 * Without those properties (tests, a plain {@code java -jar}) this does nothing.
 */
final class StderrRelay {
    static final String NOTICE = "WARNING: Using incubator modules: jdk.incubator.vector";

    /** How long a job runs before descriptor 2 itself is put back on the real stderr. */
    static final long NATIVE_DELAY_MS = 2000;

    private static final Object LOCK = new Object();
    private static int bootFd;
    private static int realFd;
    private static long consumed;
    private static boolean moved;

    private StderrRelay() {
    }

    static void install() {
        String boot = System.getProperty("ntk.stderr.boot");
        String real = System.getProperty("ntk.stderr.real");
        if (boot == null || real == null) {
            return;
        }
        bootFd = Integer.parseInt(boot);
        realFd = Integer.parseInt(real);
        byte[] early = unread();
        PrintStream err = onDescriptor(realFd);
        if (err == null) { // java.io not opened to ntk: descriptor 2 back at once, as before
            if (!dup2()) { // no native access either: at least Java's own messages reach the real stderr
                try {
                    err = new PrintStream(new FileOutputStream("/dev/fd/" + realFd, true), true);
                } catch (IOException e) {
                    return;
                }
            }
        }
        if (err != null) {
            System.setErr(err);
            Thread later = new Thread(StderrRelay::moveDescriptor, "ntk-stderr");
            later.setDaemon(true);
            later.start();
            Runtime.getRuntime().addShutdownHook(new Thread(StderrRelay::forward, "ntk-stderr-exit"));
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

    /** The bytes of the temporary file not read yet (it grows while descriptor 2 points at it). */
    private static byte[] unread() {
        try (FileInputStream in = new FileInputStream("/dev/fd/" + bootFd)) {
            in.skipNBytes(consumed);
            byte[] b = in.readAllBytes();
            consumed += b.length;
            return b;
        } catch (IOException | RuntimeException e) {
            return new byte[0];
        }
    }

    /** A stream on descriptor fd itself (sharing its offset and flags), or null where java.io is not open to us. */
    private static PrintStream onDescriptor(int fd) {
        try {
            FileDescriptor d = new FileDescriptor();
            Field f = FileDescriptor.class.getDeclaredField("fd");
            f.setAccessible(true);
            f.setInt(d, fd);
            return new PrintStream(new FileOutputStream(d), true, System.err.charset());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Passes on what native code wrote to descriptor 2 so far (until it is moved; then nothing is left to do). */
    private static void forward() {
        synchronized (LOCK) {
            if (!moved) {
                byte[] b = unread();
                if (b.length > 0) {
                    System.err.write(b, 0, b.length);
                    System.err.flush();
                }
            }
        }
    }

    /** After {@link #NATIVE_DELAY_MS}: the native lines so far, then descriptor 2 onto the real stderr. */
    private static void moveDescriptor() {
        try {
            Thread.sleep(NATIVE_DELAY_MS);
        } catch (InterruptedException e) {
            return;
        }
        synchronized (LOCK) {
            forward();
            moved = dup2();
        }
    }

    /** dup2(real, 2) and the two launcher descriptors closed; false if native access is not allowed. */
    private static boolean dup2() {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle dup2 = linker.downcallHandle(linker.defaultLookup().find("dup2").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            MethodHandle close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            if ((int) dup2.invokeExact(realFd, 2) != 2) {
                return false;
            }
            int ignored = (int) close.invokeExact(bootFd);
            return true;
        } catch (Throwable t) {
            return false;
        }
    }
}
