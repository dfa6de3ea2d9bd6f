// The training loop: mini-batch gradient descent over the columns of X and Y. It connects the
// network (feedforward, backprop) and an optimizer (the update rule); neither knows the other.
// Also the measures a loop reports: the cost over a data set and a classifier's accuracy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "fcnn/matrix.hpp"
#include "fcnn/network.hpp"
#include "fcnn/optimizer.hpp"

namespace fcnn {

struct EpochStats {
    std::size_t epoch = 0;            // counting from 1
    double loss = 0;                  // mean of the batch costs, each taken before its update step
    std::optional<double> accuracy;   // when Y holds class labels (see holds_class_labels)
};

using History = std::vector<EpochStats>;

struct TrainOptions {
    std::size_t batch_size = 32;
    std::size_t epochs = 1;
    // The update rule and all its settings: name ("sgd", "momentum", "adam"), learning_rate
    // (eta), l2, momentum, and Adam's beta1, beta2, epsilon (optimizer.hpp).
    OptimizerSettings optimizer = {};
    std::uint64_t seed = 0;          // for the per-epoch shuffle
    bool shuffle = true;             // false: batches are consecutive columns, in order
    double learning_rate_decay = 1;  // after each epoch eta *= this (1: constant)
    std::function<void(const EpochStats&)> on_epoch = {};
    // After each batch: batches done this epoch, batches in the epoch, and that batch's cost.
    std::function<void(std::size_t, std::size_t, double)> on_batch = {};
};

// Training stopped because it diverged, most often from a learning rate too large: a batch's loss
// was not a finite number (NaN or infinite), or, checked after each epoch's last batch, a weight or
// bias was not. train throws it before that batch's update (or after that epoch's last one) and
// before on_batch or on_epoch see it, so a program that saves in on_epoch or after train saves
// nothing of the diverged epoch.
class TrainingDiverged : public std::runtime_error {
public:
    TrainingDiverged(std::size_t epoch, std::size_t batch, const std::string& message, std::size_t layer = 0,
                     std::string parameter = "")
        : std::runtime_error(message), epoch_(epoch), batch_(batch), layer_(layer), parameter_(std::move(parameter)) {}
    std::size_t epoch() const { return epoch_; }  // counting from 1
    // Counting from 1, within the epoch: the batch whose loss was not finite, or the epoch's last
    // batch when the check after it found a parameter that was not.
    std::size_t batch() const { return batch_; }
    std::size_t layer() const { return layer_; }                  // l of the parameter, from 1; 0 if none was found
    const std::string& parameter() const { return parameter_; }  // "W" or "b" (of layer l); "" if none

private:
    std::size_t epoch_, batch_, layer_;
    std::string parameter_;
};

// Mini-batch training of net over the columns of X (inputs, n_0 x samples) and Y (targets,
// n_L x samples): per batch feedforward, backprop, one optimizer step. Throws
// std::invalid_argument for bad shapes or settings, before changing net; TrainingDiverged when a
// batch's loss is NaN or infinite (net is then as the batches before it left it), or when a
// weight or bias is after an epoch (net is then as that epoch left it).
template <typename Scalar>
History train(BasicNetwork<Scalar>& net, const BasicMatrix<Scalar>& X, const BasicMatrix<Scalar>& Y,
              const TrainOptions& options);
// The same with the inputs held one row per sample, X_rows (samples x n_0), given as
// train(net, transposed(X_rows), Y, options). Batches are gathered from the same samples in the
// same order, so the numbers are the same. The form above makes this copy of X itself, in fresh
// memory, at every call: for a large data set (Fashion-MNIST, 188 MB in float) that is most of
// the first epoch's time, a page fault per 4 KiB. Data held as rows from the start needs no copy.
template <typename Scalar>
History train(BasicNetwork<Scalar>& net, Transposed<Scalar> X, const BasicMatrix<Scalar>& Y, const TrainOptions& options);

// The network's W^1, b^1, W^2, ... with the gradients of the same names, as an optimizer steps
// them: optimizer.step(parameters(net, gradients)). Weights decay under L2, biases do not.
template <typename Scalar>
std::vector<Parameter<Scalar>> parameters(BasicNetwork<Scalar>& net, const Gradients<Scalar>& gradients);

template <typename Scalar>
double loss(const BasicNetwork<Scalar>& net, const BasicMatrix<Scalar>& X, const BasicMatrix<Scalar>& Y);  // C over all columns
template <typename Scalar>
double accuracy(const BasicNetwork<Scalar>& net, const BasicMatrix<Scalar>& X,
                const BasicMatrix<Scalar>& Y);  // Y must hold class labels

// Class labels: one-hot columns, or a single row of 0s and 1s (a yes/no answer, read at 0.5).
template <typename Scalar>
bool holds_class_labels(const BasicMatrix<Scalar>& Y);

// How many columns of the output a match the labels y (argmax, or a >= 0.5 for a single row).
template <typename Scalar>
std::size_t count_correct(const BasicMatrix<Scalar>& a, const BasicMatrix<Scalar>& y);

}  // namespace fcnn
