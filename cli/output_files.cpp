#include "output_files.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <span>
#include <stdexcept>

#include <fcnn/data/gzip.hpp>

namespace cli {

void write_file_atomically(const std::filesystem::path& path, const std::string& bytes) {
    std::filesystem::path temporary = path;
    temporary += ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary);
        out << bytes;
        out.flush();
        if (!out) throw std::runtime_error("cannot write " + temporary.string());
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error) throw std::runtime_error("cannot replace " + path.string() + ": " + error.message());
}

namespace {

std::string format(const char* pattern, double a, double b = 0, double c = 0, double d = 0) {
    char text[256];
    std::snprintf(text, sizeof text, pattern, a, b, c, d);
    return text;
}

// One chart: a frame at (x0, y0) of size w x h, axes with ticks, and a line per series.
std::string chart(double x0, double y0, double w, double h, const std::string& name,
                  const std::vector<std::pair<std::vector<double>, std::string>>& series) {
    double low = INFINITY, high = -INFINITY;
    std::size_t n = 0;
    for (const auto& [values, colour] : series)
        for (double v : values) low = std::min(low, v), high = std::max(high, v), n = std::max(n, values.size());
    if (high - low < 1e-12) low -= 0.5, high += 0.5;
    const auto x_of = [&](std::size_t i) { return x0 + (n > 1 ? w * double(i) / double(n - 1) : w / 2); };
    const auto y_of = [&](double v) { return y0 + h - h * (v - low) / (high - low); };
    std::string svg = format("<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='none' stroke='#444'/>\n", x0, y0, w, h);
    svg += format("<text x='%.1f' y='%.1f' text-anchor='middle' font-size='14'>", x0 + w / 2, y0 - 8) + name + "</text>\n";
    for (int t = 0; t <= 4; ++t) {  // five ticks on the value axis
        const double v = low + (high - low) * t / 4;
        svg += format("<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='#ddd'/>", x0, y_of(v), x0 + w, y_of(v));
        svg += format("<text x='%.1f' y='%.1f' text-anchor='end' font-size='11'>%.3f</text>\n", x0 - 5, y_of(v) + 4, v);
    }
    const std::size_t step = std::max<std::size_t>(1, n / 8);
    for (std::size_t i = 0; i < n; i += step)  // epoch ticks, counting from 1
        svg += format("<text x='%.1f' y='%.1f' text-anchor='middle' font-size='11'>%.0f</text>\n", x_of(i), y0 + h + 15,
                      double(i + 1));
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

// zlib data made of stored DEFLATE blocks: no compression, just framing and the Adler-32 sum.
std::string zlib_stored(const std::string& raw) {
    std::string z = "\x78\x01";
    for (std::size_t at = 0; at == 0 || at < raw.size(); at += 65535) {
        const std::size_t n = std::min<std::size_t>(65535, raw.size() - at);
        z += static_cast<char>(at + n >= raw.size() ? 1 : 0);  // the last block has BFINAL set
        z += static_cast<char>(n & 0xff), z += static_cast<char>(n >> 8);
        z += static_cast<char>(~n & 0xff), z += static_cast<char>((~n >> 8) & 0xff);
        z += raw.substr(at, n);
    }
    std::uint32_t a = 1, b = 0;
    for (unsigned char c : raw) a = (a + c) % 65521, b = (b + a) % 65521;
    put_be32(z, b << 16 | a);
    return z;
}

}  // namespace

std::string weights_png(const fcnn::Matrix& W) {
    const auto side = static_cast<std::size_t>(std::lround(std::sqrt(double(W.cols()))));
    if (side * side != W.cols())
        throw std::runtime_error("--weights-image needs square inputs (like 28x28 images); the first layer has " +
                                 std::to_string(W.cols()) + " inputs");
    const std::size_t grid = static_cast<std::size_t>(std::ceil(std::sqrt(double(W.rows()))));
    const std::size_t cell = side + 1, width = grid * cell + 1, height = ((W.rows() + grid - 1) / grid) * cell + 1;
    std::vector<std::uint8_t> pixels(width * height, 128);  // grey between the tiles
    for (std::size_t neuron = 0; neuron < W.rows(); ++neuron) {
        double low = INFINITY, high = -INFINITY;
        for (std::size_t k = 0; k < W.cols(); ++k) low = std::min(low, W(neuron, k)), high = std::max(high, W(neuron, k));
        const double range = high > low ? high - low : 1;
        const std::size_t top = (neuron / grid) * cell + 1, left = (neuron % grid) * cell + 1;
        for (std::size_t k = 0; k < W.cols(); ++k)
            pixels[(top + k / side) * width + left + k % side] =
                static_cast<std::uint8_t>(std::lround(255 * (W(neuron, k) - low) / range));
    }
    std::string raw;
    for (std::size_t y = 0; y < height; ++y) {
        raw += '\0';  // filter type 0: the row as it is
        raw.append(reinterpret_cast<const char*>(&pixels[y * width]), width);
    }
    std::string header;
    put_be32(header, static_cast<std::uint32_t>(width));
    put_be32(header, static_cast<std::uint32_t>(height));
    header += std::string("\x08\x00\x00\x00\x00", 5);  // 8 bits, greyscale, deflate, no filter choice, no interlace
    std::string png = "\x89PNG\r\n\x1a\n";
    put_chunk(png, "IHDR", header);
    put_chunk(png, "IDAT", zlib_stored(raw));
    put_chunk(png, "IEND", "");
    return png;
}

}  // namespace cli
