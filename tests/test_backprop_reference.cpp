// backprop_reference, BP1-BP4 written with the by-value teaching operations, against the fast
// backprop of network.cpp (workspaces, fused loops, transposed views, the blocked and threaded
// matmul): the same bits in every element of every nabla_w and nabla_b, for every accepted pairing
// of output activation and cost, every hidden activation, batches of 1, 3 and 32, float and
// double. And a batch's gradient is the average of its samples' gradients, within rounding.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>
#include <fcnn/backprop_reference.hpp>
#include <fcnn/network.hpp>
#include <fcnn/random.hpp>

#include "random_matrix.hpp"

namespace {

using fcnn::BasicMatrix;
using fcnn::BasicNetwork;
using fcnn::Gradients;

const std::vector<std::string> activations = {"sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax"};
const std::vector<std::string> hidden_activations = {"sigmoid", "tanh", "relu", "leaky_relu", "linear"};
const std::vector<std::string> costs = {"quadratic", "cross_entropy", "binary_cross_entropy"};

struct Pairing {
    std::string output, cost;
};

// Every pairing of output activation and cost that a network accepts (the others throw).
std::vector<Pairing> accepted_pairings() {
    std::vector<Pairing> accepted;
    for (const std::string& output : activations)
        for (const std::string& cost : costs) try {
                fcnn::Network({2, 2}, {output}, {.cost = cost});
                accepted.push_back({output, cost});
            } catch (const std::invalid_argument&) {
            }
    return accepted;
}

using fcnn_test::normal_matrix;

// Targets the cost accepts: one-hot columns for cross_entropy (they must sum to 1), numbers in
// [0, 1) for the others.
template <typename Scalar>
BasicMatrix<Scalar> targets(const std::string& cost, std::size_t rows, std::size_t cols, fcnn::Random& random) {
    BasicMatrix<Scalar> Y(rows, cols);
    for (std::size_t j = 0; j < cols; ++j)
        for (std::size_t i = 0; i < rows; ++i) Y(i, j) = static_cast<Scalar>(random.uniform());
    if (cost != "cross_entropy") return Y;
    Y = BasicMatrix<Scalar>(rows, cols);
    for (std::size_t j = 0; j < cols; ++j) Y(static_cast<std::size_t>(random.uniform() * double(rows)), j) = 1;
    return Y;
}

// "" when fast and reference hold the same bits in every element; else the first element that
// differs, both values, and how many differ.
template <typename Scalar>
std::string bit_difference(const char* name, std::size_t l, const BasicMatrix<Scalar>& fast,
                           const BasicMatrix<Scalar>& reference) {
    if (fast.shape() != reference.shape())
        return std::string(name) + "^" + std::to_string(l + 1) + ": fast is " + fast.shape() + ", reference is " +
               reference.shape();
    std::size_t differing = 0, first = 0;
    for (std::size_t i = 0; i < fast.size(); ++i) {
        const Scalar f = fast.values()[i], r = reference.values()[i];
        if (!(f == r) || std::memcmp(&f, &r, sizeof f) != 0) {
            if (differing++ == 0) first = i;
        }
    }
    if (differing == 0) return "";
    char text[200];
    std::snprintf(text, sizeof text, "%s^%zu: %zu of %zu elements differ; first (%zu, %zu): fast %.17g, reference %.17g",
                  name, l + 1, differing, fast.size(), first / fast.cols(), first % fast.cols(),
                  double(fast.values()[first]), double(reference.values()[first]));
    return text;
}

template <typename Scalar>
std::string bit_difference(const Gradients<Scalar>& fast, const Gradients<Scalar>& reference) {
    if (fast.nabla_w.size() != reference.nabla_w.size() || fast.nabla_b.size() != reference.nabla_b.size())
        return "different numbers of layers";
    for (std::size_t l = fast.nabla_w.size(); l-- > 0;) {
        std::string w = bit_difference("nabla_w", l, fast.nabla_w[l], reference.nabla_w[l]);
        std::string b = bit_difference("nabla_b", l, fast.nabla_b[l], reference.nabla_b[l]);
        if (!w.empty() || !b.empty()) return w + (w.empty() || b.empty() ? "" : "; ") + b;
    }
    return "";
}

// True when every layer's nabla_w has a number that is not 0.
template <typename Scalar>
bool has_nonzero(const Gradients<Scalar>& g) {
    for (const auto& nabla_w : g.nabla_w) {
        bool found = false;
        for (Scalar x : nabla_w.values()) found = found || x != 0;
        if (!found) return false;
    }
    return true;
}

template <typename Scalar>
struct Case {
    BasicNetwork<Scalar> net;
    std::string name;
};

// Networks of every accepted pairing, each hidden activation in turn: n_0 -> hidden -> hidden
// -> output, with the blog's N(0, 1) weights and biases. The wide ones make the matmul cross its cache blocks (K > 512, M > 120) and split
// over threads, so the fast path's blocked kernel is compared, not only its edge cases.
template <typename Scalar>
std::vector<Case<Scalar>> cases(bool wide) {
    std::vector<Case<Scalar>> all;
    const std::vector<std::size_t> sizes = wide ? std::vector<std::size_t>{520, 130, 40, 10}
                                                : std::vector<std::size_t>{5, 7, 6, 4};
    std::uint64_t seed = 1;
    for (const Pairing& pairing : accepted_pairings())
        for (std::size_t h = 0; h < hidden_activations.size(); ++h) {
            const std::string& first = hidden_activations[h];
            const std::string& second = hidden_activations[(h + 1) % hidden_activations.size()];
            all.push_back({BasicNetwork<Scalar>(sizes, {first, second, pairing.output},
                                                {.cost = pairing.cost, .seed = seed++}),
                           first + ", " + second + ", " + pairing.output + " with " + pairing.cost});
            if (wide) break;  // the wide networks: one hidden pair per pairing is enough
        }
    return all;
}

}  // namespace

