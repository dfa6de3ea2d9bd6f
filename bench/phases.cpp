// bench/phases: where a training step's time goes, phase by phase, on 1 thread and on 2, to
// see which parts a second thread speeds up and which it does not. The step is train()'s own
// (lib/fcnn/training.cpp, train_epoch), less its count of correct answers: gather a batch,
// feedforward, the cost, backprop, the optimizer's step, timed with the clock between the calls. The network is the reference setup
// (784-256-128-10, relu/relu/softmax, cross-entropy, SGD) on 60,000 made-up samples, visited in
// a shuffled order as in training: the timing does not depend on the pixels' values.
//
//   build/bench/phases                       # float, 1 and 2 threads, median of 3 rounds
//   build/bench/phases --precision double --threads 1,2 --rounds 5 --batches 1000
#include <array>
#include <chrono>
#include <cstdio>
#include <numeric>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <fcnn/fcnn.hpp>

#include "timing.hpp"

namespace {

struct Settings {
    std::string precision = "float";
    std::vector<std::size_t> threads = {1, 2};
    std::size_t rounds = 3, batches = 1000, batch = 32;
};

Settings parse(int argc, char** argv) {
    Settings settings;
    for (int i = 1; i < argc; i += 2) {
        const std::string flag = argv[i];
        if (i + 1 >= argc) throw std::invalid_argument(flag + " expects a value");
        const std::string value = argv[i + 1];
        if (flag == "--precision" && (value == "float" || value == "double")) settings.precision = value;
        else if (flag == "--precision") throw std::invalid_argument("--precision expects float or double, got '" + value + "'");
        else if (flag == "--threads") settings.threads = bench::split_numbers(value);
        else if (flag == "--rounds") settings.rounds = bench::whole_number(flag, value);
        else if (flag == "--batches") settings.batches = bench::whole_number(flag, value);
        else if (flag == "--batch") settings.batch = bench::whole_number(flag, value);
        else throw std::invalid_argument("unknown flag " + flag + " (expected --precision, --threads, --rounds, "
                                         "--batches or --batch)");
    }
    if (settings.rounds == 0 || settings.batches == 0 || settings.batch == 0)
        throw std::invalid_argument("--rounds, --batches and --batch must be at least 1");
    for (std::size_t threads : settings.threads)
        if (threads == 0) throw std::invalid_argument("--threads expects thread counts of 1 or more, like 1,2");
    if (settings.batches * settings.batch > 60000)
        throw std::invalid_argument("--batches times --batch must be at most the 60000 samples");
    return settings;
}

constexpr std::array<const char*, 5> phase_names = {"gather", "feedforward", "cost", "backprop", "step"};
using Times = std::array<double, phase_names.size()>;  // microseconds per batch, by phase

// Everything one training step needs, sized on its first use, as train() keeps it.
template <typename Scalar>
struct Trainer {
    fcnn::BasicMatrix<Scalar> X_rows, Y_rows;  // a sample per row, as train() reads transposed(X)
    fcnn::BasicNetwork<Scalar> net{{784, 256, 128, 10}, {"relu", "relu", "softmax"},
                                   {.cost = "cross_entropy", .init = "he", .seed = 1}};
    fcnn::ForwardPass<Scalar> pass;
    fcnn::BackpropWorkspace<Scalar> work;
    fcnn::BasicMatrix<Scalar> y;
    fcnn::BasicOptimizer<Scalar> optimizer{{.learning_rate = 0.01}};  // small: made-up labels teach nothing
    std::vector<fcnn::Parameter<Scalar>> parameters;

    Trainer() : X_rows(60000, 784), Y_rows(60000, 10) {
        fcnn::Random random(1);
        for (Scalar& pixel : X_rows.values()) pixel = static_cast<Scalar>(random.uniform());
        for (std::size_t i = 0; i < Y_rows.rows(); ++i) Y_rows(i, random.below(10)) = 1;
        const std::size_t L = net.layers().size();
        pass.a_s.resize(L + 1);
        work.gradients.nabla_w.resize(L);
        work.gradients.nabla_b.resize(L);
        parameters = fcnn::parameters(net, work.gradients);
    }

