// Training allocates nothing per batch: every heap allocation of this program goes through the
// global operator new below, which counts them, and the counts taken after each batch must not
// move within an epoch. (Between epochs the history grows; that is per epoch, not per batch.)
#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fcnn/network.hpp>
#include <fcnn/random.hpp>
#include <fcnn/threads.hpp>

namespace {
std::atomic<std::size_t> allocations{0};
}

void* operator new(std::size_t size) {
    ++allocations;
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

struct Batch {
    std::size_t epoch, index, allocations_so_far;
};

// Trains on 1000 random samples in batches of 32 (the last one holds 8, so the workspaces
// shrink and grow again) and records the allocation count after every batch.
template <typename Scalar>
std::vector<Batch> record_training(const std::vector<std::string>& activations, const std::string& cost,
                                   const std::string& optimizer, double l2) {
    fcnn::Random random(3);
    const std::size_t samples = 1000, inputs = 64, classes = 10;
    fcnn::BasicMatrix<Scalar> X(inputs, samples), Y(classes, samples);
    for (Scalar& x : X.values()) x = static_cast<Scalar>(random.normal());
    for (std::size_t j = 0; j < samples; ++j) Y(j % classes, j) = 1;
    fcnn::BasicNetwork<Scalar> net({inputs, 128, classes}, activations, {.cost = cost, .init = "he", .seed = 1});
    std::vector<Batch> batches;
    batches.reserve(100);  // so that recording does not allocate
    std::size_t epoch = 1;
    fcnn::TrainOptions options{.batch_size = 32, .epochs = 3, .learning_rate = 0.01, .seed = 2};
    options.optimizer = optimizer;
    options.l2 = l2;
    options.on_epoch = [&](const fcnn::EpochStats&) { ++epoch; };
    options.on_batch = [&](std::size_t index, std::size_t, double) {
        batches.push_back({epoch, index, allocations.load()});
    };
    net.train(X, Y, options);
    return batches;
}

void check_no_allocation_per_batch(const std::vector<Batch>& batches) {
    REQUIRE(batches.size() == 3 * 32);
    for (const Batch& batch : batches) {
        const Batch& first = batches[(batch.epoch - 1) * 32];  // batch 1 of the same epoch
        INFO("epoch " << batch.epoch << ", batch " << batch.index);
        CHECK(batch.allocations_so_far == first.allocations_so_far);
    }
}

}  // namespace

TEST_CASE("the counter sees allocations (so the tests below can fail)") {
    const std::size_t before = allocations.load();
    std::vector<double> values(100);
    CHECK(allocations.load() == before + 1);
}

TEST_CASE("a training step allocates nothing once the workspaces have their size") {
    for (std::size_t threads : {1, 2}) {
        INFO(threads << " threads");
        fcnn::set_thread_count(threads);
        SUBCASE("float, relu/softmax, cross-entropy, adam") {
            check_no_allocation_per_batch(record_training<float>({"relu", "softmax"}, "cross_entropy", "adam", 0));
        }
        SUBCASE("double, sigmoid, quadratic (cost gradient and sigma'), momentum with L2") {
            check_no_allocation_per_batch(record_training<double>({"sigmoid", "sigmoid"}, "quadratic", "momentum", 1e-4));
        }
        SUBCASE("float, tanh/sigmoid, binary cross-entropy, sgd") {
            check_no_allocation_per_batch(
                record_training<float>({"tanh", "sigmoid"}, "binary_cross_entropy", "sgd", 0));
        }
    }
    fcnn::set_thread_count(0);
}
