// Cost functions C, each with its value and its gradient with respect to the output a.
//
// Conventions (docs/math.md derives them):
//   - C_x is the cost of one sample x (one column); the 1/2 of the quadratic cost lives here,
//     so that its gradient is plainly a - y.
//   - C = (1/n) sum_x C_x is the cost of a batch of n samples: value() returns this average.
//     The 1/n is applied once more in backprop, where BP3 and BP4 average over the batch.
//   - gradient() is nabla_a C_x, column by column, without the 1/n.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fcnn/activation.hpp"
#include "fcnn/matrix.hpp"

namespace fcnn {

class Cost {
public:
    enum class Kind {
        quadratic,             // C_x = 1/2 ||a - y||^2
        cross_entropy,         // C_x = -sum_j y_j ln a_j            (softmax outputs)
        binary_cross_entropy,  // C_x = -sum_j [y_j ln a_j + (1 - y_j) ln(1 - a_j)]  (sigmoid outputs)
    };

    // "quadratic", "cross_entropy" or "binary_cross_entropy"; any other name throws and lists these.
    explicit Cost(std::string_view name);

    Kind kind() const { return kind_; }
    std::string_view name() const;
    static std::string known_names();                        // "quadratic, cross_entropy, binary_cross_entropy"
    static std::vector<std::string_view> known_name_list();  // the same names, one by one, in that order

    // Throws when this cost cannot work with that output activation: the cross-entropies take
    // the logarithm of a and need 0 < a < 1, which only sigmoid and softmax guarantee; and
    // binary_cross_entropy treats each output as a yes/no probability of its own, which softmax
    // outputs (one distribution over the classes) are not.
    void check_output_activation(const Activation& output) const;

    // Throws unless y suits this cost: for cross_entropy every column of y must sum to 1
    // (one-hot or probabilities), which is what makes its delta^L exactly a - y.
    template <typename Scalar>
    void check_targets(const BasicMatrix<Scalar>& y) const;

    // C = (1/n) sum_x C_x over the n columns. A saturated output (a exactly 0 or 1) gives a
    // large finite cross-entropy: ln is taken of max(a, smallest positive normal number).
    template <typename Scalar>
    double value(const BasicMatrix<Scalar>& a, const BasicMatrix<Scalar>& y) const;
    // The same, exact where the output saturated: z is what `output` turned into a. Wherever
    // a (or 1 - a) is a normal number the value is bit for bit the one above; where it rounded
    // to 0 (or below the normal range of Scalar) ln a is taken from z by a stable form
    // (log-sum-exp for softmax, -ln(1 + e^-z) for sigmoid), so sigmoid at z = 40 with y = 0
    // costs 40, not the 708.4 of the clamp. train and loss (training.hpp) use this one.
    template <typename Scalar>
    double value(const BasicMatrix<Scalar>& a, const BasicMatrix<Scalar>& y, const BasicMatrix<Scalar>& z,
                 const Activation& output) const;

    // nabla_a C_x, one column per sample.
    template <typename Scalar>
    BasicMatrix<Scalar> gradient(const BasicMatrix<Scalar>& a, const BasicMatrix<Scalar>& y) const;
    // The same into nabla_a, resized to fit: no allocation when it is big enough.
    template <typename Scalar>
    void gradient_into(BasicMatrix<Scalar>& nabla_a, const BasicMatrix<Scalar>& a, const BasicMatrix<Scalar>& y) const;

    // True for the matched pairs, cross_entropy + softmax and binary_cross_entropy + sigmoid,
    // whose output error is exactly delta^L = a - y: sigma' cancels (docs/math.md shows how).
    bool cancels_sigma_prime(const Activation& output) const;

    bool operator==(const Cost&) const = default;

private:
    Kind kind_;
};

}  // namespace fcnn
