// The IDX format of MNIST and Fashion-MNIST: a big-endian header (magic number, then one 32-bit
// size per dimension) and the values, here unsigned bytes. Files may be gzipped, as Debian's are.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "fcnn/matrix.hpp"

namespace fcnn::data {

struct IdxImages {
    std::size_t count = 0, rows = 0, cols = 0;
    std::vector<std::uint8_t> pixels;  // image i's pixel (r, c) at [i * rows * cols + r * cols + c]
};

// An idx3-ubyte file (magic 0x00000803). Throws std::runtime_error naming the file when the magic
// number is wrong, the sizes are absurd (checked before anything is allocated) or the file is
// shorter or longer than its header says.
IdxImages read_idx_images(const std::filesystem::path& path);

// An idx1-ubyte file (magic 0x00000801) of labels, each checked to be below `classes`.
std::vector<std::size_t> read_idx_labels(const std::filesystem::path& path, std::size_t classes);

// The same from the (decompressed) bytes of such a file; `source` names it in errors.
IdxImages parse_idx_images(std::span<const std::uint8_t> bytes, const std::string& source);
std::vector<std::size_t> parse_idx_labels(std::span<const std::uint8_t> bytes, const std::string& source,
                                          std::size_t classes);

// The images one row each, as the file holds them, pixels scaled from 0..255 to [0, 1]:
// count x (rows * cols). The network reads them as columns through transposed(), no copy.
template <typename Scalar>
BasicMatrix<Scalar> images_as_rows(const IdxImages& images);

}  // namespace fcnn::data
