#include "docs_sync.hpp"
#include "shell.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace docs_sync {

namespace fs = std::filesystem;

namespace {

using Lines = std::vector<std::string>;

Lines read_lines(const fs::path& file) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot open " + file.string());
    Lines lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

Lines split_lines(const std::string& text) {
    Lines lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::string join_lines(const Lines& lines) {
    std::string text;
    for (const std::string& line : lines) text += line + "\n";
    return text;
}

// A marked block of a Markdown file: the marker line and the fences around the content.
struct Block {
    std::size_t marker = 0;  // line indices, counting from 0
    std::size_t open = 0;
    std::size_t close = 0;
    std::string kind;        // "snippet" or "output"
    Lines arguments;         // snippet: file and region; output: program
};

// A tutorial program's name, as output markers and FCNN_DOCS_SYNC_LEAVE_OUT give it.
bool is_program_name(const std::string& name) {
    return !name.empty() && name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string::npos;
}

std::string trimmed(const std::string& text) {
    const std::size_t first = text.find_first_not_of(' ');
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(' ') + 1 - first);
}

std::string where(const fs::path& markdown, std::size_t index) {
    return markdown.string() + ":" + std::to_string(index + 1);
}

// The marked blocks of a Markdown file. A malformed marker throws, naming its line.
std::vector<Block> find_blocks(const fs::path& markdown, const Lines& lines) {
    std::vector<Block> blocks;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].rfind("<!-- ", 0) != 0) continue;  // markers start in the first column
        std::istringstream words(lines[i]);
        std::string opening;
        Block block;
        words >> opening >> block.kind;
        if (block.kind != "snippet" && block.kind != "output") continue;
        for (std::string word; words >> word && word != "-->";) block.arguments.push_back(word);
        const std::size_t wanted = block.kind == "snippet" ? 2 : 1;
        if (block.arguments.size() != wanted || lines[i].find("-->") == std::string::npos)
            throw std::runtime_error(where(markdown, i) + ": expected '<!-- snippet FILE REGION -->' or "
                                     "'<!-- output PROGRAM -->', found '" + lines[i] + "'");
        block.marker = i;
        block.open = i + 1;
        if (block.open >= lines.size() || lines[block.open].rfind("```", 0) != 0)
            throw std::runtime_error(where(markdown, i) + ": a " + block.kind +
                                     " marker must be followed by a fenced code block");
        block.close = block.open + 1;
        while (block.close < lines.size() && lines[block.close] != "```") ++block.close;
        if (block.close == lines.size())
            throw std::runtime_error(where(markdown, block.open) + ": the code block is never closed");
        blocks.push_back(block);
        i = block.close;
    }
    return blocks;
}

// Thrown for a program that exits with 77, the "skipped" of Meson and Automake: it cannot run
// here (tutorial 07 without Fashion-MNIST installed); and for one the context leaves out. Its
// block is left unchecked.
struct Skipped : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// What a tutorial program prints; a program that fails or does not exist throws.
std::string program_output(const fs::path& program) {
    if (!fs::exists(program)) throw std::runtime_error("no program " + program.string() + " (is it built?)");
    std::string command = "'";  // quoted for the shell; built with += as GCC 12 misreads "'" + string
    command += program.string();
    command += "'";
    const fcnn_test::ShellResult run = fcnn_test::run_shell(command);
    if (run.status == 77) throw Skipped(program.string() + " skipped: " + run.output);
    if (run.status != 0) throw std::runtime_error(program.string() + " failed");
    return run.output;
}

// The text a block should hold, from its source. Outputs are cached: each program runs once.
class Sources {
public:
    explicit Sources(const Context& context) : context_(context) {}

    std::string expected(const Block& block) {
        if (block.kind == "snippet") return snippet(context_.source_root / block.arguments[0], block.arguments[1]);
        const std::string& name = block.arguments[0];
        if (!is_program_name(name))
            throw std::runtime_error("'" + name + "' is not a tutorial program name");
        if (const auto left_out = context_.left_out.find(name); left_out != context_.left_out.end())
            throw Skipped(name + " left out in this build: " + left_out->second);
        auto found = outputs_.find(name);
        if (found == outputs_.end()) found = outputs_.emplace(name, program_output(context_.tutorial_bin / name)).first;
        return found->second;
    }

private:
    const Context& context_;
    std::map<std::string, std::string> outputs_;
};

Lines content(const Lines& lines, const Block& block) {
    return Lines(lines.begin() + static_cast<std::ptrdiff_t>(block.open + 1),
                 lines.begin() + static_cast<std::ptrdiff_t>(block.close));
}

std::string describe(const Block& block) {
    if (block.kind == "snippet") return "region '" + block.arguments[1] + "' of " + block.arguments[0];
    return "the output of tutorial program " + block.arguments[0];
}

}  // namespace

