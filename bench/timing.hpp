// Small timing helpers shared by the benchmarks: medians of repeated runs, and the machine.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fcnn/number_text.hpp>

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

// "1,2,3" as {"1", "2", "3"}: the benchmarks' list flags.
inline std::vector<std::string> split_commas(const std::string& text) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        items.push_back(text.substr(start, comma - start));
        start = comma + 1;
    }
    return items;
}

// The value of a flag such as --runs 7, or an error naming the flag.
inline std::size_t whole_number(const std::string& flag, const std::string& text) {
    const std::optional<std::uint64_t> n = fcnn::parse_whole_number(text);
    if (!n || *n > SIZE_MAX) throw std::invalid_argument(flag + " expects a whole number, got '" + text + "'");
    return static_cast<std::size_t>(*n);
}

inline std::vector<std::size_t> split_numbers(const std::string& text) {
    std::vector<std::size_t> numbers;
    for (const std::string& item : split_commas(text)) {
        const std::optional<std::uint64_t> n = fcnn::parse_whole_number(item);
        if (!n || *n > SIZE_MAX) throw std::invalid_argument("expected whole numbers like 1,2 but got '" + text + "'");
        numbers.push_back(static_cast<std::size_t>(*n));
    }
    return numbers;
}

inline unsigned cores() { return std::max(1u, std::thread::hardware_concurrency()); }

}  // namespace bench
