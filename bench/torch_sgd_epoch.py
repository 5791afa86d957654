#!/usr/bin/env python3
"""PyTorch peer of `ntk bench sgd-epoch`: one SGD epoch of Hayou et al.'s Table 1 network on ntk's shipped MNIST digits
(byte/255, the first --n of the 8,000-digit train pool): depth x [Dense(width), phi] with phi at its edge of chaos as
ntk's EdgeOfChaos gives it (ELU: sigma_w = 1.2292511241372073, sigma_b = 0.2), then Dense(10) (W_std = 1, b_std = 0);
NTK parameterisation (raw N(0, 1) draws, y = sigma_w/sqrt(fan_in) W x + sigma_b b: one addmm per layer, as ntk's one
GEMM onto the bias rows) or standard (W ~ N(0, sigma_w^2/fan_in), b ~ N(0, sigma_b^2)); softmax cross-entropy (batch
mean), plain SGD (torch.optim.SGD, foreach), a fresh permutation each epoch, the last batch smaller. A few warm-up steps and warm-up
epochs, then timed ones: wall (time.perf_counter) and process CPU (time.process_time) seconds per epoch, medians.

usage: python3 bench/torch_sgd_epoch.py [--depth 300] [--width 300] [--n 8000] [--batch 128] [--act ELU]
       [--param ntk|standard] [--lr 0.01] [--dtype float64|float32] [--threads 1 (torch's and its BLAS's)] [--warmup 1] [--warmup-steps 3] [--epochs 2]"""
import argparse, gzip, os, time

p = argparse.ArgumentParser()
p.add_argument("--depth", type=int, default=300); p.add_argument("--width", type=int, default=300)
p.add_argument("--n", type=int, default=8000); p.add_argument("--batch", type=int, default=128)
p.add_argument("--act", default="ELU"); p.add_argument("--param", default="ntk", choices=["ntk", "standard"])
p.add_argument("--lr", type=float, default=0.01); p.add_argument("--dtype", default="float64")
p.add_argument("--threads", type=int, default=1); p.add_argument("--warmup", type=int, default=1)
p.add_argument("--epochs", type=int, default=2); p.add_argument("--seed", type=int, default=0)
p.add_argument("--warmup-steps", type=int, default=3, help="steps on the first batches before the first epoch")
a = p.parse_args()
os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = str(a.threads)  # read when the BLAS loads
import numpy as np, torch, torch.nn.functional as F
torch.set_num_threads(a.threads)
dt = getattr(torch, a.dtype)
print(f"torch {torch.__version__}, {a.dtype}, torch.get_num_threads() = {torch.get_num_threads()}, "
      f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')} OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE', 'unset')}")
print(" ".join(l.strip() for l in torch.__config__.parallel_info().splitlines() if "threads" in l or "backend" in l))
try:
    from threadpoolctl import threadpool_info
    for lib in threadpool_info():
        print(f"  {lib.get('user_api')} {lib.get('internal_api')} {lib.get('version')}: {lib.get('num_threads')} threads,"
              f" architecture {lib.get('architecture', '?')} ({lib.get('filepath')})")
except ImportError:
    print("  threadpoolctl not installed")
R = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "experiments/src/main/resources/ntk/data/")
im = np.frombuffer(gzip.open(R + "mnist-subset-images-idx3-ubyte.gz").read()[16:], np.uint8).reshape(-1, 784) / 255.0
lb = np.frombuffer(gzip.open(R + "mnist-subset-labels-idx1-ubyte.gz").read()[8:], np.uint8).astype(np.int64)
xtr, ytr = torch.tensor(im[:a.n], dtype=dt), torch.tensor(lb[:a.n])
EOC = {"ReLU": (2 ** .5, 0.0, F.relu), "ELU": (1.2292511241372073, 0.2, F.elu),
       "Tanh": (1.3041458400565122, 0.2, torch.tanh)}
sw, sb, phi = EOC[a.act]
g = torch.Generator().manual_seed(a.seed)
Ws, bs, scale, bscale = [], [], [], []
fan = 784
for l in range(a.depth + 1):
    out = 10 if l == a.depth else a.width
    s_w, s_b = (1.0, 0.0) if l == a.depth else (sw, sb)
    if a.param == "ntk":
        Ws.append(torch.randn(out, fan, generator=g, dtype=dt).requires_grad_())
        bs.append(torch.randn(out, generator=g, dtype=dt).requires_grad_())
        scale.append(s_w / fan ** .5); bscale.append(s_b)
    else:
        Ws.append((torch.randn(out, fan, generator=g, dtype=dt) * s_w / fan ** .5).requires_grad_())
        bs.append((torch.randn(out, generator=g, dtype=dt) * s_b).requires_grad_())
        scale.append(1.0); bscale.append(1.0)
    fan = out

def f(h):
    for l in range(a.depth + 1):
        h = torch.addmm(bs[l], h, Ws[l].t(), beta=bscale[l], alpha=scale[l])
        if l < a.depth:
            h = phi(h)
    return h

opt = torch.optim.SGD(Ws + bs, lr=a.lr, foreach=True)
def step(idx):
    loss = F.cross_entropy(f(xtr[idx]), ytr[idx])
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return loss.item()

t0, c0 = time.perf_counter(), time.process_time()
for s in range(a.warmup_steps):  # PyTorch has no JIT to warm up: a few steps page in its buffers and kernels
    step(torch.arange(s * a.batch, (s + 1) * a.batch) % a.n)
if a.warmup_steps:
    print(f"{a.warmup_steps} warm-up steps: {time.perf_counter() - t0:.2f} s wall, {time.process_time() - c0:.2f} s CPU")
walls, cpus = [], []
for ep in range(a.warmup + a.epochs):
    t0, c0 = time.perf_counter(), time.process_time()
    perm = torch.randperm(a.n, generator=g)
    total = 0.0
    for s in range(0, a.n, a.batch):
        idx = perm[s:s + a.batch]
        total += step(idx) * len(idx)
    w, c = time.perf_counter() - t0, time.process_time() - c0
    if ep >= a.warmup:
        walls.append(w); cpus.append(c)
    print(f"epoch {ep + 1}{' (warm-up)' if ep < a.warmup else ''}: {w:.2f} s wall, {c:.2f} s CPU, mean batch loss"
          f" {total / a.n:.4f}", flush=True)
print(f"RESULT torch_epoch_seconds={np.median(walls):.3f} torch_epoch_cpu_seconds={np.median(cpus):.3f}")
