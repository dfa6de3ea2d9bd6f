#include <cmath>
#include <stdexcept>

#include <doctest/doctest.h>
#include <fcnn/cost.hpp>
#include <fcnn/network.hpp>
#include <fcnn/training.hpp>

#include "check.hpp"
#include <fcnn/random.hpp>
#include <limits>
#include <vector>

using fcnn::Activation;
using fcnn::Cost;
using fcnn::Matrix;

TEST_CASE("an unknown cost name throws and lists the known ones") {
    CHECK_THROWS_WITH_AS(Cost("mse"), "unknown cost 'mse'; known costs: quadratic, cross_entropy, binary_cross_entropy",
                         std::invalid_argument);
}

TEST_CASE("quadratic: the 1/2 is in C_x, the 1/n is the batch average") {
    const Cost quadratic("quadratic");
    const Matrix a = {{1, 3}}, y = {{0, 0}};
    // C_x = 1/2 (a - y)^2: 0.5 and 4.5; C = (0.5 + 4.5) / 2 samples = 2.5
    CHECK(quadratic.value(a, y) == 2.5);
    // its gradient per sample has neither the 2 (cancelled by the 1/2) nor the 1/n
    CHECK(quadratic.gradient(a, y) == Matrix{{1, 3}});
    // two outputs in one sample add up inside C_x
    CHECK(quadratic.value(Matrix{{1}, {2}}, Matrix{{0}, {0}}) == 2.5);
}

TEST_CASE("cross-entropy values and gradients") {
    const Matrix a = {{0.2, 0.6}, {0.8, 0.4}}, y = {{0, 1}, {1, 0}};
    const double expected = -(std::log(0.8) + std::log(0.6)) / 2;
    CHECK(Cost("cross_entropy").value(a, y) == doctest::Approx(expected).epsilon(1e-15));
    fcnn_test::check_close(Cost("cross_entropy").gradient(a, y), Matrix{{0, -1 / 0.6}, {-1 / 0.8, 0}}, 1e-15);

    const Matrix p = {{0.9, 0.3}}, t = {{1, 0}};
    const double binary = -(std::log(0.9) + std::log(0.7)) / 2;
    CHECK(Cost("binary_cross_entropy").value(p, t) == doctest::Approx(binary).epsilon(1e-15));
    fcnn_test::check_close(Cost("binary_cross_entropy").gradient(p, t),
                           Matrix{{-0.1 / (0.9 * 0.1), 0.3 / (0.3 * 0.7)}}, 1e-12);
}

TEST_CASE("a saturated output gives a large but finite cross-entropy") {
    const double value = Cost("binary_cross_entropy").value(Matrix{{1.0}}, Matrix{{0.0}});
    CHECK(std::isfinite(value));
    CHECK(value > 700);
    CHECK(std::isfinite(Cost("cross_entropy").value(Matrix{{0.0}, {1.0}}, Matrix{{1.0}, {0.0}})));
}

TEST_CASE("the matched pairs are exactly cross_entropy + softmax and binary_cross_entropy + sigmoid") {
    CHECK(Cost("cross_entropy").cancels_sigma_prime(Activation("softmax")));
    CHECK(Cost("binary_cross_entropy").cancels_sigma_prime(Activation("sigmoid")));
    CHECK_FALSE(Cost("cross_entropy").cancels_sigma_prime(Activation("sigmoid")));
    CHECK_FALSE(Cost("binary_cross_entropy").cancels_sigma_prime(Activation("softmax")));
    CHECK_FALSE(Cost("quadratic").cancels_sigma_prime(Activation("sigmoid")));
    CHECK_FALSE(Cost("quadratic").cancels_sigma_prime(Activation("softmax")));
}

