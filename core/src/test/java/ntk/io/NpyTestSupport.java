// Shared helpers for the ntk.io tests: hand-built NPY images and running python3/numpy.
package ntk.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

final class NpyTestSupport {
    private static Boolean numpy;

    private NpyTestSupport() {
    }

    /** An NPY image with the given version, header text (used verbatim) and data bytes. */
    static byte[] image(int major, String header, byte[] data) {
        byte[] h = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        out.write(h.length & 0xff);
        out.write((h.length >>> 8) & 0xff);
        if (major != 1) {
            out.write((h.length >>> 16) & 0xff);
            out.write((h.length >>> 24) & 0xff);
        }
        out.writeBytes(h);
        out.writeBytes(data);
        return out.toByteArray();
    }

    static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    /** The value the interop tests store at flat C-order index i (same arithmetic in numpy). */
    static double value(long i) {
        return i * 0.37 - 1.5;
    }

    /** Skips the calling test unless python3 with numpy is available (fails instead under CI=true). */
    static void assumeNumpy() {
        if (numpy == null) {
            try {
                Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                numpy = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                numpy = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                numpy = false;
            }
        }
        if (!numpy) {
            ntk.CrossChecks.toolMissing("python3 with numpy not available");
        }
    }

    /** Runs a python3 script in {@code dir}, fails the test unless it exits 0, returns its output. */
    static String python(Path dir, String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("python3", "-c", script));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("python3 timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> "python3 failed:\n" + text);
        return text;
    }
}
