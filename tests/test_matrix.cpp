#include <algorithm>
#include <array>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>
#include <fcnn/matrix.hpp>
#include <fcnn/random.hpp>
#include <fcnn/shape_error.hpp>
#include <fcnn/threads.hpp>

#include "check.hpp"
#include "random_matrix.hpp"

using fcnn::Matrix;

TEST_CASE("a matrix is built row by row and stored row-major") {
    const Matrix A = {{1, 2, 3}, {4, 5, 6}};
    CHECK(A.rows() == 2);
    CHECK(A.cols() == 3);
    CHECK(A.shape() == "2x3");
    CHECK(A(1, 0) == 4);
    CHECK(A.values()[1 * 3 + 0] == 4);  // element (r, c) at r * cols + c
    CHECK(Matrix(2, 3, 7.5)(1, 2) == 7.5);
    CHECK_THROWS_WITH_AS((Matrix{{1, 2}, {3}}), "Matrix: rows differ in length: row 0 has 2 values, row 1 has 1",
                         std::invalid_argument);
}

#ifndef NDEBUG
TEST_CASE("element access is bounds-checked in debug builds") {
    const Matrix A(2, 2);
    CHECK_THROWS_WITH_AS(A(2, 0), "Matrix: element (2, 0) is out of range: the matrix is 2x2", std::out_of_range);
    CHECK_THROWS_WITH_AS(A(0, 5), "Matrix: element (0, 5) is out of range: the matrix is 2x2", std::out_of_range);
}
#endif

TEST_CASE("matmul: a 2x3 times a 3x2, worked by hand") {
    const Matrix A = {{1, 2, 3}, {4, 5, 6}};
    const Matrix B = {{7, 8}, {9, 10}, {11, 12}};
    // C(0,0) = 1*7 + 2*9 + 3*11 = 58, C(0,1) = 1*8 + 2*10 + 3*12 = 64, and so on.
    CHECK(matmul(A, B) == Matrix{{58, 64}, {139, 154}});
    CHECK(matmul(B, A) == Matrix{{39, 54, 69}, {49, 68, 87}, {59, 82, 105}});
}

TEST_CASE("matmul handles vectors and 1x1") {
    const Matrix row = {{1, 2, 3}};
    const Matrix column = {{4}, {5}, {6}};
    CHECK(matmul(row, column) == Matrix{{32}});
    CHECK(matmul(column, row) == Matrix{{4, 8, 12}, {5, 10, 15}, {6, 12, 18}});
    CHECK(matmul(Matrix{{2}}, Matrix{{3}}) == Matrix{{6}});
}

TEST_CASE("transpose swaps rows and columns") {
    const Matrix A = {{1, 2, 3}, {4, 5, 6}};
    CHECK(transpose(A) == Matrix{{1, 4}, {2, 5}, {3, 6}});
    CHECK(transpose(transpose(A)) == A);
}

TEST_CASE("transpose_converted is converted(transpose(A)) in one pass, across its 32 x 32 tiles") {
    fcnn::FloatMatrix A(37, 70);  // neither side a multiple of the tile
    for (std::size_t i = 0; i < A.rows(); ++i)
        for (std::size_t j = 0; j < A.cols(); ++j) A(i, j) = 1.0f / float(1 + 71 * i + j);
    CHECK(fcnn::transpose_converted<double>(A) == fcnn::converted<double>(transpose(A)));
    CHECK(fcnn::transpose_converted<float>(A) == transpose(A));
    CHECK(fcnn::transpose_converted<double>(A)(69, 36) == double(A(36, 69)));
    const Matrix D = {{1.0 / 3, 2}, {3, 4}, {5, 6}};
    CHECK(fcnn::transpose_converted<float>(D) == fcnn::converted<float>(transpose(D)));
}

TEST_CASE("elementwise add, subtract, hadamard, scale and apply") {
    const Matrix A = {{1, 2}, {3, 4}};
    const Matrix B = {{10, 20}, {30, 40}};
    CHECK(add(A, B) == Matrix{{11, 22}, {33, 44}});
    CHECK(subtract(B, A) == Matrix{{9, 18}, {27, 36}});
    CHECK(hadamard(A, B) == Matrix{{10, 40}, {90, 160}});
    CHECK(scale(0.5, A) == Matrix{{0.5, 1}, {1.5, 2}});
    CHECK(apply(A, [](double x) { return x * x; }) == Matrix{{1, 4}, {9, 16}});
}

