// The 2-3-1 example of docs/worked-example.md and tutorials 02-03 (tutorials/worked_example.hpp):
// fixed weights, a batch of two samples, every number of the forward and backward pass.
// Expected values come from docs/worked_example.py, an independent NumPy implementation,
// printed to 10 decimals.
#include <fstream>
#include <sstream>
#include <string>

#include <doctest/doctest.h>
#include <fcnn/network.hpp>
#include <fcnn/training.hpp>
#include <fcnn/model_file.hpp>

#include "../tutorials/worked_example.hpp"
#include "check.hpp"

using fcnn::Matrix;

namespace {

using worked_example::X;
using worked_example::Y;
const auto worked_example_network = worked_example::network;
const double printed = 5e-11;  // half a unit in the 10th decimal

}  // namespace

TEST_CASE("worked example: the forward pass") {
    const auto [z_s, a_s] = worked_example_network().feedforward(X);
    REQUIRE(z_s.size() == 2);
    REQUIRE(a_s.size() == 3);
    CHECK(a_s[0] == X);
    fcnn_test::check_close(z_s[0], Matrix{{0.3, 0.3}, {0.1, 0.6}, {0.1, -0.7}}, printed);
    fcnn_test::check_close(a_s[1], Matrix{{0.5744425168, 0.5744425168},
                                          {0.5249791875, 0.6456563062},
                                          {0.5249791875, 0.3318122278}}, printed);
    fcnn_test::check_close(z_s[1], Matrix{{0.5046076805, 0.2342157218}}, printed);
    fcnn_test::check_close(a_s[2], Matrix{{0.6235415407, 0.5582877163}}, printed);
    CHECK(fcnn::loss(worked_example_network(), X, Y) == doctest::Approx(0.11335153644265217).epsilon(1e-14));
}

TEST_CASE("worked example: BP1 and BP2 give the deltas") {
    const fcnn::Network net = worked_example_network();
    const auto [z_s, a_s] = net.feedforward(X);
    const auto deltas = net.deltas(Y, z_s, a_s);
    fcnn_test::check_close(deltas[1], Matrix{{-0.0883689130, 0.1376751701}}, printed);  // BP1
    fcnn_test::check_close(deltas[0], Matrix{{-0.0151217607, 0.0235590877},              // BP2
                                             {0.0176296717, -0.0251983274},
                                             {-0.0198333806, 0.0274719218}}, printed);
}

TEST_CASE("worked example: BP3 and BP4 give the batch-averaged gradients") {
    const fcnn::Network net = worked_example_network();
    const auto [z_s, a_s] = net.feedforward(X);
    const auto [nabla_w, nabla_b] = net.backprop(Y, z_s, a_s);
    fcnn_test::check_close(nabla_b[1], Matrix{{0.0246531286}}, printed);
    fcnn_test::check_close(nabla_w[1], Matrix{{0.0141618052, 0.0212495008, -0.0003547676}}, printed);
    fcnn_test::check_close(nabla_b[0], Matrix{{0.0042186635}, {-0.0037843278}, {0.0038192706}}, printed);
    fcnn_test::check_close(nabla_w[0], Matrix{{-0.0075608803, 0.0079991037},
                                              {0.0088148358, -0.0081917458},
                                              {-0.0099166903, 0.0087776157}}, printed);
}

TEST_CASE("worked example: the model file shown in docs/model-format.md is this network") {
    std::ifstream doc(FCNN_SOURCE_DIR "/docs/model-format.md");
    REQUIRE(doc);
    std::string line, model;
    while (std::getline(doc, line) && line != "## Example") {}
    while (std::getline(doc, line) && line != "```") {}  // the opening fence
    while (std::getline(doc, line) && line != "```") model += line + "\n";
    std::istringstream in(model);
    const fcnn::Network loaded = fcnn::load_model<double>(in, "docs/model-format.md");
    const fcnn::Network expected = worked_example_network();
    for (std::size_t l = 0; l < 2; ++l) {
        CHECK(loaded.layers()[l].weights == expected.layers()[l].weights);
        CHECK(loaded.layers()[l].biases == expected.layers()[l].biases);
        CHECK(loaded.layers()[l].activation == expected.layers()[l].activation);
    }
    std::ostringstream saved;
    fcnn::save_model(expected, saved);
    CHECK(saved.str() == model);  // and it is exactly what save() writes
}
