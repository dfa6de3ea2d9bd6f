// Gradient checking: compare backprop's answers with central differences,
//   dC/dtheta ~ (C(theta + eps) - C(theta - eps)) / (2 eps),
// which needs nothing but the forward pass. Run it in double: float's 7 digits cannot
// resolve the difference of two nearly equal costs.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "fcnn/network.hpp"

namespace fcnn {

// The relative error of one matrix's values alone (W^2, b^2, delta^2, ...).
struct MatrixError {
    std::string matrix;
    std::size_t layer = 0;  // counting from 1, as the math does
    double relative_error = 0;
};

struct GradientCheckResult {
    bool passed = false;
    double relative_error = 0;      // ||analytic - numeric|| / (||analytic|| + ||numeric||)
    double largest_difference = 0;  // max |analytic_i - numeric_i|
    std::string worst;              // where that is, e.g. "W^2(0, 1)"
    double tolerance = 0;
    std::size_t checked = 0;        // how many values were compared
    std::vector<MatrixError> by_matrix;  // each matrix's own, the output layer's first (backprop's order)
    std::string report;             // OK / NOT OK, the errors (overall, then by layer), the tolerance, the first values
};

// Every weight and bias: nabla_w and nabla_b from backprop against numeric dC/dW and dC/db,
// with C the batch cost (the average over the columns of X). Fails when backprop's gradients
// are all zero, since agreeing with them would prove nothing.
template <typename Scalar>
GradientCheckResult check_gradients(const BasicNetwork<Scalar>& net, const BasicMatrix<Scalar>& X,
                                    const BasicMatrix<Scalar>& Y, double tolerance = 1e-7, double epsilon = 1e-6);

// The same comparison for gradients computed elsewhere (by a backprop of your own, say), in the
// shapes of Network::backprop's result.
template <typename Scalar>
GradientCheckResult compare_gradients(const BasicNetwork<Scalar>& net, const BasicMatrix<Scalar>& X,
                                      const BasicMatrix<Scalar>& Y, const Gradients<Scalar>& analytic,
                                      double tolerance = 1e-7, double epsilon = 1e-6);

// Every delta^l (BP1 for the output layer, BP2 for the others) against numeric dC_x/dz^l:
// z^l is nudged and the pass continued from there to the cost of that sample.
template <typename Scalar>
GradientCheckResult check_deltas(const BasicNetwork<Scalar>& net, const BasicMatrix<Scalar>& X,
                                 const BasicMatrix<Scalar>& Y, double tolerance = 1e-7, double epsilon = 1e-6);

}  // namespace fcnn
