package ntk.model;

import ntk.dynamics.TrainingTime;
import ntk.io.NdArray;

/**
 * What {@link KernelRegressor#predict} gives: per requested time, the mean of the trained network's outputs on the m
 * test points (m×o, row-major) and, when asked, their covariance (m×m, the same for every output).
 */
public record Predictions(TrainingTime[] times, int m, int o, double[][] means, double[][] covariances) {

    /** The means as an array: (m, o) for one time, (times, m, o) for several. */
    public NdArray meanArray() {
        return stack(means, m, o);
    }

    /** The covariances as an array: (m, m) for one time, (times, m, m) for several; null when not asked. */
    public NdArray covarianceArray() {
        return covariances == null ? null : stack(covariances, m, m);
    }

    private static NdArray stack(double[][] perTime, int rows, int cols) {
        if (perTime.length == 1) {
            return new NdArray(new int[] {rows, cols}, perTime[0]);
        }
        double[] all = new double[Math.multiplyExact(perTime.length, Math.multiplyExact(rows, cols))];
        for (int j = 0; j < perTime.length; j++) {
            System.arraycopy(perTime[j], 0, all, j * rows * cols, rows * cols);
        }
        return new NdArray(new int[] {perTime.length, rows, cols}, all);
    }
}
