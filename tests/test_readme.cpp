// Runs the example of README.md's "Using it" section (extracted at build time), and checks
// what it promises: XOR learned, and a model saved that loads.
#include <filesystem>

#include <doctest/doctest.h>
#include <fcnn/network.hpp>
#include <fcnn/training.hpp>
#include <fcnn/model_file.hpp>

void readme_example();  // README.md's code, made a function by tests/extract_readme_example.py

TEST_CASE("the README's example compiles, runs and saves a model that loads") {
    std::filesystem::remove("xor.model");
    readme_example();
    const fcnn::Network net = fcnn::load_model<double>(std::filesystem::path("xor.model"));
    const fcnn::Matrix X = {{0, 0, 1, 1}, {0, 1, 0, 1}};
    CHECK(fcnn::accuracy(net, X, fcnn::Matrix{{0, 1, 1, 0}}) == 1.0);
    std::filesystem::remove("xor.model");
}
