// The names that --help lists for --activations, --cost, --init, --optimizer and --scale, taken
// from the library's own tables (known_names()), so that help cannot list a name the library
// does not know, or leave out one it does.
#pragma once

#include <string>
#include <string_view>

namespace cli {

// "a, b or c" from a table's "a, b, c", with " (default)" after default_name when one is given.
// Throws std::logic_error when default_name is not in the table: the help would be wrong.
std::string one_of(const std::string& known_names, std::string_view default_name = "");

// The "names" section of fcnn --help: one line per table.
std::string known_names_section();

}  // namespace cli
