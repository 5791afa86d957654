#!/usr/bin/env bash
# Issue 14's benchmark: kernel regression past one machine's dense solve, through the Spark engine.
#   bench/spark-bench.sh [N] [m] [N_scaling] [block]      (N_scaling = 0 skips step 2)
# 1. synthetic data (NumPy, seed 0): X (N, 784) and T (m, 784) with unit-norm rows, Y = sign(x . w) (N, 1);
# 2. kernel job scaling: the depth-5 ReLU NTK on the first N_scaling rows of X (x1 x x1, lower blocks only),
#    written as a block directory, on local[1] and then local[2] (same command, back to back);
# 3. `ntk predict --engine spark` at t = inf on all N: wall time, peak RSS (the one local-mode JVM is the driver and
#    the executor), CG iterations and final relative residual (from -v);
# 4. when N <= 12000 (the dense path fits), the same predict on --engine local and the largest difference.
# PRECOND=jacobi,nystrom,nystrom-jacobi runs step 3 once per listed preconditioner, back to back (default: the
# engine's default only), RANK=L sets --rank for the Nyström ones; LOCAL=0 skips step 4.
# NTK_HEAP defaults to 8g here (Spark's storage memory is ~60% of it; blocks beyond it spill to local disk).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-40000}; M=${2:-1000}; NS=${3:-10000}; B=${4:-2048}
export NTK_HEAP=${NTK_HEAP:-8g}
PY=${PYTHON:-/usr/bin/python3}
dir=${BENCH_DIR:-$(mktemp -d)}; mkdir -p "$dir"
[ -n "${BENCH_DIR:-}" ] || trap 'rm -rf "$dir"' EXIT
ARCH=""
for l in 1 2 3 4 5; do ARCH+="Dense(512, W_std=1.4142135623730951, b_std=0.1), Relu, "; done
ARCH+="Dense(1, W_std=1.4142135623730951, b_std=0.1)"

"$PY" - "$dir" "$N" "$M" "$NS" <<'PYEOF'
import sys, numpy as np
d, n, m, ns = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
r = np.random.default_rng(0)
unit = lambda a: a / np.linalg.norm(a, axis=1, keepdims=True)
x = unit(r.standard_normal((n, 784))); t = unit(r.standard_normal((m, 784))); w = r.standard_normal(784)
np.save(f"{d}/x.npy", x); np.save(f"{d}/t.npy", t); np.save(f"{d}/y.npy", np.sign(x @ w)[:, None])
np.save(f"{d}/xs.npy", x[:ns])
PYEOF
./ntk --help >/dev/null # build outside the timings

measure() { # label, command...: wall seconds and peak RSS from GNU time
  local label=$1; shift
  /usr/bin/time -f "$label: wall %e s, peak RSS %M KB" "$@" 2> >(tee "$dir/$label.err" >&2)
}

[ "$NS" -gt 0 ] && echo "== kernel job scaling: depth-5 ReLU NTK, N = $NS, d = 784, B = $B (lower blocks), load: $(cut -d' ' -f1-3 /proc/loadavg)"
for cores in $([ "$NS" -gt 0 ] && echo 1 2); do
  rm -rf "$dir/k$cores"
  measure "kernel-local[$cores]" ./ntk kernel --engine spark --master "local[$cores]" --block-size "$B" -v \
    --arch "$ARCH" --kind ntk --x1 "$dir/xs.npy" --out "$dir/k$cores"
  rm -rf "$dir/k$cores"
done

first=""
for pc in $(echo "${PRECOND:-default}" | tr , ' '); do
  flags=(); label="predict-spark"
  if [ "$pc" != default ]; then
    flags=(--preconditioner "$pc"); label="predict-spark-$pc"
    [ "$pc" != jacobi ] && [ -n "${RANK:-}" ] && flags+=(--rank "$RANK") && label+="-$RANK"
  fi
  echo "== predict --engine spark ${flags[*]}: N = $N, m = $M, t = inf, load: $(cut -d' ' -f1-3 /proc/loadavg)"
  measure "$label" ./ntk predict --engine spark --block-size "$B" -v "${flags[@]}" --arch "$ARCH" --kind ntk \
    --train-x "$dir/x.npy" --train-y "$dir/y.npy" --test-x "$dir/t.npy" --out "$dir/mean-$label.npy"
  if [ -n "$first" ]; then
    "$PY" -c "
import numpy as np
a = np.load('$dir/mean-$first.npy'); b = np.load('$dir/mean-$label.npy')
print(f'$label vs $first mean: max |diff| {abs(a - b).max():.3e}, max |mean| {abs(a).max():.3e}')"
  else
    first=$label; cp "$dir/mean-$label.npy" "$dir/mean-spark.npy"
  fi
done
if [ "$N" -le 12000 ] && [ "${LOCAL:-1}" != 0 ]; then
  measure "predict-local" ./ntk predict --arch "$ARCH" --kind ntk \
    --train-x "$dir/x.npy" --train-y "$dir/y.npy" --test-x "$dir/t.npy" --out "$dir/mean-local.npy"
  "$PY" -c "
import numpy as np
a = np.load('$dir/mean-spark.npy'); b = np.load('$dir/mean-local.npy')
print(f'spark vs local (Cholesky) mean: max |diff| {abs(a - b).max():.3e}, max |mean| {abs(b).max():.3e}')"
fi
"$PY" -c "
import numpy as np
y = np.load('$dir/y.npy'); t = np.load('$dir/t.npy'); m = np.load('$dir/mean-spark.npy')
print(f'mean on T: shape {m.shape}, finite {np.isfinite(m).all()}, std {m.std():.3e}')"
