#!/usr/bin/env python3
"""PyTorch peer of TrainerTest: one epoch of minibatch SGD with softmax cross-entropy (torch.nn.functional.cross_entropy,
mean over the batch) on a tiny NTK-parameterised network written with torch ops, autograd for the gradients, in the
batch order ntk's trainer uses (given), float64. Layers come as JSON: ["dense", key, W_std, b_std] (y = W_std/sqrt(fan_in)
x W^T + b_std b), ["dense_std", key] (standard parameterisation: y = x W^T + b), ["prelu", key] (torch.nn.functional.prelu with the learned slope key.alpha), ["tanh"], ["elu"].

usage: torch_epoch.py in.npz layers.json out.npz   (in.npz: x, labels, order, batch, lr and params/<key>)
"""
import json
import sys

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
data = np.load(sys.argv[1])
layers = json.load(open(sys.argv[2]))
params = {k[len("params/"):]: torch.tensor(data[k], requires_grad=True) for k in data.files if k.startswith("params/")}
x = torch.tensor(data["x"])
labels = torch.tensor(data["labels"].astype(np.int64))
order = data["order"].astype(np.int64)
batch = int(data["batch"][0])
lr = float(data["lr"][0])


def model(h):
    for layer in layers:
        if layer[0] == "dense":
            _, key, ws, bs = layer
            w, b = params[key + ".W"], params[key + ".b"]
            h = ws / h.shape[1] ** 0.5 * h @ w.T + bs * b
        elif layer[0] == "dense_std":
            h = h @ params[layer[1] + ".W"].T + params[layer[1] + ".b"]
        elif layer[0] == "prelu":
            h = F.prelu(h, params[layer[1] + ".alpha"])
        elif layer[0] == "tanh":
            h = torch.tanh(h)
        elif layer[0] == "elu":
            h = F.elu(h)
        else:
            raise ValueError(layer)
    return h


losses = []
for start in range(0, len(order), batch):
    idx = torch.tensor(order[start:start + batch])
    loss = F.cross_entropy(model(x[idx]), labels[idx])
    for p in params.values():
        p.grad = None
    loss.backward()
    with torch.no_grad():
        for p in params.values():
            p -= lr * p.grad
    losses.append(loss.item())
np.savez(sys.argv[3], losses=np.array(losses), **{k: v.detach().numpy() for k, v in params.items()})
