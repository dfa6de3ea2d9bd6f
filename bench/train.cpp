// bench/train: seconds per Fashion-MNIST epoch for the reference network,
// 784-256-128-10 relu/relu/softmax, cross-entropy, plain SGD (lr 0.1), batch 32, all 60,000
// training images; float and double, 1 and 2 threads. Median of the epochs timed.
//
//   build/bench/train                    # float and double, threads 1 and 2, 3 epochs each
//   build/bench/train --precision float --threads 1 --epochs 5
//   build/bench/train --layers 784,1024,1024,10 --batch 1,32 --samples 4096 --epochs 2
//
// --samples N trains on the first N images only and reports seconds per epoch as the time
// for N scaled to 60,000 (bench/growth.py uses it where a whole epoch would take minutes);
// the first epoch is then left out of the median (it pays the start-up costs once).
#include <chrono>
#include <cstdio>
#include <ctime>
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
    std::vector<std::size_t> batches = {32};
    std::vector<std::size_t> layers = {784, 256, 128, 10};
    std::size_t samples = 0;  // 0: all
    std::filesystem::path data = "/usr/share/datasets/fashion-mnist";
};

Settings parse(int argc, char** argv) {
    Settings settings;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag == "--help") {
            std::puts("usage: train [--precision float,double] [--threads 1,2] [--epochs 3] [--batch 32]\n"
                      "             [--layers 784,256,128,10] [--samples N] [--data FOLDER]");
            std::exit(0);
        }
        if (i + 1 == argc) throw std::invalid_argument(flag + " needs a value");
        const std::string value = argv[++i];
        if (flag == "--precision") settings.precisions = bench::split_commas(value);
        else if (flag == "--threads") settings.threads = bench::split_numbers(value);
        else if (flag == "--epochs") settings.epochs = bench::whole_number(flag, value);
        else if (flag == "--data") settings.data = value;
        else if (flag == "--batch") settings.batches = bench::split_numbers(value);
        else if (flag == "--layers") settings.layers = bench::split_numbers(value);
        else if (flag == "--samples") settings.samples = bench::whole_number(flag, value);
        else throw std::invalid_argument("unknown flag " + flag + " (try --help)");
    }
    for (const std::string& precision : settings.precisions)
        if (precision != "float" && precision != "double")
            throw std::invalid_argument("--precision takes float and double, got '" + precision + "'");
    for (std::size_t threads : settings.threads)
        if (threads == 0) throw std::invalid_argument("--threads takes counts of at least 1");
    if (settings.epochs == 0) throw std::invalid_argument("--epochs must be at least 1");
    for (std::size_t batch : settings.batches)
        if (batch == 0) throw std::invalid_argument("--batch takes sizes of at least 1");
    if (settings.layers.size() < 2 || settings.layers.front() != 784 || settings.layers.back() != 10)
        throw std::invalid_argument("--layers must start with 784 (the pixels) and end with 10 (the classes)");
    return settings;
}

