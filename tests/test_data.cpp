// The data module: gzip, IDX, CSV, the built-in digits, splits, one-hot targets and scaling.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>
#include <fcnn/data/dataset.hpp>
#include <fcnn/data/gzip.hpp>
#include <fcnn/data/idx.hpp>
#include <fcnn/metrics.hpp>
#include <fcnn/random.hpp>

#include "temporary_folder.hpp"

namespace fs = std::filesystem;
using namespace fcnn::data;

namespace {

void write_bytes(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                                 static_cast<std::streamsize>(bytes.size()));
}

std::vector<std::uint8_t> bytes_of(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<std::uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Data gzip (the program) compresses with stored, fixed and dynamic blocks: random bytes do not
// compress (stored), a few bytes get the fixed code, text gets dynamic codes.
std::vector<std::uint8_t> sample_content(const std::string& kind) {
    std::vector<std::uint8_t> bytes;
    fcnn::Random random(4);
    if (kind == "random")
        for (int i = 0; i < 100000; ++i) bytes.push_back(static_cast<std::uint8_t>(random.next()));
    else if (kind == "tiny")
        bytes = {'a', 'b', 'c', 'a', 'b', 'c', '\n'};
    else
        for (int i = 0; i < 20000; ++i) {
            const std::string line = std::to_string(random.below(1000)) + "," + std::to_string(i % 17) + "\n";
            bytes.insert(bytes.end(), line.begin(), line.end());
        }
    return bytes;
}

std::vector<std::uint8_t> idx(std::uint32_t magic, std::vector<std::uint32_t> sizes, std::size_t values,
                              std::uint8_t fill = 1) {
    std::vector<std::uint8_t> bytes;
    for (std::uint32_t word : std::vector<std::uint32_t>{magic}) sizes.insert(sizes.begin(), word);
    for (std::uint32_t word : sizes)
        for (int shift : {24, 16, 8, 0}) bytes.push_back(static_cast<std::uint8_t>(word >> shift));
    bytes.insert(bytes.end(), values, fill);
    return bytes;
}

std::string error_of(const auto& call) {
    try {
        call();
    } catch (const std::exception& error) {
        return error.what();
    }
    return "";
}

}  // namespace

TEST_CASE("gunzip reads what gzip wrote, in stored, fixed and dynamic blocks, at every level") {
    const fcnn_test::TemporaryFolder dir("fcnn-test-gzip");
    for (const std::string kind : {"random", "tiny", "text"})
        for (const std::string level : {"-1", "-9"}) {
            CAPTURE(kind);
            CAPTURE(level);
            const std::vector<std::uint8_t> content = sample_content(kind);
            write_bytes(dir / "sample", content);
            REQUIRE(std::system(("gzip -f " + level + " '" + (dir / "sample").string() + "'").c_str()) == 0);
            CHECK(read_file(dir / "sample.gz") == content);
        }
}

