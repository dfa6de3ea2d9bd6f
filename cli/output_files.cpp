#include "output_files.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <span>
#include <stdexcept>

#include <fcnn/data/gzip.hpp>

namespace cli {

namespace {

std::string format(const char* pattern, double a, double b = 0, double c = 0, double d = 0) {
    char text[256];
    std::snprintf(text, sizeof text, pattern, a, b, c, d);
    return text;
}

// The tick step of an axis as plotting libraries choose it: 1, 2 or 5 times a power of ten, the
// smallest that shows `span` in at most `most` steps.
double nice_step(double span, int most) {
    const double rough = span / most, power = std::pow(10.0, std::floor(std::log10(rough)));
    for (double factor : {1.0, 2.0, 5.0})
        if (factor * power >= rough * (1 - 1e-9)) return factor * power;
    return 10 * power;
}

// One chart: a frame at (x0, y0) of size w x h, axes with ticks, and a line per series.
std::string chart(double x0, double y0, double w, double h, const std::string& name,
                  const std::vector<std::pair<std::vector<double>, std::string>>& series) {
    double low = INFINITY, high = -INFINITY;
    std::size_t n = 0;
    for (const auto& [values, colour] : series)
        for (double v : values) low = std::min(low, v), high = std::max(high, v), n = std::max(n, values.size());
    if (high - low < 1e-12) low -= 0.5, high += 0.5;
    const double step = nice_step(high - low, 5);  // the value axis runs from tick to tick
    low = std::floor(low / step + 1e-9) * step, high = std::ceil(high / step - 1e-9) * step;
    const int decimals = std::max(0, -static_cast<int>(std::floor(std::log10(step) + 1e-9)));
    const auto x_of = [&](std::size_t i) { return x0 + (n > 1 ? w * double(i) / double(n - 1) : w / 2); };
    const auto y_of = [&](double v) { return y0 + h - h * (v - low) / (high - low); };
    std::string svg = format("<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='none' stroke='#444'/>\n", x0, y0, w, h);
    svg += format("<text x='%.1f' y='%.1f' text-anchor='middle' font-size='14'>", x0 + w / 2, y0 - 8) + name + "</text>\n";
    const long ticks = std::lround((high - low) / step);
    for (long t = 0; t <= ticks; ++t) {
        const double v = low + step * double(t);
        svg += format("<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='#ddd'/>", x0, y_of(v), x0 + w, y_of(v));
        const std::string label = "<text x='%.1f' y='%.1f' text-anchor='end' font-size='11'>%." + std::to_string(decimals) + "f</text>\n";
        svg += format(label.c_str(), x0 - 5, y_of(v) + 4, v);
    }
    // Epochs count from 1: ticks at the multiples of a 1-2-5 step, whole numbers.
    const auto epoch_step = static_cast<std::size_t>(std::max(1.0, nice_step(double(std::max<std::size_t>(n, 2) - 1), 8)));
    for (std::size_t epoch = 1; epoch <= n; ++epoch)
        if (epoch % epoch_step == 0 || n == 1)
            svg += format("<text x='%.1f' y='%.1f' text-anchor='middle' font-size='11'>%.0f</text>\n", x_of(epoch - 1),
                          y0 + h + 15, double(epoch));
    svg += format("<text x='%.1f' y='%.1f' text-anchor='middle' font-size='12'>epoch</text>\n", x0 + w / 2, y0 + h + 32);
    for (const auto& [values, colour] : series) {
        std::string points;
        for (std::size_t i = 0; i < values.size(); ++i) points += format("%.1f,%.1f ", x_of(i), y_of(values[i]));
        svg += "<polyline fill='none' stroke-width='2' stroke='" + colour + "' points='" + points + "'/>\n";
    }
    return svg;
}

}  // namespace

std::string training_plot_svg(const std::vector<EpochLine>& epochs, const std::string& title) {
    std::vector<double> loss, accuracy, validation_loss, validation_accuracy;
    for (const EpochLine& e : epochs) {
        loss.push_back(e.loss);
        accuracy.push_back(e.accuracy);
        if (e.validation_loss) validation_loss.push_back(*e.validation_loss), validation_accuracy.push_back(*e.validation_accuracy);
    }
    const std::string train_colour = "#1f77b4", validation_colour = "#ff7f0e";
    std::string svg = "<svg xmlns='http://www.w3.org/2000/svg' width='900' height='420' font-family='sans-serif'>\n"
                      "<rect width='900' height='420' fill='white'/>\n"
                      "<text x='450' y='24' text-anchor='middle' font-size='16'>" + title + "</text>\n";
    svg += chart(80, 60, 330, 280, "loss", {{loss, train_colour}, {validation_loss, validation_colour}});
    svg += chart(530, 60, 330, 280, "accuracy", {{accuracy, train_colour}, {validation_accuracy, validation_colour}});
    svg += "<rect x='330' y='392' width='14' height='4' fill='" + train_colour + "'/>"
           "<text x='350' y='398' font-size='12'>training</text>\n";
    if (!validation_loss.empty())
        svg += "<rect x='450' y='392' width='14' height='4' fill='" + validation_colour + "'/>"
               "<text x='470' y='398' font-size='12'>validation</text>\n";
    return svg + "</svg>\n";
}

std::string training_log_csv(const std::vector<EpochLine>& epochs) {
    std::string csv = "epoch,loss,accuracy,val_loss,val_accuracy,seconds\n";
    for (const EpochLine& e : epochs) {
        csv += format("%.0f,%.6f,%.6f,", double(e.epoch), e.loss, e.accuracy);
        csv += e.validation_loss ? format("%.6f,%.6f,", *e.validation_loss, *e.validation_accuracy) : ",,";
        csv += format("%.3f\n", e.seconds);
    }
    return csv;
}

namespace {

void put_be32(std::string& out, std::uint32_t v) {
    for (int shift : {24, 16, 8, 0}) out += static_cast<char>((v >> shift) & 0xff);
}

// A PNG chunk: length, type, data, and the CRC-32 of type and data.
void put_chunk(std::string& png, const std::string& type, const std::string& data) {
    put_be32(png, static_cast<std::uint32_t>(data.size()));
    const std::string body = type + data;
    png += body;
    put_be32(png, fcnn::data::crc32(std::span(reinterpret_cast<const std::uint8_t*>(body.data()), body.size())));
}

std::uint32_t adler32(const std::string& bytes) {
    std::uint32_t a = 1, b = 0;
    for (unsigned char c : bytes) a = (a + c) % 65521, b = (b + a) % 65521;
    return b << 16 | a;
}

// DEFLATE writes its bits from the least significant up, and each Huffman code from its top bit.
class BitWriter {
public:
    void bits(std::uint32_t value, int count) {  // the low `count` bits of value, lowest first
        for (int i = 0; i < count; ++i) put((value >> i) & 1);
    }
    void code(std::uint32_t value, int length) {  // a Huffman code, top bit first
        for (int i = length; i-- > 0;) put((value >> i) & 1);
    }
    std::string finish() {
        if (used_ != 0) bytes_ += static_cast<char>(byte_);
        return bytes_;
    }

private:
    void put(std::uint32_t bit) {
        byte_ |= bit << used_;
        if (++used_ == 8) bytes_ += static_cast<char>(byte_), byte_ = 0, used_ = 0;
    }
    std::string bytes_;
    std::uint32_t byte_ = 0;
    int used_ = 0;
};

// A byte (0-255), the end of the block (256) or a length (257-285) in DEFLATE's fixed code (RFC 1951, 3.2.6).
void put_fixed_symbol(BitWriter& out, std::uint32_t symbol) {
    if (symbol < 144) out.code(0x30 + symbol, 8);
    else if (symbol < 256) out.code(0x190 + symbol - 144, 9);
    else if (symbol < 280) out.code(symbol - 256, 7);
    else out.code(0xc0 + symbol - 280, 8);
}

// "Repeat the `length` bytes (3 to 258) that start `distance` bytes back", for distances 1 and 3.
void put_fixed_match(BitWriter& out, std::size_t length, std::size_t distance) {
    static const std::uint16_t base[] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                         31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    static const std::uint8_t extra[] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
    std::size_t code = 28;
    while (base[code] > length) --code;
    put_fixed_symbol(out, static_cast<std::uint32_t>(257 + code));
    out.bits(static_cast<std::uint32_t>(length - base[code]), extra[code]);
    out.code(distance == 1 ? 0 : 2, 5);  // distance codes 0 and 2: distances 1 and 3, no extra bits
}

// zlib data: one DEFLATE block with the fixed codes, which finds only repeats of the byte before
// (runs of zeros, the rows png_of filters away) and of the pixel before (3 bytes back): enough for
// pictures made of flat squares, which it stores in a fifth to a tenth of their size.
std::string zlib_compressed(const std::string& raw) {
    BitWriter out;
    out.bits(1, 1);  // the last block
    out.bits(1, 2);  // with the fixed codes
    for (std::size_t i = 0; i < raw.size();) {
        std::size_t length = 0, distance = 0;
        for (std::size_t back : {1, 3}) {
            std::size_t n = 0;
            while (i >= back && n < 258 && i + n < raw.size() && raw[i + n] == raw[i + n - back]) ++n;
            if (n > length) length = n, distance = back;
        }
        if (length >= 3) {
            put_fixed_match(out, length, distance);
            i += length;
        } else {
            put_fixed_symbol(out, static_cast<unsigned char>(raw[i++]));
        }
    }
    put_fixed_symbol(out, 256);
    std::string z = "\x78\x01" + out.finish();
    put_be32(z, adler32(raw));
    return z;
}

}  // namespace

namespace {

struct Rgb {
    std::uint8_t r, g, b;
    bool operator==(const Rgb&) const = default;
};

// A picture in memory: width x height RGB pixels, row by row.
struct Picture {
    std::size_t width, height;
    std::vector<Rgb> pixels;
    Picture(std::size_t w, std::size_t h, Rgb background) : width(w), height(h), pixels(w * h, background) {}
    void fill(std::size_t left, std::size_t top, std::size_t w, std::size_t h, Rgb colour) {
        for (std::size_t y = top; y < top + h && y < height; ++y)
            for (std::size_t x = left; x < left + w && x < width; ++x) pixels[y * width + x] = colour;
    }
};

// Blue for negative, white for zero, red for positive (a diverging map, as ColorBrewer's RdBu):
// t in [-1, 1] is the weight over the largest |weight|.
Rgb diverging(double t) {
    t = std::clamp(t, -1.0, 1.0);
    const Rgb end = t < 0 ? Rgb{33, 102, 172} : Rgb{178, 24, 43};
    const double s = std::abs(t);
    const auto mix = [s](std::uint8_t to) { return static_cast<std::uint8_t>(std::lround(255 + s * (double(to) - 255))); };
    return {mix(end.r), mix(end.g), mix(end.b)};
}

// A 3 x 5 pixel font for the legend's numbers: each glyph is five rows of three bits.
void draw_text(Picture& picture, std::size_t left, std::size_t top, const std::string& text, std::size_t scale) {
    static const std::string glyphs = "0123456789.-+>";
    static const int rows[][5] = {{7, 5, 5, 5, 7}, {2, 6, 2, 2, 7}, {7, 1, 7, 4, 7}, {7, 1, 7, 1, 7}, {5, 5, 7, 1, 1},
                                  {7, 4, 7, 1, 7}, {7, 4, 7, 5, 7}, {7, 1, 1, 1, 1}, {7, 5, 7, 5, 7}, {7, 5, 7, 1, 7},
                                  {0, 0, 0, 0, 2}, {0, 0, 7, 0, 0}, {0, 2, 7, 2, 0}, {4, 2, 1, 2, 4}};
    for (std::size_t i = 0; i < text.size(); ++i) {
        const std::size_t glyph = glyphs.find(text[i]);
        if (glyph == std::string::npos) continue;
        for (std::size_t y = 0; y < 5; ++y)
            for (std::size_t x = 0; x < 3; ++x)
                if (rows[glyph][y] & (4 >> x))
                    picture.fill(left + (i * 4 + x) * scale, top + y * scale, scale, scale, {0, 0, 0});
    }
}

std::string png_of(const Picture& picture) {
    std::string raw;
    for (std::size_t y = 0; y < picture.height; ++y) {
        const auto row = picture.pixels.begin() + static_cast<std::ptrdiff_t>(y * picture.width);
        const auto width = static_cast<std::ptrdiff_t>(picture.width);
        if (y > 0 && std::equal(row, row + width, row - width)) {
            raw += '\2';  // filter type 2, "up": each byte minus the one above, all zeros here
            raw.append(3 * picture.width, '\0');
            continue;
        }
        raw += '\0';  // filter type 0: the row as it is
        for (auto p = row; p != row + width; ++p)
            raw += static_cast<char>(p->r), raw += static_cast<char>(p->g), raw += static_cast<char>(p->b);
    }
    std::string header;
    put_be32(header, static_cast<std::uint32_t>(picture.width));
    put_be32(header, static_cast<std::uint32_t>(picture.height));
    header += std::string("\x08\x02\x00\x00\x00", 5);  // 8 bits, RGB, deflate, filters per row, no interlace
    std::string png = "\x89PNG\r\n\x1a\n";
    put_chunk(png, "IHDR", header);
    put_chunk(png, "IDAT", zlib_compressed(raw));
    put_chunk(png, "IEND", "");
    return png;
}

std::string signed_text(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%+.2f", value);
    return text;
}

}  // namespace

WeightsImageLayout weights_image_layout(std::size_t neurons, std::size_t inputs) {
    WeightsImageLayout layout;
    layout.side = static_cast<std::size_t>(std::lround(std::sqrt(double(inputs))));
    if (layout.side * layout.side != inputs)
        throw std::runtime_error("--weights-image needs square inputs (like 28x28 images); the first layer has " +
                                 std::to_string(inputs) + " inputs");
    layout.scale = std::max<std::size_t>(4, (64 + layout.side - 1) / layout.side);  // a tile at least 64 pixels wide
    layout.columns = static_cast<std::size_t>(std::ceil(std::sqrt(double(neurons))));
    const std::size_t tile = layout.side * layout.scale, rows = (neurons + layout.columns - 1) / layout.columns;
    layout.width = std::max<std::size_t>(layout.columns * (tile + layout.gap) + layout.gap, 200);
    layout.height = rows * (tile + layout.gap) + layout.gap + layout.legend_height;
    return layout;
}

std::string weights_png(const fcnn::Matrix& W) {
    const WeightsImageLayout layout = weights_image_layout(W.rows(), W.cols());
    double largest = 0;  // one colour scale for every tile, so that tiles can be compared
    for (std::size_t j = 0; j < W.rows(); ++j)
        for (std::size_t k = 0; k < W.cols(); ++k) largest = std::max(largest, std::abs(W(j, k)));
    if (largest == 0) largest = 1;
    Picture picture(layout.width, layout.height, {160, 160, 160});  // grey gaps between the tiles
    const std::size_t tile = layout.side * layout.scale;
    for (std::size_t j = 0; j < W.rows(); ++j) {  // neuron j's weights over the inputs, as an image
        const std::size_t left = layout.gap + (j % layout.columns) * (tile + layout.gap);
        const std::size_t top = layout.gap + (j / layout.columns) * (tile + layout.gap);
        for (std::size_t k = 0; k < W.cols(); ++k)
            picture.fill(left + (k % layout.side) * layout.scale, top + (k / layout.side) * layout.scale, layout.scale,
                         layout.scale, diverging(W(j, k) / largest));
    }
    // The legend: the colour bar from -largest to +largest, with its ends and middle labelled.
    const std::size_t bar_top = layout.height - layout.legend_height + 8, bar_width = 180, bar_left = layout.gap;
    picture.fill(bar_left, bar_top, layout.width - 2 * layout.gap, layout.legend_height - 12, {255, 255, 255});
    for (std::size_t x = 0; x < bar_width; ++x)
        picture.fill(bar_left + 4 + x, bar_top + 4, 1, 12, diverging(2.0 * double(x) / double(bar_width - 1) - 1));
    draw_text(picture, bar_left + 4, bar_top + 22, signed_text(-largest), 2);
    draw_text(picture, bar_left + 4 + bar_width / 2 - 3, bar_top + 22, "0", 2);
    const std::string high = signed_text(largest);
    draw_text(picture, bar_left + 4 + bar_width - high.size() * 8, bar_top + 22, high, 2);
    return png_of(picture);
}

std::string samples_png(const fcnn::FloatMatrix& X_rows, const std::vector<std::size_t>& samples,
                        const std::vector<std::string>& labels) {
    const auto side = static_cast<std::size_t>(std::lround(std::sqrt(double(X_rows.cols()))));
    if (side * side != X_rows.cols())
        throw std::runtime_error("fcnn show needs square images (like 28x28); the data has " + std::to_string(X_rows.cols()) +
                                 " features");
    const std::size_t scale = std::max<std::size_t>(3, (84 + side - 1) / side), tile = side * scale, gap = 6;
    const std::size_t label_height = 16, columns = static_cast<std::size_t>(std::ceil(std::sqrt(double(samples.size()))));
    const std::size_t rows = (samples.size() + columns - 1) / columns;
    Picture picture(columns * (tile + gap) + gap, rows * (tile + label_height + gap) + gap, {255, 255, 255});
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const std::size_t left = gap + (i % columns) * (tile + gap), top = gap + (i / columns) * (tile + label_height + gap);
        const std::span<const float> image = X_rows.values().subspan(samples[i] * X_rows.cols(), X_rows.cols());  // its row
        float low = INFINITY, high = -INFINITY;  // each image from its darkest to its lightest pixel
        for (float x : image) low = std::min(low, x), high = std::max(high, x);
        const float range = high > low ? high - low : 1;
        for (std::size_t k = 0; k < image.size(); ++k) {
            const auto grey = static_cast<std::uint8_t>(std::lround(255 * (image[k] - low) / range));
            picture.fill(left + (k % side) * scale, top + (k / side) * scale, scale, scale, {grey, grey, grey});
        }
        draw_text(picture, left, top + tile + 3, labels[i], 2);
    }
    return png_of(picture);
}

}  // namespace cli
