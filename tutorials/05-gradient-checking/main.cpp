// Tutorial 05: gradient checking, and what a bug in backprop looks like to it.
// Run: build/tutorials/05-gradient-checking
#include <cstdio>
#include <vector>

#include <fcnn/fcnn.hpp>

using fcnn::Matrix;

namespace {

// A copy of fcnn's backprop with one deliberate bug, for this tutorial only: BP1 forgets the
// sigma'(z^L) factor, a mistake made by mixing up the quadratic and cross-entropy costs.
// [snippet buggy]
fcnn::Gradients<double> backprop_with_a_bug(const fcnn::Network& net, const Matrix& X, const Matrix& Y) {
    const auto [z_s, a_s] = net.feedforward(X);
    const auto layers = net.layers();
    const std::size_t L = layers.size();
    std::vector<Matrix> delta(L);
    delta[L - 1] = subtract(a_s[L], Y);  // BUG: should be (a - y) (.) sigma'(z^L) for the quadratic cost
    for (std::size_t l = L - 1; l-- > 0;)
        delta[l] = hadamard(matmul(transpose(layers[l + 1].weights), delta[l + 1]),
                            layers[l].activation.derivative(z_s[l]));
    fcnn::Gradients<double> gradients;
    const double one_over_n = 1.0 / static_cast<double>(X.cols());
    for (std::size_t l = 0; l < L; ++l) {
        gradients.nabla_b.push_back(scale(one_over_n, sum_columns(delta[l])));
        gradients.nabla_w.push_back(scale(one_over_n, matmul(delta[l], transpose(a_s[l]))));
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
