package ntk.spark;

import java.io.Serializable;
import ntk.NdArray;

/** Rows [start(I), start(I) + rows(I)) of an n-row array cut into blocks of at most b rows. */
record Blocking(int n, int b) implements Serializable {
    int count() {
        return (n + b - 1) / b;
    }

    int start(int i) {
        return i * b;
    }

    int rows(int i) {
        return Math.min(b, n - i * b);
    }

    /** A copy of block i's rows of x (row-major, any rank: an example is dim(1)·…·dim(rank-1) values). */
    double[] slice(NdArray x, int i) {
        int per = x.dim(0) == 0 ? 0 : x.data.length / x.dim(0);
        double[] out = new double[rows(i) * per];
        System.arraycopy(x.data, start(i) * per, out, 0, out.length);
        return out;
    }

    /** Rows of block i of a row-major n×o matrix. */
    double[] slice(double[] a, int o, int i) {
        double[] out = new double[rows(i) * o];
        System.arraycopy(a, start(i) * o, out, 0, out.length);
        return out;
    }
}
