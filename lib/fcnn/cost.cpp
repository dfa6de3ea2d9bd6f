#include "fcnn/cost.hpp"
#include "fcnn/names.hpp"

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
    return std::log(std::max(static_cast<double>(a), std::numeric_limits<double>::min()));
}

// a clamped away from 0, for dividing by it.
template <typename Scalar>
Scalar away_from_zero(Scalar a) {
    return std::max(a, std::numeric_limits<Scalar>::min());
}

template <typename Scalar>
void require_same_shape(const char* operation, const BasicMatrix<Scalar>& a, const BasicMatrix<Scalar>& y) {
    if (a.rows() != y.rows() || a.cols() != y.cols())
        throw std::invalid_argument(std::string(operation) + ": output and target shapes differ: a is " +
                                    a.shape() + ", y is " + y.shape());
}

}  // namespace

Cost::Cost(std::string_view name) : kind_(names::kind_of(table, name, "cost")) {}

std::string_view Cost::name() const { return names::name_of(table, kind_); }

std::string Cost::known_names() { return names::list(table); }

void Cost::check_output_activation(const Activation& output) const {
    if (kind_ == Kind::quadratic) return;
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
BasicMatrix<Scalar> Cost::gradient(const BasicMatrix<Scalar>& a, const BasicMatrix<Scalar>& y) const {
    BasicMatrix<Scalar> nabla_a;
    gradient(a, y, nabla_a);
    return nabla_a;
}

template <typename Scalar>
void Cost::gradient(const BasicMatrix<Scalar>& a, const BasicMatrix<Scalar>& y, BasicMatrix<Scalar>& nabla_a) const {
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
    template BasicMatrix<Scalar> Cost::gradient(const BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&) const; \
    template void Cost::gradient(const BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&, BasicMatrix<Scalar>&) const;

FCNN_INSTANTIATE_COST(float)
FCNN_INSTANTIATE_COST(double)

}  // namespace fcnn
