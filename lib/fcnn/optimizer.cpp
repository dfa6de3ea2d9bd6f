#include "fcnn/optimizer.hpp"

#include <cmath>
#include <stdexcept>

#include "fcnn/names.hpp"

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
void BasicOptimizer<Scalar>::step(BasicNetwork<Scalar>& net, const Gradients<Scalar>& gradients) {
    auto layers = net.layers();
    if (gradients.nabla_w.size() != layers.size() || gradients.nabla_b.size() != layers.size())
        throw std::invalid_argument("optimizer: expected gradients for " + std::to_string(layers.size()) + " layers");
    ++t_;
    const Scalar lambda = static_cast<Scalar>(settings_.l2);
    for (std::size_t l = 0; l < layers.size(); ++l) {
        step_parameter(layers[l].weights, gradients.nabla_w[l], lambda, 2 * l);  // L2 acts on weights only
        step_parameter(layers[l].biases, gradients.nabla_b[l], Scalar(0), 2 * l + 1);
    }
}

// One parameter matrix, with the gradient g + lambda theta; `slot` names its state (velocity or
// moments). Allocates only on the first step, for the state.
template <typename Scalar>
void BasicOptimizer<Scalar>::step_parameter(BasicMatrix<Scalar>& theta, const BasicMatrix<Scalar>& gradient,
                                            Scalar lambda, std::size_t slot) {
    if (theta.rows() != gradient.rows() || theta.cols() != gradient.cols())
        throw std::invalid_argument("optimizer: a gradient is " + gradient.shape() + " but its parameter is " +
                                    theta.shape());
    const Scalar eta = static_cast<Scalar>(settings_.learning_rate);
    const auto theta_v = theta.values();
    const auto g_v = gradient.values();
    auto g = [&](std::size_t i) { return lambda == 0 ? g_v[i] : g_v[i] + lambda * theta_v[i]; };
    if (kind_ == Kind::sgd) {
        for (std::size_t i = 0; i < g_v.size(); ++i) theta_v[i] = theta_v[i] - eta * g(i);
        return;
    }
    if (m_.size() <= slot) m_.resize(slot + 1), s_.resize(slot + 1);
    if (m_[slot].size() == 0) m_[slot] = s_[slot] = BasicMatrix<Scalar>(gradient.rows(), gradient.cols());
    const auto m = m_[slot].values(), s = s_[slot].values();
    if (kind_ == Kind::momentum) {
        const Scalar mu = static_cast<Scalar>(settings_.momentum);
        for (std::size_t i = 0; i < g_v.size(); ++i) {
            m[i] = mu * m[i] - eta * g(i);  // the velocity v
            theta_v[i] += m[i];
        }
        return;
    }
    const Scalar b1 = static_cast<Scalar>(settings_.beta1), b2 = static_cast<Scalar>(settings_.beta2);
    const Scalar unbias1 = Scalar(1) - static_cast<Scalar>(std::pow(settings_.beta1, double(t_)));
    const Scalar unbias2 = Scalar(1) - static_cast<Scalar>(std::pow(settings_.beta2, double(t_)));
    const Scalar epsilon = static_cast<Scalar>(settings_.epsilon);
    for (std::size_t i = 0; i < g_v.size(); ++i) {
        const Scalar g_i = g(i);
        m[i] = b1 * m[i] + (1 - b1) * g_i;
        s[i] = b2 * s[i] + (1 - b2) * g_i * g_i;
        theta_v[i] -= eta * (m[i] / unbias1) / (std::sqrt(s[i] / unbias2) + epsilon);
    }
}

template class BasicOptimizer<float>;
template class BasicOptimizer<double>;

}  // namespace fcnn
