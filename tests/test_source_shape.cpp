// The shape the project promises its readers: no function in lib/ longer than 40 lines, so each
// one reads without scrolling; network.hpp declares no training loop and no file I/O; and the
// headers include one another bottom-up, in docs/design.md's order.
// The scanner is small on purpose: it blanks comments and literals, then matches braces.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

namespace {

constexpr std::size_t longest_allowed = 40;

struct Function {
    std::string signature;  // the first line of its declaration, trimmed
    std::size_t first_line = 0, last_line = 0;
    std::size_t lines() const { return last_line - first_line + 1; }
};

// Preprocessor lines, comments, string literals and character literals become spaces (newlines stay, so line
// numbers hold); a digit separator (1'000) is not a character literal.
std::string blank_comments_and_literals(const std::string& text) {
    std::string out = text;
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto blank_until = [&](std::size_t end) {
            for (std::size_t k = i; k < end && k < out.size(); ++k)
                if (out[k] != '\n') out[k] = ' ';
            i = end - 1;
        };
        const std::size_t before = i == 0 ? std::string::npos : out.find_last_not_of(" \t", i - 1);
        const bool starts_line = before == std::string::npos || out[before] == '\n';
        if (out[i] == '#' && starts_line) {  // a preprocessor line, with its continuations
            std::size_t end = i;
            while ((end = out.find('\n', end)) != std::string::npos && out[end - 1] == '\\') ++end;
            blank_until(std::min(end, out.size()));
        } else if (out.compare(i, 2, "//") == 0) {
            blank_until(std::min(out.find('\n', i), out.size()));
        } else if (out.compare(i, 2, "/*") == 0) {
            blank_until(std::min(out.find("*/", i + 2) + 2, out.size()));
        } else if (out[i] == '"' || (out[i] == '\'' && !(i > 0 && std::isxdigit(static_cast<unsigned char>(out[i - 1]))))) {
            std::size_t end = i + 1;
            while (end < out.size() && out[end] != out[i]) end += out[end] == '\\' ? 2 : 1;
            blank_until(std::min(end + 1, out.size()));
        }
    }
    return out;
}

std::string trimmed(std::string s) {
    const auto first = s.find_first_not_of(" \t\n");
    if (first == std::string::npos) return "";
    return s.substr(first, s.find_last_not_of(" \t\n") - first + 1);
}

std::string without_template_header(std::string s) {
    while (s.rfind("template", 0) == 0) {
        int depth = 0;
        std::size_t i = s.find('<');
        for (; i < s.size(); ++i) {
            depth += s[i] == '<' ? 1 : s[i] == '>' ? -1 : 0;
            if (depth == 0) break;
        }
        s = trimmed(s.substr(std::min(i + 1, s.size())));
    }
    return s;
}

enum class Scope { namespace_or_class, function, data };

// `Shape(int a) : a_{a} {`: the first brace belongs to a member's initializer, after the
// constructor's `:` and right after a name (unlike `) const {` or `) -> Foo::Bar {`).
bool is_member_initializer(const std::string& head) {
    const std::string tail = head.substr(head.rfind(')') + 1);
    bool single_colon = false;
    for (std::size_t i = 0; i < tail.size(); ++i)
        if (tail[i] == ':') {
            if (i + 1 < tail.size() && tail[i + 1] == ':') ++i;
            else single_colon = true;
        }
    const char last = tail.empty() ? ' ' : tail.back();
    return single_colon && (std::isalnum(static_cast<unsigned char>(last)) || last == '_');
}

// What a '{' opens, from the text of the declaration before it.
Scope opened_by(const std::string& declaration) {
    const std::string head = without_template_header(trimmed(declaration));
    for (const char* word : {"namespace", "class", "struct", "union", "enum", "extern"})
        if (head.rfind(word, 0) == 0 && head.find('(') == std::string::npos) return Scope::namespace_or_class;
    const auto paren = head.find('('), equals = head.find('=');
    if (paren == std::string::npos || (equals != std::string::npos && equals < paren)) return Scope::data;
    if (is_member_initializer(head)) return Scope::data;
    return Scope::function;
}

