// Each update rule against steps computed by hand.
#include <cmath>
#include <stdexcept>

#include <doctest/doctest.h>
#include <fcnn/optimizer.hpp>
#include <fcnn/training.hpp>

using fcnn::Matrix;

namespace {

// A 1-input, 1-output linear network with W = 1, b = 2, and fixed gradients.
fcnn::Network one_weight() {
    fcnn::Network net({1, 1}, {"linear"});
    net.layers()[0].weights = {{1.0}};
    net.layers()[0].biases = {{2.0}};
    return net;
}

const fcnn::Gradients<double> gradients{{Matrix{{0.5}}}, {Matrix{{-1.0}}}};

}  // namespace

TEST_CASE("sgd: theta -= eta g; l2 adds lambda W to the weights' gradient only") {
    fcnn::Network net = one_weight();
    fcnn::Optimizer sgd({.name = "sgd", .learning_rate = 0.1});
    sgd.step(fcnn::parameters(net, gradients));
    CHECK(net.layers()[0].weights(0, 0) == doctest::Approx(1 - 0.1 * 0.5));
    CHECK(net.layers()[0].biases(0, 0) == doctest::Approx(2 + 0.1 * 1.0));

    fcnn::Network decayed = one_weight();
    fcnn::Optimizer l2({.name = "sgd", .learning_rate = 0.1, .l2 = 0.2});
    l2.step(fcnn::parameters(decayed, gradients));
    CHECK(decayed.layers()[0].weights(0, 0) == doctest::Approx(1 - 0.1 * (0.5 + 0.2 * 1)));  // 0.93
    CHECK(decayed.layers()[0].biases(0, 0) == doctest::Approx(2.1));
}

TEST_CASE("momentum: v = mu v - eta g, theta += v, over two steps") {
    fcnn::Network net = one_weight();
    fcnn::Optimizer momentum({.name = "momentum", .learning_rate = 0.1, .momentum = 0.9});
    momentum.step(fcnn::parameters(net, gradients));  // v = -0.05, W = 0.95
    CHECK(net.layers()[0].weights(0, 0) == doctest::Approx(0.95));
    momentum.step(fcnn::parameters(net, gradients));  // v = 0.9 * -0.05 - 0.05 = -0.095, W = 0.855
    CHECK(net.layers()[0].weights(0, 0) == doctest::Approx(0.855));
    CHECK(net.layers()[0].biases(0, 0) == doctest::Approx(2 + 0.1 + 0.19));  // v_b = 0.1, then 0.19
}

TEST_CASE("adam: bias-corrected moments, over two steps") {
    fcnn::Network net = one_weight();
    fcnn::Optimizer adam({.name = "adam", .learning_rate = 0.01});
    adam.step(fcnn::parameters(net, gradients));
    // t = 1: m = 0.1 g, s = 0.001 g^2; m/(1 - 0.9) = g, s/(1 - 0.999) = g^2: the step is eta g/|g| = eta
    CHECK(net.layers()[0].weights(0, 0) == doctest::Approx(1 - 0.01).epsilon(1e-9));
    CHECK(net.layers()[0].biases(0, 0) == doctest::Approx(2 + 0.01).epsilon(1e-9));
    const fcnn::Gradients<double> other{{Matrix{{-0.25}}}, {Matrix{{-1.0}}}};
    adam.step(fcnn::parameters(net, other));
    // t = 2: m = 0.9 * 0.05 + 0.1 * -0.25 = 0.02, s = 0.999 * 0.00025 + 0.001 * 0.0625 = 0.00031225
    const double m_hat = 0.02 / (1 - 0.81), s_hat = 0.00031225 / (1 - 0.998001);
    CHECK(net.layers()[0].weights(0, 0) == doctest::Approx(0.99 - 0.01 * m_hat / (std::sqrt(s_hat) + 1e-8)).epsilon(1e-9));
}

