"""PyTorch float64 forward, backward and empirical NTK of a small 2-D convolutional network, for Conv2DFiniteTest.

usage: torch_conv2d.py in.npz layers.json out.npz [in2.npz layers2.json out2.npz ...] (one torch start for many cases)
in.npz: x (n, H, W, C) NHWC, cot (n, o) the cotangent, params/{key}.W and params/{key}.b (ntk's raw parameters:
Conv2D W (C_out, C_in, k, k), Dense W (out, in)). layers.json: a list of layers, ["conv", key, k, padding, w_scale,
b_scale], ["lconv", key, k, padding, w_scale, b_scale] (locally connected: W (H, W, C_out, C_in, k, k), b (H, W,
C_out), by unfold), ["relu"], ["erf"], ["avgpool", k], ["gap"], ["flatten"], ["dense", key, w_scale, b_scale]; the scales are the
forward multipliers of the raw parameters (W_std/sqrt(fan_in) and b_std in the NTK parameterisation).
out.npz: out (n, o); dx (n, H, W, C) = d(sum cot * out)/dx; grad/{key}.W, grad/{key}.b; ntk (n, n) for output 0.
"""
import json
import sys

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def net(layers, params, x):
    h = x  # NHWC
    for layer in layers:
        kind = layer[0]
        if kind == "conv":
            _, key, k, padding, ws, bs = layer
            t = h.permute(0, 3, 1, 2)  # NCHW
            q = k // 2
            if padding == "circular":
                t = F.pad(t, (q, q, q, q), mode="circular")
                t = F.conv2d(t, params[key + ".W"]) * ws
            else:
                t = F.conv2d(t, params[key + ".W"], padding=q) * ws
            t = t + bs * params[key + ".b"][None, :, None, None]
            h = t.permute(0, 2, 3, 1)
        elif kind == "lconv":  # a filter per output pixel: unfold the patches, contract each pixel with its own
            _, key, k, padding, ws, bs = layer
            n, hh, ww, _ = h.shape
            t = h.permute(0, 3, 1, 2)
            q = k // 2
            if padding == "circular":
                patches = F.unfold(F.pad(t, (q, q, q, q), mode="circular"), k)
            else:
                patches = F.unfold(t, k, padding=q)  # (n, C_in * k * k, H * W), column c * k * k + kh * k + kw
            wt = params[key + ".W"]
            wt = wt.reshape(hh * ww, wt.shape[2], -1)  # (L, C_out, C_in * k * k)
            y = torch.einsum("ncl,loc->nlo", patches, wt) * ws + bs * params[key + ".b"].reshape(1, hh * ww, -1)
            h = y.reshape(n, hh, ww, -1)
        elif kind == "relu":
            h = torch.relu(h)
        elif kind == "erf":
            h = torch.erf(h)
        elif kind == "avgpool":
            h = F.avg_pool2d(h.permute(0, 3, 1, 2), layer[1]).permute(0, 2, 3, 1)
        elif kind == "gap":
            h = h.mean(dim=(1, 2))
        elif kind == "flatten":
            h = h.reshape(h.shape[0], -1)  # NHWC order: feature (p * C + c)
        elif kind == "dense":
            _, key, ws, bs = layer
            h = ws * h @ params[key + ".W"].T + bs * params[key + ".b"]
        else:
            raise ValueError(kind)
    return h


def main():
    for a in range(1, len(sys.argv), 3):
        run(*sys.argv[a:a + 3])


def run(in_file, layers_file, out_file):
    data = np.load(in_file)
    layers = json.load(open(layers_file))
    x = torch.tensor(data["x"], requires_grad=True)
    cot = torch.tensor(data["cot"])
    params = {k[len("params/"):]: torch.tensor(data[k], requires_grad=True) for k in data.files
              if k.startswith("params/")}
    out = net(layers, params, x)
    (out * cot).sum().backward()
    res = {"out": out.detach().numpy(), "dx": x.grad.numpy()}
    for k, v in params.items():
        res["grad/" + k] = v.grad.numpy()
    # empirical NTK of output 0: per-example gradients over all raw parameters
    n = x.shape[0]
    rows = []
    for i in range(n):
        for v in params.values():
            v.grad = None
        net(layers, params, x.detach()[i:i + 1])[0, 0].backward()
        rows.append(torch.cat([v.grad.reshape(-1) for v in params.values()]))
    j = torch.stack(rows)
    res["ntk"] = (j @ j.T).numpy()
    np.savez(out_file, **res)


if __name__ == "__main__":
    main()
