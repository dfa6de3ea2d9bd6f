// .npy arrays and .npz archives (a zip of .npy files): the formats of npz.hpp.
//
// Zip, as far as .npz needs it (PKWARE's APPNOTE.TXT): each entry is a local header, then its
// bytes; at the end a central directory lists every entry (name, method, CRC-32, sizes, where
// its local header is) and an end record says where the directory is. We read through the
// directory, as unzip does, and write one local header + data per array, then the directory.
#include "fcnn/npz.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "fcnn/data/gzip.hpp"
#include "fcnn/number_text.hpp"
#include "fcnn/same_bits.hpp"

namespace fcnn {

namespace {

[[noreturn]] void fail(const std::string& source, const std::string& problem) {
    throw std::runtime_error(source + ": " + problem);
}

// Little-endian integers, whatever the machine's byte order.
void put_le(std::vector<std::uint8_t>& out, std::uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(std::uint8_t(value >> (8 * i)));
}

std::uint64_t get_le(std::span<const std::uint8_t> bytes, std::size_t at, int count) {
    std::uint64_t value = 0;
    for (int i = 0; i < count; ++i) value |= std::uint64_t(bytes[at + std::size_t(i)]) << (8 * i);
    return value;
}

// ---- .npy ----

constexpr std::uint8_t npy_magic[] = {0x93, 'N', 'U', 'M', 'P', 'Y'};

std::string shape_text(const std::vector<std::size_t>& shape) {
    std::string text = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i) text += ", ";
        text += std::to_string(shape[i]);
    }
    return text + (shape.size() == 1 ? ",)" : ")");
}

std::string dtype_of(const NpyArray& array) {
    switch (array.type) {
        case NpyArray::Type::float32: return "<f4";
        case NpyArray::Type::float64: return "<f8";
        case NpyArray::Type::text: return "<U" + std::to_string(std::max<std::size_t>(array.text.size(), 1));
    }
    return "";
}

// The header dict's value for key, as written: "'<f8'", "False", "(3, 4)".
std::string header_value(const std::string& header, const std::string& key, const std::string& source) {
    const std::size_t at = header.find("'" + key + "'");
    if (at == std::string::npos) fail(source, "the .npy header has no '" + key + "': " + header);
    std::size_t start = header.find(':', at);
    if (start == std::string::npos) fail(source, "the .npy header has no value for '" + key + "': " + header);
    start = header.find_first_not_of(' ', start + 1);
    const char opening = start == std::string::npos ? ' ' : header[start];
    std::size_t end = std::string::npos;
    if (opening == '(') end = header.find(')', start);
    else if (opening == '\'' || opening == '"') end = header.find(opening, start + 1);
    else end = header.find_last_not_of(' ', header.find_first_of(",}", start) - 1);
    if (start == std::string::npos || end == std::string::npos || end < start)
        fail(source, "the .npy header's '" + key + "' is not readable: " + header);
    return header.substr(start, end - start + 1);
}

std::string_view without_spaces_around(std::string_view text) {
    const std::size_t first = text.find_first_not_of(' ');
    return first == std::string_view::npos ? std::string_view() : text.substr(first, text.find_last_not_of(' ') + 1 - first);
}

// The tuple "(3, 2)", "(3,)" or "()": whole numbers between commas, spaces around them allowed.
// Each is read in 64 bits first: one that std::size_t cannot hold (on a 32-bit build) needs more
// values than any file in memory has, so it gets the message of a file cut short.
std::vector<std::size_t> parse_shape(const std::string& text, const std::string& source) {
    const std::string not_a_tuple = "the .npy shape " + text + " is not a tuple of whole numbers";
    if (text.size() < 2 || text.front() != '(' || text.back() != ')') fail(source, not_a_tuple);
    std::vector<std::size_t> shape;
    std::string_view rest = std::string_view(text).substr(1, text.size() - 2);  // inside the ( )
    while (rest.find_first_not_of(' ') != std::string_view::npos) {            // "( )" and "(3, )" end here
        const std::size_t comma = std::min(rest.find(','), rest.size());
        const std::optional<std::uint64_t> n = parse_whole_number(without_spaces_around(rest.substr(0, comma)));
        if (!n) fail(source, not_a_tuple);
        if (*n > SIZE_MAX) fail(source, "the .npy data is shorter than its shape " + text + " needs");
        shape.push_back(static_cast<std::size_t>(*n));
        rest = rest.substr(std::min(comma + 1, rest.size()));
    }
    return shape;
}

