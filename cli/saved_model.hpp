// A model that fcnn train saved, as evaluate, predict and show read it: in the precision it was
// trained in, with the input scaling saved beside it (MODEL.scale).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include <fcnn/data/dataset.hpp>
#include <fcnn/model_file.hpp>
#include <fcnn/saved_precision.hpp>

namespace cli {

// run(net) with the model at `model` loaded as fcnn train saved it: a FloatNetwork when its
// numbers are floats (--precision float, the default), a Network when they are doubles. Loaded
// as float, a double model would predict from rounded weights.
template <typename Run>
auto with_saved_model(const std::string& model, Run&& run) {
    const std::filesystem::path path(model);
    if (fcnn::saved_from_floats(path)) return run(fcnn::load_model<float>(path));
    return run(fcnn::load_model<double>(path));
}

// The input scaling fcnn train saved beside the model (MODEL.scale), if it saved one.
std::optional<fcnn::data::Scaler> saved_scaling(const std::string& model);

// Scales X_rows (one row per sample) as MODEL.scale says, if fcnn train saved one; returns whether
// it did.
bool apply_saved_scaling(const std::string& model, fcnn::FloatMatrix& X_rows);

// Throws std::runtime_error unless the network's sizes start with `features` inputs and end
// with `classes` outputs, naming both.
void check_model_fits(const std::vector<std::size_t>& sizes, std::size_t features, std::size_t classes);

}  // namespace cli
