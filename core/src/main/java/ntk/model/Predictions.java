package ntk.model;

import ntk.dynamics.TrainingTime;
import ntk.NdArray;

/**
 * What {@link KernelRegressor#predict} gives: per requested time, the mean of the trained network's outputs on the m
 * test points (m×o, row-major) and, when asked, their covariance (m×m, the same for every output). Not to be confused
 * with {@code ntk.dynamics.Prediction}, the array tier's fitted predictor on one set of test points, which gives means
 * at any time on demand: Predictions (plural) are finished results, one per requested time.
 *
 * @param times the training times, in the order requested
 * @param m test points
 * @param o outputs
 * @param means per time, the row-major m × o mean
 * @param covariances per time, the row-major m × m covariance, or null when not asked
 */
public record Predictions(TrainingTime[] times, int m, int o, double[][] means, double[][] covariances) {

    /**
     * The means as an array: (m, o) for one time, (times, m, o) for several.
     *
     * @return the means
     */
    public NdArray meanArray() {
        return stack(means, m, o);
    }

    /**
     * The covariances as an array: (m, m) for one time, (times, m, m) for several; null when not asked.
     *
     * @return the covariances, or null
     */
    public NdArray covarianceArray() {
        return covariances == null ? null : stack(covariances, m, m);
    }

    /**
     * The mean at the j-th requested time, (m, o).
     *
     * @param j index into {@link #times()}
     * @return a new (m, o) array
     */
    public NdArray mean(int j) {
        return NdArray.matrix(m, o, means[j].clone());
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
