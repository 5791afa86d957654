#!/usr/bin/env bash
# Issue 11: smooth-activation kernels of deep networks at the edge of chaos, where every correlation tends to 1 with
# depth (Hayou et al. 2019) and most entries lie beyond the Hermite series' reach (|rho| > ~0.92-0.99). Whole-process
# `./ntk kernel -v --kind ntk` (NNGP + NTK) of [Dense(256, W_std=s_w, b_std=0.2), act] x DEPTH + Dense(1), N inputs in
# d = 50, correlated like images (a common random vector plus 0.6 x independent noise: input correlations ~0.7) with
# norms from 0.5 to 1.5 (so the variances q1 != q2), for Tanh (s_w = 1.3041458400565122) and
# Elu (s_w = 1.22925112413721, from `./ntk eoc --activation Elu --sigma-b 0.2`). Prints wall and CPU seconds and the
# -v entry counts (Hermite series / near |rho| = 1 / quadrature). With BASE (another checkout, e.g. of main, whose
# ./ntk is built), runs it back to back on the same inputs and prints the CPU ratio and the largest difference of
# the two kernels relative to the largest entry.
# usage: [NOISE=0.3] [ACTS="Tanh Elu"] bench/eoc-bench.sh [N] [DEPTH] [BASE]   (defaults: 200 50, no base; NOISE is
#        the inputs' noise level). Needs /usr/bin/time, bc, numpy.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200}; DEPTH=${2:-50}; BASE=${3:-}; NOISE=${NOISE:-0.3}
PY=${PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$PY" -c "import numpy as np; r = np.random.default_rng(200); x = r.standard_normal(50) + $NOISE * r.standard_normal(($N, 50)); \
x *= np.linspace(0.5, 1.5, $N)[:, None] / np.linalg.norm(x, axis=1, keepdims=True) * np.sqrt(50); np.save('$tmp/X.npy', x)"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (other jobs may share it: compare ratios)"
run() { # run LABEL DIR ARCH OUT
  /usr/bin/time -o "$tmp/t" -f "%e %U %S" "$2/ntk" kernel -v --arch "$3" --x1 "$tmp/X.npy" --kind ntk --out "$4" \
    2> "$tmp/err" || { cat "$tmp/err"; exit 1; }
  read -r wall user sys < "$tmp/t"
  counts=$(sed -n 's/.*smooth-activation entries: //p' "$tmp/err")
  echo "$1: $wall s wall, $(echo "$user + $sys" | bc) s CPU; ${counts:-no entry counts}" >&2
  echo "$user + $sys" | bc
}
declare -A SW=([Tanh]=1.3041458400565122 [Elu]=1.22925112413721)
for act in ${ACTS:-Tanh Elu}; do
  sw=${SW[$act]}
  arch=""
  for l in $(seq 1 "$DEPTH"); do arch+="Dense(256, W_std=$sw, b_std=0.2), $act, "; done
  arch+="Dense(1, W_std=$sw, b_std=0.2)"
  new=$(run "$act depth $DEPTH N=$N, this checkout" . "$arch" "$tmp/new.npy")
  if [ -n "$BASE" ]; then
    old=$(run "$act depth $DEPTH N=$N, base $BASE" "$BASE" "$arch" "$tmp/old.npy")
    "$PY" -c "import numpy as np; a = np.load('$tmp/new.npy'); b = np.load('$tmp/old.npy'); \
print(f'$act: base/this CPU = {$old / $new:.1f}x; max |difference| / max |entry| = {np.abs(a - b).max() / np.abs(b).max():.1e}')"
  fi
done
