// The precision of a saved network, from its numbers: see saved_precision.hpp.
#include "fcnn/saved_precision.hpp"

#include "fcnn/model_file.hpp"
#include "fcnn/number_text.hpp"

namespace fcnn {

bool written_from_floats(const Network& read_as_double) {
    for (const Layer& layer : read_as_double.layers())
        for (const Matrix* M : {&layer.weights, &layer.biases})
            for (double x : M->values())
                if (parse_number<double>(number_text(static_cast<float>(x))).value != x) return false;
    return true;
}

bool saved_from_floats(const std::filesystem::path& path) {
    const Network net = load_model<double>(path);
    return path.extension() == ".npz" ? all_exact_floats(net) : written_from_floats(net);
}

}  // namespace fcnn
