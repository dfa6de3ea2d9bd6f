// A matrix of standard normal draws, for tests that need inputs without caring which.
#pragma once

#include <fcnn/matrix.hpp>
#include <fcnn/random.hpp>

namespace fcnn_test {

template <typename Scalar>
fcnn::BasicMatrix<Scalar> normal_matrix(std::size_t rows, std::size_t cols, fcnn::Random& random) {
    fcnn::BasicMatrix<Scalar> M(rows, cols);
    for (Scalar& x : M.values()) x = static_cast<Scalar>(random.normal());
    return M;
}

}  // namespace fcnn_test
