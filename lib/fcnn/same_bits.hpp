// same_bits<To>(x): the bytes of x read as a To of the same size, what C++20's std::bit_cast does.
// Our own because the libc++ of Debian's Emscripten has no std::bit_cast. Internal: not installed.
#pragma once

#include <cstring>
#include <type_traits>

namespace fcnn {

template <typename To, typename From>
To same_bits(const From& from) {
    static_assert(sizeof(To) == sizeof(From) && std::is_trivially_copyable_v<To> && std::is_trivially_copyable_v<From>);
    To to;
    std::memcpy(&to, &from, sizeof to);
    return to;
}

}  // namespace fcnn
