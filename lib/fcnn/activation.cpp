#include "fcnn/activation.hpp"

#include "fcnn/elementary.hpp"
#include "fcnn/threads.hpp"
#include "fcnn/names.hpp"
#include "fcnn/shape_error.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace fcnn {

namespace {

using Kind = Activation::Kind;

constexpr names::Table<Kind, 6> table = {{
    {"sigmoid", Kind::sigmoid},
    {"tanh", Kind::tanh},
    {"relu", Kind::relu},
    {"leaky_relu", Kind::leaky_relu},
    {"linear", Kind::linear},
    {"softmax", Kind::softmax},
}};

// e^z and tanh z: fcnn's own for doubles, so that the bits are the same on every machine
// (elementary.hpp says why); the C library's for floats, whose expf and tanhf were measured
// identical across glibc (with and without FMA), i386 and musl.
template <typename Scalar>
Scalar exp_of(Scalar z) {
    if constexpr (std::is_same_v<Scalar, double>) return fcnn::exp(z);
    else return std::exp(z);
}
template <typename Scalar>
Scalar tanh_of(Scalar z) {
    if constexpr (std::is_same_v<Scalar, double>) return fcnn::tanh(z);
    else return std::tanh(z);
}

// Each function and its derivative, side by side.

// [snippet sigmoid]
// sigma(z) = 1 / (1 + e^-z). For z < 0 the same value is written e^z / (1 + e^z), so the
// exponential is always of a number <= 0 and cannot overflow (z = -1000 gives 0, not NaN).
template <typename Scalar>
Scalar sigmoid(Scalar z) {
    if (z >= 0) return 1 / (1 + exp_of(-z));
    const Scalar e = exp_of(z);
    return e / (1 + e);
}
template <typename Scalar>
Scalar sigmoid_prime(Scalar z) {
    const Scalar s = sigmoid(z);
    return s * (1 - s);
}
// [end sigmoid]

template <typename Scalar>
Scalar tanh_prime(Scalar z) {
    const Scalar t = tanh_of(z);
    return 1 - t * t;
}

template <typename Scalar>
Scalar relu(Scalar z) { return z > 0 ? z : Scalar(0); }
template <typename Scalar>
Scalar relu_prime(Scalar z) { return static_cast<Scalar>(z > 0); }  // 1 or 0; 0 at the kink, by convention

constexpr double leaky_slope = 0.01;  // the slope for z < 0
template <typename Scalar>
Scalar leaky_relu(Scalar z) { return z > 0 ? z : Scalar(leaky_slope) * z; }
template <typename Scalar>
Scalar leaky_relu_prime(Scalar z) { return z > 0 ? Scalar(1) : Scalar(leaky_slope); }

// [snippet softmax]
// softmax(z)_j = e^(z_j) / sum_i e^(z_i), per column. Subtracting the column's largest z first
// changes nothing mathematically and keeps every exponent <= 0: no overflow at z = 1000.
template <typename Scalar>
void softmax_into(BasicMatrix<Scalar>& a, const BasicMatrix<Scalar>& z) {
    a.resize(z.rows(), z.cols());
    for (std::size_t j = 0; j < z.cols(); ++j) {
        Scalar largest = z(0, j);
        for (std::size_t i = 1; i < z.rows(); ++i) largest = std::max(largest, z(i, j));
        Scalar sum = 0;
        for (std::size_t i = 0; i < z.rows(); ++i) sum += a(i, j) = exp_of(z(i, j) - largest);
        for (std::size_t i = 0; i < z.rows(); ++i) a(i, j) /= sum;
    }
}
// [end softmax]
// The softmax Jacobian is da_i/dz_j = a_i (delta_ij - a_j), so
// dC/dz_j = sum_i dC/da_i a_i (delta_ij - a_j) = a_j (dC/da_j - sum_i dC/da_i a_i).
template <typename Scalar>
void softmax_backward_into(BasicMatrix<Scalar>& dC_dz, const BasicMatrix<Scalar>& a, const BasicMatrix<Scalar>& dC_da) {
    dC_dz.resize(a.rows(), a.cols());
    for (std::size_t j = 0; j < a.cols(); ++j) {
        Scalar weighted = 0;
        for (std::size_t i = 0; i < a.rows(); ++i) weighted += dC_da(i, j) * a(i, j);
        for (std::size_t i = 0; i < a.rows(); ++i) dC_dz(i, j) = a(i, j) * (dC_da(i, j) - weighted);
    }
}

// Elementwise loops are split over fcnn's threads when they are long enough (threads.hpp);
// each number is computed the same way whichever thread does it.
constexpr std::size_t numbers_per_thread = 4096;

// z(i, j) += b(i), then a(i, j) = f(z(i, j)), in one sweep.
template <typename Scalar, typename Function>
void add_bias_then_into(BasicMatrix<Scalar>& z, BasicMatrix<Scalar>& a, const BasicMatrix<Scalar>& b, Function f) {
    a.resize(z.rows(), z.cols());
    const std::size_t n = z.cols();
    Scalar* const zs = z.values().data();
    Scalar* const as = a.values().data();
    const Scalar* const bs = b.values().data();
    parallel_ranges(z.rows(), numbers_per_thread / std::max<std::size_t>(n, 1), [=](std::size_t first, std::size_t end) {
        for (std::size_t i = first; i < end; ++i) {
            const Scalar b_i = bs[i];
            Scalar* z_row = zs + i * n;
            Scalar* a_row = as + i * n;
            for (std::size_t j = 0; j < n; ++j) a_row[j] = f(z_row[j] += b_i);
        }
    });
}

// dC_dz(i, j) = dC_da(i, j) * f'(z(i, j)): the chain rule through an elementwise sigma.
template <typename Scalar, typename Function>
void times_derivative_into(BasicMatrix<Scalar>& dC_dz, const BasicMatrix<Scalar>& z, const BasicMatrix<Scalar>& dC_da,
                           Function f_prime) {
    dC_dz.resize(z.rows(), z.cols());
    const Scalar* const zs = z.values().data();
    const Scalar* const in = dC_da.values().data();
    Scalar* const out = dC_dz.values().data();
    parallel_ranges(z.size(), numbers_per_thread, [=](std::size_t first, std::size_t end) {
        for (std::size_t i = first; i < end; ++i) out[i] = in[i] * f_prime(zs[i]);
    });
}

// Calls use(sigma) with this kind's sigma as a lambda (not a function pointer, so that the
// compiler inlines it into the loop that use runs). softmax is not elementwise: the callers
// handle it first.
template <typename Scalar, typename Use>
void with_sigma(Kind kind, Use use) {
    switch (kind) {
        case Kind::sigmoid: return use([](Scalar x) { return sigmoid(x); });
        case Kind::tanh: return use([](Scalar x) { return tanh_of(x); });
        case Kind::relu: return use([](Scalar x) { return relu(x); });
        case Kind::leaky_relu: return use([](Scalar x) { return leaky_relu(x); });
        case Kind::linear: return use([](Scalar x) { return x; });
        case Kind::softmax: break;
    }
    throw std::logic_error("Activation: no elementwise function for this kind");
}

// The same with sigma'.
template <typename Scalar, typename Use>
void with_sigma_prime(Kind kind, Use use) {
    switch (kind) {
        case Kind::sigmoid: return use([](Scalar x) { return sigmoid_prime(x); });
        case Kind::tanh: return use([](Scalar x) { return tanh_prime(x); });
        case Kind::relu: return use([](Scalar x) { return relu_prime(x); });
        case Kind::leaky_relu: return use([](Scalar x) { return leaky_relu_prime(x); });
        case Kind::linear: return use([](Scalar) { return Scalar(1); });
        case Kind::softmax: break;
    }
    throw std::logic_error("Activation: no elementwise function for this kind");
}

}  // namespace

