// Tutorial 01: the Matrix class. Run: build/tutorials/01-matrices
#include <iostream>
#include <stdexcept>

#include <fcnn/fcnn.hpp>

using fcnn::Matrix;

int main() {
    // [snippet make]
    const Matrix A = {{1, 2, 3},
                      {4, 5, 6}};  // 2x3: two rows, three columns
    const Matrix B = {{7, 8},
                      {9, 10},
                      {11, 12}};   // 3x2
    // [end make]
    std::cout << "A = " << to_string(A, 0) << "A(1, 2) = " << A(1, 2) << "\n\n";
    std::cout << "B = " << to_string(B, 0) << "\n";

    // [snippet products]
    const Matrix C = matmul(A, B);             // (2x3)(3x2) = 2x2
    const Matrix At = transpose(A);            // 3x2
    const Matrix AA = hadamard(A, A);          // elementwise product: same shape in, same shape out
    const Matrix A2 = add(A, A);               // elementwise sum, the same way (subtract too)
    // [end products]
    std::cout << "matmul(A, B) = " << to_string(C, 0) << "\n";
    std::cout << "transpose(A) = " << to_string(At, 0) << "\n";
    std::cout << "hadamard(A, A) = " << to_string(AA, 0) << "\n";
    std::cout << "add(A, A) = " << to_string(A2, 0) << "\n";

    // [snippet batch]
    const Matrix b = {{10},
                      {20}};                   // a bias: one column
    const Matrix Z = add_bias(A, b);           // b added to every column (every sample)
    const Matrix sums = row_sums(A);           // one sum per row: adds across the columns
    // [end batch]
    std::cout << "add_bias(A, b) = " << to_string(Z, 0) << "\n";
    std::cout << "row_sums(A) = " << to_string(sums, 0) << "\n";
    std::cout << "argmax_columns(A) =";
    for (std::size_t row : argmax_columns(A)) std::cout << " " << row;
    std::cout << "\n\n";

    // [snippet errors]
    try {
        matmul(A, A);  // (2x3)(2x3): the inner sizes 3 and 2 differ
    } catch (const std::invalid_argument& error) {
        std::cout << "error: " << error.what() << "\n";
    }
    try {
        add(A, B);  // 2x3 + 3x2: an elementwise sum needs the same shape
    } catch (const std::invalid_argument& error) {
        std::cout << "error: " << error.what() << "\n";
    }
    try {
        add_bias(A, Matrix{{1}, {2}, {3}});  // a bias 3 tall for a matrix of 2 rows
    } catch (const std::invalid_argument& error) {
        std::cout << "error: " << error.what() << "\n";
    }
    // [end errors]
}
