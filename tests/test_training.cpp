#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fcnn/network.hpp>
#include <fcnn/training.hpp>

#include "check.hpp"

using fcnn::Matrix;
using fcnn::Network;

namespace {

const Matrix xor_inputs = {{0, 0, 1, 1}, {0, 1, 0, 1}};
const Matrix xor_targets = {{0, 1, 1, 0}};

// The README's main job: examples/xor.cpp trains exactly this.
fcnn::History train_xor(Network& net) {
    return fcnn::train(net, xor_inputs, xor_targets, {.batch_size = 4, .epochs = 2000, .optimizer = {.learning_rate = 2.0}, .seed = 1});
}

}  // namespace

TEST_CASE("XOR with a fixed seed reaches 100% accuracy") {
    Network net({2, 3, 1}, {"sigmoid", "sigmoid"}, {.seed = 1});
    const fcnn::History history = train_xor(net);
    REQUIRE(history.size() == 2000);
    REQUIRE(history.back().accuracy.has_value());
    CHECK(*history.back().accuracy == 1.0);
    CHECK(fcnn::accuracy(net, xor_inputs, xor_targets) == 1.0);
    CHECK(history.back().loss < history.front().loss / 50);
}

// The exact numbers below are what this seed gives; CI checks them in a GCC release build and a
// Clang debug build, so a compiler or optimisation level that changes one bit fails here.
TEST_CASE("the XOR loss history is deterministic to the last bit") {
    Network net({2, 3, 1}, {"sigmoid", "sigmoid"}, {.seed = 1});
    const fcnn::History history = train_xor(net);
    for (std::size_t epoch : {1, 2, 10, 100, 2000}) std::printf("epoch %zu loss %.17g\n", epoch, history[epoch - 1].loss);
    CHECK(history[0].loss == 0.15203646598078457);
    CHECK(history[1].loss == 0.14515364392242394);
    CHECK(history[9].loss == 0.12680211377363271);
    CHECK(history[99].loss == 0.11824055502925293);
    CHECK(history[1999].loss == 0.0017569579205780339);
    Network again({2, 3, 1}, {"sigmoid", "sigmoid"}, {.seed = 1});
    const fcnn::History repeat = train_xor(again);
    for (std::size_t i = 0; i < history.size(); ++i) REQUIRE(repeat[i].loss == history[i].loss);
    CHECK(again.layers()[0].weights == net.layers()[0].weights);
}

TEST_CASE("regression: a mini-batch is a set of columns (samples), not rows") {
    // The blog sliced X[k:k+batch] from a features x samples matrix: rows, that is features.
    // Here 2 features and 6 samples: training with batch 2 and no shuffle must equal three
    // gradient steps on columns {0,1}, {2,3}, {4,5}.
    const Matrix X = {{0.1, 0.9, -0.4, 0.3, 0.7, -0.8}, {0.5, -0.2, 0.6, 0.0, -0.9, 0.4}};
    const Matrix Y = {{1, 0, 1, 1, 0, 0}};
    Network trained({2, 3, 1}, {"tanh", "sigmoid"}, {.seed = 6});
    Network by_hand = trained;
    fcnn::train(trained, X, Y, {.batch_size = 2, .epochs = 1, .optimizer = {.learning_rate = 0.5}, .shuffle = false});
    for (std::size_t first = 0; first < 6; first += 2) {
        const std::vector<std::size_t> columns = {first, first + 1};
        const Matrix x = gather_columns(X, std::span<const std::size_t>(columns));
        const Matrix y = gather_columns(Y, std::span<const std::size_t>(columns));
        const auto [z_s, a_s] = by_hand.feedforward(x);
        by_hand.update(by_hand.backprop(y, z_s, a_s), 0.5);
    }
    for (std::size_t l = 0; l < 2; ++l) {
        CHECK(trained.layers()[l].weights == by_hand.layers()[l].weights);
        CHECK(trained.layers()[l].biases == by_hand.layers()[l].biases);
    }
}

