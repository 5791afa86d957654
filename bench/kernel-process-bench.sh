#!/usr/bin/env bash
# Issue 11 (deliverable 4): the WHOLE process of `ntk kernel` (JVM start, read, compute, write K.npy) against the
# whole process of the NumPy peer (`python3 bench/numpy_kernel.py N d depth 1`: interpreter start, import, inputs,
# compute), back to back, each timed by /usr/bin/time -v; medians over repeats.
# usage: bench/kernel-process-bench.sh [N] [d] [depth] [repeats]
#   NTK_KIND=ntk|nngp (default ntk), PYTHON=/usr/bin/python3. ntk runs once per JVM configuration of bench/peer.sh
#   (native and -XX:UseAVX=2, JVM_CONFIGS to change), each repeat beside one peer run; the peer runs with
#   OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset, its BLAS and threads printed first (threadpoolctl).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/peer.sh
peer_config
N=${1:-8000}; D=${2:-784}; DEPTH=${3:-5}; REPEATS=${4:-5}
PY=${PYTHON:-/usr/bin/python3}
KIND=${NTK_KIND:-ntk}
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }
"$PY" -c 'import numpy' 2>/dev/null || { echo "needs numpy (apt-get install python3-numpy)" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# The peer's own inputs (default_rng(42) standard normal), so both compute the same kernel.
"$PY" -c "import numpy as np, sys; np.save(sys.argv[1], np.random.default_rng(42).standard_normal(($N, $D)))" "$tmp/x.npy"
W=1.4142135623730951; B=0.1
arch=""
for _ in $(seq "$DEPTH"); do arch+="Dense(512, W_std=$W, b_std=$B), Relu, "; done
arch+="Dense(1, W_std=$W, b_std=$B)"
./ntk kernel --arch "$arch" --x1 "$tmp/x.npy" --kind "$KIND" --out "$tmp/warm.npy" >/dev/null  # builds the jar if stale
declare -A jw jc
pw=(); pc=(); pu=(); ps=()
for r in $(seq "$REPEATS"); do
  for c in "${JVM_CONFIGS[@]}"; do
    n=$(cfg_name "$c")
    ntk_in "$c" /usr/bin/time -v -o "$tmp/j.time" ./ntk kernel --arch "$arch" --x1 "$tmp/x.npy" --kind "$KIND" \
      --out "$tmp/k.npy" -v 2>"$tmp/j.err" >/dev/null || { cat "$tmp/j.err" >&2; exit 1; }
    jw[$n]+="$(t_wall "$tmp/j.time") "; jc[$n]+="$(t_cpu "$tmp/j.time") "
    printf 'run %d ntk[%s]: %6.2f s wall %6.2f s CPU %5s GB | phases: %s\n' "$r" "$n" "$(t_wall "$tmp/j.time")" \
      "$(t_cpu "$tmp/j.time")" "$(t_rss "$tmp/j.time")" \
      "$(grep -E '^(ntk kernel: )? *[a-z]+ +[0-9.]+ s$' "$tmp/j.err" | sed 's/ntk kernel: *//' | awk '{printf "%s %s, ", $1, $2}')"
  done
  /usr/bin/time -v -o "$tmp/p.time" "${PEER_ENV[@]}" "$PY" bench/numpy_kernel.py "$N" "$D" "$DEPTH" 1 >/dev/null
  pw+=("$(t_wall "$tmp/p.time")"); pc+=("$(t_cpu "$tmp/p.time")"); pu+=("$(t_user "$tmp/p.time")"); ps+=("$(t_sys "$tmp/p.time")")
  printf 'run %d numpy: %6.2f s wall %6.2f s CPU (user %.2f, system %.2f) %5s GB\n' "$r" "${pw[-1]}" "${pc[-1]}" \
    "${pu[-1]}" "${ps[-1]}" "$(t_rss "$tmp/p.time")"
done
pm=$(med "${pw[@]}"); pcm=$(med "${pc[@]}"); pum=$(med "${pu[@]}"); psm=$(med "${ps[@]}")
# The peer's computation is its user time; system time is mostly page faults on its 5 GB of fresh memory, which on a
# virtual machine whose memory is being reclaimed can exceed the computation several times (docs/performance.md,
# "Whole-process kernels against NumPy"): then the wall ratio measures the machine, and speedup_vs_peer_user is the one
# to read.
if awk -v u="$pum" -v s="$psm" 'BEGIN{exit !(s > 0.5 * u)}'; then
  echo "warning: the peer spent ${psm} s in the system against ${pum} s computing (page faults); its wall time, and the" \
       "wall and CPU ratios below, are flattered by this machine: read speedup_vs_peer_user"
fi
for c in "${JVM_CONFIGS[@]}"; do
  n=$(cfg_name "$c")
  # shellcheck disable=SC2086
  jm=$(med ${jw[$n]}); jcm=$(med ${jc[$n]})
  echo "whole process, N=$N d=$D depth=$DEPTH kind=$KIND, median of $REPEATS [$n]: ntk $jm s wall ($jcm s CPU), numpy $pm s wall ($pcm s CPU)"
  awk -v j="$jm" -v p="$pm" -v jc="$jcm" -v pc="$pcm" -v pu="$pum" -v n="$n" 'BEGIN{printf "RESULT config=%s speedup_wall=%.2f speedup_cpu=%.2f speedup_vs_peer_user=%.2f\n", n, p/j, pc/jc, pu/j}'
done
