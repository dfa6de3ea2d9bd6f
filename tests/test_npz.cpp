// NumPy's .npy and .npz formats (lib/fcnn/npz.hpp): files NumPy wrote (tests/npz, made by its
// make_fixtures.py) read to the expected bits, fcnn's own files read back by fcnn and, where
// /usr/bin/python3 has NumPy, by NumPy; and each kind of bad archive gives its message.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fcnn/model_file.hpp>
#include <fcnn/npz.hpp>

#include "temporary_folder.hpp"
#include "shell.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path fixtures = fs::path(FCNN_SOURCE_DIR) / "tests" / "npz";
const fcnn_test::TemporaryFolder tmp("fcnn-test-npz");

// The 3-2-2 network of tests/npz/make_fixtures.py.
fcnn::Network fixture_network() {
    std::vector<fcnn::Layer> layers;
    layers.push_back({fcnn::Matrix{{0.5, -1.25, 2.0}, {0.25, 1.0, -0.5}}, fcnn::Matrix{{0.125}, {-2.0}}, fcnn::Activation("sigmoid")});
    layers.push_back({fcnn::Matrix{{1.0, -1.0}, {0.75, 1.5}}, fcnn::Matrix{{0.0}, {0.0625}}, fcnn::Activation("softmax")});
    return fcnn::Network(std::move(layers), fcnn::Cost("cross_entropy"));
}

template <typename Scalar>
void check_same_network(const fcnn::BasicNetwork<Scalar>& actual, const fcnn::BasicNetwork<Scalar>& expected) {
    REQUIRE(actual.layers().size() == expected.layers().size());
    CHECK(actual.cost() == expected.cost());
    for (std::size_t l = 0; l < actual.layers().size(); ++l) {
        INFO("layer " << l + 1);
        CHECK(actual.layers()[l].activation == expected.layers()[l].activation);
        CHECK(actual.layers()[l].weights == expected.layers()[l].weights);
        CHECK(actual.layers()[l].biases == expected.layers()[l].biases);
    }
}

// The message that loading the fixture gives, or "" if it loads.
std::string load_error(const std::string& file, const fcnn::NpzModelOptions& options = {}) {
    try {
        fcnn::load_npz<double>(fixtures / file, options);
    } catch (const std::runtime_error& error) {
        return error.what();
    }
    return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

bool numpy_available() { return fcnn_test::run_shell("/usr/bin/python3 -c 'import numpy' 2>/dev/null").status == 0; }

}  // namespace

TEST_CASE("numpy.savez and numpy.savez_compressed files load to the network they hold, bit for bit") {
    check_same_network(fcnn::load_npz<double>(fixtures / "numpy_savez.npz"), fixture_network());
    check_same_network(fcnn::load_npz<double>(fixtures / "numpy_compressed.npz"), fixture_network());  // deflated entries
}

TEST_CASE("float32 arrays in Fortran order load in the right order") {
    check_same_network(fcnn::load_npz<double>(fixtures / "numpy_fortran_float32.npz"), fixture_network());
    const fcnn::NpyArray W = fcnn::parse_npz(fcnn::npz_bytes(fcnn::npz_arrays(fixture_network())), "x")["0.weight"];
    CHECK(W.type == fcnn::NpyArray::Type::float32);  // every value is exactly a float
}

TEST_CASE("a PyTorch state_dict without the fcnn array needs the activations and cost, and then loads") {
    const std::string error = load_error("torch_state_dict.npz");
    CHECK(contains(error, "torch_state_dict.npz: the archive has no 'fcnn' array naming the activations and the cost"));
    CHECK(contains(error, "--activations relu,softmax --cost cross_entropy"));
    check_same_network(fcnn::load_npz<double>(fixtures / "torch_state_dict.npz", {{"sigmoid", "softmax"}, "cross_entropy"}),
                       fixture_network());
    CHECK(contains(load_error("torch_state_dict.npz", {{"sigmoid"}, "cross_entropy"}),
                   "the archive has 2 layers, but 1 activations are named (sigmoid): give one per layer"));
    CHECK(contains(load_error("numpy_savez.npz", {{"relu", "softmax"}, ""}),
                   "the archive's activations are sigmoid,softmax, but relu,softmax were given"));
}

TEST_CASE("a network saved as .npz loads back bit for bit, in double and in float") {
    const fs::path path = tmp / "m.npz";
    fcnn::Network net({4, 5, 3}, {"tanh", "softmax"}, {.cost = "cross_entropy", .seed = 7});
    fcnn::save_npz(net, path);
    check_same_network(fcnn::load_npz<double>(path), net);
    CHECK(fcnn::parse_npz(fcnn::npz_bytes(fcnn::npz_arrays(net)), "x")["0.weight"].type == fcnn::NpyArray::Type::float64);
    const fcnn::FloatNetwork small({4, 3, 1}, {"relu", "sigmoid"}, {.cost = "binary_cross_entropy", .seed = 3});
    fcnn::save_npz(small, path);
    check_same_network(fcnn::load_npz<float>(path), small);
    CHECK(fcnn::load_model<float>(path).sizes() == small.sizes());  // by extension
    fs::remove(path);
}

