#include "data_source.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace cli {

namespace fs = std::filesystem;
using fcnn::data::Dataset;

namespace {

const fs::path debian_fashion_mnist = "/usr/share/datasets/fashion-mnist";
constexpr double csv_test_fraction = 0.2;  // of a CSV file or of digits, when no test set is given

// The folder's four IDX files, each plain or gzipped; the first one missing throws.
void check_idx_folder(const fs::path& folder) {
    for (const char* name : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"})
        if (!fs::is_regular_file(folder / name) && !fs::is_regular_file(folder / (std::string(name) + ".gz")))
            throw std::runtime_error(folder.string() + " is a folder without " + name + " (or " + name +
                                     ".gz): --data takes a CSV file, or a folder of the four IDX files of MNIST or "
                                     "Fashion-MNIST (train- and t10k-, images-idx3-ubyte and labels-idx1-ubyte)");
}

// The test set's labels renumbered as the training set numbers its classes, by name.
void renumber_classes(fcnn::data::Dataset& test, const Dataset& train, const std::string& source) {
    std::vector<std::size_t> number_of(test.classes());
    for (std::size_t k = 0; k < test.classes(); ++k) {
        const auto found = std::find(train.class_names.begin(), train.class_names.end(), test.class_names[k]);
        if (found == train.class_names.end() && std::count(test.labels.begin(), test.labels.end(), k) > 0)
            throw std::runtime_error(source + ": class '" + test.class_names[k] + "' is not one of the " +
                                     std::to_string(train.classes()) + " classes of the training data");
        number_of[k] = static_cast<std::size_t>(found - train.class_names.begin());
    }
    for (std::size_t& label : test.labels) label = number_of[label];
    test.class_names = train.class_names;
}

bool is_csv(const std::string& data) {
    for (const char* ending : {".csv", ".csv.gz"})
        if (data.size() >= std::string(ending).size() && data.compare(data.size() - std::string(ending).size(), std::string::npos, ending) == 0)
            return true;
    return false;
}

// The training and test parts, before validation is split off.
std::pair<Dataset, Dataset> train_and_test(const DataRequest& request) {
    const std::string& data = request.data;
    if (data == "digits") {
        Dataset digits = fcnn::data::load_digits();
        for (float& x : digits.X_rows.values()) x /= 16;  // features 0..16 to [0, 1]
        return fcnn::data::split(digits, csv_test_fraction, request.seed);
    }
    if (data == "fashion-mnist" || (fs::is_directory(data) && !is_csv(data))) {
        const fs::path folder = data == "fashion-mnist" ? debian_fashion_mnist : fs::path(data);
        if (!fs::exists(folder))
            throw std::runtime_error(folder.string() + " does not exist: install Fashion-MNIST with 'apt-get install dataset-fashion-mnist'");
        check_idx_folder(folder);
        return {fcnn::data::load_fashion_mnist(folder, "train"), fcnn::data::load_fashion_mnist(folder, "t10k")};
    }
    if (is_csv(data)) {
        const fcnn::data::CsvOptions options{.label_column = request.label_column, .header = request.header,
                                             .skip_rows = request.skip_rows};
        Dataset all = fcnn::data::load_csv(data, options);
        if (!request.test) return fcnn::data::split(all, csv_test_fraction, request.seed);
        Dataset test = fcnn::data::load_csv(*request.test, options);
        renumber_classes(test, all, *request.test);
        return {std::move(all), std::move(test)};
    }
    throw std::runtime_error("--data must be digits, fashion-mnist, a folder of IDX files or a .csv file; '" + data +
                             "' is none of these");
}

void check_test_set(const Dataset& test, const DataRequest& request) {
    if (test.samples() > 0) return;
    throw std::runtime_error(request.data + ": no test samples: the 20% held out for testing is none of so few samples; "
                             "give more samples, or test data with --test FILE.csv");
}

// A classifier needs two classes, and a training set that holds every class.
void check_training_set(const Splits& splits) {
    const Dataset& train = splits.train;
    if (train.classes() < 2)
        throw std::runtime_error(splits.name + " has " + (train.classes() == 1 ? "only one class, '" + train.class_names[0] + "'" : "no class") +
                                 ": a classifier needs at least 2 (is the label in the column you meant? see --label-column)");
    for (std::size_t k = 0; k < train.classes(); ++k)
        if (std::count(train.labels.begin(), train.labels.end(), k) == 0)
            throw std::runtime_error(splits.name + ": the training set has no sample of class '" + train.class_names[k] +
                                     "': the split left it all to the test or validation set; give more samples of it, "
                                     "or try another --seed");
}

}  // namespace

void read_csv_flags(const Args& args, DataRequest& request) {
    request.skip_rows = args.whole_number("skip-rows", 0);
    const std::string header = args.text("header", "auto");
    if (header != "yes" && header != "no" && header != "auto") args.fail("--header expects yes, no or auto, got '" + header + "'");
    request.header = header == "auto" ? std::nullopt : std::optional<bool>(header == "yes");
}

Splits load_splits(const DataRequest& request) {
    auto [train, test] = train_and_test(request);
    if (test.features() != train.features())
        throw std::runtime_error("the test set has " + std::to_string(test.features()) + " features, the training set " +
                                 std::to_string(train.features()));
    Splits splits;
    splits.name = request.data;
    if (request.validation > 0) {
        auto [rest, validation] = fcnn::data::split(train, request.validation, request.seed + 1);
        splits.train = std::move(rest);
        splits.validation = std::move(validation);
    } else {
        splits.train = std::move(train);
    }
    splits.test = std::move(test);
    check_test_set(splits.test, request);
    check_training_set(splits);
    return splits;
}

Dataset load_test_set(const DataRequest& request) {
    Dataset test = train_and_test(request).second;
    check_test_set(test, request);
    return test;
}

}  // namespace cli
