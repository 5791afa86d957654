package ntk.examples;

import ntk.KernelKind;
import ntk.NdArray;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.model.KernelRegressor;

/** The README's first program: the infinitely wide network trained to t = ∞, on three points. */
public class QuickStart {
    public static void main(String[] args) {
        NdArray x = NdArray.of(new double[][] {{1, 0}, {0, 1}, {1, 1}});   // 3 training inputs (n, d)
        NdArray y = NdArray.of(new double[][] {{1}, {-1}, {0.5}});         // their targets (n, o)
        NdArray t = NdArray.of(new double[][] {{0.5, 0.5}, {2, 0}});       // 2 test inputs (m, d)
        Network net = Network.parse("Dense(512, W_std=1.5), Erf, Dense(1)", Parameterization.NTK);
        NdArray mean = new KernelRegressor(net, KernelKind.NTK)           // the infinitely wide network,
                .fit(x, y).predict(t).meanArray();                         // trained to t = ∞ by gradient flow
        System.out.println(mean);                                          // (m, o) = (2, 1)
    }
}
