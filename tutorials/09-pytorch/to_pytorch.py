#!/usr/bin/python3
"""An fcnn model in PyTorch: load the arrays of `fcnn convert m.model m.npz` into nn.Sequential.

    /usr/bin/python3 to_pytorch.py fashion.npz
"""
import sys

import numpy as np
import torch
from torch import nn

import fashion

# [snippet load]
arrays = np.load(sys.argv[1])
print(str(arrays["fcnn"]))  # fcnn-npz 1 cost cross_entropy activations relu,relu,softmax
model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10), nn.Softmax(dim=1))
model.load_state_dict({k: torch.from_numpy(v) for k, v in arrays.items() if k != "fcnn"})
# [end load]

# [snippet evaluate]
images, labels = fashion.load("t10k")
with torch.no_grad():
    a = model.double()(torch.from_numpy(images).double())  # 10000 x 10: one sample per row
accuracy = (a.argmax(dim=1).numpy() == labels).mean()
print(f"PyTorch: test accuracy {accuracy:.4f} on {len(labels)} images")
# [end evaluate]
