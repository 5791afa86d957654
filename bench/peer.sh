# Sourced by the bench scripts: how a peer (NumPy, SciPy, scikit-learn, PyTorch) is run and described.
# Some machines set OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE for old OpenBLAS builds; they slow a current NumPy, so a
# peer runs with both unset for its own command alone (ntk's commands keep the environment as it is).
PY=${PYTHON:-/usr/bin/python3}

# peer CMD...: runs CMD with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset. PEER_ENV is the same as a command prefix,
# for places a shell function cannot go (after /usr/bin/time).
PEER_ENV=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
peer() { "${PEER_ENV[@]}" "$@"; }

# The JVM configurations every ntk timing runs in, one "name=flags" per entry (NTK_JAVA_OPTS of the launcher): the
# JIT's native choice and the JIT held to AVX2 (-XX:UseAVX=2: the Vector API's preferred species is then 256 bits,
# whatever the machine). Override with JVM_CONFIGS="native=" (one) or any list.
read -r -a JVM_CONFIGS <<<"${JVM_CONFIGS:-native= avx2=-XX:UseAVX=2}"
# ntk_in CONFIG CMD...: runs CMD (./ntk ...) with that configuration's JVM flags.
ntk_in() { local c="$1"; shift; NTK_JAVA_OPTS="${c#*=}" "$@"; }
cfg_name() { echo "${1%%=*}"; }

# peer_config: prints both sides' configuration: the environment ntk runs in, ntk's BLAS, and the peer's BLAS
# libraries, their kernels (internal_api, architecture) and threads, read by threadpoolctl in the peer's environment.
peer_config() {
  echo "ntk JVM configurations: ${JVM_CONFIGS[*]} (name=NTK_JAVA_OPTS); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
    "$(grep -m1 '^flags' /proc/cpuinfo | grep -o 'avx512f' | head -1 || true)$(grep -m1 '^flags' /proc/cpuinfo | grep -q avx512f || echo 'no AVX-512')"
  echo "ntk runs with OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-unset};" \
    "$(./ntk --version 2>/dev/null | tr '\n' ' ')"
  peer "$PY" - <<'PYEOF'
import os
print("peer runs with OPENBLAS_CORETYPE=%s OPENBLAS_L2_SIZE=%s" % (os.environ.get("OPENBLAS_CORETYPE", "unset"),
                                                               os.environ.get("OPENBLAS_L2_SIZE", "unset")))
try:
    import numpy
    try:
        import torch  # loads its own BLAS/OpenMP, which threadpoolctl then lists too
    except ImportError:
        pass
    from threadpoolctl import threadpool_info
    for lib in threadpool_info():
        print("peer BLAS/threads: %s %s %s, %s threads, architecture %s (%s)" % (lib.get("user_api"),
              lib.get("internal_api"), lib.get("version"), lib.get("num_threads"), lib.get("architecture", "?"),
              lib.get("filepath")))
except ImportError as e:
    print("peer BLAS/threads: unknown (%s; apt-get install python3-threadpoolctl)" % e)
PYEOF
}

# Readers of a `/usr/bin/time -v -o FILE` report: wall seconds, CPU seconds (user + system), user, system, peak RSS
# in GB; med: the median of its arguments.
t_wall() { sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): \(.*\)/\1/p' "$1" | awk -F: '{s=0; for(i=1;i<=NF;i++) s=s*60+$i; print s}'; }
t_cpu() { awk -F': ' '/User time/{u=$2} /System time/{s=$2} END{print u+s}' "$1"; }
t_user() { awk -F': ' '/User time/{print $2}' "$1"; }
t_sys() { awk -F': ' '/System time/{print $2}' "$1"; }
t_rss() { awk -F': ' '/Maximum resident/{printf "%.2f", $2/1048576}' "$1"; }
med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# time_split USER SYSTEM: "user U s, system S s", and a warning when the system time exceeds half the user time. A peer's
# computation is its user time; system time is mostly page faults on fresh memory, which on a virtual machine whose
# memory is being reclaimed can exceed the computation several times: then wall and CPU ratios measure the machine,
# and the ratio to read is against the peer's user time (docs/performance.md, "Whole-process kernels against NumPy").
time_split() {
  awk -v u="$1" -v s="$2" 'BEGIN{printf "user %.2f s, system %.2f s%s", u, s,
    (s > 0.5 * u ? " [system time > half the user time: page faults; compare user time]" : "")}'
}
