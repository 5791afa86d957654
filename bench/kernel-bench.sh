#!/usr/bin/env bash
# ntk's infinite-width NNGP+NTK (`./ntk bench kernel`, in process) vs the NumPy peer, same machine, same run: ntk once
# per JVM configuration of bench/peer.sh (native and -XX:UseAVX=2; JVM_CONFIGS to change), then the peer (with
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset, its BLAS and threads printed first).
# usage: bench/kernel-bench.sh [N] [d] [depth] [repeats]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/peer.sh
peer_config
N=${1:-10000}; D=${2:-784}; DEPTH=${3:-5}; REPEATS=${4:-3}
declare -A jt
for c in "${JVM_CONFIGS[@]}"; do
  n=$(cfg_name "$c")
  java_out=$(ntk_in "$c" ./ntk bench kernel --n "$N" --d "$D" --depth "$DEPTH" --repeats "$REPEATS" 2>/dev/null)
  echo "[$n] $java_out"
  jt[$n]=$(echo "$java_out" | sed -n 's/.*java_seconds=\([0-9.]*\).*/\1/p')
done
if ! "$PY" -c 'import numpy' 2>/dev/null; then
  echo "numpy not installed (apt-get install python3-numpy): no peer timing"; exit 0
fi
np_out=$(peer "$PY" bench/numpy_kernel.py "$N" "$D" "$DEPTH" "$REPEATS")
echo "$np_out"
nt=$(echo "$np_out" | sed -n 's/.*numpy_seconds=\([0-9.]*\).*/\1/p')
for c in "${JVM_CONFIGS[@]}"; do
  n=$(cfg_name "$c")
  "$PY" -c "print(f'[$n] speed-up ntk vs numpy: {float($nt)/float(${jt[$n]}):.2f}x  (ntk {float(${jt[$n]}):.3f} s, numpy {float($nt):.3f} s)')"
done
