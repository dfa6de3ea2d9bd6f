#include "fcnn/matrix.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <stdexcept>

#include "fcnn/gemm.hpp"
#include "fcnn/shape_error.hpp"
#include "fcnn/threads.hpp"

namespace fcnn {

namespace {

template <typename Scalar>
void require_same_shape(const std::string& operation, const BasicMatrix<Scalar>& A,
                        const BasicMatrix<Scalar>& B) {
    if (!same_shape(A, B)) throw shape_error(operation, "shapes differ", {{"A", A}, {"B", B}});
}

// C = the elementwise combination f(A(i,j), B(i,j)) of two matrices of one shape.
template <typename Scalar, typename Function>
void combine_into(const std::string& operation, BasicMatrix<Scalar>& C, const BasicMatrix<Scalar>& A,
                  const BasicMatrix<Scalar>& B, Function f) {
    require_same_shape(operation, A, B);
    C.resize(A.rows(), A.cols());
    const std::span<const Scalar> a = A.values(), b = B.values();
    const std::span<Scalar> c = C.values();
    for (std::size_t i = 0; i < c.size(); ++i) c[i] = f(a[i], b[i]);
}

template <typename Scalar, typename Function>
BasicMatrix<Scalar> combine(const std::string& operation, const BasicMatrix<Scalar>& A,
                            const BasicMatrix<Scalar>& B, Function f) {
    BasicMatrix<Scalar> C;
    combine_into(operation, C, A, B, f);
    return C;
}

constexpr auto minus = [](auto a, auto b) { return a - b; };

}  // namespace

template <typename Scalar>
BasicMatrix<Scalar>::BasicMatrix(std::size_t rows, std::size_t cols, Scalar fill)
    : rows_(rows), cols_(cols), values_(rows * cols, fill) {}

template <typename Scalar>
BasicMatrix<Scalar>::BasicMatrix(std::initializer_list<std::initializer_list<Scalar>> rows)
    : rows_(rows.size()), cols_(rows.size() == 0 ? 0 : rows.begin()->size()) {
    values_.reserve(rows_ * cols_);
    std::size_t r = 0;
    for (const auto& row : rows) {
        if (row.size() != cols_)
            throw std::invalid_argument("Matrix: rows differ in length: row 0 has " +
                                        std::to_string(cols_) + " values, row " + std::to_string(r) +
                                        " has " + std::to_string(row.size()));
        values_.insert(values_.end(), row.begin(), row.end());
        ++r;
    }
}

template <typename Scalar>
void BasicMatrix<Scalar>::resize(std::size_t rows, std::size_t cols) {
    rows_ = rows;
    cols_ = cols;
    values_.resize(rows * cols);
}

template <typename Scalar>
std::string BasicMatrix<Scalar>::shape() const {
    return std::to_string(rows_) + "x" + std::to_string(cols_);
}

template <typename Scalar>
void BasicMatrix<Scalar>::check_index(std::size_t r, std::size_t c) const {
    if (r >= rows_ || c >= cols_)
        throw std::out_of_range("Matrix: element (" + std::to_string(r) + ", " + std::to_string(c) +
                                ") is out of range: the matrix is " + shape());
}

// [snippet matmul-reference]
template <typename Scalar>
BasicMatrix<Scalar> matmul_reference(const BasicMatrix<Scalar>& A, const BasicMatrix<Scalar>& B) {
    if (A.cols() != B.rows()) throw shape_error("matmul", "inner sizes differ", {{"A", A}, {"B", B}});
    BasicMatrix<Scalar> C(A.rows(), B.cols());
    for (std::size_t i = 0; i < A.rows(); ++i)
        for (std::size_t j = 0; j < B.cols(); ++j) {
            Scalar sum = 0;
            for (std::size_t k = 0; k < A.cols(); ++k) sum = std::fma(A(i, k), B(k, j), sum);  // sum + A(i,k) B(k,j)
            C(i, j) = sum;
        }
    return C;
}
// [end matmul-reference]

namespace {

template <typename Scalar>
MatrixView<Scalar> view(const BasicMatrix<Scalar>& A) {
    return {A.values().data(), A.rows(), A.cols(), A.cols(), 1};
}

template <typename Scalar>
MatrixView<Scalar> view(Transposed<Scalar> A) {  // the same numbers, strides swapped
    return {A.matrix.values().data(), A.matrix.cols(), A.matrix.rows(), 1, A.matrix.cols()};
}

template <typename Scalar>
const BasicMatrix<Scalar>& storage(const BasicMatrix<Scalar>& A) { return A; }

template <typename Scalar>
const BasicMatrix<Scalar>& storage(Transposed<Scalar> A) { return A.matrix; }

// The one body behind every matmul and matmul_into: check, size C, run the kernel.
template <typename Scalar, typename Left, typename Right>
void multiply_into(BasicMatrix<Scalar>& C, const Left& A, const Right& B, Scalar s = 1) {
    const MatrixView<Scalar> a = view(A), b = view(B);
    if (a.cols != b.rows)
        throw shape_error("matmul", "inner sizes differ", {{"A", A}, {"B", B}});
    if (&C == &storage(A) || &C == &storage(B))
        throw shape_error("matmul_into", "C must be a different matrix from A and B", {{"A", A}, {"B", B}});
    C.resize(a.rows, b.cols);
    gemm_into(C.values().data(), C.cols(), a, b, s);
}

}  // namespace

template <typename Scalar>
BasicMatrix<Scalar> matmul(const BasicMatrix<Scalar>& A, const BasicMatrix<Scalar>& B) {
    BasicMatrix<Scalar> C;
    multiply_into(C, A, B);
    return C;
}

template <typename Scalar>
BasicMatrix<Scalar> matmul(Transposed<Scalar> A, const BasicMatrix<Scalar>& B) {
    BasicMatrix<Scalar> C;
    multiply_into(C, A, B);
    return C;
}

template <typename Scalar>
BasicMatrix<Scalar> matmul(const BasicMatrix<Scalar>& A, Transposed<Scalar> B) {
    BasicMatrix<Scalar> C;
    multiply_into(C, A, B);
    return C;
}

template <typename Scalar>
void matmul_into(BasicMatrix<Scalar>& C, const BasicMatrix<Scalar>& A, const BasicMatrix<Scalar>& B, std::type_identity_t<Scalar> s) {
    multiply_into(C, A, B, s);
}

template <typename Scalar>
void matmul_into(BasicMatrix<Scalar>& C, Transposed<Scalar> A, const BasicMatrix<Scalar>& B, std::type_identity_t<Scalar> s) {
    multiply_into(C, A, B, s);
}

template <typename Scalar>
void matmul_into(BasicMatrix<Scalar>& C, const BasicMatrix<Scalar>& A, Transposed<Scalar> B, std::type_identity_t<Scalar> s) {
    multiply_into(C, A, B, s);
}

template <typename Scalar>
BasicMatrix<Scalar> transpose(const BasicMatrix<Scalar>& A) {
    return transpose_converted<Scalar>(A);
}

template <typename To, typename From>
BasicMatrix<To> transpose_converted(const BasicMatrix<From>& A) {
    BasicMatrix<To> T(A.cols(), A.rows());
    // In 32 x 32 tiles: going along a row of A writes down a column of T, one cache line (and,
    // for a large T, one page) per number; a tile's rows and columns stay in the cache. For
    // Fashion-MNIST's 784 x 60,000 that is seconds by rows, a tenth of a second by tiles.
    // A pure copy, so the tiles can be split over the threads without changing a bit.
    constexpr std::size_t tile = 32;
    const std::size_t row_tiles = (A.rows() + tile - 1) / tile;
    parallel_ranges(row_tiles, 4, [&](std::size_t first_tile, std::size_t end_tile) {
        for (std::size_t i0 = first_tile * tile; i0 < std::min(end_tile * tile, A.rows()); i0 += tile)
            for (std::size_t j0 = 0; j0 < A.cols(); j0 += tile)
                for (std::size_t i = i0; i < std::min(i0 + tile, A.rows()); ++i)
                    for (std::size_t j = j0; j < std::min(j0 + tile, A.cols()); ++j) T(j, i) = static_cast<To>(A(i, j));
    });
    return T;
}

template <typename Scalar>
BasicMatrix<Scalar> add(const BasicMatrix<Scalar>& A, const BasicMatrix<Scalar>& B) {
    return combine("add", A, B, [](Scalar a, Scalar b) { return a + b; });
}

template <typename Scalar>
BasicMatrix<Scalar> subtract(const BasicMatrix<Scalar>& A, const BasicMatrix<Scalar>& B) {
    return combine("subtract", A, B, minus);
}

template <typename Scalar>
BasicMatrix<Scalar> hadamard(const BasicMatrix<Scalar>& A, const BasicMatrix<Scalar>& B) {
    return combine("hadamard", A, B, [](Scalar a, Scalar b) { return a * b; });
}

template <typename Scalar>
BasicMatrix<Scalar> scale(Scalar s, const BasicMatrix<Scalar>& A) {
    return apply(A, [s](Scalar a) { return s * a; });
}

// [snippet add-bias]
template <typename Scalar>
BasicMatrix<Scalar> add_bias(const BasicMatrix<Scalar>& A, const BasicMatrix<Scalar>& b) {
    if (b.cols() != 1 || b.rows() != A.rows())
        throw shape_error("add_bias", "b must be one column as tall as A", {{"A", A}, {"b", b}});
    BasicMatrix<Scalar> C = A;
    for (std::size_t i = 0; i < C.rows(); ++i)
        for (std::size_t j = 0; j < C.cols(); ++j) C(i, j) += b(i, 0);
    return C;
}
// [end add-bias]

template <typename Scalar>
BasicMatrix<Scalar> row_sums(const BasicMatrix<Scalar>& A) {
    BasicMatrix<Scalar> sums;
    row_sums_into(sums, A);
    return sums;
}

template <typename Scalar>
void row_sums_into(BasicMatrix<Scalar>& sums, const BasicMatrix<Scalar>& A, std::type_identity_t<Scalar> s) {
    sums.resize(A.rows(), 1);
    for (std::size_t i = 0; i < A.rows(); ++i) {
        Scalar sum = 0;
        for (std::size_t j = 0; j < A.cols(); ++j) sum += A(i, j);
        sums(i, 0) = s * sum;
    }
}

template <typename Scalar>
void subtract_into(BasicMatrix<Scalar>& C, const BasicMatrix<Scalar>& A, const BasicMatrix<Scalar>& B) {
    combine_into("subtract", C, A, B, minus);
}

template <typename Scalar>
std::vector<std::size_t> argmax_columns(const BasicMatrix<Scalar>& A) {
    if (A.rows() == 0) throw shape_error("argmax_columns", "A has no rows", {{"A", A}});
    std::vector<std::size_t> best(A.cols());
    for (std::size_t j = 0; j < A.cols(); ++j) best[j] = argmax_column(A, j);
    return best;
}

template <typename Scalar>
std::size_t argmax_column(const BasicMatrix<Scalar>& A, std::size_t j) {
    if (A.rows() == 0 || j >= A.cols())
        throw std::invalid_argument("argmax_column: no column " + std::to_string(j) + " to search: A is " + A.shape());
    std::size_t best = 0;
    for (std::size_t i = 1; i < A.rows(); ++i)
        if (A(i, j) > A(best, j)) best = i;
    return best;
}

template <typename Scalar>
BasicMatrix<Scalar> gather_columns(const BasicMatrix<Scalar>& A, std::span<const std::size_t> indices) {
    BasicMatrix<Scalar> batch;
    gather_columns_into(batch, A, indices);
    return batch;
}

template <typename Scalar>
void gather_columns_into(BasicMatrix<Scalar>& batch, const BasicMatrix<Scalar>& A,
                         std::span<const std::size_t> indices) {
    for (std::size_t index : indices)
        if (index >= A.cols())
            throw std::invalid_argument("gather_columns: column " + std::to_string(index) +
                                        " is out of range: A is " + A.shape());
    batch.resize(A.rows(), indices.size());
    for (std::size_t i = 0; i < A.rows(); ++i)  // row by row: both matrices are read in order
        for (std::size_t j = 0; j < indices.size(); ++j) batch(i, j) = A(i, indices[j]);
}

namespace {

// Rows [first, end) of the batch: batch(i, j) = S(indices[j], i), where S holds a sample per row.
// It is a transpose of the chosen rows, which lie anywhere in a large S, so reading them is what
// costs. The samples are taken sixteen at a time, each read from its first feature to its last,
// writing sixteen neighbours of every batch row: streams that each run in order are what the
// hardware prefetcher follows. Row by row, all 32 samples of a batch side by side were too many
// streams; one sample at a time, every number went to another line of the batch. At 784 x 32,
// eight at a time took 0.6x the time of the row-by-row loop (docs/results.md, 2026-12-06), and
// sixteen a quarter less than eight in float, half in double; 24 and 32 were slower (2026-12-07,
// afternoon). How many streams pay depends on the machine.
template <typename Scalar>
void gather_rows_transposed(Scalar* batch, const Scalar* S, std::size_t features,
                            std::span<const std::size_t> indices, std::size_t first, std::size_t end) {
    const std::size_t samples = indices.size();
    if (samples == 1) {  // the batch is one column: the sample's row, as it is
        const Scalar* const sample = S + indices[0] * features;
        std::copy(sample + first, sample + end, batch + first);
        return;
    }
    constexpr std::size_t group = 16;
    for (std::size_t j0 = 0; j0 < samples; j0 += group) {
        const std::size_t width = std::min(group, samples - j0);
        const Scalar* sample[group];
        for (std::size_t g = 0; g < width; ++g) sample[g] = S + indices[j0 + g] * features;
        for (std::size_t i = first; i < end; ++i) {
            Scalar* const out = batch + i * samples + j0;
            for (std::size_t g = 0; g < width; ++g) out[g] = sample[g][i];
        }
    }
}

}  // namespace

template <typename Scalar>
void gather_columns_into(BasicMatrix<Scalar>& batch, Transposed<Scalar> A, std::span<const std::size_t> indices) {
    const BasicMatrix<Scalar>& rows = A.matrix;  // column k of A is row k of this
    for (std::size_t index : indices)
        if (index >= rows.rows())
            throw std::invalid_argument("gather_columns: column " + std::to_string(index) + " is out of range: A^T is " +
                                        std::to_string(rows.cols()) + "x" + std::to_string(rows.rows()));
    batch.resize(rows.cols(), indices.size());
    const std::size_t features = rows.cols(), samples = indices.size();
    const Scalar* const source = rows.values().data();
    Scalar* const target = batch.values().data();
    // The threads split the features (the batch's rows): each writes whole rows, and only a line
    // at the border of two threads' rows can be written by both.
    parallel_ranges(features, 4096 / std::max<std::size_t>(samples, 1) + 1, [=](std::size_t first, std::size_t end) {
        gather_rows_transposed(target, source, features, indices, first, end);
    });
}

template <typename Scalar>
std::string to_string(const BasicMatrix<Scalar>& A, int decimals) {
    std::vector<std::string> cells;
    std::size_t width = 0;
    for (Scalar x : A.values()) {
        char text[64];
        std::snprintf(text, sizeof text, "%.*f", decimals, static_cast<double>(x));
        cells.emplace_back(text);
        width = std::max(width, cells.back().size());
    }
    std::string out = A.shape() + "\n";
    for (std::size_t i = 0; i < A.rows(); ++i) {
        out += "[";
        for (std::size_t j = 0; j < A.cols(); ++j) {
            const std::string& cell = cells[i * A.cols() + j];
            out += std::string(width - cell.size() + 1, ' ') + cell;
        }
        out += " ]\n";
    }
    return out;
}

template <typename Scalar>
std::ostream& operator<<(std::ostream& out, const BasicMatrix<Scalar>& A) {
    return out << to_string(A);
}

#define FCNN_INSTANTIATE_MATRIX(Scalar)                                                            \
    template class BasicMatrix<Scalar>;                                                            \
    template BasicMatrix<Scalar> matmul(const BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&);   \
    template BasicMatrix<Scalar> matmul(Transposed<Scalar>, const BasicMatrix<Scalar>&);           \
    template BasicMatrix<Scalar> matmul(const BasicMatrix<Scalar>&, Transposed<Scalar>);           \
    template void matmul_into(BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&, Scalar); \
    template void matmul_into(BasicMatrix<Scalar>&, Transposed<Scalar>, const BasicMatrix<Scalar>&, Scalar); \
    template void matmul_into(BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&, Transposed<Scalar>, Scalar); \
    template BasicMatrix<Scalar> matmul_reference(const BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&); \
    template BasicMatrix<Scalar> transpose(const BasicMatrix<Scalar>&);                            \
    template BasicMatrix<Scalar> add(const BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&);      \
    template BasicMatrix<Scalar> subtract(const BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&); \
    template BasicMatrix<Scalar> hadamard(const BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&); \
    template BasicMatrix<Scalar> scale(Scalar, const BasicMatrix<Scalar>&);                        \
    template BasicMatrix<Scalar> add_bias(const BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&); \
    template BasicMatrix<Scalar> row_sums(const BasicMatrix<Scalar>&);                             \
    template void row_sums_into(BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&, Scalar);         \
    template void subtract_into(BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&); \
    template void gather_columns_into(BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&,            \
                                      std::span<const std::size_t>);                               \
    template void gather_columns_into(BasicMatrix<Scalar>&, Transposed<Scalar>, std::span<const std::size_t>); \
    template std::vector<std::size_t> argmax_columns(const BasicMatrix<Scalar>&);                  \
    template std::size_t argmax_column(const BasicMatrix<Scalar>&, std::size_t);                   \
    template BasicMatrix<Scalar> gather_columns(const BasicMatrix<Scalar>&,                        \
                                                std::span<const std::size_t>);                     \
    template std::string to_string(const BasicMatrix<Scalar>&, int);                               \
    template std::ostream& operator<<(std::ostream&, const BasicMatrix<Scalar>&);

FCNN_INSTANTIATE_MATRIX(float)
FCNN_INSTANTIATE_MATRIX(double)

template BasicMatrix<float> transpose_converted<float>(const BasicMatrix<float>&);
template BasicMatrix<double> transpose_converted<double>(const BasicMatrix<float>&);
template BasicMatrix<float> transpose_converted<float>(const BasicMatrix<double>&);
template BasicMatrix<double> transpose_converted<double>(const BasicMatrix<double>&);

}  // namespace fcnn

// Builds with debug info carry fcnn's gdb pretty-printers (lib/gdb/fcnn_printers.py) in this
// object's .debug_gdb_scripts section, so gdb finds them wherever Matrix is linked in.
#ifdef FCNN_EMBED_GDB_PRINTERS
#include "fcnn_gdb_printers.inc"
#endif
