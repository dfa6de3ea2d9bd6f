// fcnn's own exp, log, log1p, tanh, cos and sin (lib/fcnn/elementary.hpp): accuracy against the
// C library, special values, and fixed bits, which are the same in every build (that is their
// purpose: 64-bit, 32-bit x86 and WebAssembly run these same checks).
#include <cstring>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>

#include <doctest/doctest.h>
#include <fcnn/elementary.hpp>
#include <fcnn/random.hpp>
#include <fcnn/same_bits.hpp>

namespace {

using Function = std::function<double(double)>;
constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double smallest = std::numeric_limits<double>::denorm_min();
constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

// The distance between two finite doubles in units in the last place: the number of doubles
// from one to the other (bit patterns ordered so that they count up from -largest to largest).
double ulps_apart(double a, double b) {
    const auto ordered = [](double x) {
        const auto bits = static_cast<std::int64_t>(fcnn::same_bits<std::uint64_t>(x));
        return bits < 0 ? std::numeric_limits<std::int64_t>::min() - bits : bits;
    };
    const std::int64_t i = ordered(a), j = ordered(b);
    if ((i < 0) != (j < 0)) return std::abs(static_cast<double>(i) - static_cast<double>(j));  // far apart anyway
    return static_cast<double>(i > j ? i - j : j - i);  // exact: no overflow with equal signs
}

// x uniform in [low, high); or, with `powers`, about 2^x: (1 + the fraction of x) 2^(floor x),
// made with exact operations only (not std::exp2), so that the inputs too are the same everywhere.
struct Range {
    double low, high;
    bool powers = false;
    double draw(fcnn::Random& random) const {
        const double x = low + (high - low) * random.uniform();
        if (!powers) return x;
        const double whole = std::floor(x);
        return std::ldexp(1 + (x - whole), static_cast<int>(whole));
    }
};

struct Case {
    const char* name;
    Function ours, theirs;
    Range range;
};

const Case cases[] = {
    {"exp", [](double x) { return fcnn::exp(x); }, [](double x) { return std::exp(x); }, {-708, 709.7}},
    {"exp", [](double x) { return fcnn::exp(x); }, [](double x) { return std::exp(x); }, {-1, 1}},
    {"exp (subnormal results)", [](double x) { return fcnn::exp(x); }, [](double x) { return std::exp(x); }, {-745, -708.4}},
    {"log", [](double x) { return fcnn::log(x); }, [](double x) { return std::log(x); }, {-1074, 1024, true}},
    {"log", [](double x) { return fcnn::log(x); }, [](double x) { return std::log(x); }, {0.5, 2}},
    {"log1p", [](double x) { return fcnn::log1p(x); }, [](double x) { return std::log1p(x); }, {-0.9999, 1}},
    {"log1p", [](double x) { return fcnn::log1p(x); }, [](double x) { return std::log1p(x); }, {-60, 60, true}},
    {"tanh", [](double x) { return fcnn::tanh(x); }, [](double x) { return std::tanh(x); }, {-21, 21}},
    {"tanh", [](double x) { return fcnn::tanh(x); }, [](double x) { return std::tanh(x); }, {-40, 2, true}},
    {"cos", [](double x) { return fcnn::cos(x); }, [](double x) { return std::cos(x); }, {-7, 7}},
    {"cos", [](double x) { return fcnn::cos(x); }, [](double x) { return std::cos(x); }, {-65536, 65536}},
    {"sin", [](double x) { return fcnn::sin(x); }, [](double x) { return std::sin(x); }, {-7, 7}},
    {"sin", [](double x) { return fcnn::sin(x); }, [](double x) { return std::sin(x); }, {-40, 2, true}},
};

}  // namespace

TEST_CASE("exp, log, log1p, tanh, cos and sin agree with the C library's to within its error") {
    // fcnn's functions are within 1/2 ulp of the exact value but for rare cases (the largest
    // error measured against 113-bit references is 0.5 ulp to 4 digits); C libraries are within
    // 1 ulp, except glibc's tanh (2.1 ulp): so fcnn's and std's differ by at most 1 ulp (3 for tanh).
    for (const Case& c : cases) {
        fcnn::Random random(11);
        double largest = 0, worst_x = 0;
        int differing = 0;
        const int n = 20000;
        for (int i = 0; i < n; ++i) {
            const double x = c.range.draw(random);
            const double ours = c.ours(x), theirs = c.theirs(x);
            const double apart = ulps_apart(ours, theirs);
            differing += apart != 0;
            if (!(apart <= largest)) {
                largest = apart;
                worst_x = x;
            }
        }
        char report[200];
        std::snprintf(report, sizeof report, "%s on [%g, %g)%s: %d of %d differ from std::, by at most %g ulp (x = %a)",
                      c.name, c.range.low, c.range.high, c.range.powers ? " as powers of 2" : "", differing, n, largest, worst_x);
        MESSAGE(report);
        CHECK(largest <= (std::string(c.name) == "tanh" ? 3 : 1));
    }
}

