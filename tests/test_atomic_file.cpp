// fcnn::write_file_atomically, the one write that every saved file goes through: a new file
// appears whole, an old one is replaced whole, and a failure keeps the old file and leaves no
// temporary behind.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

#include <doctest/doctest.h>
#include <fcnn/atomic_file.hpp>

#if defined(__linux__)
#include <csignal>
#include <sys/resource.h>
#endif

#include "temporary_folder.hpp"

namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// The entries of a folder, so a test can see that nothing was left beside the file.
std::size_t entries(const fs::path& folder) {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(folder), fs::directory_iterator()));
}

}  // namespace

TEST_CASE("a write makes the file, or replaces an old one whole, and leaves no temporary") {
    const fcnn_test::TemporaryFolder folder("fcnn-test-atomic-file");
    const fs::path path = folder / "out.txt";
    fcnn::write_file_atomically(path, std::string_view("first\n"), "test");
    CHECK(read(path) == "first\n");
    const std::string bytes("a\0b\r\n", 5);  // written as they are: no text-mode translation
    fcnn::write_file_atomically(path, bytes, "test");
    CHECK(read(path) == bytes);
    CHECK(entries(folder.path()) == 1);
}

TEST_CASE("a write that cannot make its temporary changes nothing") {
    const fcnn_test::TemporaryFolder folder("fcnn-test-atomic-file");
    const fs::path path = folder / "no-such-folder" / "out.txt";
    CHECK_THROWS_WITH_AS(fcnn::write_file_atomically(path, std::string_view("x"), "save"),
                         ("save: cannot write '" + path.string() + ".tmp': No such file or directory").c_str(),
                         std::runtime_error);
    CHECK(entries(folder.path()) == 0);
}

TEST_CASE("a rename that fails keeps what was at the path and removes the temporary") {
    const fcnn_test::TemporaryFolder folder("fcnn-test-atomic-file");
    const fs::path path = folder / "taken";
    fs::create_directory(path);  // a folder that is not empty cannot be replaced by a file
    std::ofstream(path / "keep.txt") << "the user's\n";
    CHECK_THROWS_WITH_AS(fcnn::write_file_atomically(path, std::string_view("x"), "fcnn train"),
                         ("fcnn train: cannot replace '" + path.string() + "': Is a directory").c_str(),
                         std::runtime_error);
    CHECK_FALSE(fs::exists(folder / "taken.tmp"));
    CHECK(read(path / "keep.txt") == "the user's\n");
    CHECK(entries(folder.path()) == 1);
}

#if defined(__linux__)
// A disk that fills up during the write, made with a limit on the size of files this process may
// write (RLIMIT_FSIZE): the write of the temporary fails part way, as it would on a full disk.
TEST_CASE("a write that fails part way keeps the old file whole and removes the temporary") {
    const fcnn_test::TemporaryFolder folder("fcnn-test-atomic-file");
    const fs::path path = folder / "model.txt";
    fcnn::write_file_atomically(path, std::string_view("the old model\n"), "save");
    rlimit old_limit{};
    REQUIRE(getrlimit(RLIMIT_FSIZE, &old_limit) == 0);
    rlimit small = old_limit;
    small.rlim_cur = 4096;
    const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);  // a write past the limit fails with EFBIG
    REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
    std::string message;
    try {
        fcnn::write_file_atomically(path, std::string(100000, 'x'), "save");
    } catch (const std::runtime_error& error) {
        message = error.what();
    }
    setrlimit(RLIMIT_FSIZE, &old_limit);
    std::signal(SIGXFSZ, old_handler);
    CHECK(message == "save: cannot write '" + path.string() + ".tmp': File too large");
    CHECK(read(path) == "the old model\n");
    CHECK_FALSE(fs::exists(folder / "model.txt.tmp"));
    CHECK(entries(folder.path()) == 1);
}
#endif