// The classic mistake: delta^L = (a - y) (.) sigma'(z) for cross-entropy. The sigma' cancels,
// so delta^L must be a - y exactly, however saturated the output is.
TEST_CASE("regression: the cross-entropy delta^L has no sigma'") {
    fcnn::Network net({1, 1}, {"sigmoid"}, {.cost = "binary_cross_entropy"});
    net.layers()[0].weights = Matrix{{1.0}};
    net.layers()[0].biases = Matrix{{0.0}};
    const Matrix X = {{-8.0, 0.5}}, Y = {{1.0, 0.0}};  // the first sample is badly wrong and saturated
    const auto [z_s, a_s] = net.feedforward(X);
    const Matrix delta = net.deltas(Y, z_s, a_s)[0];
    CHECK(delta == subtract(a_s[1], Y));
    // with the wrong sigma' the first sample would learn 3000 times more slowly:
    const Matrix wrong = hadamard(subtract(a_s[1], Y), Activation("sigmoid").derivative(z_s[0]));
    CHECK(std::abs(delta(0, 0)) > 1000 * std::abs(wrong(0, 0)));

    fcnn::Network classifier({2, 3}, {"softmax"}, {.cost = "cross_entropy", .seed = 4});
    const Matrix x = {{0.5}, {-2}}, y = {{0}, {0}, {1}};
    const auto [zs, as] = classifier.feedforward(x);
    CHECK(classifier.deltas(y, zs, as)[0] == subtract(as[1], y));
}

TEST_CASE("cross-entropy needs outputs in (0, 1), and cross_entropy needs target columns summing to 1") {
    CHECK_THROWS_WITH_AS(fcnn::Network({2, 1}, {"relu"}, {.cost = "binary_cross_entropy"}),
                         "cost 'binary_cross_entropy' takes ln(a) and needs outputs in (0, 1), but the output "
                         "activation 'relu' can leave that range; use sigmoid or softmax, or the quadratic cost",
                         std::invalid_argument);
    CHECK_THROWS_AS(fcnn::Network({2, 2}, {"linear"}, {.cost = "cross_entropy"}), std::invalid_argument);
    CHECK_NOTHROW(fcnn::Network({2, 2}, {"tanh"}, {.cost = "quadratic"}));
    CHECK_THROWS_WITH_AS(Cost("cross_entropy").check_targets(Matrix{{1, 1}, {0, 1}}),
                         "cost 'cross_entropy': target column 1 sums to 2.000000, expected 1 (one-hot or probabilities)",
                         std::invalid_argument);
    CHECK_NOTHROW(Cost("cross_entropy").check_targets(Matrix{{0.25, 1}, {0.75, 0}}));
}

TEST_CASE("cost shapes must match") {
    CHECK_THROWS_WITH_AS(Cost("quadratic").value(Matrix(2, 3), Matrix(3, 2)),
                         "Cost::value: output and target shapes differ: a is 2x3, y is 3x2", std::invalid_argument);
    CHECK_THROWS_WITH_AS(Cost("quadratic").gradient(Matrix(2, 3), Matrix(2, 2)),
                         "Cost::gradient: output and target shapes differ: a is 2x3, y is 2x2", std::invalid_argument);
}

namespace {

// A one-layer network whose weighted inputs are exactly the given z (W = z as a column, x = 1, b = 0).
template <typename Scalar>
fcnn::BasicNetwork<Scalar> network_with_z(const std::vector<double>& z, const std::string& activation, const std::string& cost) {
    fcnn::BasicNetwork<Scalar> net({1, z.size()}, {activation}, {.cost = cost});
    for (std::size_t i = 0; i < z.size(); ++i) net.layers()[0].weights(i, 0) = static_cast<Scalar>(z[i]);
    net.layers()[0].biases = fcnn::BasicMatrix<Scalar>(z.size(), 1);
    return net;
}

}  // namespace

TEST_CASE_TEMPLATE("sigmoid + binary_cross_entropy costs ln(1 + e^z) for y = 0 at |z| up to 50, not a clamp at 708",
                   Scalar, float, double) {
    // Below the switch to z (1 - a < sqrt(epsilon)) the value carries a's rounding: 1 - a has lost
    // up to half its digits there, which the tolerance allows; beyond it the value is exact.
    const double tolerance = std::is_same_v<Scalar, float> ? 1e-4 : 1e-9;
    for (double z : {-50.0, -40.0, -20.0, -10.0, -1.0, 0.0, 1.0, 5.0, 7.5, 8.5, 10.0, 15.0, 17.0, 20.0, 30.0, 40.0, 50.0}) {
        INFO("z = " << z);
        const auto net = network_with_z<Scalar>({z}, "sigmoid", "binary_cross_entropy");
        const fcnn::BasicMatrix<Scalar> x = {{1}}, no = {{0}}, yes = {{1}};
        const double softplus_z = std::max(z, 0.0) + std::log1p(std::exp(-std::abs(z)));  // ln(1 + e^z)
        CHECK(fcnn::loss(net, x, no) == doctest::Approx(softplus_z).epsilon(tolerance));
        CHECK(fcnn::loss(net, x, yes) == doctest::Approx(softplus_z - z).epsilon(tolerance));  // ln(1 + e^-z)
    }
    const auto net = network_with_z<Scalar>({40}, "sigmoid", "binary_cross_entropy");
    CHECK(fcnn::loss(net, fcnn::BasicMatrix<Scalar>{{1}}, fcnn::BasicMatrix<Scalar>{{0}}) == doctest::Approx(40).epsilon(1e-12));
}

