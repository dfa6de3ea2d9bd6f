#pragma once

// fcnn's own double-precision exp, log, log1p, tanh, cos and sin.
//
// Why not std::exp and friends: the C standard asks nothing of their last bit, and C libraries
// differ there (glibc with and without FMA, glibc's 32-bit x87 code, musl in WebAssembly). One
// different last bit in one exponential changes a training run's later digits, so the same seed
// would not give the same numbers everywhere. These functions use only + - * / on doubles, in
// a fixed order (fcnn compiles with -ffp-contract=off), so their bits are the same on every IEEE
// machine. They are accurate to within one unit in the last place, and correctly rounded for all
// but a tiny fraction of inputs (tests/test_elementary.cpp measures both against std::).
//
// Float networks keep the C library's expf and tanhf: those were measured identical on glibc
// (with and without FMA), i386 and musl, and a float computed through double would be slower.

namespace fcnn {

double exp(double x);    // e^x
double log(double x);    // ln x
double log1p(double x);  // ln(1 + x), accurate also for tiny x
double tanh(double x);   // (e^x - e^-x) / (e^x + e^-x)
// cos x and sin x, x in radians, for |x| <= 65536 (fcnn's angles are below 16). Beyond that the
// argument reduction used here is no longer exact enough: they throw std::domain_error.
double cos(double x);
double sin(double x);

// No float versions: a float would be widened to double without a word (see above for floats).
float exp(float) = delete;
float log(float) = delete;
float log1p(float) = delete;
float tanh(float) = delete;
float cos(float) = delete;
float sin(float) = delete;

}  // namespace fcnn
