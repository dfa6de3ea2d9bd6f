// Backprop against central differences over every activation x cost combination the library
// accepts, on several architectures, for nabla_w, nabla_b and the deltas of BP1 and BP2.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fcnn/gradient_check.hpp>
#include <fcnn/random.hpp>

using fcnn::Matrix;
using fcnn::Network;

namespace {

const double tolerance = 1e-7;
const std::vector<std::string> hidden_activations = {"sigmoid", "tanh", "relu", "leaky_relu", "linear"};
const std::vector<std::vector<std::size_t>> architectures = {{3, 4}, {3, 5, 4}, {4, 6, 3, 4}, {2, 3, 3, 3, 3}};

struct Pairing {
    std::string cost;
    std::vector<std::string> outputs;  // the output activations this cost accepts
};
const std::vector<Pairing> pairings = {
    {"quadratic", {"sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax"}},
    {"binary_cross_entropy", {"sigmoid"}},
    {"cross_entropy", {"softmax", "sigmoid"}},
};

Matrix random_matrix(std::size_t rows, std::size_t cols, fcnn::Random& random) {
    Matrix M(rows, cols);
    for (double& x : M.values()) x = 2 * random.uniform() - 1;
    return M;
}

// Targets the cost accepts: one-hot columns for cross_entropy, values in [0, 1) otherwise.
Matrix targets(const std::string& cost, std::size_t rows, std::size_t cols, fcnn::Random& random) {
    Matrix Y(rows, cols);
    for (std::size_t j = 0; j < cols; ++j) {
        if (cost == "cross_entropy")
            Y(random.below(rows), j) = 1;
        else
            for (std::size_t i = 0; i < rows; ++i) Y(i, j) = random.uniform();
    }
    return Y;
}

}  // namespace

TEST_CASE("backprop matches central differences for every activation x cost on 4 architectures") {
    double worst_gradient = 0, worst_delta = 0;
    std::size_t networks = 0;
    fcnn::Random random(2024);
    for (const auto& sizes : architectures)
        for (const Pairing& pairing : pairings)
            for (const std::string& output : pairing.outputs)
                for (const std::string& hidden : hidden_activations) {
                    std::vector<std::string> activations(sizes.size() - 2, hidden);
                    activations.push_back(output);
                    // nielsen's random biases keep every z away from relu's kink at exactly 0,
                    // where the derivative is a convention and central differences disagree.
                    // (A relu output layer can also be dead for every sample, all its gradients 0,
                    // which the check rightly refuses to pass: with seeds counting from 1, one of these
                    // networks was dead, so they count from 101.)
                    const Network net(sizes, activations, {.cost = pairing.cost, .init = "nielsen", .seed = 100 + ++networks});
                    const Matrix X = random_matrix(sizes.front(), 8, random);
                    const Matrix Y = targets(pairing.cost, sizes.back(), 8, random);
                    const auto gradients = fcnn::check_gradients(net, X, Y, tolerance);
                    const auto deltas = fcnn::check_deltas(net, X, Y, tolerance);
                    INFO(pairing.cost, " with ", output, " output, ", hidden, " hidden, ", sizes.size(), " sizes");
                    INFO(gradients.report);
                    INFO(deltas.report);
                    CHECK(gradients.passed);
                    CHECK(deltas.passed);
                    worst_gradient = std::max(worst_gradient, gradients.relative_error);
                    worst_delta = std::max(worst_delta, deltas.relative_error);
                    if (sizes.size() == 2) break;  // no hidden layer: one pass is enough
                }
    std::printf("gradient check: %zu networks, largest relative error %.3e (nabla_w, nabla_b), %.3e (deltas)\n",
                networks, worst_gradient, worst_delta);
    // 9 (cost, output) pairings, times 5 hidden activations on each of the 3 deeper architectures,
    // plus the 9 pairings once on the architecture without a hidden layer. (softmax with
    // binary_cross_entropy is refused by the constructor: tests/test_cost.cpp.)
    CHECK(networks == 9 * 5 * 3 + 9);
}