TEST_CASE("every accepted pairing of output activation and cost is compared") {
    const std::vector<Pairing> accepted = accepted_pairings();
    // quadratic takes all six; cross_entropy sigmoid and softmax; binary_cross_entropy sigmoid.
    CHECK(accepted.size() == 9);
}

TEST_CASE_TEMPLATE("backprop_reference equals the fast backprop bit for bit", Scalar, float, double) {
    for (const bool wide : {false, true})
        for (const Case<Scalar>& c : cases<Scalar>(wide)) {
            fcnn::Random random(42);
            fcnn::BackpropWorkspace<Scalar> work;  // reused from batch to batch, as training does
            fcnn::ForwardPass<Scalar> pass;
            for (const std::size_t batch : {32, 3, 1}) {
                const BasicMatrix<Scalar> X = normal_matrix<Scalar>(c.net.sizes().front(), batch, random);
                const BasicMatrix<Scalar> Y = targets<Scalar>(c.net.cost().name().data(), c.net.sizes().back(), batch, random);
                const Gradients<Scalar> reference = fcnn::backprop_reference(c.net, X, Y);
                c.net.feedforward_into(pass, X);
                c.net.backprop_into(work, Y, pass.z_s, pass.a_s);
                INFO(c.name, ", batch ", batch);
                CHECK(has_nonzero(reference));  // zeros equal to zeros would prove nothing
                CHECK(bit_difference(work.gradients, reference) == "");
                CHECK(bit_difference(c.net.backprop(Y, pass.z_s, pass.a_s), reference) == "");
            }
        }
}

