// NPY format v1-3, https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
package ntk.io;

import ntk.NdArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ntk.BadInputException;

/**
 * Reads and writes single arrays in NumPy's {@code .npy} format.
 * Reading accepts format versions 1.0, 2.0 and 3.0 with dtype float64 or float32 (either byte
 * order, C or Fortran order, any rank); float32 is widened to double exactly. Writing produces
 * version 1.0 (2.0 for headers over 64 KiB), little-endian float64, C order, laid out as
 * {@code numpy.save} does. Every problem with a file is a {@link BadInputException} whose one-line
 * message starts with the file name.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final int MAX_HEADER = 1 << 24;
    private static final int CHUNK = 1 << 20;
    /** A streamed file is synced in the background after each this many bytes (see {@link Streamed}). */
    static long flushBytes = 64L << 20; // not final so a test can exercise the background sync
    /** How far past the data a stream is read to count the extra bytes before it is refused anyway. */
    private static final long TRAILING_LIMIT = 1 << 20;
    /** Arrays up to this many elements are allocated at once even when the stream length is unknown. */
    static int unverifiedDirectLimit = 1 << 24; // not final so a test can exercise the block path
    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

    private Npy() {
    }

    /** The parsed, validated header. */
    /**
     * The parsed, validated header; kind 'f' (float) or 'i'/'u' (signed/unsigned integer, read as float64: exact up to
     * 2^53, e.g. class labels saved by np.save) with elementSize bytes.
     */
    private record Header(int[] shape, int count, char kind, int elementSize, ByteOrder order, boolean fortran,
            long length) {
        long dataBytes() {
            return (long) count * elementSize;
        }

        boolean f4() {
            return kind == 'f' && elementSize == 4;
        }

        boolean f8() {
            return kind == 'f' && elementSize == 8;
        }
    }

    /**
     * Reads a {@code .npy} file.
     *
     * @throws BadInputException if the file is missing, unreadable, malformed, of an unsupported dtype,
     *     truncated, or has bytes after the data; the message starts with {@code file} as given
     */
    public static NdArray read(Path file) {
        String name = file.toString();
        FileIo.requireReadableFile(file);
        if (!Files.isRegularFile(file)) { // a pipe (/dev/stdin, a FIFO), a device: read as a stream of unknown length
            try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                return read(in, name, -1, null);
            } catch (IOException e) {
                throw new BadInputException(name + ": cannot read: " + FileIo.describe(e), e);
            }
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(Channels.newInputStream(ch), name, ch.size(), ch);
        } catch (IOException e) {
            throw new BadInputException(name + ": cannot read: " + FileIo.describe(e), e);
        }
    }

    /**
     * Reads one array from {@code in}, which must hold exactly one {@code .npy} image: the stream is read
     * to its end (bytes after the data are an error) and is not closed.
     *
     * @param nameForMessages what to call the source at the start of error messages
     * @throws BadInputException for any problem with the data, including I/O errors
     */
    public static NdArray read(InputStream in, String nameForMessages) {
        return read(in, nameForMessages, -1, null);
    }

    /**
     * As {@link #read(InputStream, String)}; {@code totalLength} is the stream length if known, else -1.
     * If {@code channel} is not null, {@code in} reads from it without buffering ahead, and the data is
     * read straight from the channel into a direct buffer.
     */
    static NdArray read(InputStream in, String name, long totalLength, FileChannel channel) {
        try {
            Header h = readHeader(in, name, totalLength);
            long dataBytes = h.dataBytes();
            long need = 8L * h.count();
            if (need > ntk.HeapBudget.free()) { // refused before reading: a header cannot make ntk read until the heap is gone
                throw new BadInputException(String.format(java.util.Locale.ROOT, "%s: the header announces %d"
                        + " values (%.3f GB as doubles), more than the %.3f GB of heap free (raise it with NTK_HEAP)",
                        name, h.count(), need / 1e9, ntk.HeapBudget.free() / 1e9));
            }
            if (totalLength >= 0) {
                long available = totalLength - h.length();
                if (available < dataBytes) {
                    throw truncated(name, dataBytes, available);
                }
                if (available > dataBytes) {
                    throw trailing(name, available - dataBytes, dataBytes);
                }
            }
            double[] data = channel != null
                    ? readData(channel, name, h)
                    : readData(in, name, h, totalLength >= 0);
            // bytes after the data: counted up to 1 MB, then refused without reading on (a stream may never end)
            long extra = 0;
            byte[] sink = new byte[8192];
            for (int r; extra <= TRAILING_LIMIT && (r = in.read(sink)) >= 0;) {
                extra += r;
            }
            if (extra > TRAILING_LIMIT) {
                throw new BadInputException(name + ": trailing garbage: the stream goes on for more than "
                        + TRAILING_LIMIT + " bytes after the " + dataBytes + " bytes of data the header describes");
            }
            if (extra > 0) {
                throw trailing(name, extra, dataBytes);
            }
            if (h.fortran() && h.shape().length > 1) {
                data = fortranToC(data, h.shape());
            }
            return new NdArray(h.shape(), data);
        } catch (IOException e) {
            throw new BadInputException(name + ": read error: " + FileIo.describe(e), e);
        }
    }

    private static BadInputException truncated(String name, long expected, long found) {
        return new BadInputException(name + ": truncated: expected " + expected + " bytes of data, found " + found);
    }

    private static BadInputException trailing(String name, long extra, long dataBytes) {
        return new BadInputException(name + ": trailing garbage: " + extra + " unexpected bytes after the "
                + dataBytes + " bytes of data the header describes");
    }

    private static Header readHeader(InputStream in, String name, long totalLength) throws IOException {
        byte[] magic = in.readNBytes(MAGIC.length);
        if (magic.length == 0) {
            throw new BadInputException(name + ": not an NPY file (empty)");
        }
        for (int i = 0; i < magic.length; i++) {
            if (magic[i] != MAGIC[i]) {
                throw new BadInputException(name + ": not an NPY file (bad magic bytes)");
            }
        }
        if (magic.length < MAGIC.length) {
            throw new BadInputException(name + ": truncated: file ends inside the NPY magic string");
        }
        byte[] version = in.readNBytes(2);
        if (version.length < 2) {
            throw new BadInputException(name + ": truncated: file ends inside the NPY version");
        }
        int major = version[0] & 0xff;
        int minor = version[1] & 0xff;
        if ((major != 1 && major != 2 && major != 3) || minor != 0) {
            throw new BadInputException(name + ": unsupported NPY format version " + major + "." + minor
                    + " (supported: 1.0, 2.0, 3.0)");
        }
        int lenBytes = major == 1 ? 2 : 4;
        byte[] lenField = in.readNBytes(lenBytes);
        if (lenField.length < lenBytes) {
            throw new BadInputException(name + ": truncated: file ends inside the NPY header length");
        }
        long headerLen = 0;
        for (int i = lenBytes - 1; i >= 0; i--) {
            headerLen = (headerLen << 8) | (lenField[i] & 0xff);
        }
        long prefix = MAGIC.length + 2 + lenBytes;
        if (headerLen > MAX_HEADER) {
            throw new BadInputException(name + ": header length " + headerLen + " is implausibly large (max "
                    + MAX_HEADER + ")");
        }
        if (totalLength >= 0 && prefix + headerLen > totalLength) {
            throw new BadInputException(name + ": truncated header: expected " + headerLen + " bytes, found "
                    + Math.max(0, totalLength - prefix));
        }
        byte[] hb = in.readNBytes((int) headerLen);
        if (hb.length < headerLen) {
            throw new BadInputException(name + ": truncated header: expected " + headerLen + " bytes, found "
                    + hb.length);
        }
        String text;
        if (major == 3) {
            try {
                text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(hb)).toString();
            } catch (CharacterCodingException e) {
                throw new BadInputException(name + ": header is not valid UTF-8", e);
            }
        } else {
            text = new String(hb, StandardCharsets.ISO_8859_1);
        }
        Object parsed;
        try {
            parsed = PyLiteral.parse(text);
        } catch (PyLiteral.Syntax e) {
            throw new BadInputException(name + ": header is not a valid Python dict literal ("
                    + FileIo.oneLine(e.getMessage()) + ")");
        }
        if (!(parsed instanceof Map<?, ?> dict)) {
            throw new BadInputException(name + ": header is not a dict but " + snippet(parsed));
        }
        for (String key : List.of("descr", "fortran_order", "shape")) {
            if (!dict.containsKey(key)) {
                throw new BadInputException(name + ": header has no '" + key + "' key");
            }
        }
        for (Object key : dict.keySet()) {
            if (!KEYS.contains(key)) {
                throw new BadInputException(name + ": header has unexpected key " + snippet(key));
            }
        }
        Object descr = dict.get("descr");
        String dtype = descr instanceof String str ? str : "";
        java.util.regex.Matcher dm = java.util.regex.Pattern.compile("([<>=|])([fiu])([1248])").matcher(dtype);
        if (!dm.matches() || dm.group(2).equals("f") && !(dm.group(3).equals("4") || dm.group(3).equals("8"))
                || dm.group(1).equals("|") && !dm.group(3).equals("1")) {
            throw new BadInputException(name + ": unsupported dtype " + snippet(descr)
                    + " (need float64 or float32, or an integer type for labels)");
        }
        char kind = dm.group(2).charAt(0);
        int elementSize = Integer.parseInt(dm.group(3));
        ByteOrder order = dm.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new BadInputException(name + ": header 'fortran_order' must be True or False, not "
                    + snippet(dict.get("fortran_order")));
        }
        Object shapeValue = dict.get("shape");
        if (!(shapeValue instanceof PyLiteral.Tuple tuple)) {
            throw new BadInputException(name + ": header 'shape' must be a tuple of non-negative integers, not "
                    + snippet(shapeValue));
        }
        int rank = tuple.items().size();
        int[] shape = new int[rank];
        BigInteger count = BigInteger.ONE;
        for (int i = 0; i < rank; i++) {
            Object d = tuple.items().get(i);
            if (!(d instanceof BigInteger bi)) {
                throw new BadInputException(name + ": shape " + snippet(tuple) + " has a non-integer dimension "
                        + snippet(d));
            }
            if (bi.signum() < 0) {
                throw new BadInputException(name + ": shape " + snippet(tuple) + " has a negative dimension " + bi);
            }
            if (bi.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
                throw new BadInputException(name + ": shape " + snippet(tuple) + " has a dimension too large: "
                        + snippet(bi));
            }
            shape[i] = bi.intValue();
            count = count.multiply(bi);
        }
        if (count.compareTo(BigInteger.valueOf(NdArray.MAX_ELEMENTS)) > 0) {
            throw new BadInputException(name + ": too large: shape " + snippet(tuple) + " has " + snippet(count)
                    + " elements (max " + NdArray.MAX_ELEMENTS + ")");
        }
        return new Header(shape, count.intValue(), kind, elementSize, order, fortran, prefix + headerLen);
    }

    /** Short one-line repr of a header value for messages. */
    private static String snippet(Object v) {
        String r = FileIo.oneLine(PyLiteral.repr(v));
        return r.length() > 80 ? r.substring(0, 77) + "..." : r;
    }

    /**
     * Reads the data from a stream. If the stream length was not known (so the header's size claim is
     * unverified), large arrays are read into blocks first, so a lying header cannot force a huge
     * allocation before the data is seen.
     */
    private static double[] readData(InputStream in, String name, Header h, boolean sizeKnown) throws IOException {
        int n = h.count();
        int es = h.elementSize();
        if (n == 0) {
            return new double[0];
        }
        boolean direct = sizeKnown || n <= unverifiedDirectLimit;
        int chunkElems = Math.min(CHUNK / es, n);
        byte[] buf = new byte[chunkElems * es];
        float[] fbuf = h.f4() ? new float[chunkElems] : null;
        double[] data = direct ? new double[n] : null;
        List<double[]> blocks = direct ? null : new ArrayList<>();
        int done = 0;
        while (done < n) {
            int want = Math.min(chunkElems, n - done);
            int got = in.readNBytes(buf, 0, want * es);
            if (got < want * es) {
                throw truncated(name, h.dataBytes(), (long) done * es + got);
            }
            double[] dst = data;
            int off = done;
            if (!direct) {
                dst = new double[want];
                off = 0;
                blocks.add(dst);
            }
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, got).order(h.order());
            decode(bb, h, fbuf, want, dst, off);
            done += want;
        }
        if (!direct) {
            data = new double[n];
            int off = 0;
            for (double[] b : blocks) {
                System.arraycopy(b, 0, data, off, b.length);
                off += b.length;
            }
        }
        return data;
    }

    /** Reads the data straight from a file channel positioned at its start (length already checked). */
    private static double[] readData(FileChannel ch, String name, Header h) throws IOException {
        int n = h.count();
        int es = h.elementSize();
        double[] data = new double[n];
        if (n == 0) {
            return data;
        }
        int chunkElems = Math.min((4 * CHUNK) / es, n);
        ByteBuffer bb = ByteBuffer.allocateDirect(chunkElems * es).order(h.order());
        float[] fbuf = h.f4() ? new float[chunkElems] : null;
        int done = 0;
        while (done < n) {
            int want = Math.min(chunkElems, n - done);
            bb.clear().limit(want * es);
            while (bb.hasRemaining()) {
                if (ch.read(bb) < 0) {
                    throw truncated(name, h.dataBytes(), (long) done * es + bb.position());
                }
            }
            bb.flip();
            decode(bb, h, fbuf, want, data, done);
            done += want;
        }
        return data;
    }

    /** Converts want elements of the header's dtype from bb (in its byte order) to doubles at dst[off...]. */
    private static void decode(ByteBuffer bb, Header h, float[] fbuf, int want, double[] dst, int off) {
        if (h.f8()) {
            bb.asDoubleBuffer().get(dst, off, want);
        } else if (h.f4()) {
            bb.asFloatBuffer().get(fbuf, 0, want);
            for (int i = 0; i < want; i++) {
                dst[off + i] = fbuf[i];
            }
        } else {
            boolean unsigned = h.kind() == 'u';
            for (int i = 0; i < want; i++) {
                dst[off + i] = switch (h.elementSize()) {
                    case 1 -> unsigned ? bb.get() & 0xFF : bb.get();
                    case 2 -> unsigned ? bb.getShort() & 0xFFFF : bb.getShort();
                    case 4 -> unsigned ? bb.getInt() & 0xFFFFFFFFL : bb.getInt();
                    default -> unsigned ? unsignedToDouble(bb.getLong()) : (double) bb.getLong();
                };
            }
        }
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    /** Reorders Fortran-order (first axis fastest) data into C order, for any rank. */
    static double[] fortranToC(double[] in, int[] shape) {
        int rank = shape.length;
        double[] out = new double[in.length];
        if (in.length == 0) {
            return out;
        }
        long[] cStride = new long[rank];
        long s = 1;
        for (int k = rank - 1; k >= 0; k--) {
            cStride[k] = s;
            s *= shape[k];
        }
        int[] idx = new int[rank];
        long c = 0;
        for (int p = 0; p < in.length; p++) {
            out[(int) c] = in[p];
            for (int k = 0; k < rank; k++) {
                idx[k]++;
                c += cStride[k];
                if (idx[k] < shape[k]) {
                    break;
                }
                c -= cStride[k] * shape[k];
                idx[k] = 0;
            }
        }
        return out;
    }

    /**
     * Writes {@code a} to {@code file} atomically (temp file in the same directory, fsync, rename), so
     * the target is either the old file or the complete new one.
     *
     * @throws BadInputException if the file cannot be written; the message starts with {@code file}
     */
    public static void write(Path file, NdArray a) {
        java.util.Objects.requireNonNull(a, "array");
        try (Streamed w = open(file, a.shape)) {
            w.put(a.data, 0, a.data.length);
            w.commit();
        }
    }

    /**
     * Opens {@code file} for an array of this shape written piece by piece while it is computed: the header goes to a
     * temporary file beside the target at once, {@link Streamed#put} writes a range of elements at its place (from
     * any thread), and {@link Streamed#commit} fsyncs the file and renames it over the target, as {@link #write}
     * does; {@link Streamed#close} without commit (a failure) deletes it and leaves the target as it was. The bytes
     * are those {@link #write} produces once every element has been put.
     *
     * @throws BadInputException if the file cannot be created; the message starts with {@code file}
     */
    public static Streamed open(Path file, int[] shape) {
        byte[] header = header(shape);
        FileIo.Pending p = FileIo.open(file);
        try {
            writeFully(p.channel(), ByteBuffer.wrap(header), 0);
        } catch (IOException e) {
            p.close();
            throw p.failure(e);
        }
        long count = 1;
        for (int dim : shape) {
            count *= dim;
        }
        return new Streamed(p, header.length, count);
    }

    private static void writeFully(FileChannel ch, ByteBuffer bb, long pos) throws IOException {
        while (bb.hasRemaining()) {
            pos += ch.write(bb, pos);
        }
    }

    /** An {@code .npy} file being written in pieces; see {@link Npy#open(Path, int[])}. */
    public static final class Streamed implements AutoCloseable {
        private final FileIo.Pending file;
        private final long dataStart;
        private final long count;
        /** Direct buffers for the little-endian bytes, one per concurrent {@link #put}: the channel then copies none. */
        private final java.util.concurrent.ConcurrentLinkedQueue<ByteBuffer> buffers =
                new java.util.concurrent.ConcurrentLinkedQueue<>();

        /**
         * Bytes written since the last background sync: past {@link #flushBytes} the flusher thread syncs the data
         * written so far, so that the disk works while the kernel is computed and commit's fsync waits only for
         * the rest.
         */
        private final java.util.concurrent.atomic.AtomicLong unflushed = new java.util.concurrent.atomic.AtomicLong();
        private final Object flushLock = new Object();
        private boolean flushWanted;
        private boolean stopped;
        private IOException flushFailure;
        private Thread flusher;

        private Streamed(FileIo.Pending file, long dataStart, long count) {
            this.file = file;
            this.dataStart = dataStart;
            this.count = count;
        }

        private void wrote(long bytes) {
            if (unflushed.addAndGet(bytes) < flushBytes) {
                return;
            }
            unflushed.set(0);
            synchronized (flushLock) {
                if (stopped) {
                    return;
                }
                flushWanted = true;
                if (flusher == null) {
                    flusher = new Thread(this::flushLoop, "ntk-npy-flush");
                    flusher.setDaemon(true);
                    flusher.start();
                }
                flushLock.notifyAll();
            }
        }

        private void flushLoop() {
            while (true) {
                synchronized (flushLock) {
                    while (!flushWanted && !stopped) {
                        try {
                            flushLock.wait();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    if (stopped) {
                        return;
                    }
                    flushWanted = false;
                }
                try {
                    file.channel().force(false);
                } catch (java.nio.channels.ClosedChannelException e) {
                    return; // closed: the write is over
                } catch (IOException e) { // reported by commit: a later fsync may not see this error again
                    synchronized (flushLock) {
                        if (flushFailure == null) {
                            flushFailure = e;
                        }
                    }
                    return;
                }
            }
        }

        /** Stops the flusher after the sync in progress (if any) and returns the error it met, if any. */
        private IOException stopFlusher() {
            Thread t;
            synchronized (flushLock) {
                stopped = true;
                flushLock.notifyAll();
                t = flusher;
            }
            if (t != null) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (flushLock) {
                return flushFailure;
            }
        }

        /**
         * Writes elements {@code [from, to)} (C order) of the array, read from {@code data} at the same indices; safe
         * to call from several threads at once for disjoint ranges.
         */
        public void put(double[] data, int from, int to) {
            if (from < 0 || to < from || to > count || to > data.length) {
                throw new IndexOutOfBoundsException("elements [" + from + ", " + to + ") of " + count);
            }
            ByteBuffer bb = buffers.poll();
            if (bb == null) {
                bb = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            }
            try {
                java.nio.DoubleBuffer db = bb.clear().asDoubleBuffer();
                int per = CHUNK / 8;
                for (int off = from; off < to; off += per) {
                    int k = Math.min(per, to - off);
                    db.clear();
                    db.put(data, off, k);
                    bb.clear().limit(k * 8);
                    writeFully(file.channel(), bb, dataStart + 8L * off);
                }
                wrote(8L * (to - from));
            } catch (IOException e) {
                throw file.failure(e);
            } finally {
                buffers.add(bb);
            }
        }

        /** The thread of {@link #putLater}, made on first use. */
        private java.util.concurrent.ExecutorService writer;
        private final List<java.util.concurrent.Future<?>> queued = new ArrayList<>();
        private volatile RuntimeException writerFailure;

        /**
         * As {@link #put}, on a thread of this file's own, so the caller (a thread computing the rest of the array)
         * never waits for the disk; the elements must not change any more. {@link #commit} waits for every such write;
         * a failed one is thrown by the next call or by commit.
         */
        public void putLater(double[] data, int from, int to) {
            RuntimeException f = writerFailure;
            if (f != null) {
                throw f;
            }
            synchronized (queued) {
                if (writer == null) {
                    writer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                        Thread t = new Thread(r, "ntk-npy-write");
                        t.setDaemon(true);
                        return t;
                    });
                }
                queued.add(writer.submit(() -> {
                    try {
                        put(data, from, to);
                    } catch (RuntimeException e) {
                        writerFailure = e;
                        throw e;
                    }
                }));
            }
        }

        private void awaitWrites() {
            synchronized (queued) {
                for (java.util.concurrent.Future<?> q : queued) {
                    try {
                        q.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted", e);
                    }
                }
                queued.clear();
                if (writer != null) {
                    writer.shutdown();
                }
            }
        }

        /**
         * Waits for the writes of {@link #putLater}, fsyncs the complete file and renames it over the target (see
         * {@link Npy#open(Path, int[])}).
         */
        public void commit() {
            awaitWrites();
            IOException e = stopFlusher();
            if (e != null) {
                throw file.failure(e);
            }
            file.commit();
        }

        /** Without {@link #commit}: deletes the temporary file; the target stays as it was. */
        @Override
        public void close() {
            synchronized (flushLock) {
                stopped = true;
                flushLock.notifyAll();
            }
            synchronized (queued) {
                if (writer != null) {
                    writer.shutdownNow(); // a write in progress ends with the channel closed
                }
            }
            file.close(); // a sync in progress ends with the channel closed
            buffers.clear();
        }
    }

    /**
     * Writes {@code a} as a {@code .npy} image to {@code out}, which is not closed.
     *
     * @throws UncheckedIOException if the stream fails
     */
    public static void write(OutputStream out, NdArray a) {
        java.util.Objects.requireNonNull(a, "array");
        try {
            writeTo(out, a);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeTo(OutputStream out, NdArray a) throws IOException {
        out.write(header(a.shape));
        double[] d = a.data;
        if (d.length == 0) {
            return;
        }
        int chunkElems = Math.min(CHUNK / 8, d.length);
        ByteBuffer bb = ByteBuffer.allocate(chunkElems * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int off = 0; off < d.length; off += chunkElems) {
            int k = Math.min(chunkElems, d.length - off);
            bb.clear();
            bb.asDoubleBuffer().put(d, off, k);
            out.write(bb.array(), 0, k * 8);
        }
    }

    /** Exact number of bytes {@link #write(OutputStream, NdArray)} produces for {@code a}. */
    static long encodedLength(NdArray a) {
        return header(a.shape).length + 8L * a.data.length;
    }

    /** The complete header (magic through final newline) numpy.save writes for a C-order {@code '<f8'} array; public for writers that stream the data after it (ntk-spark). */
    public static byte[] header(int[] shape) {
        StringBuilder dict = new StringBuilder("{'descr': '<f8', 'fortran_order': False, 'shape': ")
                .append(NdArray.shapeString(shape)).append(", }");
        if (shape.length > 0) {
            dict.append(" ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String.valueOf(shape[0]).length())));
        }
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        int hlen = text.length + 1;
        int major = 1;
        int lenBytes = 2;
        int pad = ALIGN - (int) ((MAGIC.length + 2 + lenBytes + (long) hlen) % ALIGN);
        if ((long) hlen + pad > 0xffff) {
            major = 2;
            lenBytes = 4;
            pad = ALIGN - (int) ((MAGIC.length + 2 + lenBytes + (long) hlen) % ALIGN);
        }
        int total = MAGIC.length + 2 + lenBytes + hlen + pad;
        ByteBuffer bb = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(MAGIC).put((byte) major).put((byte) 0);
        if (lenBytes == 2) {
            bb.putShort((short) (hlen + pad));
        } else {
            bb.putInt(hlen + pad);
        }
        bb.put(text);
        for (int i = 0; i < pad; i++) {
            bb.put((byte) ' ');
        }
        bb.put((byte) '\n');
        return bb.array();
    }

    /**
     * Checks that every element of {@code a} is finite.
     *
     * @param what names the array at the start of the message, e.g. "x.npy" or "train.npz: key 'X'"
     * @throws BadInputException "what: contains NaN at index (i, j)" (or Inf / -Inf) for the first bad element
     */
    public static void requireFinite(NdArray a, String what) {
        double[] d = a.data;
        for (int i = 0; i < d.length; i++) {
            double v = d[i];
            if (!Double.isFinite(v)) {
                String kind = Double.isNaN(v) ? "NaN" : v > 0 ? "Inf" : "-Inf";
                throw new BadInputException(what + ": contains " + kind + " at index "
                        + NdArray.shapeString(a.unravel(i)));
            }
        }
    }
}
