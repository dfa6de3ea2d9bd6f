// bench/matmul: GFLOP/s of fcnn's matmul against the reference triple loop and, when Meson found
// it, OpenBLAS, timed in the same run. Square n x n products, float and double, 1 and 2 threads;
// or, with --training, the three products a training step computes for a first layer of 256 x 784
// (Z = W X, W^T Delta, Delta X^T: samples are columns), whose thin shapes the squares don't show.
//
//   build/bench/matmul                      # n = 64 .. 1024, threads 1 and 2
//   build/bench/matmul --sizes 512,1024 --threads 1 --runs 9
//   build/bench/matmul --steps               # tutorial 08's steps, n = 384 (a few seconds)
//   build/bench/matmul --training            # the products of training 784-256-... at batch 32
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fcnn/matrix.hpp>
#include <fcnn/random.hpp>
#include <fcnn/threads.hpp>

#include "../tutorials/08-fast-matmul/steps.hpp"
#include "timing.hpp"

#ifdef FCNN_BENCH_OPENBLAS
#include <cblas.h>
#endif

namespace {

#ifdef FCNN_BENCH_OPENBLAS
// "OpenBLAS 0.3.21, Cooperlake kernels": the version, and the kernel set OpenBLAS runs. A build for
// many CPUs (Debian's) picks the set by CPU model when it starts, unless OPENBLAS_CORETYPE names one:
// OPENBLAS_CORETYPE=Haswell makes it run AVX2 kernels even on a CPU with AVX-512, at about half the
// speed, so a comparison should say which set it was measured against.
std::string openblas_description() {
    std::string version = OPENBLAS_VERSION;  // " OpenBLAS 0.3.21 "
    version.erase(0, version.find_first_not_of(' '));
    version.erase(version.find_last_not_of(' ') + 1);
    return version + ", " + openblas_get_corename() + " kernels";
}
#endif

struct Settings {
    std::vector<std::size_t> sizes = {64, 128, 256, 512, 1024};
    std::vector<std::size_t> threads = {1, 2};
    std::size_t runs = 7;
    std::size_t largest_reference = 512;  // the triple loop takes seconds beyond this
    std::size_t steps = 0;                // n for --steps (a multiple of 48), 0: the usual table
    std::size_t training_batch = 0;       // batch for --training, 0: the square products
    bool sizes_given = false;
};

Settings parse(int argc, char** argv) {
    Settings settings;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag == "--help") {
            std::puts("usage: matmul [--sizes 64,128,...] [--threads 1,2] [--runs 7] [--largest-reference 512]\n"
                      "       matmul --training [BATCH] [--threads 1,2] [--runs 7]\n"
                      "                            (W X, W^T Delta and Delta X^T for W 256 x 784, default batch 32)\n"
                      "       matmul --steps [N]   (tutorial 08's steps on N x N, default 384: a few seconds)");
            std::exit(0);
        }
        if (flag == "--steps") {
            settings.steps = i + 1 < argc && argv[i + 1][0] != '-' ? bench::whole_number(flag, argv[++i]) : 384;
            if (settings.steps == 0 || settings.steps % 48 != 0)
                throw std::invalid_argument("--steps needs a size that is a multiple of 48");
            continue;
        }
        if (flag == "--training") {
            settings.training_batch = i + 1 < argc && argv[i + 1][0] != '-' ? bench::whole_number(flag, argv[++i]) : 32;
            if (settings.training_batch == 0) throw std::invalid_argument("--training needs a batch of at least 1");
            continue;
        }
        if (i + 1 == argc) throw std::invalid_argument(flag + " needs a value");
        const std::string value = argv[++i];
        if (flag == "--sizes") settings.sizes = bench::split_numbers(value), settings.sizes_given = true;
        else if (flag == "--threads") settings.threads = bench::split_numbers(value);
        else if (flag == "--runs") settings.runs = bench::whole_number(flag, value);
        else if (flag == "--largest-reference") settings.largest_reference = bench::whole_number(flag, value);
        else throw std::invalid_argument("unknown flag " + flag + " (try --help)");
    }
    if (settings.training_batch != 0 && (settings.sizes_given || settings.steps != 0))
        throw std::invalid_argument("--training times its own three products: it takes no --sizes or --steps");
    for (std::size_t threads : settings.threads)
        if (threads == 0) throw std::invalid_argument("--threads takes counts of at least 1");
    if (settings.runs == 0) throw std::invalid_argument("--runs must be at least 1");
    return settings;
}

