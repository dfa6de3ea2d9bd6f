// Tutorial 08: the road from the triple loop to fcnn's matmul, one step per function.
// Every step computes C = A B for row-major M x K and K x N matrices (C is M x N) and adds each
// C(i, j)'s products in the order k = 0, 1, 2, ... with fused multiply-adds, so every step
// gives the same bits as matmul_reference. bench/matmul --steps times them.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace steps {

// [snippet triple-loop]
// Step 1: the definition. The innermost loop walks down a column of B: a jump of N numbers
// for every k, a new cache line for almost every multiply-add.
template <typename Scalar>
void triple_loop(const Scalar* A, const Scalar* B, Scalar* C, std::size_t M, std::size_t N, std::size_t K) {
    for (std::size_t i = 0; i < M; ++i)
        for (std::size_t j = 0; j < N; ++j) {
            Scalar sum = 0;
            for (std::size_t k = 0; k < K; ++k) sum = std::fma(A[i * K + k], B[k * N + j], sum);
            C[i * N + j] = sum;
        }
}
// [end triple-loop]

// [snippet loop-order]
// Step 2: the loops in the order i, k, j. The innermost loop now walks along a row of B and a
// row of C, next to each other in memory, and the compiler turns it into SIMD instructions
// (8 floats at a time with AVX2). Each C(i, j) still gets its products in the order of k.
template <typename Scalar>
void loop_order(const Scalar* A, const Scalar* B, Scalar* C, std::size_t M, std::size_t N, std::size_t K) {
    std::fill_n(C, M * N, Scalar(0));
    for (std::size_t i = 0; i < M; ++i)
        for (std::size_t k = 0; k < K; ++k) {
            const Scalar a_ik = A[i * K + k];
            for (std::size_t j = 0; j < N; ++j) C[i * N + j] = std::fma(a_ik, B[k * N + j], C[i * N + j]);
        }
}
// [end loop-order]

// [snippet blocking]
// Step 3: cache blocking. Step 2 reads all of B for every row of C; once B is larger than the
// caches, it comes from further away each time. Here the k and j loops are cut into blocks so
// that a KC x NC block of B (128 x 256 floats: 128 KB) stays in the L2 cache while every row of
// C uses it. k blocks run in increasing order, so the sums keep their order.
template <typename Scalar>
void blocking(const Scalar* A, const Scalar* B, Scalar* C, std::size_t M, std::size_t N, std::size_t K) {
    constexpr std::size_t KC = 128, NC = 256;
    std::fill_n(C, M * N, Scalar(0));
    for (std::size_t k0 = 0; k0 < K; k0 += KC)
        for (std::size_t j0 = 0; j0 < N; j0 += NC) {
            const std::size_t k1 = std::min(k0 + KC, K), j1 = std::min(j0 + NC, N);
            for (std::size_t i = 0; i < M; ++i)
                for (std::size_t k = k0; k < k1; ++k) {
                    const Scalar a_ik = A[i * K + k];
                    for (std::size_t j = j0; j < j1; ++j) C[i * N + j] = std::fma(a_ik, B[k * N + j], C[i * N + j]);
                }
        }
}
// [end blocking]

// [snippet register-tile]
// Step 4: the register tile. Steps 2 and 3 load and store C(i, j) for every k. Here a tile of
// MR x NR numbers of C (6 x 16 floats: 12 AVX2 registers) is summed in local variables over all
// of k and stored once; each number loaded from A is used NR times, each row of B MR times.
// (For brevity M must be a multiple of MR and N of NR; the library handles any shape.)
template <typename Scalar>
void register_tile(const Scalar* A, const Scalar* B, Scalar* C, std::size_t M, std::size_t N, std::size_t K) {
    constexpr std::size_t MR = 6, NR = 64 / sizeof(Scalar);  // 6 x 16 floats, 6 x 8 doubles
    for (std::size_t i = 0; i < M; i += MR)
        for (std::size_t j = 0; j < N; j += NR) {
            Scalar acc[MR][NR] = {};
            for (std::size_t k = 0; k < K; ++k)
                for (std::size_t r = 0; r < MR; ++r)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC unroll 1  // GCC only: vectorise this loop as a loop, don't unroll it to scalars first
#endif
                    for (std::size_t s = 0; s < NR; ++s)
                        acc[r][s] = std::fma(A[(i + r) * K + k], B[k * N + j + s], acc[r][s]);
            for (std::size_t r = 0; r < MR; ++r)
                for (std::size_t s = 0; s < NR; ++s) C[(i + r) * N + j + s] = acc[r][s];
        }
}
// [end register-tile]

}  // namespace steps
