#include "report.hpp"

#include <algorithm>
#include <cstdio>

namespace cli {

// Predictions go batch by batch, so a large test set never needs its whole forward pass at once.
template <typename Scalar>
std::vector<std::size_t> predicted_classes(const fcnn::BasicNetwork<Scalar>& net, const fcnn::FloatMatrix& X) {
    std::vector<std::size_t> classes;
    const std::size_t batch = 1000;
    for (std::size_t start = 0; start < X.cols(); start += batch) {
        std::vector<std::size_t> columns(std::min(batch, X.cols() - start));
        for (std::size_t j = 0; j < columns.size(); ++j) columns[j] = start + j;
        const auto a = net.predict(converted<Scalar>(gather_columns(X, std::span<const std::size_t>(columns))));
        const auto best = argmax_columns(a);
        classes.insert(classes.end(), best.begin(), best.end());
    }
    return classes;
}

template <typename Scalar>
std::pair<double, double> loss_and_accuracy(const fcnn::BasicNetwork<Scalar>& net, const fcnn::data::Dataset& data) {
    const std::vector<std::size_t> predicted = predicted_classes(net, data.X);
    std::size_t correct = 0;
    for (std::size_t j = 0; j < predicted.size(); ++j) correct += predicted[j] == data.labels[j];
    const double loss = net.loss(converted<Scalar>(data.X), fcnn::data::one_hot<Scalar>(data.labels, data.classes()));
    return {loss, static_cast<double>(correct) / static_cast<double>(data.samples())};
}

template std::vector<std::size_t> predicted_classes(const fcnn::BasicNetwork<float>&, const fcnn::FloatMatrix&);
template std::vector<std::size_t> predicted_classes(const fcnn::BasicNetwork<double>&, const fcnn::FloatMatrix&);
template std::pair<double, double> loss_and_accuracy(const fcnn::BasicNetwork<float>&, const fcnn::data::Dataset&);
template std::pair<double, double> loss_and_accuracy(const fcnn::BasicNetwork<double>&, const fcnn::data::Dataset&);

}  // namespace cli
