#include "fcnn/optimizer.hpp"

#include "fcnn/threads.hpp"

#include <cmath>
#include <stdexcept>

#include "fcnn/names.hpp"
#include "fcnn/shape_error.hpp"

namespace fcnn {

namespace {

using Kind = OptimizerKind;
constexpr names::Table<Kind, 3> table = {{{"sgd", Kind::sgd}, {"momentum", Kind::momentum}, {"adam", Kind::adam}}};

void require(bool ok, const std::string& what, double value, const char* range) {
    if (!ok) throw std::invalid_argument("optimizer: " + what + " must be " + range + ", got " + std::to_string(value));
}

}  // namespace

template <typename Scalar>
BasicOptimizer<Scalar>::BasicOptimizer(OptimizerSettings settings)
    : settings_(std::move(settings)), kind_(names::kind_of(table, settings_.name, "optimizer")) {
    require(std::isfinite(settings_.learning_rate) && settings_.learning_rate > 0, "the learning rate",
            settings_.learning_rate, "a positive number");
    require(settings_.l2 >= 0 && std::isfinite(settings_.l2), "l2", settings_.l2, "0 or more");
    require(settings_.momentum >= 0 && settings_.momentum < 1, "momentum", settings_.momentum, "in [0, 1)");
    require(settings_.beta1 >= 0 && settings_.beta1 < 1, "beta1", settings_.beta1, "in [0, 1)");
    require(settings_.beta2 >= 0 && settings_.beta2 < 1, "beta2", settings_.beta2, "in [0, 1)");
}

template <typename Scalar>
void BasicOptimizer<Scalar>::set_learning_rate(double eta) {
    require(std::isfinite(eta) && eta > 0, "the learning rate", eta, "a positive number");
    settings_.learning_rate = eta;
}

template <typename Scalar>
std::string BasicOptimizer<Scalar>::known_names() {
    return names::list(table);
}

template <typename Scalar>
std::vector<std::string_view> BasicOptimizer<Scalar>::known_name_list() {
    return names::in_order(table);
}

namespace {

// The three update rules over n numbers of one parameter matrix p with gradient g. The
// gradient used is g + lambda p (weight decay; lambda is 0 for biases). Plain functions of
// pointers and values, so that the compiler vectorises them.
template <typename Scalar>
Scalar decayed(Scalar g, Scalar p, Scalar lambda) { return lambda == 0 ? g : g + lambda * p; }

// [snippet sgd-step]
template <typename Scalar>
void sgd_step(Scalar* p, const Scalar* g, std::size_t n, Scalar eta, Scalar lambda) {
    for (std::size_t i = 0; i < n; ++i) p[i] = p[i] - eta * decayed(g[i], p[i], lambda);
}
// [end sgd-step]

template <typename Scalar>
void momentum_step(Scalar* p, const Scalar* g, Scalar* v, std::size_t n, Scalar eta, Scalar lambda, Scalar mu) {
    for (std::size_t i = 0; i < n; ++i) {
        v[i] = mu * v[i] - eta * decayed(g[i], p[i], lambda);  // the velocity
        p[i] += v[i];
    }
}

template <typename Scalar>
struct AdamConstants {
    Scalar beta1, beta2, unbias1, unbias2, epsilon;  // unbias: 1 - beta^t
};

template <typename Scalar>
void adam_step(Scalar* p, const Scalar* g, Scalar* m, Scalar* s, std::size_t n, Scalar eta, Scalar lambda,
               AdamConstants<Scalar> c) {
    for (std::size_t i = 0; i < n; ++i) {
        const Scalar g_i = decayed(g[i], p[i], lambda);
        m[i] = c.beta1 * m[i] + (1 - c.beta1) * g_i;
        s[i] = c.beta2 * s[i] + (1 - c.beta2) * g_i * g_i;
        p[i] -= eta * (m[i] / c.unbias1) / (std::sqrt(s[i] / c.unbias2) + c.epsilon);
    }
}

}  // namespace

template <typename Scalar>
void BasicOptimizer<Scalar>::step(std::span<const Parameter<Scalar>> parameters) {
    if (!m_.empty() && m_.size() != parameters.size())
        throw std::invalid_argument("optimizer: expected " + std::to_string(m_.size()) +
                                    " parameters, as in the steps before, got " + std::to_string(parameters.size()));
    if (kind_ != Kind::sgd && m_.empty()) m_.resize(parameters.size()), s_.resize(parameters.size());
    ++t_;
    const Scalar lambda = static_cast<Scalar>(settings_.l2);
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        const Parameter<Scalar>& parameter = parameters[i];
        step_parameter(*parameter.value, *parameter.gradient, parameter.decays ? lambda : Scalar(0), i);
    }
}

// One parameter matrix, with the gradient g + lambda theta; `slot` names its state (velocity or
// moments). Allocates only on the first step, for the state.
template <typename Scalar>
void BasicOptimizer<Scalar>::step_parameter(BasicMatrix<Scalar>& theta, const BasicMatrix<Scalar>& gradient,
                                            Scalar lambda, std::size_t slot) {
    if (!same_shape(theta, gradient))
        throw shape_error("optimizer step", "a gradient must have its parameter's shape",
                          {{"the gradient", gradient}, {"the parameter", theta}});
    const Scalar eta = static_cast<Scalar>(settings_.learning_rate);
    Scalar* const p = theta.values().data();
    const Scalar* const g = gradient.values().data();
    constexpr std::size_t part = 1 << 14;  // numbers per thread at least (threads.hpp)
    if (kind_ == Kind::sgd) {
        parallel_ranges(theta.size(), part, [=](std::size_t begin, std::size_t end) {
            sgd_step(p + begin, g + begin, end - begin, eta, lambda);
        });
        return;
    }
    if (m_[slot].size() == 0) m_[slot] = s_[slot] = BasicMatrix<Scalar>(gradient.rows(), gradient.cols());
    Scalar* const m = m_[slot].values().data();
    Scalar* const s = s_[slot].values().data();
    if (kind_ == Kind::momentum) {
        const Scalar mu = static_cast<Scalar>(settings_.momentum);
        parallel_ranges(theta.size(), part, [=](std::size_t begin, std::size_t end) {
            momentum_step(p + begin, g + begin, m + begin, end - begin, eta, lambda, mu);
        });
        return;
    }
    const AdamConstants<Scalar> adam{
        static_cast<Scalar>(settings_.beta1), static_cast<Scalar>(settings_.beta2),
        Scalar(1) - static_cast<Scalar>(std::pow(settings_.beta1, double(t_))),
        Scalar(1) - static_cast<Scalar>(std::pow(settings_.beta2, double(t_))), static_cast<Scalar>(settings_.epsilon)};
    parallel_ranges(theta.size(), part, [=](std::size_t begin, std::size_t end) {
        adam_step(p + begin, g + begin, m + begin, s + begin, end - begin, eta, lambda, adam);
    });
}

template class BasicOptimizer<float>;
template class BasicOptimizer<double>;

}  // namespace fcnn