// Where a declaration's own text begins: after its indentation and any `public:` before it.
std::size_t first_after_access_labels(const std::string& declaration) {
    std::size_t start = declaration.find_first_not_of(" \t\n");
    for (const std::string label : {"public:", "protected:", "private:"})
        if (declaration.compare(start, label.size(), label) == 0)
            start = declaration.find_first_not_of(" \t\n", start + label.size());
    return start;
}

std::size_t line_of(const std::string& text, std::size_t position) {
    return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(position), '\n'));
}

// The functions of one source text: each '{' at namespace or class scope that ends a
// declaration with a parameter list opens one, and its matching '}' closes it.
std::vector<Function> functions_in(const std::string& source) {
    const std::string text = blank_comments_and_literals(source);
    std::vector<Function> found;
    std::size_t declaration_start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == ';' || text[i] == '}') declaration_start = i + 1;
        if (text[i] != '{') continue;
        const std::string declaration = text.substr(declaration_start, i - declaration_start);
        const Scope scope = opened_by(declaration);
        if (scope == Scope::namespace_or_class) {
            declaration_start = i + 1;
            continue;
        }
        std::size_t end = i, depth = 0;
        for (; end < text.size(); ++end) {
            depth += text[end] == '{' ? 1 : 0;
            if (text[end] == '}' && --depth == 0) break;
        }
        if (scope == Scope::function) {
            const std::size_t start = declaration_start + first_after_access_labels(declaration);
            const std::string first_line = source.substr(start, source.find('\n', start) - start);
            found.push_back({trimmed(first_line), line_of(text, start), line_of(text, end)});
            declaration_start = end + 1;
        }
        i = end;  // a data initializer's braces can end a declaration too: `= {...};` keeps going
    }
    return found;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::filesystem::path> library_sources() {
    std::vector<std::filesystem::path> paths;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(FCNN_SOURCE_DIR "/lib"))
        if (entry.path().extension() == ".cpp" || entry.path().extension() == ".hpp") paths.push_back(entry.path());
    std::sort(paths.begin(), paths.end());
    return paths;
}

std::string numbered(std::size_t n) {
    std::string text;
    for (std::size_t i = 0; i < n; ++i) text += "    x += " + std::to_string(i) + ";\n";
    return text;
}

}  // namespace

TEST_CASE("the scanner finds functions, their lengths, and nothing in comments, strings or data") {
    const std::string source = "#include <array>\n"
                               "// void commented() {\n"
                               "namespace fcnn {\n"
                               "const std::array<int, 2> table = {1, 2};\n"
                               "struct Shape {\n"
                               "  public:\n"
                               "    int area() const { return 1'000 * '}'; }\n"
                               "};\n"
                               "template <typename T>\n"
                               "T twice(T x) {\n"
                               "    auto f = [](T y) { return \"{\" , y; };\n"
                               "    return f(x) * 2;\n"
                               "}\n"
                               "Shape::Shape(int a) : a_{a}, b_(a) {\n" + numbered(40) + "}\n"
                               "}  // namespace fcnn\n";
    const auto found = functions_in(source);
    REQUIRE(found.size() == 3);
    CHECK(found[0].signature == "int area() const { return 1'000 * '}'; }");
    CHECK(found[0].lines() == 1);
    CHECK(found[1].signature == "template <typename T>");
    CHECK(found[1].lines() == 5);
    CHECK(found[2].first_line == 14);
    CHECK(found[2].lines() == 42);  // so the check below would name it
}

TEST_CASE("no function in lib/ is longer than 40 lines") {
    std::size_t counted = 0;
    std::string too_long;
    for (const auto& path : library_sources()) {
        for (const Function& f : functions_in(read_file(path))) {
            ++counted;
            if (f.lines() > longest_allowed)
                too_long += std::filesystem::relative(path, FCNN_SOURCE_DIR).string() + ":" + std::to_string(f.first_line) +
                            ": " + std::to_string(f.lines()) + " lines: " + f.signature + "\n";
        }
    }
    CHECK_MESSAGE(counted > 200, "the scanner found only " << counted << " functions in lib/");
    CHECK_MESSAGE(too_long.empty(), "functions longer than " << longest_allowed << " lines:\n" << too_long);
}

