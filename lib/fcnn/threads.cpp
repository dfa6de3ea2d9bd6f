#include "fcnn/threads.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "fcnn/number_text.hpp"

namespace fcnn {

namespace {

// threads - 1 workers that wait until run() hands them a batch of tasks; the caller is thread 0.
// Created once per thread count, not per product. Training runs several small products per
// batch, so a worker first spins for a short while (watching the generation counter) before it
// sleeps: waking a sleeping thread costs tens of microseconds, as long as a small product.
// The caller, done with its share, spins too while the workers finish theirs, and yields the
// core only after caller_looks_before_yield looks (a count; the workers' limit is a time): a
// sched_yield is a system call, and yielding on every look made a fork/join of 2 threads cost
// 0.55 us instead of 0.13 us (docs/results.md, "Two threads on a virtual machine").
class ThreadPool {
    static constexpr std::size_t caller_looks_before_yield = 4096;

public:
    explicit ThreadPool(std::size_t threads) {
        for (std::size_t t = 1; t < threads; ++t) workers_.emplace_back([this, t] { work(t); });
    }

    ~ThreadPool() {
        {
            std::lock_guard lock(mutex_);
            stopping_.store(true);
        }
        wake_.notify_all();
        for (std::thread& worker : workers_) worker.join();
    }

    std::size_t threads() const { return workers_.size() + 1; }

    void run(std::size_t tasks, Task task, void* context) {
        std::unique_lock busy(run_mutex_, std::try_to_lock);
        if (!busy || workers_.empty() || tasks == 1) {
            for (std::size_t i = 0; i < tasks; ++i) task(context, i);
            return;
        }
        task_ = task;  // published to the workers by the generation's release below
        context_ = context;
        tasks_ = tasks;
        working_.store(workers_.size());
        {
            std::lock_guard lock(mutex_);  // so that a worker about to sleep cannot miss it
            generation_.fetch_add(1, std::memory_order_release);
        }
        wake_.notify_all();
        run_tasks(0);
        for (std::size_t looks = 1; working_.load(std::memory_order_acquire) != 0; ++looks)
            if (looks > caller_looks_before_yield) std::this_thread::yield();  // a worker the OS is not running
    }

private:
    void work(std::size_t thread) {
        std::size_t seen = 0;
        for (;;) {
            wait_for_work(seen);
            if (stopping_.load()) return;
            seen = generation_.load(std::memory_order_acquire);
            run_tasks(thread);
            working_.fetch_sub(1, std::memory_order_release);
        }
    }

    void wait_for_work(std::size_t seen) {
        const auto changed = [&] { return generation_.load(std::memory_order_acquire) != seen || stopping_.load(); };
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::microseconds(200);
        for (std::size_t spins = 1; !changed(); ++spins)
            if (spins % 256 == 0 && std::chrono::steady_clock::now() > give_up) {
                std::unique_lock lock(mutex_);
                wake_.wait(lock, changed);
            }
    }

    // Thread t (the caller is 0) runs tasks t, t + threads, ...: a fixed share, so the same
    // thread always computes the same part of a product and sizes its buffers once.
    void run_tasks(std::size_t thread) {
        for (std::size_t i = thread; i < tasks_; i += threads()) task_(context_, i);
    }

    std::vector<std::thread> workers_;
    std::mutex run_mutex_;  // one batch of tasks at a time
    std::mutex mutex_;      // for sleeping on wake_
    std::condition_variable wake_;
    Task task_ = nullptr;
    void* context_ = nullptr;
    std::size_t tasks_ = 0;
    std::atomic<std::size_t> working_{0};     // workers still busy with this generation
    std::atomic<std::size_t> generation_{0};  // counts the batches of tasks handed out
    std::atomic<bool> stopping_{false};
};

std::size_t threads_from_environment() {
    const char* text = std::getenv("FCNN_THREADS");
    if (text == nullptr || *text == '\0') return std::max(1u, std::thread::hardware_concurrency());
    const std::optional<std::uint64_t> n = parse_whole_number(text);
    if (!n || *n < 1 || *n > max_threads)
        throw std::invalid_argument("FCNN_THREADS must be a whole number from 1 to " +
                                    std::to_string(max_threads) + ", got '" + text + "'");
    return static_cast<std::size_t>(*n);
}

std::mutex pool_mutex;              // guards the two below
std::size_t configured_threads = 0;  // 0: not read from the environment yet
std::unique_ptr<ThreadPool> pool;    // started by the first product that uses threads

std::size_t configured() {  // with pool_mutex held
    if (configured_threads == 0) configured_threads = threads_from_environment();
    return configured_threads;
}

}  // namespace

std::size_t thread_count() {
    std::lock_guard lock(pool_mutex);
    return configured();
}

void set_thread_count(std::size_t n) {
    if (n > max_threads)
        throw std::invalid_argument("set_thread_count: at most " + std::to_string(max_threads) +
                                    " threads, got " + std::to_string(n));
    std::lock_guard lock(pool_mutex);
    pool.reset();  // joins the old workers; the next parallel product starts new ones
    configured_threads = n == 0 ? threads_from_environment() : n;
}

void parallel_for(std::size_t tasks, Task task, void* context) {
    ThreadPool* runner = nullptr;
    {
        std::lock_guard lock(pool_mutex);
        if (tasks > 1 && configured() > 1 && !pool) pool = std::make_unique<ThreadPool>(configured());
        runner = pool.get();
    }
    if (runner == nullptr) {
        for (std::size_t i = 0; i < tasks; ++i) task(context, i);
        return;
    }
    runner->run(tasks, task, context);
}

}  // namespace fcnn
