#include "fcnn/init.hpp"
#include "fcnn/names.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace fcnn {

namespace {

using Kind = Init::Kind;

constexpr names::Table<Kind, 4> table = {{
    {"standard_normal", Kind::standard_normal},
    {"nielsen", Kind::nielsen},
    {"xavier", Kind::xavier},
    {"he", Kind::he},
}};

}  // namespace

Init::Init(std::string_view name) : kind_(names::kind_of(table, name, "init")) {}

std::string_view Init::name() const { return names::name_of(table, kind_); }

std::string Init::known_names() { return names::list(table); }

std::vector<std::string_view> Init::known_name_list() { return names::in_order(table); }

double Init::weight_stddev(std::size_t n_in, std::size_t n_out) const {
    const double in = static_cast<double>(n_in), out = static_cast<double>(n_out);
    switch (kind_) {
        case Kind::standard_normal: return 1.0;
        case Kind::nielsen: return 1.0 / std::sqrt(in);
        case Kind::xavier: return std::sqrt(2.0 / (in + out));
        case Kind::he: return std::sqrt(2.0 / in);
    }
    throw std::logic_error("Init::weight_stddev: unhandled kind");
}

bool Init::random_biases() const {
    return kind_ == Kind::standard_normal || kind_ == Kind::nielsen;
}

}  // namespace fcnn
