#!/usr/bin/env bash
# Issue 4's benchmarks: empirical NTK (N=1000, d=784, 3 hidden layers of 1024, one output) — ntk's
# structured path vs its Jacobian contraction vs PyTorch (functorch Jacobians, then contraction) — and
# one full-batch GD step on N=10,000 vs PyTorch. Same machine, one after the other.
# usage: bench/finite-bench.sh [N_ntk=1000] [N_step=10000]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/peer.sh
peer_config
N=${1:-1000}; NS=${2:-10000}
PY=${PYTHON:-/usr/bin/python3}   # Debian's python3-torch
./ntk bench empirical --n "$N" --repeats 3 | tee /tmp/ntk-emp.txt
rm -f /tmp/torch-emp.txt
if "$PY" -c 'import torch, functorch' 2>/dev/null; then
  peer "$PY" bench/torch_finite.py empirical "$N" 784 1024 3 1 | tee /tmp/torch-emp.txt
else
  echo "no PyTorch peer for the empirical NTK: '$PY -c \"import torch, functorch\"' fails (apt-get install python3-torch)"
fi
./ntk bench train-step --n "$NS" --repeats 3 | tee /tmp/ntk-step.txt
if ! "$PY" -c 'import torch' 2>/dev/null; then
  echo "no PyTorch peer for the GD step: '$PY -c \"import torch\"' fails (apt-get install python3-torch)"
else
  peer "$PY" bench/torch_finite.py train-step "$NS" 784 1024 3 3 | tee /tmp/torch-step.txt
  s=$(sed -n 's/.*structured_seconds=\([0-9.]*\).*/\1/p' /tmp/ntk-emp.txt)
  te=$(sed -n 's/.*torch_empirical_seconds=\([0-9.]*\).*/\1/p' /tmp/torch-emp.txt 2>/dev/null || true)
  js=$(sed -n 's/.*step_seconds=\([0-9.]*\).*/\1/p' /tmp/ntk-step.txt)
  ts=$(sed -n 's/.*torch_step_seconds=\([0-9.]*\).*/\1/p' /tmp/torch-step.txt)
  [ -n "$te" ] && "$PY" -c "print(f'empirical NTK: ntk structured {float($s):.3f} s vs torch {float($te):.3f} s: {float($te)/float($s):.1f}x faster')"
  "$PY" -c "print(f'GD step: ntk {float($js):.3f} s vs torch {float($ts):.3f} s: ratio ntk/torch {float($js)/float($ts):.2f}')"
fi
