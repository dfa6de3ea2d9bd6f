// The names that --help lists for --activations, --cost, --init, --optimizer and --scale, taken
// from the library's own tables (known_names() and known_name_list()), so that help cannot list a
// name the library does not know, or leave out one it does.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace cli {

// "a, b or c" from a table's names (known_name_list()), with " (default)" after default_name when
// one is given. Throws std::logic_error when default_name is not in the table: the help would be wrong.
std::string one_of(std::span<const std::string_view> names, std::string_view default_name = "");

// The "names" section of fcnn --help: one line per table.
std::string known_names_section();

}  // namespace cli