// The index in Fortran order (first index fastest) of the element at C-order index i.
std::size_t fortran_index(std::size_t i, const std::vector<std::size_t>& shape) {
    std::size_t index = 0, stride = 1;
    std::vector<std::size_t> position(shape.size());
    for (std::size_t d = shape.size(); d-- > 0;) {
        position[d] = i % shape[d];
        i /= shape[d];
    }
    for (std::size_t d = 0; d < shape.size(); ++d) {
        index += position[d] * stride;
        stride *= shape[d];
    }
    return index;
}

// ---- zip ----

constexpr std::uint32_t local_signature = 0x04034b50, central_signature = 0x02014b50, end_signature = 0x06054b50;
constexpr std::uint16_t dos_date = (0 << 9) | (1 << 5) | 1;  // 1980-01-01: the same bytes on every save

struct Entry {
    std::string name;
    std::uint16_t method = 0;  // 0 stored, 8 deflated
    std::uint32_t crc = 0;
    std::uint64_t compressed = 0, uncompressed = 0, local_header = 0;
};

// A zip64 extra field (id 1) holds the 64-bit sizes and offset in place of 0xffffffff fields.
void read_zip64_extra(std::span<const std::uint8_t> extra, Entry& entry) {
    for (std::size_t at = 0; at + 4 <= extra.size();) {
        const std::uint64_t id = get_le(extra, at, 2), size = get_le(extra, at + 2, 2);
        std::size_t field = at + 4;
        if (id == 1) {
            for (std::uint64_t* value : {&entry.uncompressed, &entry.compressed, &entry.local_header}) {
                if (*value != 0xffffffff || field + 8 > at + 4 + size || field + 8 > extra.size()) continue;
                *value = get_le(extra, field, 8);
                field += 8;
            }
        }
        at += 4 + size;
    }
}

std::vector<Entry> central_directory(std::span<const std::uint8_t> zip, const std::string& source) {
    // The end record is the last 22 bytes, unless the archive has a comment after it.
    std::size_t end = std::string::npos;
    for (std::size_t at = zip.size() >= 22 ? zip.size() - 22 : std::string::npos; at != std::string::npos && zip.size() - at <= 22 + 65535; --at) {
        if (get_le(zip, at, 4) == end_signature) {
            end = at;
            break;
        }
        if (at == 0) break;
    }
    if (end == std::string::npos)
        fail(source, "not an .npz file: expected a zip archive (as numpy.savez writes), found no zip end record");
    const std::uint64_t count = get_le(zip, end + 10, 2), offset = get_le(zip, end + 16, 4);
    if (offset == 0xffffffff || count == 0xffff) fail(source, "a zip64 archive of this size is not supported");
    std::vector<Entry> entries;
    std::size_t at = offset;
    for (std::uint64_t i = 0; i < count; ++i) {
        if (at + 46 > end || get_le(zip, at, 4) != central_signature)
            fail(source, "the zip central directory is damaged (entry " + std::to_string(i + 1) + ")");
        Entry entry;
        entry.method = std::uint16_t(get_le(zip, at + 10, 2));
        entry.crc = std::uint32_t(get_le(zip, at + 16, 4));
        entry.compressed = get_le(zip, at + 20, 4);
        entry.uncompressed = get_le(zip, at + 24, 4);
        const std::size_t name_length = get_le(zip, at + 28, 2), extra_length = get_le(zip, at + 30, 2),
                          comment_length = get_le(zip, at + 32, 2);
        entry.local_header = get_le(zip, at + 42, 4);
        if (at + 46 + name_length + extra_length > end) fail(source, "the zip central directory is cut short");
        entry.name.assign(zip.begin() + std::ptrdiff_t(at + 46), zip.begin() + std::ptrdiff_t(at + 46 + name_length));
        read_zip64_extra(zip.subspan(at + 46 + name_length, extra_length), entry);
        entries.push_back(entry);
        at += 46 + name_length + extra_length + comment_length;
    }
    return entries;
}

// The uncompressed bytes of one entry, checked against its size and CRC-32.
std::vector<std::uint8_t> entry_bytes(std::span<const std::uint8_t> zip, const Entry& entry, const std::string& source) {
    const std::string where = source + " (" + entry.name + ")";
    const std::uint64_t at = entry.local_header;  // up to 2^64 - 1 from a zip64 field: at + 30 could wrap
    if (at > zip.size() || zip.size() - at < 30 || get_le(zip, at, 4) != local_signature) fail(where, "the zip entry's header is damaged");
    const std::uint64_t start = at + 30 + get_le(zip, at + 26, 2) + get_le(zip, at + 28, 2);
    if (start > zip.size() || entry.compressed > zip.size() - start) fail(where, "the zip entry is cut short");
    const std::span<const std::uint8_t> data = zip.subspan(start, entry.compressed);
    std::vector<std::uint8_t> bytes;
    if (entry.method == 0) {
        bytes.assign(data.begin(), data.end());
    } else if (entry.method == 8) {
        if (entry.uncompressed > data.size() * std::uint64_t(1032))  // DEFLATE expands at most 1032 to 1
            fail(where, "the zip entry claims more bytes than its compressed data can hold");
        bytes.reserve(entry.uncompressed);
        try {
            data::inflate_into(bytes, data, std::size_t(std::min<std::uint64_t>(entry.uncompressed, SIZE_MAX)));  // no more than promised
        } catch (const std::runtime_error& error) {
            fail(where, error.what());
        }
    } else {
        fail(where, "zip compression method " + std::to_string(entry.method) +
                        " is not supported; expected 0 (stored) or 8 (deflated), as numpy writes");
    }
    if (bytes.size() != entry.uncompressed) fail(where, "the zip entry's size differs from the size its directory records");
    if (data::crc32(bytes) != entry.crc) fail(where, "the CRC-32 check failed: the data is damaged");
    return bytes;
}