TEST_CASE("add_bias adds the column b to every column: Z = W A + B") {
    const Matrix A = {{1, 2, 3}, {4, 5, 6}};
    const Matrix b = {{10}, {20}};
    CHECK(add_bias(A, b) == Matrix{{11, 12, 13}, {24, 25, 26}});
}

TEST_CASE("row_sums adds up the samples; argmax_columns picks each column's largest row") {
    const Matrix A = {{1, 9, 3}, {4, 5, 3}};
    CHECK(row_sums(A) == Matrix{{13}, {12}});
    CHECK(argmax_columns(A) == std::vector<std::size_t>{1, 0, 0});  // a tie goes to the first row
}

TEST_CASE("row_sums_into scales each finished sum, as BP3 averages: bit for bit scale(s, row_sums(A))") {
    const Matrix A = {{0.1, 0.7, 0.3}, {1e-3, 2.5, -0.9}};
    Matrix sums;
    row_sums_into(sums, A, 1.0 / 3.0);
    CHECK(sums == scale(1.0 / 3.0, row_sums(A)));
    CHECK(sums != row_sums(A));
    row_sums_into(sums, A);  // no scale: the plain sums
    CHECK(sums == row_sums(A));
}

TEST_CASE("gather_columns cuts a batch of columns out, in the order asked") {
    const Matrix A = {{1, 2, 3}, {4, 5, 6}};
    const std::vector<std::size_t> order = {2, 0};
    CHECK(gather_columns(A, std::span<const std::size_t>(order)) == Matrix{{3, 1}, {6, 4}});
}

