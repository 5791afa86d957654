package ntk.meanfield;

import ntk.protocol.Binding;
import ntk.protocol.KernelMap;
import ntk.protocol.Layer;
import ntk.protocol.Tile;

/**
 * An identity layer that copies the NNGP Σ and NTK Θ passing through it into the kernels of one
 * depth, so one pass of {@link ntk.kernels.KernelEngine} through the deepest network yields the
 * kernels of every shallower one (symmetric x × x: the engine's diagonal and lower-triangle passes).
 */
final class DepthRecorder implements Layer {
    private final double[] sig;
    private final double[] ntk;
    private final int n;

    DepthRecorder(double[] sig, double[] ntk, int n) {
        this.sig = sig;
        this.ntk = ntk;
        this.n = n;
    }

    @Override
    public String spec() {
        return "Identity";
    }

    @Override
    public ntk.Shape outputShape(ntk.Shape input) {
        return input;
    }

    @Override
    public ntk.protocol.FiniteOp finiteOp(Binding binding, String key, ntk.Shape input) {
        throw new UnsupportedOperationException("DepthRecorder records infinite-width kernels only");
    }

    @Override
    public KernelMap kernelMap(Binding binding, ntk.Shape input) {
        if (input.spatial()) {
            return spatial(input.length());
        }
        return (Tile t) -> {
            if (t.mode == Tile.Mode.DIAG) {
                if (t.side == 1) {
                    for (int i = 0; i < t.n; i++) {
                        int k = (t.start + i) * (n + 1);
                        sig[k] = t.sig[i];
                        ntk[k] = t.ntk[i];
                    }
                }
            } else {
                for (int i = 0; i < t.n; i++) {
                    int j = t.start + i;
                    sig[t.row * n + j] = t.sig[i];
                    sig[j * n + t.row] = t.sig[i];
                    ntk[t.row * n + j] = t.ntk[i];
                    ntk[j * n + t.row] = t.ntk[i];
                }
            }
        };
    }

    /**
     * A spatial tile holds one pair of signals; its δ = 0 row is K_{α,α}(x, x′) over positions α: records their mean
     * (the pair's diagonal entry from the DIAG pass, the lower triangle from the ROW pass, mirrored).
     */
    private KernelMap spatial(int len) {
        return (Tile t) -> {
            double s = 0;
            double th = 0;
            for (int p = 0; p < len; p++) {
                s += t.sig[p];
                th += t.computeNtk ? t.ntk[p] : 0;
            }
            s /= len;
            th /= len;
            if (t.mode == Tile.Mode.DIAG) {
                if (t.side == 1) {
                    sig[t.row * (n + 1)] = s;
                    ntk[t.row * (n + 1)] = th;
                }
            } else {
                sig[t.row * n + t.col] = s;
                sig[t.col * n + t.row] = s;
                ntk[t.row * n + t.col] = th;
                ntk[t.col * n + t.row] = th;
            }
        };
    }
}
