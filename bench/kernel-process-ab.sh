#!/usr/bin/env bash
# Whole `ntk kernel` processes of two or more builds, alternated run by run (no peer): wall, CPU, peak RSS and the
# -v phases of each run, for a before/after comparison of one change. Each build is a checkout with its jar built.
# usage: bench/kernel-process-ab.sh N d depth repeats DIR...   (e.g. DIR = /tmp/base and this checkout)
#   JVM_CONFIGS as in bench/peer.sh (native and -XX:UseAVX=2 by default); ends with a cmp of the builds' outputs.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/peer.sh
N=$1; D=$2; DEPTH=$3; REPEATS=$4; shift 4
[ $# -ge 1 ] || { echo "usage: $0 N d depth repeats DIR..." >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 -c "import numpy as np, sys; np.save(sys.argv[1], np.random.default_rng(42).standard_normal(($N, $D)))" "$tmp/x.npy"
W=1.4142135623730951; B=0.1; arch=""
for _ in $(seq "$DEPTH"); do arch+="Dense(512, W_std=$W, b_std=$B), Relu, "; done
arch+="Dense(1, W_std=$W, b_std=$B)"
for r in $(seq "$REPEATS"); do
  for c in "${JVM_CONFIGS[@]}"; do
    for b in "$@"; do
      k=$(basename "$b")
      ntk_in "$c" /usr/bin/time -v -o "$tmp/t" "$b/ntk" kernel --arch "$arch" --x1 "$tmp/x.npy" --kind ntk \
        --out "$tmp/k-$k.npy" -v 2>"$tmp/err" >/dev/null || { cat "$tmp/err" >&2; exit 1; }
      w=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): \(.*\)/\1/p' "$tmp/t" | awk -F: '{s=0; for(i=1;i<=NF;i++) s=s*60+$i; print s}')
      cpu=$(awk -F': ' '/User time/{u=$2} /System time/{s=$2} END{print u+s}' "$tmp/t")
      rss=$(awk -F': ' '/Maximum resident/{printf "%.3f", $2/1048576}' "$tmp/t")
      echo "run $r [$(cfg_name "$c")] $k: wall $w s, CPU $cpu s, RSS $rss GB | $(grep -E ' s$' "$tmp/err" | sed 's/ntk kernel: *//' | awk '{printf "%s %s, ", $1, $2}')"
    done
  done
done
first=$(basename "$1")
for b in "$@"; do k=$(basename "$b"); cmp "$tmp/k-$first.npy" "$tmp/k-$k.npy" && echo "cmp $first $k: identical"; done
