// What each fuzz target does with one input, shared by the libFuzzer programs (fuzz_target.cpp)
// and by the regression test that replays every committed input in the normal test suite
// (tests/test_fuzz_regressions.cpp).
//
// A feed gives the bytes to one of fcnn's parsers. A clear error from fcnn (its exception type,
// its message naming the source "fuzz") is the expected outcome for most inputs and returns
// quietly. Anything else propagates: a crash, a sanitizer report, a standard-library exception
// (std::out_of_range, std::bad_alloc, ...), or an UnexpectedOutcome thrown here when a parse
// that succeeded gives something inconsistent (a model that does not read back as it was saved).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace fcnn_fuzz {

using Bytes = std::span<const std::uint8_t>;

struct UnexpectedOutcome : std::logic_error {
    using std::logic_error::logic_error;
};

void feed_model_file(Bytes input);  // load_model<double> and load_model<float>; a loaded model saved and read back
void feed_scaler(Bytes input);      // Scaler::from_text; a loaded scaler written and read back
void feed_csv(Bytes input);         // parse_csv, with options taken from the first byte
void feed_idx(Bytes input);         // parse_idx_images and parse_idx_labels
void feed_gzip(Bytes input);        // gunzip, and inflate_into of the same bytes as raw DEFLATE
void feed_npz(Bytes input);         // parse_npz and network_from_npz<double>; a network read written and read back

// Returns when error's message starts with one of the prefixes (fcnn's errors about the input
// name its source first); throws UnexpectedOutcome otherwise, e.g. for a standard-library
// message about a stream.
void expect_message(const std::exception& error, std::initializer_list<std::string_view> prefixes);

struct Target {
    std::string name;  // the folder of its corpus and regressions: tests/fuzz/{corpus,regressions}/<name>
    void (*feed)(Bytes);
};
const std::vector<Target>& targets();

}  // namespace fcnn_fuzz
