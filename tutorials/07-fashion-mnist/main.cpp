// Tutorial 07: real data. A quick look at Fashion-MNIST, trained on part of its test file so
// that it runs in seconds. Run: build/tutorials/07-fashion-mnist
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <fcnn/data/dataset.hpp>
#include <fcnn/fcnn.hpp>

int main() {
    const std::filesystem::path folder = "/usr/share/datasets/fashion-mnist";
    if (!std::filesystem::exists(folder / "t10k-images-idx3-ubyte.gz")) {
        std::printf("Fashion-MNIST is not installed: apt-get install dataset-fashion-mnist\n");
        return 77;  // "skipped", for the docs check
    }
    // [snippet load]
    const fcnn::data::Dataset images = fcnn::data::load_fashion_mnist(folder, "t10k");  // X_rows: 10000 x 784, pixels in [0, 1]
    const auto [train, test] = fcnn::data::split(images, 0.2, 1);                        // 8000 and 2000 images
    // [end load]
    std::printf("%zu training and %zu test images of %zu pixels, %zu classes\n", train.samples(), test.samples(),
                train.features(), train.classes());

    // [snippet train]
    fcnn::FloatNetwork net({784, 32, 10}, {"relu", "softmax"}, {.cost = "cross_entropy", .init = "he", .seed = 1});
    const auto Y = fcnn::data::one_hot<float>(train.labels, train.classes());
    const fcnn::History history =
        fcnn::train(net, fcnn::transposed(train.X_rows), Y, {.batch_size = 32, .epochs = 3, .optimizer = {.name = "adam", .learning_rate = 0.001}, .seed = 1});
    // [end train]
    for (const fcnn::EpochStats& epoch : history)
        std::printf("epoch %zu  loss %.4f  accuracy %.4f\n", epoch.epoch, epoch.loss, *epoch.accuracy);

    // [snippet confusion]
    const std::vector<std::size_t> predicted = argmax_columns(net.predict(fcnn::transpose(test.X_rows)));
    const fcnn::ConfusionMatrix confusion(test.labels, predicted, test.classes());
    std::cout << confusion.to_string(test.class_names);
    // [end confusion]
    std::printf("test accuracy: %.4f\n", confusion.accuracy());
}
