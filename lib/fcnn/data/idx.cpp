#include "fcnn/data/idx.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>

#include "fcnn/data/gzip.hpp"

namespace fcnn::data {

namespace {

constexpr std::uint32_t images_magic = 0x00000803;  // unsigned bytes, 3 dimensions
constexpr std::uint32_t labels_magic = 0x00000801;  // unsigned bytes, 1 dimension
constexpr std::uint32_t largest_dimension = 1u << 24;

std::uint32_t read_be32(std::span<const std::uint8_t> bytes, std::size_t at) {
    return std::uint32_t(bytes[at]) << 24 | std::uint32_t(bytes[at + 1]) << 16 | std::uint32_t(bytes[at + 2]) << 8 |
           std::uint32_t(bytes[at + 3]);
}

std::string hex(std::uint32_t value) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%08x", value);
    return text;
}

// The header's sizes, checked against the magic number and against the values the file holds.
// The product of the sizes is built one factor at a time and compared with what the file holds
// before it can overflow, so a header that promises more than is there allocates nothing.
std::vector<std::size_t> read_header(std::span<const std::uint8_t> bytes, std::uint32_t magic, const std::string& name,
                                     const std::string& what) {
    const std::size_t dimensions = magic & 0xff;
    const std::size_t header = 4 + 4 * dimensions;
    if (bytes.size() < 4 || read_be32(bytes, 0) != magic)
        throw std::runtime_error(name + ": not an IDX " + what + " file: expected the magic number " + hex(magic) +
                                 (bytes.size() < 4 ? std::string(", the file is too short")
                                                   : ", found " + hex(read_be32(bytes, 0))));
    if (bytes.size() < header) throw std::runtime_error(name + ": the IDX header is cut short");
    const std::size_t held = bytes.size() - header;
    std::vector<std::size_t> sizes;
    std::string promised;  // "60000 x 28 x 28"
    std::size_t values = 1;
    bool too_many = false;
    for (std::size_t d = 0; d < dimensions; ++d) {
        const std::uint32_t size = read_be32(bytes, 4 + 4 * d);
        if (size == 0 || size > largest_dimension)
            throw std::runtime_error(name + ": dimension " + std::to_string(d) + " of the header is " +
                                     std::to_string(size) + ", expected 1 to " + std::to_string(largest_dimension));
        sizes.push_back(size);
        promised += (d == 0 ? "" : " x ") + std::to_string(size);
        too_many = too_many || size > held / values;
        if (!too_many) values *= size;
    }
    if (too_many || values != held)
        throw std::runtime_error(name + ": the header promises " + promised + " values but the file holds " +
                                 std::to_string(held));
    return sizes;
}

}  // namespace

IdxImages parse_idx_images(std::span<const std::uint8_t> bytes, const std::string& source) {
    const auto sizes = read_header(bytes, images_magic, source, "images");
    IdxImages images{sizes[0], sizes[1], sizes[2], {}};
    images.pixels.assign(bytes.begin() + 16, bytes.end());
    return images;
}

std::vector<std::size_t> parse_idx_labels(std::span<const std::uint8_t> bytes, const std::string& source,
                                          std::size_t classes) {
    read_header(bytes, labels_magic, source, "labels");
    std::vector<std::size_t> labels(bytes.begin() + 8, bytes.end());
    for (std::size_t i = 0; i < labels.size(); ++i)
        if (labels[i] >= classes)
            throw std::runtime_error(source + ": label " + std::to_string(i) + " is " + std::to_string(labels[i]) +
                                     ", expected 0 to " + std::to_string(classes - 1));
    return labels;
}

IdxImages read_idx_images(const std::filesystem::path& path) {
    std::vector<std::uint8_t> bytes = read_file(path);
    const auto sizes = read_header(bytes, images_magic, path.string(), "images");
    // The pixels stay where they were read, the header moved out of the way: a copy into fresh
    // memory would cost a page fault per 4 KiB, as much as inflating them.
    bytes.erase(bytes.begin(), bytes.begin() + 16);
    return IdxImages{sizes[0], sizes[1], sizes[2], std::move(bytes)};
}

std::vector<std::size_t> read_idx_labels(const std::filesystem::path& path, std::size_t classes) {
    return parse_idx_labels(read_file(path), path.string(), classes);
}

template <typename Scalar>
BasicMatrix<Scalar> images_as_rows(const IdxImages& images) {
    const std::size_t pixels = images.rows * images.cols;
    BasicMatrix<Scalar> X_rows(images.count, pixels);
    // The file holds one image after another, as X_rows does: one pass, in order.
    for (std::size_t i = 0; i < images.count; ++i)
        for (std::size_t p = 0; p < pixels; ++p) X_rows(i, p) = static_cast<Scalar>(images.pixels[i * pixels + p]) / Scalar(255);
    return X_rows;
}

template BasicMatrix<float> images_as_rows(const IdxImages&);
template BasicMatrix<double> images_as_rows(const IdxImages&);

}  // namespace fcnn::data
