// number_text and parse_number: every value written reads back as the same bits, the text is the
// same whichever standard library wrote it, and texts out of a type's range are errors.
#include <bit>
#include <clocale>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <random>
#include <string>

#include <doctest/doctest.h>
#include <fcnn/number_text.hpp>

using fcnn::NumberError;

namespace {

template <typename Scalar>
using Bits = std::conditional_t<sizeof(Scalar) == 4, std::uint32_t, std::uint64_t>;

template <typename Scalar>
std::string hex_bits(Scalar x) {
    char text[32];
    std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(std::bit_cast<Bits<Scalar>>(x)));
    return text;
}

// Writes x, reads it back with both readers, and checks the bits; the portable writer must give
// the same text as the one in use (with GCC's libstdc++, std::to_chars).
template <typename Scalar>
void check_round_trip(Scalar x) {
    const std::string text = fcnn::number_text(x);
    INFO(fcnn::scalar_name<Scalar>(), " ", hex_bits(x), " written as '", text, "'");
    CHECK(fcnn::portable::number_text(x) == text);
    const fcnn::ParsedNumber<Scalar> read = fcnn::parse_number<Scalar>(text);
    const fcnn::ParsedNumber<Scalar> portable_read = fcnn::portable::parse_number<Scalar>(text);
    REQUIRE(read);
    REQUIRE(portable_read);
    CHECK(hex_bits(read.value) == hex_bits(x));
    CHECK(hex_bits(portable_read.value) == hex_bits(x));
}

template <typename Scalar>
NumberError error_of(const std::string& text) {
    const fcnn::ParsedNumber<Scalar> read = fcnn::parse_number<Scalar>(text), portable_read = fcnn::portable::parse_number<Scalar>(text);
    INFO("reading '", text, "' as ", fcnn::scalar_name<Scalar>());
    CHECK(read.error == portable_read.error);
    return read.error;
}

template <typename Scalar>
Scalar value_of(const std::string& text) {
    const fcnn::ParsedNumber<Scalar> read = fcnn::parse_number<Scalar>(text), portable_read = fcnn::portable::parse_number<Scalar>(text);
    INFO("reading '", text, "' as ", fcnn::scalar_name<Scalar>());
    REQUIRE(read);
    REQUIRE(portable_read);
    CHECK(hex_bits(read.value) == hex_bits(portable_read.value));
    return read.value;
}

}  // namespace

TEST_CASE("awkward doubles are written in the shortest form and read back bit for bit") {
    using limits = std::numeric_limits<double>;
    const struct {
        double x;
        const char* text;
    } cases[] = {
        {0.0, "0"},
        {-0.0, "-0"},
        {0.1, "0.1"},
        {1e-5, "1e-05"},
        {0.0001234, "0.0001234"},
        {1e308, "1e+308"},
        {limits::max(), "1.7976931348623157e+308"},
        {-limits::max(), "-1.7976931348623157e+308"},
        {limits::min(), "2.2250738585072014e-308"},
        {limits::denorm_min(), "5e-324"},
        {3 * limits::denorm_min(), "1.5e-323"},
        {limits::min() - limits::denorm_min(), "2.225073858507201e-308"},  // the largest subnormal
        {0.1 + 0.2, "0.30000000000000004"},                                // needs 17 digits
        {1.0 / 3, "0.3333333333333333"},
        {9007199254740993.0, "9007199254740992"},                          // 2^53 + 1 rounds to 2^53
        {123456789012345678901.0, "123456789012345683968"},                // fixed, the exact whole number
        {1e21, "1e+21"},
        {10000, "10000"},
        {100000, "1e+05"},
        {1e16, "1e+16"},
    };
    for (const auto& c : cases) {
        CHECK(fcnn::number_text(c.x) == std::string(c.text));
        check_round_trip(c.x);
    }
    CHECK(std::signbit(value_of<double>("-0")));
    for (int e = -1074; e <= 1023; ++e) check_round_trip(std::ldexp(1.0, e));  // lopsided intervals at powers of 2
    CHECK(fcnn::number_text(limits::infinity()) == "inf");
    CHECK(fcnn::number_text(-limits::infinity()) == "-inf");
    CHECK(fcnn::number_text(limits::quiet_NaN()) == "nan");
}

TEST_CASE("awkward floats are written in the shortest form and read back bit for bit") {
    using limits = std::numeric_limits<float>;
    const struct {
        float x;
        const char* text;
    } cases[] = {
        {-0.0f, "-0"},
        {0.1f, "0.1"},
        {0.3f, "0.3"},
        {limits::max(), "3.4028235e+38"},
        {limits::min(), "1.1754944e-38"},
        {limits::denorm_min(), "1e-45"},
        {16777217.0f, "16777216"},
        {1e10f, "1e+10"},
        {1234567890.0f, "1234567936"},
        {1.0f / 3, "0.33333334"},
    };
    for (const auto& c : cases) {
        CHECK(fcnn::number_text(c.x) == std::string(c.text));
        check_round_trip(c.x);
    }
    for (int e = -149; e <= 127; ++e) check_round_trip(std::ldexp(1.0f, e));
}

