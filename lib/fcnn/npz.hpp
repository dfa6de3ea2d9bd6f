// NumPy's .npy and .npz files, read and written with our own small code, so that a network goes
// from fcnn to PyTorch and back (tutorials/09-pytorch):
//
//   .npy   one array: the bytes "\x93NUMPY", a version, a header that is a Python dict literal
//          {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }, then the raw values.
//   .npz   a zip archive of .npy files, one per named array (numpy.savez). fcnn writes the entries
//          stored (uncompressed, each with its CRC-32) and reads stored and deflated ones, so files
//          of numpy.savez and numpy.savez_compressed both load.
//
// A network's arrays are named as PyTorch names the parameters of nn.Sequential(Linear, act,
// Linear, act, ...): "0.weight" (W^1, n_1 x n_0), "0.bias" (b^1, n_1), "2.weight", "2.bias", ...
// One more array, "fcnn", is a string with the cost and the activations (docs/model-format.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "fcnn/network.hpp"

namespace fcnn {

// One array of a .npy file: its shape and values in C order (row-major, the last index fastest),
// whatever order the file kept them in. Numbers are held as doubles, which hold float32 exactly.
struct NpyArray {
    enum class Type { float32, float64, text };
    Type type = Type::float64;
    std::vector<std::size_t> shape;  // () for a single value or a string
    std::vector<double> values;      // Type::float32 and float64
    std::string text;                // Type::text: a NumPy string (dtype <U or |S), ASCII
};

// The bytes of a .npy file holding the array (version 1.0, little-endian, C order).
std::vector<std::uint8_t> npy_bytes(const NpyArray& array);
// Reads float32 and float64 arrays (little-endian, C or Fortran order) and ASCII strings.
// Throws std::runtime_error naming `source` and what was wrong (an unknown dtype, a cut file...).
NpyArray parse_npy(std::span<const std::uint8_t> bytes, const std::string& source);

// Named arrays, in the order they are written. Names carry no ".npy": "0.weight".
using NpzArrays = std::vector<std::pair<std::string, NpyArray>>;

// A zip of stored entries "<name>.npy", as numpy.savez writes it.
std::vector<std::uint8_t> npz_bytes(const NpzArrays& arrays);
// The arrays of an .npz archive, by name (".npy" taken off), stored or deflated entries.
std::map<std::string, NpyArray> parse_npz(std::span<const std::uint8_t> bytes, const std::string& source);

// What load_npz takes from the caller when the archive has no "fcnn" array (a PyTorch state_dict):
// one activation name per layer, and the cost. With an "fcnn" array these must be empty or agree.
struct NpzModelOptions {
    std::vector<std::string> activations;
    std::string cost;
};

// The network's arrays: "<2(l-1)>.weight" and ".bias" for layer l, then "fcnn". Written as float32
// when every value is exactly a float (a network trained in float), otherwise as float64.
template <typename Scalar>
NpzArrays npz_arrays(const BasicNetwork<Scalar>& network);
template <typename Scalar>
BasicNetwork<Scalar> network_from_npz(const std::map<std::string, NpyArray>& arrays, const std::string& source,
                                      const NpzModelOptions& options = {});

// The network as an .npz file, written beside path and renamed over it (a failed save loses nothing).
template <typename Scalar>
void save_npz(const BasicNetwork<Scalar>& network, const std::filesystem::path& path);
template <typename Scalar>
BasicNetwork<Scalar> load_npz(const std::filesystem::path& path, const NpzModelOptions& options = {});

}  // namespace fcnn
