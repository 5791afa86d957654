import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Build step of the command-line jar (cli/pom.xml, package phase, after the shade): rewrites the class files of the
 * given packages that are older than Java 6 (major version below 50) as version 52 class files with stack maps, in
 * place. The JVM neither archives such old classes in its ahead-of-time cache nor verifies them by their stack maps
 * (it infers the types instead), so picocli (compiled for Java 5), which every command loads, was read, parsed and
 * verified anew at each start: ~0.08 s of CPU per command (docs/performance.md, "Start-up"). The bytecode itself is
 * not changed, only the version and the StackMapTable the JDK's class-file API computes for it.
 *
 * <p>Usage: {@code java UpgradeClassFiles.java JAR PREFIX...} (PREFIX: an entry-name prefix such as
 * {@code picocli/}). Fails, leaving the jar as it was, if a class cannot be rewritten.
 */
public final class UpgradeClassFiles {
    private UpgradeClassFiles() {
    }

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        int upgraded = 0;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
                ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
            ClassFile cf = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(loader))));
            // rebuilding every method body makes the class-file API generate its stack map
            ClassTransform upgrade = ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                    .andThen(ClassTransform.endHandler(b -> b.withVersion(ClassFile.JAVA_8_VERSION, 0)));
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                byte[] bytes = in.readAllBytes();
                if (e.getName().endsWith(".class") && selected(e.getName(), args) && major(bytes) < 50) {
                    bytes = cf.transformClass(cf.parse(bytes), upgrade);
                    upgraded++;
                }
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(e.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("UpgradeClassFiles: " + upgraded + " class files of " + String.join(" ",
                java.util.Arrays.asList(args).subList(1, args.length)) + " rewritten as version 52 in " + jar);
    }

    private static boolean selected(String name, String[] args) {
        for (int i = 1; i < args.length; i++) {
            if (name.startsWith(args[i])) {
                return true;
            }
        }
        return false;
    }

    private static int major(byte[] b) {
        return b.length < 8 ? Integer.MAX_VALUE : (b[6] & 0xff) << 8 | (b[7] & 0xff);
    }
}
