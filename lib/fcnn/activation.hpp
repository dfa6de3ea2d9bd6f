// Activation functions sigma, each with its derivative sigma' beside it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fcnn/matrix.hpp"

namespace fcnn {

class Activation {
public:
    enum class Kind { sigmoid, tanh, relu, leaky_relu, linear, softmax };

    // From the blog's names: "sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax".
    // An unknown name throws std::invalid_argument listing the known ones; there is no
    // silent fallback to linear.
    explicit Activation(std::string_view name);

    Kind kind() const { return kind_; }
    std::string_view name() const;
    static std::string known_names();  // "sigmoid, tanh, relu, leaky_relu, linear, softmax"
    static std::vector<std::string_view> known_name_list();  // the same names, one by one, in that order

    // softmax mixes the entries of a column; all the others act on each number alone.
    bool is_elementwise() const { return kind_ != Kind::softmax; }

    // a = sigma(z), column by column.
    template <typename Scalar>
    BasicMatrix<Scalar> value(const BasicMatrix<Scalar>& z) const;

    // sigma'(z), elementwise. softmax has no elementwise derivative (its Jacobian couples the
    // outputs of a column) and throws: use backward().
    template <typename Scalar>
    BasicMatrix<Scalar> derivative(const BasicMatrix<Scalar>& z) const;

    // dC/dz from dC/da, the chain rule through sigma: dC_da (.) sigma'(z) for the elementwise
    // kinds; for softmax, the Jacobian's product with each column.
    template <typename Scalar>
    BasicMatrix<Scalar> backward(const BasicMatrix<Scalar>& z, const BasicMatrix<Scalar>& a,
                                 const BasicMatrix<Scalar>& dC_da) const;

    // Workspace versions, for loops that must not allocate (train): the outputs come first and
    // are resized to fit, and the results are bit for bit those of the functions above.
    //
    // z += b (the bias column, added to every column), then a = sigma(z): the two elementwise
    // passes of Z = W A + B, A = sigma(Z) fused into one sweep over z.
    template <typename Scalar>
    void add_bias_and_apply_into(BasicMatrix<Scalar>& z, BasicMatrix<Scalar>& a, const BasicMatrix<Scalar>& b) const;
    // out = in (.) sigma'(z), elementwise: the Hadamard product of BP1 and BP2, bit for bit
    // hadamard(in, derivative(z)) without making sigma'(z). softmax throws, as derivative() does.
    template <typename Scalar>
    void times_sigma_prime_into(BasicMatrix<Scalar>& out, const BasicMatrix<Scalar>& in,
                                const BasicMatrix<Scalar>& z) const;
    // dC_dz = backward(z, a, dC_da), without allocating.
    template <typename Scalar>
    void backward_into(BasicMatrix<Scalar>& dC_dz, const BasicMatrix<Scalar>& z, const BasicMatrix<Scalar>& a,
                       const BasicMatrix<Scalar>& dC_da) const;

    bool operator==(const Activation&) const = default;

private:
    Kind kind_;
};

}  // namespace fcnn
