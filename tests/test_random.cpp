// fcnn::Random against values from an independent implementation (tests/random_reference.py).
#include <algorithm>
#include <stdexcept>
#include <cmath>
#include <numeric>
#include <vector>

#include <doctest/doctest.h>
#include <fcnn/random.hpp>

TEST_CASE("xoshiro256** seeded by splitmix64 gives the reference bits") {
    fcnn::Random random(1);
    CHECK(random.next() == 0xb3f2af6d0fc710c5);
    CHECK(random.next() == 0x853b559647364cea);
    CHECK(random.next() == 0x92f89756082a4514);
}

TEST_CASE("uniform takes the top 53 bits") {
    fcnn::Random random(42);
    CHECK(random.uniform() == 0.08386297105988216);
    CHECK(random.uniform() == 0.3789802506626686);
    CHECK(random.uniform() == 0.6800434110281394);
}

TEST_CASE("normal is Box-Muller on two uniforms") {
    fcnn::Random random(7);
    CHECK(random.normal() == -0.2790239910251981);
    CHECK(random.normal() == 1.8997685786889567);
    CHECK(random.normal() == 2.136306014732201);
}

TEST_CASE("normal has mean 0 and variance 1") {
    fcnn::Random random(3);
    const int n = 200000;
    double sum = 0, squares = 0;
    for (int i = 0; i < n; ++i) {
        const double x = random.normal();
        sum += x;
        squares += x * x;
    }
    const double mean = sum / n, variance = squares / n - mean * mean;
    CHECK(std::abs(mean) < 0.01);  // the standard error of the mean is 1/sqrt(n) = 0.0022
    CHECK(std::abs(variance - 1) < 0.01);
}

TEST_CASE("below stays in range and reaches every value") {
    fcnn::Random random(5);
    std::vector<int> seen(7, 0);
    for (int i = 0; i < 7000; ++i) ++seen[random.below(7)];
    for (int count : seen) CHECK((count > 850 && count < 1150));
    CHECK_THROWS_WITH_AS(random.below(0), "Random::below: n must be at least 1", std::invalid_argument);
}

TEST_CASE("shuffle permutes, and the same seed gives the same order") {
    std::vector<std::size_t> a(50), b(50);
    std::iota(a.begin(), a.end(), std::size_t(0));
    std::iota(b.begin(), b.end(), std::size_t(0));
    fcnn::Random first(9), second(9);
    first.shuffle(a);
    second.shuffle(b);
    CHECK(a == b);
    CHECK(!std::is_sorted(a.begin(), a.end()));
    std::sort(a.begin(), a.end());
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i] == i);
}
