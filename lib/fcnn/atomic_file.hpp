// The one way fcnn writes a file a user may already have (a model, a scale file, a plot): the
// bytes go to "<path>.tmp" beside it, which is then renamed over path. A rename within one
// folder is atomic, so the old file stays whole until the new one is complete.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>

namespace fcnn {

// Writes bytes to path through "<path>.tmp". On any failure it throws std::runtime_error
// "<what>: cannot write '<path>.tmp': <reason>" or "<what>: cannot replace '<path>': <reason>",
// removes the temporary it made, and leaves a file already at path as it was.
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes, std::string_view what);

inline void write_file_atomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes,
                                  std::string_view what) {
    write_file_atomically(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), what);
}

}  // namespace fcnn
