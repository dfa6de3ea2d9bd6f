// One libFuzzer program: tests/fuzz/meson.build compiles this file once per target, naming the
// feed in FCNN_FUZZ_FEED (feed.hpp says what each does).
#include <cstddef>
#include <cstdint>

#include "feed.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fcnn_fuzz::FCNN_FUZZ_FEED(fcnn_fuzz::Bytes(data, size));
    return 0;
}