// The first column's width: the size n, or the training product's name (printf's minus: left-aligned).
int name_width(const Settings& settings) { return settings.training_batch != 0 ? -36 : 5; }

template <typename Scalar>
fcnn::BasicMatrix<Scalar> random_matrix(std::size_t rows, std::size_t cols, fcnn::Random& random) {
    fcnn::BasicMatrix<Scalar> M(rows, cols);
    for (Scalar& x : M.values()) x = static_cast<Scalar>(random.normal());
    return M;
}

// C (m x n) = op(A) op(B), a sum of k products each, where op(A) is A or, stored k x m, A^T
// (and B likewise, stored n x k when transposed): the forms training uses.
struct Product {
    std::string name;
    std::size_t m, n, k;
    bool transpose_a = false, transpose_b = false;
    std::size_t a_rows() const { return transpose_a ? k : m; }
    std::size_t a_cols() const { return transpose_a ? m : k; }
    std::size_t b_rows() const { return transpose_b ? n : k; }
    std::size_t b_cols() const { return transpose_b ? k : n; }
    double gflops(double seconds) const { return 2.0 * double(m) * double(n) * double(k) / seconds / 1e9; }
};

Product square(std::size_t n) { return {std::to_string(n), n, n, n}; }

// The three products of a step for a first layer W (256 x 784) at a batch of b samples:
// Z = W X forward, W^T Delta as the next layer down would need it, and the gradient Delta X^T.
std::vector<Product> training_products(std::size_t b) {
    const std::string batch = std::to_string(b);
    return {{"W X: 256x784 by 784x" + batch, 256, b, 784},
            {"W^T D: (256x784)^T by 256x" + batch, 784, b, 256, true, false},
            {"D X^T: 256x" + batch + " by (784x" + batch + ")^T", 256, 784, b, false, true}};
}

template <typename Scalar>
void fcnn_product(const Product& p, fcnn::BasicMatrix<Scalar>& C, const fcnn::BasicMatrix<Scalar>& A,
                  const fcnn::BasicMatrix<Scalar>& B) {
    if (p.transpose_a && p.transpose_b) throw std::logic_error("bench/matmul has no product A^T B^T");
    if (p.transpose_a) matmul_into(C, fcnn::transposed(A), B);
    else if (p.transpose_b) matmul_into(C, A, fcnn::transposed(B));
    else matmul_into(C, A, B);
}

template <typename Scalar>
Scalar largest_difference(const fcnn::BasicMatrix<Scalar>& X, const fcnn::BasicMatrix<Scalar>& Y) {
    Scalar largest = 0;
    for (std::size_t i = 0; i < X.size(); ++i) largest = std::max(largest, std::abs(X.values()[i] - Y.values()[i]));
    return largest;
}

template <typename Scalar>
Scalar largest_magnitude(const fcnn::BasicMatrix<Scalar>& X) {
    Scalar largest = 0;
    for (Scalar x : X.values()) largest = std::max(largest, std::abs(x));
    return largest;
}

// The plain triple loop on the same operands (any transpose copied first, outside the timing):
// fcnn's C must equal it bit for bit on every thread count, and OpenBLAS's C_blas, which sums in
// an order of its own, must be within rounding of it (else the bench calls OpenBLAS wrongly).
// Returns the triple loop's GFLOP/s.
template <typename Scalar>
double check_against_reference(const Product& p, const fcnn::BasicMatrix<Scalar>& A, const fcnn::BasicMatrix<Scalar>& B,
                               const fcnn::BasicMatrix<Scalar>& C, const fcnn::BasicMatrix<Scalar>* C_blas) {
    const auto A_op = p.transpose_a ? fcnn::transpose(A) : A, B_op = p.transpose_b ? fcnn::transpose(B) : B;
    const auto start = std::chrono::steady_clock::now();
    const auto expected = matmul_reference(A_op, B_op);
    const double gflops = p.gflops(bench::seconds_since(start));
    if (!(expected == C)) throw std::logic_error("fcnn's matmul differs from matmul_reference: " + p.name);
    const Scalar rounding = sizeof(Scalar) == sizeof(float) ? Scalar(1e-3) : Scalar(1e-9);
    if (C_blas != nullptr && largest_difference(expected, *C_blas) > rounding * std::max(Scalar(1), largest_magnitude(expected)))
        throw std::logic_error("OpenBLAS's product differs from matmul_reference by more than rounding: " + p.name);
    return gflops;
}

