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
