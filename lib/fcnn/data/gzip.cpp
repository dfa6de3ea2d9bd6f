// DEFLATE (RFC 1951), after Mark Adler's puff.c, with the one change that makes it fast: a
// Huffman code is decoded by looking its bits up in a table, not by reading one bit at a time.
// Short enough to read in one sitting; tests/test_data.cpp checks it on gzip's own output.
#include "fcnn/data/gzip.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <fstream>
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

// Reads bits least significant first, as DEFLATE packs them. The reader keeps up to 64 bits in
// a buffer, so that a Huffman code can be looked at (peek) before it is known how long it is,
// and then consumed (drop). Past the end of the data, peek sees zero bits; drop refuses them.
class BitReader {
public:
    explicit BitReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

    // The next `count` bits (at most 16) without consuming them.
    unsigned peek(unsigned count) {
        if (count_ < count) refill();
        return static_cast<unsigned>(buffer_ & ((std::uint64_t(1) << count) - 1));
    }
    void drop(unsigned count) {
        if (count > count_) corrupt("the data ends in the middle of a block");
        buffer_ >>= count;
        count_ -= count;
    }
    unsigned bits(unsigned count) {
        const unsigned value = peek(count);
        drop(count);
        return value;
    }
    void skip_to_byte() { drop(count_ % 8); }
    // Where the next whole byte starts in the input (after skip_to_byte).
    std::size_t byte_position() const { return next_ - count_ / 8; }
    // A stored block's bytes, copied as they are (after skip_to_byte).
    void copy_bytes(std::size_t count, std::vector<std::uint8_t>& out) {
        for (; count > 0 && count_ >= 8; --count) out.push_back(static_cast<std::uint8_t>(bits(8)));
        if (count == 0) return;
        buffer_ = 0;  // empty now; the bytes it saw ahead are copied below, and must not be seen again
        if (count > bytes_.size() - next_) corrupt("a stored block is cut short");
        out.insert(out.end(), bytes_.begin() + static_cast<std::ptrdiff_t>(next_),
                   bytes_.begin() + static_cast<std::ptrdiff_t>(next_ + count));
        next_ += count;
    }

private:
    // Tops the buffer up to at least 56 bits. Away from the end, eight bytes are loaded at once and
    // as many of them kept as fit; the bits above count_ are then the bytes still to come, so the
    // next load ORs the same bits onto them. Near the end, one byte at a time.
    void refill() {
        if (bytes_.size() - next_ >= 8) {
            std::uint64_t next_eight = 0;
            if constexpr (std::endian::native == std::endian::little)
                std::memcpy(&next_eight, bytes_.data() + next_, 8);  // one load instruction
            else
                for (unsigned i = 0; i < 8; ++i) next_eight |= std::uint64_t(bytes_[next_ + i]) << (8 * i);
            buffer_ |= next_eight << count_;
            const unsigned kept = (63 - count_) / 8;
            next_ += kept;
            count_ += 8 * kept;
            return;
        }
        for (; count_ <= 56 && next_ < bytes_.size(); count_ += 8) buffer_ |= std::uint64_t(bytes_[next_++]) << count_;
    }

    std::span<const std::uint8_t> bytes_;
    std::size_t next_ = 0;      // the next byte to move into the buffer
    std::uint64_t buffer_ = 0;  // the bits read but not consumed, the next one lowest
    unsigned count_ = 0;        // how many bits the buffer holds
};

// A canonical Huffman code, given the code length of each symbol (0: not used).
// Decoding looks the next `table_bits` bits up in a table: the entry for every bit pattern that
// starts with a code names that code's symbol and length, so most codes take one look-up.
// Codes longer than table_bits (rare symbols) are decoded by counting, as puff.c does: how many
// codes of each length come before the code read so far.
class Huffman {
public:
    explicit Huffman(std::span<const unsigned> lengths) {
        for (unsigned length : lengths) ++count_[length];
        count_[0] = 0;  // unused symbols have no code
        int unused = 1;  // codes of the current length not yet taken; below 0, the lengths are impossible
        for (unsigned length = 1; length < 16; ++length)
            if ((unused = 2 * unused - int(count_[length])) < 0) corrupt("a Huffman code with more codes than its lengths allow");
        std::array<unsigned, 16> offset{};  // where the symbols of each length start in symbol_
        for (unsigned length = 1; length < 15; ++length) offset[length + 1] = offset[length] + count_[length];
        symbol_.resize(lengths.size());
        for (unsigned s = 0; s < lengths.size(); ++s)
            if (lengths[s] != 0) symbol_[offset[lengths[s]]++] = s;
        fill_table(lengths);
    }

    unsigned decode(BitReader& in) const {
        const Entry entry = table_[in.peek(table_bits)];
        if (entry.length == 0) return decode_long(in);
        in.drop(entry.length);
        return entry.symbol;
    }

private:
    static constexpr unsigned table_bits = 10;
    struct Entry {
        std::uint16_t symbol = 0;
        std::uint8_t length = 0;  // 0: no code of at most table_bits bits starts with these bits
    };

