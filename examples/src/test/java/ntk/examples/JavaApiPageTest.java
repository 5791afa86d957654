package ntk.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import ntk.NdArray;
import ntk.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Makes docs/java-api.md's promise true: every {@code java} block of the page is compiled against the current code and
 * run. The last block is the imports; each other block becomes one method {@code section(Path dir)} of a generated
 * class, except that a block under a {@code ###} heading continues the method of the block before it (it uses its
 * variables).
 */
class JavaApiPageTest {
    static final Path PAGE = Path.of("..", "docs", "java-api.md");

    /** The page's java blocks, grouped: each group is one method body; the last group is the imports. */
    static List<String> groups(List<String> lines) {
        List<String> groups = new ArrayList<>();
        boolean inBlock = false;
        boolean continues = false;
        StringBuilder block = null;
        for (String l : lines) {
            if (!inBlock && l.startsWith("#")) {
                continues = l.startsWith("### ");
            }
            if (!inBlock && l.trim().equals("```java")) {
                inBlock = true;
                block = new StringBuilder();
            } else if (inBlock && l.trim().equals("```")) {
                inBlock = false;
                if (continues && !groups.isEmpty()) {
                    groups.set(groups.size() - 1, groups.getLast() + block);
                } else {
                    groups.add(block.toString());
                }
            } else if (inBlock) {
                block.append("        ").append(l).append('\n');
            }
        }
        return groups;
    }

    static void write(Path file, long seed, int... shape) throws Exception {
        Random r = new Random(seed);
        double[] v = new double[shape[0] * shape[1]];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        Npy.write(file, new NdArray(shape, v));
    }

    @Test
    void everyExampleOnThePageCompilesAndRuns(@TempDir Path tmp) throws Exception {
        List<String> groups = groups(Files.readAllLines(PAGE));
        assertTrue(groups.size() >= 8, "java blocks found: " + groups.size());
        String imports = groups.getLast().replace("        ", "");
        assertTrue(imports.contains("import ntk."), imports);
        StringBuilder src = new StringBuilder("package ntk.examples.page;\n\n").append(imports)
                .append("\npublic class Areas {\n");
        for (int i = 0; i < groups.size() - 1; i++) {
            src.append("    public static void section").append(i).append("(Path dir) throws Exception {\n")
                    .append(groups.get(i)).append("    }\n\n");
        }
        src.append("}\n");
        Path srcDir = Files.createDirectories(tmp.resolve("src/ntk/examples/page"));
        Path file = srcDir.resolve("Areas.java");
        Files.writeString(file, src);
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean ok = javac.getTask(diagnostics, null, null, List.of("-classpath", System.getProperty("java.class.path"),
                "--add-modules", "jdk.incubator.vector", "-proc:none", "-Xlint:deprecation,-incubating", "-Werror", "-d",
                classes.toString()), null, javac.getStandardFileManager(null, null, null).getJavaFileObjects(file))
                .call();
        assertTrue(ok, "docs/java-api.md does not compile against the code (deprecated forms count):\n" + diagnostics
                + "\n" + src);
        Path data = Files.createDirectories(tmp.resolve("data"));
        write(data.resolve("X.npy"), 1, 8, 3);
        write(data.resolve("Y.npy"), 2, 8, 1);
        write(data.resolve("T.npy"), 3, 4, 3);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                getClass().getClassLoader())) {
            Class<?> areas = loader.loadClass("ntk.examples.page.Areas");
            int ran = 0;
            for (int i = 0; i < groups.size() - 1; i++) {
                Method m = areas.getMethod("section" + i, Path.class);
                int section = i;
                String out = ExamplesTest.run(() -> {
                    try {
                        m.invoke(null, data);
                    } catch (InvocationTargetException e) {
                        throw new AssertionError("section " + section + " of docs/java-api.md failed:\n"
                                + groups.get(section), e.getCause());
                    } catch (ReflectiveOperationException e) {
                        throw new AssertionError(e);
                    }
                });
                assertTrue(!out.isBlank(), "section " + i + " prints nothing");
                ran++;
            }
            assertEquals(groups.size() - 1, ran);
        }
    }
}