TEST_CASE("the last, smaller batch is trained too") {
    const Matrix X = {{0.1, 0.2, 0.3, 0.4, 0.5}};
    const Matrix Y = {{0.2, 0.4, 0.6, 0.8, 1.0}};
    Network trained({1, 1}, {"linear"}, {.seed = 2});
    Network by_hand = trained;
    fcnn::train(trained, X, Y, {.batch_size = 2, .epochs = 1, .optimizer = {.learning_rate = 0.1}, .shuffle = false});
    for (const std::vector<std::size_t>& columns : {std::vector<std::size_t>{0, 1}, {2, 3}, {4}}) {
        const Matrix x = gather_columns(X, std::span<const std::size_t>(columns));
        const auto [z_s, a_s] = by_hand.feedforward(x);
        by_hand.update(by_hand.backprop(gather_columns(Y, std::span<const std::size_t>(columns)), z_s, a_s), 0.1);
    }
    CHECK(trained.layers()[0].weights == by_hand.layers()[0].weights);
}

TEST_CASE("shuffling follows the seed") {
    const Matrix X = {{0.1, 0.9, -0.4, 0.3, 0.7, -0.8}};
    const Matrix Y = {{1, 0, 1, 1, 0, 0}};
    const auto final_loss = [&](std::uint64_t seed) {
        Network net({1, 2, 1}, {"tanh", "sigmoid"}, {.seed = 1});
        return fcnn::train(net, X, Y, {.batch_size = 2, .epochs = 3, .optimizer = {.learning_rate = 0.5}, .seed = seed}).back().loss;
    };
    CHECK(final_loss(7) == final_loss(7));
    CHECK(final_loss(7) != final_loss(8));
}

TEST_CASE("on_epoch is called once per epoch, in order, with what the history returns") {
    Network net({2, 2, 1}, {"sigmoid", "sigmoid"});
    std::vector<fcnn::EpochStats> seen;
    const auto history = fcnn::train(net, xor_inputs, xor_targets,
                                   {.batch_size = 2, .epochs = 5, .on_epoch = [&](const fcnn::EpochStats& s) { seen.push_back(s); }});
    REQUIRE(seen.size() == 5);
    for (std::size_t i = 0; i < 5; ++i) {
        CHECK(seen[i].epoch == i + 1);
        CHECK(seen[i].loss == history[i].loss);
    }
}

TEST_CASE("accuracy is reported only for class labels") {
    Network net({1, 1}, {"linear"});
    const auto history = fcnn::train(net, Matrix{{0.1, 0.2}}, Matrix{{0.3, 0.7}}, {.epochs = 2});
    CHECK_FALSE(history.back().accuracy.has_value());
}

