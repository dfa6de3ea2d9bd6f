// DEFLATE, decoded the plain way (after Mark Adler's puff.c): a Huffman code is read one bit at
// a time, counting how many codes of each length come before it. Slower than table-driven
// zlib, and short enough to read in one sitting.
#include "fcnn/data/gzip.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace fcnn::data {

namespace {

[[noreturn]] void corrupt(const std::string& problem) {
    throw std::runtime_error("corrupt DEFLATE data: " + problem);
}

// Where the output goes: appended to `bytes` (which held `start` bytes before), refused past
// `limit` bytes.
struct Output {
    std::vector<std::uint8_t>& bytes;
    std::size_t start, limit;

    void check_room(std::size_t more) const {
        if (more > limit - std::min(limit, bytes.size()))
            throw std::runtime_error("the data decompresses to more than " + std::to_string(limit) +
                                     " bytes, the most this reader takes");
    }
};

// Reads bits least significant first, as DEFLATE packs them.
class BitReader {
public:
    explicit BitReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

    unsigned bits(unsigned count) {
        unsigned value = 0;
        for (unsigned i = 0; i < count; ++i) {
            if (position_ >= bytes_.size() * 8) corrupt("the data ends in the middle of a block");
            value |= unsigned((bytes_[position_ / 8] >> (position_ % 8)) & 1) << i;
            ++position_;
        }
        return value;
    }
    void skip_to_byte() { position_ = (position_ + 7) / 8 * 8; }
    std::size_t byte_position() const { return position_ / 8; }
    std::uint8_t byte() {
        if (position_ / 8 >= bytes_.size()) corrupt("a stored block is cut short");
        const std::uint8_t value = bytes_[position_ / 8];
        position_ += 8;
        return value;
    }

private:
    std::span<const std::uint8_t> bytes_;
    std::size_t position_ = 0;  // in bits
};

// A canonical Huffman code, given the code length of each symbol (0: not used).
class Huffman {
public:
    explicit Huffman(std::span<const unsigned> lengths) {
        for (unsigned length : lengths) ++count_[length];
        count_[0] = 0;  // unused symbols have no code
        std::array<unsigned, 16> offset{};  // where the symbols of each length start in symbol_
        for (unsigned length = 1; length < 15; ++length) offset[length + 1] = offset[length] + count_[length];
        symbol_.resize(lengths.size());
        for (unsigned s = 0; s < lengths.size(); ++s)
            if (lengths[s] != 0) symbol_[offset[lengths[s]]++] = s;
    }

