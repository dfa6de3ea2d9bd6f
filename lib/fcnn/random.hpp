// fcnn's own random numbers, so that one seed gives bit-identical weights, shuffles and
// training on every compiler. (std::normal_distribution and std::shuffle are left to each
// standard library to define, and they differ.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace fcnn {

// xoshiro256** (Blackman and Vigna), seeded through splitmix64 as its authors recommend.
class Random {
public:
    explicit Random(std::uint64_t seed);

    std::uint64_t next();             // 64 random bits
    double uniform();                 // in [0, 1), from the top 53 bits
    std::size_t below(std::size_t n); // in [0, n), without modulo bias; n must be > 0
    double normal();                  // standard normal N(0, 1), by Box-Muller

    // Fisher-Yates: every order of the indices equally likely.
    void shuffle(std::span<std::size_t> indices);

private:
    std::uint64_t state_[4];
};

}  // namespace fcnn
