// Tutorial 02: the forward pass of a 2-3-1 network, by hand and by fcnn.
// Run: build/tutorials/02-forward-pass
#include <iomanip>
#include <iostream>

#include <fcnn/fcnn.hpp>

#include "../worked_example.hpp"

int main() {
    const fcnn::Network net = worked_example::network();
    const fcnn::Matrix& X = worked_example::X;
    const fcnn::Matrix& Y = worked_example::Y;

    // [snippet forward]
    const auto [z_s, a_s] = net.feedforward(X);
    // [end forward]
    std::cout << "A^0 = X = " << to_string(a_s[0], 1) << "\n";
    for (std::size_t l = 0; l < z_s.size(); ++l) {
        const auto& layer = net.layers()[l];
        std::cout << "layer " << l + 1 << ": W^" << l + 1 << " = " << to_string(layer.weights, 1)
                  << "b^" << l + 1 << " = " << to_string(layer.biases, 2) << "\n";
        std::cout << "Z^" << l + 1 << " = W^" << l + 1 << " A^" << l << " + B^" << l + 1 << " = "
                  << to_string(z_s[l], 10) << "\n";
        std::cout << "A^" << l + 1 << " = " << layer.activation.name() << "(Z^" << l + 1 << ") = "
                  << to_string(a_s[l + 1], 10) << "\n";
    }
    std::cout << "cost C = (1/n) sum_x 1/2 (a - y)^2 = " << std::fixed << std::setprecision(10) << fcnn::loss(net, X, Y) << "\n";
}
