// The 2-3-1 network of tutorials 02 and 03 and docs/worked-example.md: fixed weights, sigmoid
// in both layers, the quadratic cost, and a batch of two samples. Small enough to follow by hand.
#pragma once

#include <fcnn/fcnn.hpp>

namespace worked_example {

// [snippet network]
inline fcnn::Network network() {
    fcnn::Network net({2, 3, 1}, {"sigmoid", "sigmoid"}, {.cost = "quadratic"});
    net.layers()[0].weights = {{0.1, 0.2}, {-0.3, 0.4}, {0.5, -0.6}};  // W^1: 3x2
    net.layers()[0].biases = {{0.1}, {0.2}, {-0.1}};                   // b^1: 3x1
    net.layers()[1].weights = {{0.7, -0.8, 0.9}};                      // W^2: 1x3
    net.layers()[1].biases = {{0.05}};                                 // b^2: 1x1
    return net;
}

// Samples are columns: the first sample is (1, 0.5) with target 1, the second (0, 1) with target 0.
inline const fcnn::Matrix X = {{1.0, 0.0},
                               {0.5, 1.0}};
inline const fcnn::Matrix Y = {{1.0, 0.0}};
// [end network]

}  // namespace worked_example
