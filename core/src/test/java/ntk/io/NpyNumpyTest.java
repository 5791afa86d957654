// Interop tests against real numpy (skipped when python3/numpy is absent): numpy writes, Java reads, and back.
package ntk.io;

import ntk.NdArray;
import static ntk.io.NpyTestSupport.assumeNumpy;
import static ntk.io.NpyTestSupport.python;
import static ntk.io.NpyTestSupport.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyNumpyTest {
    @TempDir
    Path tmp;

    private static final String NUMPY_WRITES = """
            import numpy as np
            from numpy.lib import format as fmt
            shapes = [(), (1,), (5,), (3, 4), (2, 3, 4), (2, 1, 3, 2), (4, 3, 2, 5), (0,), (3, 0), (2, 0, 4)]
            lines = []
            for shape in shapes:
                n = int(np.prod(shape, dtype=np.int64))
                base = (np.arange(n, dtype=np.float64) * 0.37 - 1.5).reshape(shape)
                for dt in ('f4', 'f8'):
                    for end in '<>':
                        for order in 'CF':
                            a = np.array(base.astype(end + dt), order=order)
                            fortran = int(a.flags.f_contiguous and not a.flags.c_contiguous)
                            for ver in (None, (2, 0), (3, 0)):
                                tag = 'x'.join(map(str, shape)) or 'scalar'
                                name = f"{dt}{'le' if end == '<' else 'be'}_{order}_{tag}_v{ver[0] if ver else 1}.npy"
                                if ver is None:
                                    np.save(name, a)
                                else:
                                    with open(name, 'wb') as f:
                                        fmt.write_array(f, a, version=ver)
                                lines.append(f"{name}|{','.join(map(str, shape))}|{dt}|{fortran}")
            with open('manifest.txt', 'w') as f:
                f.write('\\n'.join(lines) + '\\n')
            """;

    @Test
    void numpyWritesEveryVariantJavaReadsIt() throws Exception {
        assumeNumpy();
        python(tmp, NUMPY_WRITES);
        List<String> manifest = Files.readAllLines(tmp.resolve("manifest.txt"));
        assertEquals(240, manifest.size());
        int fortranSeen = 0;
        for (String line : manifest) {
            String[] p = line.split("\\|", -1);
            int[] shape = p[1].isEmpty() ? new int[0] : Arrays.stream(p[1].split(",")).mapToInt(Integer::parseInt).toArray();
            boolean f4 = p[2].equals("f4");
            fortranSeen += p[3].equals("1") && shape.length > 2 ? 1 : 0;
            NdArray expect = NdArray.zeros(shape);
            for (int i = 0; i < expect.size(); i++) {
                expect.data[i] = f4 ? (double) (float) value(i) : value(i);
            }
            assertEquals(expect, Npy.read(tmp.resolve(p[0])), p[0]);
        }
        assertTrue(fortranSeen > 0, "some rank>2 files were written in Fortran order");
    }

    private static final String NUMPY_CHECKS = """
            import io, sys
            import numpy as np
            count = 0
            for line in open('manifest.txt').read().split('\\n'):
                if not line:
                    continue
                name, shape = line.split('|')
                shape = tuple(int(s) for s in shape.split(',')) if shape else ()
                a = np.load(name)
                n = int(np.prod(shape, dtype=np.int64))
                expect = (np.arange(n, dtype=np.float64) * 0.37 - 1.5).reshape(shape)
                assert a.dtype == np.float64 and a.shape == shape, (name, a.dtype, a.shape)
                assert np.array_equal(a, expect), name
                b = io.BytesIO()
                np.save(b, expect)
                assert open(name, 'rb').read() == b.getvalue(), name + ': bytes differ from np.save'
                count += 1
            print('OK', count)
            """;

    @Test
    void javaWritesNumpyReadsItByteForByte() throws Exception {
        assumeNumpy();
        StringBuilder manifest = new StringBuilder();
        int k = 0;
        for (int[] shape : NpyTest.SHAPES) {
            NdArray a = NpyTest.sample(shape);
            String name = "j" + (k++) + ".npy";
            Npy.write(tmp.resolve(name), a);
            manifest.append(name).append('|')
                    .append(String.join(",", Arrays.stream(shape).mapToObj(String::valueOf).toList())).append('\n');
        }
        Files.writeString(tmp.resolve("manifest.txt"), manifest);
        assertEquals("OK " + NpyTest.SHAPES.length, python(tmp, NUMPY_CHECKS).strip());
    }
}
