#!/usr/bin/python3
"""bench/torch_mlp.py: seconds per Fashion-MNIST epoch in PyTorch for bench/train's network.

784-256-128-10 relu/relu/softmax, cross-entropy, plain SGD with lr 0.1, batch 32, float32, on
the CPU; median of the epochs timed. Run it with Debian's python3 (python3-torch):

    /usr/bin/python3 bench/torch_mlp.py --threads 1 --epochs 3
    /usr/bin/python3 bench/torch_mlp.py --layers 784,1024,1024,10 --batch 1 --samples 2048 --epochs 2

--samples N trains on the first N images and scales the seconds to 60,000 (as bench/train does);
the first epoch is then left out of the median.

OPENBLAS_NUM_THREADS is set to the same thread count before torch is imported.
"""
import argparse
import os
import statistics
import sys
import time

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--epochs", type=int, default=3)
parser.add_argument("--batch", type=int, default=32)
parser.add_argument("--layers", default="784,256,128,10")
parser.add_argument("--samples", type=int, default=0)
args = parser.parse_args()
os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
os.environ["OMP_NUM_THREADS"] = str(args.threads)

import torch  # noqa: E402 (after the thread settings)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fashion_mnist import training_set  # noqa: E402

torch.set_num_threads(args.threads)
torch.manual_seed(1)
images, labels = training_set()
everything = len(labels)
if 0 < args.samples < everything:
    images, labels = images[:args.samples], labels[:args.samples]
X, y = torch.from_numpy(images), torch.from_numpy(labels)
sizes = [int(n) for n in args.layers.split(",")]
modules = []
for n_in, n_out in zip(sizes, sizes[1:]):
    modules += [torch.nn.Linear(n_in, n_out), torch.nn.ReLU()]
model = torch.nn.Sequential(*modules[:-1])  # no relu on the output: softmax is inside the cross-entropy loss
loss_function = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

print(f"bench/torch_mlp.py: PyTorch {torch.__version__}, {torch.get_num_threads()} thread(s), "
      f"{len(y)} images, layers {args.layers}, batch {args.batch}, {args.epochs} epochs")
seconds = []
for epoch in range(1, args.epochs + 1):
    start = time.perf_counter()
    order = torch.randperm(len(y))
    total = 0.0
    for first in range(0, len(y), args.batch):
        batch = order[first:first + args.batch]
        loss = loss_function(model(X[batch]), y[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(batch)
    seconds.append(time.perf_counter() - start)
    print(f"    epoch {epoch}: {seconds[-1]:.3f} s, loss {total / len(y):.4f}", flush=True)
scale = everything / len(y)
if scale != 1 and len(seconds) > 1:
    seconds = seconds[1:]
print(f"median: {statistics.median(seconds) * scale:.3f} s/epoch")
