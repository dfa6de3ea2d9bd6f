#include "args.hpp"

#include <cmath>
#include <limits>
#include <sstream>

#include <fcnn/number_text.hpp>

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

// The value of a flag read as a whole number (fcnn::parse_whole_number) that a T holds, or a
// UsageError. Only a 32-bit build's std::size_t is narrower than the 64 bits read.
template <typename T>
T Args::parsed(const std::string& flag, const std::string& expected) const {
    const std::string& word = values_.at(flag);
    const std::optional<std::uint64_t> value = fcnn::parse_whole_number(word);
    if (!value) fail("--" + flag + " expects " + expected + ", got '" + word + "'");
    if (*value > std::numeric_limits<T>::max())
        fail("--" + flag + " expects " + expected + " up to " + std::to_string(std::numeric_limits<T>::max()) + ", got '" + word + "'");
    return static_cast<T>(*value);
}

double Args::number(const std::string& flag, double otherwise) const {
    if (!has(flag)) return otherwise;
    const fcnn::ParsedNumber<double> value = fcnn::parse_number<double>(values_.at(flag));
    const std::string problem = value.error == fcnn::NumberError::out_of_range ? " (out of range for double)" : "";
    if (!value || !std::isfinite(value.value)) fail("--" + flag + " expects a number, got '" + values_.at(flag) + "'" + problem);
    return value.value;
}

std::size_t Args::count(const std::string& flag, std::size_t otherwise) const {
    if (!has(flag)) return otherwise;
    const std::string expected = "a whole number of at least 1";
    const std::size_t value = parsed<std::size_t>(flag, expected);
    if (value == 0) fail("--" + flag + " expects " + expected + ", got '0'");
    return value;
}

std::size_t Args::whole_number(const std::string& flag, std::size_t otherwise) const {
    return has(flag) ? parsed<std::size_t>(flag, "a whole number") : otherwise;
}

std::uint64_t Args::seed(const std::string& flag, std::uint64_t otherwise) const {
    return has(flag) ? parsed<std::uint64_t>(flag, "a whole number") : otherwise;
}

// A CSV column: a whole number counting from 0, or nothing when the flag is not given.
std::optional<std::size_t> Args::column(const std::string& flag) const {
    if (!has(flag)) return std::nullopt;
    return parsed<std::size_t>(flag, "a column number counting from 0");
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
