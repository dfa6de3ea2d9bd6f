"""Fashion-MNIST's training images and labels as NumPy arrays, for the Python benchmarks."""
import gzip
import os

import numpy as np

FOLDER = os.environ.get("FASHION_MNIST", "/usr/share/datasets/fashion-mnist")


def _idx(name, header_bytes):
    with gzip.open(os.path.join(FOLDER, name), "rb") as f:
        return np.frombuffer(f.read()[header_bytes:], dtype=np.uint8)


def training_set():
    """(images, labels): 60000 x 784 floats in [0, 1], and 60000 class numbers."""
    images = _idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32) / 255
    labels = _idx("train-labels-idx1-ubyte.gz", 8).astype(np.int64)
    return images, labels