std::string snippet(const fs::path& file, const std::string& name) {
    const Lines lines = read_lines(file);
    const std::string begin = "[snippet " + name + "]", end = "[end " + name + "]";
    std::vector<std::size_t> begins, ends;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].find(begin) != std::string::npos) begins.push_back(i);
        if (lines[i].find(end) != std::string::npos) ends.push_back(i);
    }
    if (begins.empty()) throw std::runtime_error("region '" + name + "' does not exist in " + file.string());
    if (begins.size() > 1 || ends.size() != 1 || ends[0] < begins[0])
        throw std::runtime_error("region '" + name + "' of " + file.string() + " needs exactly one '" + begin +
                                 "' line followed by one '" + end + "' line");
    Lines region(lines.begin() + static_cast<std::ptrdiff_t>(begins[0] + 1),
                 lines.begin() + static_cast<std::ptrdiff_t>(ends[0]));
    std::size_t indent = std::string::npos;
    for (const std::string& line : region)
        if (line.find_first_not_of(' ') != std::string::npos) indent = std::min(indent, line.find_first_not_of(' '));
    for (std::string& line : region) line = line.size() > indent ? line.substr(indent) : "";
    return join_lines(region);
}

std::string diff(const std::string& expected, const std::string& actual) {
    const Lines a = split_lines(expected), b = split_lines(actual);
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..]
    std::vector<std::vector<std::size_t>> lcs(a.size() + 1, std::vector<std::size_t>(b.size() + 1, 0));
    for (std::size_t i = a.size(); i-- > 0;)
        for (std::size_t j = b.size(); j-- > 0;)
            lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    std::string out;
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        if (i < a.size() && j < b.size() && a[i] == b[j]) {
            out += "  " + a[i++] + "\n";
            ++j;
        } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
            out += "- " + a[i++] + "\n";
        } else {
            out += "+ " + b[j++] + "\n";
        }
    }
    return out;
}

Report check_file(const fs::path& markdown, const Context& context) {
    Report report;
    std::vector<std::string>& problems = report.problems;
    const Lines lines = read_lines(markdown);
    Sources sources(context);
    try {
        for (const Block& block : find_blocks(markdown, lines)) {
            ++report.blocks;
            try {
                const std::string expected = sources.expected(block);
                const std::string actual = join_lines(content(lines, block));
                if (actual != expected)
                    problems.push_back(where(markdown, block.open) + ": the block differs from " + describe(block) +
                                       " (- source, + Markdown):\n" + diff(expected, actual));
            } catch (const Skipped& skipped) {
                report.skipped.push_back(where(markdown, block.marker) + ": " + skipped.what());
            } catch (const std::runtime_error& error) {
                problems.push_back(where(markdown, block.marker) + ": " + error.what());
            }
        }
    } catch (const std::runtime_error& error) {
        problems.push_back(error.what());
    }
    return report;
}

bool update_file(const fs::path& markdown, const Context& context) {
    const Lines lines = read_lines(markdown);
    Sources sources(context);
    Lines updated;
    std::size_t next = 0;  // the first line of `lines` not yet copied
    for (const Block& block : find_blocks(markdown, lines)) {
        updated.insert(updated.end(), lines.begin() + static_cast<std::ptrdiff_t>(next),
                       lines.begin() + static_cast<std::ptrdiff_t>(block.open + 1));
        std::string expected;
        try {
            expected = sources.expected(block);
        } catch (const Skipped&) {
            expected = join_lines(content(lines, block));  // cannot run here: keep the block as it is
        } catch (const std::runtime_error& error) {
            throw std::runtime_error(where(markdown, block.marker) + ": " + error.what());
        }
        for (const std::string& line : split_lines(expected)) updated.push_back(line);
        next = block.close;
    }
    updated.insert(updated.end(), lines.begin() + static_cast<std::ptrdiff_t>(next), lines.end());
    if (updated == lines) return false;
    const fs::path temporary = markdown.string() + ".tmp";
    std::ofstream(temporary) << join_lines(updated);
    fs::rename(temporary, markdown);
    return true;
}

std::vector<fs::path> markdown_files(const fs::path& source_root) {
    std::vector<fs::path> files = {source_root / "README.md"};
    for (const char* folder : {"docs", "tutorials", "web"})
        for (const auto& entry : fs::recursive_directory_iterator(source_root / folder))
            if (entry.path().extension() == ".md") files.push_back(entry.path());
    std::sort(files.begin() + 1, files.end());
    return files;
}

std::map<std::string, std::string> parse_left_out(const std::string& setting) {
    std::map<std::string, std::string> left_out;
    if (trimmed(setting).empty()) return left_out;
    std::istringstream entries(setting);
    for (std::string entry; std::getline(entries, entry, ';');) {
        entry = trimmed(entry);
        const std::size_t colon = entry.find(": ");
        const std::string name = colon == std::string::npos ? "" : entry.substr(0, colon);
        const std::string reason = colon == std::string::npos ? "" : trimmed(entry.substr(colon + 2));
        if (!is_program_name(name) || reason.empty())
            throw std::runtime_error("FCNN_DOCS_SYNC_LEAVE_OUT: expected 'PROGRAM: REASON' (a tutorial program "
                                     "name such as 05-gradient-checking, a colon, a space and a reason; "
                                     "entries separated by ';'), found '" + entry + "'");
        if (!left_out.emplace(name, reason).second)
            throw std::runtime_error("FCNN_DOCS_SYNC_LEAVE_OUT: " + name + " is left out twice");
    }
    return left_out;
}

}  // namespace docs_sync
