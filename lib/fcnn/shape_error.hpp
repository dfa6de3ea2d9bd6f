#pragma once
// The one form of every shape error in fcnn:
//
//     <operation>: <what is wrong, or what was expected>: <name> is RxC[, <name> is RxC ...]
//
// e.g. "matmul: inner sizes differ: A is 10x3, B is 2x5" or "feedforward: X must have 784 rows,
// one per input (samples are columns): X is 10x32". A check builds it with the shapes it names
// and throws it where the reader sees the check:
//
//     if (A.cols() != B.rows()) throw shape_error("matmul", "inner sizes differ", {{"A", A}, {"B", B}});
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>

#include "fcnn/matrix.hpp"

namespace fcnn {

// One matrix as a shape error names it: "A" and "10x3", or for transposed(B) "B^T" and "5x2".
struct NamedShape {
    template <typename Scalar>
    NamedShape(std::string_view name, const BasicMatrix<Scalar>& matrix) : name(name), shape(matrix.shape()) {}

    template <typename Scalar>
    NamedShape(std::string_view name, Transposed<Scalar> matrix)
        : name(std::string(name) + "^T"),
          shape(std::to_string(matrix.matrix.cols()) + "x" + std::to_string(matrix.matrix.rows())) {}

    std::string name;
    std::string shape;
};

// The test behind most shape errors: A and B have the same rows and the same columns.
template <typename Scalar>
bool same_shape(const BasicMatrix<Scalar>& A, const BasicMatrix<Scalar>& B) {
    return A.rows() == B.rows() && A.cols() == B.cols();
}

// "<operation>: <problem>: <name> is <shape>, ..." as a std::invalid_argument.
std::invalid_argument shape_error(std::string_view operation, std::string_view problem,
                                  std::initializer_list<NamedShape> shapes);

}  // namespace fcnn