// Raw DEFLATE streams made by Python's zlib (compressobj with wbits -15), for the block
// sequences gzip's output rarely has: a stored block right after a fixed one (so the reader
// must drop to a byte boundary in the middle of its bit buffer), stored blocks with data, and
// a run that copies from distance 1 over and over.
std::vector<std::uint8_t> from_hex(const std::string& hex) {
    std::vector<std::uint8_t> bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        bytes.push_back(static_cast<std::uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
    return bytes;
}

TEST_CASE("inflate decodes fixed, stored and mixed block sequences and says how much input it used") {
    struct Case {
        std::string name;
        std::string deflated_hex;
        std::string expected;
    };
    const std::vector<Case> cases = {
        {"fixed, an empty stored block (a sync flush), fixed", "4a4c4a4e042300000000ffffaba8ac022200",
         "abcabcabcxyzxyz"},
        {"stored blocks (level 0)", "001900e6ff73746f7265642062797465732c206173207468657920617265000000ffff010100feff21",
         "stored bytes, as they are!"},
        {"one literal, then copies from distance 1", "4b4c1c05a380fa0000", std::string(600, 'a')},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        std::vector<std::uint8_t> deflated = from_hex(c.deflated_hex);
        const std::size_t length = deflated.size();
        deflated.insert(deflated.end(), {0xde, 0xad});  // what follows the stream is not read
        std::vector<std::uint8_t> out;
        CHECK(inflate_into(out, deflated) == length);
        CHECK(std::string(out.begin(), out.end()) == c.expected);
        deflated.resize(length - 1);
        CHECK(error_of([&] { std::vector<std::uint8_t> cut; inflate_into(cut, deflated); })
                  .rfind("corrupt DEFLATE data: ", 0) == 0);
    }
}

// Symbol frequencies that grow like the Fibonacci numbers give the deepest Huffman trees: gzip
// then codes the rarest bytes with 15 bits, past the decoder's 10-bit table. Shuffled, so that
// gzip finds no repeats and codes every byte as a literal. Between two such parts, random bytes
// that gzip stores: dynamic, stored, dynamic blocks in one member.
TEST_CASE("gunzip decodes codes longer than its look-up table and stored blocks between dynamic ones") {
    std::vector<std::uint8_t> skewed;
    for (unsigned a = 1, b = 1, symbol = 0; symbol < 22; ++symbol, b = a + b, a = b - a)
        skewed.insert(skewed.end(), a, static_cast<std::uint8_t>('A' + symbol));
    fcnn::Random random(9);
    for (std::size_t i = skewed.size() - 1; i > 0; --i) std::swap(skewed[i], skewed[random.below(i + 1)]);
    std::vector<std::uint8_t> content = skewed;
    for (int i = 0; i < 70000; ++i) content.push_back(static_cast<std::uint8_t>(random.next()));
    content.insert(content.end(), skewed.begin(), skewed.end());

    const fcnn_test::TemporaryFolder dir("fcnn-test-gzip-long-codes");
    write_bytes(dir / "sample", content);
    REQUIRE(std::system(("gzip -f -9 '" + (dir / "sample").string() + "'").c_str()) == 0);
    CHECK(read_file(dir / "sample.gz") == content);
}

TEST_CASE("crc32 gives the standard check value") {
    const std::string text = "123456789";
    CHECK(crc32(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size())) == 0xcbf43926u);
}

TEST_CASE("damaged gzip data is refused with the reason") {
    const fcnn_test::TemporaryFolder dir("fcnn-test-gzip-bad");
    write_bytes(dir / "sample", sample_content("text"));
    REQUIRE(std::system(("gzip -f '" + (dir / "sample").string() + "'").c_str()) == 0);
    std::vector<std::uint8_t> gz = bytes_of(dir / "sample.gz");
    REQUIRE(gz.size() > 18);  // a gzip header and trailer at least: the CRC below is 8 bytes from the end
    std::vector<std::uint8_t> truncated(gz.begin(), gz.begin() + static_cast<std::ptrdiff_t>(gz.size() / 2));
    CHECK(error_of([&] { gunzip(truncated, "t.gz"); }).rfind("t.gz: corrupt DEFLATE data:", 0) == 0);
    std::vector<std::uint8_t> wrong_crc = gz;
    wrong_crc[wrong_crc.size() - 8] ^= 0xff;
    CHECK(error_of([&] { gunzip(wrong_crc, "c.gz"); }) == "c.gz: the CRC-32 check failed: the data is damaged");
    CHECK(error_of([&] { gunzip(std::vector<std::uint8_t>(30, 7), "x.gz"); }) ==
          "x.gz: not gzip data (expected it to start with the bytes 1f 8b)");
    CHECK(error_of([&] { read_file(dir / "missing.gz"); }) == "cannot open " + (dir / "missing.gz").string());
}