TEST_CASE_TEMPLATE("softmax + cross_entropy is exact however far apart the logits are, beyond the 745 of double",
                   Scalar, float, double) {
    const double tolerance = std::is_same_v<Scalar, float> ? 1e-6 : 1e-12;
    for (double gap : {0.0, 1.0, 10.0, 50.0, 100.0, 120.0, 745.0, 800.0, 1000.0}) {
        INFO("gap = " << gap);
        const auto net = network_with_z<Scalar>({0, gap, gap - 1}, "softmax", "cross_entropy");
        const fcnn::BasicMatrix<Scalar> x = {{1}}, y = {{1}, {0}, {0}};  // the true class has the smallest z
        const double expected = gap + std::log1p(std::exp(-gap) + std::exp(-1.0));  // ln(1 + e^gap + e^(gap-1))
        CHECK(fcnn::loss(net, x, y) == doctest::Approx(expected).epsilon(tolerance));
        CHECK(fcnn::loss(net, x, fcnn::BasicMatrix<Scalar>{{0}, {1}, {0}}) == doctest::Approx(std::log1p(std::exp(-gap) + std::exp(-1.0))).epsilon(tolerance));
    }
}

TEST_CASE_TEMPLATE("where no output saturates, the value from z is bit for bit the value from a", Scalar, float, double) {
    fcnn::Random random(12);
    for (const char* cost : {"cross_entropy", "binary_cross_entropy"})
        for (const char* output : {"sigmoid", "softmax"}) {
            if (std::string(cost) == "binary_cross_entropy" && std::string(output) == "softmax") continue;  // refused
            const Activation sigma(output);
            fcnn::BasicMatrix<Scalar> z(5, 64), y(5, 64);
            for (Scalar& v : z.values()) v = static_cast<Scalar>(12 * random.uniform() - 6);  // |z| < 6: none saturates
            for (std::size_t j = 0; j < y.cols(); ++j) y(random.below(5), j) = 1;
            const auto a = sigma.value(z);
            INFO(cost << " with " << output);
            CHECK(Cost(cost).value(a, y, z, sigma) == Cost(cost).value(a, y));
        }
}

TEST_CASE_TEMPLATE("softmax with binary_cross_entropy is refused, in both precisions", Scalar, float, double) {
    CHECK_THROWS_WITH_AS(fcnn::BasicNetwork<Scalar>({2, 3}, {"softmax"}, {.cost = "binary_cross_entropy"}),
                         "cost 'binary_cross_entropy' treats each output as a yes/no probability of its own, but softmax "
                         "outputs share one distribution over the classes; use cross_entropy with softmax, or sigmoid "
                         "outputs with binary_cross_entropy",
                         std::invalid_argument);
    CHECK_NOTHROW(fcnn::BasicNetwork<Scalar>({2, 3}, {"softmax"}, {.cost = "cross_entropy"}));
    CHECK_NOTHROW(fcnn::BasicNetwork<Scalar>({2, 3}, {"sigmoid"}, {.cost = "binary_cross_entropy"}));
}

TEST_CASE("Cost::value with z needs z shaped like a") {
    CHECK_THROWS_WITH_AS(Cost("cross_entropy").value(Matrix(2, 3), Matrix(2, 3), Matrix(3, 3), Activation("softmax")),
                         "Cost::value: z and a shapes differ: z is 3x3, a is 2x3", std::invalid_argument);
}
