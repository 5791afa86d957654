package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import ntk.NdArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 20 item 3: an experiment's folder is replaced whole; a fault injected between its files leaves the old one. */
class ReportSwapTest {
    @TempDir
    Path dir;

    @AfterEach
    void noFault() {
        Report.afterFile = k -> { };
    }

    static Report report(double v) {
        Report r = new Report("swap", "Swap test");
        r.summary("value", v).paragraph("value %s", Report.num("value", v));
        r.npz("data.npz", Map.of("v", NdArray.vector(v)));
        r.csv("data.csv", List.of("v"), List.of(new double[] {v}));
        return r;
    }

    Map<String, byte[]> contents(Path folder) throws Exception {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.toList()) {
                m.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    @Test
    void aFailureBetweenFilesLeavesTheOldFolderWhole() throws Exception {
        Path out = dir.resolve("swap");
        report(1).write(out);
        Map<String, byte[]> before = contents(out);
        assertEquals(List.of("data.csv", "data.npz", "report.html", "summary.json"), List.copyOf(before.keySet()));
        for (int k = 1; k <= 3; k++) { // after the npz; after the csv; after summary.json
            int at = k;
            Report.afterFile = i -> {
                if (i == at) {
                    throw new IllegalStateException("fault injected after file " + i);
                }
            };
            assertThrows(IllegalStateException.class, () -> report(2).write(out));
            Map<String, byte[]> now = contents(out);
            assertEquals(before.keySet(), now.keySet());
            for (String f : before.keySet()) {
                assertArrayEquals(before.get(f), now.get(f), f + " changed after a fault at file " + k);
            }
            try (Stream<Path> s = Files.list(dir)) {
                assertEquals(List.of("swap"), s.map(p -> p.getFileName().toString()).toList());
            }
        }
        Report.afterFile = k -> { };
        report(2).write(out);
        assertEquals(true, Files.readString(out.resolve("summary.json")).contains("\"value\": 2"));
    }
}
