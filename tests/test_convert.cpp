// fcnn convert, run as a user runs it: .model <-> .npz round trips that change no bit, evaluate
// and predict that read an .npz directly, a PyTorch state_dict with --activations and --cost, and
// the messages for what cannot be converted.
#include <filesystem>
#include <fstream>
#include <string>

#include <doctest/doctest.h>
#include <fcnn/npz.hpp>

#include "temporary_folder.hpp"
#include "shell.hpp"

namespace fs = std::filesystem;

namespace {

using Run = fcnn_test::ShellResult;

const fcnn_test::TemporaryFolder tmp("fcnn-test-convert");  // the runs' working folder
const fs::path fixtures = fs::path(FCNN_SOURCE_DIR) / "tests" / "npz";

Run run_fcnn(const std::string& arguments) {  // stdout and stderr together, in tmp
    return fcnn_test::run_shell("cd '" + tmp.path().string() + "' && '" FCNN_PROGRAM "' " + arguments + " 2>&1");
}

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string last_line(const std::string& text) {
    const std::size_t end = text.find_last_not_of('\n');
    return text.substr(text.rfind('\n', end) + 1, end - text.rfind('\n', end));
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("fcnn convert: .model -> .npz -> .model gives the same file, and evaluate and predict read the .npz") {
    const Run train = run_fcnn("train --epochs 2 --save m.model");
    INFO(train.output);
    REQUIRE(train.status == 0);
    const Run to_npz = run_fcnn("convert m.model m.npz");
    CHECK(to_npz.output == "m.model -> m.npz: 2 layers, 64-128-10, cost cross_entropy\n");
    CHECK(run_fcnn("convert m.npz back.model").status == 0);
    CHECK(read(tmp / "back.model") == read(tmp / "m.model"));
    CHECK(fcnn::parse_npz(fcnn::npz_bytes(fcnn::npz_arrays(fcnn::load_npz<float>(tmp / "m.npz"))), "m.npz")["0.weight"].type ==
          fcnn::NpyArray::Type::float32);  // a float network stays float32

    const Run evaluate_model = run_fcnn("evaluate --model m.model"), evaluate_npz = run_fcnn("evaluate --model m.npz");
    INFO(evaluate_npz.output);
    CHECK(evaluate_npz.status == 0);
    CHECK(evaluate_npz.output == evaluate_model.output);
    CHECK(last_line(evaluate_npz.output) == last_line(train.output));

    std::string row, other;  // two samples of 64 features
    for (int i = 0; i < 64; ++i) {
        row += std::string(i ? "," : "") + std::to_string(i % 5 * 0.25);
        other += std::string(i ? "," : "") + std::to_string(i % 3 * 0.5);
    }
    std::ofstream(tmp / "rows.csv") << row << "\n" << other << "\n";
    const Run predict_model = run_fcnn("predict --model m.model --input rows.csv"), predict_npz = run_fcnn("predict --model m.npz --input rows.csv");
    INFO(predict_npz.output);
    CHECK(predict_npz.status == 0);
    CHECK(predict_npz.output == predict_model.output);
}

TEST_CASE("fcnn convert: a PyTorch state_dict takes --activations and --cost, and needs them") {
    const std::string state_dict = (fixtures / "torch_state_dict.npz").string();
    const Run without = run_fcnn("convert '" + state_dict + "' t.model");
    CHECK(without.status == 1);
    CHECK(contains(without.output, "the archive has no 'fcnn' array naming the activations and the cost"));
    const Run with = run_fcnn("convert '" + state_dict + "' t.model --activations sigmoid,softmax --cost cross_entropy");
    INFO(with.output);
    CHECK(with.status == 0);
    const std::string text = read(tmp / "t.model");
    CHECK(contains(text, "layer 1 inputs 3 outputs 2 activation sigmoid\nweights\n0.5 -1.25 2\n0.25 1 -0.5\nbiases\n0.125\n-2\n"));
    const Run wrong = run_fcnn("convert '" + state_dict + "' t.model --activations relu,softmax --cost quadratic");
    CHECK(wrong.status == 0);  // any names fcnn knows: the state_dict does not say
    const Run unknown = run_fcnn("convert '" + state_dict + "' t.model --activations gelu,softmax --cost quadratic");
    CHECK(contains(unknown.output, "unknown activation 'gelu'; known activations: sigmoid, tanh, relu, leaky_relu, linear, softmax"));
}

// OUT and OUT.scale change together, as fcnn train's MODEL and MODEL.scale do: a convert that
// cannot write one of them leaves both as they were, and an OUT.scale of another model goes.
TEST_CASE("fcnn convert writes OUT and OUT.scale together, or neither, and removes an OUT.scale of another model") {
    std::ofstream(tmp / "s.csv") << "x,y,class\n0,0,a\n1,1,a\n9,9,b\n10,10,b\n0,1,a\n10,9,b\n";
    REQUIRE(run_fcnn("train --data s.csv --validation 0 --scale standard --layers 2,3,2 --epochs 5 --save s.model").status == 0);
    REQUIRE(run_fcnn("train --data s.csv --validation 0 --scale minmax --layers 2,4,2 --epochs 5 --save old.npz.model").status == 0);
    REQUIRE(run_fcnn("convert old.npz.model s.npz").status == 0);
    const std::string old_npz = read(tmp / "s.npz"), old_scale = read(tmp / "s.npz.scale");
    for (const char* in_the_way : {"s.npz.tmp", "s.npz.scale.tmp"}) {
        CAPTURE(in_the_way);
        fs::create_directory(tmp / in_the_way);
        const Run failed = run_fcnn("convert s.model s.npz");
        CHECK(failed.status == 1);
        CHECK(contains(failed.output, "fcnn convert: error: save: cannot write '" + std::string(in_the_way) + "': Is a directory"));
        CHECK(read(tmp / "s.npz") == old_npz);
        CHECK(read(tmp / "s.npz.scale") == old_scale);
        CHECK(fs::is_directory(tmp / in_the_way));
        fs::remove(tmp / in_the_way);
    }
    REQUIRE(run_fcnn("convert s.model s.npz").status == 0);
    CHECK(read(tmp / "s.npz.scale") == read(tmp / "s.model.scale"));

    fs::remove(tmp / "s.model.scale");  // a model with no scaling, converted over an OUT that had one
    const Run unscaled = run_fcnn("convert s.model s.npz");
    CHECK(unscaled.status == 0);
    CHECK(contains(unscaled.output, "removed s.npz.scale: it scaled the inputs of the model s.npz replaced, and s.model has no .scale\n"));
    CHECK_FALSE(fs::exists(tmp / "s.npz.scale"));
}

TEST_CASE("fcnn convert: the scaling file goes along, and mistakes get clear messages") {
    std::ofstream(tmp / "p.csv") << "x,y,class\n0,0,a\n1,1,a\n9,9,b\n10,10,b\n0,1,a\n10,9,b\n";
    REQUIRE(run_fcnn("train --data p.csv --validation 0 --scale standard --layers 2,3,2 --epochs 5 --save p.model").status == 0);
    const Run converted = run_fcnn("convert p.model p.npz");
    CHECK(contains(converted.output, "copied the input scaling p.model.scale to p.npz.scale"));
    CHECK(read(tmp / "p.npz.scale") == read(tmp / "p.model.scale"));

    CHECK(run_fcnn("convert p.model").output ==
          "fcnn convert: expected two files, IN and OUT, e.g. fcnn convert my.model my.npz (see fcnn convert --help)\n");
    CHECK(run_fcnn("convert p.model p.txt").output ==
          "fcnn convert: cannot tell the format of 'p.txt' from its extension: expected .model or .npz or .onnx (see fcnn convert --help)\n");
    CHECK(contains(run_fcnn("convert p.onnx p.model").output, "(.onnx is written, not read)"));
    CHECK(contains(run_fcnn("convert p.model q.npz --cost quadratic").output, "--activations and --cost are for an .npz without them"));
    CHECK(run_fcnn("convert absent.npz q.model").output == "fcnn convert: error: absent.npz: cannot open the file\n");
    const Run help = run_fcnn("convert --help");
    CHECK(contains(help.output, "usage: fcnn convert IN OUT"));
}
