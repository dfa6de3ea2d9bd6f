// fcnn show: a labelled grid of images from a data set, or of the test images a model got wrong.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <fcnn/data/gzip.hpp>
#include <fcnn/fcnn.hpp>

#include "args.hpp"
#include "commands.hpp"
#include "data_source.hpp"
#include "output_files.hpp"
#include "report.hpp"
#include "saved_model.hpp"

namespace cli {

const char* const show_help = R"(usage: fcnn show --png FILE.png [flags]

Draws test images as a labelled grid in a PNG file: the first N of the test set, each labelled
with its class, or, with --model, the first N the model gets wrong, each labelled TRUE>PREDICTED.
Prints which class each number names.

  --png FILE.png      the picture to write (required)
  --data D            digits (default), fashion-mnist, a folder of IDX files, or a .csv file of square images
  --count N           how many images (default 16)
  --model FILE        show the test images this model misclassifies (FILE.scale is used if present)
  --test FILE.csv     test data for a CSV set (default: the 20% that fcnn train held out)
  --label-column N    the CSV column of the label (default: the last)
  --skip-rows N       CSV: skip the first N lines of the file, such as a title (default 0)
  --header H          CSV: yes (the first line names the columns), no, or auto (the default: a header
                      when a field other than the label is not a number). scikit-learn's format, whose
                      first line is "n_samples,n_features,class names...", is recognised either way
  --seed S            the seed fcnn train split the data with (default 1)

example
  fcnn show --data fashion-mnist --count 16 --png grid.png
)";

namespace {

// The test samples the model classifies wrongly, at most `count`, with their predictions.
std::vector<std::size_t> misclassified(const std::string& model, const fcnn::data::Dataset& test, std::size_t count,
                                       std::vector<std::size_t>& predicted) {
    fcnn::data::Dataset scaled = test;
    apply_saved_scaling(model, scaled.X_rows);
    predicted = with_saved_model(model, [&](const auto& net) {
        check_model_fits(net.sizes(), test.features(), test.classes());
        return score(net, scaled).predicted;
    });
    std::vector<std::size_t> wrong;
    for (std::size_t j = 0; j < test.samples() && wrong.size() < count; ++j)
        if (predicted[j] != test.labels[j]) wrong.push_back(j);
    return wrong;
}

}  // namespace

int show(const std::vector<std::string>& words) {
    const Args args(words, "fcnn show", {"png", "data", "count", "model", "test", "label-column", "skip-rows", "header", "seed"}, {});
    if (!args.has("png")) args.fail("--png FILE.png is required");
    DataRequest request{args.text("data", "digits"), 0, args.seed("seed", 1),
                        args.has("test") ? std::optional(args.text("test", "")) : std::nullopt,
                        args.column("label-column"), 0, std::nullopt};
    read_csv_flags(args, request);
    const fcnn::data::Dataset test = load_test_set(request);
    const std::size_t count = args.count("count", 16);
    std::vector<std::size_t> samples, predicted;
    if (args.has("model")) {
        samples = misclassified(args.text("model", ""), test, count, predicted);
    } else {
        for (std::size_t j = 0; j < test.samples() && j < count; ++j) samples.push_back(j);
    }
    std::vector<std::string> labels;
    for (std::size_t j : samples) {
        std::string label = std::to_string(test.labels[j]);
        if (!predicted.empty()) label.append(">").append(std::to_string(predicted[j]));
        labels.push_back(label);
    }
    const std::string png = args.text("png", "");
    if (samples.empty()) {
        std::printf("no test image to show: the model classifies all %zu correctly\n", test.samples());
        return 0;
    }
    fcnn::write_file_atomically(png, samples_png(test.X_rows, samples, labels), "fcnn show");
    std::printf("%s: %zu test images%s, labelled %s\n", png.c_str(), samples.size(),
                predicted.empty() ? "" : " the model gets wrong", predicted.empty() ? "with their class" : "TRUE>PREDICTED");
    for (std::size_t c = 0; c < test.classes(); ++c) std::printf("  %zu %s\n", c, test.class_names[c].c_str());
    return 0;
}

}  // namespace cli
