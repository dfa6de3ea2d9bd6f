#include "fcnn/gradient_check.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "fcnn/shape_error.hpp"

namespace fcnn {

namespace {

// One value compared: where it is (its matrix, of layer `layer` counting from 1, and its
// element), what backprop said, what the differences said.
struct Comparison {
    std::string matrix;
    std::size_t layer;
    std::string where;
    double analytic;
    double numeric;
};

// ||analytic - numeric|| / (||analytic|| + ||numeric||) over the values that `take` picks.
template <typename Take>
double relative_error(const std::vector<Comparison>& values, Take take) {
    double difference_squares = 0, analytic_squares = 0, numeric_squares = 0;
    for (const Comparison& v : values)
        if (take(v)) {
            difference_squares += (v.analytic - v.numeric) * (v.analytic - v.numeric);
            analytic_squares += v.analytic * v.analytic;
            numeric_squares += v.numeric * v.numeric;
        }
    const double scale = std::sqrt(analytic_squares) + std::sqrt(numeric_squares);
    return scale == 0 ? 0 : std::sqrt(difference_squares) / scale;
}

std::string element_name(const std::string& matrix, std::size_t r, std::size_t c) {
    return matrix + "(" + std::to_string(r) + ", " + std::to_string(c) + ")";
}

std::string format(const char* pattern, double a, double b = 0, double c = 0) {
    char text[160];
    std::snprintf(text, sizeof text, pattern, a, b, c);
    return text;
}

// Each matrix's relative error, from the last layer back: the order in which backprop computes
// them, so the first layer that is wrong points at the equation to read (BP1 at the output
// layer, BP2 below it; BP3 or BP4 when only b or only W of a layer is wrong).
std::vector<MatrixError> errors_by_matrix(const std::vector<Comparison>& values) {
    std::size_t layers = 0;
    for (const Comparison& v : values) layers = std::max(layers, v.layer);
    std::vector<MatrixError> errors;
    for (std::size_t layer = layers; layer >= 1; --layer)
        for (const Comparison& v : values)  // W^l before b^l, as the values come
            if (v.layer == layer &&
                std::none_of(errors.begin(), errors.end(), [&](const MatrixError& e) { return e.matrix == v.matrix; }))
                errors.push_back({v.matrix, layer, relative_error(values, [&](const Comparison& c) { return c.matrix == v.matrix; })});
    return errors;
}

// "    layer 2:  W^2 1.234e-01  b^2 5.678e-02", one line per layer.
std::string layer_lines(const std::vector<MatrixError>& errors) {
    std::string lines;
    for (std::size_t i = 0; i < errors.size(); ++i) {
        const bool new_layer = i == 0 || errors[i].layer != errors[i - 1].layer;
        if (new_layer) lines += (i == 0 ? "    layer " : "\n    layer ") + std::to_string(errors[i].layer) + ":";
        lines += "  " + errors[i].matrix + format(" %.3e", errors[i].relative_error);
    }
    return lines.empty() ? lines : lines + "\n";
}

// The verdict and the report, in the manner of llm.c's checks.
GradientCheckResult judge(const std::string& what, const std::vector<Comparison>& values, double tolerance) {
    GradientCheckResult result;
    result.tolerance = tolerance;
    result.checked = values.size();
    bool all_zero = true;  // then agreement would prove nothing
    for (const Comparison& v : values) {
        const double difference = std::abs(v.analytic - v.numeric);
        if (v.analytic != 0) all_zero = false;
        if (difference >= result.largest_difference) {
            result.largest_difference = difference;
            result.worst = v.where;
        }
    }
    result.relative_error = relative_error(values, [](const Comparison&) { return true; });
    result.by_matrix = errors_by_matrix(values);
    result.passed = !all_zero && result.relative_error < tolerance;

    std::string& r = result.report;
    r = what + ", " + std::to_string(values.size()) + " values: " + (result.passed ? "OK" : "NOT OK") + "\n";
    if (all_zero) r += "  every analytic gradient is zero: the check would compare nothing (choose inputs away from a minimum)\n";
    r += format("  relative error %.3e (tolerance %.1e)\n", result.relative_error, tolerance);
    r += "  relative error by layer, from the output back:\n" + layer_lines(result.by_matrix);
    r += format("  largest difference %.3e", result.largest_difference) + " at " + result.worst + "\n";
    r += "  first values:        analytic           numeric\n";
    for (std::size_t i = 0; i < std::min<std::size_t>(values.size(), 5); ++i) {
        std::string where = values[i].where;
        where.resize(std::max<std::size_t>(where.size(), 12), ' ');
        r += "    " + where + format(" %17.10e %17.10e\n", values[i].analytic, values[i].numeric);
    }
    return result;
}

// (f(x + eps) - f(x - eps)) / (2 eps), restoring x afterwards.
template <typename Scalar, typename Function>
double central_difference(Scalar& x, double epsilon, Function f) {
    const Scalar saved = x;
    x = static_cast<Scalar>(saved + epsilon);
    const double plus = f();
    x = static_cast<Scalar>(saved - epsilon);
    const double minus = f();
    x = saved;
    return (plus - minus) / (2 * epsilon);
}

// Sum over the batch of C_x when layer l's weighted input is z: the rest of the forward pass.
template <typename Scalar>
double cost_from(const BasicNetwork<Scalar>& net, std::size_t l, const BasicMatrix<Scalar>& z,
                 const BasicMatrix<Scalar>& Y) {
    const auto layers = net.layers();
    BasicMatrix<Scalar> a = layers[l].activation.value(z);
    for (std::size_t k = l + 1; k < layers.size(); ++k)
        a = layers[k].activation.value(add_bias(matmul(layers[k].weights, a), layers[k].biases));
    return net.cost().value(a, Y) * static_cast<double>(Y.cols());
}

template <typename Scalar>
void check_gradient_shapes(const BasicNetwork<Scalar>& net, const Gradients<Scalar>& gradients) {
    const auto layers = net.layers();
    if (gradients.nabla_w.size() != layers.size() || gradients.nabla_b.size() != layers.size())
        throw std::invalid_argument("compare_gradients: expected gradients for " + std::to_string(layers.size()) +
                                    " layers, got " + std::to_string(gradients.nabla_w.size()) + " nabla_w and " +
                                    std::to_string(gradients.nabla_b.size()) + " nabla_b");
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const std::string n = std::to_string(l + 1);
        if (!same_shape(gradients.nabla_w[l], layers[l].weights))
            throw shape_error("compare_gradients", "layer " + n + "'s nabla_w must have the shape of W^" + n,
                              {{"nabla_w^" + n, gradients.nabla_w[l]}, {"W^" + n, layers[l].weights}});
        if (!same_shape(gradients.nabla_b[l], layers[l].biases))
            throw shape_error("compare_gradients", "layer " + n + "'s nabla_b must have the shape of b^" + n,
                              {{"nabla_b^" + n, gradients.nabla_b[l]}, {"b^" + n, layers[l].biases}});
    }
}

}  // namespace

