// How well a classifier does: the confusion matrix and the accuracy of each class.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace fcnn {

class ConfusionMatrix {
public:
    // truth and predicted: one class per sample, each below classes. Throws std::invalid_argument
    // when their lengths differ or a class is out of range.
    ConfusionMatrix(const std::vector<std::size_t>& truth, const std::vector<std::size_t>& predicted, std::size_t classes);

    // How many samples of class `actual` were predicted as `predicted`.
    std::size_t count(std::size_t actual, std::size_t predicted) const { return counts_[actual * classes_ + predicted]; }
    std::size_t classes() const { return classes_; }
    double accuracy() const;                     // the fraction on the diagonal
    double class_accuracy(std::size_t k) const;   // of the samples of class k, the fraction predicted k (recall)
    double class_precision(std::size_t k) const;  // of the samples predicted k, the fraction of class k

    // Rows: the true class, columns: the predicted class, then each row's accuracy, with names.
    std::string to_string(const std::vector<std::string>& class_names) const;

private:
    std::size_t classes_;
    std::vector<std::size_t> counts_;  // classes x classes, row-major
};

}  // namespace fcnn
