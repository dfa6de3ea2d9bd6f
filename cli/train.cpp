// fcnn train: load data, build (or load) a network, train it, report and save what was asked.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <type_traits>
#include <unistd.h>

#include <fcnn/fcnn.hpp>
#include <fcnn/number_text.hpp>

#include "args.hpp"
#include "commands.hpp"
#include "data_source.hpp"
#include "known_names.hpp"
#include "output_files.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "saved_model.hpp"

namespace cli {

// The names each flag takes come from the library's tables (known_names.hpp).
std::string train_help() {
    using fcnn::data::Scaler;
    return R"(usage: fcnn train [flags]

Trains a fully connected network on a classification data set and prints its test accuracy
(the last line is "test accuracy: 0.XXXX"). With no flags: the built-in digits, 64-128-10.

data
  --data D            digits (built in, the default), fashion-mnist (Debian's dataset-fashion-mnist),
                      a folder of IDX files, or a .csv/.csv.gz file (label in the last column)
  --test FILE.csv     test data for a CSV set (default: 20% of the file, held out by --seed)
  --label-column N    the CSV column of the label, counting from 0 (default: the last)
  --skip-rows N       CSV: skip the first N lines of the file, such as a title (default 0)
  --header H          CSV: yes (the first line names the columns), no, or auto (the default: a header
                      when a field other than the label is not a number). scikit-learn's format, whose
                      first line is "n_samples,n_features,class names...", is recognised either way
  --validation F      fraction of the training data held out for validation (default 0.1; 0: none)
  --scale S           )" + one_of(Scaler::known_name_list(), "none") + R"(, fitted on the training data:
                      min_max maps each feature to [0, 1], standardise to mean 0 and sd 1 (digits and
                      Fashion-MNIST are always scaled to [0, 1]); saved beside --save as MODEL.scale
network
  --layers L          sizes from inputs to outputs, e.g. 784,256,128,10 (default: inputs,128,classes)
  --activations A     one per layer after the input, e.g. relu,relu,softmax (default: relu..., softmax),
                      each )" + one_of(fcnn::Activation::known_name_list()) + R"(
  --cost C            )" + one_of(fcnn::Cost::known_name_list(), "cross_entropy") + R"( (- or _ alike)
  --init I            )" + one_of(fcnn::Init::known_name_list(), "he") + R"(
  --precision P       float (default) or double
training
  --optimizer O       )" + one_of(fcnn::Optimizer::known_name_list(), "adam") + R"(
  --lr R              learning rate (default 0.001 for adam, 0.1 otherwise)
  --lr-decay D        multiply the learning rate by D after each epoch (default 1: constant)
  --batch N           mini-batch size (default 32)
  --epochs N          passes over the training data (default 30)
  --l2 L              L2 weight decay lambda (default 0)
  --seed S            seed of the weights, the shuffles and the splits (default 1)
  --trace             print backprop's equations for the first batch (for small networks)
  --threads N         threads for the matrix products (default: FCNN_THREADS if set, else every
                      core); the numbers are the same for any count
output
  --save FILE         save the model when training ends (atomically: an old FILE stays whole until then)
  --save-every-epoch  save it after every epoch too
  --load FILE         start from a saved model and train on: its layers, activations, cost, precision
                      and input scaling (FILE.scale) stay; the optimizer's state (momentum, Adam's
                      moments) starts afresh
  --plot FILE.svg     loss and accuracy per epoch, training and validation
  --log FILE.csv      the same numbers as a table
  --weights-image FILE.png   the first layer's weights as a grid of tiles (square inputs only)

examples
  fcnn train
  fcnn train --data fashion-mnist --layers 784,256,128,10 --optimizer sgd --lr 0.1 --epochs 10
  fcnn train --data my.csv --scale standardise --save my.model --plot my.svg
)";
}

