#include "fcnn/number_text.hpp"

#include <algorithm>
#include <charconv>  // defines __cpp_lib_to_chars where floating-point to_chars/from_chars exist
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <system_error>

namespace fcnn {

namespace {

// ---- Reading: the syntax of std::from_chars, checked here so every library accepts the same texts.

struct ScannedNumber {
    enum Kind { finite, infinity, nan } kind = finite;
    bool negative = false;
    std::string digits;          // the significant digits, without leading zeros ("" for zero)
    std::int64_t exponent = 0;   // the number is digits x 10^exponent
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }  // std::isdigit may depend on the locale

bool equals_ignoring_case(std::string_view text, std::string_view lower_case) {
    if (text.size() != lower_case.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i)
        if ((text[i] | 0x20) != lower_case[i]) return false;  // 'A' | 0x20 == 'a'
    return true;
}

// "nan" or "nan(" letters, digits and underscores ")".
bool is_nan_text(std::string_view text) {
    if (text.size() < 3 || !equals_ignoring_case(text.substr(0, 3), "nan")) return false;
    if (text.size() == 3) return true;
    if (text[3] != '(' || text.back() != ')') return false;
    for (char c : text.substr(4, text.size() - 5))
        if (!is_digit(c) && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && c != '_') return false;
    return true;
}

// [-]digits[.digits][(e|E)[+|-]digits] with at least one digit before the exponent.
bool scan_decimal(std::string_view text, ScannedNumber& number) {
    std::size_t i = 0, digits_seen = 0;
    std::int64_t fraction_digits = 0;
    for (bool in_fraction = false; i < text.size(); ++i) {
        if (text[i] == '.' && !in_fraction) {
            in_fraction = true;
        } else if (is_digit(text[i])) {
            ++digits_seen;
            if (!number.digits.empty() || text[i] != '0') number.digits += text[i];
            fraction_digits += in_fraction;
        } else {
            break;
        }
    }
    if (digits_seen == 0) return false;
    std::int64_t exponent = 0;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        const bool negative = ++i < text.size() && text[i] == '-';
        if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
        if (i == text.size()) return false;
        constexpr std::int64_t saturated = 1'000'000'000;  // far past any float's range; no overflow
        for (; i < text.size() && is_digit(text[i]); ++i) exponent = std::min(saturated, exponent * 10 + (text[i] - '0'));
        if (negative) exponent = -exponent;
    }
    number.exponent = exponent - fraction_digits;
    return i == text.size();
}

bool scan_number(std::string_view text, ScannedNumber& number) {
    number.negative = !text.empty() && text[0] == '-';
    if (number.negative) text.remove_prefix(1);
    if (equals_ignoring_case(text, "inf") || equals_ignoring_case(text, "infinity")) {
        number.kind = ScannedNumber::infinity;
        return true;
    }
    if (is_nan_text(text)) {
        number.kind = ScannedNumber::nan;
        return true;
    }
    return scan_decimal(text, number);
}

template <typename Scalar>
ParsedNumber<Scalar> failed(NumberError error) {
    return {Scalar(0), error};
}

// A finite, nonzero text that rounded to 0 or to infinity is out of range, whichever library read it.
template <typename Scalar>
ParsedNumber<Scalar> checked_range(const ScannedNumber& number, Scalar value) {
    if (number.kind == ScannedNumber::finite && (std::isinf(value) || (value == 0 && !number.digits.empty())))
        return failed<Scalar>(NumberError::out_of_range);
    return {value, NumberError::none};
}

template <typename Scalar>
Scalar c_library_read(const char* text) {
    if constexpr (sizeof(Scalar) == sizeof(float)) return std::strtof(text, nullptr);
    else return std::strtod(text, nullptr);
}

// ---- Writing.

struct Decimal {
    std::uint64_t m = 0;  // at most 17 digits
    int q = 0;            // the number is m x 10^q
};

// The decimal that printf's %.*e rounds x > 0 to, with p significant digits. C libraries
// (glibc, musl, Apple's) print these digits exactly, correctly rounded.
Decimal rounded_to_digits(double x, int p) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*e", p - 1, x);
    Decimal d;
    const char* c = text;
    for (; *c != '\0' && *c != 'e'; ++c)
        if (is_digit(*c)) d.m = d.m * 10 + std::uint64_t(*c - '0');  // skips the locale's decimal point
    d.q = std::atoi(c + 1) - (p - 1);
    return d;
}

template <typename Scalar>
ParsedNumber<Scalar> read_decimal(Decimal d) {
    return portable::parse_number<Scalar>(std::to_string(d.m) + "e" + std::to_string(d.q));
}

// The p-digit decimal that reads back as x > 0, if there is one: the nearest p-digit decimal, or
// failing that its neighbour on x's other side (the interval of texts that read as x can be
// lopsided, at powers of two).
template <typename Scalar>
bool shortest_with_digits(Scalar x, int p, Decimal& found) {
    const Decimal nearest = rounded_to_digits(double(x), p);
    const ParsedNumber<Scalar> read = read_decimal<Scalar>(nearest);
    if (read && read.value == x) return found = nearest, true;
    const bool above = read ? read.value > x : nearest.q > 0;  // out of range: above if too large
    Decimal other = nearest;
    other.m = above ? other.m - 1 : other.m + 1;
    const ParsedNumber<Scalar> read_other = read_decimal<Scalar>(other);
    if (read_other && read_other.value == x) return found = other, true;
    return false;
}

