#include "fcnn/cost.hpp"
#include "fcnn/elementary.hpp"
#include "fcnn/names.hpp"
#include "fcnn/shape_error.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

namespace fcnn {

namespace {

using Kind = Cost::Kind;

constexpr names::Table<Kind, 3> table = {{
    {"quadratic", Kind::quadratic},
    {"cross_entropy", Kind::cross_entropy},
    {"binary_cross_entropy", Kind::binary_cross_entropy},
}};

// ln(a) that stays finite when a saturates to exactly 0.
template <typename Scalar>
double safe_log(Scalar a) {
    return fcnn::log(std::max(static_cast<double>(a), std::numeric_limits<double>::min()));
}

// a clamped away from 0, for dividing by it.
template <typename Scalar>
Scalar away_from_zero(Scalar a) {
    return std::max(a, std::numeric_limits<Scalar>::min());
}

// ln(1 + e^x) without overflow: max(x, 0) + ln(1 + e^-|x|).
double softplus(double x) { return std::max(x, 0.0) + fcnn::log1p(fcnn::exp(-std::abs(x))); }

// ln sum_k e^(z_k) over column j of z, leaving out row `skip` (pass z.rows() to keep all),
// with the largest z of the sum taken out first so that no exponential overflows.
template <typename Scalar>
double log_sum_exp(const BasicMatrix<Scalar>& z, std::size_t j, std::size_t skip) {
    double largest = -std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k < z.rows(); ++k)
        if (k != skip) largest = std::max(largest, static_cast<double>(z(k, j)));
    double sum = 0;
    for (std::size_t k = 0; k < z.rows(); ++k)
        if (k != skip) sum += fcnn::exp(static_cast<double>(z(k, j)) - largest);
    return largest + fcnn::log(sum);
}

// ln a_ij (or, for the complement, ln(1 - a_ij)) from z, for an output that saturated:
//   sigmoid: ln sigma(z) = -ln(1 + e^-z),  ln(1 - sigma(z)) = ln sigma(-z) = -ln(1 + e^z)
//   softmax: ln a_i = z_i - ln sum_k e^(z_k),  ln(1 - a_i) = ln sum_(k != i) e^(z_k) - ln sum_k e^(z_k)
template <typename Scalar>
double log_output_from_z(const Activation& output, const BasicMatrix<Scalar>& z, std::size_t i, std::size_t j,
                         bool complement) {
    if (output.kind() == Activation::Kind::sigmoid) return -softplus(complement ? z(i, j) : -z(i, j));
    const double all = log_sum_exp(z, j, z.rows());
    return complement ? log_sum_exp(z, j, i) - all : z(i, j) - all;
}

template <typename Scalar>
void require_same_shape(const char* operation, const BasicMatrix<Scalar>& a, const BasicMatrix<Scalar>& y) {
    if (!same_shape(a, y))
        throw shape_error(operation, "output and target shapes differ", {{"a", a}, {"y", y}});
}

}  // namespace

Cost::Cost(std::string_view name) : kind_(names::kind_of(table, name, "cost")) {}

std::string_view Cost::name() const { return names::name_of(table, kind_); }

std::string Cost::known_names() { return names::list(table); }

std::vector<std::string_view> Cost::known_name_list() { return names::in_order(table); }

void Cost::check_output_activation(const Activation& output) const {
    if (kind_ == Kind::quadratic) return;
    if (kind_ == Kind::binary_cross_entropy && output.kind() == Activation::Kind::softmax)
        throw std::invalid_argument(
            "cost 'binary_cross_entropy' treats each output as a yes/no probability of its own, but softmax outputs "
            "share one distribution over the classes; use cross_entropy with softmax, or sigmoid outputs with "
            "binary_cross_entropy");
    if (output.kind() == Activation::Kind::sigmoid || output.kind() == Activation::Kind::softmax) return;
    throw std::invalid_argument("cost '" + std::string(name()) + "' takes ln(a) and needs outputs in (0, 1), but the output activation '" +
                                std::string(output.name()) + "' can leave that range; use sigmoid or softmax, or the quadratic cost");
}

template <typename Scalar>
void Cost::check_targets(const BasicMatrix<Scalar>& y) const {
    if (kind_ != Kind::cross_entropy) return;
    const double tolerance = std::sqrt(std::numeric_limits<Scalar>::epsilon());
    for (std::size_t j = 0; j < y.cols(); ++j) {
        double sum = 0;
        for (std::size_t i = 0; i < y.rows(); ++i) sum += y(i, j);
        if (std::abs(sum - 1) > tolerance)
            throw std::invalid_argument("cost 'cross_entropy': target column " + std::to_string(j) + " sums to " +
                                        std::to_string(sum) + ", expected 1 (one-hot or probabilities)");
    }
}

