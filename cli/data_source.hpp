// Where `--data` points: the built-in digits, Fashion-MNIST, a folder of IDX files or a CSV file,
// cut into training, validation and test sets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <fcnn/data/dataset.hpp>

#include "args.hpp"

namespace cli {

struct Splits {
    fcnn::data::Dataset train, validation, test;
    std::string name;  // "digits", "fashion-mnist", or the path
};

struct DataRequest {
    std::string data = "digits";       // digits | fashion-mnist | FOLDER | FILE.csv
    double validation = 0.1;           // the fraction of the training set held out for validation
    std::uint64_t seed = 1;            // for the splits
    std::optional<std::string> test;   // a CSV file of test data; otherwise 20% of the CSV is held out
    std::optional<std::size_t> label_column;
    std::size_t skip_rows = 0;         // lines to skip at the top of a CSV file (--skip-rows)
    std::optional<bool> header;        // --header yes | no | auto (nullopt)
};

// --skip-rows N and --header yes|no|auto into request, for the commands that read CSV files.
void read_csv_flags(const Args& args, DataRequest& request);


// Digits are scaled from 0..16 to [0, 1] and Fashion-MNIST from 0..255 to [0, 1]; CSV features are
// left as they are (see --scale). Throws std::runtime_error when the data cannot be read, or
// cannot train a classifier: fewer than 2 classes, no test samples, a class missing from training.
Splits load_splits(const DataRequest& request);

// The test set alone, as load_splits would cut it (for fcnn evaluate and predict).
fcnn::data::Dataset load_test_set(const DataRequest& request);

}  // namespace cli
