#include <array>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>
#include <fcnn/matrix.hpp>
#include <fcnn/random.hpp>

#include "check.hpp"

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

TEST_CASE("sum_columns adds up the samples; argmax_columns picks each column's largest row") {
    const Matrix A = {{1, 9, 3}, {4, 5, 3}};
    CHECK(sum_columns(A) == Matrix{{13}, {12}});
    CHECK(argmax_columns(A) == std::vector<std::size_t>{1, 0, 0});  // a tie goes to the first row
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

TEST_CASE("matmul equals the reference triple loop bit for bit, on awkward shapes") {
    fcnn::Random random(12);
    for (const auto& shape : std::vector<std::array<std::size_t, 3>>{
             {1, 1, 1}, {1, 7, 1}, {7, 1, 5}, {1, 13, 17}, {17, 13, 1}, {31, 37, 41}, {64, 64, 64}, {3, 100, 2}}) {
        const std::size_t m = shape[0], k = shape[1], n = shape[2];  // A is m x k, B is k x n
        CAPTURE(m);
        CAPTURE(k);
        CAPTURE(n);
        Matrix A(m, k), B(k, n);
        for (double& x : A.values()) x = random.normal();
        for (double& x : B.values()) x = random.normal();
        CHECK(matmul(A, B) == matmul_reference(A, B));
        fcnn::FloatMatrix Af(m, k), Bf(k, n);
        for (float& x : Af.values()) x = static_cast<float>(random.normal());
        for (float& x : Bf.values()) x = static_cast<float>(random.normal());
        CHECK(matmul(Af, Bf) == matmul_reference(Af, Bf));
    }
    CHECK_THROWS_WITH_AS(matmul_reference(Matrix(2, 3), Matrix(2, 3)), "matmul: inner sizes differ: A is 2x3, B is 2x3",
                         std::invalid_argument);
}
