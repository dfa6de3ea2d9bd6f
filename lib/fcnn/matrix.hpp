// A small dense matrix and the handful of operations a fully connected network needs.
//
// Layout: row-major, element (r, c) is values[r * cols + c].
// Convention, as in Nielsen's book and the blog fcnn grew from: samples are columns.
// A batch of 32 inputs with 784 features each is a 784 x 32 matrix.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <iosfwd>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace fcnn {

template <typename Scalar>
class BasicMatrix {
public:
    using value_type = Scalar;

    BasicMatrix() = default;
    BasicMatrix(std::size_t rows, std::size_t cols, Scalar fill = Scalar(0));
    // Written as it reads: Matrix{{1, 2, 3}, {4, 5, 6}} is 2x3. Ragged rows throw.
    BasicMatrix(std::initializer_list<std::initializer_list<Scalar>> rows);

    std::size_t rows() const { return rows_; }
    std::size_t cols() const { return cols_; }
    std::size_t size() const { return values_.size(); }
    std::string shape() const;  // "3x2", as error messages print it

    // Bounds are checked in debug builds (no NDEBUG) and throw std::out_of_range.
    Scalar& operator()(std::size_t r, std::size_t c) { return values_[index(r, c)]; }
    const Scalar& operator()(std::size_t r, std::size_t c) const { return values_[index(r, c)]; }

    // Makes the matrix rows x cols, keeping its storage when that is big enough: a workspace
    // reused for batches of one size (or smaller) never allocates again. The values are
    // unspecified afterwards; the *_into functions below overwrite every one.
    void resize(std::size_t rows, std::size_t cols);

    std::span<Scalar> values() { return values_; }
    std::span<const Scalar> values() const { return values_; }

    bool operator==(const BasicMatrix&) const = default;

private:
    std::size_t index(std::size_t r, std::size_t c) const {
#ifndef NDEBUG
        check_index(r, c);
#endif
        return r * cols_ + c;
    }
    void check_index(std::size_t r, std::size_t c) const;

    std::size_t rows_ = 0;
    std::size_t cols_ = 0;
    std::vector<Scalar> values_;
};

// Every operation checks shapes and throws std::invalid_argument naming the
// operation and both shapes, e.g. "matmul: inner sizes differ: A is 10x3, B is 2x5" (the one
// form of shape_error.hpp, which every check in lib/ uses).
//
// First the teaching operations: each returns its result by value and reads as the math does.
// Then, in the marked section below, the forms that exist only for speed.

// C = A B: C(i,j) = sum_k A(i,k) B(k,j), by the fast kernel of gemm.cpp (blocked, packed, on
// fcnn's threads: see threads.hpp).
template <typename Scalar>
BasicMatrix<Scalar> matmul(const BasicMatrix<Scalar>& A, const BasicMatrix<Scalar>& B);

// The same product by the plain triple loop, as the definition reads: the reference that the
// tests hold matmul to. Each step is one fused multiply-add, sum = fma(a, b, sum), as in the
// fast kernel, so the two agree bit for bit.
template <typename Scalar>
BasicMatrix<Scalar> matmul_reference(const BasicMatrix<Scalar>& A, const BasicMatrix<Scalar>& B);

template <typename Scalar>
BasicMatrix<Scalar> transpose(const BasicMatrix<Scalar>& A);
// A^T in another scalar type, in one pass: transpose_converted<double>(images) is
// converted<double>(transpose(images)) without the intermediate copy. For float and double.
template <typename To, typename From>
BasicMatrix<To> transpose_converted(const BasicMatrix<From>& A);

template <typename Scalar>
BasicMatrix<Scalar> add(const BasicMatrix<Scalar>& A, const BasicMatrix<Scalar>& B);

template <typename Scalar>
BasicMatrix<Scalar> subtract(const BasicMatrix<Scalar>& A, const BasicMatrix<Scalar>& B);

// The elementwise product A (.) B, written with a circle-dot in the math.
template <typename Scalar>
BasicMatrix<Scalar> hadamard(const BasicMatrix<Scalar>& A, const BasicMatrix<Scalar>& B);

template <typename Scalar>
BasicMatrix<Scalar> scale(Scalar s, const BasicMatrix<Scalar>& A);

// f applied to every element.
template <typename Scalar, typename Function>
BasicMatrix<Scalar> apply(const BasicMatrix<Scalar>& A, Function f) {
    BasicMatrix<Scalar> result = A;
    for (Scalar& x : result.values()) x = f(x);
    return result;
}

// The same matrix in another scalar type: converted<double>(images) for a double network.
template <typename To, typename From>
BasicMatrix<To> converted(const BasicMatrix<From>& M) {
    BasicMatrix<To> result(M.rows(), M.cols());
    for (std::size_t i = 0; i < M.size(); ++i) result.values()[i] = static_cast<To>(M.values()[i]);
    return result;
}