template <typename Scalar>
double Cost::value(const BasicMatrix<Scalar>& a, const BasicMatrix<Scalar>& y) const {
    require_same_shape("Cost::value", a, y);
    double total = 0;  // sum over the batch of C_x
    for (std::size_t i = 0; i < a.rows(); ++i)
        for (std::size_t j = 0; j < a.cols(); ++j) {
            const double ai = a(i, j), yi = y(i, j);
            switch (kind_) {
                case Kind::quadratic: total += 0.5 * (ai - yi) * (ai - yi); break;
                case Kind::cross_entropy: total -= yi * safe_log(ai); break;
                case Kind::binary_cross_entropy: total -= yi * safe_log(ai) + (1 - yi) * safe_log(1 - ai); break;
            }
        }
    return total / static_cast<double>(a.cols());  // the 1/n: C is the batch average
}

template <typename Scalar>
double Cost::value(const BasicMatrix<Scalar>& a, const BasicMatrix<Scalar>& y, const BasicMatrix<Scalar>& z,
                   const Activation& output) const {
    require_same_shape("Cost::value", a, y);
    if (!same_shape(z, a))
        throw shape_error("Cost::value", "z and a shapes differ", {{"z", z}, {"a", a}});
    const bool from_z = output.kind() == Activation::Kind::sigmoid || output.kind() == Activation::Kind::softmax;
    if (kind_ == Kind::quadratic || !from_z) return value(a, y);
    double total = 0;  // sum over the batch of C_x
    for (std::size_t i = 0; i < a.rows(); ++i)
        for (std::size_t j = 0; j < a.cols(); ++j) {
            // w ln p, p being a or 1 - a: the formula of value(a, y) (the same bits) while p still
            // holds its digits, the stable form from z once the output has saturated:
            //  - a itself is accurate to the last digit until it falls below the normal numbers;
            //  - 1 - a cancels: a is rounded near 1, so 1 - a below sqrt(epsilon) of Scalar has
            //    lost half its digits or more (float: a > 0.99965, z > 7.96; double: z > 18).
            const auto weighted_log = [&](double w, double p, bool complement) {
                if (w == 0) return 0.0;
                const double kept = complement ? std::sqrt(std::numeric_limits<Scalar>::epsilon()) : std::numeric_limits<Scalar>::min();
                return w * (p >= kept ? fcnn::log(p) : log_output_from_z(output, z, i, j, complement));
            };
            const double ai = a(i, j), yi = y(i, j);
            if (kind_ == Kind::cross_entropy) total -= weighted_log(yi, ai, false);
            else total -= weighted_log(yi, ai, false) + weighted_log(1 - yi, 1 - ai, true);  // one sum, as above
        }
    return total / static_cast<double>(a.cols());  // the 1/n: C is the batch average
}

template <typename Scalar>
BasicMatrix<Scalar> Cost::gradient(const BasicMatrix<Scalar>& a, const BasicMatrix<Scalar>& y) const {
    BasicMatrix<Scalar> nabla_a;
    gradient_into(nabla_a, a, y);
    return nabla_a;
}

template <typename Scalar>
void Cost::gradient_into(BasicMatrix<Scalar>& nabla_a, const BasicMatrix<Scalar>& a, const BasicMatrix<Scalar>& y) const {
    require_same_shape("Cost::gradient", a, y);
    nabla_a.resize(a.rows(), a.cols());
    for (std::size_t i = 0; i < a.rows(); ++i)
        for (std::size_t j = 0; j < a.cols(); ++j) {
            const Scalar ai = a(i, j), yi = y(i, j);
            switch (kind_) {
                case Kind::quadratic: nabla_a(i, j) = ai - yi; break;  // d/da 1/2 (a - y)^2 = a - y
                case Kind::cross_entropy: nabla_a(i, j) = -yi / away_from_zero(ai); break;  // d/da (-y ln a)
                case Kind::binary_cross_entropy:  // d/da -(y ln a + (1-y) ln(1-a)) = (a - y) / (a (1 - a))
                    nabla_a(i, j) = (ai - yi) / away_from_zero(ai * (1 - ai));
                    break;
            }
        }
}

bool Cost::cancels_sigma_prime(const Activation& output) const {
    return (kind_ == Kind::cross_entropy && output.kind() == Activation::Kind::softmax) ||
           (kind_ == Kind::binary_cross_entropy && output.kind() == Activation::Kind::sigmoid);
}

#define FCNN_INSTANTIATE_COST(Scalar)                                                                  \
    template void Cost::check_targets(const BasicMatrix<Scalar>&) const;                               \
    template double Cost::value(const BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&) const;         \
    template double Cost::value(const BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&, \
                                const Activation&) const;                                              \
    template BasicMatrix<Scalar> Cost::gradient(const BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&) const; \
    template void Cost::gradient_into(BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&) const;

FCNN_INSTANTIATE_COST(float)
FCNN_INSTANTIATE_COST(double)

}  // namespace fcnn
