// The name tables behind Activation, Cost, Init, Optimizer and Scaler: one place that turns "relu" into a kind,
// a kind back into "relu", and gives the known names, as a list (for fcnn --help) and as one text
// (for error messages). Internal: not installed.
#pragma once

#include <array>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fcnn::names {

template <typename Kind, std::size_t N>
using Table = std::array<std::pair<std::string_view, Kind>, N>;

// The names in the table's order. They view the table's string literals, so they stay valid.
template <typename Kind, std::size_t N>
std::vector<std::string_view> in_order(const Table<Kind, N>& table) {
    std::vector<std::string_view> names;
    for (const auto& [name, kind] : table) names.push_back(name);
    return names;
}

// The same as one text, "sigmoid, tanh, relu", as error messages list them.
template <typename Kind, std::size_t N>
std::string list(const Table<Kind, N>& table) {
    std::string known;
    for (std::string_view name : in_order(table)) known += (known.empty() ? "" : ", ") + std::string(name);
    return known;
}

// what: "activation", "cost", ... as the message names it.
template <typename Kind, std::size_t N>
Kind kind_of(const Table<Kind, N>& table, std::string_view name, std::string_view what) {
    for (const auto& [known, kind] : table)
        if (known == name) return kind;
    throw std::invalid_argument("unknown " + std::string(what) + " '" + std::string(name) + "'; known " +
                                std::string(what) + "s: " + list(table));
}

// The same, also accepting older spellings (aliases) that are read but never written or listed:
// a name renamed once must not break the files and scripts that still use it.
template <typename Kind, std::size_t N, std::size_t M>
Kind kind_of(const Table<Kind, N>& table, const Table<Kind, M>& aliases, std::string_view name, std::string_view what) {
    for (const auto& [alias, kind] : aliases)
        if (alias == name) return kind;
    return kind_of(table, name, what);
}

template <typename Kind, std::size_t N>
std::string_view name_of(const Table<Kind, N>& table, Kind kind) {
    for (const auto& [name, known] : table)
        if (known == kind) return name;
    throw std::logic_error("a kind without a name");
}

}  // namespace fcnn::names