Activation::Activation(std::string_view name) : kind_(names::kind_of(table, name, "activation")) {}

std::string_view Activation::name() const { return names::name_of(table, kind_); }

std::string Activation::known_names() { return names::list(table); }

std::vector<std::string_view> Activation::known_name_list() { return names::in_order(table); }

template <typename Scalar>
BasicMatrix<Scalar> Activation::value(const BasicMatrix<Scalar>& z) const {
    BasicMatrix<Scalar> a;
    if (kind_ == Kind::softmax) softmax_into(a, z);
    else with_sigma<Scalar>(kind_, [&](auto sigma) { a = apply(z, sigma); });
    return a;
}

template <typename Scalar>
BasicMatrix<Scalar> Activation::derivative(const BasicMatrix<Scalar>& z) const {
    if (kind_ == Kind::softmax)
        throw std::invalid_argument(
            "Activation::derivative: softmax has no elementwise derivative (each output "
            "depends on the whole column); use Activation::backward");
    BasicMatrix<Scalar> sigma_prime_of_z;
    with_sigma_prime<Scalar>(kind_, [&](auto sigma_prime) { sigma_prime_of_z = apply(z, sigma_prime); });
    return sigma_prime_of_z;
}

template <typename Scalar>
BasicMatrix<Scalar> Activation::backward(const BasicMatrix<Scalar>& z, const BasicMatrix<Scalar>& a,
                                         const BasicMatrix<Scalar>& dC_da) const {
    BasicMatrix<Scalar> dC_dz;
    backward_into(dC_dz, z, a, dC_da);
    return dC_dz;
}

