// How many threads fcnn's matrix products use, and the small pool that runs them.
//
// The default is the FCNN_THREADS environment variable when it is set, otherwise every core
// (std::thread::hardware_concurrency). Results never depend on the count: the work is split by
// rows of the output, and no sum is ever divided between threads (docs/design.md).
#pragma once

#include <algorithm>
#include <cstddef>
#include <type_traits>

namespace fcnn {

// The current thread count (at least 1). Throws std::invalid_argument when FCNN_THREADS is set
// to anything but a whole number from 1 to max_threads.
std::size_t thread_count();

// Use n threads from now on; 0 goes back to the default. Throws std::invalid_argument above
// max_threads. Not to be called while another thread is inside a matrix product.
void set_thread_count(std::size_t n);

inline constexpr std::size_t max_threads = 256;

// Runs task(context, i) for i = 0 .. tasks - 1 on the pool and the calling thread, and returns
// when all are done. Each index runs exactly once, task i on thread i mod thread_count() (the
// caller is thread 0); a task must write only what belongs to its index. Allocates nothing. If the pool is already busy
// (a product called from two threads at once), the calls run one after another on this thread.
using Task = void (*)(void* context, std::size_t index);
void parallel_for(std::size_t tasks, Task task, void* context);

// Calls f(begin, end) on consecutive parts of [0, n) on the pool: one part per thread when n
// holds at least 2 * min_part items, else f(0, n) on this thread. For elementwise loops, whose
// results cannot depend on the split. Allocates nothing.
template <typename Function>
void parallel_ranges(std::size_t n, std::size_t min_part, Function&& f) {
    const std::size_t parts = std::min(thread_count(), n / std::max<std::size_t>(min_part, 1));
    if (parts <= 1) return f(std::size_t(0), n);
    struct Job {
        std::remove_reference_t<Function>* f;  // Function is G& for a named f, G for a temporary
        std::size_t n, parts;
    } job{&f, n, parts};
    parallel_for(parts, [](void* context, std::size_t i) {
        const Job& job = *static_cast<const Job*>(context);
        (*job.f)(job.n * i / job.parts, job.n * (i + 1) / job.parts);
    }, &job);
}

}  // namespace fcnn
