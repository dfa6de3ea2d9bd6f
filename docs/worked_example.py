#!/usr/bin/python3
"""The worked example of docs/worked-example.md, computed independently of fcnn with NumPy.

A 2-3-1 network, sigmoid in both layers, quadratic cost, a batch of two samples (columns).
tests/test_worked_example.cpp checks fcnn against the numbers this prints.
Run: /usr/bin/python3 docs/worked_example.py
"""
import numpy as np

W1 = np.array([[0.1, 0.2], [-0.3, 0.4], [0.5, -0.6]])
b1 = np.array([[0.1], [0.2], [-0.1]])
W2 = np.array([[0.7, -0.8, 0.9]])
b2 = np.array([[0.05]])
X = np.array([[1.0, 0.0], [0.5, 1.0]])
Y = np.array([[1.0, 0.0]])
n = X.shape[1]

sigmoid = lambda z: 1 / (1 + np.exp(-z))
sigmoid_prime = lambda z: sigmoid(z) * (1 - sigmoid(z))

z1 = W1 @ X + b1
a1 = sigmoid(z1)
z2 = W2 @ a1 + b2
a2 = sigmoid(z2)
cost = np.sum(0.5 * (a2 - Y) ** 2) / n

delta2 = (a2 - Y) * sigmoid_prime(z2)            # BP1
delta1 = (W2.T @ delta2) * sigmoid_prime(z1)     # BP2
nabla_b2 = delta2.sum(axis=1, keepdims=True) / n  # BP3
nabla_b1 = delta1.sum(axis=1, keepdims=True) / n
nabla_w2 = delta2 @ a1.T / n                      # BP4
nabla_w1 = delta1 @ X.T / n

np.set_printoptions(precision=10, floatmode="fixed", suppress=True)
for name, value in [("z1", z1), ("a1", a1), ("z2", z2), ("a2", a2), ("cost", cost),
                    ("delta2", delta2), ("delta1", delta1), ("nabla_b2", nabla_b2),
                    ("nabla_w2", nabla_w2), ("nabla_b1", nabla_b1), ("nabla_w1", nabla_w1)]:
    print(f"{name} =\n{value}")
