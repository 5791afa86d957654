#!/usr/bin/env python3
"""The peer for smooth activations (issue 11): the infinite-width NNGP + NTK of
[Dense(512, W_std, b_std), phi] x depth + Dense(1, W_std, b_std), NTK parameterisation, with every
E[phi(u)phi(v)] and E[phi'(u)phi'(v)] computed per entry by a 2-D Gauss-Hermite rule of degree `deg` in
each direction, vectorised over the N x N matrix in row blocks -- what neural-tangents'
stax.ElementwiseNumerical(fn, deg=25) does for a phi without a closed form (it differentiates fn with
autodiff; here phi' is written out).

Per entry: with rho = s12/sqrt(q1 q2), u = sqrt(q1) z_a, v = sqrt(q2) (rho z_a + sqrt(1-rho^2) z_b) at the
probabilists' Hermite nodes z_a, z_b, weights w_a w_b (summing to 1).

usage:
  python3 bench/gh_kernel.py --act Tanh --n 500 --d 50 [--depth 3] [--w-std 1.3] [--b-std 0.2] [--deg 25]
                             [--repeats 3]                 # timing on random inputs (seed 42)
  python3 bench/gh_kernel.py --act Tanh --x X.npy --out K.npy  # one whole-process run on X (ntk kernel's peer)
  ... --compare K_ntk.npy                                  # also print the max relative difference to K_ntk
Prints a RESULT line with the median wall and process CPU seconds of the kernel computation.
"""
import argparse
import math
import sys
import time

import numpy as np

try:
    from scipy.special import ndtr as _ndtr
except ImportError:  # pragma: no cover - Debian's python3-scipy is in .ci/run
    _ndtr = np.vectorize(lambda t: 0.5 * math.erfc(-t / math.sqrt(2.0)))


def _sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


ACTIVATIONS = {
    "Tanh": (np.tanh, lambda x: 1.0 / np.cosh(x) ** 2),
    "Sigmoid": (_sigmoid, lambda x: _sigmoid(x) * _sigmoid(-x)),
    "Softplus": (lambda x: np.logaddexp(0.0, x), _sigmoid),
    "Silu": (lambda x: x * _sigmoid(x), lambda x: _sigmoid(x) * (1.0 + x * _sigmoid(-x))),
    "Elu": (lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0.0))),
            lambda x: np.where(x > 0, 1.0, np.exp(np.minimum(x, 0.0)))),
    "Gelu": (lambda x: x * _ndtr(x), lambda x: _ndtr(x) + x * np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)),
}


def expectations(phi, dphi, q1, q2, s, z, w, want_d, block_elems=4_000_000):
    """E[phi phi] and E[phi' phi'] for the (R, N) block with row variances q1 (R,), column variances q2 (N,)."""
    r, n = s.shape
    deg = z.size
    out = np.empty_like(s)
    outd = np.empty_like(s) if want_d else None
    rows = max(1, block_elems // (n * deg * deg))
    ww = np.outer(w, w)                                  # (deg, deg)
    for a in range(0, r, rows):
        b = min(r, a + rows)
        sq1 = np.sqrt(q1[a:b])[:, None, None]            # (R, 1, 1)
        sq2 = np.sqrt(q2)[None, :, None, None]           # (1, N, 1, 1)
        rho = np.clip(s[a:b] / np.sqrt(np.outer(q1[a:b], q2)), -1.0, 1.0)
        c = np.sqrt((1.0 - rho) * (1.0 + rho))[:, :, None, None]
        u = sq1 * z[None, None, :]                       # (R, 1, deg)
        v = sq2 * (rho[:, :, None, None] * z[None, None, :, None] + c * z[None, None, None, :])  # (R, N, deg, deg)
        out[a:b] = np.einsum("rna,rnab,ab->rn", np.broadcast_to(phi(u), (b - a, n, deg)), phi(v), ww, optimize=True)
        if want_d:
            outd[a:b] = np.einsum("rna,rnab,ab->rn", np.broadcast_to(dphi(u), (b - a, n, deg)), dphi(v), ww,
                                  optimize=True)
    return out, outd


def kernels(x, act, depth, w_std, b_std, deg):
    phi, dphi = ACTIVATIONS[act]
    z, w = np.polynomial.hermite_e.hermegauss(deg)
    w = w / w.sum()
    n, d = x.shape
    w2, b2 = w_std ** 2, b_std ** 2
    s = w2 * (x @ x.T) / d + b2        # first Dense: Sigma^(1)
    t = s.copy()                       # Theta^(1)
    for _ in range(depth):
        q = np.diag(s).copy()
        e, ed = expectations(phi, dphi, q, q, s, z, w, True)
        s = w2 * e + b2
        t = w2 * ed * t + s
    return s, t


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--act", default="Tanh", choices=sorted(ACTIVATIONS))
    p.add_argument("--n", type=int, default=500)
    p.add_argument("--d", type=int, default=50)
    p.add_argument("--depth", type=int, default=3)
    p.add_argument("--w-std", type=float, default=1.3)
    p.add_argument("--b-std", type=float, default=0.2)
    p.add_argument("--deg", type=int, default=25)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--x")
    p.add_argument("--out")
    p.add_argument("--compare")
    a = p.parse_args()
    if a.x:
        x = np.load(a.x).astype(np.float64)
        a.repeats = 1
    else:
        x = np.random.default_rng(42).standard_normal((a.n, a.d))
    times = []
    cpu = []
    for _ in range(a.repeats):
        t0 = time.perf_counter()
        c0 = time.process_time()
        s, t = kernels(x, a.act, a.depth, a.w_std, a.b_std, a.deg)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    if a.out:
        np.save(a.out, t)
    print(f"gh peer (numpy {np.__version__}, degree {a.deg}): {a.act} N={x.shape[0]} d={x.shape[1]} depth={a.depth} "
          f"runs: " + ", ".join(f"{v:.3f}" for v in times))
    if a.compare:
        ref = np.load(a.compare)
        print(f"max |K_gh - K_ntk| / max|K_ntk| = {np.max(np.abs(t - ref)) / np.max(np.abs(ref)):.2e}")
    print(f"RESULT gh_seconds={float(np.median(times)):.4f} cpu_seconds={float(np.median(cpu)):.4f}")


if __name__ == "__main__":
    sys.exit(main())
