// Small timing helpers shared by the benchmarks: medians of repeated runs, and the machine.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <string>
#include <thread>
#include <vector>

namespace bench {

inline double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Seconds for one call of f: f is repeated until at least min_seconds pass, and the time is
// divided by the repetitions, so short calls are not lost in the clock's resolution.
template <typename Function>
double time_one_call(Function&& f, double min_seconds = 0.05) {
    std::size_t repetitions = 0;
    const auto start = std::chrono::steady_clock::now();
    double elapsed = 0;
    do {
        f();
        ++repetitions;
        elapsed = seconds_since(start);
    } while (elapsed < min_seconds);
    return elapsed / static_cast<double>(repetitions);
}

inline double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

inline std::string compiler() {
#if defined(__clang__)
    return "Clang " + std::to_string(__clang_major__) + "." + std::to_string(__clang_minor__);
#elif defined(__GNUC__)
    return "GCC " + std::to_string(__GNUC__) + "." + std::to_string(__GNUC_MINOR__);
#else
    return "unknown compiler";
#endif
}

// What the compiler was allowed to use: the SIMD width and whether it has fused multiply-add.
inline std::string instruction_set() {
#if defined(__AVX512F__)
    std::string simd = "AVX-512";
#elif defined(__AVX2__)
    std::string simd = "AVX2";
#elif defined(__AVX__)
    std::string simd = "AVX";
#elif defined(__SSE2__)
    std::string simd = "SSE2";
#else
    std::string simd = "no x86 SIMD";
#endif
#if defined(__FMA__) || defined(__ARM_FEATURE_FMA)
    return simd + " with FMA";
#else
    return simd + " without FMA (fused multiply-adds run in software)";
#endif
}

inline unsigned cores() { return std::max(1u, std::thread::hardware_concurrency()); }

}  // namespace bench
