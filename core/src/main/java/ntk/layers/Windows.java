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

    /**
     * The k × k window sum of one offset plane of an image (h rows of w), in place at a[base, base + h·w): first
     * along rows into work[wo, wo + h·w), then along columns back into a. (dh, dw) is the plane's circular offset.
     */
    static void plane(double[] a, int base, double[] work, int wo, int h, int w, int q, boolean circular, int dh,
            int dw) {
        for (int ph = 0; ph < h; ph++) {
            sum(a, base + ph * w, work, wo + ph * w, w, 1, q, circular, w - dw);
        }
        sum(work, wo, a, base, h, w, q, circular, h - dh);
    }
}