void put_zip_entry_fields(std::vector<std::uint8_t>& out, const std::string& name, std::uint32_t crc, std::size_t size) {
    put_le(out, 20, 2);  // version needed to extract: 2.0
    put_le(out, 0, 2);   // flags
    put_le(out, 0, 2);   // method: stored
    put_le(out, 0, 2);   // time 00:00
    put_le(out, dos_date, 2);
    put_le(out, crc, 4);
    put_le(out, size, 4);  // compressed size
    put_le(out, size, 4);  // uncompressed size
    put_le(out, name.size(), 2);
    put_le(out, 0, 2);  // extra field length
}

}  // namespace

std::vector<std::uint8_t> npy_bytes(const NpyArray& array) {
    std::string header = "{'descr': '" + dtype_of(array) + "', 'fortran_order': False, 'shape': " + shape_text(array.shape) + ", }";
    const std::size_t unpadded = sizeof npy_magic + 4 + header.size() + 1;
    header += std::string((64 - unpadded % 64) % 64, ' ') + "\n";  // numpy aligns the data to 64 bytes
    std::vector<std::uint8_t> out(std::begin(npy_magic), std::end(npy_magic));
    out.push_back(1);  // version 1.0
    out.push_back(0);
    put_le(out, header.size(), 2);
    out.insert(out.end(), header.begin(), header.end());
    if (array.type == NpyArray::Type::text) {
        const std::size_t width = std::max<std::size_t>(array.text.size(), 1);
        for (std::size_t i = 0; i < width; ++i) put_le(out, i < array.text.size() ? std::uint8_t(array.text[i]) : 0, 4);  // UTF-32
    } else if (array.type == NpyArray::Type::float32) {
        for (double x : array.values) put_le(out, same_bits<std::uint32_t>(static_cast<float>(x)), 4);
    } else {
        for (double x : array.values) put_le(out, same_bits<std::uint64_t>(x), 8);
    }
    return out;
}

namespace {

struct NpyHeader {
    std::string text;        // the Python dict literal: {'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }
    std::size_t data_start;  // the offset of the first value
};

NpyHeader npy_header(std::span<const std::uint8_t> bytes, const std::string& source) {
    if (bytes.size() < 10 || !std::equal(std::begin(npy_magic), std::end(npy_magic), bytes.begin()))
        fail(source, "not a .npy array: expected it to start with the byte 0x93 and the letters NUMPY");
    const unsigned major = bytes[6];
    if (major < 1 || major > 3) fail(source, ".npy format version " + std::to_string(major) + " is not supported; expected 1, 2 or 3");
    const std::size_t length_bytes = major == 1 ? 2 : 4;
    if (bytes.size() < 8 + length_bytes) fail(source, "the .npy header is cut short");
    const std::size_t header_length = get_le(bytes, 8, int(length_bytes)), data_start = 8 + length_bytes + header_length;
    if (data_start > bytes.size()) fail(source, "the .npy header is cut short");
    return {std::string(bytes.begin() + std::ptrdiff_t(8 + length_bytes), bytes.begin() + std::ptrdiff_t(data_start)), data_start};
}

// A 0-d string array ('<U7' is UTF-32, '|S7' bytes), read as ASCII up to its first NUL.
std::string npy_text(std::span<const std::uint8_t> bytes, std::size_t data_start, const std::string& dtype, const std::string& source) {
    const std::size_t unit = dtype[0] == '<' ? 4 : 1;
    const std::optional<std::uint64_t> width = parse_whole_number(std::string_view(dtype).substr(2));
    if (!width) fail(source, "the .npy dtype '" + dtype + "' has no readable length: expected a string type with its length, such as '<U7'");
    if (*width > (bytes.size() - data_start) / unit) fail(source, "the .npy data is shorter than its dtype " + dtype + " needs");
    std::string text;
    for (std::size_t i = 0; i < *width; ++i) {
        const std::uint64_t c = get_le(bytes, data_start + i * unit, int(unit));
        if (c == 0) break;
        if (c > 127) fail(source, "the string array holds a character that is not ASCII");
        text += char(c);
    }
    return text;
}

// The values of a float32 or float64 array, in C order whatever order the file keeps them in.
std::vector<double> npy_values(std::span<const std::uint8_t> bytes, std::size_t data_start, const NpyArray& array, bool fortran,
                               const std::string& source) {
    const std::size_t item = array.type == NpyArray::Type::float32 ? 4 : 8;
    std::size_t count = 1;
    for (std::size_t d : array.shape) {
        if (d != 0 && count > (bytes.size() - data_start) / d) fail(source, "the .npy data is shorter than its shape " + shape_text(array.shape) + " needs");
        count *= d;
    }
    if (count > (bytes.size() - data_start) / item)
        fail(source, "the .npy data is shorter than its shape " + shape_text(array.shape) + " needs");
    std::vector<double> values(count);
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t at = data_start + (fortran ? fortran_index(i, array.shape) : i) * item;
        values[i] = item == 4 ? double(same_bits<float>(std::uint32_t(get_le(bytes, at, 4)))) : same_bits<double>(get_le(bytes, at, 8));
    }
    return values;
}

}  // namespace