TEST_CASE("the built-in digits: 1,797 8x8 images, features 0 to 16, 10 classes") {
    const Dataset digits = load_digits();
    CHECK(digits.samples() == 1797);
    CHECK(digits.features() == 64);
    CHECK(digits.classes() == 10);
    CHECK(digits.class_names.front() == "0");
    CHECK(digits.class_names.back() == "9");
    CHECK(digits.labels[0] == 0);
    CHECK(digits.labels[1] == 1);
    float largest = 0;
    for (float x : digits.X_rows.values()) largest = std::max(largest, x);
    CHECK(largest == 16);
    CHECK(digits.X_rows(0, 2) == 5);  // the first line of data/digits.csv.gz starts 0,0,5,13
}

TEST_CASE("IDX images and labels are read and checked against their headers") {
    const fcnn_test::TemporaryFolder dir("fcnn-test-idx");
    write_bytes(dir / "images", idx(0x803, {3, 2, 2}, 12, 255));
    write_bytes(dir / "labels", idx(0x801, {3}, 3, 2));
    const IdxImages images = read_idx_images(dir / "images");
    CHECK(images.count == 3);
    CHECK(images.rows == 2);
    const fcnn::FloatMatrix X_rows = images_as_rows<float>(images);  // one image a row, as in the file
    CHECK(X_rows.shape() == "3x4");
    CHECK(X_rows(2, 3) == 1.0f);
    std::vector<std::uint8_t> counting = idx(0x803, {2, 1, 3}, 0);  // 2 images of 3 pixels: 0, 51, ..., 255
    for (std::uint8_t k = 0; k < 6; ++k) counting.push_back(static_cast<std::uint8_t>(51 * k));
    CHECK(images_as_rows<float>(parse_idx_images(counting, "mem")) == fcnn::FloatMatrix{{0, 0.2f, 0.4f}, {0.6f, 0.8f, 1}});
    CHECK(read_idx_labels(dir / "labels", 10) == std::vector<std::size_t>{2, 2, 2});

    const std::string name = (dir / "bad").string();
    write_bytes(dir / "bad", idx(0x801, {3}, 3));
    CHECK(error_of([&] { read_idx_images(dir / "bad"); }) ==
          name + ": not an IDX images file: expected the magic number 0x00000803, found 0x00000801");
    write_bytes(dir / "bad", idx(0x803, {0xffffffff, 28, 28}, 10));
    CHECK(error_of([&] { read_idx_images(dir / "bad"); }) ==
          name + ": dimension 0 of the header is 4294967295, expected 1 to 16777216");
    write_bytes(dir / "bad", idx(0x803, {3, 2, 2}, 11));
    CHECK(error_of([&] { read_idx_images(dir / "bad"); }) ==
          name + ": the header promises 3 x 2 x 2 values but the file holds 11");
    write_bytes(dir / "bad", idx(0x803, {1u << 24, 1u << 24, 1u << 16}, 0));  // the product wraps to 0 in 64 bits
    CHECK(error_of([&] { read_idx_images(dir / "bad"); }) ==
          name + ": the header promises 16777216 x 16777216 x 65536 values but the file holds 0");
    write_bytes(dir / "bad", idx(0x801, {2}, 2, 10));
    CHECK(error_of([&] { read_idx_labels(dir / "bad", 10); }) == name + ": label 0 is 10, expected 0 to 9");
}

TEST_CASE("IDX bytes in memory parse as the file does, and a header that promises more than is there is refused") {
    const std::vector<std::uint8_t> images = idx(0x803, {2, 1, 3}, 6, 7);
    const IdxImages parsed = parse_idx_images(images, "mem");
    CHECK(parsed.count == 2);
    CHECK(parsed.cols == 3);
    CHECK(parsed.pixels == std::vector<std::uint8_t>(6, 7));
    CHECK(parse_idx_labels(idx(0x801, {2}, 2, 1), "mem", 2) == std::vector<std::size_t>{1, 1});
    CHECK(error_of([] { parse_idx_images(idx(0x803, {60000, 28, 28}, 4), "hostile"); }) ==
          "hostile: the header promises 60000 x 28 x 28 values but the file holds 4");
    CHECK(error_of([] { parse_idx_labels(idx(0x801, {16777216}, 0), "hostile", 10); }) ==
          "hostile: the header promises 16777216 values but the file holds 0");
}

