#include "fcnn/elementary.hpp"

#include "fcnn/number_text.hpp"
#include "fcnn/same_bits.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

// Every function below follows the same plan:
//   1. reduce: write x as (a known exact part) + r with r tiny, e.g. x = k ln2/64 + r;
//   2. approximate the function of r by a few terms of its Taylor series (r is so small that
//      the terms left out are below 2^-70 of the result);
//   3. put the pieces together in "double-double" arithmetic, each number as hi + lo, about 106
//      bits, so that the only large rounding is the last one, to the double returned.
// The tables of step 3 (2^(j/64), ln(j/64), cos and sin of multiples of pi/128) are computed
// when fcnn is compiled, by the same double-double arithmetic (constexpr), from ln 2 and pi.

namespace fcnn {

namespace {

// ---- Double-double arithmetic ----

// The number hi + lo, with |lo| at most half a unit in the last place of hi.
struct Twofold {
    double hi, lo;
};

// a + b exactly, as hi + lo, whatever their sizes (Knuth's TwoSum).
constexpr Twofold two_sum(double a, double b) {
    const double s = a + b;
    const double b_part = s - a;
    const double a_part = s - b_part;
    return {s, (a - a_part) + (b - b_part)};
}

// a + b exactly, as hi + lo, when |a| >= |b| (Dekker's Fast2Sum: fewer operations).
constexpr Twofold fast_two_sum(double a, double b) {
    const double s = a + b;
    return {s, b - (s - a)};
}

// a = high + low exactly, high holding the top 26 bits of a (Veltkamp's split; |a| < 2^995).
constexpr Twofold split(double a) {
    const double c = (0x1p27 + 1) * a;
    const double high = c - (c - a);
    return {high, a - high};
}

// a * b exactly, as hi + lo: the product of the 26-bit halves is exact (Dekker's product).
constexpr Twofold two_product(double a, double b) {
    const double p = a * b;
    const auto [a_high, a_low] = split(a);
    const auto [b_high, b_low] = split(b);
    return {p, ((a_high * b_high - p) + a_high * b_low + a_low * b_high) + a_low * b_low};
}

constexpr Twofold add(Twofold a, Twofold b) {
    const Twofold s = two_sum(a.hi, b.hi);
    return fast_two_sum(s.hi, s.lo + a.lo + b.lo);
}

constexpr Twofold multiply(Twofold a, Twofold b) {
    const Twofold p = two_product(a.hi, b.hi);
    return fast_two_sum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

constexpr Twofold divide(Twofold a, double b) {
    const double q = a.hi / b;
    const Twofold qb = two_product(q, b);  // a - q b is then exact: (a.hi - qb.hi) - qb.lo + a.lo
    return fast_two_sum(q, (((a.hi - qb.hi) - qb.lo) + a.lo) / b);
}

// The top 53 - dropped bits of a, rounded (the same split with 2^dropped + 1).
constexpr double high_bits(double a, double two_to_dropped) {
    const double c = (two_to_dropped + 1) * a;
    return c - (c - a);
}

// ---- Constants, each the nearest double plus the nearest double to the rest ----
// ln 2 = 0.693147180559945309417232121458176568075500134360255...
constexpr Twofold ln2 = {0x1.62e42fefa39efp-1, 0x1.abc9e3b39803fp-56};
// pi = 3.141592653589793238462643383279502884197169399375105...
constexpr Twofold pi = {0x1.921fb54442d18p+1, 0x1.1a62633145c07p-53};

// ---- exp ----

// e^y = 1 + y + y^2/2! + ..., for |y| <= 1/64, in double-double (for the table only).
constexpr Twofold exp_series(Twofold y) {
    Twofold sum = {1, 0}, term = {1, 0};
    for (int n = 1; n <= 20; ++n) {
        term = divide(multiply(term, y), n);
        sum = add(sum, term);
    }
    return sum;
}

// 2^(j/64) for j = 0..63: each the one before times 2^(1/64) = e^(ln2/64).
constexpr std::array<Twofold, 64> two_to_64ths = [] {
    std::array<Twofold, 64> table{};
    const Twofold step = exp_series({ln2.hi / 64, ln2.lo / 64});
    table[0] = {1, 0};
    for (std::size_t j = 1; j < table.size(); ++j) table[j] = multiply(table[j - 1], step);
    return table;
}();

// ln2/64 in two parts. The first has 36 significant bits, so k * first is exact for every
// |k| < 2^17, and exp needs |k| <= 68800.
constexpr double ln2_64ths_first = high_bits(ln2.hi / 64, 0x1p17);
constexpr double ln2_64ths_rest = (ln2.hi / 64 - ln2_64ths_first) + ln2.lo / 64;

// e^x as 2^m (hi + lo), hi + lo in [0.99, 2.02), for -746 < x < 710.
struct ScaledExp {
    int m;
    Twofold value;
};

ScaledExp exp_scaled(double x) {
    // x = (k/64) ln2 + r, k the nearest integer to 64 x / ln2, so |r| <= ln2/128 < 0.0055.
    // x - k first is exact (k first is exact, and close to x); r is kept as hi + lo.
    const double k = std::round(x * (64 / ln2.hi));
    const Twofold r = two_sum(x - k * ln2_64ths_first, -(k * ln2_64ths_rest));

    // e^r - 1 = r + r^2/2 + r^3/3! + ... + r^7/7!; r^8/8! < 2^-75 is the first term left out.
    // r + r^2/2 is summed exactly; the rest is small, so its rounding errors are too.
    const Twofold square = two_product(r.hi, r.hi);
    const double cube_on = square.hi * r.hi * (1.0 / 6 + r.hi * (1.0 / 24 + r.hi * (1.0 / 120 + r.hi * (1.0 / 720 + r.hi * (1.0 / 5040)))));
    const Twofold head = fast_two_sum(r.hi, 0.5 * square.hi);
    const Twofold e_r_minus_1 = fast_two_sum(head.hi, head.lo + (0.5 * square.lo + r.lo * (1 + r.hi) + cube_on));

    // e^x = 2^(k div 64) * 2^((k mod 64)/64) * e^r, and 2^(j/64) e^r = t + t (e^r - 1).
    const int k_int = static_cast<int>(k);
    const Twofold t = two_to_64ths[static_cast<std::size_t>(k_int & 63)];
    const Twofold t_times = two_product(t.hi, e_r_minus_1.hi);
    const Twofold sum = fast_two_sum(t.hi, t_times.hi);
    const double low = sum.lo + (t_times.lo + (t.hi * e_r_minus_1.lo + t.lo * (1 + e_r_minus_1.hi)));
    return {k_int >> 6, fast_two_sum(sum.hi, low)};  // k_int >> 6 rounds down: k div 64 for k < 0 too
}

// 2^m as a double, for -1022 <= m <= 1023: its exponent field is m + 1023.
double power_of_two(int m) {
    return same_bits<double>(static_cast<std::uint64_t>(m + 1023) << 52);
}

// v 2^m for a normal result: an exact scaling of v.
double scaled(double v, int m) {
    if (m > 1000) return v * power_of_two(m - 1000) * 0x1p1000;
    if (m < -1000) return v * power_of_two(m + 1000) * 0x1p-1000;
    return v * power_of_two(m);
}

// (v.hi + v.lo) 2^m rounded once, also where the result is below the normal numbers (m <= -1022).
// There doubles are spaced 2^-1074 apart; scaled by 2^1022 that is 2^-52, the spacing of the
// doubles in [1, 2). So 1 + v 2^(m + 1022), rounded as one sum, holds the result rounded once.
double scaled(Twofold v, int m) {
    if (m > -1022) return scaled(v.hi, m);
    const double s = power_of_two(m + 1022);  // m >= -1075 for every x that exp gets here
    const Twofold one_plus = two_sum(1.0, v.hi * s);
    const double rounded = one_plus.hi + (one_plus.lo + v.lo * s);
    if (rounded >= 2) return scaled(v.hi, m);  // at least 2^-1022: normal after all
    return (rounded - 1) * 0x1p-1022;           // exact: a multiple of 2^-1074
}

// e^x - 1 for 2^-27 < x < 46, as hi + lo accurate to about 2^-68 of itself (for tanh).
Twofold exp_minus_1(double x) {
    const auto [m, v] = exp_scaled(x);
    const double p = power_of_two(m);
    const Twofold head = two_sum(v.hi * p, -1.0);
    return fast_two_sum(head.hi, head.lo + v.lo * p);
}

// ---- log ----

// ln(j/64) for j = 45..91, the centres of log's intervals: ln c = 2 atanh s = 2 (s + s^3/3 +
// s^5/5 + ...) with s = (c - 1)/(c + 1) = (j - 64)/(j + 64), |s| <= 0.18.
constexpr int first_log_centre = 45;
constexpr std::array<Twofold, 47> log_of_64ths = [] {
    std::array<Twofold, 47> table{};
    for (std::size_t i = 0; i < table.size(); ++i) {
        const int j = first_log_centre + static_cast<int>(i);
        const Twofold s = divide({static_cast<double>(j - 64), 0}, j + 64);
        const Twofold s_squared = multiply(s, s);
        Twofold power = s, sum = s;
        for (int n = 3; n <= 51; n += 2) {
            power = multiply(power, s_squared);
            sum = add(sum, divide(power, n));
        }
        table[i] = {2 * sum.hi, 2 * sum.lo};
    }
    return table;
}();

// ln2 in two parts, the first with 42 significant bits: e * first is exact for |e| < 2^11.
constexpr double ln2_first = high_bits(ln2.hi, 0x1p11);
constexpr double ln2_rest = (ln2.hi - ln2_first) + ln2.lo;

// ln x as hi + lo, for x > 0 finite (subnormal too).
Twofold log_twofold(double x) {
    // x = m 2^e with m in [sqrt(1/2), sqrt(2)), so that ln x = e ln2 + ln m never cancels.
    int e = 0;
    double m = std::frexp(x, &e);  // exact, m in [1/2, 1)
    if (m < 0x1.6a09e667f3bcdp-1) {  // sqrt(1/2)
        m *= 2;
        --e;
    }
    // ln m = ln c + ln(m/c), c = j/64 the nearest 64th, and ln(m/c) = 2 atanh s with
    // s = (m - c)/(m + c), |s| <= 1/180: 2 (s + s^3/3 + ... + s^9/9), s^11/11 < 2^-75 s.
    const double j = std::round(m * 64);
    const double c = j / 64;
    const double numerator = m - c;  // exact
    const Twofold denominator = two_sum(m, c);
    const double s = numerator / denominator.hi;
    const Twofold s_times = two_product(s, denominator.hi);  // numerator - s_times is exact
    const double s_rest = (((numerator - s_times.hi) - s_times.lo) - s * denominator.lo) / denominator.hi;
    const double s2 = s * s;
    const double odd_terms = s * s2 * (2.0 / 3 + s2 * (2.0 / 5 + s2 * (2.0 / 7 + s2 * (2.0 / 9))));

    const Twofold ln_c = log_of_64ths[static_cast<std::size_t>(static_cast<int>(j) - first_log_centre)];
    const double e_d = e;
    const Twofold big = two_sum(e_d * ln2_first, ln_c.hi);
    const Twofold total = two_sum(big.hi, 2 * s);
    return {total.hi, total.lo + (big.lo + (e_d * ln2_rest + ln_c.lo + 2 * s_rest + odd_terms))};
}

// ---- cos and sin ----

// cos(i pi/128) and sin(i pi/128) for i = 0..63, as hi + lo: each the one before, rotated by
// pi/128 (the angle addition formulas), starting at cos 0 = 1, sin 0 = 0.
struct CosSin {
    Twofold cos, sin;
};

constexpr Twofold negated(Twofold a) { return {-a.hi, -a.lo}; }

constexpr std::array<CosSin, 64> cos_sin_128ths = [] {
    const Twofold angle = {pi.hi / 128, pi.lo / 128};
    const Twofold angle_squared = multiply(angle, angle);
    // cos a = 1 - a^2/2! + a^4/4! - ..., sin a = a - a^3/3! + ..., a = pi/128 < 0.025.
    Twofold cos_step = {1, 0}, sin_step = angle, term_cos = {1, 0}, term_sin = angle;
    for (int n = 2; n <= 20; n += 2) {
        term_cos = negated(divide(multiply(term_cos, angle_squared), n * (n - 1)));
        term_sin = negated(divide(multiply(term_sin, angle_squared), n * (n + 1)));
        cos_step = add(cos_step, term_cos);
        sin_step = add(sin_step, term_sin);
    }
    std::array<CosSin, 64> table{};
    table[0] = {{1, 0}, {0, 0}};
    for (std::size_t i = 1; i < table.size(); ++i) {
        const CosSin& before = table[i - 1];
        table[i].cos = add(multiply(before.cos, cos_step), negated(multiply(before.sin, sin_step)));
        table[i].sin = add(multiply(before.sin, cos_step), multiply(before.cos, sin_step));
    }
    return table;
}();

// pi/128 in three parts, the first two with 31 significant bits: k * part is exact for
// |k| < 2^22, enough for |x| <= 65536 (k <= 2.7 million); together they hold about 115 bits.
constexpr double pi_128ths_first = 0x1.921fb544p-6;
constexpr double pi_128ths_second = 0x1.0b4611a8p-40;
constexpr double pi_128ths_third = -0x1.d9cceba3f91f2p-72;
constexpr double largest_angle = 65536;

// a cos r + b sin r with r = hi + lo, |r| <= pi/256, a and b from the table:
// = a + b r - a (1 - cos r) + b (sin r - r).
double rotate(Twofold a, Twofold b, Twofold r) {
    // 1 - cos r = r^2/2 - r^4/4! + r^6/6! - r^8/8!; sin r - r = -r^3/3! + ... + r^9/9!.
    const Twofold r_squared = two_product(r.hi, r.hi);
    const double r2 = r_squared.hi;
    const double one_minus_cos_rest = r.hi * r.lo - r2 * r2 * (1.0 / 24 - r2 * (1.0 / 720 - r2 * (1.0 / 40320)));
    const double sin_minus_r = -r2 * r.hi * (1.0 / 6 - r2 * (1.0 / 120 - r2 * (1.0 / 5040 - r2 * (1.0 / 362880))));

    const Twofold b_r = two_product(b.hi, r.hi);
    const Twofold a_c = two_product(a.hi, 0.5 * r2);
    const Twofold first = two_sum(a.hi, b_r.hi);
    const Twofold second = two_sum(first.hi, -a_c.hi);
    const double small = a.lo + b.lo * r.hi + b.hi * (r.lo + sin_minus_r) -
                         a.hi * (0.5 * r_squared.lo + one_minus_cos_rest) - a.lo * (0.5 * r2);
    return second.hi + (second.lo + (first.lo + (b_r.lo - a_c.lo + small)));
}

// cos(x + quarters pi/2), for |x| <= 65536.
double cos_plus_quarters(double x, int quarters, const char* name) {
    if (std::isnan(x)) return x;
    if (!(std::abs(x) <= largest_angle))
        throw std::domain_error(std::string(name) + ": x must be from -65536 to 65536 (radians), got " + number_text(x));
    // x = k pi/128 + r, |r| <= pi/256; k = 64 q + i: x = q pi/2 + (i pi/128 + r).
    const double k = std::round(x * (128 / pi.hi));
    const Twofold r_head = two_sum(x - k * pi_128ths_first, -(k * pi_128ths_second));
    const Twofold r = fast_two_sum(r_head.hi, r_head.lo - k * pi_128ths_third);
    const int k_int = static_cast<int>(k);
    const CosSin& t = cos_sin_128ths[static_cast<std::size_t>(k_int & 63)];
    // With phi = i pi/128 + r: cos phi = C cos r - S sin r, sin phi = S cos r + C sin r, and
    // cos(q pi/2 + phi) is cos phi, -sin phi, -cos phi, sin phi for q = 0, 1, 2, 3 (mod 4).
    switch (((k_int >> 6) + quarters) & 3) {
        case 0: return rotate(t.cos, negated(t.sin), r);
        case 1: return -rotate(t.sin, t.cos, r);
        case 2: return -rotate(t.cos, negated(t.sin), r);
        default: return rotate(t.sin, t.cos, r);
    }
}

}  // namespace

double exp(double x) {
    if (std::isnan(x)) return x;
    if (x > 0x1.62e42fefa39efp+9) return std::numeric_limits<double>::infinity();  // e^x > largest double
    if (x <= -0x1.74910d52d3052p+9) return 0;  // e^x <= 2^-1075, half the smallest double
    const auto [m, v] = exp_scaled(x);
    return scaled(v, m);
}

double log(double x) {
    if (std::isnan(x)) return x;
    if (x < 0) return std::numeric_limits<double>::quiet_NaN();
    if (x == 0) return -std::numeric_limits<double>::infinity();
    if (std::isinf(x)) return x;
    const Twofold result = log_twofold(x);
    return result.hi + result.lo;
}

double log1p(double x) {
    if (std::isnan(x)) return x;
    if (x < -1) return std::numeric_limits<double>::quiet_NaN();
    if (x == -1) return -std::numeric_limits<double>::infinity();
    if (std::isinf(x)) return x;
    // ln(1 + x) = x - x^2/2 + ...: below 2^-54, x is the nearest double (keeps -0 and subnormals).
    if (std::abs(x) < 0x1p-54) return x;
    // Above 2^60, ln(1 + x) = ln x + 1/x to 2^-120 (and 1 + x below would lose x's digits).
    if (x > 0x1p60) {
        const Twofold ln_x = log_twofold(x);
        return ln_x.hi + (ln_x.lo + 1 / x);
    }
    // 1 + x = u.hi + u.lo exactly, and ln(u.hi + u.lo) = ln u.hi + ln(1 + w) with w = u.lo/u.hi
    // below 2^-53: ln(1 + w) = w - w^2/2 to 2^-159. w is divided in double-double, because
    // for x near 2^-53 the result itself is not much larger than w.
    const Twofold u = two_sum(1.0, x);
    const double w = u.lo / u.hi;
    const Twofold w_times = two_product(w, u.hi);  // u.lo - w_times is exact
    const double w_rest = ((u.lo - w_times.hi) - w_times.lo) / u.hi;
    const Twofold ln_u = log_twofold(u.hi);
    const Twofold head = two_sum(ln_u.hi, w);
    return head.hi + (head.lo + (ln_u.lo + (w_rest - 0.5 * w * w)));
}

double tanh(double x) {
    if (std::isnan(x)) return x;
    const double a = std::abs(x);
    // tanh x = x - x^3/3 + ...: below 2^-27, x^2/3 < 2^-55 and x is the nearest double.
    if (a < 0x1p-27) return x;
    // 1 - tanh a = 2/(e^2a + 1) < 2^-54 for a > 19.1: tanh rounds to 1.
    if (a > 20) return std::copysign(1.0, x);
    // tanh a = (e^2a - 1)/(e^2a + 1) = E/(E + 2), E = e^2a - 1, divided in double-double.
    const Twofold e = exp_minus_1(2 * a);
    const Twofold e_head = two_sum(e.hi, 2.0);
    const Twofold d = fast_two_sum(e_head.hi, e_head.lo + e.lo);  // E + 2
    const double q = e.hi / d.hi;
    const Twofold q_d = two_product(q, d.hi);  // e.hi - q_d is exact
    const double q_rest = ((((e.hi - q_d.hi) - q_d.lo) + e.lo) - q * d.lo) / d.hi;
    return std::copysign(q + q_rest, x);
}

double cos(double x) { return cos_plus_quarters(x, 0, "fcnn::cos"); }

// sin x = cos(x - pi/2) = cos(x + 3 pi/2).
double sin(double x) {
    if (x == 0) return x;  // keeps the sign of -0
    return cos_plus_quarters(x, 3, "fcnn::sin");
}

}  // namespace fcnn
