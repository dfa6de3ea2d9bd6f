// The flags of one fcnn command: "--name value", "--name=value", or a bare "--switch".
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace cli {

// A mistake on the command line: main prints it with a pointer to --help and exits with 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Args {
public:
    // command: "fcnn train", for messages. valued: flags that take a value; switches: flags that do not.
    Args(const std::vector<std::string>& words, std::string command, const std::set<std::string>& valued,
         const std::set<std::string>& switches);

    bool has(const std::string& flag) const { return values_.count(flag) != 0; }
    std::string text(const std::string& flag, const std::string& otherwise) const;
    double number(const std::string& flag, double otherwise) const;
    std::size_t count(const std::string& flag, std::size_t otherwise) const;  // a whole number >= 1
    std::size_t whole_number(const std::string& flag, std::size_t otherwise) const;  // a whole number >= 0
    std::uint64_t seed(const std::string& flag, std::uint64_t otherwise) const;
    std::optional<std::size_t> column(const std::string& flag) const;         // a whole number >= 0
    std::vector<std::string> list(const std::string& flag) const;            // comma-separated
    [[noreturn]] void fail(const std::string& problem) const;                 // throws UsageError

private:
    template <typename T>
    T parsed(const std::string& flag, const std::string& expected) const;

    std::string command_;
    std::map<std::string, std::string> values_;
};

}  // namespace cli
