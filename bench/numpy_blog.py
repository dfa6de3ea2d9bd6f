#!/usr/bin/python3
"""bench/numpy_blog.py: seconds per Fashion-MNIST epoch for the blog's NumPy network.

The blog fcnn grew from, in its own shape: feedforward keeps the lists z_s and a_s,
backpropagation returns dw and db from BP1-BP4, samples are columns, float64 (NumPy's
default). Its batch-slicing bug is fixed (batches are columns here). bench/train's network:
784-256-128-10 relu/relu/softmax, cross-entropy, SGD lr 0.1, batch 32.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/numpy_blog.py --epochs 2
"""
import argparse
import os
import statistics
import sys
import time

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--epochs", type=int, default=2)
args = parser.parse_args()
os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)

import numpy as np  # noqa: E402 (after the thread setting)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fashion_mnist import training_set  # noqa: E402


class NeuralNetwork:
    def __init__(self, layers, seed=1):
        rng = np.random.default_rng(seed)
        self.weights = [rng.normal(0, np.sqrt(2 / n_in), (n_out, n_in)) for n_in, n_out in zip(layers, layers[1:])]
        self.biases = [np.zeros((n_out, 1)) for n_out in layers[1:]]

    def feedforward(self, x):
        a = np.copy(x)
        z_s, a_s = [], [a]
        for i, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = w.dot(a) + b
            z_s.append(z)
            if i + 1 < len(self.weights):
                a = np.maximum(z, 0)
            else:
                e = np.exp(z - z.max(axis=0))
                a = e / e.sum(axis=0)
            a_s.append(a)
        return z_s, a_s

    def backpropagation(self, y, z_s, a_s):
        dw, db = [None] * len(self.weights), [None] * len(self.biases)
        deltas = [None] * len(self.weights)
        deltas[-1] = a_s[-1] - y  # BP1, softmax with cross-entropy
        for i in reversed(range(len(deltas) - 1)):  # BP2
            deltas[i] = self.weights[i + 1].T.dot(deltas[i + 1]) * (z_s[i] > 0)
        batch_size = y.shape[1]
        db = [d.dot(np.ones((batch_size, 1))) / batch_size for d in deltas]  # BP3
        dw = [d.dot(a_s[i].T) / batch_size for i, d in enumerate(deltas)]  # BP4
        return dw, db

    def train_epoch(self, x, y, batch_size, lr, rng):
        order = rng.permutation(x.shape[1])
        for first in range(0, x.shape[1], batch_size):
            batch = order[first:first + batch_size]
            x_batch, y_batch = x[:, batch], y[:, batch]
            z_s, a_s = self.feedforward(x_batch)
            dw, db = self.backpropagation(y_batch, z_s, a_s)
            self.weights = [w - lr * d for w, d in zip(self.weights, dw)]
            self.biases = [b - lr * d for b, d in zip(self.biases, db)]


images, labels = training_set()
x = images.T.astype(np.float64)  # 784 x 60000: samples are columns
y = np.eye(10)[labels].T
network = NeuralNetwork([784, 256, 128, 10])
rng = np.random.default_rng(1)
print(f"bench/numpy_blog.py: NumPy {np.__version__}, OPENBLAS_NUM_THREADS={args.threads}, float64, "
      f"{x.shape[1]} images, batch 32, {args.epochs} epochs")
seconds = []
for epoch in range(1, args.epochs + 1):
    start = time.perf_counter()
    network.train_epoch(x, y, 32, 0.1, rng)
    seconds.append(time.perf_counter() - start)
    print(f"    epoch {epoch}: {seconds[-1]:.3f} s", flush=True)
print(f"median: {statistics.median(seconds):.3f} s/epoch")
