#include "fcnn/network.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <stdexcept>

#include "fcnn/init.hpp"
#include "fcnn/random.hpp"
#include "fcnn/shape_error.hpp"

namespace fcnn {

namespace {

std::string count(std::size_t n) { return std::to_string(n); }

template <typename Scalar>
BasicMatrix<Scalar> normal_matrix(std::size_t rows, std::size_t cols, double stddev, Random& random) {
    BasicMatrix<Scalar> M(rows, cols);
    for (Scalar& x : M.values()) x = static_cast<Scalar>(stddev * random.normal());
    return M;
}

// Layers drawn by `init`, in a fixed order (W^1, b^1, W^2, ...) from one generator.
template <typename Scalar>
std::vector<BasicLayer<Scalar>> make_layers(const std::vector<std::size_t>& sizes,
                                            const std::vector<std::string>& activations, const Init& init,
                                            std::uint64_t seed) {
    if (sizes.size() < 2)
        throw std::invalid_argument("Network: sizes needs at least 2 entries (inputs and outputs), got " +
                                    count(sizes.size()));
    if (activations.size() != sizes.size() - 1)
        throw std::invalid_argument("Network: " + count(sizes.size()) + " sizes need " + count(sizes.size() - 1) +
                                    " activations (one per layer after the input), got " +
                                    count(activations.size()));
    for (std::size_t l = 0; l < sizes.size(); ++l)
        if (sizes[l] == 0) throw std::invalid_argument("Network: layer sizes must be at least 1, but sizes[" + count(l) + "] is 0");

    Random random(seed);
    std::vector<BasicLayer<Scalar>> layers;
    for (std::size_t l = 1; l < sizes.size(); ++l) {
        const std::size_t n_in = sizes[l - 1], n_out = sizes[l];
        BasicMatrix<Scalar> weights = normal_matrix<Scalar>(n_out, n_in, init.weight_stddev(n_in, n_out), random);
        BasicMatrix<Scalar> biases = init.random_biases() ? normal_matrix<Scalar>(n_out, 1, 1.0, random)
                                                          : BasicMatrix<Scalar>(n_out, 1);
        layers.push_back({std::move(weights), std::move(biases), Activation(activations[l - 1])});
    }
    return layers;
}

}  // namespace

template <typename Scalar>
BasicNetwork<Scalar>::BasicNetwork(const std::vector<std::size_t>& sizes, const std::vector<std::string>& activations,
                                   const NetworkOptions& options)
    : BasicNetwork(make_layers<Scalar>(sizes, activations, Init(options.init), options.seed), Cost(options.cost)) {}

template <typename Scalar>
BasicNetwork<Scalar>::BasicNetwork(std::vector<BasicLayer<Scalar>> layers, Cost cost)
    : layers_(std::move(layers)), cost_(cost) {
    check_layers();
}

// Every layer's W and b agree with its neighbours, softmax comes last if at all, and the
// cost can take the output activation.
template <typename Scalar>
void BasicNetwork<Scalar>::check_layers() const {
    if (layers_.empty()) throw std::invalid_argument("Network: needs at least one layer");
    for (std::size_t l = 0; l < layers_.size(); ++l) {
        const BasicLayer<Scalar>& layer = layers_[l];
        const std::string name = "layer " + count(l + 1), W = "W^" + count(l + 1), b = "b^" + count(l + 1);
        if (layer.outputs() == 0 || layer.inputs() == 0)
            throw shape_error("Network", name + " has no width", {{W, layer.weights}});
        if (layer.biases.rows() != layer.outputs() || layer.biases.cols() != 1)
            throw shape_error("Network", name + ": b must be one column as tall as W",
                              {{W, layer.weights}, {b, layer.biases}});
        if (l > 0 && layer.inputs() != layers_[l - 1].outputs())
            throw shape_error("Network", name + " must take as many inputs as layer " + count(l) + " gives outputs",
                              {{"W^" + count(l), layers_[l - 1].weights}, {W, layer.weights}});
        if (!layer.activation.is_elementwise() && l + 1 != layers_.size())
            throw std::invalid_argument("Network: softmax is supported only as the output activation, but " + name +
                                        " of " + count(layers_.size()) + " uses it");
    }
    cost_.check_output_activation(layers_.back().activation);
}

template <typename Scalar>
std::vector<std::size_t> BasicNetwork<Scalar>::sizes() const {
    std::vector<std::size_t> sizes = {layers_.front().inputs()};
    for (const BasicLayer<Scalar>& layer : layers_) sizes.push_back(layer.outputs());
    return sizes;
}

template <typename Scalar>
void BasicNetwork<Scalar>::check_input(const char* operation, const BasicMatrix<Scalar>& X) const {
    if (X.rows() != layers_.front().inputs())
        throw shape_error(operation,
                          "X must have " + count(layers_.front().inputs()) + " rows, one per input (samples are columns)",
                          {{"X", X}});
    if (X.cols() == 0) throw std::invalid_argument(std::string(operation) + ": X has no samples (columns)");
}

template <typename Scalar>
void BasicNetwork<Scalar>::check_targets(const char* operation, const BasicMatrix<Scalar>& Y,
                                         std::size_t samples) const {
    if (Y.rows() != layers_.back().outputs() || Y.cols() != samples)
        throw shape_error(operation,
                          "Y must be " + count(layers_.back().outputs()) + "x" + count(samples) + " (one column of " +
                              count(layers_.back().outputs()) + " targets per sample)",
                          {{"Y", Y}});
    cost_.check_targets(Y);
}

template <typename Scalar>
ForwardPass<Scalar> BasicNetwork<Scalar>::feedforward(const BasicMatrix<Scalar>& X) const {
    ForwardPass<Scalar> pass;
    feedforward_into(pass, X);
    return pass;
}

// Z^l = W^l A^(l-1) + B^l and A^l = sigma(Z^l), layer by layer, keeping every z and a.
template <typename Scalar>
void BasicNetwork<Scalar>::feedforward_into(ForwardPass<Scalar>& pass, const BasicMatrix<Scalar>& X) const {
    check_input("feedforward", X);
    pass.z_s.resize(layers_.size());
    pass.a_s.resize(layers_.size() + 1);
    if (&X != &pass.a_s[0]) pass.a_s[0] = X;  // A^0: X is n_0 x batch
    // [snippet feedforward]
    for (std::size_t l = 0; l < layers_.size(); ++l) {
        const BasicLayer<Scalar>& layer = layers_[l];
        matmul_into(pass.z_s[l], layer.weights, pass.a_s[l]);  // W^l A^(l-1): n_l x batch
        layer.activation.add_bias_and_apply_into(pass.z_s[l], pass.a_s[l + 1], layer.biases);  // + B^l, then sigma
    }
    // [end feedforward]
}

template <typename Scalar>
BasicMatrix<Scalar> BasicNetwork<Scalar>::predict(const BasicMatrix<Scalar>& X) const {
    return feedforward(X).a_s.back();
}

// delta^L for the output layer, into delta; nabla_a holds nabla_a C on the way. For the matched
// pairs (cross-entropy with softmax, binary cross-entropy with sigmoid) the sigma'(z^L) in BP1
// cancels against the cost's own denominator and delta^L is exactly a - y: multiplying by sigma'
// again would be a bug that slows learning exactly when the output is most wrong. docs/math.md
// works it through. Softmax with the quadratic cost has no sigma' per output (each output
// depends on the whole column): there its Jacobian takes the Hadamard product's place.
template <typename Scalar>
void BasicNetwork<Scalar>::output_error_into(BasicMatrix<Scalar>& delta, BasicMatrix<Scalar>& nabla_a,
                                             const BasicMatrix<Scalar>& Y, const BasicMatrix<Scalar>& z,
                                             const BasicMatrix<Scalar>& a) const {
    // [snippet output-error]
    const Activation& sigma = layers_.back().activation;
    if (cost_.cancels_sigma_prime(sigma)) return subtract_into(delta, a, Y);             // delta^L = a^L - y
    cost_.gradient_into(nabla_a, a, Y);                                                 // nabla_a C: n_L x batch
    if (sigma.is_elementwise()) return sigma.times_sigma_prime_into(delta, nabla_a, z);  // (.) sigma'(z^L)
    sigma.backward_into(delta, z, a, nabla_a);                                          // softmax: J^T nabla_a C
    // [end output-error]
}

template <typename Scalar>
std::vector<BasicMatrix<Scalar>> BasicNetwork<Scalar>::deltas(const BasicMatrix<Scalar>& Y,
                                                              const std::vector<BasicMatrix<Scalar>>& z_s,
                                                              const std::vector<BasicMatrix<Scalar>>& a_s) const {
    BackpropWorkspace<Scalar> work;
    return deltas_into(work, Y, z_s, a_s);
}

template <typename Scalar>
const std::vector<BasicMatrix<Scalar>>& BasicNetwork<Scalar>::deltas_into(
    BackpropWorkspace<Scalar>& work, const BasicMatrix<Scalar>& Y, const std::vector<BasicMatrix<Scalar>>& z_s,
    const std::vector<BasicMatrix<Scalar>>& a_s) const {
    const std::size_t L = layers_.size();
    if (z_s.size() != L || a_s.size() != L + 1)
        throw std::invalid_argument("backprop: expected " + count(L) + " z_s and " + count(L + 1) +
                                    " a_s (one per layer, plus the input), got " + count(z_s.size()) + " and " +
                                    count(a_s.size()));
    check_targets("backprop", Y, a_s.back().cols());

    std::vector<BasicMatrix<Scalar>>& delta = work.delta;  // delta[l]: n_l x batch, like z_s[l]
    BasicMatrix<Scalar>& error_back = work.error_back;      // (W^(l+1))^T delta^(l+1): n_l x batch
    delta.resize(L);
    // [snippet bp1]
    // BP1: delta^L = nabla_a C (.) sigma'(z^L)
    output_error_into(delta[L - 1], work.nabla_a, Y, z_s[L - 1], a_s[L]);
    // [end bp1]
    // [snippet bp2]
    for (std::size_t l = L - 1; l-- > 0;) {
        // BP2: delta^l = ((W^(l+1))^T delta^(l+1)) (.) sigma'(z^l)
        matmul_into(error_back, transposed(layers_[l + 1].weights), delta[l + 1]);  // n_l x batch
        layers_[l].activation.times_sigma_prime_into(delta[l], error_back, z_s[l]);  // (.) sigma'(z^l)
    }
    // [end bp2]
    return delta;
}

template <typename Scalar>
Gradients<Scalar> BasicNetwork<Scalar>::backprop(const BasicMatrix<Scalar>& Y,
                                                 const std::vector<BasicMatrix<Scalar>>& z_s,
                                                 const std::vector<BasicMatrix<Scalar>>& a_s) const {
    BackpropWorkspace<Scalar> work;
    backprop_into(work, Y, z_s, a_s);
    return std::move(work.gradients);
}

template <typename Scalar>
void BasicNetwork<Scalar>::backprop_into(BackpropWorkspace<Scalar>& work, const BasicMatrix<Scalar>& Y,
                                         const std::vector<BasicMatrix<Scalar>>& z_s,
                                         const std::vector<BasicMatrix<Scalar>>& a_s) const {
    const std::vector<BasicMatrix<Scalar>>& delta = deltas_into(work, Y, z_s, a_s);
    Gradients<Scalar>& gradients = work.gradients;
    // The average over the batch: BP3 and BP4 alike multiply each finished sum by 1/n.
    const Scalar one_over_n = Scalar(1) / static_cast<Scalar>(Y.cols());
    const std::size_t L = layers_.size();
    gradients.nabla_w.resize(L);
    gradients.nabla_b.resize(L);
    if (trace_) *trace_ << "backprop: " << Y.cols() << " samples, cost " << cost_.name() << "\n";
    for (std::size_t l = L; l-- > 0;) {  // from the output layer back, in the order of the equations
        if (trace_) trace_delta(l, delta[l]);
        // [snippet bp3]
        // BP3: dC/db^l = delta^l, averaged over the batch: nabla_b^l = (1/n) sum_x delta^l_x
        row_sums_into(gradients.nabla_b[l], delta[l], one_over_n);  // n_l x 1, like b^l
        // [end bp3]
        // [snippet bp4]
        // BP4: dC/dw^l_jk = a^(l-1)_k delta^l_j, averaged: nabla_w^l = (1/n) delta^l (a^(l-1))^T
        matmul_into(gradients.nabla_w[l], delta[l], transposed(a_s[l]), one_over_n);  // n_l x n_(l-1)
        // [end bp4]
        if (trace_) trace_gradients(l, gradients);
    }
}

// The trace speaks the math's numbering: layers()[l] is layer l + 1.
template <typename Scalar>
void BasicNetwork<Scalar>::trace_delta(std::size_t l, const BasicMatrix<Scalar>& delta) const {
    const std::string n = count(l + 1), above = count(l + 2);
    if (l + 1 < layers_.size())
        *trace_ << "BP2  delta^" << n << " = ((W^" << above << ")^T delta^" << above << ") (.) sigma'(z^" << n << ")";
    else if (cost_.cancels_sigma_prime(layers_.back().activation))
        *trace_ << "BP1  delta^" << n << " = a^" << n << " - y  (sigma' cancels)";
    else
        *trace_ << "BP1  delta^" << n << " = nabla_a C (.) sigma'(z^" << n << ")";
    *trace_ << "  " << to_string(delta, 10);
}

template <typename Scalar>
void BasicNetwork<Scalar>::trace_gradients(std::size_t l, const Gradients<Scalar>& gradients) const {
    const std::string n = count(l + 1), below = count(l);
    *trace_ << "BP3  nabla_b^" << n << " = (1/n) sum_x delta^" << n << "_x  " << to_string(gradients.nabla_b[l], 10);
    *trace_ << "BP4  nabla_w^" << n << " = (1/n) delta^" << n << " (a^" << below << ")^T  "
            << to_string(gradients.nabla_w[l], 10);
}

template <typename Scalar>
void BasicNetwork<Scalar>::update(const Gradients<Scalar>& gradients, double learning_rate) {
    if (gradients.nabla_w.size() != layers_.size() || gradients.nabla_b.size() != layers_.size())
        throw std::invalid_argument("update: expected gradients for " + count(layers_.size()) + " layers, got " +
                                    count(gradients.nabla_w.size()) + " nabla_w and " +
                                    count(gradients.nabla_b.size()) + " nabla_b");
    const Scalar eta = static_cast<Scalar>(learning_rate);
    // [snippet sgd-update]
    for (std::size_t l = 0; l < layers_.size(); ++l) {
        layers_[l].weights = subtract(layers_[l].weights, scale(eta, gradients.nabla_w[l]));
        layers_[l].biases = subtract(layers_[l].biases, scale(eta, gradients.nabla_b[l]));
    }
    // [end sgd-update]
}

template class BasicNetwork<float>;
template class BasicNetwork<double>;

}  // namespace fcnn