TEST_CASE("optimizer settings are checked") {
    CHECK_THROWS_WITH_AS(fcnn::Optimizer({.name = "rmsprop"}), "unknown optimizer 'rmsprop'; known optimizers: sgd, momentum, adam",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(fcnn::Optimizer({.learning_rate = 0}), "optimizer: the learning rate must be a positive number, got 0.000000",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(fcnn::Optimizer({.name = "momentum", .momentum = 1.0}),
                         "optimizer: momentum must be in [0, 1), got 1.000000", std::invalid_argument);
    CHECK_THROWS_WITH_AS(fcnn::Optimizer({.l2 = -1}), "optimizer: l2 must be 0 or more, got -1.000000", std::invalid_argument);
}

TEST_CASE("train with each optimizer learns XOR") {
    const Matrix X = {{0, 0, 1, 1}, {0, 1, 0, 1}}, Y = {{0, 1, 1, 0}};
    for (const char* name : {"sgd", "momentum", "adam"}) {
        CAPTURE(name);
        fcnn::Network net({2, 4, 1}, {"tanh", "sigmoid"}, {.cost = "binary_cross_entropy", .init = "xavier", .seed = 2});
        const double rate = std::string(name) == "adam" ? 0.05 : 0.5;
        fcnn::train(net, X, Y, {.batch_size = 4, .epochs = 1000, .optimizer = {.name = name, .learning_rate = rate}});
        CHECK(fcnn::accuracy(net, X, Y) == 1.0);
    }
}

TEST_CASE("learning_rate_decay multiplies eta after every epoch") {
    // A linear net on one sample, sgd: with the decay the steps shrink by the factor each epoch.
    const Matrix X = {{1.0}}, Y = {{0.0}};
    fcnn::Network constant = one_weight(), decayed = one_weight();
    fcnn::train(constant, X, Y, {.batch_size = 1, .epochs = 2, .optimizer = {.learning_rate = 0.1}, .shuffle = false});
    fcnn::train(decayed, X, Y, {.batch_size = 1, .epochs = 2, .optimizer = {.learning_rate = 0.1}, .shuffle = false, .learning_rate_decay = 0.5});
    // epoch 1 (eta 0.1): a = w + b = 3, nabla_w = nabla_b = 3: w = 0.7, b = 1.7.
    // epoch 2: a = 2.4; constant eta 0.1: w = 0.46; decayed eta 0.05: w = 0.58.
    CHECK(constant.layers()[0].weights(0, 0) == doctest::Approx(0.46));
    CHECK(decayed.layers()[0].weights(0, 0) == doctest::Approx(0.58));
    CHECK_THROWS_WITH_AS(fcnn::train(decayed, X, Y, {.learning_rate_decay = 1.5}), "train: learning_rate_decay must be in (0, 1], got 1.500000",
                         std::invalid_argument);
}

TEST_CASE("train passes every optimizer setting through, Adam's beta1, beta2 and epsilon too") {
    // One batch, one epoch: train's step must equal one step of an optimizer built by hand from
    // the same settings. Non-default betas and epsilon change the step, so a dropped setting shows.
    const Matrix X = {{0.5, -1.0}, {0.25, 2.0}}, Y = {{1.0, 0.0}};
    const fcnn::OptimizerSettings adam{.name = "adam", .learning_rate = 0.01, .beta1 = 0.5, .beta2 = 0.75, .epsilon = 0.1};
    fcnn::Network trained({2, 2, 1}, {"tanh", "sigmoid"}, {.seed = 3});
    fcnn::Network by_hand = trained, with_defaults = trained;
    fcnn::train(trained, X, Y, {.batch_size = 2, .optimizer = adam, .shuffle = false});
    fcnn::train(with_defaults, X, Y, {.batch_size = 2, .optimizer = {.name = "adam", .learning_rate = 0.01}, .shuffle = false});

    const auto [z_s, a_s] = by_hand.feedforward(X);
    const fcnn::Gradients<double> gradients = by_hand.backprop(Y, z_s, a_s);
    fcnn::Optimizer optimizer(adam);
    optimizer.step(fcnn::parameters(by_hand, gradients));
    for (std::size_t l = 0; l < 2; ++l) {
        CHECK(trained.layers()[l].weights == by_hand.layers()[l].weights);
        CHECK(trained.layers()[l].biases == by_hand.layers()[l].biases);
    }
    CHECK(trained.layers()[0].weights != with_defaults.layers()[0].weights);
}

TEST_CASE("an optimizer refuses a parameter list other than the one it stepped before") {
    fcnn::Network one = one_weight(), two({1, 1, 1}, {"linear", "linear"});
    fcnn::Optimizer momentum({.name = "momentum"});
    momentum.step(fcnn::parameters(one, gradients));
    const auto [z_s, a_s] = two.feedforward(Matrix{{1.0}});
    const fcnn::Gradients<double> other = two.backprop(Matrix{{0.0}}, z_s, a_s);
    CHECK_THROWS_WITH_AS(momentum.step(fcnn::parameters(two, other)),
                         "optimizer: expected 2 parameters, as in the steps before, got 4", std::invalid_argument);
    CHECK_THROWS_WITH_AS(fcnn::parameters(two, gradients),
                         "parameters: expected gradients for 2 layers, got 1 nabla_w and 1 nabla_b", std::invalid_argument);
}
