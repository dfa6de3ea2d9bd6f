#include <filesystem>
#include <stdexcept>
#include <fstream>
#include <sstream>
#include <string>

#include <doctest/doctest.h>
#include <fcnn/network.hpp>
#include <fcnn/model_file.hpp>

using fcnn::Matrix;
using fcnn::Network;

namespace {

const std::string small_model =
    "fcnn-model 1\n"
    "cost quadratic\n"
    "layers 1\n"
    "layer 1 inputs 2 outputs 1 activation sigmoid\n"
    "weights\n"
    "0.5 -1.25\n"
    "biases\n"
    "0.125\n"
    "end\n";

// The message load() gives for a model file's text, or "" if it loads.
std::string load_error(const std::string& text) {
    std::istringstream in(text);
    try {
        fcnn::load_model<double>(in, "m.model");
    } catch (const fcnn::ModelFormatError& error) {
        return error.what();
    }
    return "";
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    text.replace(text.find(from), from.size(), to);
    return text;
}

}  // namespace

TEST_CASE("save then load restores bit-identical predictions") {
    const Network net({3, 7, 5, 2}, {"tanh", "relu", "softmax"}, {.cost = "cross_entropy", .init = "he", .seed = 99});
    std::stringstream file;
    fcnn::save_model(net, file);
    const Network loaded = fcnn::load_model<double>(file);
    CHECK(loaded.sizes() == net.sizes());
    CHECK(loaded.cost() == net.cost());
    for (std::size_t l = 0; l < 3; ++l) {
        CHECK(loaded.layers()[l].weights == net.layers()[l].weights);
        CHECK(loaded.layers()[l].biases == net.layers()[l].biases);
        CHECK(loaded.layers()[l].activation == net.layers()[l].activation);
    }
    const Matrix X = {{0.1, -3}, {1e-7, 2.5}, {123.456, -0.001}};
    CHECK(loaded.predict(X) == net.predict(X));
}

TEST_CASE("the format is the documented text") {
    std::istringstream in(small_model);
    const Network net = fcnn::load_model<double>(in);
    CHECK(net.layers()[0].weights == Matrix{{0.5, -1.25}});
    std::ostringstream out;
    fcnn::save_model(net, out);
    CHECK(out.str() == replaced(small_model, "cost", "# fcnn model (docs/model-format.md): W^l one row per line, "
                                                     "then b^l one value per line\ncost"));
}

TEST_CASE("blank lines and # comments are passed over") {
    CHECK(load_error("# my model\n\n" + replaced(small_model, "biases\n", "\n# the bias\nbiases\n")) == "");
}

TEST_CASE("a float network round-trips too") {
    const fcnn::FloatNetwork net({2, 4, 1}, {"sigmoid", "sigmoid"}, {.seed = 5});
    std::stringstream file;
    fcnn::save_model(net, file);
    const fcnn::FloatNetwork loaded = fcnn::load_model<float>(file);
    CHECK(loaded.layers()[0].weights == net.layers()[0].weights);
}

TEST_CASE("a number beyond float's range is an error when a float network loads it") {
    std::istringstream file(replaced(small_model, "-1.25", "1e39"));
    CHECK_THROWS_WITH_AS(fcnn::load_model<float>(file, "m.model"),
                         "m.model:6: expected a finite number in row 1 of W^1, found '1e39' (out of range for float)",
                         fcnn::ModelFormatError);
    std::istringstream in_range(replaced(small_model, "-1.25", "1e38"));
    CHECK(fcnn::load_model<float>(in_range, "m.model").layers()[0].weights(0, 1) == 1e38f);
}

TEST_CASE("saving to a path replaces the old file whole and leaves no temporary behind") {
    const std::filesystem::path path = "test_model_file.model";
    std::ofstream(path) << "an earlier model\n";
    const Network net({2, 2}, {"sigmoid"}, {.seed = 1});
    fcnn::save_model(net, path);
    CHECK(fcnn::load_model<double>(path).layers()[0].weights == net.layers()[0].weights);
    CHECK_FALSE(std::filesystem::exists("test_model_file.model.tmp"));
    std::filesystem::remove(path);
}

TEST_CASE("a save that cannot write throws and keeps nothing half-written") {
    const Network net({2, 2}, {"sigmoid"});
    CHECK_THROWS_WITH_AS(fcnn::save_model(net, std::filesystem::path("no-such-directory/x.model")),
                         "save: cannot write 'no-such-directory/x.model.tmp': No such file or directory",
                         std::runtime_error);
    CHECK_THROWS_WITH_AS(fcnn::load_model<double>(std::filesystem::path("no-such-file.model")),
                         "load: cannot open 'no-such-file.model': No such file or directory", std::runtime_error);
}

