package ntk.dynamics;

/**
 * The prior covariance Σ of the untrained network's outputs f_0 (the NNGP kernel), needed for the
 * covariance of predictions (Lee et al. 2019 eqs. 15–16). Row-major arrays: Σ(T,T) m×m, Σ(T,X) m×n,
 * Σ(X,X) n×n. {@code testTrain} and {@code trainTrain} are null when Σ is the fitted kernel itself
 * (training with the NNGP, {@code --kind nngp}): then Σ(X,X) = K + rI and Σ(T,X) = K(T,X).
 */
public record PriorCovariance(double[] testTest, double[] testTrain, double[] trainTrain) {

    /** Σ distinct from the fitted kernel (training with the NTK): all three blocks. */
    public static PriorCovariance of(double[] testTest, double[] testTrain, double[] trainTrain) {
        if (testTrain == null || trainTrain == null) {
            throw new IllegalArgumentException("Σ(T,X) and Σ(X,X) are required; use ofFittedKernel for the NNGP case");
        }
        return new PriorCovariance(testTest, testTrain, trainTrain);
    }

    /** Σ is the fitted kernel (GP regression with noise variance = ridge): only Σ(T,T) is new. */
    public static PriorCovariance ofFittedKernel(double[] testTest) {
        return new PriorCovariance(testTest, null, null);
    }

    /**
     * Whether Σ is the fitted kernel itself (the NNGP regression), which saves products.
     * @return whether fitted
     */
    public boolean isFittedKernel() {
        return testTrain == null;
    }
}
