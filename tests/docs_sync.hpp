// Keeps the Markdown docs and tutorials in sync with the code they quote and the output they show.
//
// In a Markdown file, a marker line names where the fenced block right below it comes from:
//
//   <!-- snippet lib/fcnn/network.cpp bp2 -->      (in the first column) the region "bp2" of that file, which the source
//   ```cpp                                          marks with "// [snippet bp2]" and "// [end bp2]"
//   ...
//   ```
//
//   <!-- output 03-backprop -->                    what the tutorial program 03-backprop prints
//   ```text
//   ...
//   ```
//
// check_file() reports every block that differs from its source, with a diff; test_docs_sync
// runs it over all Markdown files. update_file() rewrites the blocks from their sources; the
// update-docs target runs it (meson compile -C build update-docs). The test never rewrites.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace docs_sync {

struct Context {
    std::filesystem::path source_root;   // the repository
    std::filesystem::path tutorial_bin;  // where the tutorial programs were built
    // Tutorial programs whose output this build cannot reproduce, each with the reason: their
    // blocks are left unchecked, and reported as skipped with that reason.
    std::map<std::string, std::string> left_out = {};
};

struct Report {
    std::size_t blocks = 0;             // how many marked blocks the file has
    std::vector<std::string> problems;  // "file:line: what", with a diff where a block differs
    std::vector<std::string> skipped;   // output blocks whose program exited with 77 (cannot run here) or is left out
};

Report check_file(const std::filesystem::path& markdown, const Context& context);

// Rewrites the file's blocks from their sources. Returns whether anything changed; throws
// std::runtime_error naming the file and line if a block's source cannot be found.
bool update_file(const std::filesystem::path& markdown, const Context& context);

// The Markdown files that the check covers: README.md, docs/*.md, tutorials/*/README.md and
// web/bp-panel.md (the source lines the playground's backprop panel shows).
std::vector<std::filesystem::path> markdown_files(const std::filesystem::path& source_root);

// The text of the region `name` of a source file, with its common indentation removed.
// Throws std::runtime_error if the file or the region does not exist, or the region is marked twice.
std::string snippet(const std::filesystem::path& file, const std::string& name);

// The programs a build leaves out, from "PROGRAM: REASON; PROGRAM: REASON" (the setting
// FCNN_DOCS_SYNC_LEAVE_OUT): each a tutorial program name, a colon and a space, and the reason,
// which cannot hold ';'. Empty text leaves nothing out. Throws std::runtime_error, quoting the
// entry and saying what was expected, for an entry without ": ", a name that is not a program
// name, an empty reason or a program named twice.
std::map<std::string, std::string> parse_left_out(const std::string& setting);

// Line-by-line differences, "-" for expected lines missing from actual, "+" for extra ones.
std::string diff(const std::string& expected, const std::string& actual);

}  // namespace docs_sync