TEST_CASE("every shape error names the operation and both shapes") {
    const Matrix A(10, 3), B(2, 5), C(3, 2), b(2, 1);
    CHECK_THROWS_WITH_AS(matmul(A, B), "matmul: inner sizes differ: A is 10x3, B is 2x5", std::invalid_argument);
    CHECK_THROWS_WITH_AS(add(A, C), "add: shapes differ: A is 10x3, B is 3x2", std::invalid_argument);
    CHECK_THROWS_WITH_AS(subtract(A, C), "subtract: shapes differ: A is 10x3, B is 3x2", std::invalid_argument);
    CHECK_THROWS_WITH_AS(hadamard(A, C), "hadamard: shapes differ: A is 10x3, B is 3x2", std::invalid_argument);
    CHECK_THROWS_WITH_AS(add_bias(A, b), "add_bias: b must be one column as tall as A: A is 10x3, b is 2x1",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(add_bias(C, Matrix(3, 2)), "add_bias: b must be one column as tall as A: A is 3x2, b is 3x2",
                         std::invalid_argument);
    const std::vector<std::size_t> order = {0, 3};
    CHECK_THROWS_WITH_AS(gather_columns(C, std::span<const std::size_t>(order)),
                         "gather_columns: column 3 is out of range: A is 3x2", std::invalid_argument);
    CHECK_THROWS_WITH_AS(argmax_columns(Matrix(0, 2)), "argmax_columns: A has no rows: A is 0x2",
                         std::invalid_argument);
}

TEST_CASE("float matrices work the same way") {
    const fcnn::FloatMatrix A = {{1, 2}, {3, 4}};
    CHECK(matmul(A, transpose(A)) == fcnn::FloatMatrix{{5, 11}, {11, 25}});
}

namespace {

using fcnn_test::normal_matrix;

// m x k times k x n: vectors, primes, 1x1, and sizes just past the kernel's tile (up to 8 x 24)
// and cache blocks (k 256 or 512, m 120, n 2048), so every edge path runs.
const std::vector<std::array<std::size_t, 3>> awkward_shapes = {
    {1, 1, 1},    {1, 7, 1},     {7, 1, 5},     {1, 13, 17},    {17, 13, 1},  {31, 37, 41},
    {64, 64, 64}, {3, 100, 2},   {9, 5, 25},    {129, 257, 49}, {1, 3, 4099}, {4096, 2, 3},
    {2, 0, 3},    {10, 784, 32}, {784, 10, 32}, {257, 2, 2049}, {129, 1025, 200},
    // training's shapes at batch sizes 1 and 4096: W a, delta a^T, W^T delta
    {256, 784, 1}, {256, 1, 784},  {64, 100, 4096}, {100, 4096, 10}};

// A B, A^T B and A B^T by the fast kernel, each against the reference on explicit transposes.
template <typename Scalar>
void check_products_against_reference(std::size_t m, std::size_t k, std::size_t n, fcnn::Random& random) {
    const auto A = normal_matrix<Scalar>(m, k, random), B = normal_matrix<Scalar>(k, n, random);
    const auto At = transpose(A), Bt = transpose(B);
    const auto expected = matmul_reference(A, B);
    CHECK(matmul(A, B) == expected);
    CHECK(matmul(fcnn::transposed(At), B) == expected);
    CHECK(matmul(A, fcnn::transposed(Bt)) == expected);
    fcnn::BasicMatrix<Scalar> C(5, 5);  // the wrong shape: matmul_into resizes it
    matmul_into(C, fcnn::transposed(At), B);
    CHECK(C == expected);
    const Scalar one_third = Scalar(1) / Scalar(3);  // scaled once, after the whole sum
    matmul_into(C, A, fcnn::transposed(Bt), one_third);
    CHECK(C == scale(one_third, expected));
}

}  // namespace

TEST_CASE("matmul, A^T B and A B^T equal the reference triple loop bit for bit, on awkward shapes") {
    fcnn::Random random(12);
    for (const auto& shape : awkward_shapes) {
        const std::size_t m = shape[0], k = shape[1], n = shape[2];
        INFO("A is " << m << "x" << k << ", B is " << k << "x" << n);
        check_products_against_reference<double>(m, k, n, random);
        check_products_against_reference<float>(m, k, n, random);
    }
    CHECK_THROWS_WITH_AS(matmul_reference(Matrix(2, 3), Matrix(2, 3)), "matmul: inner sizes differ: A is 2x3, B is 2x3",
                         std::invalid_argument);
}

// Every m from 1 to 25: A packed (n = 200) makes tiles of MR rows and a shorter last one; A read
// in place (n = 32 and 40) makes tiles that share the rows evenly (25 rows: 9, 8 and 8 with MR 12).
TEST_CASE("tiles of every height, narrow and wide B, k past a block") {
    fcnn::Random random(13);
    for (std::size_t m = 1; m <= 25; ++m)
        for (std::size_t n : {32, 40, 200}) {  // B read in place, B packed with an edge, A packed too
            INFO("A is " << m << "x520, B is 520x" << n);
            check_products_against_reference<double>(m, 520, n, random);
            check_products_against_reference<float>(m, 520, n, random);
        }
}

TEST_CASE("matmul gives the same bits for any number of threads") {
    fcnn::Random random(5);
    const auto A = normal_matrix<float>(301, 517, random), B = normal_matrix<float>(517, 67, random);
    const auto Ad = normal_matrix<double>(300, 211, random), Bd = normal_matrix<double>(300, 45, random);
    fcnn::set_thread_count(1);
    const auto one_thread = matmul(A, B);
    const auto one_thread_d = matmul(fcnn::transposed(Ad), Bd);
    for (std::size_t threads : {2, 3, 7}) {
        INFO(threads << " threads");
        fcnn::set_thread_count(threads);
        CHECK(fcnn::thread_count() == threads);
        CHECK(matmul(A, B) == one_thread);
        CHECK(matmul(fcnn::transposed(Ad), Bd) == one_thread_d);
    }
    fcnn::set_thread_count(0);  // back to the default
    CHECK(one_thread == matmul_reference(A, B));
}

// The training loop gathers its batches from a sample per row (transposed(X_rows)): sixteen
// samples at a time, one alone as a copy, the features split among threads. Every width of the
// last group (1-16), and a batch object reused across sizes, against the plain gather of S^T. With
// 9000 features even one sample is split between two threads (4097 rows each at least).
TEST_CASE("a gather from rows of samples matches the plain gather, for any batch size and threads") {
    fcnn::Random random(11);
    fcnn::FloatMatrix batch;
    for (std::size_t features : {3, 1000, 9000}) {
        const auto S = normal_matrix<float>(50, features, random);
        const fcnn::FloatMatrix columns = transpose(S);
        for (std::size_t threads : {1, 3}) {
            fcnn::set_thread_count(threads);
            for (std::size_t samples : {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 31, 33, 47}) {
                INFO(features << " features, " << samples << " samples, " << threads << " threads");
                std::vector<std::size_t> order(samples);
                for (std::size_t& index : order) index = random.below(50);  // repeats allowed
                fcnn::gather_columns_into(batch, fcnn::transposed(S), std::span<const std::size_t>(order));
                CHECK(batch == gather_columns(columns, std::span<const std::size_t>(order)));
            }
        }
    }
    fcnn::set_thread_count(0);  // back to the default
}

TEST_CASE("parallel_ranges takes a named function as well as a temporary, and covers [0, n) once") {
    // A named lambda makes Function a reference type (const G& or G&): the pool must hold a
    // pointer to G, not a pointer to a reference, which does not compile.
    std::vector<int> visits(1000, 0);
    const auto count_visits = [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) ++visits[i];
    };
    auto count_visits_too = count_visits;  // not const: Function is G&
    for (std::size_t threads : {1, 2, 3}) {
        fcnn::set_thread_count(threads);
        fcnn::parallel_ranges(visits.size(), 10, count_visits);                  // named, const
        fcnn::parallel_ranges(visits.size(), 10, count_visits_too);              // named
        fcnn::parallel_ranges(visits.size(), 10, [&](std::size_t b, std::size_t e) {  // temporary
            count_visits(b, e);
        });
    }
    fcnn::set_thread_count(0);  // back to the default
    CHECK(std::count(visits.begin(), visits.end(), 9) == 1000);  // 3 thread counts x 3 calls
}

