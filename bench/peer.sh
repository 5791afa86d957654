# Sourced by the bench scripts: how a peer (NumPy, SciPy, scikit-learn, PyTorch) is run and described.
# Some machines set OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE for old OpenBLAS builds; they slow a current NumPy, so a
# peer runs with both unset for its own command alone (ntk's commands keep the environment as it is).
PY=${PYTHON:-/usr/bin/python3}

# peer CMD...: runs CMD with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset.
peer() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$@"; }

# peer_config: prints both sides' configuration: the environment ntk runs in, ntk's BLAS, and the peer's BLAS
# libraries, their kernels (internal_api, architecture) and threads, read by threadpoolctl in the peer's environment.
peer_config() {
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
