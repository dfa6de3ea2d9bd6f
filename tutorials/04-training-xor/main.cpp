// Tutorial 04: training a 2-3-1 network on XOR with mini-batch SGD.
// Run: build/tutorials/04-training-xor
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <fcnn/fcnn.hpp>

using fcnn::Matrix;

namespace {

// XOR: four samples, as columns.
const Matrix X = {{0, 0, 1, 1},
                  {0, 1, 0, 1}};
const Matrix Y = {{0, 1, 1, 0}};

void first_run() {
    // [snippet train]
    fcnn::Network net({2, 3, 1}, {"sigmoid", "sigmoid"}, {.cost = "quadratic", .seed = 1});
    const fcnn::History history = fcnn::train(net, X, Y, {.batch_size = 4, .epochs = 2000, .optimizer = {.learning_rate = 2.0}, .seed = 1});
    // [end train]
    const std::string cost(net.cost().name());  // the cost the network was made with, as set above
    std::printf("1. sigmoid hidden layer, sigmoid output, %s cost, learning rate 2.0\n", cost.c_str());
    for (const fcnn::EpochStats& epoch : history)
        if (epoch.epoch == 1 || epoch.epoch % 250 == 0)
            std::printf("  epoch %4zu  loss %.6f  accuracy %.2f\n", epoch.epoch, epoch.loss, *epoch.accuracy);
    const auto learned = std::find_if(history.begin(), history.end(), [](const fcnn::EpochStats& epoch) { return *epoch.accuracy == 1.0; });
    if (learned != history.end()) std::printf("  accuracy 1.00 first at epoch %zu\n", learned->epoch);
    const Matrix a = net.predict(X);
    std::printf("  outputs for (0,0) (0,1) (1,0) (1,1): %.4f %.4f %.4f %.4f\n\n", a(0, 0), a(0, 1), a(0, 2), a(0, 3));
}

void learning_rates() {
    std::printf("2. the learning rate: tanh hidden layer, linear output, quadratic cost\n");
    std::printf("  %-22s", "epoch:");
    const std::vector<std::size_t> shown = {1, 2, 3, 5, 10, 20, 50, 100};
    for (std::size_t epoch : shown) std::printf(" %9zu", epoch);
    std::printf("\n");
    for (double eta : {0.02, 0.5, 1.5}) {
        fcnn::Network net({2, 3, 1}, {"tanh", "linear"}, {.seed = 1});
        const fcnn::History history = fcnn::train(net, X, Y, {.batch_size = 4, .epochs = 100, .optimizer = {.learning_rate = eta}, .seed = 1});
        std::printf("  loss with eta = %-5.2f", eta);
        for (std::size_t epoch : shown) std::printf(" %9.3g", history[epoch - 1].loss);
        std::printf("\n");
    }
    std::printf("\n");
}

void hidden_activations() {
    std::printf("3. sigmoid or relu in the hidden layer (sigmoid output, learning rate 0.5)\n");
    for (const char* hidden : {"sigmoid", "relu"}) {
        fcnn::Network net({2, 3, 1}, {hidden, "sigmoid"}, {.seed = 1});
        const fcnn::History history = fcnn::train(net, X, Y, {.batch_size = 4, .epochs = 2000, .optimizer = {.learning_rate = 0.5}, .seed = 1});
        std::printf("  %-7s  loss at epoch 100: %.4f  500: %.4f  2000: %.4f  accuracy %.2f\n", hidden,
                    history[99].loss, history[499].loss, history[1999].loss, *history.back().accuracy);
    }
}

}  // namespace

int main() {
    first_run();
    learning_rates();
    hidden_activations();
}
