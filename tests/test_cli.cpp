// The fcnn command, run as a user runs it: flags, messages, exit codes, and the files it writes.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <span>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>
#include <fcnn/activation.hpp>
#include <fcnn/cost.hpp>
#include <fcnn/data/dataset.hpp>
#include <fcnn/data/gzip.hpp>
#include <fcnn/init.hpp>
#include <fcnn/network.hpp>
#include <fcnn/optimizer.hpp>
#include <fcnn/model_file.hpp>

#include "shell.hpp"
#include "temporary_folder.hpp"

namespace fs = std::filesystem;

namespace {

using Run = fcnn_test::ShellResult;

// Where fcnn runs and writes its files: a folder of this run's own, not one other runs share.
const fcnn_test::TemporaryFolder folder("fcnn-test-cli");
const fs::path tmp = folder.path();

Run run_fcnn(const std::string& arguments) {  // stdout and stderr together
    return fcnn_test::run_shell("cd '" + tmp.string() + "' && '" FCNN_PROGRAM "' " + arguments + " 2>&1");
}

std::string last_line(const std::string& text) {
    const std::size_t end = text.find_last_not_of('\n');
    return text.substr(text.rfind('\n', end) + 1, end - text.rfind('\n', end));
}

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The files that fcnn left half-written in the test folder: an atomic write goes through FILE.tmp.
std::vector<std::string> temporary_files() {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(tmp))
        if (entry.path().extension() == ".tmp") names.push_back(entry.path().filename().string());
    return names;
}

// The pixel rows of a PNG that fcnn wrote, after our own inflate (past the 2 bytes of zlib
// header) and with each row's filter undone: fcnn writes a row as it is (filter 0) or, when it
// repeats the row above, as "up" (filter 2: zeros). Each row keeps its filter byte, now 0.
std::vector<std::uint8_t> png_rows(const std::string& png, std::size_t idat_length, std::size_t width) {
    const std::size_t idat = png.find("IDAT");
    std::vector<std::uint8_t> rows;
    fcnn::data::inflate_into(rows, std::span(reinterpret_cast<const std::uint8_t*>(png.data()) + idat + 6, idat_length - 2));
    const std::size_t stride = width * 3 + 1;
    for (std::size_t at = 0; at + stride <= rows.size(); at += stride) {
        REQUIRE((rows[at] == 0 || (rows[at] == 2 && at > 0)));
        if (rows[at] == 2)
            for (std::size_t i = 1; i < stride; ++i) rows[at + i] = std::uint8_t(rows[at + i] + rows[at + i - stride]);
        rows[at] = 0;
    }
    return rows;
}

}  // namespace

TEST_CASE("fcnn train with no flags trains on digits and ends with the test accuracy") {
    const Run run = run_fcnn("train");
    INFO(run.output);
    CHECK(run.status == 0);
    CHECK(contains(run.output, "data: digits, 1295 training, 143 validation, 359 test samples, 64 features, 10 classes"));
    CHECK(contains(run.output, "epoch 30/30  loss "));
    CHECK(contains(run.output, "confusion matrix (rows: true class, columns: predicted class)"));
    const std::string last = last_line(run.output);
    REQUIRE(last.rfind("test accuracy: 0.", 0) == 0);
    CHECK(last.size() == std::string("test accuracy: 0.XXXX").size());
    CHECK(std::stod(last.substr(15)) >= 0.97);
}

TEST_CASE("bad flags give one clear message and exit status 2") {
    const Run unknown = run_fcnn("train --lrr 0.1");
    CHECK(unknown.status == 2);
    CHECK(unknown.output == "fcnn train: unknown flag --lrr (see fcnn train --help)\n");
    CHECK(run_fcnn("train --epochs ten").output == "fcnn train: --epochs expects a whole number of at least 1, got 'ten' (see fcnn train --help)\n");
    CHECK(run_fcnn("train --lr").output == "fcnn train: --lr needs a value (see fcnn train --help)\n");
    CHECK(run_fcnn("train --lr 0,1").output == "fcnn train: --lr expects a number, got '0,1' (see fcnn train --help)\n");
    CHECK(run_fcnn("train --lr 1e999").output ==
          "fcnn train: --lr expects a number, got '1e999' (out of range for double) (see fcnn train --help)\n");
    CHECK(run_fcnn("train --load m.model --layers 64,10").output ==
          "fcnn train: --layers cannot be used with --load: the model file sets it (see fcnn train --help)\n");
    // A column is a whole number: once, -1 wrapped to 18446744073709551615 and 0.7 became 0.
    for (const char* column : {"-1", "0.7", "1e3", "", "+1", " 1", "99999999999999999999", "last"}) {
        INFO("--label-column '" << column << "'");
        const Run run = run_fcnn(std::string("train --label-column '") + column + "'");
        CHECK(run.status == 2);
        CHECK(run.output == std::string("fcnn train: --label-column expects a column number counting from 0, got '") + column +
                                "' (see fcnn train --help)\n");
    }
    for (const char* size : {"64,-1,10", "64,0,10", "64,1e2,10", "64,99999999999999999999,10"})
        CHECK(run_fcnn(std::string("train --layers ") + size).output ==
              "fcnn train: --layers expects sizes like 784,256,10; '" + std::string(size).substr(3, std::string(size).size() - 6) +
                  "' is not a size (see fcnn train --help)\n");
    CHECK(run_fcnn("train --skip-rows -1").output == "fcnn train: --skip-rows expects a whole number, got '-1' (see fcnn train --help)\n");
    CHECK(run_fcnn("train --seed 18446744073709551616").output ==
          "fcnn train: --seed expects a whole number, got '18446744073709551616' (see fcnn train --help)\n");
    CHECK(run_fcnn("frobnicate").status == 2);
    CHECK(run_fcnn("").status == 2);
}

