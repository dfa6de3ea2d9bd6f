// How many threads fcnn's matrix products use, and the small pool that runs them.
//
// The default is the FCNN_THREADS environment variable when it is set, otherwise every core
// (std::thread::hardware_concurrency). Results never depend on the count: the work is split by
// rows of the output, and no sum is ever divided between threads (docs/design.md).
#pragma once

#include <cstddef>

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

}  // namespace fcnn
