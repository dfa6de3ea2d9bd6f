// bench/threads: what it costs two threads to work together on this machine, the two numbers
// that decide whether a second thread pays in training:
// - the round trip of one cache line between two threads (each waits for the other's write),
//   which is what every number one core writes and the other reads costs, at least;
// - one fork/join of fcnn's pool: parallel_for(2 tasks) of tasks that do nothing.
// A batch of training at 784-256-128-10 does about 15 fork/joins and passes a few hundred
// kilobytes between the cores. On a virtual machine the round trip can change while you
// watch (two cores that share a cache, then two that don't), and 2-thread training with it.
//
//   build/bench/threads                # both, median of 5 runs
//   build/bench/threads --runs 9
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fcnn/threads.hpp>

#include "timing.hpp"

namespace {

// Nanoseconds for one round trip: this thread writes an even count, the other sees it and
// writes the next odd one, and so on, for up to `rounds` round trips or 0.2 s, whichever comes
// first (on a busy machine a thread may wait a whole time slice for the other: both yield
// their core after a few thousand looks, and -1 tells the other thread to stop). The line is
// on its own, 64-byte aligned.
double round_trip_ns(long rounds) {
    struct alignas(64) Line {
        std::atomic<long> count{0};
    } line;
    // Waits until the count is `value` (true) or -1 (false, the end).
    const auto wait_for = [&](long value) {
        for (int looks = 1;; ++looks) {
            const long seen = line.count.load(std::memory_order_acquire);
            if (seen == value) return true;
            if (seen == -1) return false;
            if (looks > 4096) std::this_thread::yield();
        }
    };
    std::thread other([&] {
        for (long i = 1; wait_for(i); i += 2) line.count.store(i + 1, std::memory_order_release);
    });
    const auto start = std::chrono::steady_clock::now();
    long done = 0;
    while (done < rounds && (done % 1024 != 0 || bench::seconds_since(start) < 0.2)) {
        wait_for(2 * done);
        line.count.store(2 * done + 1, std::memory_order_release);
        ++done;
    }
    wait_for(2 * done);
    const double seconds = bench::seconds_since(start);
    line.count.store(-1, std::memory_order_release);
    other.join();
    return seconds / double(done) * 1e9;
}

// Microseconds for one parallel_for of two empty tasks on fcnn's pool of 2 threads.
double fork_join_us() {
    constexpr fcnn::Task nothing = [](void*, std::size_t) {};
    return bench::time_one_call([&] { fcnn::parallel_for(2, nothing, nullptr); }, 0.1) * 1e6;
}

}  // namespace

int main(int argc, char** argv) try {
    std::size_t runs = 5;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag == "--help") {
            std::puts("usage: threads [--runs 5]   (cache-line round trip and fcnn's fork/join, 2 threads)");
            return 0;
        }
        if (flag != "--runs" || i + 1 == argc) throw std::invalid_argument("unknown flag " + flag + " (try --help)");
        runs = bench::whole_number(flag, argv[++i]);
        if (runs == 0) throw std::invalid_argument("--runs must be at least 1");
    }
    std::printf("bench/threads: two threads working together, median of %zu runs\n", runs);
    std::printf("machine: %u cores; %s\n", bench::cores(), bench::compiler().c_str());
    fcnn::set_thread_count(2);
    fork_join_us();  // starts the pool outside the timing
    std::vector<double> trips, forks;
    for (std::size_t run = 0; run < runs; ++run) {
        trips.push_back(round_trip_ns(100000));
        forks.push_back(fork_join_us());
    }
    std::printf("cache-line round trip between 2 threads: %.0f ns (runs %.0f to %.0f)\n", bench::median(trips),
                *std::min_element(trips.begin(), trips.end()), *std::max_element(trips.begin(), trips.end()));
    std::printf("fcnn fork/join, parallel_for of 2 empty tasks: %.3f us (runs %.3f to %.3f)\n", bench::median(forks),
                *std::min_element(forks.begin(), forks.end()), *std::max_element(forks.begin(), forks.end()));
    return 0;
} catch (const std::exception& error) {
    std::fprintf(stderr, "threads: %s\n", error.what());
    return 1;
}
