// Tutorial 03: backpropagation on the 2-3-1 network of tutorial 02, one equation at a time.
// Run: build/tutorials/03-backprop
#include <iostream>

#include <fcnn/fcnn.hpp>

#include "../worked_example.hpp"

using fcnn::Matrix;

namespace {

void show(const char* name, const Matrix& M) { std::cout << name << " = " << to_string(M, 10); }

}  // namespace

int main() {
    const fcnn::Network net = worked_example::network();
    const Matrix& X = worked_example::X;
    const Matrix& Y = worked_example::Y;
    const auto [z_s, a_s] = net.feedforward(X);
    const fcnn::Activation& sigmoid = net.layers()[0].activation;

    std::cout << "BP1: delta^2 = nabla_a C (.) sigma'(z^2)\n";
    show("  a^2 - y", subtract(a_s[2], Y));
    show("  sigma'(z^2)", sigmoid.derivative(z_s[1]));
    // [snippet deltas]
    const std::vector<Matrix> deltas = net.deltas(Y, z_s, a_s);  // deltas[1] is delta^2, deltas[0] is delta^1
    // [end deltas]
    show("  delta^2", deltas[1]);

    std::cout << "\nBP2: delta^1 = ((W^2)^T delta^2) (.) sigma'(z^1)\n";
    show("  (W^2)^T delta^2", matmul(transpose(net.layers()[1].weights), deltas[1]));
    show("  sigma'(z^1)", sigmoid.derivative(z_s[0]));
    show("  delta^1", deltas[0]);

    // [snippet gradients]
    const auto [nabla_w, nabla_b] = net.backprop(Y, z_s, a_s);  // BP3 and BP4, averaged over the batch
    // [end gradients]
    std::cout << "\nBP3: nabla_b^l = (1/n) sum over samples of delta^l\n";
    show("  nabla_b^2", nabla_b[1]);
    show("  nabla_b^1", nabla_b[0]);

    std::cout << "\nBP4: nabla_w^l = (1/n) delta^l (a^(l-1))^T\n";
    show("  nabla_w^2", nabla_w[1]);
    show("  nabla_w^1", nabla_w[0]);
}
