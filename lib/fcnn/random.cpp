#include "fcnn/random.hpp"

#include "fcnn/elementary.hpp"

#include <bit>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <utility>

namespace fcnn {

namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
}

}  // namespace

Random::Random(std::uint64_t seed) {
    for (std::uint64_t& word : state_) word = splitmix64(seed);
}

std::uint64_t Random::next() {
    const std::uint64_t result = std::rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = std::rotl(state_[3], 45);
    return result;
}

double Random::uniform() {
    return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

std::size_t Random::below(std::size_t n) {
    if (n == 0) throw std::invalid_argument("Random::below: n must be at least 1");
    // Values under `threshold` would make the low residues more likely: draw again.
    const std::uint64_t threshold = (0 - static_cast<std::uint64_t>(n)) % n;
    std::uint64_t r = next();
    while (r < threshold) r = next();
    return static_cast<std::size_t>(r % n);
}

double Random::normal() {
    // Box-Muller: sqrt(-2 ln u1) cos(2 pi u2) is N(0, 1) for u1, u2 uniform. 1 - uniform()
    // lies in (0, 1], so the logarithm is finite. Only the cosine half is used: one pair of
    // draws per number keeps the sequence simple to follow.
    const double u1 = 1.0 - uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * fcnn::log(u1)) * fcnn::cos(2.0 * std::numbers::pi * u2);
}

void Random::shuffle(std::span<std::size_t> indices) {
    for (std::size_t i = indices.size(); i > 1; --i) std::swap(indices[i - 1], indices[below(i)]);
}

}  // namespace fcnn
