#include "args.hpp"

#include <charconv>
#include <cmath>
#include <sstream>

namespace cli {

Args::Args(const std::vector<std::string>& words, std::string command, const std::set<std::string>& valued,
           const std::set<std::string>& switches)
    : command_(std::move(command)) {
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& word = words[i];
        if (word.rfind("--", 0) != 0) fail("unexpected argument '" + word + "': flags start with --");
        const std::size_t equals = word.find('=');
        const std::string flag = word.substr(2, equals == std::string::npos ? std::string::npos : equals - 2);
        if (switches.count(flag)) {
            if (equals != std::string::npos) fail("--" + flag + " takes no value");
            values_[flag] = "";
        } else if (valued.count(flag)) {
            if (equals != std::string::npos) values_[flag] = word.substr(equals + 1);
            else if (i + 1 < words.size()) values_[flag] = words[++i];
            else fail("--" + flag + " needs a value");
        } else {
            fail("unknown flag --" + flag);
        }
    }
}

void Args::fail(const std::string& problem) const {
    throw UsageError(command_ + ": " + problem + " (see " + command_ + " --help)");
}

std::string Args::text(const std::string& flag, const std::string& otherwise) const {
    const auto found = values_.find(flag);
    return found == values_.end() ? otherwise : found->second;
}

double Args::number(const std::string& flag, double otherwise) const {
    if (!has(flag)) return otherwise;
    const std::string& word = values_.at(flag);
    double value = 0;
    const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), value);
    if (error != std::errc() || end != word.data() + word.size() || !std::isfinite(value))
        fail("--" + flag + " expects a number, got '" + word + "'");
    return value;
}

std::size_t Args::count(const std::string& flag, std::size_t otherwise) const {
    if (!has(flag)) return otherwise;
    const std::string& word = values_.at(flag);
    std::size_t value = 0;
    const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), value);
    if (error != std::errc() || end != word.data() + word.size() || value == 0)
        fail("--" + flag + " expects a whole number of at least 1, got '" + word + "'");
    return value;
}

std::uint64_t Args::seed(const std::string& flag, std::uint64_t otherwise) const {
    if (!has(flag)) return otherwise;
    const std::string& word = values_.at(flag);
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), value);
    if (error != std::errc() || end != word.data() + word.size()) fail("--" + flag + " expects a whole number, got '" + word + "'");
    return value;
}

std::vector<std::string> Args::list(const std::string& flag) const {
    std::vector<std::string> items;
    std::istringstream in(values_.at(flag));
    for (std::string item; std::getline(in, item, ',');) {
        if (item.empty()) fail("--" + flag + " has an empty item: '" + values_.at(flag) + "'");
        items.push_back(item);
    }
    return items;
}

}  // namespace cli
