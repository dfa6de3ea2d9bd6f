// What fcnn needs to judge a trained network on a data set: its predictions, loss and accuracy.
#pragma once

#include <vector>

#include <fcnn/data/dataset.hpp>
#include <fcnn/network.hpp>

namespace cli {

// The network on a data set, in one batched forward pass: its cost, its predicted class for each
// sample, and the fraction predicted right.
struct Scores {
    double loss = 0;
    std::vector<std::size_t> predicted;
    double accuracy = 0;
};

template <typename Scalar>
Scores score(const fcnn::BasicNetwork<Scalar>& net, const fcnn::data::Dataset& data);

}  // namespace cli