template <typename Scalar>
void Activation::add_bias_and_apply_into(BasicMatrix<Scalar>& z, BasicMatrix<Scalar>& a, const BasicMatrix<Scalar>& b) const {
    if (b.cols() != 1 || b.rows() != z.rows())
        throw shape_error("add_bias", "b must be one column as tall as A", {{"A", z}, {"b", b}});
    if (kind_ == Kind::softmax) {
        add_bias_then_into(z, a, b, [](Scalar x) { return x; });  // z += b (a gets a copy, overwritten next)
        return softmax_into(a, z);
    }
    with_sigma<Scalar>(kind_, [&](auto sigma) { add_bias_then_into(z, a, b, sigma); });
}

template <typename Scalar>
void Activation::backward_into(BasicMatrix<Scalar>& dC_dz, const BasicMatrix<Scalar>& z, const BasicMatrix<Scalar>& a,
                               const BasicMatrix<Scalar>& dC_da) const {
    if (!same_shape(z, dC_da))
        throw shape_error("Activation::backward", "shapes differ", {{"z", z}, {"dC_da", dC_da}});
    if (kind_ == Kind::softmax) return softmax_backward_into(dC_dz, a, dC_da);
    with_sigma_prime<Scalar>(kind_, [&](auto sigma_prime) { times_derivative_into(dC_dz, z, dC_da, sigma_prime); });
}

template <typename Scalar>
void Activation::times_sigma_prime_into(BasicMatrix<Scalar>& out, const BasicMatrix<Scalar>& in,
                                        const BasicMatrix<Scalar>& z) const {
    if (!same_shape(z, in))
        throw shape_error("Activation::times_sigma_prime_into", "shapes differ", {{"z", z}, {"in", in}});
    if (kind_ == Kind::softmax)
        throw std::invalid_argument(
            "Activation::times_sigma_prime_into: softmax has no elementwise derivative (each output "
            "depends on the whole column); use Activation::backward");
    with_sigma_prime<Scalar>(kind_, [&](auto sigma_prime) { times_derivative_into(out, z, in, sigma_prime); });
}

#define FCNN_INSTANTIATE_ACTIVATION(Scalar)                                                   \
    template BasicMatrix<Scalar> Activation::value(const BasicMatrix<Scalar>&) const;         \
    template BasicMatrix<Scalar> Activation::derivative(const BasicMatrix<Scalar>&) const;    \
    template BasicMatrix<Scalar> Activation::backward(                                        \
        const BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&) const; \
    template void Activation::add_bias_and_apply_into(BasicMatrix<Scalar>&, BasicMatrix<Scalar>&,     \
                                                      const BasicMatrix<Scalar>&) const;              \
    template void Activation::backward_into(BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&,         \
                                            const BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&) const; \
    template void Activation::times_sigma_prime_into(BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&, \
                                                     const BasicMatrix<Scalar>&) const;

FCNN_INSTANTIATE_ACTIVATION(float)
FCNN_INSTANTIATE_ACTIVATION(double)

}  // namespace fcnn