TEST_CASE("where long double has more digits, fcnn's functions are within 0.51 ulp of it") {
    // x86's 80-bit long double (64 bits of mantissa) gives a reference with 11 more bits.
    if (std::numeric_limits<long double>::digits != 64) return;
    const auto error = [](double ours, long double exact) {
        int e = 0;
        std::frexp(static_cast<double>(exact), &e);
        const long double ulp = std::ldexp(1.0L, std::max(e - 53, -1074));
        return static_cast<double>(std::abs(static_cast<long double>(ours) - exact) / ulp);
    };
    const struct {
        const char* name;
        Function ours;
        std::function<long double(long double)> exact;
        Range range;
    } references[] = {
        {"exp", [](double x) { return fcnn::exp(x); }, [](long double x) { return std::exp(x); }, {-700, 700}},
        {"log", [](double x) { return fcnn::log(x); }, [](long double x) { return std::log(x); }, {-1000, 1000, true}},
        {"log1p", [](double x) { return fcnn::log1p(x); }, [](long double x) { return std::log1p(x); }, {-50, 5, true}},
        {"tanh", [](double x) { return fcnn::tanh(x); }, [](long double x) { return std::tanh(x); }, {-19, 19}},
        {"cos", [](double x) { return fcnn::cos(x); }, [](long double x) { return std::cos(x); }, {-7, 7}},
        {"sin", [](double x) { return fcnn::sin(x); }, [](long double x) { return std::sin(x); }, {-7, 7}},
    };
    for (const auto& r : references) {
        fcnn::Random random(12);
        double largest = 0;
        for (int i = 0; i < 20000; ++i) {
            const double x = r.range.draw(random);
            largest = std::max(largest, error(r.ours(x), r.exact(x)));
        }
        MESSAGE(std::string(r.name) << ": largest error against long double " << largest << " ulp");
        CHECK(largest <= 0.51);
    }
}

TEST_CASE("special values: zeros, infinities, NaN, and the edges of overflow and underflow") {
    CHECK(fcnn::exp(0.0) == 1);
    CHECK(fcnn::exp(-0.0) == 1);
    CHECK(fcnn::exp(inf) == inf);
    CHECK(fcnn::exp(-inf) == 0);
    CHECK(std::isnan(fcnn::exp(not_a_number)));
    CHECK(fcnn::exp(1.0) == 0x1.5bf0a8b145769p+1);                         // e
    CHECK(fcnn::exp(-708.5) == 0x0.e6cf6d08897acp-1022);                    // below the normal numbers
    CHECK(fcnn::exp(0x1.62e42fefa39efp+9) == 0x1.fffffffffff2ap+1023);      // the largest x with a finite e^x
    CHECK(fcnn::exp(std::nextafter(0x1.62e42fefa39efp+9, inf)) == inf);
    CHECK(fcnn::exp(-0x1.74910d52d3051p+9) == smallest);                    // e^x just above 2^-1075
    CHECK(fcnn::exp(-0x1.74910d52d3052p+9) == 0);                           // e^x just below: rounds to 0
    CHECK(fcnn::exp(-0x1.6232bdd7abcd2p+9) == 0x1.000000000007cp-1022);     // just above the smallest normal
    CHECK(fcnn::exp(-1000.0) == 0);
    CHECK(fcnn::exp(1000.0) == inf);

    CHECK(fcnn::log(1.0) == 0);
    CHECK(!std::signbit(fcnn::log(1.0)));
    CHECK(fcnn::log(0.0) == -inf);
    CHECK(fcnn::log(-0.0) == -inf);
    CHECK(std::isnan(fcnn::log(-1.0)));
    CHECK(std::isnan(fcnn::log(-inf)));
    CHECK(std::isnan(fcnn::log(not_a_number)));
    CHECK(fcnn::log(inf) == inf);
    CHECK(fcnn::log(smallest) == -0x1.74385446d71c3p+9);                     // -744.44...
    CHECK(fcnn::log(std::numeric_limits<double>::min()) == -0x1.6232bdd7abcd2p+9);
    CHECK(fcnn::log(std::numeric_limits<double>::max()) == 0x1.62e42fefa39efp+9);
    CHECK(fcnn::log(2.0) == 0x1.62e42fefa39efp-1);

    CHECK(fcnn::log1p(0.0) == 0);
    CHECK(std::signbit(fcnn::log1p(-0.0)));
    CHECK(fcnn::log1p(-1.0) == -inf);
    CHECK(std::isnan(fcnn::log1p(-1.5)));
    CHECK(std::isnan(fcnn::log1p(not_a_number)));
    CHECK(fcnn::log1p(inf) == inf);
    CHECK(fcnn::log1p(smallest) == smallest);
    CHECK(fcnn::log1p(1e-300) == 1e-300);
    CHECK(fcnn::log1p(std::numeric_limits<double>::max()) == 0x1.62e42fefa39efp+9);

    CHECK(fcnn::tanh(0.0) == 0);
    CHECK(std::signbit(fcnn::tanh(-0.0)));
    CHECK(fcnn::tanh(inf) == 1);
    CHECK(fcnn::tanh(-inf) == -1);
    CHECK(std::isnan(fcnn::tanh(not_a_number)));
    CHECK(fcnn::tanh(smallest) == smallest);
    CHECK(fcnn::tanh(-1e-300) == -1e-300);
    CHECK(fcnn::tanh(19.5) == 1);
    CHECK(fcnn::tanh(18.5) == 0x1.ffffffffffffep-1);                        // still below 1
    CHECK(fcnn::tanh(-1000.0) == -1);

    CHECK(fcnn::cos(0.0) == 1);
    CHECK(fcnn::cos(-0.0) == 1);
    CHECK(fcnn::sin(0.0) == 0);
    CHECK(std::signbit(fcnn::sin(-0.0)));
    CHECK(fcnn::sin(smallest) == smallest);
    CHECK(std::isnan(fcnn::cos(not_a_number)));
    CHECK(std::isnan(fcnn::sin(not_a_number)));
    CHECK(fcnn::cos(65536.0) == -0x1.719453109288bp-1);
    CHECK_THROWS_WITH_AS(fcnn::cos(65536.5), "fcnn::cos: x must be from -65536 to 65536 (radians), got 65536.5", std::domain_error);
    CHECK_THROWS_WITH_AS(fcnn::sin(-inf), "fcnn::sin: x must be from -65536 to 65536 (radians), got -inf", std::domain_error);
}

