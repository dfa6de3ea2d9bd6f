// A folder made fresh for one test (mkdtemp) and removed when the test is done, even when it
// failed. Test programs run at the same time (meson test runs suites in parallel, and other
// builds and clones run theirs), so a fixed path such as /tmp/fcnn_test_gzip lets one program
// delete or overwrite the files another is reading.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <stdlib.h>  // mkdtemp (POSIX)
#include <string>
#include <system_error>

namespace fcnn_test {

class TemporaryFolder {
public:
    // Makes <temporary directory>/<prefix>-XXXXXX, the X's chosen so that the folder is new.
    explicit TemporaryFolder(const std::string& prefix) {
        std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
        if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot make a fresh folder " + pattern);
        path_ = pattern;
    }
    ~TemporaryFolder() {
        std::error_code ignored;  // a folder that cannot be removed must not turn a pass into a crash
        std::filesystem::remove_all(path_, ignored);
    }
    TemporaryFolder(const TemporaryFolder&) = delete;
    TemporaryFolder& operator=(const TemporaryFolder&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

}  // namespace fcnn_test
