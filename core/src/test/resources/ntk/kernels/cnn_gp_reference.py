"""An independent reference for the infinite-width CNN-GP (Novak et al. 2019, sec. 2.2 and 3.1) and CNTK
(Arora et al. 2019, sec. 4 and appendix) of 2-D convolutional networks, written from the papers' recursions:

* the state of a pair of images (x, x') is the full covariance matrix over pixel pairs, a 4-D array
  S[i, j, i', j'] (no offset planes, no separable sums), for the three pairs (x, x), (x', x') and (x, x');
* input: S0[i, j, i', j'] = sum_c x[i, j, c] x'[i', j', c] / C;
* a k x k convolution sums the covariance along the "diagonal" D_{ij,i'j'} = {(i+a, j+b, i'+a, j'+b)},
  a, b in [-q, q]: the trace of the paper's notation, with zero padding ('same') or wrap-around ('circular');
  CNN-GP: S' = W_std^2 / k^2 * tr + b_std^2; CNTK (NTK parameterisation): T' = W_std^2 / k^2 * tr(T) + S';
  standard parameterisation: T' = W_std^2 / k^2 * tr(T) + C_in * tr(S) + 1;
* ReLU: the arc-cosine kernel of order 1 (Cho & Saul 2009) for E[relu(u) relu(v)] and order 0 for
  E[relu'(u) relu'(v)]; Erf: Williams (1997) 2/pi arcsin; the NTK gets T * E[phi'(u) phi'(v)];
* a locally connected layer ("lconv", Novak et al. 2019's network without weight sharing): independent filters and
  biases at every output pixel, so the new covariance of two different pixels is 0, and of a pixel with itself the
  convolution's: the layer is the conv rule followed by zeroing every entry with (i, j) != (i', j');
* readouts: global average pooling is the mean over all (i, j, i', j'); flattening the mean of the diagonal
  i = i', j = j'; AvgPool2D(k) the mean over the windows of both pixels;
* a dense layer after the readout: S' = W_std^2 S + b_std^2 and the same NTK rules with k = 1.

Arora et al.'s constant c_sigma is W_std^2 here (2 for their ReLU nets), and their input covariance does not divide
by the channel count. usage: cnn_gp_reference.py in.npz layers.json out.npz   (in.npz: x1, x2 of shape
(n, H, W, C); layers.json: a list of architectures, each a list of layers; out.npz: nngp_i, ntk_i per architecture)
"""
import json
import sys

import numpy as np


def conv_sum(a, k, padding):
    q = k // 2
    h, w = a.shape[0], a.shape[1]
    out = np.zeros_like(a)
    if padding == "circular":
        for da in range(-q, q + 1):
            for db in range(-q, q + 1):
                out += np.roll(a, shift=(-da, -db, -da, -db), axis=(0, 1, 2, 3))
    else:
        p = np.pad(a, ((q, q), (q, q), (q, q), (q, q)))
        for da in range(-q, q + 1):
            for db in range(-q, q + 1):
                out += p[q + da:q + da + h, q + db:q + db + w, q + da:q + da + h, q + db:q + db + w]
    return out


def relu_expectations(s, v1, v2):
    norm = np.sqrt(v1 * v2)
    rho = np.clip(s / norm, -1.0, 1.0)
    theta = np.arccos(rho)
    e = norm * (np.sin(theta) + (np.pi - theta) * np.cos(theta)) / (2 * np.pi)
    d = (np.pi - theta) / (2 * np.pi)
    return e, d


def erf_expectations(s, v1, v2):
    den = np.sqrt((1 + 2 * v1) * (1 + 2 * v2))
    e = 2 / np.pi * np.arcsin(2 * s / den)
    d = 4 / np.pi / np.sqrt((1 + 2 * v1) * (1 + 2 * v2) - 4 * s * s)
    return e, d


def pool(a, k):
    h, w = a.shape[0] // k, a.shape[1] // k
    a = a[:h * k, :w * k, :h * k, :w * k]
    return a.reshape(h, k, w, k, h, k, w, k).mean(axis=(1, 3, 5, 7))