TEST_CASE("near the zeros of cos and sin the result keeps its relative accuracy") {
    const double half_pi = 0x1.921fb54442d18p+0, pi = 0x1.921fb54442d18p+1;
    CHECK(fcnn::cos(half_pi) == 0x1.1a62633145c07p-54);   // pi/2 - half_pi, to the last digit
    CHECK(fcnn::sin(pi) == 0x1.1a62633145c07p-53);
    CHECK(fcnn::cos(3 * half_pi) == -0x1.a79394c9e8a0ap-53);
}

// FNV-1a over the bits of f(x) for 20000 x drawn as in the first test: one number for the lot.
std::uint64_t digest(const Function& f, Range range) {
    fcnn::Random random(13);
    std::uint64_t hash = 0xcbf29ce484222325;
    for (int i = 0; i < 20000; ++i) {
        const std::uint64_t bits = fcnn::same_bits<std::uint64_t>(f(range.draw(random)));
        for (int byte = 0; byte < 8; ++byte) hash = (hash ^ ((bits >> (8 * byte)) & 0xff)) * 0x100000001b3;
    }
    return hash;
}

TEST_CASE("fixed bits: the same results on every machine and compiler") {
    // A few results written out (each the exact value correctly rounded, checked against 113-bit
    // quad-precision references), then digests of 20000 results per function. Any change to the
    // functions' arithmetic changes these; so does a compiler or platform that computes them
    // differently, which is what they are for.
    CHECK(fcnn::exp(-2.5) == 0x1.50385c094f425p-4);
    CHECK(fcnn::exp(0.1) == 0x1.1aec7b35a00d4p+0);
    CHECK(fcnn::log(10.0) == 0x1.26bb1bbb55516p+1);
    CHECK(fcnn::log(0.3) == -0x1.34378fcbda721p+0);
    CHECK(fcnn::log1p(1e-10) == 0x1.b7cdfd9d1d693p-34);
    CHECK(fcnn::tanh(0.5) == 0x1.d9353d7568af3p-2);
    CHECK(fcnn::tanh(-3.0) == -0x1.fd77d111a0bp-1);
    CHECK(fcnn::cos(1.0) == 0x1.14a280fb5068cp-1);
    CHECK(fcnn::sin(2.0) == 0x1.d18f6ead1b446p-1);

    const struct {
        const char* name;
        Function f;
        Range range;
        std::uint64_t expected;
    } digests[] = {
        {"exp", [](double x) { return fcnn::exp(x); }, {-745, 709.7}, 0xe85e22ae271afa34},
        {"log", [](double x) { return fcnn::log(x); }, {-1074, 1024, true}, 0x140ee02a7afe82f9},
        {"log1p", [](double x) { return fcnn::log1p(x); }, {-60, 60, true}, 0xb6a52c6cdab44e89},
        {"tanh", [](double x) { return fcnn::tanh(x); }, {-21, 21}, 0xec858d02f1f81df1},
        {"cos", [](double x) { return fcnn::cos(x); }, {-7, 7}, 0x5f6850428c8c4257},
        {"sin", [](double x) { return fcnn::sin(x); }, {-7, 7}, 0x3085e34b725bec30},
    };
    for (const auto& d : digests) {
        const std::uint64_t got = digest(d.f, d.range);
        char report[100];
        std::snprintf(report, sizeof report, "%s: digest 0x%016llx, expected 0x%016llx", d.name,
                      static_cast<unsigned long long>(got), static_cast<unsigned long long>(d.expected));
        INFO(report);
        CHECK(got == d.expected);
    }
}
