#!/usr/bin/env python3
"""PyTorch peer of HessiansTest: Hessian-vector products of a tiny NTK-parameterised one-output network by autograd's
double backward (torch.autograd.grad with create_graph=True), float64. Layers as in torch_epoch.py:
["dense", key, W_std, b_std] (y = W_std/sqrt(fan_in) x W^T + b_std b), ["tanh"], ["relu"].

usage: torch_hvp.py in.npz layers.json out.npz   (in.npz: x, c and params/<key>, v/<key>, u/<key>)
out.npz: hvp/<key> = Hessian of sum_r c_r f(x_r) times v;  uhv = u^T Hessian(f(x_r)) v for each row r.
"""
import json
import sys

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
data = np.load(sys.argv[1])
layers = json.load(open(sys.argv[2]))
keys = [k[len("params/"):] for k in data.files if k.startswith("params/")]
params = {k: torch.tensor(data["params/" + k], requires_grad=True) for k in keys}
v = {k: torch.tensor(data["v/" + k]) for k in keys}
u = {k: torch.tensor(data["u/" + k]) for k in keys}
x = torch.tensor(data["x"])
c = torch.tensor(data["c"])


def model(h):
    for layer in layers:
        if layer[0] == "dense":
            _, key, ws, bs = layer
            w, b = params[key + ".W"], params[key + ".b"]
            h = ws / h.shape[1] ** 0.5 * h @ w.T + bs * b
        elif layer[0] == "tanh":
            h = torch.tanh(h)
        elif layer[0] == "relu":
            h = torch.relu(h)
        else:
            raise ValueError(layer)
    return h[:, 0]


def hvp(weights):
    out = (model(x) * weights).sum()
    grads = torch.autograd.grad(out, [params[k] for k in keys], create_graph=True)
    dot = sum((g * v[k]).sum() for g, k in zip(grads, keys))
    hs = torch.autograd.grad(dot, [params[k] for k in keys], allow_unused=True)  # the last bias enters linearly
    return [torch.zeros_like(params[k]) if h is None else h for h, k in zip(hs, keys)]


res = {"hvp/" + k: h.detach().numpy() for k, h in zip(keys, hvp(c))}
uhv = []
for r in range(x.shape[0]):
    e = torch.zeros(x.shape[0])
    e[r] = 1.0
    h = hvp(e)
    uhv.append(float(sum((hk * u[k]).sum() for hk, k in zip(h, keys))))
res["uhv"] = np.array(uhv)
np.savez(sys.argv[3], **res)