// A + b with the column b (n x 1) added to every column of A (n x batch): Z = W A + B.
template <typename Scalar>
BasicMatrix<Scalar> add_bias(const BasicMatrix<Scalar>& A, const BasicMatrix<Scalar>& b);

// The n x 1 column of the sums of A's rows: row i's sum is A(i, 0) + A(i, 1) + ..., over the
// columns (the samples of a batch), NumPy's A.sum(axis=1).
template <typename Scalar>
BasicMatrix<Scalar> row_sums(const BasicMatrix<Scalar>& A);

// For each column, the row of its largest element (the first one on ties).
template <typename Scalar>
std::vector<std::size_t> argmax_columns(const BasicMatrix<Scalar>& A);

// The columns of A named by indices, in that order: how a mini-batch is cut out.
template <typename Scalar>
BasicMatrix<Scalar> gather_columns(const BasicMatrix<Scalar>& A, std::span<const std::size_t> indices);

// The shape, then one row per line with `decimals` digits after the point, columns aligned:
//   2x3
//   [ 1.00  2.00  3.00 ]
//   [ 4.00  5.00  6.00 ]
template <typename Scalar>
std::string to_string(const BasicMatrix<Scalar>& A, int decimals = 4);

template <typename Scalar>
std::ostream& operator<<(std::ostream& out, const BasicMatrix<Scalar>& A);  // to_string(A)

// ---------------------------------------------------------------------------------------------
// For speed only. The same operations without a copy of a transpose, and without allocating,
// for loops that run every batch (train). Each X_into(out, ...) takes the output first, then the
// arguments of X: it resizes out to fit (no allocation when out is big enough already) and
// leaves in it bit for bit what X returns.
// ---------------------------------------------------------------------------------------------

// A matrix read as its transpose, without a copy: matmul(transposed(W), delta) computes W^T delta
// straight from W's storage.
template <typename Scalar>
struct Transposed {
    const BasicMatrix<Scalar>& matrix;
};

template <typename Scalar>
Transposed<Scalar> transposed(const BasicMatrix<Scalar>& A) { return {A}; }

// A^T B and A B^T, without building the transpose.
template <typename Scalar>
BasicMatrix<Scalar> matmul(Transposed<Scalar> A, const BasicMatrix<Scalar>& B);
template <typename Scalar>
BasicMatrix<Scalar> matmul(const BasicMatrix<Scalar>& A, Transposed<Scalar> B);

// C = s A B (or A^T B, A B^T), with the optional scale s applied to each finished sum: bit for
// bit scale(s, matmul(A, B)), without a second pass over C. C must be a different matrix from
// A and B.
template <typename Scalar>
void matmul_into(BasicMatrix<Scalar>& C, const BasicMatrix<Scalar>& A, const BasicMatrix<Scalar>& B,
                 std::type_identity_t<Scalar> s = 1);
template <typename Scalar>
void matmul_into(BasicMatrix<Scalar>& C, Transposed<Scalar> A, const BasicMatrix<Scalar>& B,
                 std::type_identity_t<Scalar> s = 1);
template <typename Scalar>
void matmul_into(BasicMatrix<Scalar>& C, const BasicMatrix<Scalar>& A, Transposed<Scalar> B,
                 std::type_identity_t<Scalar> s = 1);

template <typename Scalar>
void subtract_into(BasicMatrix<Scalar>& C, const BasicMatrix<Scalar>& A, const BasicMatrix<Scalar>& B);
// sums = s row_sums(A), the scale applied to each finished sum as matmul_into applies it:
// bit for bit scale(s, row_sums(A)).
template <typename Scalar>
void row_sums_into(BasicMatrix<Scalar>& sums, const BasicMatrix<Scalar>& A, std::type_identity_t<Scalar> s = 1);

// argmax_columns for column j alone, without allocating.
template <typename Scalar>
std::size_t argmax_column(const BasicMatrix<Scalar>& A, std::size_t j);

template <typename Scalar>
void gather_columns_into(BasicMatrix<Scalar>& batch, const BasicMatrix<Scalar>& A,
                         std::span<const std::size_t> indices);
// The same from A given as the transpose of a matrix S with one *row* per sample: row k of S is
// column k of A, one contiguous read instead of one cache miss per number.
template <typename Scalar>
void gather_columns_into(BasicMatrix<Scalar>& batch, Transposed<Scalar> A, std::span<const std::size_t> indices);

using Matrix = BasicMatrix<double>;
using FloatMatrix = BasicMatrix<float>;

}  // namespace fcnn
