// Tutorial 05: gradient checking, and what a bug in backprop looks like to it.
// Run: build/tutorials/05-gradient-checking
#include <cstdio>
#include <vector>

#include <fcnn/fcnn.hpp>

using fcnn::Matrix;

namespace {

// fcnn's reference backprop (lib/fcnn/backprop_reference.cpp, read in tutorial 03), copied for
// this tutorial with one line changed, a deliberate bug: BP1 forgets the sigma'(z^L) factor, a
// mistake made by mixing up the quadratic and cross-entropy costs. Every other line is the
// reference's.
// [snippet buggy]
fcnn::Gradients<double> backprop_with_a_bug(const fcnn::Network& net, const Matrix& X, const Matrix& Y) {
    const auto layers = net.layers();
    const std::size_t L = layers.size();
    std::vector<Matrix> z_s, a_s = {X};
    for (const auto& layer : layers) {
        z_s.push_back(add_bias(matmul(layer.weights, a_s.back()), layer.biases));  // z^l = W^l a^(l-1) + b^l
        a_s.push_back(layer.activation.value(z_s.back()));                         // a^l = sigma(z^l)
    }
    std::vector<Matrix> delta(L);
    // BP1: delta^L = nabla_a C (.) sigma'(z^L); the reference calls output_error(...) here
    delta[L - 1] = subtract(a_s[L], Y);  // BUG: nabla_a C = a - y alone, without (.) sigma'(z^L)
    for (std::size_t l = L - 1; l-- > 0;) {
        const Matrix& W = layers[l + 1].weights;
        // BP2: delta^l = ((W^(l+1))^T delta^(l+1)) (.) sigma'(z^l)
        delta[l] = hadamard(matmul(transpose(W), delta[l + 1]), layers[l].activation.derivative(z_s[l]));
    }
    const double one_over_n = 1.0 / static_cast<double>(X.cols());
    fcnn::Gradients<double> gradients;
    for (std::size_t l = 0; l < L; ++l) {
        gradients.nabla_b.push_back(scale(one_over_n, row_sums(delta[l])));                // BP3
        gradients.nabla_w.push_back(scale(one_over_n, matmul(delta[l], transpose(a_s[l]))));  // BP4
    }
    return gradients;
}
// [end buggy]

}  // namespace

int main() {
    // [snippet check]
    const fcnn::Network net({3, 4, 2}, {"tanh", "sigmoid"}, {.cost = "quadratic", .seed = 5});
    const Matrix X = {{0.5, -0.3, 0.8}, {0.1, 0.9, -0.7}, {-0.4, 0.2, 0.6}};  // 3 features x 3 samples
    const Matrix Y = {{1, 0, 0}, {0, 1, 1}};
    const fcnn::GradientCheckResult check = fcnn::check_gradients(net, X, Y);
    // [end check]
    std::printf("1. fcnn's backprop\n%s\n", check.report.c_str());
    std::printf("2. the deltas of BP1 and BP2\n%s\n", fcnn::check_deltas(net, X, Y).report.c_str());

    // [snippet compare]
    const fcnn::GradientCheckResult buggy = fcnn::compare_gradients(net, X, Y, backprop_with_a_bug(net, X, Y));
    // [end compare]
    std::printf("3. a backprop with a bug in BP1\n%s", buggy.report.c_str());
}