NpyArray parse_npy(std::span<const std::uint8_t> bytes, const std::string& source) {
    const auto [header, data_start] = npy_header(bytes, source);
    NpyArray array;
    const std::string descr = header_value(header, "descr", source);
    const std::string dtype = descr.substr(1, descr.size() - 2);
    array.shape = parse_shape(header_value(header, "shape", source), source);
    const bool fortran = header_value(header, "fortran_order", source) == "True";
    if (dtype == "<f4" || dtype == "<f8") {
        array.type = dtype == "<f4" ? NpyArray::Type::float32 : NpyArray::Type::float64;
        array.values = npy_values(bytes, data_start, array, fortran, source);
    } else if ((dtype.rfind("<U", 0) == 0 || dtype.rfind("|S", 0) == 0) && array.shape.empty()) {
        array.type = NpyArray::Type::text;
        array.text = npy_text(bytes, data_start, dtype, source);
    } else {
        const bool big = dtype.size() > 1 && dtype[0] == '>';
        fail(source, "dtype '" + dtype + "' is not supported" + (big ? " (big-endian)" : "") +
                         "; expected float32 '<f4' or float64 '<f8', little-endian (numpy: a.astype('<f8'))");
    }
    return array;
}

std::vector<std::uint8_t> npz_bytes(const NpzArrays& arrays) {
    std::vector<std::uint8_t> out, directory;
    for (const auto& [name, array] : arrays) {
        const std::string file = name + ".npy";
        const std::vector<std::uint8_t> data = npy_bytes(array);
        const std::uint32_t crc = data::crc32(data);
        const std::size_t offset = out.size();
        put_le(out, local_signature, 4);
        put_zip_entry_fields(out, file, crc, data.size());
        out.insert(out.end(), file.begin(), file.end());
        out.insert(out.end(), data.begin(), data.end());

        put_le(directory, central_signature, 4);
        put_le(directory, 20, 2);  // made by: version 2.0
        put_zip_entry_fields(directory, file, crc, data.size());
        put_le(directory, 0, 2);  // comment length
        put_le(directory, 0, 2);  // disk number
        put_le(directory, 0, 2);  // internal attributes
        put_le(directory, 0, 4);  // external attributes
        put_le(directory, offset, 4);
        directory.insert(directory.end(), file.begin(), file.end());
    }
    const std::size_t directory_offset = out.size();
    out.insert(out.end(), directory.begin(), directory.end());
    put_le(out, end_signature, 4);
    put_le(out, 0, 2);  // this disk
    put_le(out, 0, 2);  // the directory's disk
    put_le(out, arrays.size(), 2);
    put_le(out, arrays.size(), 2);
    put_le(out, directory.size(), 4);
    put_le(out, directory_offset, 4);
    put_le(out, 0, 2);  // comment length
    return out;
}

std::map<std::string, NpyArray> parse_npz(std::span<const std::uint8_t> bytes, const std::string& source) {
    std::map<std::string, NpyArray> arrays;
    for (const Entry& entry : central_directory(bytes, source)) {
        if (entry.name.size() < 4 || entry.name.substr(entry.name.size() - 4) != ".npy")
            fail(source, "the archive holds '" + entry.name + "', which is not a .npy array");
        const std::string name = entry.name.substr(0, entry.name.size() - 4);
        arrays[name] = parse_npy(entry_bytes(bytes, entry, source), source + " (" + entry.name + ")");
    }
    return arrays;
}

}  // namespace fcnn
