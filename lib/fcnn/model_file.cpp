// The model file of docs/model-format.md: see model_file.hpp.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <istream>
#include <optional>
#include <ostream>
#include <sstream>

#include "fcnn/atomic_file.hpp"
#include "fcnn/model_file.hpp"
#include "fcnn/npz.hpp"
#include "fcnn/number_text.hpp"

namespace fcnn {

namespace {

constexpr const char* magic = "fcnn-model";
constexpr const char* version = "1";
constexpr std::uint64_t largest_layer = std::uint64_t(1) << 28;  // values; larger headers are refused

std::string joined(const std::vector<std::string>& words) {
    std::string line;
    for (const std::string& word : words) line += (line.empty() ? "" : " ") + word;
    return line;
}

// The lines of a model file, numbered, with blank lines and # comments passed over.
class LineReader {
public:
    LineReader(std::istream& in, std::string source) : in_(in), source_(std::move(source)) {}

    // The words of the next line that says something; `expected` names it if the file ends.
    std::vector<std::string> next(const std::string& expected) {
        std::string line;
        while (std::getline(in_, line)) {
            ++line_number_;
            std::istringstream stream(line);
            std::vector<std::string> words;
            for (std::string word; stream >> word;) words.push_back(word);
            if (!words.empty() && words[0][0] != '#') return words;
        }
        ++line_number_;
        fail("expected " + expected + ", found the end of the file");
    }

    // Whether anything but blank lines and comments is left.
    bool at_end() {
        std::string line;
        while (std::getline(in_, line)) {
            ++line_number_;
            const auto first = line.find_first_not_of(" \t\r");
            if (first != std::string::npos && line[first] != '#') return false;
        }
        return true;
    }

    [[noreturn]] void fail(const std::string& problem) const {
        throw ModelFormatError(source_, line_number_, problem);
    }

private:
    std::istream& in_;
    std::string source_;
    std::size_t line_number_ = 0;
};

// A line "keyword value"; returns the value.
std::string read_field(LineReader& in, const std::string& keyword) {
    const std::vector<std::string> words = in.next("'" + keyword + " <value>'");
    if (words.size() != 2 || words[0] != keyword)
        in.fail("expected '" + keyword + " <value>', found '" + joined(words) + "'");
    return words[1];
}

void read_keyword(LineReader& in, const std::string& keyword) {
    const std::vector<std::string> words = in.next("'" + keyword + "'");
    if (words.size() != 1 || words[0] != keyword) in.fail("expected '" + keyword + "', found '" + joined(words) + "'");
}

// Read as 64 bits whatever the width of std::size_t, so a count too large for a 32-bit build meets
// the same limits, and the same messages, as on a 64-bit one.
std::uint64_t parse_count(LineReader& in, const std::string& word, const std::string& what) {
    const std::optional<std::uint64_t> n = parse_whole_number(word);
    if (!n || *n == 0) in.fail("expected " + what + " as a whole number of at least 1, found '" + word + "'");
    return *n;
}

template <typename Scalar>
Scalar read_number(LineReader& in, const std::string& word, const std::string& where) {
    const ParsedNumber<Scalar> x = parse_number<Scalar>(word);
    if (x.error == NumberError::out_of_range)
        in.fail("expected a finite number in " + where + ", found '" + word + "' (out of range for " + scalar_name<Scalar>() + ")");
    if (!x || !std::isfinite(x.value)) in.fail("expected a finite number in " + where + ", found '" + word + "'");
    return x.value;
}

// "weights" or "biases", then `rows` lines of `cols` numbers. The values are collected as they
// are read and the matrix is made only once all of them are there: a header that promises more
// than the file holds fails at the file's end, having used memory in proportion to what it read.
template <typename Scalar>
BasicMatrix<Scalar> read_matrix(LineReader& in, const std::string& keyword, const std::string& name,
                                std::size_t rows, std::size_t cols) {
    read_keyword(in, keyword);
    std::vector<Scalar> values;  // row by row, as in the file
    for (std::size_t r = 0; r < rows; ++r) {
        const std::string row_name = "row " + std::to_string(r + 1) + " of " + name;
        const std::vector<std::string> words = in.next(row_name);
        if (words.size() != cols)
            in.fail("expected " + std::to_string(cols) + " numbers (" + row_name + "), found " +
                    std::to_string(words.size()) + ": '" + joined(words) + "'");
        for (const std::string& word : words) values.push_back(read_number<Scalar>(in, word, row_name));
    }
    BasicMatrix<Scalar> M(rows, cols);
    std::copy(values.begin(), values.end(), M.values().begin());
    return M;
}

// "layer <l> inputs <n> outputs <n> activation <name>", then its weights and biases.
template <typename Scalar>
BasicLayer<Scalar> read_layer(LineReader& in, std::uint64_t l, std::size_t expected_inputs) {
    const std::string number = std::to_string(l);
    const std::string form = "'layer " + number + " inputs <n> outputs <n> activation <name>'";
    const std::vector<std::string> words = in.next(form);
    if (words.size() != 8 || words[0] != "layer" || words[1] != number || words[2] != "inputs" ||
        words[4] != "outputs" || words[6] != "activation")
        in.fail("expected " + form + ", found '" + joined(words) + "'");
    const std::uint64_t inputs = parse_count(in, words[3], "inputs");
    const std::uint64_t outputs = parse_count(in, words[5], "outputs");
    if (expected_inputs != 0 && inputs != expected_inputs)
        in.fail("layer " + number + " has " + std::to_string(inputs) + " inputs, but the layer before it has " +
                std::to_string(expected_inputs) + " outputs");
    if (inputs > largest_layer / outputs)
        in.fail("layer " + number + " is " + std::to_string(outputs) + "x" + std::to_string(inputs) +
                ", more than the " + std::to_string(largest_layer) + " weights a layer may have");
    std::optional<Activation> activation;
    try {
        activation.emplace(words[7]);
    } catch (const std::invalid_argument& error) {
        in.fail(error.what());
    }
    // Both at most largest_layer (2^28), so they fit a 32-bit std::size_t.
    const std::size_t rows = static_cast<std::size_t>(outputs), cols = static_cast<std::size_t>(inputs);
    BasicMatrix<Scalar> weights = read_matrix<Scalar>(in, "weights", "W^" + number, rows, cols);
    BasicMatrix<Scalar> biases = read_matrix<Scalar>(in, "biases", "b^" + number, rows, 1);
    return {std::move(weights), std::move(biases), *activation};
}

}  // namespace

template <typename Scalar>
void save_model(const BasicNetwork<Scalar>& net, std::ostream& out) {
    const auto layers = net.layers();
    out << magic << ' ' << version << '\n'
        << "# fcnn model (docs/model-format.md): W^l one row per line, then b^l one value per line\n"
        << "cost " << net.cost().name() << '\n'
        << "layers " << layers.size() << '\n';
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const BasicLayer<Scalar>& layer = layers[l];
        out << "layer " << l + 1 << " inputs " << layer.inputs() << " outputs " << layer.outputs()
            << " activation " << layer.activation.name() << "\nweights\n";
        for (std::size_t r = 0; r < layer.outputs(); ++r)
            for (std::size_t c = 0; c < layer.inputs(); ++c)
                out << number_text(layer.weights(r, c)) << (c + 1 == layer.inputs() ? '\n' : ' ');
        out << "biases\n";
        for (std::size_t r = 0; r < layer.outputs(); ++r) out << number_text(layer.biases(r, 0)) << '\n';
    }
    out << "end\n";
}

