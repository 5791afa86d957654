package ntk.layers;

import java.util.Arrays;

/**
 * Window sums along one axis of an offset plane (see {@link ntk.protocol.Tile}), the infinite-width map of a
 * convolution: out[i] = Σ_{j=-q..q} in[i + j], where an index is a run of {@code stride} contiguous values (stride 1:
 * along a row; stride W: whole rows of an image). With circular padding the index wraps modulo n (any number of
 * times, so a filter wider than the axis is fine). With zero padding ('same') the plane's circular offset δ splits
 * the axis at n − δ into two runs whose partners p + δ did not wrap and did: a term counts only when both p + j and
 * its partner p + j + δ are inside, that is when p + j stays in p's own run.
 */
final class Windows {
    private Windows() {
    }

    /** out[oo + i·stride + l] = Σ_j in[io + (i + j)·stride + l] for i in [0, n), l in [0, stride); in and out distinct. */
    static void sum(double[] in, int io, double[] out, int oo, int n, int stride, int q, boolean circular, int split) {
        Arrays.fill(out, oo, oo + n * stride, 0.0);
        if (circular) {
            for (int j = -q; j <= q; j++) {
                int s = Math.floorMod(j, n);
                add(in, io + s * stride, out, oo, (n - s) * stride);
                add(in, io, out, oo + (n - s) * stride, s * stride);
            }
        } else {
            run(in, io, out, oo, 0, split, stride, q);
            run(in, io, out, oo, split, n, stride, q);
        }
    }

    private static void run(double[] in, int io, double[] out, int oo, int lo, int hi, int stride, int q) {
        for (int j = -q; j <= q; j++) {
            int i0 = Math.max(lo, lo - j);
            int i1 = Math.min(hi, hi - j);
            if (i1 > i0) {
                add(in, io + (i0 + j) * stride, out, oo + i0 * stride, (i1 - i0) * stride);
            }
        }
    }

    private static void add(double[] in, int a, double[] out, int b, int len) {
        for (int e = 0; e < len; e++) {
            out[b + e] += in[a + e];
        }
    }

    static final jdk.incubator.vector.VectorSpecies<Double> S = jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED;

    /**
     * The k × k window sum of one offset plane of an image (h rows of w), in place at a[base, base + h·w): first
     * along rows into work[wo, wo + h·w), then along columns back into a. (dh, dw) is the plane's circular offset.
     * Bulk and edges: one vector loop over the whole plane sums every window as if no row or column ended, then the
     * few positions within q of an edge (of the image, and with zero padding of the split at n − δ) are summed again
     * by the exact rule of {@link #sum}.
     */
    static void plane(double[] a, int base, double[] work, int wo, int h, int w, int q, boolean circular, int dh,
            int dw) {
        final int len = h * w;
        if (q == 0) {
            return;
        }
        if (2 * q >= w || 2 * q >= h) { // filters as wide as the image: the plain rule
            for (int ph = 0; ph < h; ph++) {
                sum(a, base + ph * w, work, wo + ph * w, w, 1, q, circular, w - dw);
            }
            sum(work, wo, a, base, h, w, q, circular, h - dh);
            return;
        }
        // along rows: work[e] = Σ_j a[e + j] for e in [q, len − q), then each row's edges
        bulk(a, base, work, wo, q, len - q, 1, q);
        int splitW = w - dw;
        for (int ph = 0; ph < h; ph++) {
            int r = ph * w;
            for (int pw = 0; pw < q; pw++) {
                work[wo + r + pw] = at(a, base + r, pw, w, 1, q, circular, splitW);
                work[wo + r + w - 1 - pw] = at(a, base + r, w - 1 - pw, w, 1, q, circular, splitW);
            }
            if (!circular && dw > 0) {
                for (int pw = Math.max(q, splitW - q); pw < Math.min(w - q, splitW + q); pw++) {
                    work[wo + r + pw] = at(a, base + r, pw, w, 1, q, false, splitW);
                }
            }
        }
        // along columns: a[e] = Σ_j work[e + j·w] for the rows [q, h − q), then the edge rows whole
        bulk(work, wo, a, base, q * w, len - q * w, w, q);
        int splitH = h - dh;
        for (int ph = 0; ph < q; ph++) {
            rowAt(work, wo, a, base, ph, h, w, q, circular, splitH);
            rowAt(work, wo, a, base, h - 1 - ph, h, w, q, circular, splitH);
        }
        if (!circular && dh > 0) {
            for (int ph = Math.max(q, splitH - q); ph < Math.min(h - q, splitH + q); ph++) {
                rowAt(work, wo, a, base, ph, h, w, q, false, splitH);
            }
        }
    }

    /** out[oo + e] = Σ_{j=-q..q} in[io + e + j·stride] for e in [from, to), vectorised. */
    private static void bulk(double[] in, int io, double[] out, int oo, int from, int to, int stride, int q) {
        int e = from;
        int vl = S.length();
        if (q == 1) { // k = 3, the common filter: three loads a vector
            for (; e + vl <= to; e += vl) {
                int c = io + e;
                jdk.incubator.vector.DoubleVector.fromArray(S, in, c - stride)
                        .add(jdk.incubator.vector.DoubleVector.fromArray(S, in, c))
                        .add(jdk.incubator.vector.DoubleVector.fromArray(S, in, c + stride)).intoArray(out, oo + e);
            }
        }
        for (; e + vl <= to; e += vl) {
            var acc = jdk.incubator.vector.DoubleVector.fromArray(S, in, io + e - q * stride);
            for (int j = 1 - q; j <= q; j++) {
                acc = acc.add(jdk.incubator.vector.DoubleVector.fromArray(S, in, io + e + j * stride));
            }
            acc.intoArray(out, oo + e);
        }
        for (; e < to; e++) {
            double s = 0;
            for (int j = -q; j <= q; j++) {
                s += in[io + e + j * stride];
            }
            out[oo + e] = s;
        }
    }

    /** Σ_j in[io + (i + j)·stride] at position i of an axis of n, by the rule of {@link #sum}. */
    private static double at(double[] in, int io, int i, int n, int stride, int q, boolean circular, int split) {
        double s = 0;
        if (circular) { // 2q < n: one wrap at most
            for (int j = -q; j <= q; j++) {
                int k = i + j;
                s += in[io + (k < 0 ? k + n : k >= n ? k - n : k) * stride];
            }
        } else {
            int lo = i < split ? 0 : split;
            int hi = i < split ? split : n;
            for (int j = Math.max(-q, lo - i); j <= Math.min(q, hi - 1 - i); j++) {
                s += in[io + (i + j) * stride];
            }
        }
        return s;
    }

    /** Row ph of the column pass: out row = Σ_j in row (ph + j), by the rule of {@link #sum}. */
    private static void rowAt(double[] in, int io, double[] out, int oo, int ph, int h, int w, int q,
            boolean circular, int split) {
        int o = oo + ph * w;
        boolean first = true;
        int lo = ph < split ? 0 : split;
        int hi = ph < split ? split : h;
        for (int j = -q; j <= q; j++) {
            int src;
            if (circular) {
                src = ph + j < 0 ? ph + j + h : ph + j >= h ? ph + j - h : ph + j;
            } else {
                src = ph + j;
                if (src < lo || src >= hi) {
                    continue;
                }
            }
            int so = io + src * w;
            if (first) {
                System.arraycopy(in, so, out, o, w);
                first = false;
            } else {
                for (int pw = 0; pw < w; pw++) {
                    out[o + pw] += in[so + pw];
                }
            }
        }
        if (first) {
            Arrays.fill(out, o, o + w, 0.0);
        }
    }
}
