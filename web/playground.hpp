// The playground's C++ side: its settings (parsed from the page's URL query), its 2-D data sets,
// and a training loop that runs one mini-batch at a time so the page can stop between any two.
// Everything here is plain fcnn: the page (web/binding.cpp) and the native reference program
// (web/reference.cpp) compile this same file, so both draw the same data and the same network.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fcnn/fcnn.hpp>

namespace playground {

using fcnn::Matrix;

struct Settings {
    std::string data = "xor";  // xor, xor4 (tutorial 04's four points), circle, spiral, gauss
    double noise = 0;          // standard deviation added to each coordinate (xor4: none)
    std::size_t samples = 200;
    std::uint64_t data_seed = 1;
    std::vector<std::size_t> layers = {2, 8, 8, 1};
    std::vector<std::string> activations = {"tanh", "tanh", "sigmoid"};
    std::string cost = "binary_cross_entropy";
    std::string init = "xavier";
    std::string optimizer = "sgd";
    double learning_rate = 0.5;
    std::size_t batch_size = 10;
    double l2 = 0;
    std::uint64_t seed = 1;  // the network's weights and the per-epoch shuffle, as in fcnn::train
    std::size_t autorun = 0;  // epochs to train on load (the page's business; 0: none)
};

// From a URL query such as "data=xor&layers=2,4,1&activations=tanh,sigmoid&lr=0.5&seed=1"
// (a leading '?' is skipped; missing keys keep their defaults). Throws std::invalid_argument
// naming the key, the value and what was expected.
Settings parse_settings(std::string_view query);
std::string known_keys();

// The data set's inputs X (2 x samples) and labels Y (1 x samples, 0 or 1), and the square of
// the plane the page draws (|x| and |y| up to `extent` around `center`).
struct DataSet {
    Matrix X, Y;
    double center = 0, extent = 1;
};
DataSet make_data(const Settings& settings);

fcnn::Network make_network(const Settings& settings);
fcnn::TrainOptions train_options(const Settings& settings, std::size_t epochs);

// What one batch did, kept for the page's backprop panel: the batch, the forward pass, the
// deltas of BP1 and BP2, the gradients of BP3 and BP4, and the weights before and after the step.
struct StepRecord {
    std::vector<std::size_t> columns;  // which samples (columns of X) made the batch
    Matrix x, y;                       // n_0 x batch, n_L x batch
    fcnn::ForwardPass<double> pass;    // z_s, a_s
    std::vector<Matrix> delta;         // delta[l]: n_l x batch
    fcnn::Gradients<double> gradients;
    std::vector<fcnn::Layer> before, after;
    double cost = 0;
};

// fcnn::train, one batch at a time: the same shuffle (fcnn::Random with the same seed, one
// shuffle per epoch), the same batches, the same optimizer; so after N epochs the losses are those
// that train reports for N epochs, bit for bit (tests: web/test_playground.py against reference).
class Trainer {
public:
    explicit Trainer(const Settings& settings);

    // One batch; record, when given, receives what it computed.
    void step(StepRecord* record = nullptr);
    void run_epoch();  // the batches left in this epoch

    const Settings& settings() const { return settings_; }
    const fcnn::Network& network() const { return net_; }
    const DataSet& data() const { return data_; }
    std::size_t epochs_done() const { return epoch_; }
    std::size_t batch_in_epoch() const { return next_ / settings_.batch_size; }  // batches done of this epoch
    std::size_t batches_per_epoch() const;
    const std::vector<fcnn::EpochStats>& history() const { return history_; }

private:
    void finish_epoch();

    Settings settings_;
    DataSet data_;
    fcnn::Network net_;
    fcnn::Optimizer optimizer_;
    fcnn::Random shuffle_random_;
    std::vector<std::size_t> order_;  // this epoch's order of the samples
    std::size_t next_ = 0;            // the first sample of the next batch in order_
    std::size_t epoch_ = 0;           // epochs done
    double cost_sum_ = 0;             // this epoch's batch costs, weighted by batch size
    std::size_t correct_ = 0;
    fcnn::Matrix x_, y_;
    fcnn::ForwardPass<double> pass_;
    fcnn::BackpropWorkspace<double> work_;
    std::vector<fcnn::EpochStats> history_;
};

// a^L over a grid x grid raster of the data set's square, row by row from the top (largest y).
std::vector<double> output_grid(const fcnn::Network& net, const DataSet& data, std::size_t grid);

}  // namespace playground
