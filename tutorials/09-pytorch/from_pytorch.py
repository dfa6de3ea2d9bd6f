#!/usr/bin/python3
"""A network trained in PyTorch, saved for fcnn: a state_dict as NumPy arrays.

    /usr/bin/python3 from_pytorch.py torch.npz

Prints PyTorch's test accuracy and writes it to torch.npz.accuracy, for the comparison with
`fcnn evaluate` that run.sh makes.
"""
import sys

import numpy as np
import torch
from torch import nn

import fashion

torch.manual_seed(1)
torch.set_num_threads(1)
images, labels = fashion.load("train")
X, y = torch.from_numpy(images), torch.from_numpy(labels)

# [snippet train]
model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(1):
    for batch in torch.randperm(len(X)).split(32):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(X[batch]), y[batch]).backward()  # softmax + cross-entropy
        optimizer.step()
np.savez(sys.argv[1], **{k: v.numpy() for k, v in model.state_dict().items()})
# [end train]

test_images, test_labels = fashion.load("t10k")
with torch.no_grad():
    a = torch.softmax(model.double()(torch.from_numpy(test_images).double()), dim=1)
accuracy = (a.argmax(dim=1).numpy() == test_labels).mean()
with open(sys.argv[1] + ".accuracy", "w") as f:
    f.write(f"{accuracy:.4f}\n")
print(f"PyTorch trained {list(model.state_dict())}")
