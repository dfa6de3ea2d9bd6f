#include "fcnn/shape_error.hpp"

namespace fcnn {

std::invalid_argument shape_error(std::string_view operation, std::string_view problem,
                                  std::initializer_list<NamedShape> shapes) {
    std::string message = std::string(operation) + ": " + std::string(problem) + ":";
    const char* separator = " ";
    for (const NamedShape& shape : shapes) {
        message += separator + shape.name + " is " + shape.shape;
        separator = ", ";
    }
    return std::invalid_argument(message);
}

}  // namespace fcnn
