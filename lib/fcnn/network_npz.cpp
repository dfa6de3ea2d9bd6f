// A network as NumPy arrays (npz.hpp): PyTorch's names for the parameters of
// nn.Sequential(Linear, act, Linear, act, ...), and one string array "fcnn" such as
//
//   fcnn-npz 1 cost cross_entropy activations sigmoid,softmax
//
// which PyTorch does not need (load_state_dict takes the others) and fcnn reads back.
#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include "fcnn/atomic_file.hpp"
#include "fcnn/npz.hpp"
#include "fcnn/number_text.hpp"
#include "fcnn/saved_precision.hpp"

namespace fcnn {

namespace {

constexpr const char* npz_magic = "fcnn-npz";
constexpr const char* npz_version = "1";

[[noreturn]] void fail(const std::string& source, const std::string& problem) {
    throw std::runtime_error(source + ": " + problem);
}

std::string joined(const std::vector<std::string>& words, const char* separator) {
    std::string text;
    for (const std::string& word : words) {
        if (!text.empty()) text += separator;
        text += word;
    }
    return text;
}

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> items;
    std::istringstream in(text);
    for (std::string item; std::getline(in, item, separator);) items.push_back(item);
    return items;
}

template <typename Scalar>
NpyArray array_of(const BasicMatrix<Scalar>& M, std::vector<std::size_t> shape, NpyArray::Type type) {
    NpyArray array{type, std::move(shape), {}, {}};
    array.values.assign(M.values().begin(), M.values().end());
    return array;
}

// The cost and activations that the "fcnn" array names, e.g. "fcnn-npz 1 cost quadratic activations sigmoid,sigmoid".
NpzModelOptions read_description(const NpyArray& array, const std::string& source) {
    const std::string form = "'fcnn-npz 1 cost <name> activations <name>,<name>,...'";
    if (array.type != NpyArray::Type::text) fail(source, "the array 'fcnn' should be a string " + form + ", but it holds numbers");
    std::istringstream in(array.text);
    std::vector<std::string> words;
    for (std::string word; in >> word;) words.push_back(word);
    if (words.size() != 6 || words[0] != npz_magic || words[2] != "cost" || words[4] != "activations")
        fail(source, "the array 'fcnn' should read " + form + ", but reads '" + array.text + "'");
    if (words[1] != npz_version)
        fail(source, "fcnn-npz version " + words[1] + " is not supported; this fcnn reads version " + npz_version);
    return {split(words[5], ','), words[3]};
}

// The layer numbers k of the arrays "k.weight" and "k.bias", in order.
std::vector<std::size_t> layer_keys(const std::map<std::string, NpyArray>& arrays, const std::string& source) {
    std::vector<std::size_t> keys;
    for (const auto& [name, array] : arrays) {
        if (name == "fcnn") continue;
        const std::size_t dot = name.find('.');
        const std::optional<std::uint64_t> k = parse_whole_number(name.substr(0, dot == std::string::npos ? 0 : dot));
        const std::string suffix = dot == std::string::npos ? "" : name.substr(dot + 1);
        if (!k || *k > SIZE_MAX || (suffix != "weight" && suffix != "bias"))
            fail(source, "unexpected array '" + name +
                             "': expected the parameters of an nn.Sequential of Linear layers (0.weight, 0.bias, 2.weight, ...) and 'fcnn'");
        if (std::find(keys.begin(), keys.end(), *k) == keys.end()) keys.push_back(static_cast<std::size_t>(*k));
    }
    std::sort(keys.begin(), keys.end());
    if (keys.empty()) fail(source, "the archive has no layers: expected arrays 0.weight, 0.bias, ...");
    return keys;
}

const NpyArray& find_array(const std::map<std::string, NpyArray>& arrays, const std::string& name, const std::string& source) {
    const auto found = arrays.find(name);
    if (found == arrays.end()) fail(source, "the array '" + name + "' is missing");
    if (found->second.type == NpyArray::Type::text) fail(source, "the array '" + name + "' holds a string, not numbers");
    return found->second;
}

template <typename Scalar>
BasicMatrix<Scalar> matrix_of(const NpyArray& array, std::size_t rows, std::size_t cols) {
    BasicMatrix<Scalar> M(rows, cols);
    for (std::size_t i = 0; i < array.values.size(); ++i) M.values()[i] = static_cast<Scalar>(array.values[i]);
    return M;
}

std::string shape_text(const std::vector<std::size_t>& shape) {
    std::string text;
    for (std::size_t d : shape) {
        if (!text.empty()) text += 'x';
        text += std::to_string(d);
    }
    return "(" + text + ")";
}

// Where the archive and the caller both say what the layers are, they must agree.
NpzModelOptions description(const std::map<std::string, NpyArray>& arrays, const std::string& source,
                            const NpzModelOptions& options) {
    const auto found = arrays.find("fcnn");
    if (found == arrays.end()) {
        if (options.activations.empty() || options.cost.empty())
            fail(source, "the archive has no 'fcnn' array naming the activations and the cost (a PyTorch state_dict?); "
                         "give them, e.g. fcnn convert IN OUT --activations relu,softmax --cost cross_entropy");
        return options;
    }
    const NpzModelOptions stored = read_description(found->second, source);
    if (!options.activations.empty() && options.activations != stored.activations)
        fail(source, "the archive's activations are " + joined(stored.activations, ",") + ", but " +
                         joined(options.activations, ",") + " were given");
    if (!options.cost.empty() && options.cost != stored.cost)
        fail(source, "the archive's cost is " + stored.cost + ", but " + options.cost + " was given");
    return stored;
}

}  // namespace

