// The precision a saved network was trained in, read from its numbers, so that a model trained in
// float is loaded as a FloatNetwork and written again as floats: the model file and the .npz
// record no precision, but the numbers show it.
#pragma once

#include <filesystem>

#include "fcnn/network.hpp"

namespace fcnn {

// Whether every weight and bias is exactly a float: an .npz or ONNX of such a network is written
// in float32, with no value changed.
template <typename Scalar>
bool all_exact_floats(const BasicNetwork<Scalar>& network) {
    for (const BasicLayer<Scalar>& layer : network.layers())
        for (const BasicMatrix<Scalar>* M : {&layer.weights, &layer.biases})
            for (Scalar x : M->values())
                if (static_cast<Scalar>(static_cast<float>(x)) != x) return false;
    return true;
}

// Whether a text model file read as doubles holds, in every value, the shortest text of a float,
// as save_model writes a FloatNetwork: then the file's values are floats (read as doubles they
// would be other numbers).
bool written_from_floats(const Network& read_as_double);

// Whether the model at path (a model file, or an .npz as load_model reads it) was saved from a
// FloatNetwork: a model file written_from_floats, an .npz whose values are all_exact_floats.
bool saved_from_floats(const std::filesystem::path& path);

}  // namespace fcnn
