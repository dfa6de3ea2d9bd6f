// The fast matrix product behind matmul: C = op(A) op(B), where op(X) is X or its transpose.
//
// tutorials/08-fast-matmul walks from the triple loop to this code step by step. In short:
//   1. Blocking: C is computed in blocks sized so that the part of A and B they read stays in
//      the caches while it is reused.
//   2. Packing: each block of A and B is first copied into a small contiguous buffer, in exactly
//      the order the inner loop reads it. A transposed operand is packed the same way, read with
//      swapped strides: A^T B and A B^T never build a transposed copy.
//   3. The register tile: the innermost code computes an MR x NR tile of C in local variables
//      that the compiler keeps in (SIMD) registers, so each value loaded from A or B is used
//      NR or MR times before the next load.
//   4. Threads: rows of C are shared out between threads. No thread ever splits a sum.
//
// Every C(i, j) is still sum_k A(i,k) B(k,j) added in the order k = 0, 1, 2, ... starting from 0,
// as the plain triple loop (matmul_reference) does, so the result is bit for bit the same for
// every shape, every block size and every thread count.
#pragma once

#include <cstddef>

namespace fcnn {

// A read-only look at a matrix: element (r, c) is data[r * row_stride + c * col_stride].
// A row-major matrix has row_stride = cols and col_stride = 1; its transpose swaps the two.
template <typename Scalar>
struct MatrixView {
    const Scalar* data;
    std::size_t rows, cols;
    std::size_t row_stride, col_stride;

    Scalar operator()(std::size_t r, std::size_t c) const { return data[r * row_stride + c * col_stride]; }
};

// C = scale (A B) for row-major C (A.rows x B.cols, each row ldc apart): each finished sum is
// multiplied by scale once. A.cols must equal B.rows; the caller checks. Uses the thread pool
// (threads.hpp) when the product is large enough to gain.
template <typename Scalar>
void gemm_into(Scalar* C, std::size_t ldc, MatrixView<Scalar> A, MatrixView<Scalar> B, Scalar scale = 1);

}  // namespace fcnn
