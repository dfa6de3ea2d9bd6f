"""Fashion-MNIST as fcnn reads it: Debian's gzipped IDX files, pixels / 255 in float32."""
import gzip

import numpy as np

FOLDER = "/usr/share/datasets/fashion-mnist"


def load(part):  # part: "train" or "t10k"; images n x 784 (one per row, as PyTorch holds them), labels n
    with gzip.open(f"{FOLDER}/{part}-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)
    with gzip.open(f"{FOLDER}/{part}-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    return images.astype(np.float32) / np.float32(255), labels.astype(np.int64)
