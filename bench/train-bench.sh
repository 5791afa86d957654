#!/usr/bin/env bash
# Issue 11's training benchmarks, ntk and PyTorch back to back (the machine may be shared: ratios within one run are
# what to trust), float64, 2 threads each. Network: 784 -> 3 x 1024 (Relu) -> 1 (2,904,065 parameters), standard
# parameterisation (PyTorch's nn.Linear), N training points.
#   1. one full-batch GD step: `ntk bench train-step` vs bench/torch_finite.py train-step, alternated R times
#   2. the whole process: `ntk train --steps 5` (records kernel_change, param_change, linearization_gap on the default
#      512-input probe at every step) vs bench/torch_finite.py train-run (5 steps, loss each step, params saved),
#      alternated R times under /usr/bin/time -v (wall time and peak RSS)
# Prints every run, then medians and ratios ntk / PyTorch.
# usage: bench/train-bench.sh [N=10000] [R=3] [steps=5]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/peer.sh
peer_config
N=${1:-10000}; R=${2:-3}; K=${3:-5}
PY=${PYTHON:-/usr/bin/python3}
if ! "$PY" -c 'import torch, numpy' 2>/dev/null; then
  echo "no PyTorch peer: '$PY -c \"import torch, numpy\"' fails (apt-get install python3-torch python3-numpy)"; exit 1
fi
ARCH='Dense(1024), Relu, Dense(1024), Relu, Dense(1024), Relu, Dense(1)'
W=$(mktemp -d /tmp/ntk-train-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT
"$PY" -c "import numpy as np; r = np.random.default_rng(0); np.save('$W/X.npy', r.standard_normal(($N, 784))); np.save('$W/Y.npy', r.standard_normal(($N, 1)))"
./ntk --parameterization standard init --arch "$ARCH" --input-dim 784 --seed 0 --out "$W/P.npz" >/dev/null
./ntk --version | head -1
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
: >"$W/step-ntk"; : >"$W/step-torch"; : >"$W/run-ntk"; : >"$W/run-torch"; : >"$W/rss-ntk"; : >"$W/rss-torch"
for r in $(seq "$R"); do
  ./ntk bench train-step --n "$N" --repeats 3 | tee -a "$W/log" | sed -n 's/.*step_seconds=\([0-9.]*\).*/\1/p' >>"$W/step-ntk"
  peer "$PY" bench/torch_finite.py train-step "$N" 784 1024 3 3 | tee -a "$W/log" \
    | sed -n 's/.*torch_step_seconds=\([0-9.]*\).*/\1/p' >>"$W/step-torch"
  /usr/bin/time -v ./ntk --parameterization standard train --arch "$ARCH" --params "$W/P.npz" --train-x "$W/X.npy" \
    --train-y "$W/Y.npy" --steps "$K" --learning-rate 0.01 --out "$W/run.npz" 2>"$W/time-ntk" >/dev/null
  /usr/bin/time -v "${PEER_ENV[@]}" "$PY" bench/torch_finite.py train-run "$W/X.npy" "$W/Y.npy" "$K" 0.01 1024 3 "$W/torch-run.npz" \
    2>"$W/time-torch" >/dev/null
  for who in ntk torch; do
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): \(.*\)/\1/p' "$W/time-$who" \
      | awk -F: '{s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s}')
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\)/\1/p' "$W/time-$who")
    echo "$wall" >>"$W/run-$who"; echo "$rss" >>"$W/rss-$who"
    echo "run $r whole $K-step $who: ${wall} s, peak RSS $((rss / 1024)) MB, $(time_split "$(t_user "$W/time-$who")" "$(t_sys "$W/time-$who")")"
  done
done
echo "steps ntk: $(tr '\n' ' ' <"$W/step-ntk")  torch: $(tr '\n' ' ' <"$W/step-torch")"
sn=$(median <"$W/step-ntk"); st=$(median <"$W/step-torch")
rn=$(median <"$W/run-ntk"); rt=$(median <"$W/run-torch")
mn=$(median <"$W/rss-ntk"); mt=$(median <"$W/rss-torch")
"$PY" -c "print(f'GD step N=$N (median of $R medians of 3): ntk {$sn:.3f} s, torch {$st:.3f} s, ratio ntk/torch {$sn/$st:.2f}')"
"$PY" -c "print(f'whole $K-step run (median of $R): ntk {$rn:.2f} s ({$mn/1024:.0f} MB peak RSS), torch {$rt:.2f} s ({$mt/1024:.0f} MB), ratio {$rn/$rt:.2f}')"
