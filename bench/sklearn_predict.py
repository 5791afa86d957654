#!/usr/bin/env python3
"""The peer for `ntk bench predict`: kernel regression (t = inf) with scikit-learn's
KernelRidge(kernel='precomputed') on the same NTK, plus numpy.linalg.eigh (LAPACK syevd) for the
eigendecomposition ntk's gradient-flow predictions are built on.

Inputs are written by `ntk bench predict --save DIR`: K_train.npy (N, N), K_test.npy (m, N), Y.npy (N, 1).
Note KernelRidge's alpha is the ridge on K itself, as ntk's --ridge is (ntk divides K by n only in time).

usage: python3 bench/sklearn_predict.py DIR [ridge]
"""
import sys
import time

import numpy as np


def main():
    d = sys.argv[1]
    ridge = float(sys.argv[2]) if len(sys.argv) > 2 else 1e-6
    k = np.load(f"{d}/K_train.npy")
    kt = np.load(f"{d}/K_test.npy")
    y = np.load(f"{d}/Y.npy")
    n = k.shape[0]
    t0 = time.perf_counter()
    w, v = np.linalg.eigh(k)
    t_eig = time.perf_counter() - t0
    print(f"numpy eigh (syevd): {t_eig:.2f} s")
    del v
    try:
        from sklearn.kernel_ridge import KernelRidge
    except ImportError:
        print("scikit-learn not installed (apt-get install python3-sklearn): no KernelRidge timing")
        print(f"RESULT n={n} eigh={t_eig:.3f}")
        return
    t0 = time.perf_counter()
    model = KernelRidge(alpha=ridge, kernel="precomputed").fit(k, y)
    mean = model.predict(kt)
    t_krr = time.perf_counter() - t0
    print(f"sklearn KernelRidge fit+predict: {t_krr:.2f} s  (mean[0] = {mean[0, 0]:.17g})")
    print(f"RESULT n={n} eigh={t_eig:.3f} krr={t_krr:.3f}")


if __name__ == "__main__":
    main()
