package ntk.data;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
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

    /** Reads an IDX file (gzipped or not) of unsigned bytes with the expected rank. */
    public static Bytes read(Path file, int rank) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such file");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read (" + e.getMessage() + ")");
        }
        return parse(raw, rank, file.toString());
    }

    /** Reads an IDX stream (gzipped or not); {@code name} is used in messages. */
    public static Bytes read(InputStream in, int rank, String name) {
        try {
            return parse(in.readAllBytes(), rank, name);
        } catch (IOException e) {
            throw new BadInputException(name + ": cannot read (" + e.getMessage() + ")");
        }
    }

    static Bytes parse(byte[] raw, int rank, String name) {
        byte[] b = raw;
        if (raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
            try (InputStream g = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
                ByteArrayOutputStream o = new ByteArrayOutputStream(raw.length * 4);
                g.transferTo(o);
                b = o.toByteArray();
            } catch (EOFException e) {
                throw new BadInputException(name + ": truncated gzip stream");
            } catch (ZipException e) {
                throw new BadInputException(name + ": corrupt gzip stream (" + e.getMessage() + ")");
            } catch (IOException e) {
                throw new BadInputException(name + ": cannot decompress (" + e.getMessage() + ")");
            }
        }
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
        if (b.length < 4 + 4 * rank) {
            throw new BadInputException(name + ": truncated IDX header");
        }
        int[] shape = new int[rank];
        long count = 1;
        try (DataInputStream d = new DataInputStream(new java.io.ByteArrayInputStream(b, 4, 4 * rank))) {
            for (int i = 0; i < rank; i++) {
                shape[i] = d.readInt();
                if (shape[i] < 0) {
                    throw new BadInputException(name + ": negative IDX size " + Integer.toUnsignedString(shape[i]));
                }
                count *= shape[i];
            }
        } catch (IOException e) {
            throw new BadInputException(name + ": truncated IDX header");
        }
        long have = b.length - 4L - 4L * rank;
        if (count > Integer.MAX_VALUE - 8) {
            throw new BadInputException(name + ": IDX array too large (" + count + " elements)");
        }
        if (have != count) {
            throw new BadInputException(name + ": " + (have < count ? "truncated" : "trailing bytes") + ": header says "
                    + count + " bytes of data, file has " + have);
        }
        byte[] data = java.util.Arrays.copyOfRange(b, 4 + 4 * rank, b.length);
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
