// Train a 2-3-1 sigmoid network on XOR with mini-batch SGD and print what it learned.
// The main job of the README's quick start: build/examples/xor
#include <cstdio>

#include <fcnn/fcnn.hpp>

int main() {
    // Samples are columns: the four inputs of XOR side by side, and their targets below.
    const fcnn::Matrix X = {{0, 0, 1, 1},
                            {0, 1, 0, 1}};
    const fcnn::Matrix Y = {{0, 1, 1, 0}};

    fcnn::Network net({2, 3, 1}, {"sigmoid", "sigmoid"}, {.cost = "quadratic", .seed = 1});
    const fcnn::History history = fcnn::train(net, X, Y, {.batch_size = 4, .epochs = 2000, .optimizer = {.learning_rate = 2.0}, .seed = 1});

    for (const fcnn::EpochStats& epoch : history)
        if (epoch.epoch == 1 || epoch.epoch % 400 == 0)
            std::printf("epoch %4zu  loss %.6f  accuracy %.2f\n", epoch.epoch, epoch.loss, *epoch.accuracy);

    const fcnn::Matrix a = net.predict(X);
    std::printf("\n x1  x2  target  output\n");
    for (std::size_t j = 0; j < X.cols(); ++j)
        std::printf("%3.0f %3.0f %7.0f  %6.4f\n", X(0, j), X(1, j), Y(0, j), a(0, j));
    std::printf("accuracy: %.2f\n", fcnn::accuracy(net, X, Y));
}
