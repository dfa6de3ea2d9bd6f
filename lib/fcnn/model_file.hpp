// The model file: saving and loading networks in the text format of docs/model-format.md:
//
//   fcnn-model 1
//   cost quadratic
//   layers 2
//   layer 1 inputs 2 outputs 3 activation sigmoid
//   weights
//   0.5 -1.25          <- W^1, one row per line (outputs lines of inputs numbers)
//   ...
//   biases
//   0.125              <- b^1, one value per line
//   ...
//   layer 2 ...
//   end
//
// Numbers are written in the shortest form that reads back to the same bits, so a saved and
// loaded network predicts exactly what the original did.
#pragma once

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <stdexcept>
#include <string>

#include "fcnn/network.hpp"

namespace fcnn {

// A model file that does not follow docs/model-format.md. what() reads
// "xor.model:4: expected 'weights', found 'biases'": the file, the line, what was wrong.
class ModelFormatError : public std::runtime_error {
public:
    ModelFormatError(const std::string& source, std::size_t line, const std::string& problem)
        : std::runtime_error(source + ":" + std::to_string(line) + ": " + problem), line_(line) {}
    std::size_t line() const { return line_; }

private:
    std::size_t line_;
};

// save_model(net, path) writes a temporary file beside path and renames it over path, so a
// failed save never destroys an earlier model.
template <typename Scalar>
void save_model(const BasicNetwork<Scalar>& net, std::ostream& out);
template <typename Scalar>
void save_model(const BasicNetwork<Scalar>& net, const std::filesystem::path& path);

// load_model<double>(path) for a Network, load_model<float>(path) for a FloatNetwork. Throws
// ModelFormatError naming the line; source names the stream in that message.
template <typename Scalar>
BasicNetwork<Scalar> load_model(std::istream& in, const std::string& source = "model");
// A path ending in .npz is read as NumPy arrays (load_npz in npz.hpp), any other as this format.
template <typename Scalar>
BasicNetwork<Scalar> load_model(const std::filesystem::path& path);

}  // namespace fcnn