TEST_CASE("bad data or networks fail with the reason and exit status 1, without a stack dump") {
    const Run wrong_input = run_fcnn("train --layers 10,5,10 --epochs 1");
    CHECK(wrong_input.status == 1);
    CHECK(wrong_input.output == "fcnn train: error: the network takes 10 inputs but digits has 64 features: make --layers start with 64\n");
    const Run activation = run_fcnn("train --activations relu,sigmod --epochs 1");
    CHECK(activation.status == 1);
    CHECK(contains(activation.output, "unknown activation 'sigmod'; known activations:"));
    CHECK(run_fcnn("train --data /no/such/file.csv").output == "fcnn train: error: cannot open /no/such/file.csv\n");
    CHECK(run_fcnn("train --data nonsense").output ==
          "fcnn train: error: --data must be digits, fashion-mnist, a folder of IDX files or a .csv file; 'nonsense' is none of these\n");
}

TEST_CASE("--help of each command lists its flags and an example") {
    for (const char* command : {"train", "evaluate", "predict"}) {
        const Run help = run_fcnn(std::string(command) + " --help");
        CHECK(help.status == 0);
        CHECK(contains(help.output, std::string("usage: fcnn ") + command));
        CHECK(contains(help.output, "example"));
    }
}

// The whole words of a text: "a, b_c (default)" -> a, b_c, default.
std::set<std::string> words_of(const std::string& text) {
    std::set<std::string> words;
    const std::regex word("[a-z_]+");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), word); it != std::sregex_iterator(); ++it) words.insert(it->str());
    return words;
}

// The lines of help from the one that starts with start to the next flag or section.
std::string entry_of(const std::string& help, const std::string& start) {
    const std::size_t at = help.find("\n" + start);
    if (at == std::string::npos) return "";
    std::size_t end = at + 1;
    do end = help.find('\n', end + 1);
    while (end != std::string::npos && help.compare(end + 1, 22, std::string(22, ' ')) == 0);  // a continuation line
    return help.substr(at + 1, end - at - 1);
}

TEST_CASE("fcnn --help and fcnn train --help list every name of the library's tables, each at its flag") {
    const std::string usage = run_fcnn("--help").output, help = run_fcnn("train --help").output;
    struct Table {
        std::vector<std::string_view> names;
        std::string usage_line, flag;
    };
    const Table tables[] = {{fcnn::Activation::known_name_list(), "  activations ", "  --activations A "},
                            {fcnn::Cost::known_name_list(), "  costs ", "  --cost C "},
                            {fcnn::Init::known_name_list(), "  inits ", "  --init I "},
                            {fcnn::Optimizer::known_name_list(), "  optimizers ", "  --optimizer O "},
                            {fcnn::data::Scaler::known_name_list(), "  scalings ", "  --scale S "}};
    for (const Table& table : tables) {
        REQUIRE(table.names.size() >= 3);
        const std::set<std::string> in_usage = words_of(entry_of(usage, table.usage_line)), in_help = words_of(entry_of(help, table.flag));
        INFO(table.flag, "\n", entry_of(help, table.flag));
        for (const std::string_view listed : table.names) {
            const std::string name(listed);
            CHECK_MESSAGE(in_usage.count(name) == 1, ("fcnn --help leaves out " + name));
            CHECK_MESSAGE(in_help.count(name) == 1, ("fcnn train --help leaves out " + name));
        }
    }
    // Each default is marked, and is one of the table's names (help would fail to print otherwise).
    CHECK(contains(entry_of(help, "  --init I "), "he (default)"));
    CHECK(contains(entry_of(help, "  --scale S "), "none (default)"));
    CHECK(contains(entry_of(help, "  --activations A "), "each sigmoid, tanh, relu, leaky_relu, linear or softmax"));
}

