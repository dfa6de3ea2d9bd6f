#include "known_names.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include <fcnn/activation.hpp>
#include <fcnn/cost.hpp>
#include <fcnn/data/dataset.hpp>
#include <fcnn/init.hpp>
#include <fcnn/optimizer.hpp>

namespace cli {

namespace {

std::vector<std::string> split_list(const std::string& known_names) {  // "a, b, c" -> a, b, c
    std::vector<std::string> names;
    for (std::size_t start = 0; start <= known_names.size();) {
        const std::size_t comma = std::min(known_names.find(", ", start), known_names.size());
        names.push_back(known_names.substr(start, comma - start));
        start = comma + 2;
    }
    return names;
}

}  // namespace

std::string one_of(const std::string& known_names, std::string_view default_name) {
    const std::vector<std::string> names = split_list(known_names);
    std::string text;
    bool default_seen = default_name.empty();
    for (std::size_t i = 0; i < names.size(); ++i) {
        text += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
        if (names[i] != default_name) continue;
        text += " (default)";
        default_seen = true;
    }
    if (!default_seen) throw std::logic_error("--help: the default '" + std::string(default_name) + "' is not one of " + known_names);
    return text;
}

std::string known_names_section() {
    return "names the library knows (fcnn train's --activations, --cost, --init, --optimizer, --scale)\n"
           "  activations   " + fcnn::Activation::known_names() + "\n" +
           "  costs         " + fcnn::Cost::known_names() + "\n" +
           "  inits         " + fcnn::Init::known_names() + "\n" +
           "  optimizers    " + fcnn::Optimizer::known_names() + "\n" +
           "  scalings      " + fcnn::data::Scaler::known_names() + "\n";
}

}  // namespace cli