    // Canonical codes are numbered in order of length, then symbol (RFC 1951, 3.2.2). DEFLATE
    // sends a code's first bit first, so its table index holds the code's bits reversed.
    void fill_table(std::span<const unsigned> lengths) {
        std::array<unsigned, 16> next_code{};
        for (unsigned length = 1, code = 0; length < 16; ++length) {
            code = (code + count_[length - 1]) << 1;
            next_code[length] = code;
        }
        for (unsigned s = 0; s < lengths.size(); ++s) {
            const unsigned length = lengths[s];
            if (length == 0) continue;
            const unsigned code = next_code[length]++;
            if (length > table_bits) continue;
            unsigned reversed = 0;
            for (unsigned bit = 0; bit < length; ++bit) reversed |= ((code >> bit) & 1) << (length - 1 - bit);
            for (unsigned index = reversed; index < table_.size(); index += 1u << length)
                table_[index] = {static_cast<std::uint16_t>(s), static_cast<std::uint8_t>(length)};
        }
    }

    unsigned decode_long(BitReader& in) const {
        const unsigned bits = in.peek(15);
        unsigned code = 0, first = 0, index = 0;  // codes of length len are first .. first + count - 1
        for (unsigned length = 1; length < 16; ++length) {
            code |= (bits >> (length - 1)) & 1;
            const unsigned count = count_[length];
            if (code < first + count) {
                in.drop(length);
                return symbol_[index + (code - first)];
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        corrupt("a Huffman code that the block's table does not have");
    }

    std::array<unsigned, 16> count_{};  // how many symbols have each code length
    std::vector<unsigned> symbol_;      // the symbols, by code length, then by value
    std::array<Entry, std::size_t(1) << table_bits> table_{};
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
            out.resize(out.size() + length);
            std::uint8_t* to = out.data() + out.size() - length;
            const std::uint8_t* from = to - distance;
            if (distance >= length) {
                std::copy_n(from, length, to);
            } else {  // the copy repeats bytes it has just written: one at a time, in order
                for (unsigned i = 0; i < length; ++i) to[i] = from[i];
            }
        }
    }
}

void inflate_stored(BitReader& in, Output& output) {
    in.skip_to_byte();
    const unsigned length = in.bits(16);
    const unsigned complement = in.bits(16);
    if ((length ^ 0xffff) != complement) corrupt("a stored block's length and its complement disagree");
    output.check_room(length);
    in.copy_bytes(length, output.bytes);
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

// The decompressed length the (last) member's trailer records, so the output is allocated once.
// Only a hint: never more than DEFLATE can produce from this input (1032 bytes per byte).
std::size_t expected_length(std::span<const std::uint8_t> gz) {
    if (gz.size() < 18) return 0;
    const std::size_t recorded = read_le32(gz, gz.size() - 4);
    return recorded / 1032 <= gz.size() ? recorded : 0;
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

// Byte by byte, the CRC is crc = table[0][(crc ^ b) & 0xff] ^ (crc >> 8). "Slicing by 8" does
// eight bytes per step: table[k][v] is the CRC contribution of byte value v followed by k zero
// bytes, so the eight look-ups are independent and the processor overlaps them.
std::uint32_t crc32(std::span<const std::uint8_t> bytes, std::uint32_t crc) {
    static const std::array<std::array<std::uint32_t, 256>, 8> table = [] {
        std::array<std::array<std::uint32_t, 256>, 8> t{};
        for (std::uint32_t n = 0; n < 256; ++n) {
            std::uint32_t c = n;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
            t[0][n] = c;
        }
        for (std::size_t k = 1; k < 8; ++k)
            for (std::uint32_t n = 0; n < 256; ++n) t[k][n] = t[0][t[k - 1][n] & 0xff] ^ (t[k - 1][n] >> 8);
        return t;
    }();
    crc = ~crc;
    std::size_t i = 0;
    for (; i + 8 <= bytes.size(); i += 8) {
        const std::uint32_t low = crc ^ (std::uint32_t(bytes[i]) | std::uint32_t(bytes[i + 1]) << 8 |
                                         std::uint32_t(bytes[i + 2]) << 16 | std::uint32_t(bytes[i + 3]) << 24);
        crc = table[7][low & 0xff] ^ table[6][(low >> 8) & 0xff] ^ table[5][(low >> 16) & 0xff] ^ table[4][low >> 24] ^
              table[3][bytes[i + 4]] ^ table[2][bytes[i + 5]] ^ table[1][bytes[i + 6]] ^ table[0][bytes[i + 7]];
    }
    for (; i < bytes.size(); ++i) crc = table[0][(crc ^ bytes[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

std::size_t inflate_into(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> deflated, std::size_t limit) {
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
    out.reserve(std::min(expected_length(gz), limit));
    for (std::size_t at = 0; at < gz.size();) {  // a gzip file may hold several members
        const std::span<const std::uint8_t> member = gz.subspan(at);
        const std::size_t header = gzip_header_length(member, source);
        const std::size_t start = out.size();
        std::size_t used = 0;
        try {
            used = inflate_into(out, member.subspan(header), limit);
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
    std::vector<std::uint8_t> bytes;
    std::error_code no_size;  // a pipe has none: then the vector grows as it reads
    const std::uintmax_t size = std::filesystem::file_size(path, no_size);
    if (!no_size) bytes.reserve(static_cast<std::size_t>(size));
    // Read in large pieces straight into the vector: a byte at a time would cost more than inflating.
    constexpr std::size_t piece = std::size_t(1) << 16;
    for (std::size_t used = 0; in; used = bytes.size()) {
        bytes.resize(used + piece);
        in.read(reinterpret_cast<char*>(bytes.data() + used), static_cast<std::streamsize>(piece));
        bytes.resize(used + static_cast<std::size_t>(in.gcount()));
    }
    if (bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b) return gunzip(bytes, path.string(), limit);
    return bytes;
}

}  // namespace fcnn::data