TEST_CASE("--save, --plot, --log and --weights-image write their files; evaluate agrees with train") {
    const Run run = run_fcnn("train --epochs 3 --save t.model --plot t.svg --log t.csv --weights-image t.png");
    INFO(run.output);
    REQUIRE(run.status == 0);
    CHECK(fcnn::load_model<double>(tmp / "t.model").sizes() == std::vector<std::size_t>{64, 128, 10});
    const std::string svg = read(tmp / "t.svg");
    CHECK(svg.rfind("<svg xmlns='http://www.w3.org/2000/svg'", 0) == 0);
    for (const char* part : {">loss</text>", ">accuracy</text>", ">epoch</text>", ">training</text>", ">validation</text>", "</svg>"})
        CHECK(contains(svg, part));
    // Value ticks at round 1-2-5 steps (0.5, 1.0, 1.5: not 1.851, 1.400), epochs as whole numbers.
    const std::regex value_tick("text-anchor='end' font-size='11'>([^<]*)<"), epoch_tick("text-anchor='middle' font-size='11'>([^<]*)<");
    std::vector<double> values;
    for (std::sregex_iterator at(svg.begin(), svg.end(), value_tick), end; at != end; ++at) values.push_back(std::stod((*at)[1]));
    REQUIRE(values.size() >= 6);  // two charts, three ticks at least each
    const double step = values[1] - values[0], power = std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    const double factor = step / power;
    CHECK((std::abs(factor - 1) < 1e-9 || std::abs(factor - 2) < 1e-9 || std::abs(factor - 5) < 1e-9));
    CHECK(std::abs(values[0] / step - std::round(values[0] / step)) < 1e-6);  // the axis starts on a tick
    for (std::sregex_iterator at(svg.begin(), svg.end(), epoch_tick), end; at != end; ++at)
        CHECK(std::regex_match((*at)[1].str(), std::regex("[1-9][0-9]*")));
    const std::string log = read(tmp / "t.csv");
    CHECK(log.rfind("epoch,loss,accuracy,val_loss,val_accuracy,seconds\n1,", 0) == 0);
    // The PNG: its signature, then an IHDR of 128 neurons' tiles, 12 a row and 11 rows, each of
    // 8 x 8 weights drawn 8 pixels wide (64 pixels), 4 pixels of gap around each and a 48-pixel
    // legend below; RGB. The pixels inside IDAT, which our own inflate reads back (after 2 bytes
    // of zlib header), show the tiles in colour, grey gaps, and the legend's blue-to-red bar.
    const std::string png = read(tmp / "t.png");
    REQUIRE(png.size() > 60);
    CHECK(png.substr(0, 8) == "\x89PNG\r\n\x1a\n");
    CHECK(png.substr(12, 4) == "IHDR");
    const auto be32 = [&](std::size_t at) {
        return std::uint32_t(std::uint8_t(png[at])) << 24 | std::uint32_t(std::uint8_t(png[at + 1])) << 16 |
               std::uint32_t(std::uint8_t(png[at + 2])) << 8 | std::uint8_t(png[at + 3]);
    };
    const std::size_t width = 12 * (64 + 4) + 4, height = 11 * (64 + 4) + 4 + 48;
    CHECK(be32(16) == width);
    CHECK(be32(20) == height);
    CHECK(png[24] == 8);  // bits per channel
    CHECK(png[25] == 2);  // RGB
    const std::vector<std::uint8_t> pixels = png_rows(png, be32(png.find("IDAT") - 4), width);
    REQUIRE(pixels.size() == height * (width * 3 + 1));
    CHECK(png.size() * 10 < pixels.size());  // compressed: flat squares and repeated rows cost little
    const auto pixel = [&](std::size_t x, std::size_t y) {
        const std::size_t at = y * (width * 3 + 1) + 1 + x * 3;
        return std::vector<int>{pixels[at], pixels[at + 1], pixels[at + 2]};
    };
    CHECK(pixel(2, 2) == std::vector<int>{160, 160, 160});  // a gap
    CHECK(pixel(4, 4) == pixel(11, 11));                    // one weight is an 8 x 8 square
    int coloured = 0;  // tile pixels that are not white: weights that are not zero
    for (std::size_t y = 4; y < 68; y += 8)
        for (std::size_t x = 4; x < 68; x += 8) coloured += pixel(x, y) != std::vector<int>{255, 255, 255};
    CHECK(coloured > 32);
    const std::size_t bar = height - 48 + 12;  // the legend's colour bar: blue at the left end, red at the right
    CHECK(pixel(8, bar) == std::vector<int>{33, 102, 172});
    CHECK(pixel(8 + 179, bar) == std::vector<int>{178, 24, 43});

    const Run evaluate = run_fcnn("evaluate --model t.model");
    INFO(evaluate.output);
    CHECK(evaluate.status == 0);
    CHECK(last_line(evaluate.output) == last_line(run.output));
    for (const char* file : {"t.model", "t.svg", "t.csv", "t.png"}) fs::remove(tmp / file);
}

TEST_CASE("names may be written with hyphens, as flags are") {
    const Run run = run_fcnn("train --epochs 1 --cost cross-entropy --activations leaky-relu,softmax");
    INFO(run.output);
    CHECK(run.status == 0);
    CHECK(contains(run.output, "cost cross_entropy"));
    CHECK(contains(run.output, ", 1 epoch, "));  // not "1 epochs"
}

TEST_CASE("--load continues training from a saved model") {
    REQUIRE(run_fcnn("train --epochs 2 --save c.model").status == 0);
    const Run more = run_fcnn("train --epochs 2 --load c.model --save c.model");
    INFO(more.output);
    CHECK(more.status == 0);
    CHECK(contains(more.output, "network 64-128-10, cost cross_entropy"));
    CHECK(contains(more.output, ", 2 epochs, "));
    fs::remove(tmp / "c.model");
}

TEST_CASE("--load keeps the model's input scaling and precision") {
    REQUIRE(run_fcnn("train --epochs 1 --scale standardise --precision double --save ls.model").status == 0);
    const Run more = run_fcnn("train --epochs 1 --load ls.model --save ls2.model");
    INFO(more.output);
    REQUIRE(more.status == 0);
    CHECK(contains(more.output, "scaling the inputs as ls.model.scale says\n"));
    CHECK(contains(more.output, ", double, seed 1"));  // the model's precision, not the default float
    CHECK(read(tmp / "ls2.model.scale") == read(tmp / "ls.model.scale"));

    const Run rescaled = run_fcnn("train --load ls.model --scale min_max");
    CHECK(rescaled.status == 2);
    CHECK(rescaled.output ==
          "fcnn train: --scale cannot be used with --load: the inputs are scaled as ls.model.scale says, or not at all "
          "without it (see fcnn train --help)\n");
    for (const char* name : {"ls.model", "ls.model.scale", "ls2.model", "ls2.model.scale"}) fs::remove(tmp / name);
}