TEST_CASE("Fashion-MNIST as Debian installs it, when it is installed") {
    const fs::path folder = "/usr/share/datasets/fashion-mnist";
    if (!fs::exists(folder / "t10k-images-idx3-ubyte.gz")) {
        MESSAGE("dataset-fashion-mnist is not installed: skipped");
        return;
    }
    const Dataset test = load_fashion_mnist(folder, "t10k");
    CHECK(test.samples() == 10000);
    CHECK(test.features() == 784);
    CHECK(test.class_names[9] == "Ankle boot");
    CHECK(test.labels[0] == 9);  // the first test image is an ankle boot
    CHECK(test.X_rows.shape() == "10000x784");  // one image a row, as the file holds them
    const IdxImages images = read_idx_images(folder / "t10k-images-idx3-ubyte.gz");
    for (std::size_t j : {std::size_t(0), std::size_t(9999)})
        for (std::size_t p = 0; p < 784; ++p) CHECK(test.X_rows(j, p) == float(images.pixels[j * 784 + p]) / 255.0f);
}

TEST_CASE("CSV: header detected, label column chosen, class names kept") {
    const Dataset data = parse_csv("width,height,kind\n1.5,2,cat\n3,4,dog\n5,6e1,cat\n", "a.csv");
    CHECK(data.samples() == 3);
    CHECK(data.class_names == std::vector<std::string>{"cat", "dog"});
    CHECK(data.labels == std::vector<std::size_t>{0, 1, 0});
    CHECK(data.X_rows(2, 1) == 60.0f);  // sample 2, feature 1: one row per sample
    const Dataset first = parse_csv("10,1,2\n2,3,4\n", "b.csv", {.label_column = 0});
    CHECK(first.class_names == std::vector<std::string>{"2", "10"});  // numeric labels in numeric order
    CHECK(first.labels == std::vector<std::size_t>{1, 0});
    CHECK(first.X_rows.shape() == "2x2");
}

TEST_CASE("CSV features only: every field a feature, one sample a row") {
    const fcnn::FloatMatrix X_rows = fcnn::data::parse_csv_features("1,2,3\r\n\n\"4\",5e1,-6", "f.csv");
    CHECK(X_rows.shape() == "2x3");
    CHECK(X_rows(1, 0) == 4.0f);
    CHECK(X_rows(1, 1) == 50.0f);
    CHECK(X_rows(0, 2) == 3.0f);
    CHECK(fcnn::data::parse_csv_features("7\n", "one.csv").shape() == "1x1");  // one feature is enough: no label
    CHECK(error_of([] { fcnn::data::parse_csv_features("1,2\n3\n", "f.csv"); }) == "f.csv:2: expected 2 columns like line 1, found 1");
    CHECK(error_of([] { fcnn::data::parse_csv_features("x,y\n1,2\n", "f.csv"); }) == "f.csv:1: column 1: expected a number, found 'x'");
    CHECK(error_of([] { fcnn::data::parse_csv_features("\n\n", "f.csv"); }) == "f.csv: no data lines");
}

TEST_CASE("CSV errors give the line and column") {
    CHECK(error_of([] { parse_csv("1,2,a\n3,x,b\n", "c.csv"); }) == "c.csv:2: column 2: expected a number, found 'x'");
    CHECK(error_of([] { parse_csv("1,2,a\n3,b\n", "c.csv"); }).rfind("c.csv:2: expected 3 columns like line 1, found 2; line 1 was read as data", 0) == 0);
    CHECK(error_of([] { parse_csv("1,2,a\n", "c.csv", {.label_column = 5}); }) ==
          "c.csv:1: the label column 5 does not exist: the line has 3 columns (0 to 2)");
    CHECK(error_of([] { parse_csv("a,b\n", "c.csv"); }) == "c.csv: no data lines");
    CHECK(error_of([] { parse_csv("1\n", "c.csv"); }) == "c.csv:1: expected at least 2 columns (features and a label), found 1: fcnn reads fields separated by commas; if the data starts further down (below a comment or a title), skip the lines above it with --skip-rows N");
}

