// gdb with fcnn's pretty-printers, on the debug build of tutorial 03's program: stopped at the
// BP2 line of backprop, `print` must show matrices as grids, layers and networks as summaries.
// A test runs gdb without letting it load the printers, to show that the grids come from them
// (so these tests fail when the printers do not load). Tutorial 06's session is typed into gdb
// through a terminal and must show what the tutorial shows; VS Code's launch stops where the
// tutorial says.
//
// Under qemu-i386 (FCNN_GDB_QEMU_I386 names it: .ci/run sets it for its -m32 build on a machine
// that cannot run 32-bit programs) gdb cannot start the program itself: it would trace qemu. The
// program then waits under qemu's gdb server, on a socket in a fresh folder, and gdb's `start` or
// `run` becomes what a person types for a program that runs elsewhere: `set tdesc filename`
// (tests/qemu-i386-linux.xml says why), `target remote SOCKET` and `continue`, after `tbreak main`
// for `start`. The printers then read the 32-bit program's memory: Matrix, Layer and Network as
// the -m32 build lays them out.
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "shell.hpp"
#include "temporary_folder.hpp"

namespace {

// The line after "// BP2:" in network.cpp: the first line of BP2's computation.
int bp2_line() {
    std::ifstream source(FCNN_SOURCE_DIR "/lib/fcnn/network.cpp");
    std::string line;
    for (int number = 1; std::getline(source, line); ++number)
        if (line.find("// BP2:") != std::string::npos) return number + 1;
    return 0;
}

// What `gdb -batch -nx BEFORE -ex 'START > /dev/null' AFTER` prints for the debug build of
// tutorial 03's program (BEFORE, AFTER: gdb's options), START being `start` or `run`; under
// qemu-i386 the program is started as said above.
std::string gdb_on_program(const std::string& before, const std::string& start, const std::string& after) {
    const std::string program = FCNN_BACKPROP_DEBUG;
    std::string gdb = "ASAN_OPTIONS=detect_leaks=0 gdb -batch -nx" + before;  // LeakSanitizer cannot run under gdb
    const char* qemu = std::getenv("FCNN_GDB_QEMU_I386");
    if (qemu == nullptr || *qemu == '\0')
        return fcnn_test::run_shell(gdb + " -ex '" + start + " > /dev/null'" + after + " " + program + " 2>&1").output;
    const fcnn_test::TemporaryFolder folder("fcnn-gdb-qemu");
    const std::string socket = (folder / "gdb.sock").string();
    if (start == "start") gdb += " -ex 'tbreak main'";
    gdb += " -ex 'set tdesc filename " FCNN_SOURCE_DIR "/tests/qemu-i386-linux.xml' -ex 'target remote " + socket + "'";
    gdb += " -ex continue";
    // qemu makes the socket, then waits there for gdb; bounded, in case gdb never comes.
    std::string under_qemu = "timeout 300 '";  // built with += as GCC 12 misreads "'" + string
    under_qemu += qemu;
    under_qemu += "' -g " + socket + " " + program + " > /dev/null 2>&1 & qemu=$!; ";
    under_qemu += "for i in $(seq 300); do [ -S " + socket + " ] && break; sleep 0.1; done; ";
    return fcnn_test::run_shell(under_qemu + gdb + after + " " + program + " 2>&1; kill $qemu 2>/dev/null; wait").output;
}

// What gdb prints for `commands`, run when the program stops at the BP2 line.
std::string gdb_at_bp2(const std::vector<std::string>& commands, bool load_printers = true) {
    const std::string trust = load_printers ? " -iex 'add-auto-load-safe-path " FCNN_BUILD_ROOT "'" : "";
    // `start` first: the breakpoint is in libfcnn, which is loaded only when the program starts.
    std::string after_start = " -ex 'break network.cpp:" + std::to_string(bp2_line()) + "' -ex 'continue'";
    for (const std::string& c : commands) after_start += " -ex '" + c + "'";
    return gdb_on_program(trust, "start", after_start);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("print delta at the BP2 line shows each matrix's shape, then its rows as a grid") {
    const std::string out = gdb_at_bp2({"print delta[l + 1]", "print z_s[0]"});
    INFO(out);
    CHECK(contains(out, "$1 = 1x2\n[ -0.0883689    0.137675 ]\n"));
    CHECK(contains(out, "$2 = 3x2\n[  0.3   0.3 ]\n[  0.1   0.6 ]\n[  0.1  -0.7 ]\n"));
}

TEST_CASE("print a Layer and the Network") {
    const std::string out = gdb_at_bp2({"print layers_[l + 1]", "print *this"});
    INFO(out);
    CHECK(contains(out, "$1 = layer 2: 3 -> 1, sigmoid\nW^2 = 1x3\n[  0.7  -0.8   0.9 ]\nb^2 = 1x1\n[ 0.05 ]\n"));
    CHECK(contains(out, "$2 = network 2-3-1, cost quadratic\n  layer 1: 2 -> 3, sigmoid\n  layer 2: 3 -> 1, sigmoid\n"));
}

TEST_CASE("a matrix larger than `set print elements` is elided, saying what was left out") {
    const std::string out = gdb_at_bp2({"set print elements 4", "print layers_[0].weights", "set print elements 2",
                                        "print layers_[1].weights"});
    INFO(out);
    CHECK(contains(out, "$1 = 3x2\n[  0.1   0.2 ]\n[ -0.3   0.4 ]\n... showing 2 of 3 rows and 2 of 2 columns (set print elements)\n"));
    CHECK(contains(out, "$2 = 1x3\n[  0.7  -0.8 ... ]\n... showing 1 of 1 rows and 2 of 3 columns (set print elements)\n"));
}

TEST_CASE("with $fcnn_children set, rows and members are children, for IDE variable views (MI)") {
    const std::string out = gdb_at_bp2({"set $fcnn_children = 1", "print layers_[1].weights",
                                        "interpreter-exec mi \"-enable-pretty-printing\"",
                                        "interpreter-exec mi \"-var-create w * layers_[1]\"",
                                        "interpreter-exec mi \"-var-list-children w\""});
    INFO(out);
    CHECK(contains(out, "{[0] = {0.69999999999999996, -0.80000000000000004, 0.90000000000000002}}"));
    CHECK(contains(out, "numchild=\"3\""));
    CHECK(contains(out, "name=\"w.weights\""));
}

TEST_CASE("without the printers gdb shows the raw struct: the grids above come from them") {
    const std::string out = gdb_at_bp2({"print delta[l + 1]"}, false);
    INFO(out);
    CHECK(contains(out, "auto-loading has been declined"));
    CHECK(contains(out, "rows_ = 1"));
    CHECK_FALSE(contains(out, "[ -0.0883689    0.137675 ]"));
}

TEST_CASE("a layer the frame cannot place in a network is printed without a number") {
    const std::string out = gdb_at_bp2({"set $layer = layers_[0]", "print $layer"});  // a copy in gdb
    INFO(out);
    CHECK(contains(out, "$1 = layer: 2 -> 3, sigmoid\nW = 3x2\n"));
}

namespace {

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// The fenced block under `marker` in a Markdown file.
std::string block_under(const std::string& markdown, const std::string& marker) {
    const std::size_t at = markdown.find(marker + "\n```text\n");
    if (at == std::string::npos) return "";
    const std::size_t start = markdown.find('\n', at + marker.size() + 1) + 1;
    return markdown.substr(start, markdown.find("```\n", start) - start);
}

}  // namespace

TEST_CASE("tutorial 06's session, typed into gdb through a terminal, shows what the tutorial shows") {
    const std::string readme = read_text(FCNN_SOURCE_DIR "/tutorials/06-debugging-backprop/README.md");
    const std::string expected = block_under(readme, "<!-- output 06-gdb-session -->");
    REQUIRE(contains(expected, "(gdb) break network.cpp:BasicNetwork<double>::deltas_into\n"));
    const fcnn_test::ShellResult typed = fcnn_test::run_shell(FCNN_GDB_SESSION " 2>&1");
    INFO("typed into gdb:\n" << typed.output);
    CHECK(typed.status == 0);
    CHECK(typed.output == expected);
    // What the tutorial's text promises about the session:
    CHECK(contains(typed.output, "Delete all breakpoints? (y or n) y\n"));
    CHECK(contains(typed.output, "$4 = layer 2: 3 -> 1, sigmoid\nW^2 = 1x3\n"));
    CHECK(contains(typed.output, "[Inferior 1 (process N) exited normally]\n"));
    CHECK_FALSE(contains(typed.output, "pending"));
    CHECK_FALSE(contains(typed.output, "No symbol"));
}

TEST_CASE("VS Code's launch configuration stops where tutorial 06 says: at deltas_into") {
    const std::string launch = read_text(FCNN_SOURCE_DIR "/.vscode/launch.json");
    std::smatch found;
    REQUIRE(std::regex_search(launch, found, std::regex("\"text\": \"(-break-insert [^\"]*)\"")));
    const std::string break_insert = found[1];
    const std::string before_run = " -iex 'add-auto-load-safe-path " FCNN_BUILD_ROOT "' -ex 'interpreter-exec mi \"" + break_insert + "\"'";
    const std::string out = gdb_on_program(before_run, "run", " -ex 'print delta'");
    INFO(break_insert << "\n" << out);
    CHECK(contains(out, "pending=\"network.cpp:fcnn::BasicNetwork<double>::deltas_into\""));
    CHECK(contains(out, "Breakpoint 1, fcnn::BasicNetwork<double>::deltas_into ("));
}