TEST_CASE("a CSV file with --scale, then predict on new rows") {
    std::ofstream(tmp / "p.csv") << "x,y,class\n0,0,low\n1,1,low\n9,9,high\n10,10,high\n0,1,low\n10,9,high\n"
                                    "1,0,low\n9,10,high\n0.5,0.5,low\n9.5,9.5,high\n";
    const Run run = run_fcnn("train --data p.csv --validation 0 --scale standardise --layers 2,4,2 --epochs 200 --lr 0.01 --save p.model");
    INFO(run.output);
    REQUIRE(run.status == 0);
    CHECK(fs::exists(tmp / "p.model.scale"));
    std::ofstream(tmp / "q.csv") << "0.2,0.3\n9.8,9.9\n";
    const Run predict = run_fcnn("predict --model p.model --input q.csv --classes high,low");
    INFO(predict.output);
    CHECK(predict.status == 0);
    CHECK(contains(predict.output, "1: low ("));
    CHECK(contains(predict.output, "2: high ("));
    for (const char* file : {"p.csv", "q.csv", "p.model", "p.model.scale"}) fs::remove(tmp / file);
}

// What fcnn train --data p.csv --validation 0 --scale standard --layers 2,3,2 --epochs 5 --save
// std.model wrote before --scale and the scale file shared one table of names, byte for byte.
const char* const old_model = R"(fcnn-model 1
# fcnn model (docs/model-format.md): W^l one row per line, then b^l one value per line
cost cross_entropy
layers 2
layer 1 inputs 2 outputs 3 activation relu
weights
-1.5502211 -1.0186459
0.9632941 -0.27681282
-1.8991354 2.24397
biases
0.0049980883
0.00499696
0.004999071
layer 2 inputs 3 outputs 2 activation softmax
weights
-0.92842674 0.8589763 -0.32892776
0.2352633 -0.9155885 -0.6629796
biases
0.0049961526
-0.0049961526
end
)";
const char* const old_scale = "fcnn-scaler 1\nstandardise 2\n4.9375 0.22415473\n4.9375 0.22415473\n";

TEST_CASE("--scale and the scale file spell the scalings alike; older spellings and files still work") {
    std::ofstream(tmp / "s.csv") << "x,y,class\n0,0,low\n1,1,low\n9,9,high\n10,10,high\n0,1,low\n10,9,high\n"
                                    "1,0,low\n9,10,high\n0.5,0.5,low\n9.5,9.5,high\n";
    const auto kind_line = [](const std::string& scale) { return scale.substr(0, scale.find('\n', 14) + 1); };
    // --scale as typed, and the kind line of the scale file it writes
    for (const auto& typed : {std::pair{"min_max", "min_max 2"}, {"min-max", "min_max 2"}, {"minmax", "min_max 2"},
                              {"standardise", "standardise 2"}, {"standard", "standardise 2"}}) {
        const std::string flag = typed.first;
        const Run run = run_fcnn("train --data s.csv --validation 0 --layers 2,3,2 --epochs 1 --save s.model --scale " + flag);
        INFO(flag, run.output);
        REQUIRE(run.status == 0);
        CHECK(kind_line(read(tmp / "s.model.scale")) == std::string("fcnn-scaler 1\n") + typed.second + "\n");
    }
    const Run unknown = run_fcnn("train --data s.csv --scale zscore");
    CHECK(unknown.status == 2);
    CHECK(unknown.output == "fcnn train: --scale: unknown scaling 'zscore'; known scalings: none, min_max, standardise (see fcnn train --help)\n");

    // A model and scale file saved before: predict scales and answers exactly as the fcnn that saved them did.
    std::ofstream(tmp / "old.model") << old_model;
    std::ofstream(tmp / "old.model.scale") << old_scale;
    std::ofstream(tmp / "q.csv") << "0.2,0.3\n9.8,9.9\n";
    const Run predict = run_fcnn("predict --model old.model --input q.csv --classes high,low");
    INFO(predict.output);
    CHECK(predict.status == 0);
    CHECK(predict.output == "scaling the inputs as old.model.scale says\n1: low (0.9587)\n2: high (0.8145)\n");
    for (const char* file : {"s.csv", "s.model", "s.model.scale", "old.model", "old.model.scale", "q.csv"}) fs::remove(tmp / file);
}

// Two 2-2 linear networks whose second output beats the first only in double: at x = (1e7, 0),
// a_2 = 1.0000000000000002 * 1e7 + 0.3 is above a_1 = 1e7 in double, while in float the weight
// rounds to 1 and the sum to 1e7, a tie. A model file of doubles must be evaluated in double.
std::string identity_model(const std::string& w21) {
    return "fcnn-model 1\ncost quadratic\nlayers 1\nlayer 1 inputs 2 outputs 2 activation linear\n"
           "weights\n1 1\n" + w21 + " 0\nbiases\n0\n0.3\nend\n";
}