TEST_CASE("split is seeded and disjoint; one_hot; scaling uses the training statistics") {
    const Dataset digits = load_digits();
    const auto [train, validation] = split(digits, 0.2, 7);
    CHECK(validation.samples() == 359);
    CHECK(train.samples() == 1797 - 359);
    const auto [train2, validation2] = split(digits, 0.2, 7);
    CHECK(validation2.X_rows == validation.X_rows);
    CHECK(one_hot<double>({2, 0}, 3) == fcnn::Matrix{{0, 1}, {0, 0}, {1, 0}});
    CHECK(error_of([] { one_hot<float>({3}, 3); }) == "one_hot: label 3 of sample 0 is not below the 3 classes");

    fcnn::FloatMatrix X_rows = {{0, 5}, {10, 5}, {20, 5}};  // 3 samples of 2 features, one sample a row
    const Scaler min_max(Scaler::Kind::min_max, X_rows);
    min_max.apply(X_rows);
    CHECK(X_rows == fcnn::FloatMatrix{{0, 0}, {0.5f, 0}, {1, 0}});  // a constant feature is only shifted
    fcnn::FloatMatrix Z_rows = {{1}, {3}};
    Scaler(Scaler::Kind::standardise, Z_rows).apply(Z_rows);
    CHECK(Z_rows == fcnn::FloatMatrix{{-1}, {1}});
    CHECK(error_of([&] { min_max.apply(Z_rows); }) == "Scaler::apply: fitted to 2 features, X has 1");
}

TEST_CASE("subset takes the samples' rows and labels in the order asked, and names an index past the end") {
    const Dataset data = parse_csv("1,2,a\n3,4,b\n5,6,c\n", "s.csv");
    const Dataset part = subset(data, {2, 0, 2});
    CHECK(part.X_rows == fcnn::FloatMatrix{{5, 6}, {1, 2}, {5, 6}});
    CHECK(part.labels == std::vector<std::size_t>{2, 0, 2});
    CHECK(part.class_names == data.class_names);
    CHECK(error_of([&] { subset(data, {0, 3}); }) == "subset: sample 3 is out of range: the data has 3 samples");
}

TEST_CASE("the confusion matrix counts true against predicted classes") {
    const fcnn::ConfusionMatrix confusion({0, 0, 1, 1, 1, 2}, {0, 1, 1, 1, 2, 2}, 3);
    CHECK(confusion.count(0, 0) == 1);
    CHECK(confusion.count(0, 1) == 1);
    CHECK(confusion.count(1, 2) == 1);
    CHECK(confusion.accuracy() == doctest::Approx(4.0 / 6));
    CHECK(confusion.class_accuracy(1) == doctest::Approx(2.0 / 3));
    CHECK(confusion.class_precision(2) == doctest::Approx(1.0 / 2));
    CHECK(confusion.to_string({"cat", "dog", "bird"}) ==
          "confusion matrix (rows: true class, columns: predicted class)\n"
          "             0     1     2   recall  precision\n"
          " 0 cat       1     1     0   0.5000     1.0000\n"
          " 1 dog       0     2     1   0.6667     0.6667\n"
          " 2 bird      0     0     1   1.0000     0.5000\n");
    CHECK_THROWS_WITH_AS(fcnn::ConfusionMatrix({0}, {3}, 3), "ConfusionMatrix: sample 0 has a class outside 0..2",
                         std::invalid_argument);
}

