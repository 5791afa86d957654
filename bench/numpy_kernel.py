#!/usr/bin/env python3
"""The peer for `ntk bench kernel`: the same infinite-width NNGP + NTK recursion written the way a
NumPy user would (vectorised over the whole N x N matrix), on the same machine.

Network: [Dense(512, W_std=sqrt(2), b_std=0.1), Relu] x depth, Dense(1, W_std=sqrt(2), b_std=0.1),
NTK parameterisation. Recursion: Jacot et al. 2018 Thm 1 with the arc-cosine kernel (Cho & Saul 2009).
Prints a RESULT line with the median time over repeats.

usage: python3 bench/numpy_kernel.py [N] [d] [depth] [repeats]
"""
import sys
import time

import numpy as np


def kernels(x, depth, w_std=np.sqrt(2.0), b_std=0.1):
    n, d = x.shape
    w2, b2 = w_std ** 2, b_std ** 2
    g = x @ x.T / d                      # Sigma^(0), the input covariance
    q = np.diag(g).copy()
    s = w2 * g + b2                      # first Dense: Sigma^(1)
    t = s.copy()                         # Theta^(1)
    q = w2 * q + b2
    for _ in range(depth):
        nrm = np.sqrt(np.outer(q, q))
        c = np.clip(s / nrm, -1.0, 1.0)
        th = np.arccos(c)
        e = nrm / (2 * np.pi) * (np.sin(th) + (np.pi - th) * c)   # E[relu(u) relu(v)]
        ed = (np.pi - th) / (2 * np.pi)                             # E[relu'(u) relu'(v)]
        s = w2 * e + b2
        t = w2 * ed * t + s
        q = w2 * q / 2 + b2
    return s, t


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    d = int(sys.argv[2]) if len(sys.argv) > 2 else 784
    depth = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    rng = np.random.default_rng(42)
    x = rng.standard_normal((n, d))
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        s, t = kernels(x, depth)
        times.append(time.perf_counter() - t0)
        del s, t
    t0 = time.perf_counter()
    _ = x @ x.T
    tg = time.perf_counter() - t0
    print(f"numpy {np.__version__}: N={n} d={d} depth={depth} runs: " + ", ".join(f"{v:.3f}" for v in times))
    print(f"numpy X@X.T alone: {tg:.3f} s")
    print(f"RESULT numpy_seconds={float(np.median(times)):.4f}")


if __name__ == "__main__":
    main()
