"""The CNTK with global average pooling (Arora et al. 2019) as a NumPy user would write it, batched over pairs: the
peer of bench/conv2d-bench.sh. Architecture: depth x [Conv2D(k=3, circular padding, W_std = sqrt(2)) -> ReLU], then
global average pooling and Dense(1) (W_std = 1), NTK parameterisation, as ntk's spec
"Conv2D(1, 3, W_std=1.4142135623730951), Relu, ..., GlobalAvgPool, Dense(1)".

The state of a batch of B pairs is the full pixel-pair covariance, (B, H, W, H, W) float64; a k x k convolution
sums its k^2 copies shifted along both pixels at once (np.roll over four axes); the ReLU expectations are the
arc-cosine kernels. Pairs (i, j) with i <= j of the images in X (the symmetric half, as ntk computes it).

usage: cntk_peer.py images.npy depth batch out.npy [max_pairs]   prints "pairs N cpu_seconds S"
"""
import sys
import time

import numpy as np


def conv(a, wstd2=2.0, k=3):
    q = k // 2
    out = np.zeros_like(a)
    for da in range(-q, q + 1):
        for db in range(-q, q + 1):
            out += np.roll(a, shift=(-da, -db, -da, -db), axis=(1, 2, 3, 4))
    return out * (wstd2 / (k * k))


def relu(s, v1, v2):
    norm = np.sqrt(v1 * v2)
    rho = np.clip(s / norm, -1.0, 1.0)
    theta = np.arccos(rho)
    e = norm * (np.sin(theta) + (np.pi - theta) * rho) / (2 * np.pi)
    d = (np.pi - theta) / (2 * np.pi)
    return e, d


def diag(a):  # (B, H, W, H, W) -> (B, H, W): the variances of each pixel
    return np.einsum("bijij->bij", a)


def cntk(xa, xb, depth):
    """NTK of the pairs (xa[b], xb[b]), xa and xb of shape (B, H, W, C)."""
    c = xa.shape[3]
    s_ab = np.einsum("bijc,bklc->bijkl", xa, xb) / c
    v_a = np.einsum("bijc,bijc->bij", xa, xa) / c
    v_b = np.einsum("bijc,bijc->bij", xb, xb) / c
    t = np.zeros_like(s_ab)
    # the pixel variances Σ(x; p, p) per layer: a convolution of the diagonal (per image, (B, H, W) only)
    for _ in range(depth):
        s_ab = conv(s_ab)
        t = conv(t) + s_ab
        v_a = conv_diag(v_a)
        v_b = conv_diag(v_b)
        e, d = relu(s_ab, v_a[:, :, :, None, None], v_b[:, None, None, :, :])
        t = t * d
        s_ab = e
        v_a = v_a / 2.0  # E[relu(u)^2] = q / 2
        v_b = v_b / 2.0
    s = s_ab.mean(axis=(1, 2, 3, 4))
    th = t.mean(axis=(1, 2, 3, 4))
    return th + s  # Dense(1), W_std = 1: Θ' = Θ + Σ


def conv_diag(v, wstd2=2.0, k=3):
    q = k // 2
    out = np.zeros_like(v)
    for da in range(-q, q + 1):
        for db in range(-q, q + 1):
            out += np.roll(v, shift=(-da, -db), axis=(1, 2))
    return out * (wstd2 / (k * k))


def main():
    x = np.load(sys.argv[1])
    depth = int(sys.argv[2])
    batch = int(sys.argv[3])
    pairs = [(i, j) for i in range(len(x)) for j in range(i + 1)]
    if len(sys.argv) > 5:
        pairs = pairs[:int(sys.argv[5])]
    out = np.zeros(len(pairs))
    t0 = time.process_time()
    for b in range(0, len(pairs), batch):
        chunk = pairs[b:b + batch]
        ia = np.array([p[0] for p in chunk])
        ib = np.array([p[1] for p in chunk])
        out[b:b + len(chunk)] = cntk(x[ia], x[ib], depth)
    cpu = time.process_time() - t0
    np.save(sys.argv[4], np.array([[p[0], p[1], v] for p, v in zip(pairs, out)]))
    print("pairs %d cpu_seconds %.3f" % (len(pairs), cpu))


if __name__ == "__main__":
    main()
