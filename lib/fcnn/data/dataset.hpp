// Labelled data for classification: the features of each sample, a class label per sample, and
// the names of the classes. The features are stored one row per sample, as data files hold them;
// the network takes samples as columns (n_features x batch), and reads them from these rows
// through transposed(X_rows), which copies nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fcnn/matrix.hpp"

namespace fcnn::data {

struct Dataset {
    // X_rows: n_samples x n_features, row j the features of sample j. The network's X, samples as
    // columns (n_features x n_samples), is its transpose: train(net, transposed(X_rows), Y, options)
    // gathers each batch's columns straight from these rows. Stored this way because the files are:
    // a copy of Fashion-MNIST into columns would be 188 MB of fresh memory, a page fault per 4 KiB.
    FloatMatrix X_rows;
    std::vector<std::size_t> labels;       // the class of each sample, 0 .. classes() - 1
    std::vector<std::string> class_names;  // the name of each class

    std::size_t samples() const { return labels.size(); }
    std::size_t features() const { return X_rows.cols(); }
    std::size_t classes() const { return class_names.size(); }
};

struct CsvOptions {
    // The column that holds the class label, counting from 0; by default the last one.
    std::optional<std::size_t> label_column = std::nullopt;
    // Whether the first line (after skip_rows) names the columns; by default, when any of its
    // fields other than the label is not a number.
    std::optional<bool> header = std::nullopt;
    // Lines to skip at the top of the file before the header or the data (numpy.loadtxt's skiprows).
    std::size_t skip_rows = 0;
};

// A CSV file (optionally gzipped) of numeric features and a class label. Labels are mapped to
// 0..k-1 in numeric order when they are all numbers, in alphabetical order otherwise; their
// text is kept as the class names. Errors name the line and column: "f.csv:12: column 3: ...".
// Fields may be quoted as RFC 4180 says ("x,y", "" for a quote inside); a UTF-8 byte order mark
// and CRLF line ends are fine. Features must be finite numbers that float can hold: NaN, inf
// and 1e308 are refused with their line and column. scikit-learn's dataset format, whose first
// line is "n_samples,n_features,class_name_0,class_name_1,..." and whose labels are the class
// numbers, is recognised (unless header is false) and its class names are used.
Dataset load_csv(const std::filesystem::path& path, const CsvOptions& options = {});
// The same, from text in memory; `source` names it in errors.
Dataset parse_csv(const std::string& text, const std::string& source, const CsvOptions& options = {});

// A CSV text of features only, no label (what fcnn predict reads): one sample a line, every
// line the same number of fields, each a finite number that float can hold, no header. Quoting,
// a byte order mark and CRLF as for parse_csv. Gives X_rows, samples x n_features: line j of the
// file is row j.
FloatMatrix parse_csv_features(const std::string& text, const std::string& source);

// The UCI optical handwritten digits (1,797 8x8 images, 64 features 0..16, 10 classes), built
// into fcnn from data/digits.csv.gz. Credit: E. Alpaydin and C. Kaynak, UCI (data/README.md).
Dataset load_digits();

// Fashion-MNIST from the folder of its four IDX files (gzipped or not), as Debian's
// dataset-fashion-mnist installs them in /usr/share/datasets/fashion-mnist. part: "train" or
// "t10k". Pixels scaled to [0, 1]; the ten class names of the dataset.
Dataset load_fashion_mnist(const std::filesystem::path& folder, const std::string& part);

// The samples at the given indices, in that order.
Dataset subset(const Dataset& data, const std::vector<std::size_t>& indices);

// A seeded random split: (the rest, a `fraction` of the samples), e.g. train and validation.
std::pair<Dataset, Dataset> split(const Dataset& data, double fraction, std::uint64_t seed);

// One-hot targets: column j has a 1 in row labels[j]. classes x labels.size().
template <typename Scalar>
BasicMatrix<Scalar> one_hot(const std::vector<std::size_t>& labels, std::size_t classes);

// Feature scaling with statistics of the training set only, then applied to every set. Both
// take the features one row per sample (a Dataset's X_rows): feature i is column i.
class Scaler {
public:
    enum class Kind { none, min_max, standardise };  // min_max: to [0, 1]; standardise: mean 0, sd 1
    // The names of the kinds, one table for fcnn train's --scale and the scale file: "none",
    // "min_max", "standardise". kind_of also takes the older --scale spellings "minmax" and
    // "standard"; an unknown name throws std::invalid_argument listing known_names().
    static Kind kind_of(std::string_view name);
    static std::string_view name_of(Kind kind);
    static std::string known_names();  // "none, min_max, standardise"
    static std::vector<std::string_view> known_name_list();  // the same names, one by one, in that order

    Scaler() = default;
    Scaler(Kind kind, const FloatMatrix& training_X_rows);
    void apply(FloatMatrix& X_rows) const;
    Kind kind() const { return kind_; }

    // A small text file, "fcnn-scaler 1", the kind, then "offset scale" per feature, so that
    // data seen later (fcnn evaluate, predict) is scaled as the training data was.
    std::string to_text() const;
    static Scaler from_text(const std::string& text, const std::string& source);

private:
    Kind kind_ = Kind::none;
    std::vector<float> offset_, scale_;  // x -> (x - offset) * scale, per feature (column of X_rows)
};

}  // namespace fcnn::data
