#!/usr/bin/env bash
# Smooth activations' kernels (Hermite series) against the NumPy 2-D Gauss-Hermite peer of degree 25 per entry (what
# neural-tangents' ElementwiseNumerical does), same machine, run back to back in pairs.
# Network: [Dense(512, W_std=1.3, b_std=0.2), act] x 3 + Dense(1, 1.3, 0.2), d = 50, NNGP + NTK.
#   1. in process, N (default 500): ntk's median of 3 runs (a fresh network each run, so the per-variance tables are
#      paid) vs the peer's time, PAIRS pairs; medians and the ratio; ntk's per-entry cost against Relu's.
#   2. whole process, WHOLE_N points (default N): `./ntk kernel ... --out K.npy` vs `gh_kernel.py --x X.npy`, wall
#      and CPU time of each process, and the peer's deviation from ntk's kernel.
# Every ntk timing runs in each JVM configuration of bench/peer.sh (native and -XX:UseAVX=2), each beside the same
# peer run; the peer runs with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset, its BLAS printed first (threadpoolctl).
# usage: bench/smooth-bench.sh [N] [PAIRS] [ACTIVATIONS...]      (defaults: 500 3 Tanh Gelu)
#        WHOLE_PAIRS=k (default PAIRS) whole-process pairs, WHOLE_N (default N) their size, IN_PROCESS=0 skips part 1,
#        JVM_CONFIGS (see bench/peer.sh). Needs /usr/bin/time and bc.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/peer.sh
peer_config
N=${1:-500}; PAIRS=${2:-3}; shift $(( $# > 2 ? 2 : $# )) || true
WN=${WHOLE_N:-$N}
ACTS=("$@"); [ ${#ACTS[@]} -gt 0 ] || ACTS=(Tanh Gelu)
if ! "$PY" -c 'import numpy' 2>/dev/null; then
  echo "numpy not installed (apt-get install python3-numpy): no peer timing"; exit 1
fi
ARGS=(--n "$N" --d 50 --depth 3 --w-std 1.3 --b-std 0.2)
median() { "$PY" -c 'import sys, statistics; print(statistics.median(float(v) for v in sys.argv[1:]))' "$@"; }
field() { sed -n "s/.*RESULT.* $1=\([0-9.]*\).*/\1/p"; }
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (other jobs may share it: compare ratios)"
./ntk --version >/dev/null  # builds the jar if stale

if [ "${IN_PROCESS:-1}" != 0 ]; then
  declare -A relu_cpu
  for c in "${JVM_CONFIGS[@]}"; do
    n=$(cfg_name "$c")
    relu_out=$(ntk_in "$c" ./ntk bench kernel --activation Relu "${ARGS[@]}" --repeats 5 2>/dev/null)
    relu_cpu[$n]=$(echo "$relu_out" | field cpu_seconds)
    echo "Relu [$n]: $(echo "$relu_out" | grep 'kernel total'), CPU ${relu_cpu[$n]} s"
  done
  for act in "${ACTS[@]}"; do
    declare -A js=() jc=()
    gs=(); gc=()
    for p in $(seq 1 "$PAIRS"); do
      line="$act pair $p:"
      for c in "${JVM_CONFIGS[@]}"; do
        n=$(cfg_name "$c")
        jo=$(ntk_in "$c" ./ntk bench kernel --activation "$act" "${ARGS[@]}" --repeats 3 2>/dev/null)
        j=$(echo "$jo" | field java_seconds); k=$(echo "$jo" | field cpu_seconds)
        js[$n]+="$j "; jc[$n]+="$k "
        line+=" ntk[$n] $j s wall / $k s CPU,"
      done
      go=$(peer "$PY" bench/gh_kernel.py --act "$act" "${ARGS[@]}" --repeats 1)
      g=$(echo "$go" | field gh_seconds); h=$(echo "$go" | field cpu_seconds)
      echo "$line peer $g s wall / $h s CPU"
      gs+=("$g"); gc+=("$h")
    done
    gm=$(median "${gs[@]}"); hm=$(median "${gc[@]}")
    for c in "${JVM_CONFIGS[@]}"; do
      n=$(cfg_name "$c")
      # shellcheck disable=SC2086
      jm=$(median ${js[$n]}); cm=$(median ${jc[$n]})
      "$PY" -c "print(f'$act N=$N in process [$n]: ntk median {$jm:.3f} s wall, {$cm:.3f} s CPU; Gauss-Hermite peer {$gm:.2f} s wall, {$hm:.2f} s CPU; peer/ntk = {$gm/$jm:.0f}x wall, {$hm/max($cm, 1e-3):.0f}x CPU; ntk CPU per entry = {$cm/max(${relu_cpu[$n]}, 1e-3):.1f}x Relu')"
    done
  done
fi

# whole process, WHOLE_N points
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$PY" -c "import numpy as np; np.save('$tmp/X.npy', np.random.default_rng(300).standard_normal(($WN, 50)))"
arch="Dense(512, W_std=1.3, b_std=0.2), ACT, Dense(512, W_std=1.3, b_std=0.2), ACT, Dense(512, W_std=1.3, b_std=0.2), ACT, Dense(1, W_std=1.3, b_std=0.2)"
WHOLE_PAIRS=${WHOLE_PAIRS:-$PAIRS}
for act in "${ACTS[@]}"; do
  declare -A jw=() jc=()
  gw=(); gc=()
  for p in $(seq 1 "$WHOLE_PAIRS"); do
    line="$act whole process pair $p:"
    for c in "${JVM_CONFIGS[@]}"; do
      n=$(cfg_name "$c")
      # wall, user and system seconds of each whole process (JVM start, reading, writing included)
      ntk_in "$c" /usr/bin/time -o "$tmp/tj" -f "%e %U %S" ./ntk kernel --arch "${arch//ACT/$act}" --x1 "$tmp/X.npy" \
        --kind ntk --out "$tmp/K-$n.npy" 2>/dev/null
      read -r w u s < "$tmp/tj"; k=$(echo "$u + $s" | bc)
      jw[$n]+="$w "; jc[$n]+="$k "
      line+=" ntk[$n] $w s wall / $k s CPU,"
    done
    n0=$(cfg_name "${JVM_CONFIGS[0]}")
    go=$(/usr/bin/time -o "$tmp/tg" -f "%e %U %S" "${PEER_ENV[@]}" "$PY" bench/gh_kernel.py --act "$act" --x "$tmp/X.npy" \
      --depth 3 --w-std 1.3 --b-std 0.2 --compare "$tmp/K-$n0.npy")
    read -r w u s < "$tmp/tg"; gw+=("$w"); gc+=("$(echo "$u + $s" | bc)")
    dev=$(echo "$go" | sed -n 's/.*= \([0-9.e+-]*\)$/\1/p')
    same=$(cmp -s "$tmp/K-$n0.npy" "$tmp/K-$(cfg_name "${JVM_CONFIGS[-1]}").npy" && echo "same bits in every configuration" || echo "configurations DIFFER")
    echo "$line peer ${gw[-1]} s wall / ${gc[-1]} s CPU ($(time_split "$u" "$s"); $same)"
  done
  gm=$(median "${gw[@]}"); hm=$(median "${gc[@]}")
  for c in "${JVM_CONFIGS[@]}"; do
    n=$(cfg_name "$c")
    # shellcheck disable=SC2086
    jm=$(median ${jw[$n]}); cm=$(median ${jc[$n]})
    "$PY" -c "print(f'$act N=$WN whole process [$n]: ntk kernel median {$jm:.2f} s wall, {$cm:.2f} s CPU; peer {$gm:.2f} s wall, {$hm:.2f} s CPU; peer/ntk = {$gm/$jm:.1f}x wall, {$hm/$cm:.1f}x CPU; the degree-25 peer deviates from ntk by $dev (max abs / max entry)')"
  done
done
