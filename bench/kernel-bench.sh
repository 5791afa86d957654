#!/usr/bin/env bash
# Issue 3's benchmark: ntk's infinite-width NNGP+NTK vs the NumPy peer, same machine, same run.
# usage: bench/kernel-bench.sh [N] [d] [depth] [repeats]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/peer.sh
peer_config
N=${1:-10000}; D=${2:-784}; DEPTH=${3:-5}; REPEATS=${4:-3}
java_out=$(./ntk bench kernel --n "$N" --d "$D" --depth "$DEPTH" --repeats "$REPEATS")
echo "$java_out"
PY=${PYTHON:-/usr/bin/python3}  # Debian's python3 + python3-numpy (system OpenBLAS), as the issue asks
if ! "$PY" -c 'import numpy' 2>/dev/null; then
  echo "numpy not installed (apt-get install python3-numpy): no peer timing"; exit 0
fi
np_out=$(peer "$PY" bench/numpy_kernel.py "$N" "$D" "$DEPTH" "$REPEATS")
echo "$np_out"
jt=$(echo "$java_out" | sed -n 's/.*java_seconds=\([0-9.]*\).*/\1/p')
nt=$(echo "$np_out" | sed -n 's/.*numpy_seconds=\([0-9.]*\).*/\1/p')
python3 -c "print(f'speed-up ntk vs numpy: {float($nt)/float($jt):.2f}x  (ntk {float($jt):.3f} s, numpy {float($nt):.3f} s)')"