#ifdef FCNN_BENCH_OPENBLAS
template <typename Scalar>
void openblas_product(const Product& p, const fcnn::BasicMatrix<Scalar>& A, const fcnn::BasicMatrix<Scalar>& B,
                      fcnn::BasicMatrix<Scalar>& C) {
    const auto op = [](bool transpose) { return transpose ? CblasTrans : CblasNoTrans; };
    const int m = static_cast<int>(p.m), n = static_cast<int>(p.n), k = static_cast<int>(p.k);
    const int lda = static_cast<int>(A.cols()), ldb = static_cast<int>(B.cols());
    if constexpr (sizeof(Scalar) == sizeof(float))
        cblas_sgemm(CblasRowMajor, op(p.transpose_a), op(p.transpose_b), m, n, k, 1, A.values().data(), lda,
                    B.values().data(), ldb, 0, C.values().data(), n);
    else
        cblas_dgemm(CblasRowMajor, op(p.transpose_a), op(p.transpose_b), m, n, k, 1, A.values().data(), lda,
                    B.values().data(), ldb, 0, C.values().data(), n);
}
#endif

// One row of the table: the median GFLOP/s of each contender, their runs interleaved so that a
// slow moment of the machine hits all of them alike, and which of them goes first alternating.
// Each contender is warmed up outside the timing: the first product on a thread count starts
// the thread pool (fcnn's and OpenBLAS's) and touches the packing buffers' fresh pages, a
// one-time cost that, timed, made the first size of each thread count look twice as slow.
//
// With 2 or more threads, fcnn is timed only after OpenBLAS's threads have gone to sleep: an
// idle OpenBLAS thread keeps spinning for 2^28 timer cycles (about 0.1 s; the environment
// variable OPENBLAS_THREAD_TIMEOUT sets the power of 2) after each product, waiting for the
// next, and holds a core that fcnn's timing then lacks. Timed straight after OpenBLAS,
// fcnn's 2-thread products came out at a fifth to a half of their speed, at random.
template <typename Scalar>
void measure(const Product& p, std::size_t threads, const Settings& settings, const char* type) {
    fcnn::Random random(p.m);
    const auto A = random_matrix<Scalar>(p.a_rows(), p.a_cols(), random);
    const auto B = random_matrix<Scalar>(p.b_rows(), p.b_cols(), random);
    fcnn::BasicMatrix<Scalar> C(p.m, p.n), C_blas(p.m, p.n);
    if (fcnn::thread_count() != threads) fcnn::set_thread_count(threads);  // a new count restarts the pool
    const auto fast_product = [&] { fcnn_product(p, C, A, B); };
    std::vector<double> fast, blas;
#ifdef FCNN_BENCH_OPENBLAS
    openblas_set_num_threads(static_cast<int>(threads));
    const auto blas_product = [&] { openblas_product(p, A, B, C_blas); };
    bench::time_one_call(blas_product, 0.02);
#endif
    bench::time_one_call(fast_product, 0.02);
    for (std::size_t run = 0; run < settings.runs; ++run) {
#ifdef FCNN_BENCH_OPENBLAS
        if (run % 2 == 1) blas.push_back(p.gflops(bench::time_one_call(blas_product)));
        if (threads > 1) std::this_thread::sleep_for(std::chrono::milliseconds(250));  // see above
#endif
        fast.push_back(p.gflops(bench::time_one_call(fast_product)));
#ifdef FCNN_BENCH_OPENBLAS
        if (run % 2 == 0) blas.push_back(p.gflops(bench::time_one_call(blas_product)));
#endif
    }
    std::printf("%-6s %*s %7zu", type, name_width(settings), p.name.c_str(), threads);
    const double reference_work = std::pow(double(settings.largest_reference), 3);
    if (double(p.m) * double(p.n) * double(p.k) <= reference_work) {
        const fcnn::BasicMatrix<Scalar>* openblas_result = blas.empty() ? nullptr : &C_blas;
        const double reference_gflops = check_against_reference(p, A, B, C, openblas_result);
        if (threads == 1) std::printf(" %10.2f", reference_gflops);
        else std::printf(" %10s", "checked");
    } else {
        std::printf(" %10s", "-");
    }
    std::printf(" %10.2f", bench::median(fast));
    if (blas.empty()) std::printf(" %10s %8s\n", "-", "-");
    else std::printf(" %10.2f %8.2f\n", bench::median(blas), bench::median(fast) / bench::median(blas));
    std::fflush(stdout);
}

