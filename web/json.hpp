// A few lines of JSON writing for the page and the reference program: numbers with 17
// significant digits (%.17g), so that a double read back by JavaScript or Python is the same bits.
#pragma once

#include <cmath>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>

#include <fcnn/fcnn.hpp>

namespace playground::json {

inline std::string number(double x) {
    if (!std::isfinite(x)) return "null";  // JSON has no NaN or infinity; the page shows "nan"
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", x);
    return text;
}

inline std::string quoted(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') { out += "\\n"; continue; }
        out += c;
    }
    return out + "\"";
}

template <typename Values>
std::string array(const Values& values) {
    std::string out = "[";
    for (const auto& x : values) {
        if (out.size() > 1) out += ',';
        out += number(static_cast<double>(x));
    }
    return out + "]";
}

// {"rows":2,"cols":3,"values":[...]}: row by row, as the matrix stores them.
inline std::string matrix(const fcnn::Matrix& M) {
    return "{\"rows\":" + std::to_string(M.rows()) + ",\"cols\":" + std::to_string(M.cols()) +
           ",\"values\":" + array(M.values()) + "}";
}

template <typename List, typename Write>
std::string list(const List& items, Write write) {
    std::string out = "[";
    for (const auto& item : items) {
        if (out.size() > 1) out += ',';
        out += write(item);
    }
    return out + "]";
}

inline std::string matrices(std::span<const fcnn::Matrix> list_of) {
    return list(list_of, [](const fcnn::Matrix& M) { return matrix(M); });
}

}  // namespace playground::json
