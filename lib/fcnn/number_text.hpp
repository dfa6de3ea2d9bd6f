#pragma once
// Floating-point numbers as text, the same on every standard library and in every locale: model
// files, CSV data and command-line flags are read and written through these two functions.
//
// number_text(x) is the shortest text that parse_number reads back to the same bits, in the
// style of C++17's std::to_chars: "0.1", "1e-05", "-0", "5e-324", "1.7976931348623157e+308".
// Where the standard library has floating-point std::to_chars and std::from_chars (GCC's
// libstdc++) they do the work; elsewhere (LLVM's libc++ as on macOS, Emscripten) a portable
// version does, which gives the same text and the same bits (tests/test_number_text.cpp checks
// the two against each other).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fcnn {

// The shortest text that reads back to exactly x.
std::string number_text(float x);
std::string number_text(double x);

enum class NumberError {
    none,
    not_a_number,  // not of the form [-]digits[.digits][e[+|-]digits], inf, infinity or nan
    out_of_range,  // too large for the type, or so small that it would read as 0
};

template <typename Scalar>
struct ParsedNumber {
    Scalar value = 0;  // 0 unless error is none
    NumberError error = NumberError::none;
    explicit operator bool() const { return error == NumberError::none; }
};

// Reads the whole of `text` as a Scalar (float or double), rounded to the nearest, as
// std::from_chars does: "-1.5", "2e-3", ".5", "1.", "inf", "nan" read; "+1", " 1", "1,5", "0x10"
// and "" do not. The decimal point is '.', whatever the locale. Subnormal numbers read as
// themselves; "1e-400" is out of range rather than silently 0, and "1e400" rather than infinity.
template <typename Scalar>
ParsedNumber<Scalar> parse_number(std::string_view text);

// Reads the whole of `text` as a whole number in decimal digits, 0 to 2^64 - 1: "0", "42" and
// "007" read; "-1", "+1", "0.7", "1e3", " 1", "0x10", "" and 18446744073709551616 do not. The one
// reader of counts and sizes in fcnn (model files, scale files, CSV, .npz names, the CLI's flags,
// FCNN_THREADS), 64 bits on every build, so a 32-bit build meets the same limits.
std::optional<std::uint64_t> parse_whole_number(std::string_view text);

// "float" or "double", for messages such as "out of range for float".
template <typename Scalar>
constexpr const char* scalar_name() {
    return sizeof(Scalar) == sizeof(float) ? "float" : "double";
}

namespace portable {
// The versions that need nothing but C's snprintf and strtod, used where the standard library
// lacks floating-point std::to_chars or std::from_chars; public so that tests compare the two.
std::string number_text(float x);
std::string number_text(double x);
template <typename Scalar>
ParsedNumber<Scalar> parse_number(std::string_view text);
}  // namespace portable

}  // namespace fcnn
