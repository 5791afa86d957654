package ntk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import ntk.experiments.Experiment;
import ntk.experiments.Experiments;
import org.junit.jupiter.api.Test;

/** {@code ntk --help} is a newcomer's table, one line a command; {@code ntk COMMAND --help} has the detail. */
class HelpTest {

    /** The lines of the "Commands:" section of a help text. */
    static List<String> commandLines(String help) {
        List<String> lines = help.lines().toList();
        int from = lines.indexOf("Commands:") + 1;
        assertTrue(from > 0, help);
        int to = from;
        while (to < lines.size() && !lines.get(to).isBlank()) {
            to++;
        }
        return lines.subList(from, to);
    }

    @Test
    void topLevelHelpListsEachCommandInOneLine() {
        KernelCommandTest.Run r = KernelCommandTest.run("--help");
        assertEquals(0, r.status(), r.err());
        List<String> table = commandLines(r.out());
        assertEquals(Main.COMMANDS.size(), table.size(), r.out());
        int i = 0;
        for (var e : Main.COMMANDS.entrySet()) {
            String line = table.get(i++);
            assertTrue(line.startsWith("  " + e.getKey() + " ") && line.endsWith(e.getValue().summary()), line);
        }
        r.out().lines().forEach(l -> assertTrue(l.length() <= 80, "longer than 80 columns: " + l));
    }

    @Test
    void commandHelpHasTheDetailAndAnExample() {
        for (var e : Main.COMMANDS.entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            KernelCommandTest.Run r = KernelCommandTest.run(e.getKey(), "--help");
            assertEquals(0, r.status(), e.getKey() + ": " + r.err());
            String out = r.out();
            assertTrue(out.startsWith(e.getValue().summary()), out);
            assertTrue(out.contains("Usage: ntk " + e.getKey()), out);
            // the detail: the description after the synopsis says more than the one line
            assertTrue(out.length() > 3 * e.getValue().summary().length(), out);
            String example = out.substring(out.indexOf("Example:"));
            assertTrue(example.contains("ntk " + e.getKey()), out);
            // shell lines: every line but the last continues with a backslash, none wraps inside a word
            List<String> lines = example.lines().skip(1).filter(l -> !l.isBlank()).toList();
            for (int k = 0; k < lines.size(); k++) {
                assertTrue(lines.get(k).length() <= 80, lines.get(k));
                assertEquals(k < lines.size() - 1, lines.get(k).endsWith(" \\"), example);
            }
        }
    }

    @Test
    void experimentHelpListsEachExperimentInOneLineWithoutWarnings() {
        KernelCommandTest.Run r = KernelCommandTest.run("experiment", "--help");
        assertEquals(0, r.status(), r.err());
        assertFalse(r.err().contains("WARN") || r.out().contains("WARN"), r.err());
        List<Experiment> all = Experiments.all();
        List<String> table = commandLines(r.out());
        assertEquals(all.size(), table.size(), r.out());
        for (int i = 0; i < all.size(); i++) {
            assertTrue(table.get(i).trim().startsWith(all.get(i).name()), table.get(i));
            assertTrue(table.get(i).length() <= 80, table.get(i));
        }
        KernelCommandTest.Run one = KernelCommandTest.run("experiment", "jacot-fig1", "--help");
        assertTrue(one.out().contains("Example:") && one.out().contains("ntk experiment jacot-fig1 --out"), one.out());
    }

    @Test
    void summaryIsThePaperAndFigureOrTheFirstWords() {
        assertEquals("Smith's Figure 2", ExperimentCommand.summary("Smith's Figure 2: a long story"));
        String cut = ExperimentCommand.summary("word ".repeat(40));
        assertTrue(cut.endsWith("…") && cut.length() <= ExperimentCommand.SUMMARY_WIDTH, cut);
        for (var e : Main.COMMANDS.values()) {
            assertTrue(e.summary().length() <= Main.SUMMARY_WIDTH, e.summary());
        }
    }
}
