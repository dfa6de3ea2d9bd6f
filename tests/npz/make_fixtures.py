#!/usr/bin/python3
"""Writes the small .npz files that tests/test_npz.cpp reads, with NumPy itself, so that the test
checks fcnn's reader against files NumPy made. Run by hand from this folder (needs python3-numpy):

    /usr/bin/python3 make_fixtures.py

The network is 3-2-2: W1 = [[0.5, -1.25, 2], [0.25, 1, -0.5]], b1 = [0.125, -2],
W2 = [[1, -1], [0.75, 1.5]], b2 = [0, 0.0625], sigmoid then softmax, cross_entropy.
"""
import numpy as np

W1 = np.array([[0.5, -1.25, 2.0], [0.25, 1.0, -0.5]])
b1 = np.array([0.125, -2.0])
W2 = np.array([[1.0, -1.0], [0.75, 1.5]])
b2 = np.array([0.0, 0.0625])
FCNN = "fcnn-npz 1 cost cross_entropy activations sigmoid,softmax"

params = {"0.weight": W1, "0.bias": b1, "2.weight": W2, "2.bias": b2}
np.savez("numpy_savez.npz", **params, fcnn=FCNN)
np.savez_compressed("numpy_compressed.npz", **params, fcnn=FCNN)
np.savez("numpy_fortran_float32.npz",
         **{k: np.asfortranarray(v.astype("<f4")) for k, v in params.items()}, fcnn=FCNN)
np.savez("torch_state_dict.npz", **params)  # no 'fcnn': as a PyTorch state_dict is saved
np.savez("bad_dtype.npz", **{**params, "2.weight": W2.astype("<i8")}, fcnn=FCNN)
np.savez("big_endian.npz", **{**params, "0.weight": W1.astype(">f8")}, fcnn=FCNN)
np.savez("missing_bias.npz", **{k: v for k, v in params.items() if k != "2.bias"}, fcnn=FCNN)
np.savez("no_chain.npz", **{**params, "2.weight": np.ones((2, 3))}, fcnn=FCNN)