TEST_CASE("each malformed model file gives its error, with the line") {
    CHECK(load_error("") == "m.model:1: expected 'fcnn-model 1', found the end of the file");
    CHECK(load_error("P5 28 28\n") ==
          "m.model:1: not an fcnn model: expected 'fcnn-model 1' on the first line, found 'P5 28 28'");
    CHECK(load_error(replaced(small_model, "fcnn-model 1", "fcnn-model 2")) ==
          "m.model:1: model format version 2 is not supported; this fcnn reads version 1");
    CHECK(load_error(replaced(small_model, "cost quadratic", "cost mse")) ==
          "m.model:2: unknown cost 'mse'; known costs: quadratic, cross_entropy, binary_cross_entropy");
    CHECK(load_error(replaced(small_model, "cost quadratic", "loss quadratic")) ==
          "m.model:2: expected 'cost <value>', found 'loss quadratic'");
    CHECK(load_error(replaced(small_model, "layers 1", "layers zero")) ==
          "m.model:3: expected the number of layers as a whole number of at least 1, found 'zero'");
    CHECK(load_error(replaced(small_model, "layers 1", "layers 0")) ==
          "m.model:3: expected the number of layers as a whole number of at least 1, found '0'");
    CHECK(load_error(replaced(small_model, "layer 1 inputs", "layer 2 inputs")) ==
          "m.model:4: expected 'layer 1 inputs <n> outputs <n> activation <name>', found 'layer 2 inputs 2 outputs 1 "
          "activation sigmoid'");
    CHECK(load_error(replaced(small_model, "outputs 1", "outputs -1")) ==
          "m.model:4: expected outputs as a whole number of at least 1, found '-1'");
    CHECK(load_error(replaced(small_model, "outputs 1", "outputs 1000000000")) ==
          "m.model:4: layer 1 is 1000000000x2, more than the 268435456 weights a layer may have");
    // Counts past 2^32 read as 64-bit numbers on every build: the same message on 32-bit targets.
    CHECK(load_error(replaced(small_model, "inputs 2", "inputs 4294967298")) ==
          "m.model:4: layer 1 is 1x4294967298, more than the 268435456 weights a layer may have");
    CHECK(load_error(replaced(small_model, "layers 1", "layers 4294967297")) ==
          "m.model:9: expected 'layer 2 inputs <n> outputs <n> activation <name>', found 'end'");
    CHECK(load_error(replaced(small_model, "outputs 1", "outputs 18446744073709551616")) ==
          "m.model:4: expected outputs as a whole number of at least 1, found '18446744073709551616'");
    CHECK(load_error(replaced(small_model, "activation sigmoid", "activation sigmod")) ==
          "m.model:4: unknown activation 'sigmod'; known activations: sigmoid, tanh, relu, leaky_relu, linear, softmax");
    CHECK(load_error(replaced(small_model, "weights\n", "")) == "m.model:5: expected 'weights', found '0.5 -1.25'");
    CHECK(load_error(replaced(small_model, "0.5 -1.25", "0.5")) ==
          "m.model:6: expected 2 numbers (row 1 of W^1), found 1: '0.5'");
    CHECK(load_error(replaced(small_model, "-1.25", "-1.2x5")) == "m.model:6: expected a finite number in row 1 of W^1, found '-1.2x5'");
    CHECK(load_error(replaced(small_model, "-1.25", "nan")) == "m.model:6: expected a finite number in row 1 of W^1, found 'nan'");
    CHECK(load_error(replaced(small_model, "-1.25", "1e400")) ==
          "m.model:6: expected a finite number in row 1 of W^1, found '1e400' (out of range for double)");
    CHECK(load_error(replaced(small_model, "-1.25", "-1e-400")) ==
          "m.model:6: expected a finite number in row 1 of W^1, found '-1e-400' (out of range for double)");
    CHECK(load_error(replaced(small_model, "0.125\n", "")) == "m.model:8: expected a finite number in row 1 of b^1, found 'end'");
    CHECK(load_error(replaced(small_model, "end\n", "")) == "m.model:9: expected 'end', found the end of the file");
    CHECK(load_error(small_model + "layer 2\n") == "m.model:10: unexpected text after 'end'");
    CHECK(load_error(replaced(replaced(small_model, "cost quadratic", "cost cross_entropy"), "sigmoid", "linear")) ==
          "m.model:9: cost 'cross_entropy' takes ln(a) and needs outputs in (0, 1), but the output activation 'linear' "
          "can leave that range; use sigmoid or softmax, or the quadratic cost");
}

TEST_CASE("a save over a directory fails and keeps the directory") {
    std::filesystem::create_directory("test_model_file.dir");
    const Network net({2, 2}, {"sigmoid"});
    CHECK_THROWS_WITH_AS(fcnn::save_model(net, std::filesystem::path("test_model_file.dir")),
                         "save: cannot replace 'test_model_file.dir': Is a directory", std::runtime_error);
    CHECK(std::filesystem::is_directory("test_model_file.dir"));
    CHECK_FALSE(std::filesystem::exists("test_model_file.dir.tmp"));
    std::filesystem::remove("test_model_file.dir");
}

TEST_CASE("a layer whose inputs do not match the layer before is refused at its line") {
    const std::string two_layers =
        "fcnn-model 1\ncost quadratic\nlayers 2\n"
        "layer 1 inputs 1 outputs 3 activation relu\nweights\n1\n2\n3\nbiases\n0\n0\n0\n"
        "layer 2 inputs 4 outputs 1 activation linear\nweights\n1 2 3 4\nbiases\n0\nend\n";
    CHECK(load_error(two_layers) == "m.model:13: layer 2 has 4 inputs, but the layer before it has 3 outputs");
}
