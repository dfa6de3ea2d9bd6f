#include "fcnn/metrics.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace fcnn {

ConfusionMatrix::ConfusionMatrix(const std::vector<std::size_t>& truth, const std::vector<std::size_t>& predicted,
                                 std::size_t classes)
    : classes_(classes), counts_(classes * classes, 0) {
    if (truth.size() != predicted.size())
        throw std::invalid_argument("ConfusionMatrix: " + std::to_string(truth.size()) + " true classes but " +
                                    std::to_string(predicted.size()) + " predictions");
    for (std::size_t j = 0; j < truth.size(); ++j) {
        if (truth[j] >= classes || predicted[j] >= classes)
            throw std::invalid_argument("ConfusionMatrix: sample " + std::to_string(j) + " has a class outside 0.." +
                                        std::to_string(classes - 1));
        ++counts_[truth[j] * classes + predicted[j]];
    }
}

double ConfusionMatrix::accuracy() const {
    std::size_t right = 0, all = 0;
    for (std::size_t k = 0; k < classes_; ++k) right += count(k, k);
    for (std::size_t n : counts_) all += n;
    return all == 0 ? 0.0 : static_cast<double>(right) / static_cast<double>(all);
}

double ConfusionMatrix::class_accuracy(std::size_t k) const {
    std::size_t all = 0;
    for (std::size_t p = 0; p < classes_; ++p) all += count(k, p);
    return all == 0 ? 0.0 : static_cast<double>(count(k, k)) / static_cast<double>(all);
}

double ConfusionMatrix::class_precision(std::size_t k) const {
    std::size_t all = 0;
    for (std::size_t t = 0; t < classes_; ++t) all += count(t, k);
    return all == 0 ? 0.0 : static_cast<double>(count(k, k)) / static_cast<double>(all);
}

std::string ConfusionMatrix::to_string(const std::vector<std::string>& class_names) const {
    std::size_t name_width = 5;
    for (const std::string& name : class_names) name_width = std::max(name_width, name.size());
    char cell[64];
    std::string out = "confusion matrix (rows: true class, columns: predicted class)\n" + std::string(name_width + 3, ' ');
    for (std::size_t c = 0; c < classes_; ++c) std::snprintf(cell, sizeof cell, "%6zu", c), out += cell;
    out += "   recall  precision\n";  // recall: class_accuracy, along the row; precision: down the column
    for (std::size_t r = 0; r < classes_; ++r) {
        const std::string name = r < class_names.size() ? class_names[r] : std::to_string(r);
        std::snprintf(cell, sizeof cell, "%2zu %-*s", r, int(name_width), name.c_str());
        out += cell;
        for (std::size_t c = 0; c < classes_; ++c) std::snprintf(cell, sizeof cell, "%6zu", count(r, c)), out += cell;
        std::snprintf(cell, sizeof cell, "   %.4f     %.4f\n", class_accuracy(r), class_precision(r));
        out += cell;
    }
    return out;
}

}  // namespace fcnn