TEST_CASE("a scaler written as text reads back and scales the same") {
    const fcnn::FloatMatrix X_rows = {{0, -1}, {10, 1}, {20, 3}};
    const Scaler fitted(Scaler::Kind::standardise, X_rows);
    const Scaler read = Scaler::from_text(fitted.to_text(), "s.scale");
    fcnn::FloatMatrix A = X_rows, B = X_rows;
    fitted.apply(A);
    read.apply(B);
    CHECK(A == B);  // the offsets and scales are written in full: the same bits
    CHECK(error_of([] { Scaler::from_text("fcnn-model 1\n", "m.scale"); }) ==
          "m.scale: not an fcnn scaler file: expected 'fcnn-scaler 1' first");
    CHECK(error_of([] { Scaler::from_text("fcnn-scaler 1\nmin_max 2\n0 1\n", "m.scale"); }) ==
          "m.scale: expected 2 lines of 'offset scale', found 1");
    CHECK(error_of([] { Scaler::from_text("fcnn-scaler 1\nmin_max 4294967297\n0 1\n", "m.scale"); }) ==
          "m.scale: expected 4294967297 lines of 'offset scale', found 1");  // the same on 32-bit builds
    CHECK(error_of([] { Scaler::from_text("fcnn-scaler 1\nmin_max 1\n0 1,5\n", "m.scale"); }) ==
          "m.scale: expected 1 lines of 'offset scale', found 0");
    CHECK(error_of([] { Scaler::from_text("fcnn-scaler 1\nmin_max -1\n0 1\n", "m.scale"); }) ==
          "m.scale: expected the kind (none, min_max, standardise) and the number of features");
    CHECK(error_of([] { Scaler::from_text("fcnn-scaler 1\nzscore 1\n0 1\n", "m.scale"); }) ==
          "m.scale: unknown scaling 'zscore'; known scalings: none, min_max, standardise");
    CHECK(error_of([] { Scaler::from_text("fcnn-scaler 1\nmin_max 1\n0 1\n2 3\n", "m.scale"); }) ==
          "m.scale: unexpected text after the last 'offset scale' line (the file says 1 features)");
}

TEST_CASE("scaler kinds have one table of names, for --scale and the scale file; older spellings still read") {
    CHECK(Scaler::known_names() == "none, min_max, standardise");
    CHECK(Scaler::known_name_list() == std::vector<std::string_view>{"none", "min_max", "standardise"});  // as --help lists them
    for (const Scaler::Kind kind : {Scaler::Kind::none, Scaler::Kind::min_max, Scaler::Kind::standardise})
        CHECK(Scaler::kind_of(Scaler::name_of(kind)) == kind);
    CHECK(Scaler::kind_of("minmax") == Scaler::Kind::min_max);  // what --scale took before
    CHECK(Scaler::kind_of("standard") == Scaler::Kind::standardise);
    CHECK(error_of([] { Scaler::kind_of("z_score"); }) == "unknown scaling 'z_score'; known scalings: none, min_max, standardise");
    CHECK_THROWS_AS(Scaler::kind_of("Standard"), std::invalid_argument);

    // Written by fcnn train --scale standard and --scale minmax before the table: they read, scale
    // as before, and are written back byte for byte.
    const std::string standardised = "fcnn-scaler 1\nstandardise 2\n4.9375 0.22415473\n4.9375 0.22415473\n";
    const std::string min_max = "fcnn-scaler 1\nmin_max 2\n0 0.1\n0 0.1\n";
    for (const std::string& old : {standardised, min_max}) CHECK(Scaler::from_text(old, "old.scale").to_text() == old);
    CHECK(Scaler::from_text(standardised, "old.scale").kind() == Scaler::Kind::standardise);
    fcnn::FloatMatrix X = {{10, 0}, {5, 2}};
    Scaler::from_text(min_max, "old.scale").apply(X);
    CHECK(X == fcnn::FloatMatrix{{1, 0}, {0.5f, 0.2f}});
    // A file naming a kind by its older --scale spelling reads too, and is written in the one spelling.
    CHECK(Scaler::from_text("fcnn-scaler 1\nminmax 1\n0 0.5\n", "m.scale").to_text() == "fcnn-scaler 1\nmin_max 1\n0 0.5\n");
}

