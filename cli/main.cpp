// fcnn: train, evaluate and use fully connected networks from the command line.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "args.hpp"
#include "commands.hpp"
#include "known_names.hpp"

namespace {

std::string usage() {
    return R"(usage: fcnn COMMAND [flags]

commands
  train       train a network on digits, Fashion-MNIST or a CSV file, and report its test accuracy
  evaluate    a saved model's accuracy and confusion matrix on test data
  predict     a saved model's predictions for a CSV file of features
  show        test images as a labelled grid in a PNG (with --model, the ones it gets wrong)
  convert     a model to or from NumPy's .npz (for PyTorch), or to ONNX

`fcnn COMMAND --help` lists a command's flags. With no flags, `fcnn train` trains on the built-in
digits in a few seconds.

)" + cli::known_names_section();
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> words(argv + 1, argv + argc);
    if (words.empty() || words[0] == "--help" || words[0] == "-h" || words[0] == "help") {
        std::fputs(usage().c_str(), words.empty() ? stderr : stdout);
        return words.empty() ? 2 : 0;
    }
    struct Command {
        const char* name;
        int (*run)(const std::vector<std::string>&);
        std::string help;
    };
    const Command commands[] = {{"train", cli::train, cli::train_help()},
                                {"evaluate", cli::evaluate, cli::evaluate_help},
                                {"predict", cli::predict, cli::predict_help},
                                {"show", cli::show, cli::show_help},
                                {"convert", cli::convert, cli::convert_help}};
    const std::vector<std::string> rest(words.begin() + 1, words.end());
    for (const Command& command : commands) {
        if (words[0] != command.name) continue;
        if (!rest.empty() && (rest[0] == "--help" || rest[0] == "-h")) {
            std::fputs(command.help.c_str(), stdout);
            return 0;
        }
        try {
            return command.run(rest);
        } catch (const cli::UsageError& error) {
            std::fprintf(stderr, "%s\n", error.what());
            return 2;
        } catch (const std::exception& error) {
            std::fprintf(stderr, "fcnn %s: error: %s\n", command.name, error.what());
            return 1;
        }
    }
    std::fprintf(stderr, "fcnn: unknown command '%s'; the commands are train, evaluate, predict, show and convert (see fcnn --help)\n",
                 words[0].c_str());
    return 2;
}
