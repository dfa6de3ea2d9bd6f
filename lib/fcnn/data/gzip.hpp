// Reading gzip files with nothing but the standard library: a small DEFLATE decoder.
// Debian installs Fashion-MNIST as .gz files; fcnn reads them as they are.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace fcnn::data {

// The bytes of a file; a file whose first two bytes are gzip's magic 1f 8b is decompressed.
// Throws std::runtime_error naming the file and what was wrong.
std::vector<std::uint8_t> read_file(const std::filesystem::path& path);

// The decompressed content of gzip data (RFC 1952), one or more members, each checked against
// its CRC-32 and length. `source` names the data in error messages.
std::vector<std::uint8_t> gunzip(std::span<const std::uint8_t> gz, const std::string& source = "gzip data");

// Raw DEFLATE data (RFC 1951), decompressed and appended to out; returns how many input bytes
// it used.
std::size_t inflate(std::span<const std::uint8_t> deflated, std::vector<std::uint8_t>& out);

// The CRC-32 of gzip and PNG (polynomial 0xedb88320), continuing from crc.
std::uint32_t crc32(std::span<const std::uint8_t> bytes, std::uint32_t crc = 0);

}  // namespace fcnn::data
