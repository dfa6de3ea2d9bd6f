// bench/train: seconds per Fashion-MNIST epoch for the reference network,
// 784-256-128-10 relu/relu/softmax, cross-entropy, plain SGD (lr 0.1), batch 32, all 60,000
// training images; float and double, 1 and 2 threads. Median of the epochs timed.
//
//   build/bench/train                    # float and double, threads 1 and 2, 3 epochs each
//   build/bench/train --precision float --threads 1 --epochs 5
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <fcnn/data/dataset.hpp>
#include <fcnn/fcnn.hpp>

#include "timing.hpp"

namespace {

struct Settings {
    std::vector<std::string> precisions = {"float", "double"};
    std::vector<std::size_t> threads = {1, 2};
    std::size_t epochs = 3;
    std::filesystem::path data = "/usr/share/datasets/fashion-mnist";
};

Settings parse(int argc, char** argv) {
    Settings settings;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag == "--help") {
            std::puts("usage: train [--precision float,double] [--threads 1,2] [--epochs 3] [--data FOLDER]");
            std::exit(0);
        }
        if (i + 1 == argc) throw std::invalid_argument(flag + " needs a value");
        const std::string value = argv[++i];
        if (flag == "--precision") settings.precisions = bench::split_commas(value);
        else if (flag == "--threads") settings.threads = bench::split_numbers(value);
        else if (flag == "--epochs") settings.epochs = std::stoul(value);
        else if (flag == "--data") settings.data = value;
        else throw std::invalid_argument("unknown flag " + flag + " (try --help)");
    }
    for (const std::string& precision : settings.precisions)
        if (precision != "float" && precision != "double")
            throw std::invalid_argument("--precision takes float and double, got '" + precision + "'");
    for (std::size_t threads : settings.threads)
        if (threads == 0) throw std::invalid_argument("--threads takes counts of at least 1");
    if (settings.epochs == 0) throw std::invalid_argument("--epochs must be at least 1");
    return settings;
}

// Trains a fresh network (seed 1) for the given epochs and returns each epoch's seconds.
template <typename Scalar>
std::vector<double> epoch_seconds(const fcnn::data::Dataset& train, std::size_t epochs) {
    const auto X = fcnn::converted<Scalar>(train.X);
    const auto Y = fcnn::data::one_hot<Scalar>(train.labels, train.classes());
    fcnn::BasicNetwork<Scalar> net({784, 256, 128, 10}, {"relu", "relu", "softmax"},
                                   {.cost = "cross_entropy", .init = "he", .seed = 1});
    std::vector<double> seconds;
    auto start = std::chrono::steady_clock::now();
    fcnn::TrainOptions options{.batch_size = 32, .epochs = epochs, .learning_rate = 0.1, .seed = 1};
    options.on_epoch = [&](const fcnn::EpochStats& stats) {
        seconds.push_back(bench::seconds_since(start));
        std::printf("    epoch %zu: %.3f s, loss %.4f\n", stats.epoch, seconds.back(), stats.loss);
        std::fflush(stdout);
        start = std::chrono::steady_clock::now();
    };
    net.train(X, Y, options);
    return seconds;
}

}  // namespace

int main(int argc, char** argv) try {
    const Settings settings = parse(argc, argv);
    if (!std::filesystem::exists(settings.data))
        throw std::runtime_error(settings.data.string() +
                                 " not found: install Debian's dataset-fashion-mnist, or pass --data FOLDER");
    const fcnn::data::Dataset train = fcnn::data::load_fashion_mnist(settings.data, "train");
    std::printf("bench/train: Fashion-MNIST, %zu images; 784-256-128-10 relu/relu/softmax, cross-entropy, "
                "sgd lr 0.1, batch 32; median of %zu epochs\n",
                train.samples(), settings.epochs);
    std::printf("machine: %u cores; %s, %s\n\n", bench::cores(), bench::compiler().c_str(),
                bench::instruction_set().c_str());
    std::vector<std::string> rows;
    for (const std::string& precision : settings.precisions)
        for (std::size_t threads : settings.threads) {
            std::printf("%s, %zu thread%s:\n", precision.c_str(), threads, threads == 1 ? "" : "s");
            fcnn::set_thread_count(threads);
            const std::vector<double> seconds = precision == "float" ? epoch_seconds<float>(train, settings.epochs)
                                                                     : epoch_seconds<double>(train, settings.epochs);
            char row[160];
            std::snprintf(row, sizeof row, "%-7s %7zu %12.3f", precision.c_str(), threads, bench::median(seconds));
            rows.push_back(row);
        }
    std::printf("\n%-7s %7s %12s\n", "type", "threads", "s/epoch");
    for (const std::string& row : rows) std::printf("%s\n", row.c_str());
    return 0;
} catch (const std::exception& error) {
    std::fprintf(stderr, "train: %s\n", error.what());
    return 1;
}
