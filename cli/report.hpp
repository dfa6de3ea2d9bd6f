// What fcnn needs to judge a trained network on a data set: its predictions, loss and accuracy.
#pragma once

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include <fcnn/data/dataset.hpp>
#include <fcnn/network.hpp>

namespace cli {

// The network's predicted class for each column of X.
template <typename Scalar>
std::vector<std::size_t> predicted_classes(const fcnn::BasicNetwork<Scalar>& net, const fcnn::FloatMatrix& X);

// A matrix in another scalar type (the data are float; a network may be double).
template <typename To, typename From>
fcnn::BasicMatrix<To> converted(const fcnn::BasicMatrix<From>& M) {
    fcnn::BasicMatrix<To> result(M.rows(), M.cols());
    std::copy(M.values().begin(), M.values().end(), result.values().begin());
    return result;
}


// Loss and accuracy of the network on a data set.
template <typename Scalar>
std::pair<double, double> loss_and_accuracy(const fcnn::BasicNetwork<Scalar>& net, const fcnn::data::Dataset& data);

}  // namespace cli