namespace {

// The average of the batch-1 gradients of X's columns, in long double, and for each element the
// mean of their magnitudes.
template <typename Scalar>
struct SampleAverage {
    std::vector<std::vector<long double>> mean, mean_abs;  // [layer][element], nabla_w then nabla_b
};

template <typename Scalar>
std::vector<const BasicMatrix<Scalar>*> parameters(const Gradients<Scalar>& g) {
    std::vector<const BasicMatrix<Scalar>*> all;
    for (const auto& w : g.nabla_w) all.push_back(&w);
    for (const auto& b : g.nabla_b) all.push_back(&b);
    return all;
}

template <typename Scalar>
SampleAverage<Scalar> average_of_samples(const BasicNetwork<Scalar>& net, const BasicMatrix<Scalar>& X,
                                         const BasicMatrix<Scalar>& Y) {
    SampleAverage<Scalar> average;
    const std::size_t n = X.cols();
    for (std::size_t x = 0; x < n; ++x) {
        const std::vector<std::size_t> column = {x};
        const Gradients<Scalar> g = fcnn::backprop_reference(net, gather_columns(X, column), gather_columns(Y, column));
        const auto matrices = parameters(g);
        average.mean.resize(matrices.size());
        average.mean_abs.resize(matrices.size());
        for (std::size_t m = 0; m < matrices.size(); ++m) {
            average.mean[m].resize(matrices[m]->size());
            average.mean_abs[m].resize(matrices[m]->size());
            for (std::size_t i = 0; i < matrices[m]->size(); ++i) {
                average.mean[m][i] += static_cast<long double>(matrices[m]->values()[i]) / n;
                average.mean_abs[m][i] += std::abs(static_cast<long double>(matrices[m]->values()[i])) / n;
            }
        }
    }
    return average;
}

// The largest |batch - average| / bound over all elements, with the bound of rounding per element
// 2 (n + 3) u mean_x |g_x|, u = epsilon / 2: the sum over n samples rounds at most n times
// (a relative error of n u of the sum of magnitudes), 1/n and the product with it once each, and
// the batch-1 products once; the factor 2 covers an average taken in a long double that is only
// a double (as on ARM and in WebAssembly). <= 1 is "equal within rounding".
template <typename Scalar>
long double worst_ratio(const Gradients<Scalar>& batch, const SampleAverage<Scalar>& average, std::size_t n,
                        std::string& where) {
    const long double u = std::numeric_limits<Scalar>::epsilon() / 2.0L;
    long double worst = 0;
    const auto matrices = parameters(batch);
    for (std::size_t m = 0; m < matrices.size(); ++m)
        for (std::size_t i = 0; i < matrices[m]->size(); ++i) {
            const long double difference = std::abs(matrices[m]->values()[i] - average.mean[m][i]);
            const long double bound = 2 * (n + 3) * u * average.mean_abs[m][i];
            const long double ratio = difference == 0 ? 0 : bound == 0 ? INFINITY : difference / bound;
            if (!(ratio <= worst)) {
                worst = ratio;
                where = "matrix " + std::to_string(m) + " element " + std::to_string(i) + ": batch " +
                        std::to_string(double(matrices[m]->values()[i])) + ", average of samples " +
                        std::to_string(double(average.mean[m][i]));
            }
        }
    return worst;
}

}  // namespace

TEST_CASE_TEMPLATE("a batch's gradient is the average of its samples' gradients, within rounding", Scalar, float,
                   double) {
    for (const Case<Scalar>& c : cases<Scalar>(false)) {
        fcnn::Random random(8);
        for (const std::size_t batch : {3, 32}) {
            const BasicMatrix<Scalar> X = normal_matrix<Scalar>(c.net.sizes().front(), batch, random);
            const BasicMatrix<Scalar> Y = targets<Scalar>(c.net.cost().name().data(), c.net.sizes().back(), batch, random);
            const auto pass = c.net.feedforward(X);
            const Gradients<Scalar> fast = c.net.backprop(Y, pass.z_s, pass.a_s);
            const SampleAverage<Scalar> average = average_of_samples(c.net, X, Y);
            std::string where;
            const long double ratio = worst_ratio(fast, average, batch, where);
            INFO(c.name, ", batch ", batch, ": worst |batch - average| / bound = ", double(ratio), " at ", where);
            CHECK(ratio <= 1);

            // The check can fail: its largest gradient moved by a thousandth of its size, far more
            // than rounding, is caught.
            Gradients<Scalar> wrong = fast;
            auto largest = std::pair<std::size_t, std::size_t>(0, 0);
            for (std::size_t m = 0; m < average.mean_abs.size(); ++m)
                for (std::size_t i = 0; i < average.mean_abs[m].size(); ++i)
                    if (average.mean_abs[m][i] > average.mean_abs[largest.first][largest.second]) largest = {m, i};
            Scalar& moved = const_cast<BasicMatrix<Scalar>*>(parameters(wrong)[largest.first])->values()[largest.second];
            REQUIRE(average.mean_abs[largest.first][largest.second] > 0);  // not a batch whose gradients are all 0
            moved += static_cast<Scalar>(1e-3L * average.mean_abs[largest.first][largest.second]);
            CHECK(worst_ratio(wrong, average, batch, where) > 1);
        }
    }
}

TEST_CASE("backprop_reference checks its input as backprop does") {
    const fcnn::Network net({2, 3, 1}, {"sigmoid", "sigmoid"});
    CHECK_THROWS_WITH_AS(fcnn::backprop_reference(net, fcnn::Matrix(3, 2), fcnn::Matrix(1, 2)),
                         "backprop_reference: X must have 2 rows, one per input (samples are columns): X is 3x2",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(fcnn::backprop_reference(net, fcnn::Matrix(2, 2), fcnn::Matrix(1, 3)),
                         "backprop_reference: Y must be 1x2 (one column of 1 targets per sample): Y is 1x3",
                         std::invalid_argument);
}
