// ONNX export (lib/fcnn/onnx.hpp): where Debian's python3-onnx is installed, onnx.checker accepts
// the file, and tests/onnx_walk.py, a NumPy walk over the graph's nodes, predicts what fcnn predicts.
#include <filesystem>
#include <string>

#include <doctest/doctest.h>
#include <fcnn/atomic_file.hpp>
#include <fcnn/data/gzip.hpp>
#include <fcnn/npz.hpp>
#include <fcnn/onnx.hpp>

#include "check.hpp"
#include "temporary_folder.hpp"
#include "shell.hpp"

namespace fs = std::filesystem;

namespace {

const fcnn_test::TemporaryFolder tmp("fcnn-test-onnx");

bool onnx_available() {
    return fcnn_test::run_shell("/usr/bin/python3 -c 'import numpy, onnx' 2>/dev/null").status == 0;
}

// Runs the network's ONNX file through onnx_walk.py on the columns of X; returns its output a^L
// (as columns again) and what the script printed.
template <typename Scalar>
fcnn::BasicMatrix<Scalar> onnx_predict(const fcnn::BasicNetwork<Scalar>& net, const fcnn::BasicMatrix<Scalar>& X, std::string& printed) {
    const fs::path model = tmp / "fcnn_test.onnx", input = tmp / "fcnn_test_onnx_input.npz", output = tmp / "fcnn_test_onnx_output.npy";
    fcnn::save_onnx(net, model);
    const fcnn::BasicMatrix<Scalar> rows = fcnn::transpose(X);  // ONNX holds samples as rows
    fcnn::NpyArray x{fcnn::NpyArray::Type::float64, {rows.rows(), rows.cols()}, {rows.values().begin(), rows.values().end()}, {}};
    fcnn::write_file_atomically(input, fcnn::npz_bytes({{"X", x}}), "test");
    const fcnn_test::ShellResult run = fcnn_test::run_shell("/usr/bin/python3 '" FCNN_SOURCE_DIR "/tests/onnx_walk.py' '" + model.string() +
                                                            "' '" + input.string() + "' '" + output.string() + "' 2>&1");
    printed = run.output;
    REQUIRE_MESSAGE(run.status == 0, run.output);
    const std::vector<std::uint8_t> bytes = fcnn::data::read_file(output);
    const fcnn::NpyArray a = fcnn::parse_npy(bytes, output.string());
    REQUIRE(a.shape == std::vector<std::size_t>{X.cols(), net.sizes().back()});
    fcnn::BasicMatrix<Scalar> result(a.shape[1], a.shape[0]);
    for (std::size_t i = 0; i < a.shape[0]; ++i)
        for (std::size_t j = 0; j < a.shape[1]; ++j) result(j, i) = static_cast<Scalar>(a.values[i * a.shape[1] + j]);
    for (const fs::path& file : {model, input, output}) fs::remove(file);
    return result;
}

template <typename Scalar>
fcnn::BasicMatrix<Scalar> inputs(std::size_t rows, std::size_t cols) {
    fcnn::BasicMatrix<Scalar> X(rows, cols);
    for (std::size_t i = 0; i < X.size(); ++i) X.values()[i] = static_cast<Scalar>(double(i % 7) * 0.3 - 0.9);
    return X;
}

}  // namespace

TEST_CASE("an ONNX file passes onnx.checker and predicts what fcnn predicts, every activation") {
    if (!onnx_available()) {
        MESSAGE("not checked here: /usr/bin/python3 has no onnx or numpy (Debian: python3-onnx)");
        return;
    }
    std::string printed;
    const fcnn::Network hidden({4, 6, 5, 5, 3}, {"tanh", "relu", "linear", "sigmoid"}, {.seed = 5});
    fcnn_test::check_close(onnx_predict(hidden, inputs<double>(4, 9), printed), hidden.predict(inputs<double>(4, 9)), 1e-14);
    CHECK(printed == "checker: OK; 7 nodes: Gemm Tanh Gemm Relu Gemm Gemm Sigmoid\n");

    // ONNX's LeakyRelu takes alpha as a float attribute: 0.01f differs from the double 0.01 by 2e-10
    // relative, so a double network with leaky_relu agrees to about that, not to the last bit.
    const fcnn::Network leaky({4, 6, 3}, {"leaky_relu", "tanh"}, {.seed = 5});
    fcnn_test::check_close(onnx_predict(leaky, inputs<double>(4, 9), printed), leaky.predict(inputs<double>(4, 9)), 1e-8);
    CHECK(printed == "checker: OK; 4 nodes: Gemm LeakyRelu Gemm Tanh\n");

    const fcnn::FloatNetwork classifier({64, 32, 10}, {"relu", "softmax"}, {.cost = "cross_entropy", .seed = 2});
    fcnn_test::check_close(onnx_predict(classifier, inputs<float>(64, 17), printed), classifier.predict(inputs<float>(64, 17)), 1e-5);  // NumPy sums in another order
    CHECK(printed == "checker: OK; 4 nodes: Gemm Relu Gemm Softmax\n");

    const fcnn::Network linear_output({3, 2}, {"linear"}, {.seed = 1});
    fcnn_test::check_close(onnx_predict(linear_output, inputs<double>(3, 1), printed), linear_output.predict(inputs<double>(3, 1)), 1e-15);
    CHECK(printed == "checker: OK; 1 nodes: Gemm\n");
}
