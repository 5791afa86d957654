#!/usr/bin/env python3
"""PyTorch reference for `ntk experiment hayou-table1` (Hayou, Doucet & Rousseau, Table 1): the same data (ntk's
shipped MNIST subset, byte/255, first 8,000 digits the train pool, last 2,000 the test pool; the first --n and --ntest
of each), the same networks (depth x [Dense(width) in the standard parameterisation, W ~ N(0, sw^2/fan_in),
b ~ N(0, sb^2), phi], then Dense(10) with W_std = 1, b_std = 0; EOC points as ntk's EdgeOfChaos gives them), plain
SGD, softmax cross-entropy (mean over the batch), minibatches reshuffled every epoch; its own random numbers, so runs
agree with ntk's in distribution, not bit for bit (TrainerTest checks that bit for bit on a depth-30 net).
Prints the test accuracy after every epoch.

usage: /usr/bin/python3 bench/torch_table1.py [--depth 100] [--width 64] [--n 1500] [--batch 16] [--lr 0.001]
       [--epochs 10] [--seeds 2] [--acts ELU,Tanh,ReLU,Sigmoid]"""
import gzip, sys, time, json, argparse
import numpy as np, torch, torch.nn.functional as F
p = argparse.ArgumentParser()
p.add_argument("--depth", type=int, default=100); p.add_argument("--width", type=int, default=64)
p.add_argument("--n", type=int, default=1500); p.add_argument("--ntest", type=int, default=1000)
p.add_argument("--batch", type=int, default=16); p.add_argument("--lr", type=float, default=0.001)
p.add_argument("--epochs", type=int, default=10); p.add_argument("--seeds", type=int, default=2)
p.add_argument("--acts", default="ReLU,ELU,Tanh,Sigmoid"); p.add_argument("--dtype", default="float32")
p.add_argument("--threads", type=int, default=1)
a = p.parse_args()
torch.set_num_threads(a.threads)
dt = getattr(torch, a.dtype)
import os
R = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "experiments/src/main/resources/ntk/data/")
im = np.frombuffer(gzip.open(R + "mnist-subset-images-idx3-ubyte.gz").read()[16:], np.uint8).reshape(-1, 784) / 255.0
lb = np.frombuffer(gzip.open(R + "mnist-subset-labels-idx1-ubyte.gz").read()[8:], np.uint8).astype(np.int64)
xtr, ytr = torch.tensor(im[:a.n], dtype=dt), torch.tensor(lb[:a.n])
xte, yte = torch.tensor(im[8000:8000 + a.ntest], dtype=dt), torch.tensor(lb[8000:8000 + a.ntest])
EOC = {"ReLU": (2 ** .5, 0.0, F.relu), "ELU": (1.2292511241372073, 0.2, F.elu), "Tanh": (1.3041458400565122, 0.2, torch.tanh),
       "Softplus": (2 ** .5, 0.0, F.softplus), "Sigmoid": (2 ** .5, 0.0, torch.sigmoid),
       "LeakyReLU(0.01)": ((2 / (1 + 1e-4)) ** .5, 0.0, lambda h: F.leaky_relu(h, 0.01))}
for name in a.acts.split(","):
    sw, sb, phi = EOC[name]
    accs = []
    for seed in range(a.seeds):
        g = torch.Generator().manual_seed(seed)
        Ws, bs = [], []
        fan = 784
        for l in range(a.depth + 1):
            out = 10 if l == a.depth else a.width
            s_w, s_b = (1.0, 0.0) if l == a.depth else (sw, sb)
            Ws.append((torch.randn(out, fan, generator=g, dtype=dt) * s_w / fan ** .5).requires_grad_())
            bs.append((torch.randn(out, generator=g, dtype=dt) * s_b).requires_grad_())
            fan = out
        def f(h):
            for l in range(a.depth):
                h = phi(h @ Ws[l].T + bs[l])
            return h @ Ws[-1].T + bs[-1]
        rec = []
        t0 = time.time()
        for ep in range(a.epochs):
            perm = torch.randperm(a.n, generator=g)
            for s in range(0, a.n, a.batch):
                idx = perm[s:s + a.batch]
                loss = F.cross_entropy(f(xtr[idx]), ytr[idx])
                for t in Ws + bs:
                    t.grad = None
                loss.backward()
                with torch.no_grad():
                    for t in Ws + bs:
                        t -= a.lr * t.grad
            with torch.no_grad():
                acc = (f(xte).argmax(1) == yte).double().mean().item()
            rec.append(round(acc, 3))
        accs.append(rec)
        print(f"{name:10s} seed {seed}: test acc per epoch {rec} last loss {loss.item():.3f} ({time.time()-t0:.1f} s)", flush=True)
    print(f"{name:10s} mean last {np.mean([r[-1] for r in accs]):.3f}", flush=True)
