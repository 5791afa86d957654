package ntk.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import ntk.BadInputException;

/**
 * LeCun's IDX format (the MNIST files): a big-endian header {@code 0x00 0x00 type rank}, one 32-bit size per
 * axis, then the unsigned bytes (type 0x08) in C order. Files may be gzipped (detected by the gzip magic,
 * whatever the name). Every defect (missing, truncated, wrong magic, trailing bytes, bad gzip) is one
 * {@link BadInputException} naming the file.
 */
public final class Idx {
    private Idx() {
    }

    /** An unsigned-byte IDX array: its shape and its bytes in C order. */
    public record Bytes(int[] shape, byte[] data) {
        /** Element i as 0..255. */
        public int get(int i) {
            return data[i] & 0xff;
        }
    }

    /**
     * Reads an IDX file (gzipped or not) of unsigned bytes with the expected rank. The file is read as a stream (a
     * pipe or a FIFO does as well as a file) and only as far as its header announces: a longer stream is refused
     * after one byte past the data, so a gzip bomb or a link to /dev/zero cannot fill the heap.
     */
    public static Bytes read(Path file, int rank) {
        if (Files.isDirectory(file)) {
            throw new BadInputException(file + ": is a directory, not an IDX file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, rank, file.toString());
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such file");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Reads an IDX stream (gzipped or not; read only as far as its header announces); {@code name} in messages. */
    public static Bytes read(InputStream raw, int rank, String name) {
        try {
            java.io.BufferedInputStream buf = new java.io.BufferedInputStream(raw, 1 << 16);
            buf.mark(2);
            int m0 = buf.read();
            int m1 = buf.read();
            buf.reset();
            boolean gz = m0 == 0x1f && m1 == 0x8b;
            InputStream in = gz ? new GZIPInputStream(buf, 1 << 16) : buf;
            return parse(in, rank, name);
        } catch (EOFException e) {
            throw new BadInputException(name + ": truncated gzip stream");
        } catch (ZipException e) {
            throw new BadInputException(name + ": corrupt gzip stream (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new BadInputException(name + ": cannot read (" + e.getMessage() + ")");
        }
    }

    static Bytes parse(byte[] raw, int rank, String name) {
        return read(new java.io.ByteArrayInputStream(raw), rank, name);
    }

    private static Bytes parse(InputStream in, int rank, String name) throws IOException {
        byte[] b = in.readNBytes(4);
        if (b.length < 4) {
            throw new BadInputException(name + ": not an IDX file (" + b.length + " bytes)");
        }
        if (b[0] != 0 || b[1] != 0 || (b[2] & 0xff) != 0x08) {
            throw new BadInputException(String.format("%s: not an unsigned-byte IDX file (magic %02x %02x %02x %02x)",
                    name, b[0] & 0xff, b[1] & 0xff, b[2] & 0xff, b[3] & 0xff));
        }
        if ((b[3] & 0xff) != rank) {
            throw new BadInputException(name + ": IDX rank " + (b[3] & 0xff) + ", expected " + rank);
        }
        byte[] sizes = in.readNBytes(4 * rank);
        if (sizes.length < 4 * rank) {
            throw new BadInputException(name + ": truncated IDX header");
        }
        int[] shape = new int[rank];
        long count = 1;
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(sizes);
        for (int i = 0; i < rank; i++) {
            shape[i] = bb.getInt();
            if (shape[i] < 0) {
                throw new BadInputException(name + ": negative IDX size " + Integer.toUnsignedString(shape[i]));
            }
            count *= shape[i];
            if (count > Integer.MAX_VALUE - 8) {
                throw new BadInputException(name + ": IDX array too large (more than " + (Integer.MAX_VALUE - 8)
                        + " elements)");
            }
        }
        if (count * 9 > ntk.HeapBudget.free()) { // the bytes, and the doubles Mnist makes of them
            throw new BadInputException(String.format(java.util.Locale.ROOT, "%s: the IDX header announces %d bytes,"
                    + " which need %.3f GB of heap as digits; %.3f GB is free (raise it with NTK_HEAP)", name, count,
                    count * 9 / 1e9, ntk.HeapBudget.free() / 1e9));
        }
        byte[] data = in.readNBytes((int) count);
        if (data.length < count) {
            throw new BadInputException(name + ": truncated: header says " + count + " bytes of data, file has "
                    + data.length);
        }
        if (in.read() >= 0) {
            throw new BadInputException(name + ": trailing bytes: header says " + count + " bytes of data, the file"
                    + " goes on after them");
        }
        return new Bytes(shape, data);
    }

    /** The bytes of an IDX file of unsigned bytes (not gzipped): for tests and tools. */
    public static byte[] encode(int[] shape, byte[] data) {
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(4 + 4 * shape.length + data.length);
        bb.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) shape.length);
        for (int s : shape) {
            bb.putInt(s);
        }
        bb.put(data);
        return bb.array();
    }
}
