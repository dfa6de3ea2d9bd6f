#include "fcnn/backprop_reference.hpp"

#include <vector>

namespace fcnn {

namespace {

// delta^L, the output error of BP1, in its three forms. The matched pairs (cross-entropy with
// softmax, binary cross-entropy with sigmoid) cancel sigma' against the cost's denominator
// (docs/math.md); softmax with the quadratic cost has a Jacobian where sigma' would be, since
// each of its outputs depends on the whole column.
// [snippet reference-output-error]
template <typename Scalar>
BasicMatrix<Scalar> output_error(const Cost& cost, const Activation& sigma, const BasicMatrix<Scalar>& z,
                                 const BasicMatrix<Scalar>& a, const BasicMatrix<Scalar>& y) {
    if (cost.cancels_sigma_prime(sigma)) return subtract(a, y);                             // a^L - y
    if (sigma.is_elementwise()) return hadamard(cost.gradient(a, y), sigma.derivative(z)); // nabla_a C (.) sigma'(z^L)
    return sigma.backward(z, a, cost.gradient(a, y));                                      // J_softmax^T nabla_a C
}
// [end reference-output-error]

}  // namespace

// [snippet reference]
template <typename Scalar>
Gradients<Scalar> backprop_reference(const BasicNetwork<Scalar>& net, const BasicMatrix<Scalar>& X,
                                     const BasicMatrix<Scalar>& Y) {
    net.check_input("backprop_reference", X);
    net.check_targets("backprop_reference", Y, X.cols());
    const auto layers = net.layers();  // layers[l] holds W^(l+1) and b^(l+1): C++ counts from 0
    const std::size_t L = layers.size();
    // The forward pass keeps z^l (for sigma'(z^l)) and a^(l-1) (for BP4); a_s[0] = X.
    std::vector<BasicMatrix<Scalar>> z_s, a_s = {X};
    for (const auto& layer : layers) {
        z_s.push_back(add_bias(matmul(layer.weights, a_s.back()), layer.biases));  // z^l = W^l a^(l-1) + b^l
        a_s.push_back(layer.activation.value(z_s.back()));                         // a^l = sigma(z^l)
    }
    std::vector<BasicMatrix<Scalar>> delta(L);  // delta[l]: n_l x n, one column per sample, like z_s[l]
    // BP1: delta^L = nabla_a C (.) sigma'(z^L)
    delta[L - 1] = output_error(net.cost(), layers[L - 1].activation, z_s[L - 1], a_s[L], Y);
    for (std::size_t l = L - 1; l-- > 0;) {  // l = L - 2, ..., 0: from the layer below the output down
        const BasicMatrix<Scalar>& W = layers[l + 1].weights;  // W^(l+1): n_(l+1) x n_l
        // BP2: delta^l = ((W^(l+1))^T delta^(l+1)) (.) sigma'(z^l)
        delta[l] = hadamard(matmul(transpose(W), delta[l + 1]), layers[l].activation.derivative(z_s[l]));
    }
    const Scalar one_over_n = Scalar(1) / static_cast<Scalar>(X.cols());  // C is the average over the batch
    Gradients<Scalar> gradients;
    for (std::size_t l = 0; l < L; ++l) {
        // BP3: dC/db^l = delta^l, averaged over the batch: nabla_b^l = (1/n) sum_x delta^l_x
        gradients.nabla_b.push_back(scale(one_over_n, row_sums(delta[l])));  // n_l x 1, like b^l
        // BP4: dC/dw^l_jk = a^(l-1)_k delta^l_j, averaged: nabla_w^l = (1/n) delta^l (a^(l-1))^T
        gradients.nabla_w.push_back(scale(one_over_n, matmul(delta[l], transpose(a_s[l]))));  // n_l x n_(l-1)
    }
    return gradients;
}
// [end reference]

template Gradients<float> backprop_reference(const BasicNetwork<float>&, const BasicMatrix<float>&,
                                             const BasicMatrix<float>&);
template Gradients<double> backprop_reference(const BasicNetwork<double>&, const BasicMatrix<double>&,
                                              const BasicMatrix<double>&);

}  // namespace fcnn
