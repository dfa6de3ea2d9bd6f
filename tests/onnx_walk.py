#!/usr/bin/python3
"""Checks an ONNX file of fcnn's and runs it with NumPy, node by node (tests/test_onnx.cpp).

    onnx_walk.py MODEL.onnx INPUT.npz OUTPUT.npy

onnx.checker.check_model (with full shape inference) must accept the model; the graph's input and
output must be batch x n_0 and batch x n_L; then each node is evaluated in order from the array
'X' of INPUT.npz (samples as rows), and the graph's output is saved to OUTPUT.npy.
"""
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def shape_of(value_info):
    return [d.dim_param or d.dim_value for d in value_info.type.tensor_type.shape.dim]


def attributes(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def softmax(z, axis):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def sigmoid(z):
    return np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))


def run(node, values):
    x = [values[name] for name in node.input]
    a = attributes(node)
    if node.op_type == "Gemm":
        A, B, C = x
        A = A.T if a.get("transA", 0) else A
        B = B.T if a.get("transB", 0) else B
        return a.get("alpha", 1.0) * (A @ B) + a.get("beta", 1.0) * C
    if node.op_type == "Sigmoid":
        return sigmoid(x[0])
    if node.op_type == "Tanh":
        return np.tanh(x[0])
    if node.op_type == "Relu":
        return np.maximum(x[0], 0)
    if node.op_type == "LeakyRelu":
        return np.where(x[0] > 0, x[0], np.float32(a.get("alpha", 0.01)) * x[0])
    if node.op_type == "Softmax":
        return softmax(x[0], a.get("axis", -1))
    raise SystemExit(f"unexpected node {node.op_type}")


def main(model_path, input_path, output_path):
    model = onnx.load(model_path)
    onnx.checker.check_model(model, full_check=True)
    graph = model.graph
    values = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    X = np.load(input_path)["X"]
    n_in = X.shape[1]
    assert shape_of(graph.input[0]) == ["batch", n_in], shape_of(graph.input[0])
    values[graph.input[0].name] = X.astype(values[graph.node[0].input[1]].dtype)
    for node in graph.node:
        values[node.output[0]] = run(node, values)
    out = values[graph.output[0].name]
    assert shape_of(graph.output[0]) == ["batch", out.shape[1]], shape_of(graph.output[0])
    np.save(output_path, out.astype("<f8"))
    print(f"checker: OK; {len(graph.node)} nodes: {' '.join(n.op_type for n in graph.node)}")


if __name__ == "__main__":
    main(*sys.argv[1:])