template <typename Scalar>
NpzArrays npz_arrays(const BasicNetwork<Scalar>& network) {
    const NpyArray::Type type = all_exact_floats(network) ? NpyArray::Type::float32 : NpyArray::Type::float64;
    NpzArrays arrays;
    std::vector<std::string> activations;
    for (std::size_t l = 0; l < network.layers().size(); ++l) {
        const BasicLayer<Scalar>& layer = network.layers()[l];
        const std::string k = std::to_string(2 * l);  // nn.Sequential's index: Linear, act, Linear, act, ...
        arrays.emplace_back(k + ".weight", array_of(layer.weights, {layer.outputs(), layer.inputs()}, type));
        arrays.emplace_back(k + ".bias", array_of(layer.biases, {layer.outputs()}, type));
        activations.emplace_back(layer.activation.name());
    }
    NpyArray description{NpyArray::Type::text, {}, {}, {}};
    description.text = std::string(npz_magic) + " " + npz_version + " cost " + std::string(network.cost().name()) +
                       " activations " + joined(activations, ",");
    arrays.emplace_back("fcnn", std::move(description));
    return arrays;
}

template <typename Scalar>
BasicNetwork<Scalar> network_from_npz(const std::map<std::string, NpyArray>& arrays, const std::string& source,
                                      const NpzModelOptions& options) {
    const std::vector<std::size_t> keys = layer_keys(arrays, source);
    const NpzModelOptions described = description(arrays, source, options);
    if (described.activations.size() != keys.size())
        fail(source, "the archive has " + std::to_string(keys.size()) + " layers, but " +
                         std::to_string(described.activations.size()) + " activations are named (" +
                         joined(described.activations, ",") + "): give one per layer");
    std::vector<BasicLayer<Scalar>> layers;
    for (std::size_t l = 0; l < keys.size(); ++l) {
        const std::string k = std::to_string(keys[l]);
        const NpyArray& W = find_array(arrays, k + ".weight", source);
        const NpyArray& b = find_array(arrays, k + ".bias", source);
        if (W.shape.size() != 2 || W.shape[0] == 0 || W.shape[1] == 0)
            fail(source, "'" + k + ".weight' should be a matrix n_out x n_in, but its shape is " + shape_text(W.shape));
        const std::size_t outputs = W.shape[0], inputs = W.shape[1];
        if (!(b.shape == std::vector<std::size_t>{outputs} || b.shape == std::vector<std::size_t>{outputs, 1}))
            fail(source, "'" + k + ".bias' should have shape (" + std::to_string(outputs) + ") to match '" + k +
                             ".weight' " + shape_text(W.shape) + ", but its shape is " + shape_text(b.shape));
        if (!layers.empty() && layers.back().outputs() != inputs)
            fail(source, "'" + k + ".weight' " + shape_text(W.shape) + " takes " + std::to_string(inputs) +
                             " inputs, but the layer before it gives " + std::to_string(layers.back().outputs()) + " outputs");
        try {
            layers.push_back({matrix_of<Scalar>(W, outputs, inputs), matrix_of<Scalar>(b, outputs, 1),
                              Activation(described.activations[l])});
        } catch (const std::invalid_argument& error) {
            fail(source, error.what());
        }
    }
    try {
        return BasicNetwork<Scalar>(std::move(layers), Cost(described.cost));
    } catch (const std::invalid_argument& error) {
        fail(source, error.what());
    }
}

template <typename Scalar>
void save_npz(const BasicNetwork<Scalar>& network, const std::filesystem::path& path) {
    write_file_atomically(path, npz_bytes(npz_arrays(network)), "save_npz");
}

template <typename Scalar>
BasicNetwork<Scalar> load_npz(const std::filesystem::path& path, const NpzModelOptions& options) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(path.string(), "cannot open the file");
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return network_from_npz<Scalar>(parse_npz(bytes, path.string()), path.string(), options);
}

#define FCNN_INSTANTIATE_NPZ(Scalar)                                                                          \
    template NpzArrays npz_arrays(const BasicNetwork<Scalar>&);                                               \
    template BasicNetwork<Scalar> network_from_npz(const std::map<std::string, NpyArray>&, const std::string&, \
                                                   const NpzModelOptions&);                                    \
    template void save_npz(const BasicNetwork<Scalar>&, const std::filesystem::path&);                        \
    template BasicNetwork<Scalar> load_npz(const std::filesystem::path&, const NpzModelOptions&);

FCNN_INSTANTIATE_NPZ(float)
FCNN_INSTANTIATE_NPZ(double)

}  // namespace fcnn