TEST_CASE("CSV: scikit-learn's dataset format is recognised and its class names used") {
    // iris.csv: the count line has as many fields as a data line; wine.csv and breast_cancer.csv do not
    const Dataset iris = parse_csv("3,4,setosa,versicolor,virginica\n5.1,3.5,1.4,0.2,0\n7,3.2,4.7,1.4,1\n6.3,3.3,6,2.5,2\n", "iris.csv");
    CHECK(iris.class_names == std::vector<std::string>{"setosa", "versicolor", "virginica"});
    CHECK(iris.labels == std::vector<std::size_t>{0, 1, 2});
    CHECK(iris.X_rows.shape() == "3x4");
    const Dataset cancer = parse_csv("2,3,malignant,benign\n1,2,3,1\n4,5,6,1\n", "breast_cancer.csv");
    CHECK(cancer.class_names == std::vector<std::string>{"malignant", "benign"});  // benign (1) named though only it occurs
    CHECK(cancer.labels == std::vector<std::size_t>{1, 1});
    CHECK(cancer.features() == 3);
    CHECK(error_of([] { parse_csv("3,2,a,b\n1,2,0\n3,4,1\n", "w.csv"); }) ==
          "w.csv:1: the scikit-learn count line promises 3 samples, but the file holds 2");
    CHECK(error_of([] { parse_csv("2,2,a,b\n1,2,0\n3,4,2\n", "w.csv"); }) ==
          "w.csv:3: column 3: the label '2' is not a class number: the scikit-learn count line names 2 classes, 0 to 1");
    // --header no reads the count line as data, and then it is ragged
    CHECK(error_of([] { parse_csv("2,2,a,b\n1,2,0\n3,4,1\n", "w.csv", {.header = false}); }).rfind("w.csv:1: column 3: expected a number", 0) == 0);
}

TEST_CASE("CSV: a ragged second line says how the first was read and which flag reads it otherwise") {
    CHECK(error_of([] { parse_csv("sepal,petal,kind\n1,2,3,4,a\n", "h.csv"); }) ==
          "h.csv:2: expected 3 columns like line 1, found 5; line 1 was read as a header (its field 'sepal' is not a number): "
          "if the data starts further down, skip the lines above it with --skip-rows N; if line 1 is data, say --header no");
    CHECK(error_of([] { parse_csv("1,2\n1,2,3,4,a\n", "d.csv"); }) ==
          "d.csv:2: expected 2 columns like line 1, found 5; line 1 was read as data (every field a number): if lines above "
          "the data differ (a title, a count), skip them with --skip-rows N; if line 1 is a header, say --header yes");
    CHECK(error_of([] { parse_csv("1,2,a\n3,4,b\n5,c\n", "d.csv"); }) == "d.csv:3: expected 3 columns like line 1, found 2");
}

TEST_CASE("CSV: --skip-rows and --header") {
    const Dataset skipped = parse_csv("My measurements, 2026\n\nwidth,kind\n1,a\n2,b\n", "s.csv", {.skip_rows = 2});
    CHECK(skipped.samples() == 2);
    CHECK(skipped.X_rows(1, 0) == 2.0f);
    const Dataset numbered = parse_csv("10,20,30\n1,2,0\n3,4,1\n", "n.csv", {.header = true});  // a header of numbers
    CHECK(numbered.samples() == 2);
    CHECK(numbered.class_names == std::vector<std::string>{"0", "1"});
    CHECK(error_of([] { parse_csv("x,1,0\n2,3,1\n", "n.csv", {.header = false}); }) == "n.csv:1: column 1: expected a number, found 'x'");
    CHECK(error_of([] { parse_csv("a,b\n", "t.csv", {.skip_rows = 5}); }) == "t.csv: no data lines");
    // line numbers in messages count the skipped lines too
    CHECK(error_of([] { parse_csv("title\n1,2,a\n3,x,b\n", "t.csv", {.skip_rows = 1}); }) == "t.csv:3: column 2: expected a number, found 'x'");
}

