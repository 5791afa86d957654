#!/usr/bin/env bash
# Issue 11, deliverable 1: smooth activations' kernels (Hermite series) against the NumPy 2-D Gauss-Hermite peer of
# degree 25 per entry (what neural-tangents' ElementwiseNumerical does), same machine, run back to back in pairs.
# Network: [Dense(512, W_std=1.3, b_std=0.2), act] x 3 + Dense(1, 1.3, 0.2), d = 50, NNGP + NTK.
#   1. in process, N (default 500): ntk's median of 3 runs (a fresh network each run, so the per-variance tables are
#      paid) vs the peer's time, PAIRS pairs; medians and the ratio; ntk's per-entry cost against Relu's.
#   2. whole process, WHOLE_N points (default N): `./ntk kernel ... --out K.npy` vs `gh_kernel.py --x X.npy`, wall
#      time of each process, and the peer's deviation from ntk's kernel.
# usage: bench/smooth-bench.sh [N] [PAIRS] [ACTIVATIONS...]      (defaults: 500 3 Tanh Gelu)
#        WHOLE_PAIRS=k (default PAIRS) sets the number of whole-process pairs, WHOLE_N (default N) their size. Needs /usr/bin/time and bc.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/peer.sh
peer_config
N=${1:-500}; PAIRS=${2:-3}; shift $(( $# > 2 ? 2 : $# )) || true
WN=${WHOLE_N:-$N}
ACTS=("$@"); [ ${#ACTS[@]} -gt 0 ] || ACTS=(Tanh Gelu)
PY=${PYTHON:-/usr/bin/python3}
if ! "$PY" -c 'import numpy' 2>/dev/null; then
  echo "numpy not installed (apt-get install python3-numpy): no peer timing"; exit 1
fi
ARGS=(--n "$N" --d 50 --depth 3 --w-std 1.3 --b-std 0.2)
median() { "$PY" -c 'import sys, statistics; print(statistics.median(float(v) for v in sys.argv[1:]))' "$@"; }
field() { sed -n "s/.*RESULT.* $1=\([0-9.]*\).*/\1/p"; }
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (other jobs may share it: compare ratios)"

relu_out=$(./ntk bench kernel --activation Relu "${ARGS[@]}" --repeats 5)
relu_cpu=$(echo "$relu_out" | field cpu_seconds)
echo "Relu: $(echo "$relu_out" | grep 'kernel total'), CPU $relu_cpu s"
for act in "${ACTS[@]}"; do
  js=(); jc=(); gs=(); gc=()
  for p in $(seq 1 "$PAIRS"); do
    jo=$(./ntk bench kernel --activation "$act" "${ARGS[@]}" --repeats 3)
    go=$(peer "$PY" bench/gh_kernel.py --act "$act" --n "$N" --d 50 --depth 3 --w-std 1.3 --b-std 0.2 --repeats 1)
    j=$(echo "$jo" | field java_seconds); c=$(echo "$jo" | field cpu_seconds)
    g=$(echo "$go" | field gh_seconds); h=$(echo "$go" | field cpu_seconds)
    echo "$act pair $p: ntk $j s wall / $c s CPU, peer $g s wall / $h s CPU"
    js+=("$j"); jc+=("$c"); gs+=("$g"); gc+=("$h")
  done
  jm=$(median "${js[@]}"); cm=$(median "${jc[@]}"); gm=$(median "${gs[@]}"); hm=$(median "${gc[@]}")
  "$PY" -c "print(f'$act N=$N in process: ntk median {$jm:.3f} s wall, {$cm:.3f} s CPU; Gauss-Hermite peer {$gm:.2f} s wall, {$hm:.2f} s CPU; peer/ntk = {$gm/$jm:.0f}x wall, {$hm/$cm:.0f}x CPU; ntk CPU per entry = {$cm/$relu_cpu:.1f}x Relu')"
done

# whole process, WHOLE_N points
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$PY" -c "import numpy as np; np.save('$tmp/X.npy', np.random.default_rng(300).standard_normal(($WN, 50)))"
arch="Dense(512, W_std=1.3, b_std=0.2), ACT, Dense(512, W_std=1.3, b_std=0.2), ACT, Dense(512, W_std=1.3, b_std=0.2), ACT, Dense(1, W_std=1.3, b_std=0.2)"
WHOLE_PAIRS=${WHOLE_PAIRS:-$PAIRS}
for act in "${ACTS[@]}"; do
  jw=(); jc=(); gw=(); gc=()
  for p in $(seq 1 "$WHOLE_PAIRS"); do
    # wall, user and system seconds of each whole process (JVM start, reading, writing included)
    /usr/bin/time -o "$tmp/tj" -f "%e %U %S" ./ntk kernel --arch "${arch//ACT/$act}" --x1 "$tmp/X.npy" --kind ntk \
      --out "$tmp/K.npy"
    go=$(/usr/bin/time -o "$tmp/tg" -f "%e %U %S" env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$PY" bench/gh_kernel.py --act "$act" --x "$tmp/X.npy" --depth 3 \
      --w-std 1.3 --b-std 0.2 --compare "$tmp/K.npy")
    read -r w u s < "$tmp/tj"; jw+=("$w"); jc+=("$(echo "$u + $s" | bc)")
    read -r w u s < "$tmp/tg"; gw+=("$w"); gc+=("$(echo "$u + $s" | bc)")
    dev=$(echo "$go" | sed -n 's/.*= \([0-9.e+-]*\)$/\1/p')
    echo "$act whole process pair $p: ntk ${jw[-1]} s wall / ${jc[-1]} s CPU, peer ${gw[-1]} s wall / ${gc[-1]} s CPU"
  done
  jm=$(median "${jw[@]}"); cm=$(median "${jc[@]}"); gm=$(median "${gw[@]}"); hm=$(median "${gc[@]}")
  "$PY" -c "print(f'$act N=$WN whole process: ntk kernel median {$jm:.2f} s wall, {$cm:.2f} s CPU; peer {$gm:.2f} s wall, {$hm:.2f} s CPU; peer/ntk = {$gm/$jm:.1f}x wall, {$hm/$cm:.1f}x CPU; the degree-25 peer deviates from ntk by $dev (max abs / max entry)')"
done