TEST_CASE("evaluate and predict use the precision the model was saved in") {
    std::ofstream(tmp / "double.model") << identity_model("1.0000000000000002");
    std::ofstream(tmp / "float.model") << identity_model("1");  // every value the shortest text of a float
    std::ofstream(tmp / "two.csv") << "10000000,0,1\n0,1,0\n";
    const Run in_double = run_fcnn("evaluate --model double.model --data two.csv --test two.csv");
    INFO(in_double.output);
    CHECK(in_double.status == 0);
    CHECK(last_line(in_double.output) == "test accuracy: 1.0000");
    const Run in_float = run_fcnn("evaluate --model float.model --data two.csv --test two.csv");
    INFO(in_float.output);
    CHECK(last_line(in_float.output) == "test accuracy: 0.5000");  // the tie goes to the first class

    std::ofstream(tmp / "x.csv") << "10000000,0\n";
    const Run predicted_double = run_fcnn("predict --model double.model --input x.csv");
    CHECK(predicted_double.output == "1: 1 (10000000.3000)\n");
    const Run predicted_float = run_fcnn("predict --model float.model --input x.csv");
    CHECK(predicted_float.output == "1: 0 (10000000.0000)\n");
    for (const char* file : {"double.model", "float.model", "two.csv", "x.csv"}) fs::remove(tmp / file);
}

TEST_CASE("predict reads features as they are: quoted, CRLF, no last line end, and says what is wrong") {
    std::ofstream(tmp / "p.model") << identity_model("1");
    std::ofstream(tmp / "crlf.csv") << "\"0\",1\r\n\r\n2,0";
    const Run run = run_fcnn("predict --model p.model --input crlf.csv --classes a,b");
    INFO(run.output);
    CHECK(run.status == 0);
    CHECK(run.output == "1: a (1.0000)\n2: b (2.3000)\n");
    std::ofstream(tmp / "ragged.csv") << "1,2\n3\n";
    CHECK(last_line(run_fcnn("predict --model p.model --input ragged.csv").output) ==
          "fcnn predict: error: ragged.csv:2: expected 2 columns like line 1, found 1");
    std::ofstream(tmp / "text.csv") << "1,x\n";
    CHECK(last_line(run_fcnn("predict --model p.model --input text.csv").output) ==
          "fcnn predict: error: text.csv:1: column 2: expected a number, found 'x'");
    std::ofstream(tmp / "three.csv") << "1,2,3\n";
    CHECK(last_line(run_fcnn("predict --model p.model --input three.csv").output) ==
          "fcnn predict: error: the model takes 2 inputs, but three.csv has 3 features a line");
    for (const char* file : {"p.model", "crlf.csv", "ragged.csv", "text.csv", "three.csv"}) fs::remove(tmp / file);
}

TEST_CASE("--trace prints the equations of the first batch only") {
    const Run run = run_fcnn("train --epochs 1 --layers 64,3,10 --batch 512 --validation 0 --trace");
    CHECK(run.status == 0);
    std::size_t bp1 = 0;
    for (std::size_t at = run.output.find("BP1  delta^2"); at != std::string::npos; at = run.output.find("BP1  delta^2", at + 1)) ++bp1;
    CHECK(bp1 == 1);
    CHECK(contains(run.output, "BP2  delta^1 = ((W^2)^T delta^2) (.) sigma'(z^1)  3x512"));
}

// The output without the seconds at the end of each epoch line, which vary from run to run.
std::string without_times(const std::string& output) {
    return std::regex_replace(output, std::regex("  [0-9.]+ s\n"), "\n");
}

TEST_CASE("--threads and FCNN_THREADS change the speed, never the numbers") {
    const std::string train = "train --epochs 2 --layers 64,200,10";
    const Run one = run_fcnn(train + " --threads 1");
    REQUIRE(one.status == 0);
    const std::string expected = without_times(one.output);
    CHECK(expected.find("test accuracy: ") != std::string::npos);
    CHECK(without_times(run_fcnn(train + " --threads 2").output) == expected);
    CHECK(without_times(run_fcnn(train + " --threads 3").output) == expected);
    CHECK(without_times(fcnn_test::run_shell("cd '" + tmp.string() + "' && FCNN_THREADS=2 '" FCNN_PROGRAM "' " + train +
                                             " 2>&1").output) == expected);
    const Run bad = fcnn_test::run_shell("FCNN_THREADS=many '" FCNN_PROGRAM "' train --epochs 1 2>&1");
    CHECK(bad.status == 1);
    CHECK(bad.output == "fcnn train: error: FCNN_THREADS must be a whole number from 1 to 256, got 'many'\n");
    CHECK(run_fcnn("train --threads 300").output == "fcnn train: --threads expects at most 256 (see fcnn train --help)\n");
}

namespace {

std::uint32_t png_be32(const std::string& png, std::size_t at) {
    return std::uint32_t(std::uint8_t(png[at])) << 24 | std::uint32_t(std::uint8_t(png[at + 1])) << 16 |
           std::uint32_t(std::uint8_t(png[at + 2])) << 8 | std::uint8_t(png[at + 3]);
}

}  // namespace

