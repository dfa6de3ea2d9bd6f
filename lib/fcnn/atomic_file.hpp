// The one way fcnn writes a file a user may already have (a model, a scale file, a plot): the
// bytes go to "<path>.tmp" beside it, which is then renamed over path. A rename within one
// folder is atomic, so the old file stays whole until the new one is complete.
//
// Files that belong together (a model and the MODEL.scale that says how to scale its inputs)
// change together: every temporary is written before the first rename, and a failure part way
// puts back what the renames before it replaced, so the pair never mixes an old and a new file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
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

// One file of a set that changes together: new bytes for path, or, with no bytes, the file at path
// removed (a MODEL.scale left from an earlier model that had one).
struct FileChange {
    std::filesystem::path path;
    std::optional<std::string_view> bytes;
};

// Makes every change or none. First each "<path>.tmp" is written; then, in the order given, each
// is renamed over its path (or the file removed). If a rename fails, the files already replaced
// are put back from copies read beforehand, so name the largest file last: its old bytes need no
// copy. On any failure every path holds what it held before, byte for byte, no temporary of ours
// is left (a folder that happens to be named "<path>.tmp" is not ours and stays), and it throws
// as write_file_atomically does, or "<what>: cannot remove '<path>': <reason>".
void change_files_together(std::span<const FileChange> changes, std::string_view what);

}  // namespace fcnn
