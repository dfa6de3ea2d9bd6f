// Reading gzip files with nothing but the standard library: a small DEFLATE decoder.
// Debian installs Fashion-MNIST as .gz files; fcnn reads them as they are.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace fcnn::data {

// DEFLATE can expand a byte to about a thousand, so a small damaged or hostile file could ask
// for gigabytes. Decompression stops with an error past `limit` bytes of output; by default
// 1 GiB (Fashion-MNIST's largest file is 47 MB). The memory used is the output so far.
inline constexpr std::size_t default_output_limit = std::size_t(1) << 30;

// The bytes of a file; a file whose first two bytes are gzip's magic 1f 8b is decompressed.
// Throws std::runtime_error naming the file and what was wrong.
std::vector<std::uint8_t> read_file(const std::filesystem::path& path, std::size_t limit = default_output_limit);

// The decompressed content of gzip data (RFC 1952), one or more members, each checked against
// its CRC-32 and length. `source` names the data in error messages.
std::vector<std::uint8_t> gunzip(std::span<const std::uint8_t> gz, const std::string& source = "gzip data",
                                 std::size_t limit = default_output_limit);

// Raw DEFLATE data (RFC 1951), decompressed and appended to out, which may hold at most `limit`
// bytes in the end; returns how many input bytes it used.
std::size_t inflate_into(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> deflated,
                         std::size_t limit = default_output_limit);

// The CRC-32 of gzip and PNG (polynomial 0xedb88320), continuing from crc.
std::uint32_t crc32(std::span<const std::uint8_t> bytes, std::uint32_t crc = 0);

}  // namespace fcnn::data
