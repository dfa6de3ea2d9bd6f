// fcnn convert: a model from one file format to another, chosen by the files' extensions.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <stdexcept>

#include <fcnn/fcnn.hpp>
#include <fcnn/npz.hpp>
#include <fcnn/number_text.hpp>
#include <fcnn/onnx.hpp>

#include "args.hpp"
#include "commands.hpp"

namespace cli {

const char* const convert_help = R"(usage: fcnn convert IN OUT [--activations A,B,...] [--cost C]

Converts a model by the files' extensions:
  .model   fcnn's text format (docs/model-format.md)
  .npz     NumPy arrays named as PyTorch names an nn.Sequential's parameters (0.weight, 0.bias,
           2.weight, ...), plus 'fcnn', the activations and the cost (tutorials/09-pytorch)
  .onnx    ONNX, Gemm and activation nodes (written only), for Netron or onnxruntime
The numbers are copied exactly. IN.scale, the scaling fcnn train saved, is copied to OUT.scale.

  --activations A     for an .npz without the 'fcnn' array (a PyTorch state_dict): one
                      activation per layer, e.g. relu,relu,softmax
  --cost C            for such an .npz: the cost, e.g. cross_entropy

examples
  fcnn convert fashion.model fashion.npz
  fcnn convert torch.npz torch.model --activations relu,relu,softmax --cost cross_entropy
  fcnn convert fashion.model fashion.onnx
)";

namespace {

enum class Format { text, npz, onnx };

Format format_of(const Args& args, const std::filesystem::path& path, bool output) {
    const std::string extension = path.extension().string();
    if (extension == ".model") return Format::text;
    if (extension == ".npz") return Format::npz;
    if (extension == ".onnx" && output) return Format::onnx;
    args.fail("cannot tell the format of '" + path.string() + "' from its extension: expected .model or .npz" +
              (output ? " or .onnx" : " (.onnx is written, not read)"));
}

// The same layers in float: a network whose every value is exactly a float was trained in float,
// and its text file is shorter written as floats (the same numbers).
fcnn::FloatNetwork as_float(const fcnn::Network& net) {
    std::vector<fcnn::FloatLayer> layers;
    for (const fcnn::Layer& layer : net.layers())
        layers.push_back({fcnn::converted<float>(layer.weights), fcnn::converted<float>(layer.biases), layer.activation});
    return fcnn::FloatNetwork(std::move(layers), net.cost());
}

fcnn::Network load_exactly(const std::filesystem::path& in, const fcnn::NpzModelOptions& options) {
    if (in.extension() == ".npz") return fcnn::load_npz<double>(in, options);
    fcnn::Network net = fcnn::load_model<double>(in);
    if (!fcnn::written_from_floats(net)) return net;
    const fcnn::FloatNetwork floats = fcnn::load_model<float>(in);
    std::vector<fcnn::Layer> layers;
    for (const fcnn::FloatLayer& layer : floats.layers())
        layers.push_back({fcnn::converted<double>(layer.weights), fcnn::converted<double>(layer.biases), layer.activation});
    return fcnn::Network(std::move(layers), net.cost());
}

std::string file_text(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    std::string text{std::istreambuf_iterator<char>(file), {}};
    if (!file) throw std::runtime_error("fcnn convert: cannot read '" + path.string() + "'");
    return text;
}

// OUT and OUT.scale change together, as fcnn train saves them: IN.scale is copied beside OUT, and
// an OUT.scale of another model goes (its name is printed), so evaluate never scales OUT's inputs
// as another model's were; if either cannot be written, both stay as they were.
void save_with_scaling(const fcnn::Network& net, Format to, const std::filesystem::path& in, const std::filesystem::path& out) {
    std::string model;
    if (to == Format::npz) {
        const std::vector<std::uint8_t> bytes = fcnn::npz_bytes(fcnn::npz_arrays(net));
        model.assign(bytes.begin(), bytes.end());
    } else {
        std::ostringstream text;
        if (fcnn::all_exact_floats(net)) fcnn::save_model(as_float(net), text);
        else fcnn::save_model(net, text);
        model = text.str();
    }
    const std::filesystem::path in_scale = in.string() + ".scale", out_scale = out.string() + ".scale";
    const bool scaled = std::filesystem::exists(in_scale), stale = !scaled && std::filesystem::is_regular_file(out_scale);
    const std::string scaling = scaled ? file_text(in_scale) : "";
    const fcnn::FileChange pair[] = {{out_scale, scaled ? std::optional<std::string_view>(scaling) : std::nullopt}, {out, model}};
    fcnn::change_files_together(pair, "save");
    if (stale)
        std::printf("removed %s: it scaled the inputs of the model %s replaced, and %s has no .scale\n", out_scale.string().c_str(),
                    out.string().c_str(), in.string().c_str());
}

}  // namespace

int convert(const std::vector<std::string>& words) {
    // IN and OUT come first, then the flags.
    const std::size_t named = std::min<std::size_t>(words.size(), 2);
    std::vector<std::string> files(words.begin(), words.begin() + std::ptrdiff_t(named));
    std::erase_if(files, [](const std::string& word) { return word.rfind("--", 0) == 0; });
    const std::vector<std::string> flags(words.begin() + std::ptrdiff_t(files.size()), words.end());
    const Args args(flags, "fcnn convert", {"activations", "cost"}, {});
    if (files.size() != 2) args.fail("expected two files, IN and OUT, e.g. fcnn convert my.model my.npz");
    const std::filesystem::path in = files[0], out = files[1];
    const Format from = format_of(args, in, false), to = format_of(args, out, true);
    if (std::filesystem::exists(out) && std::filesystem::equivalent(in, out)) args.fail("IN and OUT are the same file");
    if (from == Format::text && (args.has("activations") || args.has("cost")))
        args.fail("--activations and --cost are for an .npz without them; a .model file names its own");

    fcnn::NpzModelOptions options;
    if (args.has("activations")) options.activations = args.list("activations");
    options.cost = args.text("cost", "");
    const fcnn::Network net = load_exactly(in, options);
    if (to == Format::onnx) fcnn::save_onnx(net, out);
    else save_with_scaling(net, to, in, out);
    std::string sizes;
    for (std::size_t n : net.sizes()) {
        if (!sizes.empty()) sizes += '-';
        sizes += std::to_string(n);
    }
    std::printf("%s -> %s: %zu layers, %s, cost %s\n", in.string().c_str(), out.string().c_str(), net.layers().size(),
                sizes.c_str(), std::string(net.cost().name()).c_str());

    const std::filesystem::path in_scale = in.string() + ".scale", out_scale = out.string() + ".scale";
    if (to == Format::onnx && std::filesystem::exists(in_scale))
        std::printf("note: %s is not part of the ONNX graph: scale the inputs as it says before running it\n", in_scale.string().c_str());
    else if (std::filesystem::exists(in_scale))
        std::printf("copied the input scaling %s to %s\n", in_scale.string().c_str(), out_scale.string().c_str());
    return 0;
}

}  // namespace cli
