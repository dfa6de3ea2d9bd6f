#include "fcnn/training.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>

#include "fcnn/number_text.hpp"
#include "fcnn/random.hpp"
#include "fcnn/shape_error.hpp"

namespace fcnn {

namespace {

// What one batch works in, reused by every batch of every epoch: a step allocates nothing.
template <typename Scalar>
struct TrainingWorkspace {
    BasicMatrix<Scalar> y;                // the batch's targets (its inputs go straight into pass.a_s[0])
    ForwardPass<Scalar> pass;             // z_s, a_s
    BackpropWorkspace<Scalar> backprop;   // delta, and the gradients the optimizer reads
    std::vector<Parameter<Scalar>> parameters;  // W^l and b^l with their gradients in backprop
};

void check_options(const TrainOptions& options) {
    if (options.batch_size == 0) throw std::invalid_argument("train: batch_size must be at least 1");
    const double eta = options.optimizer.learning_rate;
    if (!(std::isfinite(eta) && eta > 0))
        throw std::invalid_argument("train: learning_rate must be a positive number, got " + std::to_string(eta));
    if (!(options.learning_rate_decay > 0 && options.learning_rate_decay <= 1))
        throw std::invalid_argument("train: learning_rate_decay must be in (0, 1], got " +
                                    std::to_string(options.learning_rate_decay));
}

// X_rows as train(net, transposed(X_rows), ...) takes it: one row per sample, n_0 numbers each.
template <typename Scalar>
void check_sample_rows(const BasicNetwork<Scalar>& net, const BasicMatrix<Scalar>& X_rows) {
    const std::size_t inputs = net.layers().front().inputs();
    if (X_rows.cols() != inputs)
        throw shape_error("train", "transposed(X) takes X with one row of " + std::to_string(inputs) +
                                       " inputs per sample", {{"X", X_rows}});
    if (X_rows.rows() == 0) throw std::invalid_argument("train: transposed(X) has no samples (rows)");
}

// A weight or bias that is not a finite number: whose (layer l, from 1; W or b) and where.
struct NonFiniteParameter {
    std::size_t layer = 0;
    char name = 'W';
    std::size_t row = 0, column = 0;  // from 0, as W(row, column) indexes it
    double value = 0;                 // NaN, inf or -inf
};

// The first weight or bias of net that is NaN or infinite, from W^1 on, if there is one. It reads
// every parameter once, about what one sample's feedforward reads: cheap once an epoch.
template <typename Scalar>
std::optional<NonFiniteParameter> first_non_finite_parameter(const BasicNetwork<Scalar>& net) {
    const auto layers = net.layers();
    for (std::size_t l = 0; l < layers.size(); ++l) {
        for (const auto& [matrix, name] : {std::pair{&layers[l].weights, 'W'}, std::pair{&layers[l].biases, 'b'}}) {
            const auto values = matrix->values();
            const auto bad = std::find_if(values.begin(), values.end(), [](Scalar x) { return !std::isfinite(x); });
            if (bad == values.end()) continue;
            const auto at = static_cast<std::size_t>(bad - values.begin());
            return NonFiniteParameter{l + 1, name, at / matrix->cols(), at % matrix->cols(), static_cast<double>(*bad)};
        }
    }
    return std::nullopt;
}

// x for a message. NaN's sign bit depends on the machine that made it (x86 makes -nan), and means
// nothing: "nan" either way, so the message is the same everywhere.
std::string value_text(double x) { return std::isnan(x) ? "nan" : number_text(x); }

// "layer 2's weights W^2 hold nan (first at row 0, column 5, from 0)", for a diverged message.
std::string described(const NonFiniteParameter& p) {
    const std::string l = std::to_string(p.layer), value = value_text(p.value), row = std::to_string(p.row);
    if (p.name == 'b') return "layer " + l + "'s biases b^" + l + " hold " + value + " (first at row " + row + ", from 0)";
    return "layer " + l + "'s weights W^" + l + " hold " + value + " (first at row " + row + ", column " +
           std::to_string(p.column) + ", from 0)";
}

// The loss of batch `batch` was NaN or infinite: say where, and what to try. This guard tests
// only that loss, a number already computed, so it costs nothing measurable; it stops before the
// step, which would only spread the NaN or infinity, and before anything is saved. Only now, on
// the way out, does it look for a parameter to blame.
template <typename Scalar>
[[noreturn]] void loss_diverged(const BasicNetwork<Scalar>& net, std::size_t epoch, std::size_t batch, std::size_t batches,
                                double cost, double eta) {
    const std::optional<NonFiniteParameter> p = first_non_finite_parameter(net);
    throw TrainingDiverged(epoch, batch,
                           "train: diverged at epoch " + std::to_string(epoch) + ", batch " + std::to_string(batch) +
                               " of " + std::to_string(batches) + ": the loss is " + value_text(cost) +
                               (p ? ", and " + described(*p) : "") + "; try a smaller learning rate than " +
                               number_text(eta) + " (a tenth of it, say)",
                           p ? p->layer : 0, p ? std::string(1, p->name) : "");
}

// After an epoch's last update: a weight or bias that is NaN or infinite stops training there,
// before on_epoch (and a checkpoint) sees it. Every batch's loss was finite, else loss_diverged
// stopped it: the last step overflowed, or a NaN hides where the loss cannot see it (relu(NaN)
// is 0, so a NaN weight of a relu layer leaves the output finite while it trains on).
template <typename Scalar>
void check_parameters(const BasicNetwork<Scalar>& net, std::size_t epoch, std::size_t batches, double eta) {
    const std::optional<NonFiniteParameter> p = first_non_finite_parameter(net);
    if (!p) return;
    throw TrainingDiverged(epoch, batches,
                           "train: diverged at epoch " + std::to_string(epoch) + ": after its " + std::to_string(batches) +
                               (batches == 1 ? " batch, " : " batches, ") + described(*p) +
                               "; try a smaller learning rate than " + number_text(eta) + " (a tenth of it, say)",
                           p->layer, std::string(1, p->name));
}

// One pass over the data in mini-batches. A batch is a set of *columns*: samples are columns.
// (The blog sliced rows of its column-per-sample matrix here, mixing features across samples.)
template <typename Scalar>
EpochStats train_epoch(BasicNetwork<Scalar>& net, Transposed<Scalar> X, Transposed<Scalar> Y,
                       std::span<const std::size_t> order, const TrainOptions& options,
                       BasicOptimizer<Scalar>& optimizer, bool classification, TrainingWorkspace<Scalar>& work,
                       std::size_t epoch) {
    const std::size_t batch_size = options.batch_size;
    const std::size_t batches = (order.size() + batch_size - 1) / batch_size;
    double cost_sum = 0;
    std::size_t correct = 0;
    BasicMatrix<Scalar>& x = work.pass.a_s[0];  // the batch's inputs: A^0
    BasicMatrix<Scalar>& y = work.y;
    // [snippet mini-batches]
    for (std::size_t start = 0; start < order.size(); start += batch_size) {
        const auto batch = order.subspan(start, std::min(batch_size, order.size() - start));
        gather_columns_into(x, X, batch);  // n_0 x batch
        gather_columns_into(y, Y, batch);  // n_L x batch
        net.feedforward_into(work.pass, x);
        const BasicMatrix<Scalar>& output = work.pass.a_s.back();
        const double cost = net.cost().value(output, y, work.pass.z_s.back(), net.layers().back().activation);
        if (!std::isfinite(cost)) loss_diverged(net, epoch, start / batch_size + 1, batches, cost, optimizer.settings().learning_rate);
        cost_sum += cost * static_cast<double>(batch.size());
        if (classification) correct += count_correct(output, y);
        net.backprop_into(work.backprop, y, work.pass.z_s, work.pass.a_s);
        optimizer.step(work.parameters);  // sgd: W -= eta nabla_w, b -= eta nabla_b
        if (options.on_batch) options.on_batch(start / batch_size + 1, batches, cost);
    }
    // [end mini-batches]
    const double n = static_cast<double>(order.size());
    EpochStats stats;
    stats.loss = cost_sum / n;
    if (classification) stats.accuracy = static_cast<double>(correct) / n;
    return stats;
}

// The workspace with its lists sized for net, so that the optimizer's parameter list can point
// into it once for the whole run.
template <typename Scalar>
void prepare(TrainingWorkspace<Scalar>& work, BasicNetwork<Scalar>& net) {
    const std::size_t L = net.layers().size();
    work.pass.a_s.resize(L + 1);
    work.backprop.gradients.nabla_w.resize(L);
    work.backprop.gradients.nabla_b.resize(L);
    work.parameters = parameters(net, work.backprop.gradients);
}

// train() once its arguments are checked: X given as X_rows^T, X_rows one row per sample
// (samples x n_0), so that a batch is a few contiguous rows to copy.
template <typename Scalar>
History train_checked(BasicNetwork<Scalar>& net, Transposed<Scalar> X, const BasicMatrix<Scalar>& Y,
                      const TrainOptions& options) {
    BasicOptimizer<Scalar> optimizer(options.optimizer);
    Random random(options.seed);
    std::vector<std::size_t> order(Y.cols());  // the columns (samples) in the order of this epoch
    std::iota(order.begin(), order.end(), std::size_t(0));
    const bool classification = holds_class_labels(Y);
    const BasicMatrix<Scalar> Y_rows = transpose(Y);  // n_L numbers a sample: a small copy
    TrainingWorkspace<Scalar> work;
    prepare(work, net);
    History history;
    for (std::size_t epoch = 1; epoch <= options.epochs; ++epoch) {
        if (options.shuffle) random.shuffle(order);
        EpochStats stats = train_epoch(net, X, transposed(Y_rows), order, options, optimizer, classification, work, epoch);
        check_parameters(net, epoch, (order.size() + options.batch_size - 1) / options.batch_size,
                         optimizer.settings().learning_rate);
        stats.epoch = epoch;
        history.push_back(stats);
        if (options.on_epoch) options.on_epoch(stats);
        optimizer.set_learning_rate(optimizer.settings().learning_rate * options.learning_rate_decay);
    }
    return history;
}

}  // namespace

template <typename Scalar>
History train(BasicNetwork<Scalar>& net, const BasicMatrix<Scalar>& X, const BasicMatrix<Scalar>& Y,
              const TrainOptions& options) {
    net.check_input("train", X);
    net.check_targets("train", Y, X.cols());
    check_options(options);
    // One row per sample, made once: a batch's columns are then contiguous rows to copy, not
    // numbers scattered over all of X (one cache miss each). Costs one more copy of the data,
    // which the form below, for data already held one row per sample, does not make.
    const BasicMatrix<Scalar> X_rows = transpose(X);
    return train_checked(net, transposed(X_rows), Y, options);
}

template <typename Scalar>
History train(BasicNetwork<Scalar>& net, Transposed<Scalar> X, const BasicMatrix<Scalar>& Y, const TrainOptions& options) {
    check_sample_rows(net, X.matrix);
    net.check_targets("train", Y, X.matrix.rows());
    check_options(options);
    return train_checked(net, X, Y, options);
}

template <typename Scalar>
std::vector<Parameter<Scalar>> parameters(BasicNetwork<Scalar>& net, const Gradients<Scalar>& gradients) {
    const auto layers = net.layers();
    if (gradients.nabla_w.size() != layers.size() || gradients.nabla_b.size() != layers.size())
        throw std::invalid_argument("parameters: expected gradients for " + std::to_string(layers.size()) +
                                    " layers, got " + std::to_string(gradients.nabla_w.size()) + " nabla_w and " +
                                    std::to_string(gradients.nabla_b.size()) + " nabla_b");
    std::vector<Parameter<Scalar>> list;
    for (std::size_t l = 0; l < layers.size(); ++l) {
        list.push_back({&layers[l].weights, &gradients.nabla_w[l], true});  // L2 acts on weights only
        list.push_back({&layers[l].biases, &gradients.nabla_b[l], false});
    }
    return list;
}

template <typename Scalar>
double loss(const BasicNetwork<Scalar>& net, const BasicMatrix<Scalar>& X, const BasicMatrix<Scalar>& Y) {
    net.check_targets("loss", Y, X.cols());
    const ForwardPass<Scalar> pass = net.feedforward(X);
    return net.cost().value(pass.a_s.back(), Y, pass.z_s.back(), net.layers().back().activation);
}

template <typename Scalar>
double accuracy(const BasicNetwork<Scalar>& net, const BasicMatrix<Scalar>& X, const BasicMatrix<Scalar>& Y) {
    net.check_targets("accuracy", Y, X.cols());
    if (!holds_class_labels(Y))
        throw std::invalid_argument("accuracy: Y must hold class labels: one-hot columns, or one row of 0s and 1s");
    return static_cast<double>(count_correct(net.predict(X), Y)) / static_cast<double>(X.cols());
}

template <typename Scalar>
bool holds_class_labels(const BasicMatrix<Scalar>& Y) {
    for (std::size_t j = 0; j < Y.cols(); ++j) {
        Scalar ones = 0;
        for (std::size_t i = 0; i < Y.rows(); ++i) {
            if (Y(i, j) != 0 && Y(i, j) != 1) return false;
            ones += Y(i, j);
        }
        if (Y.rows() > 1 && ones != 1) return false;  // one-hot: exactly one 1 per column
    }
    return true;
}

template <typename Scalar>
std::size_t count_correct(const BasicMatrix<Scalar>& a, const BasicMatrix<Scalar>& y) {
    if (!same_shape(a, y))
        throw shape_error("count_correct", "output and labels differ in shape", {{"a", a}, {"y", y}});
    std::size_t correct = 0;
    if (a.rows() == 1) {
        for (std::size_t j = 0; j < a.cols(); ++j) correct += (a(0, j) >= Scalar(0.5)) == (y(0, j) >= Scalar(0.5));
        return correct;
    }
    for (std::size_t j = 0; j < a.cols(); ++j) correct += argmax_column(a, j) == argmax_column(y, j);
    return correct;
}

#define FCNN_INSTANTIATE_TRAINING(Scalar)                                                                          \
    template History train(BasicNetwork<Scalar>&, const BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&,         \
                           const TrainOptions&);                                                                   \
    template History train(BasicNetwork<Scalar>&, Transposed<Scalar>, const BasicMatrix<Scalar>&, const TrainOptions&); \
    template std::vector<Parameter<Scalar>> parameters(BasicNetwork<Scalar>&, const Gradients<Scalar>&);          \
    template double loss(const BasicNetwork<Scalar>&, const BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&);    \
    template double accuracy(const BasicNetwork<Scalar>&, const BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&); \
    template bool holds_class_labels(const BasicMatrix<Scalar>&);                                                 \
    template std::size_t count_correct(const BasicMatrix<Scalar>&, const BasicMatrix<Scalar>&);

FCNN_INSTANTIATE_TRAINING(float)
FCNN_INSTANTIATE_TRAINING(double)

}  // namespace fcnn