template <typename Scalar>
GradientCheckResult check_gradients(const BasicNetwork<Scalar>& net, const BasicMatrix<Scalar>& X,
                                    const BasicMatrix<Scalar>& Y, double tolerance, double epsilon) {
    const auto [z_s, a_s] = net.feedforward(X);
    return compare_gradients(net, X, Y, net.backprop(Y, z_s, a_s), tolerance, epsilon);
}

template <typename Scalar>
GradientCheckResult compare_gradients(const BasicNetwork<Scalar>& net, const BasicMatrix<Scalar>& X,
                                      const BasicMatrix<Scalar>& Y, const Gradients<Scalar>& gradients,
                                      double tolerance, double epsilon) {
    check_gradient_shapes(net, gradients);
    BasicNetwork<Scalar> probe = net;  // nudged one parameter at a time
    const auto cost = [&] { return probe.cost().value(probe.predict(X), Y); };
    std::vector<Comparison> values;
    for (std::size_t l = 0; l < probe.layers().size(); ++l) {
        auto& layer = probe.layers()[l];
        const std::string number = std::to_string(l + 1);
        for (std::size_t r = 0; r < layer.weights.rows(); ++r)
            for (std::size_t c = 0; c < layer.weights.cols(); ++c)
                values.push_back({"W^" + number, l + 1, element_name("W^" + number, r, c), gradients.nabla_w[l](r, c),
                                  central_difference(layer.weights(r, c), epsilon, cost)});
        for (std::size_t r = 0; r < layer.biases.rows(); ++r)
            values.push_back({"b^" + number, l + 1, element_name("b^" + number, r, 0), gradients.nabla_b[l](r, 0),
                              central_difference(layer.biases(r, 0), epsilon, cost)});
    }
    return judge("gradient check of nabla_w and nabla_b", values, tolerance);
}

template <typename Scalar>
GradientCheckResult check_deltas(const BasicNetwork<Scalar>& net, const BasicMatrix<Scalar>& X,
                                 const BasicMatrix<Scalar>& Y, double tolerance, double epsilon) {
    const auto [z_s, a_s] = net.feedforward(X);
    const std::vector<BasicMatrix<Scalar>> deltas = net.deltas(Y, z_s, a_s);
    std::vector<Comparison> values;
    for (std::size_t l = 0; l < z_s.size(); ++l) {
        BasicMatrix<Scalar> z = z_s[l];
        const auto cost = [&] { return cost_from(net, l, z, Y); };
        for (std::size_t r = 0; r < z.rows(); ++r)
            for (std::size_t c = 0; c < z.cols(); ++c)
                values.push_back({"delta^" + std::to_string(l + 1), l + 1, element_name("delta^" + std::to_string(l + 1), r, c), deltas[l](r, c),
                                  central_difference(z(r, c), epsilon, cost)});
    }
    return judge("gradient check of delta^l (BP1, BP2)", values, tolerance);
}

#define FCNN_INSTANTIATE_GRADIENT_CHECK(Scalar)                                                         \
    template GradientCheckResult check_gradients(const BasicNetwork<Scalar>&, const BasicMatrix<Scalar>&, \
                                                 const BasicMatrix<Scalar>&, double, double);           \
    template GradientCheckResult check_deltas(const BasicNetwork<Scalar>&, const BasicMatrix<Scalar>&,    \
                                              const BasicMatrix<Scalar>&, double, double);          \
    template GradientCheckResult compare_gradients(const BasicNetwork<Scalar>&, const BasicMatrix<Scalar>&, \
                                                   const BasicMatrix<Scalar>&, const Gradients<Scalar>&,    \
                                                   double, double);

FCNN_INSTANTIATE_GRADIENT_CHECK(float)
FCNN_INSTANTIATE_GRADIENT_CHECK(double)

}  // namespace fcnn
