// Matrix comparisons that say what differs when they fail, in the manner of llm.c's checks:
// the first values side by side, the largest difference and where, the tolerance.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include <doctest/doctest.h>
#include <fcnn/matrix.hpp>

namespace fcnn_test {

template <typename Scalar>
std::string describe_difference(const fcnn::BasicMatrix<Scalar>& actual, const fcnn::BasicMatrix<Scalar>& expected,
                                double tolerance, double& largest) {
    std::string report = "actual is " + actual.shape() + ", expected " + expected.shape() + "\n";
    if (actual.rows() != expected.rows() || actual.cols() != expected.cols()) {
        largest = INFINITY;
        return report;
    }
    largest = 0;
    std::size_t worst = 0;
    const auto a = actual.values(), e = expected.values();
    for (std::size_t i = 0; i < a.size(); ++i) {
        const double difference = std::abs(static_cast<double>(a[i]) - static_cast<double>(e[i]));
        if (!(difference <= largest)) {  // also catches NaN
            largest = difference;
            worst = i;
        }
    }
    char line[200];
    for (std::size_t i = 0; i < std::min<std::size_t>(a.size(), 5); ++i) {
        std::snprintf(line, sizeof line, "  [%zu] actual %.12g  expected %.12g\n", i, double(a[i]), double(e[i]));
        report += line;
    }
    std::snprintf(line, sizeof line, "largest difference %.3e at element %zu (row %zu, col %zu), tolerance %.1e\n",
                  largest, worst, worst / std::max<std::size_t>(actual.cols(), 1),
                  worst % std::max<std::size_t>(actual.cols(), 1), tolerance);
    return report + line;
}

// Elementwise |actual - expected| <= tolerance, with a report on failure.
template <typename Scalar>
void check_close(const fcnn::BasicMatrix<Scalar>& actual, const fcnn::BasicMatrix<Scalar>& expected,
                 double tolerance) {
    double largest = 0;
    const std::string report = describe_difference(actual, expected, tolerance, largest);
    INFO(report);
    CHECK(largest <= tolerance);
}

}  // namespace fcnn_test
