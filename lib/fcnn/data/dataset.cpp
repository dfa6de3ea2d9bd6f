#include "fcnn/data/dataset.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <numeric>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "fcnn/data/gzip.hpp"
#include "fcnn/data/idx.hpp"
#include "fcnn/names.hpp"
#include "fcnn/number_text.hpp"
#include "fcnn/random.hpp"

namespace fcnn::data {

namespace {

#include "digits_csv_gz.inc"  // digits_csv_gz: the bytes of data/digits.csv.gz

using ScalerKind = Scaler::Kind;
constexpr names::Table<ScalerKind, 3> scaler_names = {
    {{"none", ScalerKind::none}, {"min_max", ScalerKind::min_max}, {"standardise", ScalerKind::standardise}}};
// What fcnn train's --scale took before it and the scale file shared the table above: still read.
constexpr names::Table<ScalerKind, 2> old_scaler_names = {{{"minmax", ScalerKind::min_max}, {"standard", ScalerKind::standardise}}};

}  // namespace

Dataset load_digits() {
    const std::vector<std::uint8_t> bytes = gunzip(digits_csv_gz, "digits.csv.gz");
    return parse_csv(std::string(bytes.begin(), bytes.end()), "digits.csv.gz", {});
}

Dataset load_fashion_mnist(const std::filesystem::path& folder, const std::string& part) {
    if (part != "train" && part != "t10k")
        throw std::invalid_argument("load_fashion_mnist: part must be 'train' or 't10k', got '" + part + "'");
    const auto file = [&](const std::string& kind) {
        const std::filesystem::path plain = folder / (part + "-" + kind);
        return std::filesystem::exists(plain) ? plain : std::filesystem::path(plain.string() + ".gz");
    };
    Dataset data;
    const IdxImages images = read_idx_images(file("images-idx3-ubyte"));
    data.X_rows = images_as_rows<float>(images);
    data.labels = read_idx_labels(file("labels-idx1-ubyte"), 10);
    if (data.labels.size() != images.count)
        throw std::runtime_error(folder.string() + ": " + std::to_string(images.count) + " images but " +
                                 std::to_string(data.labels.size()) + " labels");
    data.class_names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                        "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    return data;
}

Dataset subset(const Dataset& data, const std::vector<std::size_t>& indices) {
    for (std::size_t i : indices)
        if (i >= data.samples())
            throw std::invalid_argument("subset: sample " + std::to_string(i) + " is out of range: the data has " +
                                        std::to_string(data.samples()) + " samples");
    Dataset part;
    part.X_rows = FloatMatrix(indices.size(), data.features());
    for (std::size_t k = 0; k < indices.size(); ++k) {  // row k of the part is row indices[k] of the data
        for (std::size_t i = 0; i < data.features(); ++i) part.X_rows(k, i) = data.X_rows(indices[k], i);
        part.labels.push_back(data.labels[indices[k]]);
    }
    part.class_names = data.class_names;
    return part;
}

std::pair<Dataset, Dataset> split(const Dataset& data, double fraction, std::uint64_t seed) {
    if (!(fraction >= 0 && fraction < 1)) throw std::invalid_argument("split: fraction must be in [0, 1), got " + std::to_string(fraction));
    std::vector<std::size_t> order(data.samples());
    std::iota(order.begin(), order.end(), std::size_t(0));
    Random(seed).shuffle(order);
    const auto held_out = static_cast<std::size_t>(fraction * static_cast<double>(order.size()));
    const std::vector<std::size_t> rest(order.begin() + static_cast<std::ptrdiff_t>(held_out), order.end());
    const std::vector<std::size_t> part(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(held_out));
    return {subset(data, rest), subset(data, part)};
}

template <typename Scalar>
BasicMatrix<Scalar> one_hot(const std::vector<std::size_t>& labels, std::size_t classes) {
    BasicMatrix<Scalar> Y(classes, labels.size());
    for (std::size_t j = 0; j < labels.size(); ++j) {
        if (labels[j] >= classes)
            throw std::invalid_argument("one_hot: label " + std::to_string(labels[j]) + " of sample " + std::to_string(j) +
                                        " is not below the " + std::to_string(classes) + " classes");
        Y(labels[j], j) = 1;
    }
    return Y;
}

template BasicMatrix<float> one_hot(const std::vector<std::size_t>&, std::size_t);
template BasicMatrix<double> one_hot(const std::vector<std::size_t>&, std::size_t);

// The statistics of each feature (column i of X_rows), summed over the samples in their order.
Scaler::Scaler(Kind kind, const FloatMatrix& X_rows)
    : kind_(kind), offset_(X_rows.cols(), 0.0f), scale_(X_rows.cols(), 1.0f) {
    if (kind == Kind::none || X_rows.rows() == 0) return;
    const std::size_t features = X_rows.cols();
    std::vector<double> low(features), high(features), sum(features, 0.0), squares(features, 0.0);
    for (std::size_t i = 0; i < features; ++i) low[i] = high[i] = X_rows(0, i);
    for (std::size_t j = 0; j < X_rows.rows(); ++j)  // sample by sample: X_rows is read in order
        for (std::size_t i = 0; i < features; ++i) {
            const double x = X_rows(j, i);
            low[i] = std::min(low[i], x);
            high[i] = std::max(high[i], x);
            sum[i] += x;
            squares[i] += x * x;
        }
    const double n = static_cast<double>(X_rows.rows());
    for (std::size_t i = 0; i < features; ++i) {
        const double mean = sum[i] / n;
        const double spread = kind == Kind::min_max ? high[i] - low[i] : std::sqrt(std::max(0.0, squares[i] / n - mean * mean));
        offset_[i] = static_cast<float>(kind == Kind::min_max ? low[i] : mean);
        scale_[i] = spread > 0 ? static_cast<float>(1 / spread) : 1.0f;  // a constant feature stays put
    }
}

void Scaler::apply(FloatMatrix& X_rows) const {
    if (kind_ == Kind::none) return;
    if (X_rows.cols() != offset_.size())
        throw std::invalid_argument("Scaler::apply: fitted to " + std::to_string(offset_.size()) + " features, X has " +
                                    std::to_string(X_rows.cols()));
    for (std::size_t j = 0; j < X_rows.rows(); ++j)
        for (std::size_t i = 0; i < X_rows.cols(); ++i) X_rows(j, i) = (X_rows(j, i) - offset_[i]) * scale_[i];
}

Scaler::Kind Scaler::kind_of(std::string_view name) { return names::kind_of(scaler_names, old_scaler_names, name, "scaling"); }

std::string_view Scaler::name_of(Kind kind) { return names::name_of(scaler_names, kind); }

std::string Scaler::known_names() { return names::list(scaler_names); }

std::vector<std::string_view> Scaler::known_name_list() { return names::in_order(scaler_names); }

std::string Scaler::to_text() const {
    std::string out = "fcnn-scaler 1\n" + std::string(name_of(kind_)) + " " + std::to_string(offset_.size()) + "\n";
    for (std::size_t i = 0; i < offset_.size(); ++i) out += number_text(offset_[i]) + " " + number_text(scale_[i]) + "\n";
    return out;
}

// The count on the second line is checked against the lines that follow, never trusted to size
// anything: a damaged count fails having used memory in proportion to the file.
Scaler Scaler::from_text(const std::string& text, const std::string& source) {
    std::istringstream in(text);
    std::string magic, version, kind, count;
    if (!(in >> magic >> version) || magic != "fcnn-scaler" || version != "1")
        throw std::runtime_error(source + ": not an fcnn scaler file: expected 'fcnn-scaler 1' first");
    const std::optional<std::uint64_t> counted = in >> kind >> count ? parse_whole_number(count) : std::nullopt;
    if (!counted)
        throw std::runtime_error(source + ": expected the kind (" + known_names() + ") and the number of features");
    const std::uint64_t features = *counted;  // 64 bits on every build: a huge count fails below, the same on 32-bit
    Scaler scaler;
    try {
        scaler.kind_ = kind_of(kind);
    } catch (const std::invalid_argument& unknown) {
        throw std::runtime_error(source + ": " + unknown.what());
    }
    for (std::string offset, scale; scaler.offset_.size() < features && in >> offset >> scale;) {
        const ParsedNumber<float> parsed_offset = fcnn::parse_number<float>(offset), parsed_scale = fcnn::parse_number<float>(scale);
        if (!parsed_offset || !parsed_scale) break;  // reported below as a line short
        scaler.offset_.push_back(parsed_offset.value);
        scaler.scale_.push_back(parsed_scale.value);
    }
    if (scaler.offset_.size() != features)
        throw std::runtime_error(source + ": expected " + std::to_string(features) + " lines of 'offset scale', found " +
                                 std::to_string(scaler.offset_.size()));
    if (!(in >> std::ws).eof())
        throw std::runtime_error(source + ": unexpected text after the last 'offset scale' line (the file says " +
                                 std::to_string(features) + " features)");
    return scaler;
}

}  // namespace fcnn::data
