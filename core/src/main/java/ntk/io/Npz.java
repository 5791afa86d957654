// NPZ archives (zip of .npy members) as written by numpy.savez / savez_compressed, https://numpy.org/doc/stable/reference/generated/numpy.savez.html
package ntk.io;

import ntk.NdArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.LocalDateTime;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import java.nio.file.Path;

import ntk.BadInputException;

/**
 * Reads and writes named arrays in NumPy's {@code .npz} format: a zip archive whose members are
 * {@code <key>.npy} files. Reading accepts stored and deflated members (numpy.savez and
 * numpy.savez_compressed); writing stores members uncompressed. Every problem with a file is a
 * {@link BadInputException} whose one-line message starts with the file name.
 */
public final class Npz {
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private Npz() {
    }

    /**
     * Reads every member of an {@code .npz} archive.
     *
     * @return arrays in archive order, keyed by member name without the ".npy" suffix
     * @throws BadInputException if the file is missing or not a valid zip, a member is not a valid
     *     {@code .npy} image (the message names the file and the key), or two members share a key
     */
    public static Map<String, NdArray> read(Path file) {
        String name = file.toString();
        FileIo.requireReadableFile(file);
        Map<String, NdArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                String entryName = e.getName();
                String key = entryName.endsWith(".npy")
                        ? entryName.substring(0, entryName.length() - 4) : entryName;
                String what = name + ": key '" + FileIo.oneLine(key) + "'";
                if (out.containsKey(key)) {
                    throw new BadInputException(name + ": duplicate key '" + FileIo.oneLine(key) + "'");
                }
                NdArray a;
                CRC32 crc = new CRC32();
                try (InputStream raw = zip.getInputStream(e);
                        CheckedInputStream in = new CheckedInputStream(raw, crc)) {
                    a = Npy.read(in, what, e.getSize(), null);
                    in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException ex) {
                    throw new BadInputException(what + ": read error: " + FileIo.describe(ex), ex);
                }
                if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
                    throw new BadInputException(what + ": CRC mismatch (corrupt archive)");
                }
                out.put(key, a);
            }
        } catch (ZipException e) {
            throw new BadInputException(name + ": not a valid zip/npz archive (" + FileIo.describe(e) + ")", e);
        } catch (IOException e) {
            throw new BadInputException(name + ": cannot read: " + FileIo.describe(e), e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // ZipFile reports some malformed archives (e.g. bad entry names) this way
            throw new BadInputException(name + ": not a valid zip/npz archive (" + FileIo.describe(e) + ")", e);
        }
        return out;
    }

    /**
     * Writes {@code arrays} to {@code file} atomically as an uncompressed archive with members
     * {@code <key>.npy} in the map's iteration order. Keys may contain '/' and '.'.
     *
     * @throws IllegalArgumentException if a key is empty
     * @throws BadInputException if the file cannot be written; the message starts with {@code file}
     */
    public static void write(Path file, Map<String, NdArray> arrays) {
        Objects.requireNonNull(arrays, "arrays");
        for (Map.Entry<String, NdArray> en : arrays.entrySet()) {
            Objects.requireNonNull(en.getKey(), "key");
            if (en.getKey().isEmpty()) {
                throw new IllegalArgumentException("npz key must not be empty");
            }
        }
        FileIo.writeAtomically(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, NdArray> en : arrays.entrySet()) {
                NdArray a = Objects.requireNonNull(en.getValue(), () -> "array for key '" + en.getKey() + "'");
                CRC32 crc = new CRC32();
                try (CheckedOutputStream sink = new CheckedOutputStream(OutputStream.nullOutputStream(), crc)) {
                    Npy.writeTo(sink, a);
                }
                ZipEntry e = new ZipEntry(en.getKey() + ".npy");
                e.setMethod(ZipEntry.STORED);
                long size = Npy.encodedLength(a);
                e.setSize(size);
                e.setCompressedSize(size);
                e.setCrc(crc.getValue());
                e.setTimeLocal(FIXED_TIME);
                zip.putNextEntry(e);
                Npy.writeTo(zip, a);
                zip.closeEntry();
            }
            zip.finish();
        });
    }
}