TEST_CASE("NumPy reads what fcnn writes: names, shapes, dtype, values and the fcnn string") {
    if (!numpy_available()) {
        MESSAGE("not checked here: /usr/bin/python3 has no numpy (Debian: python3-numpy)");
        return;
    }
    const fs::path path = tmp / "numpy.npz";
    fcnn::save_npz(fixture_network(), path);
    const std::string script =
        "import numpy as np; f = np.load('" + path.string() + "'); "
        "print(sorted(f.files)); print(f['0.weight'].dtype, f['0.weight'].shape, f['0.bias'].shape); "
        "print(f['0.weight'].tolist(), f['2.bias'].tolist()); print(str(f['fcnn']))";
    const fcnn_test::ShellResult run = fcnn_test::run_shell("/usr/bin/python3 -c \"" + script + "\"");
    CHECK(run.status == 0);
    CHECK(run.output ==
          "['0.bias', '0.weight', '2.bias', '2.weight', 'fcnn']\n"
          "float32 (2, 3) (2,)\n"
          "[[0.5, -1.25, 2.0], [0.25, 1.0, -0.5]] [0.0, 0.0625]\n"
          "fcnn-npz 1 cost cross_entropy activations sigmoid,softmax\n");
    fs::remove(path);
}

TEST_CASE("bad archives give messages that say what is wrong") {
    CHECK(contains(load_error("bad_dtype.npz"), "bad_dtype.npz (2.weight.npy): dtype '<i8' is not supported; expected float32 '<f4' or float64 '<f8'"));
    CHECK(contains(load_error("big_endian.npz"), "dtype '>f8' is not supported (big-endian)"));
    CHECK(contains(load_error("missing_bias.npz"), "missing_bias.npz: the array '2.bias' is missing"));
    CHECK(contains(load_error("no_chain.npz"), "'2.weight' (2x3) takes 3 inputs, but the layer before it gives 2 outputs"));
    CHECK(contains(load_error("make_fixtures.py"), "not an .npz file: expected a zip archive"));
    CHECK(contains(load_error("absent.npz"), "absent.npz: cannot open the file"));
}

TEST_CASE("a damaged entry fails its CRC-32, and a cut archive or header is refused") {
    std::vector<std::uint8_t> bytes = fcnn::npz_bytes(fcnn::npz_arrays(fixture_network()));
    const auto message = [](const std::vector<std::uint8_t>& data) {
        try {
            fcnn::parse_npz(data, "m.npz");
        } catch (const std::runtime_error& error) {
            return std::string(error.what());
        }
        return std::string();
    };
    CHECK(message(bytes).empty());
    std::vector<std::uint8_t> damaged = bytes;
    damaged[42 + 128 + 4] ^= 1;  // the second value of 0.weight: after the zip header (30 + name) and the .npy header
    CHECK(message(damaged) == "m.npz (0.weight.npy): the CRC-32 check failed: the data is damaged");
    CHECK(contains(message({bytes.begin(), bytes.begin() + 100}), "not an .npz file"));
    const std::vector<std::uint8_t> not_npy = {'h', 'e', 'l', 'l', 'o', '!', 1, 0, 0, 0};
    CHECK_THROWS_WITH_AS(fcnn::parse_npy(not_npy, "x.npy"), "x.npy: not a .npy array: expected it to start with the byte 0x93 and the letters NUMPY",
                         std::runtime_error);
}

