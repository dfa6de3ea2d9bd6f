// fcnn::write_file_atomically, the one write that every saved file goes through: a new file
// appears whole, an old one is replaced whole, and a failure keeps the old file and leaves no
// temporary behind. fcnn::change_files_together does the same for files that belong together (a
// model and its MODEL.scale): both change, or neither.
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

void write(const fs::path& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

// The message of the error a call throws, or "" if it throws none.
template <typename Call>
std::string error_of(Call call) {
    try {
        call();
    } catch (const std::runtime_error& error) {
        return error.what();
    }
    return "";
}

#if defined(__linux__)
// A disk that fills up during a write, made with a limit on the size of files this process may
// write (RLIMIT_FSIZE): a write past `bytes` fails part way (EFBIG), as it would on a full disk.
template <typename Call>
std::string error_with_file_size_limit(rlim_t bytes, Call call) {
    rlimit old_limit{};
    REQUIRE(getrlimit(RLIMIT_FSIZE, &old_limit) == 0);
    rlimit small = old_limit;
    small.rlim_cur = bytes;
    const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);  // else the signal ends the process
    REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
    const std::string message = error_of(call);
    setrlimit(RLIMIT_FSIZE, &old_limit);
    std::signal(SIGXFSZ, old_handler);
    return message;
}
#endif

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
TEST_CASE("a write that fails part way keeps the old file whole and removes the temporary") {
    const fcnn_test::TemporaryFolder folder("fcnn-test-atomic-file");
    const fs::path path = folder / "model.txt";
    fcnn::write_file_atomically(path, std::string_view("the old model\n"), "save");
    const std::string message =
        error_with_file_size_limit(4096, [&] { fcnn::write_file_atomically(path, std::string(100000, 'x'), "save"); });
    CHECK(message == "save: cannot write '" + path.string() + ".tmp': File too large");
    CHECK(read(path) == "the old model\n");
    CHECK_FALSE(fs::exists(folder / "model.txt.tmp"));
    CHECK(entries(folder.path()) == 1);
}
#endif

// ---- files that change together ----

namespace {

// An old pair, as an earlier run left it.
struct OldPair {
    fs::path scale, model;
    OldPair(const fcnn_test::TemporaryFolder& folder) : scale(folder / "m.model.scale"), model(folder / "m.model") {
        write(scale, "the old scaling\n");
        write(model, "the old model\n");
    }
    void check_unchanged() const {
        CHECK(read(scale) == "the old scaling\n");
        CHECK(read(model) == "the old model\n");
    }
    void change(std::string_view new_model = "the new model\n") const {
        const fcnn::FileChange pair[] = {{scale, "the new scaling\n"}, {model, new_model}};
        fcnn::change_files_together(pair, "fcnn train");
    }
};

}  // namespace

TEST_CASE("files changed together are all new afterwards, and no temporary is left") {
    const fcnn_test::TemporaryFolder folder("fcnn-test-atomic-file");
    const OldPair pair(folder);
    pair.change();
    CHECK(read(pair.scale) == "the new scaling\n");
    CHECK(read(pair.model) == "the new model\n");
    CHECK(entries(folder.path()) == 2);
}

TEST_CASE("when one of two files cannot be written, neither changes, and a folder named like a temporary stays") {
    for (const char* in_the_way : {"m.model.scale.tmp", "m.model.tmp"}) {
        CAPTURE(in_the_way);
        const fcnn_test::TemporaryFolder folder("fcnn-test-atomic-file");
        const OldPair pair(folder);
        fs::create_directory(folder / in_the_way);  // the user's, empty: not ours to remove
        CHECK(error_of([&] { pair.change(); }) ==
              "fcnn train: cannot write '" + (folder / in_the_way).string() + "': Is a directory");
        pair.check_unchanged();
        CHECK(fs::is_directory(folder / in_the_way));
        CHECK(entries(folder.path()) == 3);  // the pair and the user's folder: no temporary of ours
    }
}

#if defined(__linux__)
TEST_CASE("a disk that fills up while the second of two files is written changes neither") {
    const fcnn_test::TemporaryFolder folder("fcnn-test-atomic-file");
    const OldPair pair(folder);
    const std::string message = error_with_file_size_limit(4096, [&] { pair.change(std::string(100000, 'x')); });
    CHECK(message == "fcnn train: cannot write '" + pair.model.string() + ".tmp': File too large");
    pair.check_unchanged();
    CHECK(entries(folder.path()) == 2);
}
#endif

TEST_CASE("when the last rename fails, the files renamed before it are put back byte for byte") {
    const fcnn_test::TemporaryFolder folder("fcnn-test-atomic-file");
    const fs::path scale = folder / "m.model.scale", taken = folder / "m.model";
    fs::create_directory(taken);  // a folder that is not empty cannot be replaced by a file
    write(taken / "keep.txt", "the user's\n");
    const fcnn::FileChange pair[] = {{scale, "the new scaling\n"}, {taken, "the new model\n"}};
    SUBCASE("an old file is put back") {
        const std::string old_bytes("the old scaling\r\n\0", 18);
        write(scale, old_bytes);
        CHECK(error_of([&] { fcnn::change_files_together(pair, "fcnn train"); }) ==
              "fcnn train: cannot replace '" + taken.string() + "': Is a directory");
        CHECK(read(scale) == old_bytes);
        CHECK(entries(folder.path()) == 2);
    }
    SUBCASE("a file that was not there before is taken away again") {
        CHECK(error_of([&] { fcnn::change_files_together(pair, "fcnn train"); }) ==
              "fcnn train: cannot replace '" + taken.string() + "': Is a directory");
        CHECK_FALSE(fs::exists(scale));
        CHECK(entries(folder.path()) == 1);
    }
    CHECK(read(taken / "keep.txt") == "the user's\n");
}

TEST_CASE("a change with no bytes removes the file, is put back if a later one fails, and never removes a folder") {
    const fcnn_test::TemporaryFolder folder("fcnn-test-atomic-file");
    const OldPair pair(folder);
    const fcnn::FileChange no_scale[] = {{pair.scale, std::nullopt}, {pair.model, "the new model\n"}};
    SUBCASE("removed with the model replaced") {
        fcnn::change_files_together(no_scale, "fcnn train");
        CHECK_FALSE(fs::exists(pair.scale));
        CHECK(read(pair.model) == "the new model\n");
        fcnn::change_files_together(no_scale, "fcnn train");  // nothing there to remove is no failure
        CHECK(entries(folder.path()) == 1);
    }
    SUBCASE("put back when the model's rename fails") {
        fs::remove(pair.model);
        fs::create_directory(pair.model);
        write(pair.model / "keep.txt", "the user's\n");
        CHECK(error_of([&] { fcnn::change_files_together(no_scale, "fcnn train"); }) ==
              "fcnn train: cannot replace '" + pair.model.string() + "': Is a directory");
        CHECK(read(pair.scale) == "the old scaling\n");
        CHECK(entries(folder.path()) == 2);
    }
    SUBCASE("a folder is not a file to remove") {
        fs::remove(pair.scale);
        fs::create_directory(pair.scale);
        fcnn::change_files_together(no_scale, "fcnn train");
        CHECK(fs::is_directory(pair.scale));
    }
}
