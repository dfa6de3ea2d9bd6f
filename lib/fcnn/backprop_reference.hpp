// Backprop as the math reads: the four equations BP1-BP4, one line each, built only from the
// by-value teaching operations of matrix.hpp (matmul, transpose, hadamard, ...), sigma' by its
// name and the cost's gradient. Every line allocates, so it is slow; it is the reference that
// BasicNetwork::backprop, the fast path with workspaces, is tested against, bit for bit
// (tests/test_backprop_reference.cpp). Tutorial 03 reads the two side by side.
#pragma once

#include "fcnn/matrix.hpp"
#include "fcnn/network.hpp"

namespace fcnn {

// nabla_w^l and nabla_b^l of the batch X (n_0 x n) with targets Y (n_L x n), averaged over its n
// samples: the numbers of net.backprop(Y, pass.z_s, pass.a_s) after pass = net.feedforward(X).
template <typename Scalar>
Gradients<Scalar> backprop_reference(const BasicNetwork<Scalar>& net, const BasicMatrix<Scalar>& X,
                                     const BasicMatrix<Scalar>& Y);

}  // namespace fcnn
