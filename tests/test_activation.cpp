#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fcnn/activation.hpp>

#include "check.hpp"

using fcnn::Activation;
using fcnn::Matrix;

namespace {

const std::vector<std::string> elementwise = {"sigmoid", "tanh", "relu", "leaky_relu", "linear"};

// sigma'(z) by central differences, elementwise.
Matrix numeric_derivative(const Activation& sigma, const Matrix& z) {
    const double h = 1e-6;
    return scale(1 / (2 * h), subtract(sigma.value(apply(z, [h](double x) { return x + h; })),
                                       sigma.value(apply(z, [h](double x) { return x - h; }))));
}

bool all_finite(const Matrix& M) {
    for (double x : M.values())
        if (!std::isfinite(x)) return false;
    return true;
}

}  // namespace

TEST_CASE("activations are made from the blog's names and keep them") {
    for (const char* name : {"sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax"})
        CHECK(Activation(name).name() == name);
}

TEST_CASE("an unknown activation name throws and lists the known ones (no fallback to linear)") {
    CHECK_THROWS_WITH_AS(Activation("sigmod"),
                         "unknown activation 'sigmod'; known activations: sigmoid, tanh, relu, leaky_relu, linear, softmax",
                         std::invalid_argument);
    CHECK_THROWS_AS(Activation(""), std::invalid_argument);
    CHECK_THROWS_AS(Activation("ReLU"), std::invalid_argument);
}

TEST_CASE("values at known points") {
    const Matrix z = {{-2, 0, 3}};
    fcnn_test::check_close(Activation("sigmoid").value(z), Matrix{{1 / (1 + std::exp(2.0)), 0.5, 1 / (1 + std::exp(-3.0))}}, 1e-15);
    fcnn_test::check_close(Activation("tanh").value(z), Matrix{{std::tanh(-2.0), 0, std::tanh(3.0)}}, 1e-15);
    CHECK(Activation("relu").value(z) == Matrix{{0, 0, 3}});
    CHECK(Activation("leaky_relu").value(z) == Matrix{{-0.02, 0, 3}});
    CHECK(Activation("linear").value(z) == z);
}

TEST_CASE("softmax: each column sums to 1, and is invariant to a shift") {
    const Matrix z = {{1, 0}, {2, 0}, {3, 0}};
    const Matrix a = Activation("softmax").value(z);
    const double e = std::exp(1.0), total = e + e * e + e * e * e;
    fcnn_test::check_close(a, Matrix{{e / total, 1.0 / 3}, {e * e / total, 1.0 / 3}, {e * e * e / total, 1.0 / 3}}, 1e-15);
    fcnn_test::check_close(Activation("softmax").value(apply(z, [](double x) { return x + 100; })), a, 1e-15);
}

TEST_CASE("each elementwise derivative agrees with central differences") {
    const Matrix z = {{-2.5, -0.7, -0.1, 0.2, 0.9, 3.1}};  // away from relu's kink at 0
    for (const std::string& name : elementwise) {
        CAPTURE(name);
        const Activation sigma(name);
        fcnn_test::check_close(sigma.derivative(z), numeric_derivative(sigma, z), 1e-9);
    }
}

TEST_CASE("relu' and leaky_relu' at the kink z = 0 take the left slope, by convention") {
    CHECK(Activation("relu").derivative(Matrix{{0}}) == Matrix{{0}});
    CHECK(Activation("leaky_relu").derivative(Matrix{{0}}) == Matrix{{0.01}});
}

TEST_CASE("sigmoid and softmax stay finite at |z| = 1000, in double and float") {
    const Matrix z = {{1000, -1000}, {-1000, 1000}};
    const Activation sigmoid("sigmoid"), softmax("softmax");
    CHECK(sigmoid.value(z) == Matrix{{1, 0}, {0, 1}});
    CHECK(all_finite(sigmoid.derivative(z)));
    CHECK(softmax.value(z) == Matrix{{1, 0}, {0, 1}});
    CHECK(softmax.value(Matrix{{1000}, {1000}}) == Matrix{{0.5}, {0.5}});
    const fcnn::FloatMatrix zf = {{1000, -1000}};
    CHECK(sigmoid.value(zf) == fcnn::FloatMatrix{{1, 0}});
    CHECK(softmax.value(transpose(zf)) == fcnn::FloatMatrix{{1}, {0}});
}

TEST_CASE("softmax has no elementwise derivative; backward applies its Jacobian") {
    const Activation softmax("softmax");
    CHECK_THROWS_WITH_AS(softmax.derivative(Matrix{{1}, {2}}),
                         "Activation::derivative: softmax has no elementwise derivative (each output depends on "
                         "the whole column); use Activation::backward",
                         std::invalid_argument);
    // dC/dz for C = sum_i g_i a_i(z), by central differences on each z_j.
    const Matrix z = {{0.3, -1.0}, {-0.2, 0.5}, {1.1, 0.0}};
    const Matrix g = {{0.7, -0.4}, {-1.3, 0.2}, {0.25, 0.9}};
    const Matrix a = softmax.value(z);
    Matrix numeric(3, 2);
    const double h = 1e-6;
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 2; ++j) {
            Matrix plus = z, minus = z;
            plus(i, j) += h;
            minus(i, j) -= h;
            const Matrix difference = subtract(softmax.value(plus), softmax.value(minus));
            for (std::size_t k = 0; k < 3; ++k) numeric(i, j) += g(k, j) * difference(k, j) / (2 * h);
        }
    fcnn_test::check_close(softmax.backward(z, a, g), numeric, 1e-9);
}

TEST_CASE("backward of an elementwise activation is dC/da (.) sigma'(z)") {
    const Activation tanh("tanh");
    const Matrix z = {{0.5, -1}}, g = {{2, 3}};
    CHECK(tanh.backward(z, tanh.value(z), g) == hadamard(g, tanh.derivative(z)));
}

TEST_CASE("times_sigma_prime_into is hadamard(in, sigma'(z)), the product of BP1 and BP2, bit for bit") {
    const Matrix z = {{0.5, -1, 0}, {3, -0.25, 40}}, in = {{2, 3, -1}, {0.1, -7, 0.5}};
    Matrix out(5, 5);  // the wrong size on purpose: it is resized
    for (const std::string& name : elementwise) {
        const Activation sigma(name);
        sigma.times_sigma_prime_into(out, in, z);
        INFO(name);
        CHECK(out == hadamard(in, sigma.derivative(z)));
        CHECK(out.shape() == "2x3");
    }
    CHECK_THROWS_WITH_AS(Activation("softmax").times_sigma_prime_into(out, in, z),
                         "Activation::times_sigma_prime_into: softmax has no elementwise derivative (each output "
                         "depends on the whole column); use Activation::backward",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(Activation("tanh").times_sigma_prime_into(out, Matrix(3, 2), z),
                         "Activation::times_sigma_prime_into: shapes differ: z is 2x3, in is 3x2", std::invalid_argument);
}