// tests/fuzz/regressions/npz/zip64_offset_wraps.npz: a zip64 extra field gives the entry's local
// header the offset 2^64 - 16, so that offset + 30 wraps to 14 and once passed the bounds check:
// the header was then read from 16 bytes before the archive.
TEST_CASE("a zip64 offset near 2^64 is refused as a damaged header, not read from outside the archive") {
    std::ifstream in(fs::path(FCNN_SOURCE_DIR) / "tests/fuzz/regressions/npz/zip64_offset_wraps.npz", std::ios::binary);
    const std::vector<std::uint8_t> archive((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(archive.size() == 274);
    CHECK_THROWS_WITH_AS(fcnn::parse_npz(archive, "m.npz"), "m.npz (0.bias.npy): the zip entry's header is damaged", std::runtime_error);
}

TEST_CASE("a .npy array's shape is checked against its data, and the dict header is read for both orders") {
    fcnn::NpyArray array{fcnn::NpyArray::Type::float64, {2, 3}, {1, 2, 3, 4, 5, 6}, {}};
    std::vector<std::uint8_t> bytes = fcnn::npy_bytes(array);
    CHECK(bytes.size() % 64 == 48);  // the header pads the data to 64 bytes: 128 + 48 bytes of values
    const fcnn::NpyArray back = fcnn::parse_npy(bytes, "a.npy");
    CHECK(back.shape == array.shape);
    CHECK(back.values == array.values);
    const std::string header(bytes.begin() + 10, bytes.begin() + 128);
    std::string fortran = header;
    fortran.replace(fortran.find("False"), 5, "True ");
    std::copy(fortran.begin(), fortran.end(), bytes.begin() + 10);
    CHECK(fcnn::parse_npy(bytes, "a.npy").values == std::vector<double>{1, 3, 5, 2, 4, 6});  // read as columns
    bytes.resize(bytes.size() - 8);
    CHECK_THROWS_WITH_AS(fcnn::parse_npy(bytes, "a.npy"), "a.npy: the .npy data is shorter than its shape (2, 3) needs",
                         std::runtime_error);
}

namespace {

// A version 1.0 .npy file: the magic, the header's length, the header, then data_bytes zeros.
std::vector<std::uint8_t> npy_with_header(const std::string& header, std::size_t data_bytes) {
    const std::uint8_t start[] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, std::uint8_t(header.size() % 256), std::uint8_t(header.size() / 256)};
    std::vector<std::uint8_t> bytes(std::size(start) + header.size() + data_bytes, 0);
    std::copy(std::begin(start), std::end(start), bytes.begin());
    std::copy(header.begin(), header.end(), bytes.begin() + std::ptrdiff_t(std::size(start)));
    return bytes;
}

std::string with_shape(const std::string& shape) { return "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }\n"; }

}  // namespace

TEST_CASE("a .npy shape is a tuple of whole numbers, and a string dtype gives its length") {
    for (const char* shape : {"(2, 3)", "(2,3)", "( 2 , 3 , )"}) {
        INFO("shape " << shape);
        CHECK(fcnn::parse_npy(npy_with_header(with_shape(shape), 48), "a.npy").shape == std::vector<std::size_t>{2, 3});
    }
    CHECK(fcnn::parse_npy(npy_with_header(with_shape("(6,)"), 48), "a.npy").shape == std::vector<std::size_t>{6});
    CHECK(fcnn::parse_npy(npy_with_header(with_shape("()"), 8), "a.npy").values.size() == 1);  // a 0-d array holds one value
    for (const char* shape : {"(2, -3)", "(2, 3.0)", "(2, 3e0)", "(2,, 3)", "(,)", "(2 3)", "(0x2, 3)", "(2, 18446744073709551616)", "6"}) {
        INFO("shape " << shape);
        CHECK_THROWS_WITH_AS(fcnn::parse_npy(npy_with_header(with_shape(shape), 48), "a.npy"),
                             ("a.npy: the .npy shape " + std::string(shape) + " is not a tuple of whole numbers").c_str(), std::runtime_error);
    }
    // Read in 64 bits on every build: on a 32-bit one too, this needs more data than there is.
    CHECK_THROWS_WITH_AS(fcnn::parse_npy(npy_with_header(with_shape("(18446744073709551615, 2)"), 48), "a.npy"),
                         "a.npy: the .npy data is shorter than its shape (18446744073709551615, 2) needs", std::runtime_error);

    const std::string text = "{'descr': '<U3', 'fortran_order': False, 'shape': (), }\n";
    std::vector<std::uint8_t> abc = npy_with_header(text, 12);
    for (std::size_t i = 0; i < 3; ++i) abc[abc.size() - 12 + 4 * i] = std::uint8_t('a' + i);  // UTF-32, little-endian
    CHECK(fcnn::parse_npy(abc, "a.npy").text == "abc");
    for (const char* dtype : {"<U", "<Ux", "<U-3", "|S 3"}) {
        INFO("dtype " << dtype);
        const std::string header = "{'descr': '" + std::string(dtype) + "', 'fortran_order': False, 'shape': (), }\n";
        CHECK_THROWS_WITH_AS(fcnn::parse_npy(npy_with_header(header, 12), "a.npy"),
                             ("a.npy: the .npy dtype '" + std::string(dtype) + "' has no readable length: expected a string type with its length, such as '<U7'").c_str(),
                             std::runtime_error);
    }
    CHECK_THROWS_WITH_AS(fcnn::parse_npy(npy_with_header("{'descr': '<U99999999999999999999', 'fortran_order': False, 'shape': (), }\n", 12), "a.npy"),
                         "a.npy: the .npy dtype '<U99999999999999999999' has no readable length: expected a string type with its length, such as '<U7'",
                         std::runtime_error);
    CHECK_THROWS_WITH_AS(fcnn::parse_npy(npy_with_header("{'descr': '<U4', 'fortran_order': False, 'shape': (), }\n", 12), "a.npy"),
                         "a.npy: the .npy data is shorter than its dtype <U4 needs", std::runtime_error);
}
