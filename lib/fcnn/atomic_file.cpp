// One atomic file write for the library and the CLI: see atomic_file.hpp.
#include "fcnn/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>

namespace fcnn {

namespace {

[[noreturn]] void fail_and_remove(const std::filesystem::path& temporary, std::string_view what, const std::string& problem) {
    std::error_code ignored;  // the temporary is ours: it must not stay behind, whatever the failure
    std::filesystem::remove(temporary, ignored);
    throw std::runtime_error(std::string(what) + ": " + problem);
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view bytes, std::string_view what) {
    std::filesystem::path temporary = path;
    temporary += ".tmp";
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(std::string(what) + ": cannot write '" + temporary.string() + "': " + std::strerror(errno));
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();  // flushes: a full disk shows here
    if (!out) fail_and_remove(temporary, what, "cannot write '" + temporary.string() + "': " + std::strerror(errno));
    std::error_code error;
    std::filesystem::rename(temporary, path, error);  // atomic: the old file stays whole until this moment
    if (error) fail_and_remove(temporary, what, "cannot replace '" + path.string() + "': " + error.message());
}

}  // namespace fcnn