    unsigned decode(BitReader& in) const {
        unsigned code = 0, first = 0, index = 0;  // codes of length len are first .. first + count - 1
        for (unsigned length = 1; length < 16; ++length) {
            code |= in.bits(1);
            const unsigned count = count_[length];
            if (code < first + count) return symbol_[index + (code - first)];
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        corrupt("a Huffman code that the block's table does not have");
    }

private:
    std::array<unsigned, 16> count_{};  // how many symbols have each code length
    std::vector<unsigned> symbol_;      // the symbols, by code length, then by value
};

constexpr std::array<unsigned, 29> length_base = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                                  31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr std::array<unsigned, 29> length_extra = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                                   2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr std::array<unsigned, 30> distance_base = {1,    2,    3,    4,    5,    7,     9,     13,    17,  25,
                                                    33,   49,   65,   97,   129,  193,   257,   385,   513, 769,
                                                    1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
constexpr std::array<unsigned, 30> distance_extra = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                                     6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

// Literals and (length, distance) copies until the end-of-block symbol 256.
void inflate_codes(BitReader& in, Output& output, const Huffman& lengths, const Huffman& distances) {
    std::vector<std::uint8_t>& out = output.bytes;
    for (;;) {
        const unsigned symbol = lengths.decode(in);
        if (symbol < 256) {
            output.check_room(1);
            out.push_back(static_cast<std::uint8_t>(symbol));
        } else if (symbol == 256) {
            return;
        } else {
            if (symbol - 257 >= length_base.size()) corrupt("a length symbol out of range");
            const unsigned length = length_base[symbol - 257] + in.bits(length_extra[symbol - 257]);
            const unsigned d = distances.decode(in);
            if (d >= distance_base.size()) corrupt("a distance symbol out of range");
            const std::size_t distance = distance_base[d] + in.bits(distance_extra[d]);
            if (distance > out.size() - output.start) corrupt("a copy from before the start of the data");
            output.check_room(length);
            for (unsigned i = 0; i < length; ++i) out.push_back(out[out.size() - distance]);
        }
    }
}

void inflate_stored(BitReader& in, Output& output) {
    in.skip_to_byte();
    const unsigned length = in.byte() | unsigned(in.byte()) << 8;
    const unsigned complement = in.byte() | unsigned(in.byte()) << 8;
    if ((length ^ 0xffff) != complement) corrupt("a stored block's length and its complement disagree");
    output.check_room(length);
    for (unsigned i = 0; i < length; ++i) output.bytes.push_back(in.byte());
}

void inflate_fixed(BitReader& in, Output& out) {
    std::array<unsigned, 288> lengths{};
    std::fill(lengths.begin(), lengths.begin() + 144, 8);
    std::fill(lengths.begin() + 144, lengths.begin() + 256, 9);
    std::fill(lengths.begin() + 256, lengths.begin() + 280, 7);
    std::fill(lengths.begin() + 280, lengths.end(), 8);
    const std::array<unsigned, 30> distance_lengths = [] { std::array<unsigned, 30> l{}; l.fill(5); return l; }();
    inflate_codes(in, out, Huffman(lengths), Huffman(distance_lengths));
}

// A dynamic block first sends its code lengths, themselves Huffman-coded.
void inflate_dynamic(BitReader& in, Output& out) {
    const unsigned literal_count = in.bits(5) + 257, distance_count = in.bits(5) + 1, code_count = in.bits(4) + 4;
    constexpr std::array<unsigned, 19> order = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    std::array<unsigned, 19> code_lengths{};
    for (unsigned i = 0; i < code_count; ++i) code_lengths[order[i]] = in.bits(3);
    const Huffman length_code(code_lengths);

    std::vector<unsigned> lengths;
    while (lengths.size() < literal_count + distance_count) {
        const unsigned symbol = length_code.decode(in);
        if (symbol < 16) {
            lengths.push_back(symbol);
            continue;
        }
        unsigned repeat = 0, value = 0;
        if (symbol == 16) {
            if (lengths.empty()) corrupt("a repeat with nothing to repeat");
            value = lengths.back();
            repeat = 3 + in.bits(2);
        } else {
            repeat = symbol == 17 ? 3 + in.bits(3) : 11 + in.bits(7);
        }
        if (lengths.size() + repeat > literal_count + distance_count) corrupt("too many code lengths");
        lengths.insert(lengths.end(), repeat, value);
    }
    if (lengths[256] == 0) corrupt("a block without an end-of-block code");
    const std::span<const unsigned> all(lengths);
    inflate_codes(in, out, Huffman(all.first(literal_count)), Huffman(all.subspan(literal_count)));
}

std::uint32_t read_le32(std::span<const std::uint8_t> bytes, std::size_t at) {
    return std::uint32_t(bytes[at]) | std::uint32_t(bytes[at + 1]) << 8 | std::uint32_t(bytes[at + 2]) << 16 |
           std::uint32_t(bytes[at + 3]) << 24;
}

// The length of a gzip member's header, with its optional fields.
std::size_t gzip_header_length(std::span<const std::uint8_t> gz, const std::string& source) {
    if (gz.size() < 18 || gz[0] != 0x1f || gz[1] != 0x8b)
        throw std::runtime_error(source + ": not gzip data (expected it to start with the bytes 1f 8b)");
    if (gz[2] != 8) throw std::runtime_error(source + ": unknown gzip compression method " + std::to_string(gz[2]));
    const std::uint8_t flags = gz[3];
    std::size_t at = 10;
    const auto need = [&](std::size_t n) {
        if (at + n > gz.size()) throw std::runtime_error(source + ": the gzip header is cut short");
    };
    if (flags & 4) {  // FEXTRA
        need(2);
        at += 2 + (gz[at] | std::size_t(gz[at + 1]) << 8);
    }
    for (int field : {8, 16}) {  // FNAME, FCOMMENT: zero-terminated
        if (!(flags & field)) continue;
        while (need(1), gz[at] != 0) ++at;
        ++at;
    }
    if (flags & 2) at += 2;  // FHCRC
    need(0);
    return at;
}

}  // namespace

std::uint32_t crc32(std::span<const std::uint8_t> bytes, std::uint32_t crc) {
    static const std::array<std::uint32_t, 256> table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t n = 0; n < 256; ++n) {
            std::uint32_t c = n;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    crc = ~crc;
    for (std::uint8_t b : bytes) crc = table[(crc ^ b) & 0xff] ^ (crc >> 8);
    return ~crc;
}

std::size_t inflate(std::span<const std::uint8_t> deflated, std::vector<std::uint8_t>& out, std::size_t limit) {
    BitReader in(deflated);
    Output output{out, out.size(), limit};
    for (bool last = false; !last;) {
        last = in.bits(1) == 1;
        switch (in.bits(2)) {
            case 0: inflate_stored(in, output); break;
            case 1: inflate_fixed(in, output); break;
            case 2: inflate_dynamic(in, output); break;
            default: corrupt("a block of the reserved type 3");
        }
    }
    in.skip_to_byte();
    return in.byte_position();
}

std::vector<std::uint8_t> gunzip(std::span<const std::uint8_t> gz, const std::string& source, std::size_t limit) {
    std::vector<std::uint8_t> out;
    for (std::size_t at = 0; at < gz.size();) {  // a gzip file may hold several members
        const std::span<const std::uint8_t> member = gz.subspan(at);
        const std::size_t header = gzip_header_length(member, source);
        const std::size_t start = out.size();
        std::size_t used = 0;
        try {
            used = inflate(member.subspan(header), out, limit);
        } catch (const std::runtime_error& error) {
            throw std::runtime_error(source + ": " + error.what());
        }
        const std::size_t trailer = header + used;
        if (trailer + 8 > member.size()) throw std::runtime_error(source + ": the gzip data is cut short");
        const std::span<const std::uint8_t> produced(out.data() + start, out.size() - start);
        if (crc32(produced) != read_le32(member, trailer))
            throw std::runtime_error(source + ": the CRC-32 check failed: the data is damaged");
        if (std::uint32_t(produced.size()) != read_le32(member, trailer + 4))
            throw std::runtime_error(source + ": the decompressed length differs from the length gzip recorded");
        at += trailer + 8;
    }
    return out;
}

std::vector<std::uint8_t> read_file(const std::filesystem::path& path, std::size_t limit) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path.string());
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b) return gunzip(bytes, path.string(), limit);
    return bytes;
}

}  // namespace fcnn::data
