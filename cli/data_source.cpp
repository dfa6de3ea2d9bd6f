#include "data_source.hpp"

#include <filesystem>
#include <stdexcept>

namespace cli {

namespace fs = std::filesystem;
using fcnn::data::Dataset;

namespace {

const fs::path debian_fashion_mnist = "/usr/share/datasets/fashion-mnist";
constexpr double csv_test_fraction = 0.2;  // of a CSV file or of digits, when no test set is given

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
        for (float& x : digits.X.values()) x /= 16;  // features 0..16 to [0, 1]
        return fcnn::data::split(digits, csv_test_fraction, request.seed);
    }
    if (data == "fashion-mnist" || (fs::is_directory(data) && !is_csv(data))) {
        const fs::path folder = data == "fashion-mnist" ? debian_fashion_mnist : fs::path(data);
        if (!fs::exists(folder))
            throw std::runtime_error(folder.string() + " does not exist: install Fashion-MNIST with 'apt-get install dataset-fashion-mnist'");
        return {fcnn::data::load_fashion_mnist(folder, "train"), fcnn::data::load_fashion_mnist(folder, "t10k")};
    }
    if (is_csv(data)) {
        const fcnn::data::CsvOptions options{.label_column = request.label_column};
        Dataset all = fcnn::data::load_csv(data, options);
        if (!request.test) return fcnn::data::split(all, csv_test_fraction, request.seed);
        return {std::move(all), fcnn::data::load_csv(*request.test, options)};
    }
    throw std::runtime_error("--data must be digits, fashion-mnist, a folder of IDX files or a .csv file; '" + data +
                             "' is none of these");
}

}  // namespace

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
    return splits;
}

Dataset load_test_set(const DataRequest& request) {
    return train_and_test(request).second;
}

}  // namespace cli