template <typename Scalar>
void save_model(const BasicNetwork<Scalar>& net, const std::filesystem::path& path) {
    std::ostringstream text;
    save_model(net, text);
    write_file_atomically(path, text.str(), "save");  // str(): Emscripten's libc++ has no ostringstream::view()
}

template <typename Scalar>
BasicNetwork<Scalar> load_model(std::istream& in_stream, const std::string& source) {
    LineReader in(in_stream, source);
    const std::vector<std::string> first = in.next("'fcnn-model 1'");
    if (first.size() != 2 || first[0] != magic)
        in.fail("not an fcnn model: expected 'fcnn-model 1' on the first line, found '" + joined(first) + "'");
    if (first[1] != version)
        in.fail("model format version " + first[1] + " is not supported; this fcnn reads version " + version);

    const std::string cost_name = read_field(in, "cost");
    std::optional<Cost> cost;
    try {
        cost.emplace(cost_name);
    } catch (const std::invalid_argument& error) {
        in.fail(error.what());
    }
    const std::uint64_t count = parse_count(in, read_field(in, "layers"), "the number of layers");

    std::vector<BasicLayer<Scalar>> layers;
    for (std::uint64_t l = 1; l <= count; ++l)
        layers.push_back(read_layer<Scalar>(in, l, layers.empty() ? 0 : layers.back().outputs()));
    read_keyword(in, "end");
    try {
        BasicNetwork<Scalar> network(std::move(layers), *cost);
        if (!in.at_end()) in.fail("unexpected text after 'end'");
        return network;
    } catch (const std::invalid_argument& error) {
        in.fail(error.what());  // e.g. softmax in a hidden layer
    }
}

template <typename Scalar>
BasicNetwork<Scalar> load_model(const std::filesystem::path& path) {
    if (path.extension() == ".npz") return load_npz<Scalar>(path);
    std::ifstream in(path);
    if (!in) throw std::runtime_error("load: cannot open '" + path.string() + "': " + std::strerror(errno));
    return load_model<Scalar>(in, path.string());
}

#define FCNN_INSTANTIATE_MODEL_FILE(Scalar)                                               \
    template void save_model(const BasicNetwork<Scalar>&, std::ostream&);                  \
    template void save_model(const BasicNetwork<Scalar>&, const std::filesystem::path&);   \
    template BasicNetwork<Scalar> load_model(std::istream&, const std::string&);           \
    template BasicNetwork<Scalar> load_model(const std::filesystem::path&);

FCNN_INSTANTIATE_MODEL_FILE(float)
FCNN_INSTANTIATE_MODEL_FILE(double)

}  // namespace fcnn
