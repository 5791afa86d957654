#!/usr/bin/env python3
"""The PyTorch peer for `ntk bench empirical` and `ntk bench train-step` (issue 4), float64, all cores.

MLP: d -> [Linear(width), ReLU] x depth -> Linear(1), on random inputs.
  empirical: the empirical NTK the way PyTorch users compute it (functorch tutorial): per-example
             Jacobians with vmap(jacrev(.)), then contraction J1 J2^T summed over parameter tensors.
  train-step: one full-batch gradient-descent step on the mean squared loss (forward, backward, update).
Prints RESULT lines with medians.

  train-run: the whole-process peer of `ntk train --steps k` (issue 11): load X.npy and Y.npy, build the MLP, k
             full-batch gradient-descent steps on the mean squared loss 1/(2n) sum ||f - y||^2 (the loss recorded at
             every step, and once more at the end), write the losses and the final parameters to an .npz. Timed from
             outside (/usr/bin/time), like the ntk command it is compared with.

usage: python3 bench/torch_finite.py empirical [N] [d] [width] [depth] [repeats]
       python3 bench/torch_finite.py train-step [N] [d] [width] [depth] [repeats]
       python3 bench/torch_finite.py train-run X.npy Y.npy steps learning_rate width depth out.npz
"""
import statistics
import sys
import time

import torch

torch.set_num_threads(2)
torch.set_default_dtype(torch.float64)


def mlp(d, width, depth):
    layers, w = [], d
    for _ in range(depth):
        layers += [torch.nn.Linear(w, width), torch.nn.ReLU()]
        w = width
    layers.append(torch.nn.Linear(w, 1))
    return torch.nn.Sequential(*layers)


def empirical(n, d, width, depth, repeats):
    from functorch import jacrev, make_functional, vmap
    torch.manual_seed(0)
    net = mlp(d, width, depth)
    fnet, params = make_functional(net)
    x = torch.randn(n, d)

    def single(p, xi):
        return fnet(p, xi.unsqueeze(0)).squeeze(0)

    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        ntk = torch.zeros(n, n)
        for k in range(len(params)):  # one parameter tensor at a time, to fit in memory
            def single_k(pk, xi, k=k):
                p = list(params)
                p[k] = pk
                return single(p, xi)
            jac = vmap(jacrev(single_k), (None, 0))(params[k], x)  # (n, 1, *shape)
            jac = jac.reshape(n, -1)
            ntk += jac @ jac.T
            del jac
        times.append(time.perf_counter() - t0)
    print(f"torch {torch.__version__} empirical NTK: N={n} d={d} width={width} depth={depth} runs: "
          + ", ".join(f"{t:.3f}" for t in times))
    print(f"RESULT torch_empirical_seconds={statistics.median(times):.4f} check={ntk[0, 0].item():.6g}")


def train_step(n, d, width, depth, repeats):
    torch.manual_seed(0)
    net = mlp(d, width, depth)
    x = torch.randn(n, d)
    y = torch.randn(n, 1)
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    times = []
    for _ in range(repeats + 1):
        t0 = time.perf_counter()
        opt.zero_grad()
        loss = 0.5 * ((net(x) - y) ** 2).sum(dim=1).mean()
        loss.backward()
        opt.step()
        times.append(time.perf_counter() - t0)
    times = times[1:]  # the first step allocates gradients
    print(f"torch {torch.__version__} GD step: N={n} d={d} width={width} depth={depth} runs: "
          + ", ".join(f"{t:.3f}" for t in times))
    print(f"RESULT torch_step_seconds={statistics.median(times):.4f}")


def train_run(xfile, yfile, steps, lr, width, depth, out):
    import numpy as np
    x = torch.from_numpy(np.load(xfile))
    y = torch.from_numpy(np.load(yfile)).reshape(x.shape[0], -1)
    torch.manual_seed(0)
    net = mlp(x.shape[1], width, depth)
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = 0.5 * ((net(x) - y) ** 2).sum(dim=1).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    with torch.no_grad():
        losses.append((0.5 * ((net(x) - y) ** 2).sum(dim=1).mean()).item())
    np.savez(out, loss=np.array(losses), **{k: v.detach().numpy() for k, v in net.state_dict().items()})
    print(f"torch {torch.__version__} train-run: N={x.shape[0]} steps={steps} loss {losses[0]:.6g} -> {losses[-1]:.6g}")


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "train-run":
        a = sys.argv[2:]
        train_run(a[0], a[1], int(a[2]), float(a[3]), int(a[4]), int(a[5]), a[6])
        sys.exit(0)
    args = [int(a) for a in sys.argv[2:]]
    if what == "empirical":
        defaults = [1000, 784, 1024, 3, 1]
        n, d, width, depth, repeats = args + defaults[len(args):]
        empirical(n, d, width, depth, repeats)
    else:
        defaults = [10000, 784, 1024, 3, 3]
        n, d, width, depth, repeats = args + defaults[len(args):]
        train_step(n, d, width, depth, repeats)