def kernel(layers, xa, xb, standard):
    """NNGP and NTK of one pair of images of shape (H, W, C)."""
    c = xa.shape[2]
    # states: (S, T) for the pairs aa, bb, ab, each a 4-D array or, after the readout, a scalar
    pairs = {}
    for name, (u, v) in {"aa": (xa, xa), "bb": (xb, xb), "ab": (xa, xb)}.items():
        pairs[name] = [np.einsum("ijc,klc->ijkl", u, v) / c, np.zeros((xa.shape[0], xa.shape[1]) * 2)]
    spatial = True
    cin = c
    h, w = xa.shape[0], xa.shape[1]
    for layer in layers:
        kind = layer[0]
        for name in ("aa", "bb", "ab"):
            s, t = pairs[name]
            if kind in ("conv", "lconv", "dense"):
                if kind in ("conv", "lconv"):
                    _, cout, k, padding, wstd, bstd = layer
                    ss, tt = conv_sum(s, k, padding), conv_sum(t, k, padding)
                    window = k * k
                else:
                    _, cout, wstd, bstd = layer
                    ss, tt, window = s, t, 1
                s2 = wstd ** 2 / window * ss + bstd ** 2
                if standard:
                    t2 = wstd ** 2 / window * tt + cin * ss + 1.0
                else:
                    t2 = wstd ** 2 / window * tt + s2
                if kind == "lconv":
                    same_pixel = np.einsum("ik,jl->ijkl", np.eye(h), np.eye(w))
                    s2, t2 = s2 * same_pixel, t2 * same_pixel
                pairs[name] = [s2, t2]
            elif kind in ("relu", "erf"):
                pass  # below: needs the variances of the aa and bb states first
            elif kind == "avgpool":
                pairs[name] = [pool(s, layer[1]), pool(t, layer[1])]
            elif kind == "gap":
                pairs[name] = [s.mean(), t.mean()]
            elif kind == "flatten":
                diag = lambda m: np.einsum("ijij->ij", m).mean()
                pairs[name] = [diag(s), diag(t)]
            else:
                raise ValueError(kind)
        if kind in ("relu", "erf"):
            f = relu_expectations if kind == "relu" else erf_expectations
            if spatial:
                va = np.einsum("ijij->ij", pairs["aa"][0])
                vb = np.einsum("ijij->ij", pairs["bb"][0])
                vv = {"aa": (va[:, :, None, None], va[None, None, :, :]),
                      "bb": (vb[:, :, None, None], vb[None, None, :, :]),
                      "ab": (va[:, :, None, None], vb[None, None, :, :])}
            else:
                va, vb = pairs["aa"][0], pairs["bb"][0]
                vv = {"aa": (va, va), "bb": (vb, vb), "ab": (va, vb)}
            new = {}
            for name in ("aa", "bb", "ab"):
                s, t = pairs[name]
                e, d = f(s, *vv[name])
                new[name] = [e, t * d]
            pairs = new
        if kind in ("conv", "lconv", "dense"):
            cin = layer[1]
        if kind in ("gap", "flatten"):
            spatial = False
            if kind == "flatten":
                cin = cin * h * w  # fan-in of the next dense layer: positions x channels
        if kind == "avgpool":
            h, w = h // layer[1], w // layer[1]
    return pairs["ab"]


def main():
    data = np.load(sys.argv[1])
    x1, x2 = data["x1"], data["x2"]
    archs = json.load(open(sys.argv[2]))
    out = {}
    for a, spec in enumerate(archs):
        standard = spec["standard"]
        nngp = np.zeros((x1.shape[0], x2.shape[0]))
        ntk = np.zeros_like(nngp)
        for i in range(x1.shape[0]):
            for j in range(x2.shape[0]):
                nngp[i, j], ntk[i, j] = kernel(spec["layers"], x1[i], x2[j], standard)
        out["nngp_%d" % a] = nngp
        out["ntk_%d" % a] = ntk
    np.savez(sys.argv[3], **out)


if __name__ == "__main__":
    main()