TEST_CASE("matmul_into reuses C and refuses to write over an operand") {
    Matrix C(4, 4);
    const double* storage = C.values().data();
    matmul_into(C, Matrix{{1, 2}}, Matrix{{3}, {4}});  // 1x1: fits in C's storage
    CHECK(C == Matrix{{11}});
    CHECK(C.values().data() == storage);
    Matrix A = {{1, 2}, {3, 4}};
    CHECK_THROWS_WITH_AS(matmul_into(A, A, Matrix{{1, 0}, {0, 1}}),
                         "matmul_into: C must be a different matrix from A and B: A is 2x2, B is 2x2",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(matmul(fcnn::transposed(Matrix(10, 3)), Matrix(2, 5)),
                         "matmul: inner sizes differ: A^T is 3x10, B is 2x5", std::invalid_argument);
    CHECK_THROWS_WITH_AS(fcnn::set_thread_count(257), "set_thread_count: at most 256 threads, got 257",
                         std::invalid_argument);
}

TEST_CASE("converted changes the scalar type and keeps the shape and the values") {
    const fcnn::FloatMatrix A = {{0.5f, -2}, {3, 0.25f}, {1, 7}};
    const Matrix B = fcnn::converted<double>(A);
    CHECK(B == Matrix{{0.5, -2}, {3, 0.25}, {1, 7}});
    CHECK(fcnn::converted<float>(B) == A);
}

TEST_CASE("every shape error has one form: operation, what was expected, then each matrix and its shape") {
    const Matrix A(10, 3), B(2, 5);
    CHECK(std::string(fcnn::shape_error("matmul", "inner sizes differ", {{"A", A}, {"B", B}}).what()) ==
          "matmul: inner sizes differ: A is 10x3, B is 2x5");
    CHECK(std::string(fcnn::shape_error("op", "X must have 3 rows", {{"X", A}}).what()) ==
          "op: X must have 3 rows: X is 10x3");
    CHECK(std::string(fcnn::shape_error("op", "p", {{"A", fcnn::transposed(A)}, {"B", B}}).what()) ==
          "op: p: A^T is 3x10, B is 2x5");
    CHECK(fcnn::same_shape(A, Matrix(10, 3)));
    CHECK_FALSE(fcnn::same_shape(A, Matrix(3, 10)));
}
