#!/usr/bin/env bash
# Issue 5's benchmark: `ntk bench predict` (eigendecomposition vs raw dsyevd, 100 times vs 1, Cholesky,
# peak heap) and the Python peer (numpy eigh, scikit-learn KernelRidge on the same kernel).
# usage: bench/predict-bench.sh [N] [m]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/peer.sh
peer_config
N=${1:-10000}; M=${2:-1000}
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
./ntk bench predict --n "$N" --m "$M" --save "$dir"
PY=${PYTHON:-/usr/bin/python3}
if ! "$PY" -c 'import numpy' 2>/dev/null; then
  echo "numpy not installed (apt-get install python3-numpy): no peer timing"; exit 0
fi
peer "$PY" bench/sklearn_predict.py "$dir" 1e-6
