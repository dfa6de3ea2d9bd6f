// fcnn evaluate and fcnn predict: a saved model on test data.
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <fcnn/data/gzip.hpp>
#include <fcnn/fcnn.hpp>

#include "args.hpp"
#include "commands.hpp"
#include "data_source.hpp"
#include "report.hpp"
#include "saved_model.hpp"

namespace cli {

const char* const evaluate_help = R"(usage: fcnn evaluate --model FILE [flags]

Prints a saved model's loss, accuracy, confusion matrix and per-class accuracy on the test set
that fcnn train used (the last line is "test accuracy: 0.XXXX").

  --model FILE        the model, as fcnn train --save wrote it, or an .npz (fcnn convert) (required);
                      FILE.scale is used if present
  --data D            digits (default), fashion-mnist, a folder of IDX files, or a .csv file
  --test FILE.csv     test data for a CSV set (default: the 20% that fcnn train held out)
  --label-column N    the CSV column of the label (default: the last)
  --skip-rows N       CSV: skip the first N lines of the file, such as a title (default 0)
  --header H          CSV: yes (the first line names the columns), no, or auto (the default: a header
                      when a field other than the label is not a number). scikit-learn's format, whose
                      first line is "n_samples,n_features,class names...", is recognised either way
  --seed S            the seed fcnn train split the data with (default 1)

example
  fcnn train --data fashion-mnist --save fashion.model && fcnn evaluate --model fashion.model --data fashion-mnist
)";

const char* const predict_help = R"(usage: fcnn predict --model FILE --input FILE.csv [--classes NAMES]

Prints the predicted class of each row of a CSV file of features (no label column), with the
network's output for that class. FILE.scale is used if present.

  --model FILE        the model: a .model file, or an .npz (fcnn convert) (required)
  --input FILE.csv    one sample per line, features only (required)
  --classes NAMES     the class names, comma-separated (default: 0, 1, 2, ...)

example
  fcnn predict --model digits.model --input new-digits.csv
)";

namespace {

// One line a sample: its number from 1, the predicted class (its name when names has one) and
// the network's output for that class.
template <typename Scalar>
void print_predictions(const fcnn::BasicNetwork<Scalar>& net, const fcnn::FloatMatrix& X_rows, const std::vector<std::string>& names) {
    const fcnn::BasicMatrix<Scalar> a = net.predict(fcnn::transpose_converted<Scalar>(X_rows));  // samples as columns
    const std::vector<std::size_t> best = argmax_columns(a);
    for (std::size_t j = 0; j < best.size(); ++j)
        std::printf("%zu: %s (%.4f)\n", j + 1, best[j] < names.size() ? names[best[j]].c_str() : std::to_string(best[j]).c_str(),
                    double(a(best[j], j)));
}

}  // namespace

int evaluate(const std::vector<std::string>& words) {
    const Args args(words, "fcnn evaluate", {"model", "data", "test", "label-column", "skip-rows", "header", "seed"}, {});
    if (!args.has("model")) args.fail("--model FILE is required");
    const std::string model = args.text("model", "");
    DataRequest request{args.text("data", "digits"), 0, args.seed("seed", 1),
                        args.has("test") ? std::optional(args.text("test", "")) : std::nullopt,
                        args.column("label-column"), 0, std::nullopt};
    read_csv_flags(args, request);
    return with_saved_model(model, [&](const auto& net) {
        fcnn::data::Dataset test = load_test_set(request);
        if (apply_saved_scaling(model, test.X_rows)) std::printf("scaling the inputs as %s.scale says\n", model.c_str());
        check_model_fits(net.sizes(), test.features(), test.classes());
        const Scores scores = score(net, test);
        std::printf("%zu test samples, loss %.4f\n", test.samples(), scores.loss);
        std::cout << fcnn::ConfusionMatrix(test.labels, scores.predicted, test.classes()).to_string(test.class_names);
        std::printf("test accuracy: %.4f\n", scores.accuracy);
        return 0;
    });
}

int predict(const std::vector<std::string>& words) {
    const Args args(words, "fcnn predict", {"model", "input", "classes"}, {});
    if (!args.has("model") || !args.has("input")) args.fail("--model FILE and --input FILE.csv are required");
    const std::string model = args.text("model", "");
    const std::vector<std::string> names = args.has("classes") ? args.list("classes") : std::vector<std::string>{};
    return with_saved_model(model, [&](const auto& net) {
        const std::vector<std::uint8_t> bytes = fcnn::data::read_file(args.text("input", ""));
        fcnn::FloatMatrix X_rows = fcnn::data::parse_csv_features(std::string(bytes.begin(), bytes.end()), args.text("input", ""));
        if (apply_saved_scaling(model, X_rows)) std::printf("scaling the inputs as %s.scale says\n", model.c_str());
        if (net.sizes().front() != X_rows.cols())
            throw std::runtime_error("the model takes " + std::to_string(net.sizes().front()) + " inputs, but " +
                                     args.text("input", "") + " has " + std::to_string(X_rows.cols()) + " features a line");
        print_predictions(net, X_rows, names);
        return 0;
    });
}

}  // namespace cli
