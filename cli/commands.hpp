// The subcommands of the fcnn program. Each takes the words after its name and returns the
// exit status; a mistake on the command line throws UsageError, a failure std::exception.
#pragma once

#include <string>
#include <vector>

namespace cli {

int train(const std::vector<std::string>& words);
int evaluate(const std::vector<std::string>& words);
int predict(const std::vector<std::string>& words);
int show(const std::vector<std::string>& words);
int convert(const std::vector<std::string>& words);

std::string train_help();  // built from the library's name tables
extern const char* const evaluate_help;
extern const char* const predict_help;
extern const char* const show_help;
extern const char* const convert_help;

}  // namespace cli
