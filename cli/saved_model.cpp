#include "saved_model.hpp"

#include <stdexcept>

#include <fcnn/data/dataset.hpp>
#include <fcnn/data/gzip.hpp>

namespace cli {

std::optional<fcnn::data::Scaler> saved_scaling(const std::string& model) {
    const std::filesystem::path path = model + ".scale";
    if (!std::filesystem::exists(path)) return std::nullopt;
    const std::vector<std::uint8_t> bytes = fcnn::data::read_file(path);
    return fcnn::data::Scaler::from_text(std::string(bytes.begin(), bytes.end()), path.string());
}

bool apply_saved_scaling(const std::string& model, fcnn::FloatMatrix& X_rows) {
    const std::optional<fcnn::data::Scaler> scaler = saved_scaling(model);
    if (scaler) scaler->apply(X_rows);
    return scaler.has_value();
}

void check_model_fits(const std::vector<std::size_t>& sizes, std::size_t features, std::size_t classes) {
    if (sizes.front() != features || sizes.back() != classes)
        throw std::runtime_error("the model takes " + std::to_string(sizes.front()) + " inputs and gives " +
                                 std::to_string(sizes.back()) + " outputs, but the data has " + std::to_string(features) +
                                 " features and " + std::to_string(classes) + " classes");
}

}  // namespace cli