TEST_CASE("fcnn show draws test images as a labelled grid, and with --model the ones it gets wrong") {
    const Run run = run_fcnn("show --count 16 --png s.png");
    INFO(run.output);
    REQUIRE(run.status == 0);
    CHECK(contains(run.output, "s.png: 16 test images, labelled with their class\n  0 0\n"));
    // 16 digits of 8 x 8, each pixel 11 x 11, in a 4 x 4 grid with 6-pixel gaps and a 16-pixel label.
    const std::string png = read(tmp / "s.png");
    REQUIRE(png.size() > 60);
    CHECK(png.substr(0, 8) == "\x89PNG\r\n\x1a\n");
    CHECK(png_be32(png, 16) == 4 * (88 + 6) + 6);
    CHECK(png_be32(png, 20) == 4 * (88 + 16 + 6) + 6);
    const std::vector<std::uint8_t> pixels = png_rows(png, png_be32(png, png.find("IDAT") - 4), png_be32(png, 16));
    CHECK(pixels.size() == png_be32(png, 20) * (png_be32(png, 16) * 3 + 1));
    const std::size_t corner = 6 * (png_be32(png, 16) * 3 + 1) + 1 + 6 * 3;  // the first image's first pixel, (6, 6)
    CHECK(pixels[corner] == pixels[corner + 1]);  // grey: red, green and blue alike
    CHECK(pixels[corner] == pixels[corner + 2]);

    REQUIRE(run_fcnn("train --epochs 1 --layers 64,4,10 --save show.model").status == 0);
    const Run wrong = run_fcnn("show --model show.model --count 5 --png w.png");
    INFO(wrong.output);
    CHECK(wrong.status == 0);
    CHECK(contains(wrong.output, "w.png: 5 test images the model gets wrong, labelled TRUE>PREDICTED\n"));
    const Run missing = run_fcnn("show --count 4");
    CHECK(missing.status == 2);
    CHECK(contains(missing.output, "--png FILE.png is required"));
    for (const char* file : {"s.png", "w.png", "show.model"}) fs::remove(tmp / file);
}

TEST_CASE("CSV files as people have them: scikit-learn's format, --skip-rows, --header, quoting") {
    {
        std::ofstream out(tmp / "sk.csv");
        out << "40,2,low,high\n";
        for (int i = 0; i < 20; ++i) out << i % 5 << "," << i % 3 << ",0\n" << 10 + i % 5 << "," << 9 + i % 3 << ",1\n";
    }
    const Run sk = run_fcnn("train --data sk.csv --epochs 3 --validation 0");
    INFO(sk.output);
    CHECK(sk.status == 0);
    CHECK(contains(sk.output, "32 training, 0 validation, 8 test samples, 2 features, 2 classes"));
    CHECK(contains(sk.output, " 0 low "));
    CHECK(contains(sk.output, " 1 high "));
    std::ofstream(tmp / "titled.csv") << "Measurements, 2026\n\"x, cm\",y,kind\n"
                                      << "0,0,\"low, cold\"\r\n1,1,\"low, cold\"\r\n9,9,high\r\n10,10,high\r\n0,1,\"low, cold\"\r\n10,9,high\r\n";
    const Run titled = run_fcnn("train --data titled.csv --epochs 1 --validation 0");
    CHECK(titled.status == 1);
    CHECK(contains(titled.output, "titled.csv:2: expected 2 columns like line 1, found 3; line 1 was read as a header (its field 'Measurements'"));
    const Run skipped = run_fcnn("train --data titled.csv --skip-rows 1 --epochs 1 --validation 0 --seed 3");
    INFO(skipped.output);
    CHECK(skipped.status == 0);
    CHECK(contains(skipped.output, "low, cold"));
    CHECK(run_fcnn("train --data titled.csv --header maybe").output ==
          "fcnn train: --header expects yes, no or auto, got 'maybe' (see fcnn train --help)\n");
    CHECK(contains(run_fcnn("train --data titled.csv --skip-rows 1 --header no").output,
                   "titled.csv:2: column 1: expected a number, found 'x, cm'"));
}

TEST_CASE("data that cannot train a classifier is refused: no test samples, one class, a class missing from training") {
    std::ofstream(tmp / "one-line.csv") << "1,x,0\n2,3,1\n";  // '1,x,0' is taken for a header: 1 sample left
    const Run none = run_fcnn("train --data one-line.csv --epochs 1");
    CHECK(none.status == 1);
    CHECK(none.output == "fcnn train: error: one-line.csv: no test samples: the 20% held out for testing is none of so few "
                         "samples; give more samples, or test data with --test FILE.csv\n");
    std::ofstream(tmp / "one-class.csv") << "1,2,cat\n3,4,cat\n5,6,cat\n7,8,cat\n9,10,cat\n11,12,cat\n";
    const Run single = run_fcnn("train --data one-class.csv --epochs 1");
    CHECK(single.status == 1);
    CHECK(single.output == "fcnn train: error: one-class.csv has only one class, 'cat': a classifier needs at least 2 (is the "
                           "label in the column you meant? see --label-column)\n");
    {
        std::ofstream out(tmp / "rare.csv");
        for (int i = 0; i < 9; ++i) out << i << "," << i << ",common\n";
        out << "50,50,rare\n";
    }
    // The one 'rare' sample lands in training, test or validation depending on the seed.
    std::size_t refused = 0, trained = 0;
    for (int seed = 1; seed <= 12; ++seed) {
        const Run run = run_fcnn("train --data rare.csv --epochs 1 --seed " + std::to_string(seed));
        if (run.status == 1 && run.output == "fcnn train: error: rare.csv: the training set has no sample of class 'rare': the "
                                             "split left it all to the test or validation set; give more samples of it, or try another --seed\n")
            ++refused;
        else if (run.status == 0)
            ++trained;
        else
            FAIL_CHECK(run.output);
    }
    CHECK(refused > 0);
    CHECK(trained > 0);
    std::ofstream(tmp / "other-test.csv") << "1,2,common\n3,4,unseen\n";
    CHECK(run_fcnn("train --data rare.csv --test other-test.csv --epochs 1").output ==
          "fcnn train: error: other-test.csv: class 'unseen' is not one of the 2 classes of the training data\n");
}

