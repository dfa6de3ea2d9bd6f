// Every heap allocation of this program goes through the global operator new below, which counts
// them and their bytes. Two uses:
// - Training allocates nothing per batch: the counts taken after each batch must not move within
//   an epoch. (Between epochs the history grows; that is per epoch, not per batch.)
// - Loaders cannot be made to allocate: a small file whose header promises a huge matrix (or a
//   gzip bomb) fails having used memory in proportion to the file, not to the promise.
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fcnn/data/dataset.hpp>
#include <fcnn/data/gzip.hpp>
#include <fcnn/model_file.hpp>
#include <fcnn/network.hpp>
#include <fcnn/npz.hpp>
#include <fcnn/training.hpp>
#include <fcnn/random.hpp>
#include <fcnn/threads.hpp>

// ThreadSanitizer's runtime defines operator new itself, so a TSan build cannot count: there the
// operator below is left out and the tests are skipped (reported as skipped, not as passed).
#if defined(__SANITIZE_THREAD__)
#define FCNN_TEST_UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define FCNN_TEST_UNDER_TSAN 1
#endif
#endif
#ifndef FCNN_TEST_UNDER_TSAN
#define FCNN_TEST_UNDER_TSAN 0
#endif

namespace {
constexpr bool cannot_count = FCNN_TEST_UNDER_TSAN;
std::atomic<std::size_t> allocations{0};
std::atomic<std::size_t> allocated_bytes{0};     // in all, since the program started
std::atomic<std::size_t> largest_allocation{0};  // the largest single request since the last reset
}