TEST_CASE("bad training options and data are refused with a clear message") {
    Network net({2, 3, 1}, {"sigmoid", "sigmoid"});
    CHECK_THROWS_WITH_AS(fcnn::train(net, xor_inputs, xor_targets, {.batch_size = 0}), "train: batch_size must be at least 1",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(fcnn::train(net, xor_inputs, xor_targets, {.optimizer = {.learning_rate = -0.5}}),
                         "train: learning_rate must be a positive number, got -0.500000", std::invalid_argument);
    CHECK_THROWS_WITH_AS(fcnn::train(net, xor_inputs, Matrix{{0, 1, 1}}, {}),
                         "train: Y must be 1x4 (one column of 1 targets per sample): Y is 1x3", std::invalid_argument);
    CHECK_THROWS_WITH_AS(fcnn::train(net, transpose(xor_inputs), xor_targets, {}),
                         "train: X must have 2 rows, one per input (samples are columns): X is 4x2",
                         std::invalid_argument);
}

// train(net, transposed(X_rows), ...) reads the same samples as train(net, X, ...) makes from
// its own copy: every loss and weight the same to the last bit, shuffled, with a short last batch.
TEST_CASE_TEMPLATE("inputs held one row per sample train to the same bits as columns", Scalar, float, double) {
    fcnn::BasicMatrix<Scalar> X(3, 70), Y(2, 70);
    for (std::size_t j = 0; j < 70; ++j) {
        for (std::size_t i = 0; i < 3; ++i) X(i, j) = static_cast<Scalar>(std::sin(double(7 * j + i)));
        Y(j % 3 == 0 ? 1 : 0, j) = 1;  // one-hot, so the accuracy is compared too
    }
    const fcnn::BasicMatrix<Scalar> X_rows = transpose(X);
    const fcnn::TrainOptions options{.batch_size = 32, .epochs = 4, .optimizer = {.learning_rate = 0.3}, .seed = 5};
    fcnn::BasicNetwork<Scalar> by_columns({3, 4, 2}, {"tanh", "softmax"}, {.cost = "cross_entropy", .seed = 3});
    fcnn::BasicNetwork<Scalar> by_rows = by_columns;
    const fcnn::History columns = fcnn::train(by_columns, X, Y, options);
    const fcnn::History rows = fcnn::train(by_rows, fcnn::transposed(X_rows), Y, options);
    REQUIRE(rows.size() == columns.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        CHECK(rows[i].loss == columns[i].loss);
        CHECK(rows[i].accuracy == columns[i].accuracy);
    }
    for (std::size_t l = 0; l < 2; ++l) {
        CHECK(by_rows.layers()[l].weights == by_columns.layers()[l].weights);
        CHECK(by_rows.layers()[l].biases == by_columns.layers()[l].biases);
    }
    const fcnn::BasicNetwork<Scalar> untrained({3, 4, 2}, {"tanh", "softmax"}, {.cost = "cross_entropy", .seed = 3});
    CHECK(by_rows.layers()[0].weights != untrained.layers()[0].weights);  // it did train
}

TEST_CASE("inputs given one row per sample are checked as columns are") {
    Network net({2, 3, 1}, {"sigmoid", "sigmoid"});
    CHECK_THROWS_WITH_AS(fcnn::train(net, fcnn::transposed(xor_inputs), xor_targets, {}),
                         "train: transposed(X) takes X with one row of 2 inputs per sample: X is 2x4",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(fcnn::train(net, fcnn::transposed(Matrix(0, 2)), Matrix(1, 0), {}),
                         "train: transposed(X) has no samples (rows)", std::invalid_argument);
    const Matrix X_rows = transpose(xor_inputs);
    CHECK_THROWS_WITH_AS(fcnn::train(net, fcnn::transposed(X_rows), Matrix{{0, 1, 1}}, {}),
                         "train: Y must be 1x4 (one column of 1 targets per sample): Y is 1x3", std::invalid_argument);
    CHECK_THROWS_WITH_AS(fcnn::train(net, fcnn::transposed(X_rows), xor_targets, {.batch_size = 0}),
                         "train: batch_size must be at least 1", std::invalid_argument);
}

TEST_CASE("a float network trains XOR too") {
    fcnn::FloatNetwork net({2, 3, 1}, {"sigmoid", "sigmoid"}, {.seed = 1});
    const fcnn::FloatMatrix X = {{0, 0, 1, 1}, {0, 1, 0, 1}}, Y = {{0, 1, 1, 0}};
    fcnn::train(net, X, Y, {.batch_size = 4, .epochs = 2000, .optimizer = {.learning_rate = 2.0}, .seed = 1});
    CHECK(fcnn::accuracy(net, X, Y) == 1.0);
}

// y = w x + b with x = 10 and eta = 1: each step multiplies the error by about -100, so the loss
// overflows to infinity after some epochs. The guard must stop there, at that epoch and batch.
TEST_CASE_TEMPLATE("a run whose loss stops being finite throws TrainingDiverged naming the epoch and batch", Scalar, float,
                   double) {
    const fcnn::BasicMatrix<Scalar> X = {{10}}, Y = {{1}};
    fcnn::BasicNetwork<Scalar> net({1, 1}, {"linear"}, {.cost = "quadratic", .seed = 1});
    std::size_t epochs_seen = 0, batches_seen = 0;
    fcnn::TrainOptions options{.batch_size = 1, .epochs = 1000, .optimizer = {.learning_rate = 1.0}, .seed = 1};
    options.on_epoch = [&](const fcnn::EpochStats& stats) {
        ++epochs_seen;
        REQUIRE(std::isfinite(stats.loss));  // no epoch with a non-finite loss reaches on_epoch
    };
    options.on_batch = [&](std::size_t, std::size_t, double) { ++batches_seen; };
    try {
        fcnn::train(net, X, Y, options);
        FAIL("a learning rate 100 times too large did not diverge in 1000 epochs");
    } catch (const fcnn::TrainingDiverged& diverged) {
        const std::string message = diverged.what();
        INFO(message);
        CHECK(diverged.epoch() > 1);
        CHECK(diverged.epoch() == epochs_seen + 1);
        CHECK(diverged.batch() == 1);
        CHECK(batches_seen == epochs_seen);  // on_batch did not see the diverged batch
        CHECK(message == "train: diverged at epoch " + std::to_string(diverged.epoch()) +
                             ", batch 1 of 1: the loss is inf; try a smaller learning rate than 1 (a tenth of it, say)");
        for (const Scalar w : net.layers()[0].weights.values()) CHECK(std::isfinite(w));  // stopped before the step
    }
}

TEST_CASE("TrainingDiverged is a std::runtime_error a program can catch, and names the learning rate") {
    Network net({2, 3, 1}, {"sigmoid", "linear"}, {.cost = "quadratic", .seed = 1});
    const fcnn::TrainOptions options{.batch_size = 4, .epochs = 5, .optimizer = {.learning_rate = 1e300}, .seed = 1};
    CHECK_THROWS_WITH_AS(fcnn::train(net, xor_inputs, xor_targets, options),
                         doctest::Contains("; try a smaller learning rate than 1e+300 (a tenth of it, say)"), std::runtime_error);
}

// The check after each epoch, on the parameters themselves. Here the last (only) step of epoch 1
// overflows W^1 while the loss that step started from was finite: y = w x + b with x = 10, y = 1,
// w = b = 0 gives nabla_w = -10, so eta = 1e308 makes w = 1e309, infinite (in float the rate
// itself is infinite; w and b both become inf, and W is named first).
TEST_CASE_TEMPLATE("a step that overflows a weight stops training after that epoch, naming the layer and W", Scalar, float,
                   double) {
    const fcnn::BasicMatrix<Scalar> X = {{10}}, Y = {{1}};
    fcnn::BasicNetwork<Scalar> net({1, 1}, {"linear"}, {.cost = "quadratic", .seed = 1});
    net.layers()[0].weights(0, 0) = 0;
    net.layers()[0].biases(0, 0) = 0;
    fcnn::TrainOptions options{.batch_size = 1, .epochs = 3, .optimizer = {.learning_rate = 1e308}, .seed = 1};
    std::size_t epochs_seen = 0, batches_seen = 0;
    options.on_epoch = [&](const fcnn::EpochStats&) { ++epochs_seen; };
    options.on_batch = [&](std::size_t, std::size_t, double cost) {
        ++batches_seen;
        CHECK(cost == 0.5);  // the loss was finite: only the parameter check can stop this run
    };
    try {
        fcnn::train(net, X, Y, options);
        FAIL("training went on with W^1 = " << net.layers()[0].weights(0, 0));
    } catch (const fcnn::TrainingDiverged& diverged) {
        INFO(diverged.what());
        CHECK(std::string(diverged.what()) ==
              "train: diverged at epoch 1: after its 1 batch, layer 1's weights W^1 hold inf (first at row 0, column 0, from 0); "
              "try a smaller learning rate than 1e+308 (a tenth of it, say)");
        CHECK(diverged.epoch() == 1);
        CHECK(diverged.batch() == 1);
        CHECK(diverged.layer() == 1);
        CHECK(diverged.parameter() == "W");
        CHECK(batches_seen == 1);
        CHECK(epochs_seen == 0);  // on_epoch (where a program saves a checkpoint) never saw the diverged epoch
    }
}

// A NaN that the loss cannot see: relu(NaN) is 0, so a NaN in a relu layer's W or b leaves every
// output, every loss and every other gradient finite, and training would go on for ever with it.
TEST_CASE_TEMPLATE("a NaN weight or bias that relu hides from the loss is found after the first epoch, by layer and name",
                   Scalar, float, double) {
    const fcnn::BasicMatrix<Scalar> X = {{0, 0, 1, 1}, {0, 1, 0, 1}}, Y = {{0, 1, 1, 0}};
    fcnn::BasicNetwork<Scalar> net({2, 4, 1}, {"relu", "sigmoid"}, {.cost = "binary_cross_entropy", .seed = 1});
    std::string expected;
    SUBCASE("in W^1") {
        net.layers()[0].weights(2, 1) = std::numeric_limits<Scalar>::quiet_NaN();
        expected = "layer 1's weights W^1 hold nan (first at row 2, column 1, from 0)";
    }
    SUBCASE("in b^1") {
        net.layers()[0].biases(3, 0) = std::numeric_limits<Scalar>::quiet_NaN();
        expected = "layer 1's biases b^1 hold nan (first at row 3, from 0)";
    }
    fcnn::TrainOptions options{.batch_size = 2, .epochs = 10, .optimizer = {.learning_rate = 0.5}, .seed = 1};
    std::size_t epochs_seen = 0, batches_seen = 0;
    options.on_epoch = [&](const fcnn::EpochStats&) { ++epochs_seen; };
    options.on_batch = [&](std::size_t, std::size_t, double cost) {
        ++batches_seen;
        CHECK(std::isfinite(cost));
    };
    try {
        fcnn::train(net, X, Y, options);
        FAIL("10 epochs trained on with a NaN parameter");
    } catch (const fcnn::TrainingDiverged& diverged) {
        INFO(diverged.what());
        CHECK(std::string(diverged.what()) == "train: diverged at epoch 1: after its 2 batches, " + expected +
                                                  "; try a smaller learning rate than 0.5 (a tenth of it, say)");
        CHECK(diverged.epoch() == 1);
        CHECK(diverged.batch() == 2);
        CHECK(diverged.layer() == 1);
        CHECK(diverged.parameter() == expected.substr(expected.find('^') - 1, 1));
        CHECK(batches_seen == 2);
        CHECK(epochs_seen == 0);
    }
}

// When the loss is what stops training, the message also names a parameter that is not finite.
TEST_CASE("a NaN loss from a NaN weight names the weight too") {
    Network net({2, 3, 1}, {"sigmoid", "linear"}, {.cost = "quadratic", .seed = 1});
    net.layers()[1].weights(0, 2) = std::numeric_limits<double>::quiet_NaN();
    try {
        fcnn::train(net, xor_inputs, xor_targets, {.batch_size = 4, .epochs = 5, .optimizer = {.learning_rate = 0.1}, .seed = 1});
        FAIL("trained on with a NaN in W^2");
    } catch (const fcnn::TrainingDiverged& diverged) {
        CHECK(std::string(diverged.what()) ==
              "train: diverged at epoch 1, batch 1 of 1: the loss is nan, and layer 2's weights W^2 hold nan (first at row 0, "
              "column 2, from 0); try a smaller learning rate than 0.1 (a tenth of it, say)");
        CHECK(diverged.layer() == 2);
        CHECK(diverged.parameter() == "W");
        CHECK(diverged.batch() == 1);
    }
}