TEST_CASE("network.hpp declares no training loop and no file I/O") {
    const std::string header = blank_comments_and_literals(read_file(FCNN_SOURCE_DIR "/lib/fcnn/network.hpp"));
    for (const char* word : {"<fstream>", "<iostream>", "<filesystem>", " train(", "TrainOptions", "EpochStats", " save(",
                             " load(", "ModelFormatError", "optimizer.hpp"})
        CHECK_MESSAGE(header.find(word) == std::string::npos, "network.hpp mentions " << word);
}

// docs/design.md's order of lib/fcnn, lowest first: matrix -> gemm/threads -> activation/cost ->
// network -> optimizer -> training -> model file / gradient check -> data. A header includes only
// headers of a lower level, so the headers read bottom-up follow the data; and the network and
// the optimizer never include each other (training connects them).
TEST_CASE("lib's headers include only headers below them, and network and optimizer not each other") {
    const std::map<std::string, int> level = {
        {"elementary", 0}, {"number_text", 0}, {"same_bits", 0}, {"names", 0}, {"random", 0}, {"init", 0},
        {"matrix", 0}, {"shape_error", 1}, {"gemm", 1}, {"threads", 1}, {"activation", 2}, {"cost", 3}, {"network", 4},
        {"backprop_reference", 5}, {"optimizer", 5}, {"training", 6}, {"model_file", 7}, {"npz", 7},
        {"onnx", 7}, {"saved_precision", 7}, {"atomic_file", 7}, {"gradient_check", 7}, {"metrics", 7},
        {"data/gzip", 8}, {"data/idx", 8}, {"data/dataset", 8}, {"fcnn", 9}};
    const std::regex include("#include \"fcnn/([a-z_/]+)\\.hpp\"");
    const std::filesystem::path root = FCNN_SOURCE_DIR "/lib/fcnn";
    std::size_t headers = 0;
    for (const auto& path : library_sources()) {
        const std::string name = std::filesystem::relative(path, root).replace_extension().generic_string();
        const bool header = path.extension() == ".hpp";
        if (header) ++headers;
        REQUIRE_MESSAGE((!header || level.count(name) == 1), name << ".hpp: a header this test does not place: add it to the order");
        const std::string text = read_file(path);
        for (auto match = std::sregex_iterator(text.begin(), text.end(), include); match != std::sregex_iterator(); ++match) {
            const std::string included = (*match)[1];
            INFO(name, path.extension().string(), " includes fcnn/", included, ".hpp");
            if (name == "network" || name == "optimizer") CHECK(included != (name == "network" ? "optimizer" : "network"));
            if (!header) continue;
            REQUIRE(level.count(included) == 1);
            CHECK(level.at(included) < level.at(name));
        }
    }
    CHECK(headers == level.size());  // every header placed, and none placed that is gone
}

// Shape errors are built by shape_error (one form); a message that pastes a shape() in by hand
// is a second style. Index errors (an element or column out of range) name one shape and stay:
// they are also what shows that the pattern finds such messages at all.
TEST_CASE("lib/ builds every shape error with shape_error, none by hand") {
    const std::regex by_hand("throw std::invalid_argument\\([^;]*\\.shape\\(\\)");
    std::size_t index_errors = 0;
    for (const auto& path : library_sources()) {
        const std::string text = read_file(path);
        for (auto match = std::sregex_iterator(text.begin(), text.end(), by_hand); match != std::sregex_iterator(); ++match) {
            const std::string statement = match->str();
            const bool index_error = statement.find("out of range") != std::string::npos ||
                                     statement.find("argmax_column") != std::string::npos;
            INFO(path.filename().string(), ": ", statement);
            CHECK(index_error);
            index_errors += index_error ? 1 : 0;
        }
    }
    CHECK(index_errors >= 2);  // matrix.cpp's argmax_column and gather_columns
}