TEST_CASE("random bit patterns read back as themselves, with the same text from both writers") {
    std::mt19937_64 bits(15);  // std::mt19937_64 is the same sequence on every standard library
    for (int i = 0; i < 20000; ++i) {
        const double x = std::bit_cast<double>(bits());
        if (std::isfinite(x)) check_round_trip(x);
        const float y = std::bit_cast<float>(static_cast<std::uint32_t>(bits()));
        if (std::isfinite(y)) check_round_trip(y);
    }
    // Numbers of the size of network weights, where most need all 17 (or 9) digits.
    std::uniform_real_distribution<double> weights(-1, 1);
    for (int i = 0; i < 5000; ++i) {
        check_round_trip(weights(bits));
        check_round_trip(static_cast<float>(weights(bits)));
    }
}

TEST_CASE("parse_number reads std::from_chars's syntax, rounding to the nearest") {
    CHECK(value_of<double>(".5") == 0.5);
    CHECK(value_of<double>("1.") == 1);
    CHECK(value_of<double>("1E3") == 1000);
    CHECK(value_of<double>("-2.5e+2") == -250);
    CHECK(value_of<double>("0e999999999999") == 0);  // zero is in range whatever its exponent
    CHECK(value_of<double>("0.1000000000000000055511151231257827021181583404541015625") == 0.1);
    CHECK(value_of<double>("9007199254740993") == 9007199254740992.0);  // a tie: to the even one
    CHECK(value_of<double>("2.4703282292062328e-324") == std::numeric_limits<double>::denorm_min());
    CHECK(value_of<float>("3.4028235e38") == std::numeric_limits<float>::max());
    CHECK(value_of<float>("1.4e-45") == std::numeric_limits<float>::denorm_min());
    CHECK(value_of<float>("0.1") == 0.1f);
    // Just above the midpoint of 1 and the next float: rounded once, up. (Rounding to double first
    // would land on the midpoint, and then to float on 1, the even neighbour.)
    CHECK(value_of<float>("1.00000005960464477539062500001") == std::nextafter(1.0f, 2.0f));
    CHECK(std::isinf(value_of<double>("inf")));
    CHECK(value_of<double>("-Infinity") == -std::numeric_limits<double>::infinity());
    CHECK(std::isnan(value_of<float>("nan")));
    CHECK(std::isnan(value_of<double>("NaN(123_abc)")));
    for (const char* text : {"", "-", "+1", " 1", "1 ", "1,5", "0x10", "1e", "1e+", "e5", ".", "--1", "1.2.3", "nan(", "infinit", "1f", "١"})
        CHECK_MESSAGE(error_of<double>(text) == NumberError::not_a_number, "'", text, "'");
}

TEST_CASE("a number too large for its type, or so small it would read as 0, is out of range") {
    for (const char* text : {"1e309", "-1e400", "1.8e308", "1e-400", "2.4703282292062327e-324", "1e999999999999999"})
        CHECK_MESSAGE(error_of<double>(text) == NumberError::out_of_range, "'", text, "'");
    for (const char* text : {"3.5e38", "-1e39", "1e-50", "4.9e-324", "0.7e-45"})
        CHECK_MESSAGE(error_of<float>(text) == NumberError::out_of_range, "'", text, "'");
    CHECK(error_of<float>("1e308") == NumberError::out_of_range);
    CHECK(error_of<double>("1e308") == NumberError::none);
    CHECK(std::string(fcnn::scalar_name<float>()) == "float");
    CHECK(std::string(fcnn::scalar_name<double>()) == "double");
}

// FCNN_COMMA_LOCALE names a locale whose decimal point is ',' (tests/meson.build makes one with
// localedef, in the folder that LOCPATH names).
TEST_CASE("the text is the same in a locale whose decimal point is a comma") {
#ifdef FCNN_COMMA_LOCALE
    REQUIRE_MESSAGE(std::setlocale(LC_ALL, FCNN_COMMA_LOCALE) != nullptr, "the locale ", FCNN_COMMA_LOCALE, " is missing");
    char printed[16];
    std::snprintf(printed, sizeof printed, "%.1f", 1.5);
    CHECK(std::string(printed) == "1,5");  // the locale is in force: C's printf now writes a comma
    CHECK(fcnn::number_text(1.5) == "1.5");
    CHECK(fcnn::portable::number_text(0.30000000000000004) == "0.30000000000000004");
    CHECK(fcnn::portable::number_text(1.5f) == "1.5");
    CHECK(value_of<double>("1.5") == 1.5);
    CHECK(value_of<float>("-2.25e-3") == -2.25e-3f);
    CHECK(error_of<double>("1,5") == NumberError::not_a_number);
    std::setlocale(LC_ALL, "C");
#else
    MESSAGE("not checked: this build has no locale with a decimal comma (localedef was not found)");
#endif
}

TEST_CASE("whole numbers: decimal digits only, the whole text, 0 to 2^64 - 1") {
    CHECK(fcnn::parse_whole_number("0") == 0u);
    CHECK(fcnn::parse_whole_number("42") == 42u);
    CHECK(fcnn::parse_whole_number("007") == 7u);
    CHECK(fcnn::parse_whole_number("18446744073709551615") == std::numeric_limits<std::uint64_t>::max());
    for (const char* refused : {"", "-1", "+1", "0.7", "1e3", " 1", "1 ", "0x10", "12a", "18446744073709551616"}) {
        INFO("'" << refused << "'");
        CHECK_FALSE(fcnn::parse_whole_number(refused).has_value());
    }
}
