#include "report.hpp"

#include <algorithm>

namespace cli {

// Batch by batch, so a large test set never needs its whole forward pass at once.
template <typename Scalar>
Scores score(const fcnn::BasicNetwork<Scalar>& net, const fcnn::data::Dataset& data) {
    Scores scores;
    std::size_t correct = 0;
    const std::size_t batch = 1000;
    fcnn::FloatMatrix batch_columns;  // n_features x batch, the network's layout, from the rows of data.X_rows
    for (std::size_t start = 0; start < data.samples(); start += batch) {
        std::vector<std::size_t> columns(std::min(batch, data.samples() - start));
        for (std::size_t j = 0; j < columns.size(); ++j) columns[j] = start + j;
        fcnn::gather_columns_into(batch_columns, fcnn::transposed(data.X_rows), std::span<const std::size_t>(columns));
        const auto x = fcnn::converted<Scalar>(batch_columns);
        std::vector<std::size_t> labels;
        for (std::size_t j : columns) labels.push_back(data.labels[j]);
        const auto pass = net.feedforward(x);
        const auto& a = pass.a_s.back();
        const auto y = fcnn::data::one_hot<Scalar>(labels, data.classes());
        scores.loss += net.cost().value(a, y, pass.z_s.back(), net.layers().back().activation) * double(columns.size());
        const std::vector<std::size_t> best = argmax_columns(a);
        for (std::size_t j = 0; j < best.size(); ++j) correct += best[j] == labels[j];
        scores.predicted.insert(scores.predicted.end(), best.begin(), best.end());
    }
    scores.loss /= static_cast<double>(data.samples());
    scores.accuracy = static_cast<double>(correct) / static_cast<double>(data.samples());
    return scores;
}

template Scores score(const fcnn::BasicNetwork<float>&, const fcnn::data::Dataset&);
template Scores score(const fcnn::BasicNetwork<double>&, const fcnn::data::Dataset&);

}  // namespace cli
