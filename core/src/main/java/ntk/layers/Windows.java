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
        rowSums(a, base, work, wo, h, w, q, circular, dw);
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

    /**
     * A convolution's whole infinite-width step on one offset plane at base (h rows of w): the k × k window sums of Σ
     * (sig) and, when ntk is not null, of Θ, followed by the rule's update ({@link AffineRule#update}), with the same
     * roundings as {@link #plane} then the update, in fewer passes: the row sums of both arrays in one loop into
     * work[0, L) and work[L, 2L), the column sums of both and the update in one more (rows within q of an edge, and of
     * the split with zero padding, by {@link #plane}'s exact rule first, then the update).
     */
    static void conv(double[] sig, double[] ntk, int base, double[] work, int h, int w, int q, boolean circular,
            int dh, int dw, AffineRule rule) {
        final int len = h * w;
        final boolean both = ntk != null;
        if (q == 0 || 2 * q >= w || 2 * q >= h) {
            plane(sig, base, work, 0, h, w, q, circular, dh, dw);
            if (both) {
                plane(ntk, base, work, len, h, w, q, circular, dh, dw);
            }
            rule.update(sig, ntk, base, sig, base, ntk, base, len, both);
            return;
        }
        if (q == 1 && circular && both && rule.ntkParameterization()) {
            conv3(sig, ntk, base, work, h, w, rule.wStd() * rule.wStd() / rule.window(), rule.bStd() * rule.bStd());
            return;
        }
        rowSums(sig, base, work, 0, h, w, q, circular, dw);
        if (both) {
            rowSums(ntk, base, work, len, h, w, q, circular, dw);
        }
        columnsAndUpdate(work, sig, ntk, base, q * w, len - q * w, w, q, rule);
        int splitH = h - dh;
        for (int ph = 0; ph < h; ph++) {
            boolean edge = ph < q || ph >= h - q || !circular && dh > 0 && ph >= splitH - q && ph < splitH + q;
            if (edge) {
                rowAt(work, 0, sig, base, ph, h, w, q, circular, splitH);
                if (both) {
                    rowAt(work, len, ntk, base, ph, h, w, q, circular, splitH);
                }
                int o = base + ph * w;
                rule.update(sig, ntk, o, sig, o, ntk, o, w, both);
            }
        }
    }

    /**
     * {@link #conv} for the common case, k = 3 with circular padding, Σ and Θ, the NTK parameterisation (h, w ≥ 3):
     * the same additions and roundings in fewer passes. The row sums of both arrays in one vector loop (the rows'
     * wrapped ends then summed again, each in the order a[p − 1] + a[p] + a[p + 1]); the column sums of both with the
     * update in one more, the first and last rows by the same vector loop reading the wrapped row, in the order
     * row(ph − 1) + row(ph) + row(ph + 1) of {@link #rowAt}; then Σ' = c·S + b², Θ' = c·T + Σ'.
     */
    private static void conv3(double[] sig, double[] ntk, int base, double[] work, int h, int w, double c, double b2) {
        final int len = h * w;
        final int vl = S.length();
        // rows: work[e] = Σ_j sig[base + e + j], work[len + e] = Σ_j ntk[base + e + j] for e in [1, len − 1)
        int e = 1;
        for (; e + vl <= len - 1; e += vl) {
            int i = base + e;
            jdk.incubator.vector.DoubleVector.fromArray(S, sig, i - 1)
                    .add(jdk.incubator.vector.DoubleVector.fromArray(S, sig, i))
                    .add(jdk.incubator.vector.DoubleVector.fromArray(S, sig, i + 1)).intoArray(work, e);
            jdk.incubator.vector.DoubleVector.fromArray(S, ntk, i - 1)
                    .add(jdk.incubator.vector.DoubleVector.fromArray(S, ntk, i))
                    .add(jdk.incubator.vector.DoubleVector.fromArray(S, ntk, i + 1)).intoArray(work, len + e);
        }
        for (; e < len - 1; e++) { // bulk's scalar tail: from 0
            int i = base + e;
            double a = 0;
            double t = 0;
            for (int j = -1; j <= 1; j++) {
                a += sig[i + j];
                t += ntk[i + j];
            }
            work[e] = a;
            work[len + e] = t;
        }
        for (int r = 0; r < len; r += w) { // each row's wrapped ends
            int i = base + r;
            work[r] = sig[i + w - 1] + sig[i] + sig[i + 1];
            work[r + w - 1] = sig[i + w - 2] + sig[i + w - 1] + sig[i];
            work[len + r] = ntk[i + w - 1] + ntk[i] + ntk[i + 1];
            work[len + r + w - 1] = ntk[i + w - 2] + ntk[i + w - 1] + ntk[i];
        }
        // columns and the update: rows 1 .. h − 2 as one run, as columnsAndUpdate
        columnsAndUpdate3(work, sig, ntk, base, len, w, len - w, w, w, c, b2, false);
        // the first and last rows, reading the wrapped rows
        columnsAndUpdate3(work, sig, ntk, base, len, 0, w, w - len, w, c, b2, true);
        columnsAndUpdate3(work, sig, ntk, base, len, len - w, len, w, w - len, c, b2, true);
    }

    /**
     * For e in [from, to): S = work[e − up] + work[e] + work[e + down] (T likewise from work[len + ·]), then
     * sig[base + e] = c·S + b² and ntk[base + e] = c·T + Σ', vectorised; the scalar tail sums from 0 (bulk's order),
     * or, for an edge row (edge), from the first term (rowAt's order).
     */
    private static void columnsAndUpdate3(double[] work, double[] sig, double[] ntk, int base, int len, int from,
            int to, int up, int down, double c, double b2, boolean edge) {
        int e = from;
        int vl = S.length();
        for (; e + vl <= to; e += vl) {
            var sNew = jdk.incubator.vector.DoubleVector.fromArray(S, work, e - up)
                    .add(jdk.incubator.vector.DoubleVector.fromArray(S, work, e))
                    .add(jdk.incubator.vector.DoubleVector.fromArray(S, work, e + down)).mul(c).add(b2);
            sNew.intoArray(sig, base + e);
            jdk.incubator.vector.DoubleVector.fromArray(S, work, len + e - up)
                    .add(jdk.incubator.vector.DoubleVector.fromArray(S, work, len + e))
                    .add(jdk.incubator.vector.DoubleVector.fromArray(S, work, len + e + down)).mul(c).add(sNew)
                    .intoArray(ntk, base + e);
        }
        for (; e < to; e++) {
            double sS = edge ? work[e - up] + work[e] + work[e + down] : 0.0 + work[e - up] + work[e] + work[e + down];
            double tS = edge ? work[len + e - up] + work[len + e] + work[len + e + down]
                    : 0.0 + work[len + e - up] + work[len + e] + work[len + e + down];
            double sNew = c * sS + b2;
            sig[base + e] = sNew;
            ntk[base + e] = c * tS + sNew;
        }
    }

    /** The row pass of {@link #plane}: work[wo + e] = Σ_j a[base + e + j] along each row, edges by the exact rule. */
    private static void rowSums(double[] a, int base, double[] work, int wo, int h, int w, int q, boolean circular,
            int dw) {
        final int len = h * w;
        bulk(a, base, work, wo, q, len - q, 1, q);
        if (circular && q == 1) { // k = 3, wrapping: each row's two ends, in at's order of terms
            for (int r = base; r < base + len; r += w) {
                work[wo + r - base] = a[r + w - 1] + a[r] + a[r + 1];
                work[wo + r - base + w - 1] = a[r + w - 2] + a[r + w - 1] + a[r];
            }
            return;
        }
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
    }

    /**
     * For e in [from, to): S = Σ_j work[e + j·w], T = Σ_j work[len + e + j·w] (len = from + to, the plane's
     * length), then sig[base + e] = Σ' and ntk[base + e] = Θ' by the rule ({@link AffineRule#update}'s operations in
     * its order: c·S + b², and c·T + Σ' or c·T + C_in·S + 1), vectorised.
     */
    private static void columnsAndUpdate(double[] work, double[] sig, double[] ntk, int base, int from, int to, int w,
            int q, AffineRule rule) {
        final int len = to + from; // from = q·w and to = L − q·w
        final double c = rule.wStd() * rule.wStd() / rule.window();
        final double b2 = rule.bStd() * rule.bStd();
        final boolean ntkParam = rule.ntkParameterization();
        final double cin = rule.channelsIn();
        if (q == 1 && ntk != null && ntkParam) { // k = 3 and the NTK parameterisation: the common case, three loads a sum
            columnsAndUpdate3(work, sig, ntk, base, len, from, to, w, w, c, b2, false);
            return;
        }
        int e = from;
        int vl = S.length();
        for (; e + vl <= to; e += vl) {
            var sv = jdk.incubator.vector.DoubleVector.fromArray(S, work, e - q * w);
            for (int j = 1 - q; j <= q; j++) {
                sv = sv.add(jdk.incubator.vector.DoubleVector.fromArray(S, work, e + j * w));
            }
            var sNew = sv.mul(c).add(b2);
            sNew.intoArray(sig, base + e);
            if (ntk != null) {
                var tv = jdk.incubator.vector.DoubleVector.fromArray(S, work, len + e - q * w);
                for (int j = 1 - q; j <= q; j++) {
                    tv = tv.add(jdk.incubator.vector.DoubleVector.fromArray(S, work, len + e + j * w));
                }
                (ntkParam ? tv.mul(c).add(sNew) : tv.mul(c).add(sv.mul(cin)).add(1.0)).intoArray(ntk, base + e);
            }
        }
        for (; e < to; e++) {
            double sS = 0;
            double tS = 0;
            for (int j = -q; j <= q; j++) {
                sS += work[e + j * w];
                tS += work[len + e + j * w];
            }
            double sNew = c * sS + b2;
            sig[base + e] = sNew;
            if (ntk != null) {
                ntk[base + e] = ntkParam ? c * tS + sNew : c * tS + cin * sS + 1.0;
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
