#include <cmath>
#include <stdexcept>
#include <numeric>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fcnn/init.hpp>
#include <fcnn/network.hpp>
#include <fcnn/training.hpp>

#include "check.hpp"

using fcnn::Matrix;
using fcnn::Network;

TEST_CASE("the blog's constructor: sizes, one activation per layer, W^l is n_l x n_(l-1)") {
    const Network net({2, 10, 1}, {"sigmoid", "sigmoid"});
    REQUIRE(net.layers().size() == 2);
    CHECK(net.layers()[0].weights.shape() == "10x2");
    CHECK(net.layers()[0].biases.shape() == "10x1");
    CHECK(net.layers()[1].weights.shape() == "1x10");
    CHECK(net.layers()[1].biases.shape() == "1x1");
    CHECK(net.sizes() == std::vector<std::size_t>{2, 10, 1});
    CHECK(net.cost().name() == "quadratic");
}

TEST_CASE("construction errors say what was wrong and what was expected") {
    CHECK_THROWS_WITH_AS(Network({2, 3, 1}, {"sigmoid"}),
                         "Network: 3 sizes need 2 activations (one per layer after the input), got 1",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(Network({2}, {}), "Network: sizes needs at least 2 entries (inputs and outputs), got 1",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(Network({2, 0, 1}, {"relu", "sigmoid"}),
                         "Network: layer sizes must be at least 1, but sizes[1] is 0", std::invalid_argument);
    CHECK_THROWS_WITH_AS(Network({2, 3, 1}, {"relu", "sigmod"}),
                         "unknown activation 'sigmod'; known activations: sigmoid, tanh, relu, leaky_relu, linear, softmax",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(Network({2, 3, 2}, {"softmax", "sigmoid"}),
                         "Network: softmax is supported only as the output activation, but layer 1 of 2 uses it",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(Network({2, 1}, {"sigmoid"}, {.cost = "mse"}),
                         "unknown cost 'mse'; known costs: quadratic, cross_entropy, binary_cross_entropy",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(Network({2, 1}, {"sigmoid"}, {.init = "glorot"}),
                         "unknown init 'glorot'; known inits: standard_normal, nielsen, xavier, he", std::invalid_argument);
}

TEST_CASE("layers given by hand are checked against each other") {
    using fcnn::Activation;
    const Activation relu("relu");
    CHECK_THROWS_WITH_AS(Network({{Matrix(3, 2), Matrix(3, 1), relu}, {Matrix(1, 4), Matrix(1, 1), relu}},
                                 fcnn::Cost("quadratic")),
                         "Network: layer 2 must take as many inputs as layer 1 gives outputs: W^1 is 3x2, W^2 is 1x4", std::invalid_argument);
    CHECK_THROWS_WITH_AS(Network({{Matrix(3, 2), Matrix(2, 1), relu}}, fcnn::Cost("quadratic")),
                         "Network: layer 1: b must be one column as tall as W: W^1 is 3x2, b^1 is 2x1",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(Network({}, fcnn::Cost("quadratic")), "Network: needs at least one layer", std::invalid_argument);
}

TEST_CASE("feedforward keeps z_s and a_s, with a_s[0] the input") {
    const Network net({3, 4, 2}, {"tanh", "sigmoid"}, {.seed = 2});
    const Matrix X(3, 5, 0.5);
    const auto [z_s, a_s] = net.feedforward(X);
    REQUIRE(z_s.size() == 2);
    REQUIRE(a_s.size() == 3);
    CHECK(a_s[0] == X);
    CHECK(z_s[0].shape() == "4x5");
    CHECK(a_s[1] == net.layers()[0].activation.value(z_s[0]));
    CHECK(z_s[1] == add_bias(matmul(net.layers()[1].weights, a_s[1]), net.layers()[1].biases));
    CHECK(a_s[2] == net.predict(X));
}

TEST_CASE("input and target shapes are checked with the expected shape in the message") {
    const Network net({3, 4, 2}, {"tanh", "sigmoid"});
    CHECK_THROWS_WITH_AS(net.feedforward(Matrix(5, 3)),
                         "feedforward: X must have 3 rows, one per input (samples are columns): X is 5x3",
                         std::invalid_argument);
    const auto [z_s, a_s] = net.feedforward(Matrix(3, 6));
    CHECK_THROWS_WITH_AS(net.backprop(Matrix(6, 2), z_s, a_s),
                         "backprop: Y must be 2x6 (one column of 2 targets per sample): Y is 6x2",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(net.backprop(Matrix(2, 6), {z_s[0]}, a_s),
                         "backprop: expected 2 z_s and 3 a_s (one per layer, plus the input), got 1 and 3",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(fcnn::loss(net, Matrix(3, 6), Matrix(2, 5)),
                         "loss: Y must be 2x6 (one column of 2 targets per sample): Y is 2x5", std::invalid_argument);
}

TEST_CASE("backprop computes fresh gradients: calling it twice gives the same answer") {
    const Network net({3, 5, 2}, {"relu", "sigmoid"}, {.seed = 11});
    const Matrix X = {{0.1, -0.4, 0.9}, {0.5, 0.2, -0.3}, {-0.7, 0.8, 0.05}};
    const Matrix Y = {{1, 0, 0}, {0, 1, 1}};
    const auto [z_s, a_s] = net.feedforward(X);
    const auto first = net.backprop(Y, z_s, a_s);
    const auto second = net.backprop(Y, z_s, a_s);
    CHECK(first.nabla_w == second.nabla_w);
    CHECK(first.nabla_b == second.nabla_b);
    CHECK(first.nabla_w[0].shape() == net.layers()[0].weights.shape());
    CHECK(first.nabla_b[1].shape() == net.layers()[1].biases.shape());
}

TEST_CASE("gradients are averaged over the batch: a batch of one sample twice equals that sample alone") {
    const Network net({2, 3, 1}, {"sigmoid", "sigmoid"}, {.seed = 5});
    const Matrix x = {{0.3}, {-0.6}}, y = {{1}};
    const Matrix xx = {{0.3, 0.3}, {-0.6, -0.6}}, yy = {{1, 1}};
    const auto one = net.feedforward(x);
    const auto two = net.feedforward(xx);
    const auto single = net.backprop(y, one.z_s, one.a_s);
    const auto doubled = net.backprop(yy, two.z_s, two.a_s);
    for (std::size_t l = 0; l < 2; ++l) {
        fcnn_test::check_close(doubled.nabla_w[l], single.nabla_w[l], 1e-16);
        fcnn_test::check_close(doubled.nabla_b[l], single.nabla_b[l], 1e-16);
    }
}

TEST_CASE("update takes one step W -= eta nabla_w, b -= eta nabla_b") {
    Network net({1, 1}, {"linear"});
    net.layers()[0].weights = {{2.0}};
    net.layers()[0].biases = {{1.0}};
    net.update({{Matrix{{4.0}}}, {Matrix{{-2.0}}}}, 0.25);
    CHECK(net.layers()[0].weights == Matrix{{1.0}});
    CHECK(net.layers()[0].biases == Matrix{{1.5}});
    CHECK_THROWS_WITH_AS(net.update({}, 0.1), "update: expected gradients for 1 layers, got 0 nabla_w and 0 nabla_b",
                         std::invalid_argument);
}

TEST_CASE("the same seed gives the same weights; another seed gives others") {
    const Network a({4, 3, 2}, {"relu", "softmax"}, {.cost = "cross_entropy", .seed = 42});
    const Network b({4, 3, 2}, {"relu", "softmax"}, {.cost = "cross_entropy", .seed = 42});
    const Network c({4, 3, 2}, {"relu", "softmax"}, {.cost = "cross_entropy", .seed = 43});
    CHECK(a.layers()[0].weights == b.layers()[0].weights);
    CHECK(a.layers()[1].biases == b.layers()[1].biases);
    CHECK(a.layers()[0].weights != c.layers()[0].weights);
}

namespace {

double standard_deviation(const Matrix& M) {
    const auto v = M.values();
    const double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    double squares = 0;
    for (double x : v) squares += (x - mean) * (x - mean);
    return std::sqrt(squares / static_cast<double>(v.size()));
}

}  // namespace

TEST_CASE("initialisers draw weights with their standard deviations") {
    struct Case { const char* init; double stddev; bool random_biases; };
    // a 400 -> 200 layer: 80,000 weights, so the sample deviation is within 1% of the true one
    for (const Case& c : {Case{"standard_normal", 1.0, true}, Case{"nielsen", 1 / std::sqrt(400.0), true},
                          Case{"xavier", std::sqrt(2.0 / 600), false}, Case{"he", std::sqrt(2.0 / 400), false}}) {
        CAPTURE(c.init);
        CHECK(fcnn::Init(c.init).name() == c.init);
        const Network net({400, 200}, {"relu"}, {.init = c.init, .seed = 8});
        CHECK(standard_deviation(net.layers()[0].weights) == doctest::Approx(c.stddev).epsilon(0.02));
        if (c.random_biases)
            CHECK(standard_deviation(net.layers()[0].biases) == doctest::Approx(1.0).epsilon(0.2));
        else
            CHECK(net.layers()[0].biases == Matrix(200, 1));
    }
}

TEST_CASE("class labels are one-hot columns or one row of 0s and 1s") {
    CHECK(fcnn::holds_class_labels(Matrix{{0, 1, 1, 0}}));
    CHECK(fcnn::holds_class_labels(Matrix{{0, 1}, {1, 0}, {0, 0}}));
    CHECK_FALSE(fcnn::holds_class_labels(Matrix{{0.5, 1}}));
    CHECK_FALSE(fcnn::holds_class_labels(Matrix{{1, 1}, {1, 0}}));
    CHECK(fcnn::count_correct(Matrix{{0.2, 0.7, 0.5}}, Matrix{{0, 0, 1}}) == 2);
    CHECK(fcnn::count_correct(Matrix{{0.2, 0.7}, {0.8, 0.3}}, Matrix{{0, 0}, {1, 1}}) == 1);
    const Network net({2, 2}, {"linear"});
    CHECK_THROWS_WITH_AS(fcnn::accuracy(net, Matrix(2, 1), Matrix{{0.5}, {0.5}}),
                         "accuracy: Y must hold class labels: one-hot columns, or one row of 0s and 1s",
                         std::invalid_argument);
}
