// How a new network's weights and biases are drawn.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fcnn {

class Init {
public:
    enum class Kind {
        standard_normal,  // W, b ~ N(0, 1): the blog's np.random.randn
        nielsen,          // W ~ N(0, 1/n_in), b ~ N(0, 1): Nielsen's network2.py
        xavier,           // W ~ N(0, 2/(n_in + n_out)), b = 0: Glorot and Bengio, for sigmoid/tanh
        he,               // W ~ N(0, 2/n_in), b = 0: He et al., for relu
    };

    // "standard_normal", "nielsen", "xavier" or "he"; any other name throws and lists these.
    explicit Init(std::string_view name);

    Kind kind() const { return kind_; }
    std::string_view name() const;
    static std::string known_names();                        // "standard_normal, nielsen, xavier, he"
    static std::vector<std::string_view> known_name_list();  // the same names, one by one, in that order

    // The standard deviation of a weight in a layer with n_in inputs and n_out outputs.
    double weight_stddev(std::size_t n_in, std::size_t n_out) const;
    // Whether biases are drawn from N(0, 1) (the blog, Nielsen) or start at zero.
    bool random_biases() const;

private:
    Kind kind_;
};

}  // namespace fcnn
