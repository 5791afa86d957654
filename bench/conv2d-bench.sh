#!/usr/bin/env bash
# The pooled 2-D CNTK at 28 x 28 (the full (HW)^2 = 614,656 pixel-pair covariance per pair of images): seconds per
# 1,000 pairs for depths 2, 4, 8, the WHOLE process of `ntk kernel` (JVM start, read, compute, write) against the NumPy
# peer bench/cntk_peer.py (the same recursion batched over pairs, as a user would write it), and against two
# arithmetic bounds at the vector rate bench/FmaRate.java measures: the issue's k^2 (HW)^2 multiply-adds per pair per
# layer (the k x k window sum of Sigma, each term a multiply-add), and the separable one, 2k (HW)^2 (the same sum as k
# along rows, then k along columns). Both count the window sum of Sigma alone (not Theta's, not the nonlinearity).
# ntk runs in each JVM configuration of bench/peer.sh (native and -XX:UseAVX=2), each beside the same peer run; the
# peer with OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset for its command alone.
# CPU seconds (user + system, /usr/bin/time -v) are the figure to compare on a shared machine; wall is printed too.
# usage: bench/conv2d-bench.sh [N images] [peer pairs] [depths...]    (N = 45: 1,035 pairs of the symmetric half)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/peer.sh
peer_config
N=${1:-45}; PEER_PAIRS=${2:-24}; shift 2 || true
DEPTHS=("$@"); [ ${#DEPTHS[@]} -gt 0 ] || DEPTHS=(2 4 8)
PY=${PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$PY" -c "import numpy as np, sys; np.save(sys.argv[1], np.random.default_rng(7).standard_normal(($N, 28, 28, 1)))" "$tmp/x.npy"
PAIRS=$(( N * (N + 1) / 2 ))
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
RATE=$(nice -n 19 "$JAVA" --add-modules jdk.incubator.vector bench/FmaRate.java 2>/dev/null | awk '{print $2}')
echo "vector multiply-add rate, one core: $RATE per second"
W=1.4142135623730951
./ntk kernel --arch "Conv2D(1, 3, W_std=$W), Relu, GlobalAvgPool, Dense(1)" --x1 "$tmp/x.npy" --kind ntk \
  --out "$tmp/warm.npy" >/dev/null  # builds the jar if stale
for d in "${DEPTHS[@]}"; do
  arch=""
  for _ in $(seq "$d"); do arch+="Conv2D(1, 3, W_std=$W), Relu, "; done
  arch+="GlobalAvgPool, Dense(1)"
  /usr/bin/time -v -o "$tmp/p.time" nice -n 19 "${PEER_ENV[@]}" "$PY" bench/cntk_peer.py \
    "$tmp/x.npy" "$d" 8 "$tmp/p.npy" "$PEER_PAIRS" >/dev/null
  pc=$(t_cpu "$tmp/p.time"); pw=$(t_wall "$tmp/p.time")
  echo "depth $d numpy peer: $(time_split "$(t_user "$tmp/p.time")" "$(t_sys "$tmp/p.time")")"
  for c in "${JVM_CONFIGS[@]}"; do
    /usr/bin/time -v -o "$tmp/j.time" nice -n 19 env NTK_JAVA_OPTS="${c#*=}" ./ntk kernel --arch "$arch" --x1 "$tmp/x.npy" \
      --kind ntk --out "$tmp/k.npy" >/dev/null 2>"$tmp/j.err" || { cat "$tmp/j.err" >&2; exit 1; }
    check=$("$PY" -c "
import numpy as np, sys
p = np.load(sys.argv[1]); k = np.load(sys.argv[2])
print('%.1e' % max(abs(k[int(i), int(j)] - v) / abs(v) for i, j, v in p))" "$tmp/p.npy" "$tmp/k.npy")
    jc=$(t_cpu "$tmp/j.time"); jw=$(t_wall "$tmp/j.time")
    awk -v d="$d" -v cfg="$(cfg_name "$c")" -v n="$PAIRS" -v jc="$jc" -v jw="$jw" -v pp="$PEER_PAIRS" -v pc="$pc" \
      -v pw="$pw" -v r="$RATE" -v c="$check" 'BEGIN{
      j = jc / n * 1000; p = pc / pp * 1000; b = 9 * 614656 * d / r * 1000; s = 6 * 614656 * d / r * 1000
      printf "depth %d [%s]: ntk %.2f CPU-s per 1000 pairs (%d pairs: %.1f s CPU, %.1f s wall) | numpy peer %.1f CPU-s per 1000 pairs (%d pairs: %.1f s CPU, %.1f s wall) | speedup %.1fx | bound k^2 %.2f CPU-s: ntk at %.1fx | separable bound 2k %.2f CPU-s: ntk at %.1fx | max rel. difference %s\n",
        d, cfg, j, n, jc, jw, p, pp, pc, pw, p / j, b, j / b, s, j / s, c }'
  done
done