TEST_CASE("the report says OK, the errors, the tolerance and the first values") {
    const Network net({2, 3, 1}, {"tanh", "sigmoid"}, {.seed = 3});
    const auto result = fcnn::check_gradients(net, Matrix{{0.5, -0.2}, {0.1, 0.9}}, Matrix{{1, 0}});
    CHECK(result.passed);
    CHECK(result.checked == 3 * 2 + 3 + 1 * 3 + 1);
    CHECK(result.report.find("gradient check of nabla_w and nabla_b, 13 values: OK") == 0);
    CHECK(result.report.find("(tolerance 1.0e-07)") != std::string::npos);
    CHECK(result.report.find("W^1(0, 0)") != std::string::npos);
}

TEST_CASE("the report gives each matrix's error, output layer first, so a wrong layer points at its equation") {
    const Network net({2, 3, 1}, {"tanh", "sigmoid"}, {.seed = 3});
    const Matrix X = {{0.5, -0.2}, {0.1, 0.9}}, Y = {{1, 0}};
    const auto [z_s, a_s] = net.feedforward(X);
    const auto names = [](const fcnn::GradientCheckResult& result) {
        std::string text;
        for (const fcnn::MatrixError& e : result.by_matrix) text += e.matrix + "@" + std::to_string(e.layer) + " ";
        return text;
    };
    // A bug that only the hidden layer's errors carry, as a wrong BP2 would: b^1 and W^1 off by
    // a factor, the output layer right.
    fcnn::Gradients<double> hidden_wrong = net.backprop(Y, z_s, a_s);
    hidden_wrong.nabla_w[0] = scale(3.0, hidden_wrong.nabla_w[0]);
    hidden_wrong.nabla_b[0] = scale(3.0, hidden_wrong.nabla_b[0]);
    const auto result = fcnn::compare_gradients(net, X, Y, hidden_wrong);
    INFO(result.report);
    CHECK_FALSE(result.passed);
    CHECK(names(result) == "W^2@2 b^2@2 W^1@1 b^1@1 ");
    CHECK(result.by_matrix[0].relative_error < tolerance);  // the output layer: right
    CHECK(result.by_matrix[1].relative_error < tolerance);
    CHECK(result.by_matrix[2].relative_error == doctest::Approx(0.5).epsilon(1e-6));  // (3g - g) / (3g + g)
    CHECK(result.by_matrix[3].relative_error == doctest::Approx(0.5).epsilon(1e-6));
    CHECK(result.report.find("  relative error by layer, from the output back:\n    layer 2:  W^2 ") != std::string::npos);
    CHECK(result.report.find("\n    layer 1:  W^1 5.000e-01  b^1 5.000e-01\n") != std::string::npos);
    // The deltas' check speaks of layers in the same order.
    CHECK(names(fcnn::check_deltas(net, X, Y)) == "delta^2@2 delta^1@1 ");
}

TEST_CASE("a check on all-zero gradients fails instead of passing") {
    // A linear network that already fits its targets exactly: every gradient is 0, and
    // "0 equals 0" would prove nothing about backprop.
    Network net({1, 1}, {"linear"});
    net.layers()[0].weights = Matrix{{2.0}};
    net.layers()[0].biases = Matrix{{0.0}};
    const Matrix X = {{1, 2}}, Y = {{2, 4}};
    const auto result = fcnn::check_gradients(net, X, Y);
    CHECK_FALSE(result.passed);
    CHECK(result.report.find("every analytic gradient is zero") != std::string::npos);
    CHECK_FALSE(fcnn::check_deltas(net, X, Y).passed);
}

TEST_CASE("the check catches a gradient that is wrong: relu' at its kink") {
    // Hidden unit 0 has z = 0 exactly. relu'(0) is taken as 0, so backprop says its weights do
    // not matter, while the central difference sees half the slope. The check must notice.
    Network net({1, 2, 1}, {"relu", "linear"});
    net.layers()[0].weights = Matrix{{0.0}, {1.0}};
    net.layers()[0].biases = Matrix{{0.0}, {0.5}};
    net.layers()[1].weights = Matrix{{1.0, 1.0}};
    net.layers()[1].biases = Matrix{{0.0}};
    const Matrix X = {{1.0}}, Y = {{3.0}};
    const auto result = fcnn::check_gradients(net, X, Y);
    INFO(result.report);
    CHECK_FALSE(result.passed);
    CHECK(result.relative_error > 0.01);
    CHECK(result.report.find("NOT OK") != std::string::npos);
}
