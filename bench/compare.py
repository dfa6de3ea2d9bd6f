#!/usr/bin/python3
"""bench/compare.py: fcnn, PyTorch and the blog's NumPy code on one Fashion-MNIST epoch, back to back.

Runs build/bench/train (float and double, 1 and 2 threads), bench/torch_mlp.py (1 and 2
threads) and bench/numpy_blog.py (1 thread), then prints each median and the issue's ratios,
and what the first layer's two products cost an epoch at the speeds fcnn and OpenBLAS reach on
their shapes (bench/matmul --training):

    /usr/bin/python3 bench/compare.py [--build build] [--epochs 3] [--small-pages]

Every program runs with OpenBLAS's widest kernels (bench/openblas_kernels.py) and, where the
kernel maps huge pages only on request, with glibc asking for them (bench/huge_pages.py).
"""
import argparse
import os
import re
import subprocess
import sys

import huge_pages
import openblas_kernels

HERE = os.path.dirname(os.path.abspath(__file__))
parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--build", default=os.path.join(HERE, "..", "build"), help="the Meson build folder")
parser.add_argument("--epochs", type=int, default=3)
parser.add_argument("--small-pages", action="store_true",
                    help="do not ask glibc for huge pages (and remove glibc.malloc.hugetlb from GLIBC_TUNABLES): "
                         "measure with the pages the kernel gives by itself")
args = parser.parse_args()


def run(command):
    print("$ " + " ".join(command), flush=True)
    result = subprocess.run(command, capture_output=True, text=True)
    sys.stdout.write(result.stdout)
    if result.returncode != 0:
        sys.exit(f"compare.py: {command[0]} failed:\n{result.stderr}")
    return result.stdout


def python_median(script, threads, epochs):
    out = run(["/usr/bin/python3", os.path.join(HERE, script), "--threads", str(threads), "--epochs", str(epochs)])
    return float(re.search(r"median: ([0-9.]+) s/epoch", out).group(1))


# The limit: an epoch's multiply-adds at the speed OpenBLAS reaches on one core in this run.
# Per sample, 784-256-128-10 costs 2P (forward) + 2P (BP4) + 2(P - P_1) (BP2, not needed for the
# input layer), with P the weights and P_1 the first layer's: about 60 GFLOP for 60,000 images.
sizes = [784, 256, 128, 10]
weights = [a * b for a, b in zip(sizes[1:], sizes[:-1])]
epoch_flop = 60000 * (4 * sum(weights) + 2 * (sum(weights) - weights[0]))
first_layer_flop = 60000 * 4 * weights[0]  # the first layer's W X and Delta X^T: 2 FLOP a weight and sample each


def limit_gflops():
    """OpenBLAS's float GFLOP/s at n = 1024 on one thread, and the kernels it ran."""
    out = run([os.path.join(args.build, "bench", "matmul"), "--sizes", "1024", "--threads", "1", "--runs", "5"])
    gflops = float(re.search(r"^float\s+1024\s+1\s+\S+\s+([0-9.]+)\s+([0-9.]+)", out, re.M).group(2))
    return gflops, openblas_kernels.kernels_in(out)


def first_layer_seconds():
    """Seconds an epoch for the first layer's two products of each batch, W X and Delta X^T (80%
    of the epoch's multiply-adds), at the speeds fcnn and OpenBLAS reach on those very shapes
    (bench/matmul --training, float, 1 thread): how far the n = 1024 limit is from these shapes."""
    out = run([os.path.join(args.build, "bench", "matmul"), "--training", "--threads", "1", "--runs", "5"])
    speeds = {name: (float(ours), float(blas)) for name, ours, blas in
              re.findall(r"^float\s+(W X|D X\^T):.*?\s1\s+\S+\s+([0-9.]+)\s+([0-9.]+)\s+[0-9.]+$", out, re.M)}
    flop = first_layer_flop / 2  # one of the two products, over all batches of an epoch
    return [sum(flop / (speeds[name][who] * 1e9) for name in ("W X", "D X^T")) for who in (0, 1)]


openblas_kernels.use_widest(args.build, "compare.py")  # on a CPU with AVX-512, for every program below
huge_pages.choose("compare.py", args.small_pages)  # for every program below
openblas_gflops, kernels = limit_gflops()
limit = epoch_flop / (openblas_gflops * 1e9)
first_layer_fcnn, first_layer_openblas = first_layer_seconds()

fcnn_out = run([os.path.join(args.build, "bench", "train"), "--epochs", str(args.epochs)])
fcnn = {(kind, int(threads)): float(seconds)
        for kind, threads, _, seconds in re.findall(r"^(float|double)\s+(\d+)\s+(\d+)\s+([0-9.]+)$", fcnn_out, re.M)}
torch_1 = python_median("torch_mlp.py", 1, args.epochs)
torch_2 = python_median("torch_mlp.py", 2, args.epochs)
numpy_1 = python_median("numpy_blog.py", 1, max(2, args.epochs - 1))

print(f"\nmedian seconds per epoch ({os.cpu_count()} cores):")
print(f"  fcnn float   1 thread {fcnn['float', 1]:7.3f}   2 threads {fcnn['float', 2]:7.3f}")
print(f"  fcnn double  1 thread {fcnn['double', 1]:7.3f}   2 threads {fcnn['double', 2]:7.3f}")
print(f"  PyTorch      1 thread {torch_1:7.3f}   2 threads {torch_2:7.3f}")
print(f"  NumPy blog   1 thread {numpy_1:7.3f}")
print(f"  limit: {epoch_flop / 1e9:.1f} GFLOP at OpenBLAS's {openblas_gflops:.1f} GFLOP/s "
      f"(1 thread, n = 1024, {kernels} kernels) = {limit:.3f} s")
share = first_layer_flop / epoch_flop
print(f"  the first layer's W X and Delta X^T ({share:.0%} of those FLOPs), at the speed each reaches on "
      f"those shapes: fcnn {first_layer_fcnn:.3f} s, OpenBLAS {first_layer_openblas:.3f} s "
      f"(the limit allots them {limit * share:.3f} s)")
print("\nratios (target in brackets):")
print(f"  fcnn float / limit, 1 thread:         {fcnn['float', 1] / limit:.2f}  [<= 1.3]")
print(f"  fcnn float / PyTorch, 1 thread:       {fcnn['float', 1] / torch_1:.2f}  [<= 0.35]")
print(f"  fcnn double / NumPy blog, 1 thread:   {fcnn['double', 1] / numpy_1:.2f}  [<= 0.35]")
print(f"  fcnn float speed-up, 2 threads:       {fcnn['float', 1] / fcnn['float', 2]:.2f}x [>= 1.8]")
print(f"  fcnn double speed-up, 2 threads:      {fcnn['double', 1] / fcnn['double', 2]:.2f}x [>= 1.8]")
