// Update rules for gradient descent: plain SGD (the blog's), momentum and Adam, each with
// optional L2 weight decay. The optimizer knows parameters and their gradients, not networks:
// the training loop (training.hpp) hands it the list of a network's W^l and b^l.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fcnn/matrix.hpp"

namespace fcnn {

enum class OptimizerKind { sgd, momentum, adam };

struct OptimizerSettings {
    std::string name = "sgd";    // "sgd", "momentum" or "adam"
    double learning_rate = 0.1;  // eta
    double l2 = 0;               // lambda: the cost gains lambda/2 ||W||^2, so nabla_w gains lambda W
    double momentum = 0.9;       // mu, for "momentum"
    double beta1 = 0.9;          // Adam's decay of the mean of the gradients
    double beta2 = 0.999;        // Adam's decay of the mean of their squares
    double epsilon = 1e-8;       // Adam's guard against dividing by zero
};

// One parameter matrix theta (a W^l or a b^l) and its gradient, as the optimizer steps it.
template <typename Scalar>
struct Parameter {
    BasicMatrix<Scalar>* value;           // theta, changed in place by step()
    const BasicMatrix<Scalar>* gradient;  // nabla_theta C, the shape of theta
    bool decays;                          // whether L2 weight decay acts on it (weights: yes, biases: no)
};

// With g = nabla_w + lambda W for weights and g = nabla_b for biases (no decay), each parameter
// theta moves by
//   sgd:       theta -= eta g
//   momentum:  v = mu v - eta g;  theta += v                        (v starts at 0)
//   adam:      m = b1 m + (1 - b1) g;  s = b2 s + (1 - b2) g^2;     (m, s start at 0; t counts steps)
//              theta -= eta (m / (1 - b1^t)) / (sqrt(s / (1 - b2^t)) + epsilon)
template <typename Scalar>
class BasicOptimizer {
public:
    // Throws std::invalid_argument for an unknown name (listing the known ones) or a learning
    // rate, l2, momentum or beta outside its range.
    explicit BasicOptimizer(OptimizerSettings settings);

    // One step of every parameter. The list must name the same parameters, in the same order, at
    // every step: the i-th one's state (velocity or moments) is kept in slot i.
    // fcnn::parameters(net, gradients) in training.hpp makes the list for a network.
    void step(std::span<const Parameter<Scalar>> parameters);

    const OptimizerSettings& settings() const { return settings_; }
    void set_learning_rate(double eta);  // for a schedule; keeps the state (velocities, moments)
    static std::string known_names();  // "sgd, momentum, adam"
    static std::vector<std::string_view> known_name_list();  // the same names, one by one, in that order

private:
    void step_parameter(BasicMatrix<Scalar>& theta, const BasicMatrix<Scalar>& gradient, Scalar lambda,
                        std::size_t slot);

    OptimizerSettings settings_;
    OptimizerKind kind_;                    // settings_.name, looked up once
    std::size_t t_ = 0;                     // steps taken
    std::vector<BasicMatrix<Scalar>> m_;    // momentum: velocity v; adam: first moment m
    std::vector<BasicMatrix<Scalar>> s_;    // adam: second moment s
};

using Optimizer = BasicOptimizer<double>;
using FloatOptimizer = BasicOptimizer<float>;

}  // namespace fcnn