    // One pass over `batches` batches of `order`, the time of each phase added up.
    Times pass_over(std::span<const std::size_t> order, std::size_t batch, std::size_t batches) {
        using Clock = std::chrono::steady_clock;
        const auto us = [](Clock::time_point a, Clock::time_point b) {
            return std::chrono::duration<double, std::micro>(b - a).count();
        };
        Times total{};
        volatile double cost_sum = 0;  // so the cost is not optimised away
        for (std::size_t b = 0; b < batches; ++b) {
            const auto samples = order.subspan(b * batch, batch);
            const auto t0 = Clock::now();
            fcnn::gather_columns_into(pass.a_s[0], fcnn::transposed(X_rows), samples);
            fcnn::gather_columns_into(y, fcnn::transposed(Y_rows), samples);
            const auto t1 = Clock::now();
            net.feedforward_into(pass, pass.a_s[0]);
            const auto t2 = Clock::now();
            cost_sum = cost_sum + net.cost().value(pass.a_s.back(), y, pass.z_s.back(), net.layers().back().activation);
            const auto t3 = Clock::now();
            net.backprop_into(work, y, pass.z_s, pass.a_s);
            const auto t4 = Clock::now();
            optimizer.step(parameters);
            const auto t5 = Clock::now();
            const Times spent = {us(t0, t1), us(t1, t2), us(t2, t3), us(t3, t4), us(t4, t5)};
            for (std::size_t p = 0; p < total.size(); ++p) total[p] += spent[p];
        }
        for (double& t : total) t /= static_cast<double>(batches);
        return total;
    }
};

// One row per phase and one for their sum: the median of the rounds on each thread count, and
// with two thread counts the first's time over the second's.
void print_table(const std::vector<std::size_t>& threads, const std::vector<std::vector<std::vector<double>>>& times) {
    std::printf("%-12s", "phase");
    for (std::size_t n : threads) std::printf("  %7zu thread%s", n, n == 1 ? " " : "s");
    if (threads.size() == 2) std::printf("   speed-up");
    std::printf("\n");
    std::vector<double> sums(threads.size(), 0);
    const auto print_row = [&](const char* name, const std::vector<double>& us) {
        std::printf("%-12s", name);
        for (double t : us) std::printf("  %11.1f us", t);
        if (us.size() == 2) std::printf("   %7.2fx", us[0] / us[1]);
        std::printf("\n");
    };
    for (std::size_t p = 0; p < phase_names.size(); ++p) {
        std::vector<double> medians;
        for (std::size_t t = 0; t < threads.size(); ++t) medians.push_back(bench::median(times[t][p]));
        for (std::size_t t = 0; t < threads.size(); ++t) sums[t] += medians[t];
        print_row(phase_names[p], medians);
    }
    print_row("all", sums);
}

template <typename Scalar>
void run(const Settings& settings) {
    Trainer<Scalar> trainer;
    std::vector<std::size_t> order(60000);
    std::iota(order.begin(), order.end(), std::size_t(0));
    fcnn::Random random(2);
    // times[t][p]: the rounds' times of phase p on settings.threads[t] threads
    std::vector<std::vector<std::vector<double>>> times(settings.threads.size(),
                                                        std::vector<std::vector<double>>(phase_names.size()));
    for (std::size_t r = 0; r < settings.rounds; ++r)
        for (std::size_t t = 0; t < settings.threads.size(); ++t) {  // alternated, round by round
            fcnn::set_thread_count(settings.threads[t]);
            random.shuffle(order);
            const Times round = trainer.pass_over(order, settings.batch, settings.batches);
            for (std::size_t p = 0; p < round.size(); ++p) times[t][p].push_back(round[p]);
        }
    fcnn::set_thread_count(0);
    print_table(settings.threads, times);
}

}  // namespace

int main(int argc, char** argv) try {
    const Settings settings = parse(argc, argv);
    std::printf("bench/phases: one training step of 784-256-128-10 (%s, batch %zu, SGD), microseconds per batch "
                "by phase, median of %zu rounds of %zu batches; %u cores, %s, %s\n",
                settings.precision.c_str(), settings.batch, settings.rounds, settings.batches, bench::cores(),
                bench::compiler().c_str(), bench::instruction_set().c_str());
    if (settings.precision == "float")
        run<float>(settings);
    else
        run<double>(settings);
} catch (const std::exception& e) {
    std::fprintf(stderr, "phases: %s\n", e.what());
    return 1;
}
