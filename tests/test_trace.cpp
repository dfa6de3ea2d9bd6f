// The backprop trace of the 2-3-1 example: each equation in order, with the numbers of
// docs/worked-example.md and tutorial 03.
#include <sstream>
#include <string>

#include <doctest/doctest.h>
#include <fcnn/network.hpp>

#include "../tutorials/worked_example.hpp"

TEST_CASE("the trace prints BP1, then BP3 and BP4 of each layer and BP2 for the one below") {
    fcnn::Network net = worked_example::network();
    const auto [z_s, a_s] = net.feedforward(worked_example::X);
    std::ostringstream trace;
    net.set_trace(&trace);
    net.backprop(worked_example::Y, z_s, a_s);
    CHECK(trace.str() ==
          "backprop: 2 samples, cost quadratic\n"
          "BP1  delta^2 = nabla_a C (.) sigma'(z^2)  1x2\n"
          "[ -0.0883689130  0.1376751701 ]\n"
          "BP3  nabla_b^2 = (1/n) sum_x delta^2_x  1x1\n"
          "[ 0.0246531286 ]\n"
          "BP4  nabla_w^2 = (1/n) delta^2 (a^1)^T  1x3\n"
          "[  0.0141618052  0.0212495008 -0.0003547676 ]\n"
          "BP2  delta^1 = ((W^2)^T delta^2) (.) sigma'(z^1)  3x2\n"
          "[ -0.0151217607  0.0235590877 ]\n"
          "[  0.0176296717 -0.0251983274 ]\n"
          "[ -0.0198333806  0.0274719218 ]\n"
          "BP3  nabla_b^1 = (1/n) sum_x delta^1_x  3x1\n"
          "[  0.0042186635 ]\n"
          "[ -0.0037843278 ]\n"
          "[  0.0038192706 ]\n"
          "BP4  nabla_w^1 = (1/n) delta^1 (a^0)^T  3x2\n"
          "[ -0.0075608803  0.0079991037 ]\n"
          "[  0.0088148358 -0.0081917458 ]\n"
          "[ -0.0099166903  0.0087776157 ]\n");
}

TEST_CASE("the trace is off by default and off again after set_trace(nullptr)") {
    fcnn::Network net = worked_example::network();
    const auto [z_s, a_s] = net.feedforward(worked_example::X);
    std::ostringstream trace;
    net.backprop(worked_example::Y, z_s, a_s);
    net.set_trace(&trace);
    net.set_trace(nullptr);
    net.backprop(worked_example::Y, z_s, a_s);
    CHECK(trace.str().empty());
}

TEST_CASE("for a matched cost the trace says that sigma' cancels") {
    fcnn::Network net({2, 2}, {"softmax"}, {.cost = "cross_entropy", .seed = 3});
    const fcnn::Matrix X = {{0.5}, {-1}}, Y = {{0}, {1}};
    const auto [z_s, a_s] = net.feedforward(X);
    std::ostringstream trace;
    net.set_trace(&trace);
    net.backprop(Y, z_s, a_s);
    CHECK(trace.str().find("BP1  delta^1 = a^1 - y  (sigma' cancels)  2x1\n") != std::string::npos);
}