namespace {

struct TrainSettings {
    DataRequest request;
    fcnn::data::Scaler::Kind scale = fcnn::data::Scaler::Kind::none;
    std::string cost, init, optimizer, precision;
    std::optional<std::vector<std::size_t>> layers;
    std::optional<std::vector<std::string>> activations;
    double learning_rate = 0, l2 = 0, lr_decay = 1;
    std::size_t batch = 32, epochs = 30;  // the defaults --help shows
    std::uint64_t seed = 1;
    std::size_t threads = 0;  // 0: the default
    bool trace = false, save_every_epoch = false;
    std::string save, load, plot, log, weights_image;
};

const std::set<std::string> valued_flags = {"data", "test", "label-column", "skip-rows", "header", "validation", "scale", "layers", "activations",
                                            "cost", "init", "precision", "optimizer", "lr", "lr-decay", "batch", "epochs", "l2",
                                            "seed", "save", "load", "plot", "log", "weights-image", "threads"};

std::vector<std::size_t> parse_sizes(const Args& args) {
    std::vector<std::size_t> sizes;
    for (const std::string& item : args.list("layers")) {
        const std::optional<std::uint64_t> n = fcnn::parse_whole_number(item);
        if (!n || *n == 0 || *n > SIZE_MAX) args.fail("--layers expects sizes like 784,256,10; '" + item + "' is not a size");
        sizes.push_back(static_cast<std::size_t>(*n));
    }
    if (sizes.size() < 2) args.fail("--layers needs at least an input and an output size");
    return sizes;
}

// Names on the command line may use hyphens, as flags do: cross-entropy means cross_entropy.
std::string underscored(std::string name) {
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
}

TrainSettings parse(const std::vector<std::string>& words) {
    const Args args(words, "fcnn train", valued_flags, {"trace", "save-every-epoch"});
    TrainSettings s;
    s.request = {args.text("data", "digits"), args.number("validation", 0.1), args.seed("seed", 1),
                 args.has("test") ? std::optional(args.text("test", "")) : std::nullopt,
                 args.column("label-column"), 0, std::nullopt};
    read_csv_flags(args, s.request);
    if (!(s.request.validation >= 0 && s.request.validation < 1)) args.fail("--validation must be in [0, 1)");
    try {
        s.scale = fcnn::data::Scaler::kind_of(underscored(args.text("scale", "none")));
    } catch (const std::invalid_argument& unknown) {
        args.fail(std::string("--scale: ") + unknown.what());
    }
    s.cost = underscored(args.text("cost", "cross_entropy"));
    s.init = underscored(args.text("init", "he"));
    s.optimizer = args.text("optimizer", "adam");
    s.precision = args.text("precision", "float");
    if (s.precision != "float" && s.precision != "double") args.fail("--precision must be float or double");
    if (args.has("layers")) s.layers = parse_sizes(args);
    if (args.has("activations")) {
        s.activations = args.list("activations");
        for (std::string& name : *s.activations) name = underscored(name);
    }
    s.learning_rate = args.number("lr", s.optimizer == "adam" ? 0.001 : 0.1);
    s.l2 = args.number("l2", 0);
    s.lr_decay = args.number("lr-decay", 1);
    if (!(s.lr_decay > 0 && s.lr_decay <= 1)) args.fail("--lr-decay must be in (0, 1]");
    s.batch = args.count("batch", s.batch);
    s.epochs = args.count("epochs", s.epochs);
    s.seed = args.seed("seed", 1);
    s.trace = args.has("trace");
    s.threads = args.count("threads", 0);
    if (s.threads > fcnn::max_threads) args.fail("--threads expects at most " + std::to_string(fcnn::max_threads));
    s.save_every_epoch = args.has("save-every-epoch");
    s.save = args.text("save", ""), s.load = args.text("load", ""), s.plot = args.text("plot", "");
    s.log = args.text("log", ""), s.weights_image = args.text("weights-image", "");
    if (s.save_every_epoch && s.save.empty()) args.fail("--save-every-epoch needs --save FILE");
    if (s.load.empty()) return s;
    for (const char* flag : {"layers", "activations", "cost", "init"})
        if (args.has(flag)) args.fail(std::string("--") + flag + " cannot be used with --load: the model file sets it");
    if (args.has("scale"))
        args.fail("--scale cannot be used with --load: the inputs are scaled as " + s.load + ".scale says, or not at all without it");
    if (!args.has("precision")) s.precision = fcnn::saved_from_floats(s.load) ? "float" : "double";
    return s;
}

template <typename Scalar>
fcnn::BasicNetwork<Scalar> make_network(const TrainSettings& s, const Splits& data) {
    if (!s.load.empty()) return fcnn::load_model<Scalar>(std::filesystem::path(s.load));
    const std::vector<std::size_t> sizes = s.layers.value_or(std::vector<std::size_t>{data.train.features(), 128, data.train.classes()});
    std::vector<std::string> activations(sizes.size() - 1, "relu");
    activations.back() = "softmax";
    return fcnn::BasicNetwork<Scalar>(sizes, s.activations.value_or(activations), {.cost = s.cost, .init = s.init, .seed = s.seed});
}

void check_fit(const std::vector<std::size_t>& sizes, const Splits& data) {
    if (sizes.front() != data.train.features())
        throw std::runtime_error("the network takes " + std::to_string(sizes.front()) + " inputs but " + data.name + " has " +
                                 std::to_string(data.train.features()) + " features: make --layers start with " +
                                 std::to_string(data.train.features()));
    if (sizes.back() != data.train.classes())
        throw std::runtime_error("the network has " + std::to_string(sizes.back()) + " outputs but " + data.name + " has " +
                                 std::to_string(data.train.classes()) + " classes: make --layers end with " +
                                 std::to_string(data.train.classes()));
}

std::string joined_sizes(const std::vector<std::size_t>& sizes) {
    std::string text;
    for (std::size_t n : sizes) {
        if (!text.empty()) text += '-';
        text += std::to_string(n);
    }
    return text;
}

// The scaling of the inputs: with --load the one saved beside the model (its weights were
// trained on inputs scaled so), else --scale fitted on the training data's ranges, or none.
std::optional<fcnn::data::Scaler> scaling(const TrainSettings& s, const Splits& data) {
    if (!s.load.empty()) return saved_scaling(s.load);
    if (s.scale == fcnn::data::Scaler::Kind::none) return std::nullopt;
    return fcnn::data::Scaler(s.scale, data.train.X_rows);
}

// Scales every split; returns the scaler's file text (empty for none), which is written beside
// the model only when the model is (save below).
std::string scale_data(const TrainSettings& s, Splits& data) {
    const std::optional<fcnn::data::Scaler> scaler = scaling(s, data);
    if (!scaler) return "";
    if (!s.load.empty()) std::printf("scaling the inputs as %s.scale says\n", s.load.c_str());
    for (fcnn::data::Dataset* part : {&data.train, &data.validation, &data.test})
        if (part->samples() > 0) scaler->apply(part->X_rows);
    return scaler->to_text();
}

// The model and, with --scale, MODEL.scale beside it: after training, or after a finished epoch
// with --save-every-epoch, never before. The two change together or not at all, so evaluate never
// reads a model with the scaling of another; without --scale an old MODEL.scale goes, for the same
// reason. MODEL.scale comes first: if the model's rename fails, the small file is the one put back.
template <typename Scalar>
void save(const TrainSettings& s, const fcnn::BasicNetwork<Scalar>& net, const std::string& scale_text) {
    std::ostringstream model;
    fcnn::save_model(net, model);
    const std::string model_text = model.str();
    const std::string scale_path = s.save + ".scale";
    const bool stale_scale = scale_text.empty() && std::filesystem::is_regular_file(scale_path);
    const fcnn::FileChange pair[] = {
        {scale_path, scale_text.empty() ? std::nullopt : std::optional<std::string_view>(scale_text)},
        {s.save, model_text}};
    fcnn::change_files_together(pair, "save");
    if (stale_scale) std::printf("removed %s: it scaled the inputs of the model %s replaced\n", scale_path.c_str(), s.save.c_str());
}

// What a diverged run left on disk, for the end of its error message.
std::string what_was_saved(const TrainSettings& s, std::size_t epochs_saved) {
    if (s.save.empty()) return "";
    if (epochs_saved == 0) return "; nothing was saved: " + s.save + " is as it was";
    return "; " + s.save + " keeps the checkpoint of epoch " + std::to_string(epochs_saved);
}

// A save that fails stops the run, saying what the files still hold: the checkpoint of epoch
// epochs_saved with --save-every-epoch, or what was there before.
template <typename Scalar>
void save_or_say(const TrainSettings& s, const fcnn::BasicNetwork<Scalar>& net, const std::string& scale_text,
                 std::size_t epochs_saved) {
    try {
        save(s, net, scale_text);
    } catch (const std::runtime_error& error) {
        throw std::runtime_error(error.what() + what_was_saved(s, epochs_saved));
    }
}

template <typename Scalar>
void write_outputs(const TrainSettings& s, const fcnn::BasicNetwork<Scalar>& net, const std::vector<EpochLine>& epochs,
                   const std::string& title, const std::string& scale_text) {
    if (!s.save.empty()) save_or_say(s, net, scale_text, s.save_every_epoch ? epochs.size() : 0);
    if (!s.plot.empty()) fcnn::write_file_atomically(s.plot, training_plot_svg(epochs, title), "fcnn train");
    if (!s.log.empty()) fcnn::write_file_atomically(s.log, training_log_csv(epochs), "fcnn train");
    if (!s.weights_image.empty())
        fcnn::write_file_atomically(s.weights_image, weights_png(fcnn::converted<double>(net.layers()[0].weights)), "fcnn train");
}

// train() on the samples as the data set holds them, one row per sample, which train() reads as
// columns through transposed(). In float that is the loaded data itself: no copy of it (188 MB
// for Fashion-MNIST, a page fault per 4 KiB). Double needs a converted copy, in the same layout.
template <typename Scalar>
void train_on_rows(fcnn::BasicNetwork<Scalar>& net, const fcnn::FloatMatrix& X_rows, const fcnn::BasicMatrix<Scalar>& Y,
                   const fcnn::TrainOptions& options) {
    if constexpr (std::is_same_v<Scalar, float>) {
        fcnn::train(net, fcnn::transposed(X_rows), Y, options);
    } else {
        const fcnn::BasicMatrix<Scalar> X_rows_converted = fcnn::converted<Scalar>(X_rows);
        fcnn::train(net, fcnn::transposed(X_rows_converted), Y, options);
    }
}

template <typename Scalar>
int run(const TrainSettings& s, Splits& data, const std::string& scale_text) {
    fcnn::BasicNetwork<Scalar> net = make_network<Scalar>(s, data);
    check_fit(net.sizes(), data);
    const std::string title = data.name + ", network " + joined_sizes(net.sizes()) + ", " + s.optimizer;
    std::printf("data: %s, %zu training, %zu validation, %zu test samples, %zu features, %zu classes\n", data.name.c_str(),
                data.train.samples(), data.validation.samples(), data.test.samples(), data.train.features(), data.train.classes());
    std::printf("network %s, cost %s; %s, learning rate %g, batch %zu, %zu epoch%s, %s, seed %llu\n", joined_sizes(net.sizes()).c_str(),
                std::string(net.cost().name()).c_str(), s.optimizer.c_str(), s.learning_rate, s.batch, s.epochs,
                s.epochs == 1 ? "" : "s", s.precision.c_str(), static_cast<unsigned long long>(s.seed));
    std::fflush(stdout);

    Progress progress(std::cout, isatty(fileno(stdout)) != 0, s.epochs, s.batch);
    std::vector<EpochLine> epochs;
    auto epoch_start = std::chrono::steady_clock::now();
    if (s.trace) net.set_trace(&std::cout);
    const auto Y = fcnn::data::one_hot<Scalar>(data.train.labels, data.train.classes());
    fcnn::TrainOptions options{.batch_size = s.batch,
                               .epochs = s.epochs,
                               .optimizer = {.name = s.optimizer, .learning_rate = s.learning_rate, .l2 = s.l2},
                               .seed = s.seed,
                               .learning_rate_decay = s.lr_decay};
    options.on_epoch = [&](const fcnn::EpochStats& stats) {
        EpochLine line{stats.epoch, stats.loss, stats.accuracy.value_or(0), {}, {}, 0};
        if (data.validation.samples() > 0) {
            const Scores validation = score(net, data.validation);
            line.validation_loss = validation.loss, line.validation_accuracy = validation.accuracy;
        }
        line.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start).count();
        progress.epoch(line);
        epochs.push_back(line);
        if (s.save_every_epoch) save_or_say(s, net, scale_text, epochs.size() - 1);
        epoch_start = std::chrono::steady_clock::now();
    };
    options.on_batch = [&](std::size_t done, std::size_t total, double cost) {
        net.set_trace(nullptr);  // --trace shows the first batch only
        progress.batch(done, total, cost);
    };
    try {
        train_on_rows(net, data.train.X_rows, Y, options);
    } catch (const fcnn::TrainingDiverged& diverged) {
        std::cout << std::flush;
        throw std::runtime_error(diverged.what() + what_was_saved(s, s.save_every_epoch ? epochs.size() : 0));
    }
    write_outputs(s, net, epochs, title, scale_text);

    const fcnn::ConfusionMatrix confusion(data.test.labels, score(net, data.test).predicted, data.test.classes());
    std::cout << confusion.to_string(data.test.class_names);
    std::printf("test accuracy: %.4f\n", confusion.accuracy());
    return 0;
}

}  // namespace

int train(const std::vector<std::string>& words) {
    const TrainSettings settings = parse(words);
    fcnn::set_thread_count(settings.threads);  // before the data: a bad FCNN_THREADS stops here
    Splits data = load_splits(settings.request);
    const std::string scale_text = scale_data(settings, data);
    return settings.precision == "float" ? run<float>(settings, data, scale_text) : run<double>(settings, data, scale_text);
}

}  // namespace cli
