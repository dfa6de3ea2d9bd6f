// Every input the fuzzers were given to start from (tests/fuzz/corpus/<target>/) and every input
// that ever made one fail (tests/fuzz/regressions/<target>/), replayed through the same feed the
// fuzzer uses (tests/fuzz/feed.hpp): each must end in a clear error of fcnn's or a clean parse,
// never in another exception (and a crash fails the whole program). Sanitizer builds of the
// suite replay them under ASan and UBSan too.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "fuzz/feed.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<std::uint8_t> bytes_of(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<std::uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Feeds every file of folder to target; returns how many there were.
std::size_t replay(const fcnn_fuzz::Target& target, const fs::path& folder) {
    if (!fs::is_directory(folder)) return 0;
    std::size_t count = 0;
    for (const auto& entry : fs::directory_iterator(folder)) {
        if (!entry.is_regular_file() || entry.path().filename() == "README.md") continue;
        const std::vector<std::uint8_t> input = bytes_of(entry.path());
        INFO(target.name << ": " << entry.path().string());
        CHECK_NOTHROW(target.feed(input));
        ++count;
    }
    return count;
}

}  // namespace

TEST_CASE("every seed and every input that once failed a fuzzer ends in a clear error or a clean parse") {
    const fs::path fuzz = fs::path(FCNN_SOURCE_DIR) / "tests" / "fuzz";
    for (const fcnn_fuzz::Target& target : fcnn_fuzz::targets()) {
        CAPTURE(target.name);
        CHECK(replay(target, fuzz / "corpus" / target.name) >= 3);  // the seeds are there (so this test can fail)
        replay(target, fuzz / "regressions" / target.name);
    }
}

TEST_CASE("the feeds tell fcnn's own errors from others") {
    const std::string model = "fcnn-model 1\ncost quadratic\n";  // cut short: fcnn's clear error
    CHECK_NOTHROW(fcnn_fuzz::feed_model_file(std::span(reinterpret_cast<const std::uint8_t*>(model.data()), model.size())));
    CHECK_NOTHROW(fcnn_fuzz::expect_message(std::runtime_error("fuzz:3: expected 'layers <value>'"), {"fuzz:"}));
    CHECK_THROWS_AS(fcnn_fuzz::expect_message(std::runtime_error("basic_filebuf::underflow error reading the file"), {"fuzz:"}),
                    fcnn_fuzz::UnexpectedOutcome);
}
