#include "fcnn/gemm.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <utility>
#include <vector>

#include "fcnn/threads.hpp"

namespace fcnn {

namespace {

// [snippet tile-shape]
// The widest SIMD register the compiler may use here, in bytes. These are the compiler's own
// predefined macros (set by -march), not intrinsics: they only size the tile.
#if defined(__AVX512F__)
constexpr std::size_t simd_bytes = 64, simd_registers = 32;
#elif defined(__AVX__)
constexpr std::size_t simd_bytes = 32, simd_registers = 16;
#else
constexpr std::size_t simd_bytes = 16, simd_registers = 16;
#endif

// The register tile: MR rows by NR columns of C, kept in registers while k runs. NR is two SIMD
// registers wide; MR rows of them (the accumulators), the row of B and one number of A must fit
// in the register file: with 16 registers 6 x 2 accumulators (the classic 6 x 16 float tile of
// AVX2), with 32 (AVX-512) 12 x 2. (Three registers per row would mean fewer loads per
// multiply-add, but GCC 12 then keeps the tile in memory instead of registers.)
template <typename Scalar>
struct Tile {
    static constexpr std::size_t lanes = simd_bytes / sizeof(Scalar);  // numbers per register
    static constexpr std::size_t NR = 2 * lanes;
    static constexpr std::size_t MR = simd_registers == 32 ? 12 : 6;
};
// [end tile-shape]

// [snippet cache-blocks]
// Cache blocks. A packed KC x NR sliver of B is reused by every tile of an MC x KC block of
// packed A, which stays in L2; a block of B is KC x NC and is read from L3 or memory once per
// block of A. Every block of k after the first reads C's partial sums back, and a tile cannot
// start before they arrive: at n = 2048 with KC = 256, 12% of the tile's time was spent there.
// So KC is longer where L2 allows. Most machines with AVX-512 (Xeons since Skylake, Zen 4 and 5)
// have 1 MB or more of L2 a core, so there KC is 512: A's block is 240 KB in float, 480 KB in
// double, B's block 4 MB or 8 MB, and the 64 KB sliver of B streams in order from L2 where it
// outgrows L1. (Laptops with AVX-512 and 512 KB of L2 would want 256.) Elsewhere it stays 256:
// 120 KB or 240 KB of A, a sliver of 16 KB or less.
constexpr std::size_t KC = simd_registers == 32 ? 512 : 256;
constexpr std::size_t MC = 120;  // a multiple of MR (6 and 12), so blocks hold whole tiles
constexpr std::size_t NC = 2048;
// [end cache-blocks]

// [snippet tile-arguments]
// Where the tile reads its rows of A (MR or fewer): element (i, k) at a[i * row + k * step].
// Packed A is a column of MR numbers per k (row 1, step MR); A read in place has its own strides.
template <typename Scalar>
struct PackedA {
    static constexpr std::size_t row = 1, step = Tile<Scalar>::MR;
};
struct InPlaceA {
    std::size_t row, step;
};

// Which block of k a tile is summing: the first starts from zero instead of C; the last scales
// the finished sums by the caller's factor (1 otherwise; multiplying by 1 changes no bit).
template <typename Scalar>
struct KBlock {
    bool first;
    Scalar scale;
};
// [end tile-arguments]

// [snippet micro-kernel]
// The register tile: c (mr x NR, rows ldc apart) = c + a b over kc steps of k, where a holds
// mr rows of A (see PackedA) and b holds kc rows of NR numbers, b_step apart (NR in packed B,
// B's row stride when B is read in place); the first block of k starts from zero instead of c,
// and the last is scaled (see KBlock). The compiler unrolls the i and j loops (their bounds are
// constants) and keeps acc in SIMD registers: per step of k it loads one row of b into
// NR / lanes registers and does mr x NR fused multiply-adds with them. mr is MR except in a
// shorter tile (see edges and even_share).
template <typename Scalar, typename Rows, std::size_t mr, bool first_block>
void sum_tile(std::size_t kc, const Scalar* a, Rows rows, const Scalar* b, std::size_t b_step, Scalar* c,
              std::size_t ldc, Scalar scale) {
    constexpr std::size_t NR = Tile<Scalar>::NR;
    Scalar acc[mr][NR];  // set in one pass: zeroing it first (= {}) made GCC call memset for every tile
    for (std::size_t i = 0; i < mr; ++i)
        for (std::size_t j = 0; j < NR; ++j) acc[i][j] = first_block ? Scalar(0) : c[i * ldc + j];
    for (std::size_t k = 0; k < kc; ++k, a += rows.step, b += b_step) {
        for (std::size_t i = 0; i < mr; ++i)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC unroll 1  // GCC only: vectorise this loop as a loop, don't unroll it to scalars first
#endif
            for (std::size_t j = 0; j < NR; ++j) acc[i][j] = std::fma(a[i * rows.row], b[j], acc[i][j]);
        // The finished sums go to C at the last step of k. Written here rather than after the
        // loop, they are stored straight from the registers; after the loop, GCC first copied
        // all of acc to the stack and read it back (kc >= 1: gemm_into never passes 0). In
        // double GCC still did so, through a loop over the rows, until told to unroll it.
        if (k + 1 == kc)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC unroll 16  // GCC only: one store per register, not a loop over the rows of acc on the stack
#endif
            for (std::size_t i = 0; i < mr; ++i)
                for (std::size_t j = 0; j < NR; ++j) c[i * ldc + j] = scale * acc[i][j];
    }
}

// The kernel the blocked loops call. Whether this is the first block of k is a template argument
// of sum_tile, so in the first block the compiler knows acc starts at zero and sets its registers
// directly. Tested at run time inside the tile, it made GCC fill acc on the stack first. (In
// training, all products but the first layer's W X are one block of k.)
template <typename Scalar, typename Rows, std::size_t mr = Tile<Scalar>::MR>
void micro_kernel(std::size_t kc, const Scalar* a, Rows rows, const Scalar* b, std::size_t b_step, Scalar* c,
                  std::size_t ldc, KBlock<Scalar> block) {
    if (block.first)
        sum_tile<Scalar, Rows, mr, true>(kc, a, rows, b, b_step, c, ldc, block.scale);
    else
        sum_tile<Scalar, Rows, mr, false>(kc, a, rows, b, b_step, c, ldc, block.scale);
}
// [end micro-kernel]

// [snippet edges]
// A tile of fewer than MR rows is a register tile of its own height: kernels[m - 1] is
// micro_kernel with mr = m, for each m from 1 to MR (a switch over m, written once for any MR).
// Each row of C is summed the same way whatever the tile's height, so no bit changes.
template <typename Scalar, typename Rows, std::size_t... m>
constexpr auto kernels_by_height(std::index_sequence<m...>) {
    return std::array{&micro_kernel<Scalar, Rows, m + 1>...};
}
template <typename Scalar, typename Rows>
constexpr auto kernels = kernels_by_height<Scalar, Rows>(std::make_index_sequence<Tile<Scalar>::MR>{});

// A tile at the right edge of C, only n < NR of its columns real: computed in a full-width
// scratch tile (packed B is zero beyond the edge), then the real part is copied. The real
// entries go through exactly the same additions as in a full tile.
template <typename Scalar, typename Rows>
void edge_kernel(std::size_t kc, const Scalar* a, Rows rows, const Scalar* b, std::size_t b_step, Scalar* c,
                 std::size_t ldc, std::size_t m, std::size_t n, KBlock<Scalar> block) {
    constexpr std::size_t MR = Tile<Scalar>::MR, NR = Tile<Scalar>::NR;
    Scalar scratch[MR * NR];  // its first m rows all written by the kernel when block.first
    if (!block.first) {
        std::fill_n(scratch, m * NR, Scalar(0));
        for (std::size_t i = 0; i < m; ++i) std::copy_n(c + i * ldc, n, scratch + i * NR);
    }
    kernels<Scalar, Rows>[m - 1](kc, a, rows, b, b_step, scratch, NR, block);
    for (std::size_t i = 0; i < m; ++i) std::copy_n(scratch + i * NR, n, c + i * ldc);
}

// One tile of C at c, m <= MR rows by n columns of it inside C: the register tile when m = MR
// and n = NR, one of its shorter forms when m < MR, the edge kernel when n < NR.
template <typename Scalar, typename Rows>
void tile(std::size_t kc, const Scalar* a, Rows rows, const Scalar* b, std::size_t b_step, Scalar* c, std::size_t ldc,
          std::size_t m, std::size_t n, KBlock<Scalar> block) {
    if (n < Tile<Scalar>::NR)
        edge_kernel(kc, a, rows, b, b_step, c, ldc, m, n, block);
    else if (m < Tile<Scalar>::MR)
        kernels<Scalar, Rows>[m - 1](kc, a, rows, b, b_step, c, ldc, block);
    else
        micro_kernel(kc, a, rows, b, b_step, c, ldc, block);
}
// [end edges]

// [snippet packing]
// Packing: copy rows [i0, i0 + mc) x columns [k0, k0 + kc) of A into slivers of MR rows, each
// stored column after column (the order sum_tile reads). Rows past the edge are zeros.
// A transposed A is just a view with swapped strides, so A^T costs nothing extra here.
template <typename Scalar>
void pack_a(MatrixView<Scalar> A, std::size_t i0, std::size_t mc, std::size_t k0, std::size_t kc, Scalar* packed) {
    constexpr std::size_t MR = Tile<Scalar>::MR;
    for (std::size_t i = 0; i < mc; i += MR, packed += MR * kc)
        for (std::size_t r = 0; r < MR; ++r)  // r outside k: each row of A is read along its length
            for (std::size_t k = 0; k < kc; ++k)
                packed[k * MR + r] = i + r < mc ? A(i0 + i + r, k0 + k) : Scalar(0);
}

// The same for B: rows [k0, k0 + kc) x columns [j0, j0 + nc) in slivers of NR columns, each
// stored row after row. Columns past the edge are zeros. The loop that walks B's memory in
// order is the innermost: along a row of B, or down a column when B is a transposed view.
template <typename Scalar>
void pack_b(MatrixView<Scalar> B, std::size_t k0, std::size_t kc, std::size_t j0, std::size_t nc, Scalar* packed) {
    constexpr std::size_t NR = Tile<Scalar>::NR;
    const bool rows_in_order = B.col_stride == 1;
    for (std::size_t j = 0; j < nc; j += NR, packed += NR * kc) {
        if (rows_in_order) {
            for (std::size_t k = 0; k < kc; ++k)
                for (std::size_t s = 0; s < NR; ++s)
                    packed[k * NR + s] = j + s < nc ? B(k0 + k, j0 + j + s) : Scalar(0);
        } else {
            for (std::size_t s = 0; s < NR; ++s)
                for (std::size_t k = 0; k < kc; ++k)
                    packed[k * NR + s] = j + s < nc ? B(k0 + k, j0 + j + s) : Scalar(0);
        }
    }
}
// [end packing]

// [snippet round-up]
// n rounded up to a whole number of `multiple`s: buffers hold whole slivers of MR or NR.
std::size_t round_up(std::size_t n, std::size_t multiple) { return (n + multiple - 1) / multiple * multiple; }
// [end round-up]

// [snippet even-share]
// Part t of n things cut into `parts` parts as even as can be: the first n % parts parts get one
// more. With AVX-512's MR = 12, 64 rows in six tiles are four tiles of 11 and two of 10, not
// five of 12 and one of 4: a tile of 4 rows does 8 SIMD multiply-adds per 6 loads (2 registers
// of B, 4 numbers of A; 12 rows: 24 per 14), and in a 64 x 64 product it took 9% of the time
// for 6% of the work (15% in double).
std::size_t even_share(std::size_t n, std::size_t parts, std::size_t t) { return n / parts + (t < n % parts); }
// [end even-share]

// Each thread packs into its own buffers, kept between calls: after the first products of a
// given size, gemm_into allocates nothing. The buffers start on a 64-byte boundary (a cache line), so
// a SIMD load of packed B never straddles two lines.
template <typename Scalar>
Scalar* buffer(std::vector<Scalar>& storage, std::size_t size) {
    constexpr std::size_t line = 64 / sizeof(Scalar);
    if (storage.size() < size + line) storage.resize(size + line);
    void* start = storage.data();
    std::size_t space = storage.size() * sizeof(Scalar);
    return static_cast<Scalar*>(std::align(64, size * sizeof(Scalar), start, space));
}

// [snippet blocked-gemm]
// C = A B on one thread, block by block. For each block of NC columns of C and each block of
// KC steps of k, B's block is packed once; then for each block of MC rows A's block is packed,
// and the register tile sweeps the block, sliver by sliver.
//
// Packing A pays when its block is reused by many slivers of B. With few columns in B (a batch
// of 32 samples is one or two slivers) it would cost as much as it saves, so A is then read in
// place, all of it. A read in place can be cut anywhere, so its tiles share the block's rows
// evenly (see even_share); packed A comes in slivers of MR rows, and only its last tile is shorter.
// Such a narrow B is read in place too when its rows are contiguous and hold whole slivers: the
// tile then steps from one row of b to the next by B's row stride instead of by NR.
template <typename Scalar>
void gemm_one_thread_into(Scalar* C, std::size_t ldc, MatrixView<Scalar> A, MatrixView<Scalar> B, Scalar scale) {
    constexpr std::size_t MR = Tile<Scalar>::MR, NR = Tile<Scalar>::NR;
    const std::size_t M = A.rows, N = B.cols, K = A.cols;
    const bool pack_all_of_a = N > 4 * NR;
    const bool read_b_in_place = !pack_all_of_a && B.col_stride == 1 && N % NR == 0;
    const std::size_t b_step = read_b_in_place ? B.row_stride : NR;  // from one row of b to the next
    thread_local std::vector<Scalar> a_storage, b_storage;
    Scalar* packed_a = buffer(a_storage, round_up(std::min(M, MC), MR) * KC);
    Scalar* packed_b = buffer(b_storage, round_up(std::min(N, NC), NR) * KC);
    for (std::size_t j0 = 0; j0 < N; j0 += NC) {
        const std::size_t nc = std::min(NC, N - j0);
        for (std::size_t k0 = 0; k0 < K; k0 += KC) {
            const std::size_t kc = std::min(KC, K - k0);
            const KBlock<Scalar> block{k0 == 0, k0 + kc == K ? scale : Scalar(1)};
            if (!read_b_in_place) pack_b(B, k0, kc, j0, nc, packed_b);
            for (std::size_t i0 = 0; i0 < M; i0 += MC) {
                const std::size_t mc = std::min(MC, M - i0);
                if (pack_all_of_a) pack_a(A, i0, mc, k0, kc, packed_a);
                const std::size_t tiles = (mc + MR - 1) / MR;  // down the block
                for (std::size_t j = 0; j < nc; j += NR)
                    for (std::size_t t = 0, i = 0, m = 0; t < tiles; ++t, i += m) {
                        m = pack_all_of_a ? std::min(MR, mc - i) : even_share(mc, tiles, t);
                        const std::size_t n = std::min(NR, nc - j);
                        const Scalar* b = read_b_in_place ? &B.data[k0 * B.row_stride + j0 + j] : packed_b + j * kc;
                        Scalar* c = C + (i0 + i) * ldc + j0 + j;
                        if (pack_all_of_a)
                            tile(kc, packed_a + i * kc, PackedA<Scalar>{}, b, b_step, c, ldc, m, n, block);
                        else
                            tile(kc, &A.data[(i0 + i) * A.row_stride + k0 * A.col_stride],
                                 InPlaceA{A.row_stride, A.col_stride}, b, b_step, c, ldc, m, n, block);
                    }
            }
        }
    }
}
// [end blocked-gemm]

// Products below this many multiply-adds run on one thread: waking the pool costs more.
constexpr std::size_t min_parallel_work = 1 << 16;

template <typename Scalar>
struct RowBands {
    MatrixView<Scalar> A, B;
    Scalar* C;
    std::size_t ldc, rows_per_task;
    Scalar scale;
};

// [snippet threads]
// Task i computes rows [i * rows_per_task, ...) of C: a band of A times all of B. The bands
// never overlap and each C(i, j) is summed whole by one thread, so the count of threads cannot
// change a single bit of the result.
template <typename Scalar>
void row_band_task(void* context, std::size_t index) {
    const RowBands<Scalar>& job = *static_cast<const RowBands<Scalar>*>(context);
    const std::size_t first = index * job.rows_per_task;
    const std::size_t rows = std::min(job.rows_per_task, job.A.rows - first);
    MatrixView<Scalar> band = job.A;
    band.data += first * band.row_stride;
    band.rows = rows;
    gemm_one_thread_into(job.C + first * job.ldc, job.ldc, band, job.B, job.scale);
}
// [end threads]

}  // namespace

template <typename Scalar>
void gemm_into(Scalar* C, std::size_t ldc, MatrixView<Scalar> A, MatrixView<Scalar> B, Scalar scale) {
    const std::size_t M = A.rows, N = B.cols, K = A.cols;
    if (M == 0 || N == 0) return;
    if (K == 0) {  // an empty sum is 0
        for (std::size_t i = 0; i < M; ++i) std::fill_n(C + i * ldc, N, scale * Scalar(0));
        return;
    }
    const std::size_t threads = M * N * K < min_parallel_work ? 1 : thread_count();
    // Equal bands, not bands of whole tiles: a band's last tile is shorter (or, where A is read in
    // place, its tiles share the rows: see even_share), and 128 rows split 64 + 64 instead of
    // 72 + 56 (six tiles of 12 against four and one of 8): the slower thread has 64 rows, not 72.
    const std::size_t rows_per_task = (M + threads - 1) / threads;
    const std::size_t tasks = (M + rows_per_task - 1) / rows_per_task;
    if (tasks <= 1) return gemm_one_thread_into(C, ldc, A, B, scale);
    RowBands<Scalar> job{A, B, C, ldc, rows_per_task, scale};
    parallel_for(tasks, row_band_task<Scalar>, &job);
}

template void gemm_into(float*, std::size_t, MatrixView<float>, MatrixView<float>, float);
template void gemm_into(double*, std::size_t, MatrixView<double>, MatrixView<double>, double);

}  // namespace fcnn
