#!/usr/bin/env bash
# One SGD epoch of Hayou et al.'s Table 1 network, ntk against PyTorch on the same digits, same machine, same run:
# depth x [Dense(width), ELU] at ELU's edge of chaos (sigma_w = 1.2292511241372073, sigma_b = 0.2), Dense(10); N shipped
# MNIST digits, batch 128, softmax cross-entropy, plain SGD at learning rate LR, SCHEME parameterisation (the paper's:
# ntk). `ntk bench sgd-epoch` (through ntk.finite.Trainer, as hayou-table1 trains) against bench/torch_sgd_epoch.py in
# float64 (the like-for-like peer) and float32; each runs 1 warm-up epoch and R timed epochs with THREADS threads
# (ntk: OpenBLAS threads; PyTorch: torch.set_num_threads and its OpenBLAS's), the peer with OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE unset (bench/peer.sh). Prints every epoch, then medians (wall and process CPU seconds) and the
# ratios ntk / PyTorch. On a shared machine trust the CPU seconds (with THREADS=1) and the ratios more than the walls.
# TOOLS (default "ntk float64 float32") picks the sides to run; the ratios need all three.
# usage: [THREADS=1] [SCHEME=ntk] [LR=0.01] [DEPTH=300] [WIDTH=300] [N=8000] [BATCH=128] bench/sgd-epoch-bench.sh [R=2]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/peer.sh
R=${1:-2}; T=${THREADS:-1}; SCHEME=${SCHEME:-ntk}; LR=${LR:-0.01}
DEPTH=${DEPTH:-300}; WIDTH=${WIDTH:-300}; N=${N:-8000}; BATCH=${BATCH:-128}
TOOLS=${TOOLS:-ntk float64 float32}; PW=${PEER_WARMUP:-0}
if ! "$PY" -c 'import torch, numpy' 2>/dev/null; then
  echo "no PyTorch peer: '$PY -c \"import torch, numpy\"' fails (apt-get install python3-torch python3-numpy)"; exit 1
fi
peer_config
W=$(mktemp -d /tmp/ntk-sgd-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT
common=(--depth "$DEPTH" --width "$WIDTH" --n "$N" --batch "$BATCH" --threads "$T" --epochs "$R")
for tool in $TOOLS; do
  if [ "$tool" = ntk ]; then
    echo "== ntk (float64)"
    ./ntk bench sgd-epoch "${common[@]}" --scheme "$SCHEME" --learning-rate "$LR" | tee "$W/ntk"
  else
    echo "== PyTorch $tool"
    peer "$PY" bench/torch_sgd_epoch.py "${common[@]}" --param "$SCHEME" --lr "$LR" --dtype "$tool" --warmup "$PW" \
      | tee "$W/$tool"
  fi
done
[ "$TOOLS" = "ntk float64 float32" ] || exit 0
get() { sed -n "s/.*$2=\([0-9.]*\).*/\1/p" "$W/$1"; }
nw=$(get ntk epoch_seconds); nc=$(get ntk epoch_cpu_seconds)
"$PY" - "$nw" "$nc" "$(get float64 torch_epoch_seconds)" "$(get float64 torch_epoch_cpu_seconds)" \
  "$(get float32 torch_epoch_seconds)" "$(get float32 torch_epoch_cpu_seconds)" "$R" "$T" <<'PYEOF'
import sys
nw, nc, w64, c64, w32, c32 = map(float, sys.argv[1:7]); r, t = sys.argv[7], sys.argv[8]
print(f"one epoch (median of {r} timed epochs, {t} thread(s)): ntk {nw:.2f} s wall / {nc:.2f} s CPU;"
      f" PyTorch float64 {w64:.2f} / {c64:.2f}; PyTorch float32 {w32:.2f} / {c32:.2f}")
print(f"ratio ntk / PyTorch float64: {nw / w64:.2f} wall, {nc / c64:.2f} CPU;"
      f" ntk / PyTorch float32: {nw / w32:.2f} wall, {nc / c32:.2f} CPU")
PYEOF
