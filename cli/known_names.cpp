#include "known_names.hpp"

#include <stdexcept>

#include <fcnn/activation.hpp>
#include <fcnn/cost.hpp>
#include <fcnn/data/dataset.hpp>
#include <fcnn/init.hpp>
#include <fcnn/optimizer.hpp>

namespace cli {

std::string one_of(std::span<const std::string_view> names, std::string_view default_name) {
    std::string text;
    bool default_seen = default_name.empty();
    for (std::size_t i = 0; i < names.size(); ++i) {
        text += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + std::string(names[i]);
        if (names[i] != default_name) continue;
        text += " (default)";
        default_seen = true;
    }
    if (!default_seen) throw std::logic_error("--help: the default '" + std::string(default_name) + "' is not one of " + text);
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