// Tutorial 08's table: each step of steps.hpp, then fcnn's matmul on one thread and on all.
template <typename Scalar>
void measure_steps(std::size_t n, const Settings& settings, const char* type) {
    fcnn::Random random(n);
    const auto A = random_matrix<Scalar>(n, n, random), B = random_matrix<Scalar>(n, n, random);
    fcnn::BasicMatrix<Scalar> C(n, n);
    using Step = void (*)(const Scalar*, const Scalar*, Scalar*, std::size_t, std::size_t, std::size_t);
    const std::vector<std::pair<const char*, Step>> steps = {{"1 triple loop", steps::triple_loop<Scalar>},
                                                             {"2 loop order", steps::loop_order<Scalar>},
                                                             {"3 blocking", steps::blocking<Scalar>},
                                                             {"4 register tile", steps::register_tile<Scalar>}};
    const auto row = [&](const char* name, auto&& compute) {
        std::vector<double> runs;
        for (std::size_t run = 0; run < settings.runs; ++run) runs.push_back(square(n).gflops(bench::time_one_call(compute)));
        std::printf("%-6s %-34s %8.2f\n", type, name, bench::median(runs));
        std::fflush(stdout);
    };
    for (const auto& entry : steps) {  // (Clang 14 cannot capture a structured binding)
        const Step step = entry.second;
        row(entry.first, [&] { step(A.values().data(), B.values().data(), C.values().data(), n, n, n); });
    }
    fcnn::set_thread_count(1);
    row("5 packing + all of the above", [&] { matmul_into(C, A, B); });
    fcnn::set_thread_count(0);
    const std::string threads = "6 threads (" + std::to_string(fcnn::thread_count()) + ")";
    row(threads.c_str(), [&] { matmul_into(C, A, B); });
}

}  // namespace

int main(int argc, char** argv) try {
    const Settings settings = parse(argc, argv);
    if (settings.steps != 0) {
        std::printf("bench/matmul --steps: tutorial 08's steps for %zu x %zu matrices, GFLOP/s, median of %zu runs\n",
                    settings.steps, settings.steps, settings.runs);
        std::printf("machine: %u cores; %s, %s\n\n", bench::cores(), bench::compiler().c_str(),
                    bench::instruction_set().c_str());
        measure_steps<float>(settings.steps, settings, "float");
        measure_steps<double>(settings.steps, settings, "double");
        return 0;
    }
    std::vector<Product> products;
    if (settings.training_batch != 0) {
        products = training_products(settings.training_batch);
        std::printf("bench/matmul --training: a first layer's products at batch %zu, GFLOP/s = 2 m n k / seconds, "
                    "median of %zu runs\n", settings.training_batch, settings.runs);
    } else {
        for (std::size_t n : settings.sizes) products.push_back(square(n));
        std::printf("bench/matmul: C = A B for n x n matrices, GFLOP/s = 2 n^3 / seconds, median of %zu runs\n",
                    settings.runs);
    }
    std::printf("machine: %u cores; %s, %s\n", bench::cores(), bench::compiler().c_str(), bench::instruction_set().c_str());
#ifdef FCNN_BENCH_OPENBLAS
    std::printf("%s\n", openblas_description().c_str());
#else
    std::printf("OpenBLAS: not found at build time (Debian: apt install libopenblas-dev, then meson setup --reconfigure)\n");
#endif
    std::printf("\n%-6s %*s %7s %10s %10s %10s %8s\n", "type", name_width(settings),
                settings.training_batch ? "product" : "n", "threads", "reference", "fcnn", "OpenBLAS", "ratio");
    for (const char* type : {"float", "double"})
        for (std::size_t threads : settings.threads)
            for (const Product& product : products) {
                if (std::string(type) == "float") measure<float>(product, threads, settings, type);
                else measure<double>(product, threads, settings, type);
            }
    std::printf("\nratio = fcnn / OpenBLAS; reference = the plain triple loop, GFLOP/s on one thread, up to %zu^3 multiply-adds; it checks fcnn bit for bit on every thread count (\"checked\") and OpenBLAS to within rounding\n",
                settings.largest_reference);
    return 0;
} catch (const std::exception& error) {
    std::fprintf(stderr, "matmul: %s\n", error.what());
    return 1;
}
