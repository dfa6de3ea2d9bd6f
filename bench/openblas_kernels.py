"""bench/openblas_kernels.py: make OpenBLAS, and PyTorch and NumPy through it, use this CPU's widest kernels.

OpenBLAS picks its kernels by CPU model, unless OPENBLAS_CORETYPE in the environment names a set
(some machines set OPENBLAS_CORETYPE=Haswell, AVX2, for all users). A comparison against kernels
that leave half the machine unused would flatter fcnn, so on a CPU with AVX-512 the scripts that
measure ask for the AVX-512 kernels, for every program they run (OpenBLAS, and PyTorch and NumPy,
which Debian links to it).
"""
import os
import re
import subprocess
import sys

AVX512_KERNELS = ("SkylakeX", "Cooperlake", "SapphireRapids")


def has_avx512():
    with open("/proc/cpuinfo") as cpuinfo:
        return any(line.startswith("flags") and " avx512f" in line for line in cpuinfo)


def kernels_in(matmul_output):
    """The kernel set bench/matmul reports OpenBLAS ran, or None if it did not time OpenBLAS."""
    found = re.search(r"^OpenBLAS \S+, (\S+) kernels$", matmul_output, re.M)
    return found.group(1) if found else None


def ask_for_avx512(kernels, script):
    """If this CPU has AVX-512 but OpenBLAS ran `kernels`, a narrower set, set OPENBLAS_CORETYPE for
    this process and its children, say so, and return True."""
    if kernels in AVX512_KERNELS or not has_avx512() or os.environ.get("OPENBLAS_CORETYPE") == "SkylakeX":
        return False
    told = os.environ.get("OPENBLAS_CORETYPE")
    cause = f"OPENBLAS_CORETYPE={told} in the environment" if told else "its choice for this CPU"
    print(f"{script}: this CPU has AVX-512 but OpenBLAS ran its {kernels} kernels ({cause}); "
          "measuring everything with OPENBLAS_CORETYPE=SkylakeX instead", flush=True)
    os.environ["OPENBLAS_CORETYPE"] = "SkylakeX"
    return True


def use_widest(build, script):
    """Ask bench/matmul which kernels OpenBLAS runs here, switch to AVX-512 ones if this CPU has them,
    and return the kernels it runs from now on."""
    command = [os.path.join(build, "bench", "matmul"), "--sizes", "64", "--threads", "1", "--runs", "1"]
    kernels = kernels_in(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    if kernels is None:
        sys.exit(f"{script}: bench/matmul did not time OpenBLAS (Debian: apt install libopenblas-dev, "
                 "then meson setup --reconfigure)")
    if ask_for_avx512(kernels, script):
        return use_widest(build, script)
    return kernels