// The fewest digits that read back as x > 0. Whether p digits suffice only grows with p (pad with a
// zero), so a binary search finds the least p; max_digits10 digits always suffice.
template <typename Scalar>
Decimal shortest_decimal(Scalar x) {
    int low = 1, high = std::numeric_limits<Scalar>::max_digits10;
    Decimal best;
    if (!shortest_with_digits(x, high, best)) best = rounded_to_digits(double(x), high);
    while (low < high) {
        const int p = (low + high) / 2;
        Decimal d;
        if (shortest_with_digits(x, p, d)) high = p, best = d;
        else low = p + 1;
    }
    while (best.m % 10 == 0) best.m /= 10, ++best.q;
    return best;
}

// std::to_chars's layout of m x 10^q: fixed notation when it is not longer than scientific
// (the bounds are those of the Ryu-based implementations in libstdc++, libc++ and MSVC), with a
// whole number printed exactly; else d.ddde+XX. Appended to `text` piece by piece (GCC 12 warns
// falsely about std::string's insert and "..." + string).
template <typename Scalar>
void append_laid_out(std::string& text, Scalar x, Decimal d) {
    const std::string digits = std::to_string(d.m);
    const int n = int(digits.size());
    const int lower = n == 1 ? -3 : -(n + 3), upper = n == 1 ? 4 : 5;
    if (d.q >= lower && d.q <= upper) {
        if (d.q >= 0) {
            char whole[64];
            std::snprintf(whole, sizeof whole, "%.0f", double(x));  // the exact whole number
            text.append(whole);
        } else if (n + d.q > 0) {
            text.append(digits, 0, std::size_t(n + d.q)).append(".").append(digits, std::size_t(n + d.q));
        } else {
            text.append("0.").append(std::size_t(-d.q - n), '0').append(digits);
        }
        return;
    }
    const int exponent = d.q + n - 1;
    const std::string exponent_digits = std::to_string(std::abs(exponent));
    text.append(digits, 0, 1);
    if (n > 1) text.append(".").append(digits, 1);
    text.append(exponent < 0 ? "e-" : "e+").append(exponent_digits.size() < 2 ? "0" : "").append(exponent_digits);
}

template <typename Scalar>
std::string portable_text(Scalar x) {
    std::string text = std::signbit(x) ? "-" : "";
    if (std::isnan(x)) return text.append("nan");
    if (std::isinf(x)) return text.append("inf");
    if (x == 0) return text.append("0");
    const Scalar magnitude = std::abs(x);
    append_laid_out(text, magnitude, shortest_decimal(magnitude));
    return text;
}

#if defined(__cpp_lib_to_chars)
template <typename Scalar>
std::string library_text(Scalar x) {
    char text[64];
    const auto [end, error] = std::to_chars(text, text + sizeof text, x);
    return std::string(text, end);
}

template <typename Scalar>
ParsedNumber<Scalar> library_parse(std::string_view text) {
    ScannedNumber number;
    if (!scan_number(text, number)) return failed<Scalar>(NumberError::not_a_number);
    Scalar value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error == std::errc::result_out_of_range) return failed<Scalar>(NumberError::out_of_range);
    if (error != std::errc() || end != text.data() + text.size()) return failed<Scalar>(NumberError::not_a_number);
    return checked_range(number, value);
}
#endif

}  // namespace

namespace portable {

std::string number_text(float x) { return portable_text(x); }
std::string number_text(double x) { return portable_text(x); }

// The digits and exponent go to strtod as "<digits>e<exponent>", without a decimal point, so the
// locale (whose decimal point strtod would expect) plays no part.
template <typename Scalar>
ParsedNumber<Scalar> parse_number(std::string_view text) {
    ScannedNumber number;
    if (!scan_number(text, number)) return failed<Scalar>(NumberError::not_a_number);
    const Scalar sign = number.negative ? Scalar(-1) : Scalar(1);
    if (number.kind == ScannedNumber::infinity) return {sign * std::numeric_limits<Scalar>::infinity()};
    if (number.kind == ScannedNumber::nan) return {std::copysign(std::numeric_limits<Scalar>::quiet_NaN(), sign)};
    if (number.digits.empty()) return {sign * Scalar(0)};
    const std::string c_text = (number.negative ? "-" : "") + number.digits + "e" + std::to_string(number.exponent);
    return checked_range(number, c_library_read<Scalar>(c_text.c_str()));
}

template ParsedNumber<float> parse_number<float>(std::string_view);
template ParsedNumber<double> parse_number<double>(std::string_view);

}  // namespace portable

#if defined(__cpp_lib_to_chars)
std::string number_text(float x) { return library_text(x); }
std::string number_text(double x) { return library_text(x); }
template <typename Scalar>
ParsedNumber<Scalar> parse_number(std::string_view text) {
    return library_parse<Scalar>(text);
}
#else
std::string number_text(float x) { return portable::number_text(x); }
std::string number_text(double x) { return portable::number_text(x); }
template <typename Scalar>
ParsedNumber<Scalar> parse_number(std::string_view text) {
    return portable::parse_number<Scalar>(text);
}
#endif

template ParsedNumber<float> parse_number<float>(std::string_view);
template ParsedNumber<double> parse_number<double>(std::string_view);

std::optional<std::uint64_t> parse_whole_number(std::string_view text) {
    std::uint64_t value = 0;  // from_chars of an unsigned type reads digits only: no sign, no space
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

}  // namespace fcnn