// A file as a lab machine exports it: comment lines above the data. The error points to --skip-rows,
// and --skip-rows 2 then trains on it.
TEST_CASE("comment lines above the data point to --skip-rows, which then reads the file") {
    std::ofstream file(tmp / "commented.csv");
    file << "# exported by the lab's scale\n# units: mm\n";
    for (int i = 0; i < 40; ++i) file << i << "," << (i * 7) % 11 << "," << i % 2 << "\n";
    file.close();
    const Run refused = run_fcnn("train --data commented.csv --epochs 1");
    CHECK(refused.status == 1);
    CHECK(contains(refused.output, "commented.csv:1: expected at least 2 columns (features and a label), found 1: "
                                   "fcnn reads fields separated by commas; if the data starts further down"));
    CHECK(contains(refused.output, "skip the lines above it with --skip-rows N\n"));
    const Run skipped = run_fcnn("train --data commented.csv --epochs 1 --skip-rows 2");
    INFO(skipped.output);
    CHECK(skipped.status == 0);
    CHECK(contains(skipped.output, "data: commented.csv, "));
}

TEST_CASE("NaN, inf and 1e308 in a CSV file stop fcnn train with the line and column") {
    std::ofstream(tmp / "nan.csv") << "1,2,a\n3,4,b\n5,nan,a\n";
    const Run nan = run_fcnn("train --data nan.csv");
    CHECK(nan.status == 1);
    CHECK(contains(nan.output, "nan.csv:3: column 2: 'nan' is not a finite number"));
    std::ofstream(tmp / "inf.csv") << "1,2,a\ninf,4,b\n";
    CHECK(contains(run_fcnn("train --data inf.csv").output, "inf.csv:2: column 1: 'inf' is not a finite number"));
    std::ofstream(tmp / "big.csv") << "1,2,a\n1e308,4,b\n";
    CHECK(contains(run_fcnn("train --data big.csv --precision double").output, "big.csv:2: column 1: '1e308' is out of range for float"));
}

TEST_CASE("--data naming a folder says what fcnn expected there") {
    fs::create_directories(tmp / "fcnn-empty-folder");
    CHECK(run_fcnn("train --data fcnn-empty-folder").output ==
          "fcnn train: error: fcnn-empty-folder is a folder without train-images-idx3-ubyte (or train-images-idx3-ubyte.gz): "
          "--data takes a CSV file, or a folder of the four IDX files of MNIST or Fashion-MNIST (train- and t10k-, "
          "images-idx3-ubyte and labels-idx1-ubyte)\n");
    fs::create_directories(tmp / "fcnn-folder.csv");
    CHECK(run_fcnn("train --data fcnn-folder.csv").output ==
          "fcnn train: error: fcnn-folder.csv is a folder; expected a CSV file (.csv or .csv.gz) there\n");
}

TEST_CASE("fcnn predict's usage line shows only flags it takes") {
    const std::string help = run_fcnn("predict --help").output;
    const std::string usage = help.substr(0, help.find('\n'));
    CHECK(usage == "usage: fcnn predict --model FILE --input FILE.csv [--classes NAMES]");
    for (std::size_t at = usage.find("--"); at != std::string::npos; at = usage.find("--", at + 2)) {
        const std::string flag = usage.substr(at, usage.find(' ', at) - at);
        CHECK_FALSE(contains(run_fcnn("predict " + flag + " x").output, "unknown flag"));
    }
}

TEST_CASE("a diverging fcnn train exits 1, says where and what to try, and leaves MODEL and MODEL.scale as they were") {
    const fs::path model = tmp / "guard.model", scale = tmp / "guard.model.scale";
    REQUIRE(run_fcnn("train --epochs 1 --scale standard --save guard.model").status == 0);
    const std::string good_model = read(model), good_scale = read(scale);
    REQUIRE(!good_scale.empty());
    // minmax, not standard: a scale file written before training would differ from the good one.
    const Run diverged = run_fcnn("train --optimizer sgd --lr 1e30 --scale minmax --epochs 3 --save guard.model");
    INFO(diverged.output);
    CHECK(diverged.status == 1);
    CHECK(contains(diverged.output, "fcnn train: error: train: diverged at epoch 1, batch "));
    CHECK(contains(diverged.output,
                   "; try a smaller learning rate than 1e+30 (a tenth of it, say); nothing was saved: guard.model is as it was\n"));
    CHECK(!contains(diverged.output, "test accuracy"));
    CHECK(read(model) == good_model);
    CHECK(read(scale) == good_scale);
    CHECK(temporary_files().empty());
    CHECK(run_fcnn("evaluate --model guard.model").status == 0);
}

