// One atomic file write for the library and the CLI: see atomic_file.hpp.
#include "fcnn/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace fcnn {

namespace {

std::filesystem::path temporary_of(const std::filesystem::path& path) {
    std::filesystem::path temporary = path;
    temporary += ".tmp";
    return temporary;
}

// Removes the temporaries this write made, and only those: whatever the failure, none stays behind.
void remove_all(const std::vector<std::filesystem::path>& temporaries) {
    for (const auto& temporary : temporaries) {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
    }
}

[[noreturn]] void fail(std::string_view what, const std::string& problem) { throw std::runtime_error(std::string(what) + ": " + problem); }

// Writes bytes to path's temporary and adds it to made. A "<path>.tmp" that cannot be opened (a
// folder of that name, say) was not made by us, so it is not added and not removed. Failing to
// open it and failing to write it (a full disk) end the same way: every temporary made is removed.
void write_temporary(const std::filesystem::path& path, std::string_view bytes, std::vector<std::filesystem::path>& made,
                     std::string_view what) {
    const std::filesystem::path temporary = temporary_of(path);
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (out) {
        made.push_back(temporary);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();  // flushes: a full disk shows here
        if (out) return;
    }
    const std::string reason = std::strerror(errno);  // before remove_all can change errno
    remove_all(made);
    fail(what, "cannot write '" + temporary.string() + "': " + reason);
}

// What a path holds before the change, to put back if a later change of the set fails.
struct OldFile {
    std::filesystem::path path;
    std::optional<std::string> bytes;  // none: there was no file
};

OldFile read_old(const std::filesystem::path& path, const std::vector<std::filesystem::path>& made, std::string_view what) {
    std::error_code no_file;
    if (!std::filesystem::is_regular_file(path, no_file)) return {path, std::nullopt};
    std::ifstream in(path, std::ios::binary);
    std::string bytes{std::istreambuf_iterator<char>(in), {}};
    if (!in || bytes.size() != std::filesystem::file_size(path, no_file)) {
        remove_all(made);
        fail(what, "cannot read the old '" + path.string() + "' to keep until the new files are in place: " + std::strerror(errno));
    }
    return {path, std::move(bytes)};
}

// Renames the temporary over the path, or removes the file; the error, if any, as a message.
std::string apply(const FileChange& change) {
    std::error_code error;
    if (change.bytes) {
        std::filesystem::rename(temporary_of(change.path), change.path, error);  // atomic: the old file stays whole until now
        return error ? "cannot replace '" + change.path.string() + "': " + error.message() : "";
    }
    std::error_code no_file;  // set when nothing is there, which is no failure: there is nothing to remove
    if (std::filesystem::is_regular_file(change.path, no_file)) std::filesystem::remove(change.path, error);
    return error ? "cannot remove '" + change.path.string() + "': " + error.message() : "";
}

// Puts the files that were already changed back as they were; says which could not be.
std::string put_back(const std::vector<OldFile>& old, std::size_t changed, std::string_view what) {
    std::string problems;
    for (std::size_t i = changed; i-- > 0;) {
        try {
            if (old[i].bytes) write_file_atomically(old[i].path, *old[i].bytes, what);
            else std::filesystem::remove(old[i].path);
        } catch (const std::exception& error) {
            problems += "; and '" + old[i].path.string() + "' could not be put back as it was (" + error.what() + ")";
        }
    }
    return problems;
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view bytes, std::string_view what) {
    const FileChange change{path, bytes};
    change_files_together(std::span(&change, 1), what);
}

void change_files_together(std::span<const FileChange> changes, std::string_view what) {
    std::vector<std::filesystem::path> made;
    for (const FileChange& change : changes)
        if (change.bytes) write_temporary(change.path, *change.bytes, made, what);
    std::vector<OldFile> old;  // every file but the last, which is changed by one rename or not at all
    for (std::size_t i = 0; i + 1 < changes.size(); ++i) old.push_back(read_old(changes[i].path, made, what));
    for (std::size_t i = 0; i < changes.size(); ++i) {
        const std::string problem = apply(changes[i]);
        if (problem.empty()) continue;
        remove_all(made);
        fail(what, problem + put_back(old, i, what));
    }
}

}  // namespace fcnn