#if !FCNN_TEST_UNDER_TSAN
void* operator new(std::size_t size) {
    ++allocations;
    allocated_bytes += size;
    for (std::size_t seen = largest_allocation.load(); size > seen;)
        if (largest_allocation.compare_exchange_weak(seen, size)) break;
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#endif

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
    fcnn::TrainOptions options{.batch_size = 32, .epochs = 3, .optimizer = {.learning_rate = 0.01}, .seed = 2};
    options.optimizer.name = optimizer;
    options.optimizer.l2 = l2;
    options.on_epoch = [&](const fcnn::EpochStats&) { ++epoch; };
    options.on_batch = [&](std::size_t index, std::size_t, double) {
        batches.push_back({epoch, index, allocations.load()});
    };
    fcnn::train(net, X, Y, options);
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

TEST_CASE("the counter sees allocations (so the tests below can fail)" * doctest::skip(cannot_count)) {
    const std::size_t before = allocations.load();
    std::vector<double> values(100);
    CHECK(allocations.load() == before + 1);
}

TEST_CASE("a training step allocates nothing once the workspaces have their size" * doctest::skip(cannot_count)) {
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

namespace {

struct MemoryUse {
    std::size_t bytes = 0;    // allocated in all while the call ran
    std::size_t largest = 0;  // the largest single allocation
};

// What `call` allocated, and the message of the exception it threw ("" if none).
template <typename Call>
MemoryUse memory_used_by(const Call& call, std::string& error) {
    largest_allocation = 0;
    const std::size_t before = allocated_bytes.load();
    error.clear();
    try {
        call();
    } catch (const std::exception& e) {
        error = e.what();
    }
    return {allocated_bytes.load() - before, largest_allocation.load()};
}

constexpr std::size_t kilobyte = 1024, megabyte = 1024 * 1024;

// Raw DEFLATE, one block with the fixed codes: the literal 0, then `copies` copies of 258 bytes
// from distance 1, then the end of the block. 1 + 258 copies zero bytes from 13 bits per copy:
// the densest DEFLATE can be, about 1 to 160 here.
std::vector<std::uint8_t> deflated_zeros(std::size_t copies) {
    std::vector<std::uint8_t> out;
    std::size_t bit = 0;
    const auto put_bit = [&](unsigned value) {
        if (bit++ % 8 == 0) out.push_back(0);
        out.back() = static_cast<std::uint8_t>(out.back() | (value & 1) << ((bit - 1) % 8));
    };
    const auto put_code = [&](unsigned code, unsigned length) {  // Huffman codes: most significant bit first
        while (length-- > 0) put_bit(code >> length);
    };
    put_bit(1), put_bit(1), put_bit(0);  // the last block; type 01 (fixed codes), least significant bit first
    put_code(0x30, 8);                   // literal 0
    for (std::size_t i = 0; i < copies; ++i) {
        put_code(0xc5, 8);  // length symbol 285: 258 bytes
        put_code(0, 5);     // distance symbol 0: distance 1
    }
    put_code(0, 7);  // end of block (256)
    return out;
}

// The same as a gzip member with a correct trailer (CRC-32 and length).
std::vector<std::uint8_t> gzipped_zeros(std::size_t copies) {
    std::vector<std::uint8_t> gz = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff};
    const std::vector<std::uint8_t> deflated = deflated_zeros(copies);
    gz.insert(gz.end(), deflated.begin(), deflated.end());
    const std::vector<std::uint8_t> zeros(1 + 258 * copies, 0);
    for (const std::uint32_t word : {fcnn::data::crc32(zeros), static_cast<std::uint32_t>(zeros.size())})
        for (int shift : {0, 8, 16, 24}) gz.push_back(static_cast<std::uint8_t>(word >> shift));
    return gz;
}

}  // namespace

TEST_CASE("the byte counter sees allocations (so the tests below can fail)" * doctest::skip(cannot_count)) {
    std::string error;
    const MemoryUse used = memory_used_by([] { std::vector<double> values(1000); }, error);
    CHECK(used.bytes >= 8000);
    CHECK(used.largest == 8000);
}

TEST_CASE("a 100-byte model file that promises a 16384x16384 layer fails at its end, having allocated little"
          * doctest::skip(cannot_count)) {
    const std::string hostile =
        "fcnn-model 1\ncost quadratic\nlayers 1\nlayer 1 inputs 16384 outputs 16384 activation relu\nweights\n0 0\n";
    REQUIRE(hostile.size() == 100);
    std::string error;
    SUBCASE("float") {
        const MemoryUse used = memory_used_by([&] { std::istringstream in(hostile); fcnn::load_model<float>(in, "m.model"); }, error);
        CHECK(used.bytes < 64 * kilobyte);  // filling the matrix first took 1 GiB
    }
    SUBCASE("double") {
        const MemoryUse used = memory_used_by([&] { std::istringstream in(hostile); fcnn::load_model<double>(in, "m.model"); }, error);
        CHECK(used.bytes < 64 * kilobyte);  // 2 GiB
    }
    CHECK(error == "m.model:6: expected 16384 numbers (row 1 of W^1), found 2: '0 0'");
}

TEST_CASE("a scaler file that promises a billion features fails at its end, having allocated little"
          * doctest::skip(cannot_count)) {
    std::string error;
    const MemoryUse used = memory_used_by(
        [] { fcnn::data::Scaler::from_text("fcnn-scaler 1\nmin_max 1000000000\n0 1\n", "m.scale"); }, error);
    CHECK(error == "m.scale: expected 1000000000 lines of 'offset scale', found 1");
    CHECK(used.bytes < 64 * kilobyte);  // sizing the vectors first took 8 GB
}

TEST_CASE("a gzip bomb stops at the output limit, having used memory in proportion to the limit"
          * doctest::skip(cannot_count)) {
    const std::vector<std::uint8_t> bomb = gzipped_zeros(40000);  // 10 MB of zeros
    CHECK(bomb.size() < 70 * kilobyte);
    std::string error;
    const MemoryUse used = memory_used_by([&] { fcnn::data::gunzip(bomb, "bomb.gz", megabyte); }, error);
    CHECK(error == "bomb.gz: the data decompresses to more than 1048576 bytes, the most this reader takes");
    CHECK(used.largest <= 2 * megabyte);  // the output vector, doubled as it grew

    const std::vector<std::uint8_t> small = gzipped_zeros(1000);  // 258001 zeros: exactly at a limit passes
    CHECK(fcnn::data::gunzip(small, "small.gz", 258001) == std::vector<std::uint8_t>(258001, 0));
    memory_used_by([&] { fcnn::data::gunzip(small, "small.gz", 258000); }, error);
    CHECK(error == "small.gz: the data decompresses to more than 258000 bytes, the most this reader takes");
}

// tests/fuzz/regressions/npz/inflates_past_its_size.npz: 1234 bytes whose one deflated entry the
// zip directory records as 128 bytes, but which inflates to a megabyte. Inflating stops at the
// recorded size; it used to inflate all of it and compare the sizes afterwards.
TEST_CASE("an .npz entry that inflates past the size its directory records stops there, having allocated little"
          * doctest::skip(cannot_count)) {
    std::ifstream in(std::filesystem::path(FCNN_SOURCE_DIR) / "tests/fuzz/regressions/npz/inflates_past_its_size.npz", std::ios::binary);
    const std::vector<std::uint8_t> archive((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(archive.size() == 1234);
    std::string error;
    const MemoryUse used = memory_used_by([&] { fcnn::parse_npz(archive, "m.npz"); }, error);
    CHECK(error == "m.npz (0.bias.npy): the data decompresses to more than 128 bytes, the most this reader takes");
    CHECK(used.bytes < 64 * kilobyte);  // 2 MB (the output vector, grown to a megabyte) before
}
