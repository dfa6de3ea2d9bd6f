// Tutorial 08: every step of tutorials/08-fast-matmul/steps.hpp, and fcnn's matmul on one and
// two threads, checked bit for bit against the triple loop. Timings: build/bench/matmul --steps
// (384 x 384 in a few seconds; --steps 960 for the README's table).
#include <cstdio>
#include <string>
#include <vector>

#include <fcnn/matrix.hpp>
#include <fcnn/random.hpp>
#include <fcnn/threads.hpp>

#include "steps.hpp"

namespace {

using fcnn::BasicMatrix;

template <typename Scalar>
BasicMatrix<Scalar> random_matrix(std::size_t rows, std::size_t cols, fcnn::Random& random) {
    BasicMatrix<Scalar> M(rows, cols);
    for (Scalar& x : M.values()) x = static_cast<Scalar>(random.normal());
    return M;
}

template <typename Scalar>
using Step = void (*)(const Scalar*, const Scalar*, Scalar*, std::size_t, std::size_t, std::size_t);

// Prints one line per step; returns false if any differs from the reference.
template <typename Scalar>
bool check_every_step(const char* type) {
    fcnn::Random random(8);
    const std::size_t M = 48, K = 300, N = 544;  // K and N past one cache block of step 3
    const auto A = random_matrix<Scalar>(M, K, random), B = random_matrix<Scalar>(K, N, random);
    const BasicMatrix<Scalar> expected = matmul_reference(A, B);
    std::printf("%s: C = A B, A is %zux%zu, B is %zux%zu\n", type, M, K, K, N);
    bool all_equal = true;
    const auto report = [&](const char* name, const BasicMatrix<Scalar>& C) {
        const bool equal = C == expected;
        all_equal = all_equal && equal;
        std::printf("  %-26s %s\n", name, equal ? "equal to the triple loop, bit for bit" : "DIFFERENT");
    };
    const std::vector<std::pair<const char*, Step<Scalar>>> steps = {
        {"1 triple loop", steps::triple_loop<Scalar>},
        {"2 loop order", steps::loop_order<Scalar>},
        {"3 blocking", steps::blocking<Scalar>},
        {"4 register tile", steps::register_tile<Scalar>}};
    for (const auto& [name, step] : steps) {
        BasicMatrix<Scalar> C(M, N);
        step(A.values().data(), B.values().data(), C.values().data(), M, N, K);
        report(name, C);
    }
    fcnn::set_thread_count(1);
    report("5 fcnn::matmul, 1 thread", matmul(A, B));
    fcnn::set_thread_count(2);
    report("6 fcnn::matmul, 2 threads", matmul(A, B));
    fcnn::set_thread_count(0);
    return all_equal;
}

}  // namespace

int main() {
    const bool floats = check_every_step<float>("float");
    const bool doubles = check_every_step<double>("double");
    return floats && doubles ? 0 : 1;
}