TEST_CASE("CSV: NaN, inf and numbers beyond float are refused with line and column") {
    CHECK(error_of([] { parse_csv("1,2,a\n3,nan,b\n", "n.csv"); }) ==
          "n.csv:2: column 2: 'nan' is not a finite number: fcnn refuses NaN and infinite features (fill in or drop the missing values first)");
    CHECK(error_of([] { parse_csv("1,2,a\n-inf,4,b\n", "n.csv"); }).rfind("n.csv:2: column 1: '-inf' is not a finite number", 0) == 0);
    CHECK(error_of([] { parse_csv("1,2,a\n3,1e308,b\n", "n.csv"); }) ==
          "n.csv:2: column 2: '1e308' is out of range for float, in which fcnn keeps features (magnitudes up to about 3.4e38, "
          "and none so small that it would read as 0)");
    CHECK(error_of([] { parse_csv("1,1e-50,a\n", "n.csv"); }).rfind("n.csv:1: column 2: '1e-50' is out of range for float", 0) == 0);
    CHECK(parse_csv("1,3e38,a\n", "n.csv").X_rows(0, 1) == 3e38f);  // the largest floats still read
}

TEST_CASE("CSV: RFC 4180 quoting; a UTF-8 byte order mark and CRLF line ends keep working") {
    const Dataset quoted = parse_csv("\"width, cm\",\"the \"\"kind\"\"\"\n\"1.5\",\"red, dark\"\n2,\"blue\nsky\"\n3 , \"red, dark\" \n", "q.csv");
    CHECK(quoted.samples() == 3);
    CHECK(quoted.class_names == std::vector<std::string>{"blue\nsky", "red, dark"});
    CHECK(quoted.labels == std::vector<std::size_t>{1, 0, 1});
    CHECK(quoted.X_rows(0, 0) == 1.5f);
    CHECK(error_of([] { parse_csv("1,2,a\n3,4,\"b\n", "q.csv"); }) ==
          "q.csv:2: column 3: a quoted field is not closed: expected a \" before the end of the file");
    CHECK(error_of([] { parse_csv("1,2,\"a\"x\n", "q.csv"); }) ==
          "q.csv:1: column 3: text after the closing quote of a quoted field (inside quotes, write a quote as \"\")");
    // a quoted line break counts as a line: the next record's errors name its own line
    CHECK(error_of([] { parse_csv("1,\"a\nb\"\n2,c,d\n", "q.csv"); }).rfind("q.csv:3: expected 2 columns like line 1, found 3", 0) == 0);

    const std::string plain = "x,y,kind\n1,2,a\n3,4,b\n";
    const Dataset expected = parse_csv(plain, "p.csv");
    for (const std::string& variant : {"\xEF\xBB\xBF" + plain, std::string("x,y,kind\r\n1,2,a\r\n3,4,b\r\n"),
                                       std::string("\xEF\xBB\xBF" "1,2,a\r\n3,4,b\r\n")}) {
        const Dataset read = parse_csv(variant, "v.csv");
        CHECK(read.X_rows == expected.X_rows);
        CHECK(read.class_names == expected.class_names);
        CHECK(read.labels == expected.labels);
    }
}

TEST_CASE("load_csv says so when it is given a folder") {
    const fcnn_test::TemporaryFolder dir("fcnn-test-csv");
    const fs::path folder = dir / "a-folder.csv";
    fs::create_directories(folder);
    CHECK(error_of([&] { load_csv(folder); }) == folder.string() + " is a folder; expected a CSV file (.csv or .csv.gz) there");
}

// Found by reading is_scikit_learn: n_features = 2^64 - 1 made n_features + 1 wrap to 0, which the
// empty second line of a one-line file matched; back() of that empty line was then read.
TEST_CASE("CSV: a count line whose n_features is 2^64 - 1 is not taken for scikit-learn's format") {
    // One line, so an empty second line: read as one data line with the label 'a' (under UBSan the
    // old code stopped here; tests/fuzz/regressions/csv replays it in the sanitizer builds).
    CHECK(parse_csv("18446744073709551615,18446744073709551615,a\n", "huge.csv").samples() == 1);
    CHECK_THROWS_AS(parse_csv("3,18446744073709551615,a,b\n", "huge.csv"), std::runtime_error);
}