// Trains a fresh network (seed 1) for the given epochs and returns each epoch's seconds.
template <typename Scalar>
std::vector<double> epoch_seconds(const fcnn::data::Dataset& train, std::size_t epochs, std::size_t batch,
                                  const std::vector<std::size_t>& layers) {
    // The data as loaded, one row per sample, in Scalar: the conversion that a bench of double
    // needs anyway (an identity copy in float), made before the clock as it always was. train()
    // gathers its batches from these rows and makes no copy of its own.
    const auto X_rows = fcnn::converted<Scalar>(train.X_rows);
    const auto Y = fcnn::data::one_hot<Scalar>(train.labels, train.classes());
    std::vector<std::string> activations(layers.size() - 2, "relu");
    activations.push_back("softmax");
    fcnn::BasicNetwork<Scalar> net(layers, activations, {.cost = "cross_entropy", .init = "he", .seed = 1});
    std::vector<double> seconds, cpu_seconds;
    auto start = std::chrono::steady_clock::now();
    std::clock_t cpu_start = std::clock();
    fcnn::TrainOptions options{.batch_size = batch, .epochs = epochs, .optimizer = {.learning_rate = 0.1}, .seed = 1};
    options.on_epoch = [&](const fcnn::EpochStats& stats) {
        seconds.push_back(bench::seconds_since(start));
        // CPU seconds of all threads: on a busy machine the wall clock also counts others' turns.
        const double cpu = double(std::clock() - cpu_start) / CLOCKS_PER_SEC;
        cpu_seconds.push_back(cpu);
        std::printf("    epoch %zu: %.3f s (cpu %.3f s), loss %.4f\n", stats.epoch, seconds.back(), cpu, stats.loss);
        std::fflush(stdout);
        start = std::chrono::steady_clock::now();
        cpu_start = std::clock();
    };
    fcnn::train(net, fcnn::transposed(X_rows), Y, options);
    if (seconds.size() > 1) {  // the target: at most 1.2x
        const auto first_over_later = [](const std::vector<double>& s) {
            return s.front() / bench::median(std::vector<double>(s.begin() + 1, s.end()));
        };
        std::printf("    first epoch / median of the later ones: %.2fx wall, %.2fx cpu\n", first_over_later(seconds),
                    first_over_later(cpu_seconds));
    }
    return seconds;
}

}  // namespace

std::string joined(const std::vector<std::size_t>& numbers) {
    std::string text;
    for (std::size_t n : numbers) {
        if (!text.empty()) text += '-';
        text += std::to_string(n);
    }
    return text;
}

int main(int argc, char** argv) try {
    const Settings settings = parse(argc, argv);
    if (!std::filesystem::exists(settings.data))
        throw std::runtime_error(settings.data.string() +
                                 " not found: install Debian's dataset-fashion-mnist, or pass --data FOLDER");
    fcnn::data::Dataset train = fcnn::data::load_fashion_mnist(settings.data, "train");
    const std::size_t all = train.samples();
    if (settings.samples != 0 && settings.samples < all) {
        std::vector<std::size_t> first(settings.samples);
        for (std::size_t i = 0; i < first.size(); ++i) first[i] = i;
        train = fcnn::data::subset(train, first);
    }
    const bool scaled = train.samples() != all;
    std::printf("bench/train: Fashion-MNIST, %zu images%s; %s relu/.../softmax, cross-entropy, sgd lr 0.1; "
                "median of %zu epochs%s\n",
                train.samples(), scaled ? " (times scaled to 60,000)" : "", joined(settings.layers).c_str(),
                settings.epochs, scaled && settings.epochs > 1 ? " after the first" : "");
    std::printf("machine: %u cores; %s, %s\n\n", bench::cores(), bench::compiler().c_str(),
                bench::instruction_set().c_str());
    std::vector<std::string> rows;
    for (const std::string& precision : settings.precisions)
        for (std::size_t threads : settings.threads)
            for (std::size_t batch : settings.batches) {
                std::printf("%s, %zu thread%s, batch %zu:\n", precision.c_str(), threads, threads == 1 ? "" : "s", batch);
                fcnn::set_thread_count(threads);
                std::vector<double> seconds =
                    precision == "float" ? epoch_seconds<float>(train, settings.epochs, batch, settings.layers)
                                         : epoch_seconds<double>(train, settings.epochs, batch, settings.layers);
                if (scaled && seconds.size() > 1) seconds.erase(seconds.begin());
                const double per_epoch = bench::median(seconds) * double(all) / double(train.samples());
                char row[160];
                std::snprintf(row, sizeof row, "%-7s %7zu %7zu %12.3f", precision.c_str(), threads, batch, per_epoch);
                rows.push_back(row);
            }
    std::printf("\n%-7s %7s %7s %12s\n", "type", "threads", "batch", "s/epoch");
    for (const std::string& row : rows) std::printf("%s\n", row.c_str());
    return 0;
} catch (const std::exception& error) {
    std::fprintf(stderr, "train: %s\n", error.what());
    return 1;
}