// No model ever lost: a run that diverges after some epochs of --save-every-epoch leaves the
// checkpoint of its last finished epoch, byte for byte what the same run stopped there saves;
// a run that fails before training leaves an existing model as it was. Adam moves each weight by
// about eta a step, so at eta = 3e36 the float logits of this one-layer softmax network overflow
// in epoch 7 (fcnn's numbers are the same on every machine, so it is epoch 7 everywhere).
TEST_CASE("a run that diverges or fails never loses a model: the last checkpoint stays byte for byte, no temporary file is left") {
    const std::string run = "train --layers 64,10 --activations softmax --optimizer adam --lr 3e36 ";
    REQUIRE(run_fcnn(run + "--epochs 6 --save six-epochs.model").status == 0);
    const std::string six_epochs = read(tmp / "six-epochs.model");
    REQUIRE(contains(six_epochs, "layers 1\n"));

    const Run diverged = run_fcnn(run + "--epochs 30 --save-every-epoch --save checkpoint.model");
    INFO(diverged.output);
    CHECK(diverged.status == 1);
    CHECK(contains(diverged.output, "epoch 6/30 "));
    CHECK(!contains(diverged.output, "epoch 7/30 "));
    CHECK(contains(diverged.output, "fcnn train: error: train: diverged at epoch 7, batch "));
    CHECK(contains(diverged.output, "; checkpoint.model keeps the checkpoint of epoch 6\n"));
    CHECK(read(tmp / "checkpoint.model") == six_epochs);
    CHECK(temporary_files().empty());
    CHECK(run_fcnn("evaluate --model checkpoint.model").status == 0);

    // The same file again, by a run that stops at once, and by one that fails before training.
    const Run again = run_fcnn("train --load checkpoint.model --lr 1e37 --save checkpoint.model");
    CHECK(again.status == 1);
    CHECK(contains(again.output, "diverged at epoch 1, batch "));
    CHECK(contains(again.output, "nothing was saved: checkpoint.model is as it was\n"));
    const Run failed = run_fcnn("train --data no-such-file.csv --save checkpoint.model");
    CHECK(failed.status != 0);
    CHECK(contains(failed.output, "no-such-file.csv"));
    CHECK(read(tmp / "checkpoint.model") == six_epochs);
    CHECK(temporary_files().empty());
}

// MODEL and MODEL.scale change together: a save that fails part way, at the end of training or at
// the first --save-every-epoch checkpoint, leaves both as an earlier run wrote them, so evaluate
// never scales one model's inputs as another's were. A folder of the user's that happens to be
// named like a temporary is not ours, and stays.
TEST_CASE("a save that fails leaves MODEL and MODEL.scale both as they were, at the end of training or at a checkpoint") {
    const fs::path model = tmp / "pair.model", scale = tmp / "pair.model.scale";
    REQUIRE(run_fcnn("train --epochs 1 --scale standard --save pair.model").status == 0);
    const std::string good_model = read(model), good_scale = read(scale);
    for (const std::string in_the_way : {"pair.model.tmp", "pair.model.scale.tmp"}) {
        for (const std::string checkpoints : {"", "--save-every-epoch "}) {
            CAPTURE(in_the_way);
            CAPTURE(checkpoints);
            fs::create_directory(tmp / in_the_way);
            const Run failed = run_fcnn("train --epochs 2 --scale minmax " + checkpoints + "--save pair.model");
            INFO(failed.output);
            CHECK(failed.status == 1);
            CHECK(contains(failed.output, "fcnn train: error: save: cannot write '" + in_the_way +
                                              "': Is a directory; nothing was saved: pair.model is as it was\n"));
            CHECK(read(model) == good_model);
            CHECK(read(scale) == good_scale);
            CHECK(fs::is_directory(tmp / in_the_way));
            fs::remove(tmp / in_the_way);
            CHECK(temporary_files().empty());
        }
    }
    const Run evaluated = run_fcnn("evaluate --model pair.model");
    CHECK(evaluated.status == 0);
    CHECK(contains(evaluated.output, "scaling the inputs as pair.model.scale says\n"));
}

#if defined(__linux__)
// A disk that fills up while the model is written, after its MODEL.scale was: the shell's ulimit -f
// (in blocks of 512 bytes under dash, 1024 under bash: either way between the two files' sizes)
// makes the write fail part way with EFBIG, as a full disk would.
TEST_CASE("a disk that fills up while the model is written changes neither it nor MODEL.scale") {
    const fs::path model = tmp / "full.model", scale = tmp / "full.model.scale";
    REQUIRE(run_fcnn("train --epochs 1 --scale standard --save full.model").status == 0);
    const std::string good_model = read(model), good_scale = read(scale);
    REQUIRE(good_scale.size() < 16 * 512);
    REQUIRE(good_model.size() > 16 * 1024 * 2);
    for (const std::string checkpoints : {"", "--save-every-epoch "}) {
        CAPTURE(checkpoints);
        const Run failed = fcnn_test::run_shell("cd '" + tmp.string() + "' && trap '' XFSZ && ulimit -f 16 && '" FCNN_PROGRAM
                                                "' train --epochs 2 --scale minmax " + checkpoints + "--save full.model 2>&1");
        INFO(failed.output);
        CHECK(failed.status == 1);
        CHECK(contains(failed.output, "fcnn train: error: save: cannot write 'full.model.tmp': File too large; "
                                      "nothing was saved: full.model is as it was\n"));
        CHECK(read(model) == good_model);
        CHECK(read(scale) == good_scale);
        CHECK(temporary_files().empty());
    }
}
#endif

// A run without --scale that replaces a model removes the MODEL.scale of the model it replaced, and
// says so: kept, it would scale the new model's inputs as the old one's were.
TEST_CASE("fcnn train without --scale removes the old model's MODEL.scale with it, and says so") {
    const fs::path scale = tmp / "unscaled.model.scale";
    REQUIRE(run_fcnn("train --epochs 1 --scale standard --save unscaled.model").status == 0);
    REQUIRE(fs::exists(scale));
    const Run run = run_fcnn("train --epochs 1 --save unscaled.model");
    CHECK(run.status == 0);
    CHECK(contains(run.output, "removed unscaled.model.scale: it scaled the inputs of the model unscaled.model replaced\n"));
    CHECK_FALSE(fs::exists(scale));
    const Run evaluated = run_fcnn("evaluate --model unscaled.model");
    CHECK(evaluated.status == 0);
    CHECK_FALSE(contains(evaluated.output, "scaling the inputs"));
}
