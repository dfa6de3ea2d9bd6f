#include "feed.hpp"

#include <initializer_list>
#include <map>
#include <optional>
#include <sstream>
#include <string_view>

#include <fcnn/data/dataset.hpp>
#include <fcnn/data/gzip.hpp>
#include <fcnn/data/idx.hpp>
#include <fcnn/model_file.hpp>
#include <fcnn/network.hpp>
#include <fcnn/npz.hpp>

namespace fcnn_fuzz {

namespace {

const std::string source = "fuzz";  // what every feed calls its input in error messages

std::string text_of(Bytes input) { return std::string(input.begin(), input.end()); }

void expect(bool condition, const std::string& what) {
    if (!condition) throw UnexpectedOutcome(what);
}

// A network that loaded must save and load again to the same layers and cost.
template <typename Scalar>
void load_and_save_model(const std::string& text) {
    std::istringstream in(text);
    std::optional<fcnn::BasicNetwork<Scalar>> network;
    try {
        network.emplace(fcnn::load_model<Scalar>(in, source));
    } catch (const fcnn::ModelFormatError& error) {
        expect_message(error, {source + ":"});
        return;
    }
    std::stringstream saved;
    fcnn::save_model(*network, saved);
    const fcnn::BasicNetwork<Scalar> again = fcnn::load_model<Scalar>(saved, "saved");
    expect(again.cost() == network->cost() && again.layers().size() == network->layers().size(),
           "a saved model reads back with another cost or another number of layers");
    for (std::size_t l = 0; l < again.layers().size(); ++l) {
        const auto &a = again.layers()[l], &b = network->layers()[l];
        expect(a.weights == b.weights && a.biases == b.biases && a.activation == b.activation,
               "layer " + std::to_string(l + 1) + " of a saved model reads back different");
    }
}

}  // namespace

void expect_message(const std::exception& error, std::initializer_list<std::string_view> prefixes) {
    const std::string_view message = error.what();
    for (std::string_view prefix : prefixes)
        if (message.substr(0, prefix.size()) == prefix) return;
    throw UnexpectedOutcome(std::string("an error that is not fcnn's own: ") + error.what());
}

void feed_model_file(Bytes input) {
    const std::string text = text_of(input);
    load_and_save_model<double>(text);
    load_and_save_model<float>(text);
}

void feed_scaler(Bytes input) {
    std::string written;
    try {
        written = fcnn::data::Scaler::from_text(text_of(input), source).to_text();
    } catch (const std::runtime_error& error) {
        expect_message(error, {source + ":"});
        return;
    }
    expect(fcnn::data::Scaler::from_text(written, "written").to_text() == written,
           "a scaler written as text reads back different:\n" + written);
}

void feed_csv(Bytes input) {
    if (input.empty()) return;
    // The first byte chooses the options: the header (auto, yes, no) and the label column.
    fcnn::data::CsvOptions options;
    const unsigned header = input[0] % 3, label = (input[0] / 3) % 4;
    if (header != 0) options.header = header == 1;
    if (label != 0) options.label_column = label - 1;
    fcnn::data::Dataset data;
    try {
        data = fcnn::data::parse_csv(text_of(input.subspan(1)), source, options);
    } catch (const std::runtime_error& error) {
        expect_message(error, {source + ":"});
        return;
    }
    expect(data.X_rows.rows() == data.samples() && data.features() >= 1 && data.classes() >= 1,
           "a parsed CSV with inconsistent sizes: X_rows is " + data.X_rows.shape() + " for " + std::to_string(data.samples()) +
               " labels");
    for (std::size_t label_of_sample : data.labels) expect(label_of_sample < data.classes(), "a label past the classes");
}

void feed_idx(Bytes input) {
    try {
        const fcnn::data::IdxImages images = fcnn::data::parse_idx_images(input, source);
        expect(images.pixels.size() == images.count * images.rows * images.cols, "IDX images of another size than promised");
        const fcnn::FloatMatrix X_rows = fcnn::data::images_as_rows<float>(images);
        expect(X_rows.rows() == images.count && X_rows.cols() == images.rows * images.cols, "IDX images as rows of another shape");
    } catch (const std::runtime_error& error) {
        expect_message(error, {source + ":"});
    }
    try {
        const std::vector<std::size_t> labels = fcnn::data::parse_idx_labels(input, source, 10);
        expect(labels.size() + 8 == input.size(), "IDX labels of another count than the file holds");
    } catch (const std::runtime_error& error) {
        expect_message(error, {source + ":"});
    }
}

void feed_gzip(Bytes input) {
    try {
        fcnn::data::gunzip(input, source);
    } catch (const std::runtime_error& error) {
        expect_message(error, {source + ":"});
    }
    std::vector<std::uint8_t> out;
    try {
        const std::size_t used = fcnn::data::inflate_into(out, input);
        expect(used <= input.size(), "inflate_into says it used more bytes than it was given");
    } catch (const std::runtime_error& error) {
        expect_message(error, {"corrupt DEFLATE data: ", "the data decompresses to more than"});
    }
}

void feed_npz(Bytes input) {
    std::map<std::string, fcnn::NpyArray> arrays;
    try {
        arrays = fcnn::parse_npz(input, source);
    } catch (const std::runtime_error& error) {
        expect_message(error, {source + ":", source + " ("});
        return;
    }
    // An archive without the "fcnn" array (a PyTorch state_dict) is read as two sigmoid layers.
    const fcnn::NpzModelOptions options{{"sigmoid", "sigmoid"}, "quadratic"};
    for (const fcnn::NpzModelOptions& given : {fcnn::NpzModelOptions{}, options}) {
        try {
            const fcnn::Network network = fcnn::network_from_npz<double>(arrays, source, given);
            const fcnn::Network again = fcnn::network_from_npz<double>(fcnn::parse_npz(fcnn::npz_bytes(fcnn::npz_arrays(network)), "saved"), "saved");
            expect(again.layers().size() == network.layers().size() && again.cost() == network.cost(),
                   "a network read from an .npz reads back with another cost or another number of layers");
            for (std::size_t l = 0; l < again.layers().size(); ++l)
                expect(again.layers()[l].weights == network.layers()[l].weights && again.layers()[l].biases == network.layers()[l].biases,
                       "layer " + std::to_string(l + 1) + " of a network read from an .npz reads back different");
        } catch (const std::runtime_error& error) {
            expect_message(error, {source + ":"});
        }
    }
}

const std::vector<Target>& targets() {
    static const std::vector<Target> all = {
        {"model_file", feed_model_file}, {"scaler", feed_scaler}, {"csv", feed_csv},
        {"idx", feed_idx},               {"gzip", feed_gzip},     {"npz", feed_npz},
    };
    return all;
}

}  // namespace fcnn_fuzz
