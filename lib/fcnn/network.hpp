// Layer and Network: feedforward and backprop by the four equations BP1-BP4. The training loop
// is in training.hpp, the optimizers in optimizer.hpp, the model file in model_file.hpp.
//
// Notation, as in Nielsen's book and the blog fcnn grew from (docs/math.md derives it):
//   Z^l = W^l A^(l-1) + B^l     A^l = sigma(Z^l)     A^0 = X, the input
// with samples as columns: X is n_features x batch, W^l is n_l x n_(l-1), b^l is n_l x 1.
//
// Indexing: layers()[0] holds W^1 and b^1. In feedforward's result a_s[0] is the input A^0, so
// a_s[l] is the activation entering layers()[l]; z_s[l] and a_s[l + 1] are what it produces.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <span>
#include <string>
#include <vector>

#include "fcnn/activation.hpp"
#include "fcnn/cost.hpp"
#include "fcnn/matrix.hpp"

namespace fcnn {

template <typename Scalar>
struct BasicLayer {
    BasicMatrix<Scalar> weights;  // W^l: n_l x n_(l-1)
    BasicMatrix<Scalar> biases;   // b^l: n_l x 1
    Activation activation;        // sigma of this layer

    std::size_t inputs() const { return weights.cols(); }   // n_(l-1)
    std::size_t outputs() const { return weights.rows(); }  // n_l
};

// What feedforward keeps. backprop needs both lists: z^l for sigma'(z^l) in BP1 and BP2,
// and a^(l-1) for the weight gradient in BP4. Recomputing them would double the work.
template <typename Scalar>
struct ForwardPass {
    std::vector<BasicMatrix<Scalar>> z_s;  // z_s[l]: n_l x batch, one per layer
    std::vector<BasicMatrix<Scalar>> a_s;  // a_s[0] = X, then a_s[l + 1] = sigma(z_s[l])
};

// dC/dW and dC/db for every layer, averaged over the batch: the shapes of W^l and b^l.
template <typename Scalar>
struct Gradients {
    std::vector<BasicMatrix<Scalar>> nabla_w;
    std::vector<BasicMatrix<Scalar>> nabla_b;
};

// What backprop works in, kept between batches: once its matrices have their size, a training
// step allocates nothing (tests/test_allocations.cpp counts). backprop_into(work, Y, z_s, a_s)
// leaves the deltas in work.delta and the result in work.gradients.
template <typename Scalar>
struct BackpropWorkspace {
    std::vector<BasicMatrix<Scalar>> delta;  // delta[l]: n_l x batch, like z_s[l]
    BasicMatrix<Scalar> nabla_a;             // BP1's nabla_a C: n_L x batch, like a^L
    BasicMatrix<Scalar> error_back;          // BP2's (W^(l+1))^T delta^(l+1): n_l x batch, for the l at hand
    Gradients<Scalar> gradients;
};

struct NetworkOptions {
    std::string cost = "quadratic";        // see Cost
    std::string init = "standard_normal";  // see Init: the blog's N(0, 1)
    std::uint64_t seed = 0;                // same seed, same weights, on any compiler
};

template <typename Scalar>
class BasicNetwork {
public:
    // sizes = {n_0, n_1, ..., n_L} with n_0 the inputs; one activation name per layer after the
    // input, so activations.size() == sizes.size() - 1. Throws std::invalid_argument on a count
    // mismatch, a zero-width layer, an unknown name, softmax before the output layer, or a cost
    // that cannot take the output activation.
    BasicNetwork(const std::vector<std::size_t>& sizes, const std::vector<std::string>& activations,
                 const NetworkOptions& options = {});
    // From ready layers (as load() does), checked the same way.
    BasicNetwork(std::vector<BasicLayer<Scalar>> layers, Cost cost);

    std::span<const BasicLayer<Scalar>> layers() const { return layers_; }
    std::span<BasicLayer<Scalar>> layers() { return layers_; }  // to set weights by hand: shapes are checked on use
    const Cost& cost() const { return cost_; }
    std::vector<std::size_t> sizes() const;

    ForwardPass<Scalar> feedforward(const BasicMatrix<Scalar>& X) const;
    // The same into pass, reusing its matrices: no allocation once they have their size.
    // X may be pass.a_s[0] itself.
    void feedforward_into(ForwardPass<Scalar>& pass, const BasicMatrix<Scalar>& X) const;
    BasicMatrix<Scalar> predict(const BasicMatrix<Scalar>& X) const;  // a^L alone

    // delta^l = dC_x/dz^l for every layer, one column per sample: BP1, then BP2 backwards.
    std::vector<BasicMatrix<Scalar>> deltas(const BasicMatrix<Scalar>& Y, const std::vector<BasicMatrix<Scalar>>& z_s,
                                            const std::vector<BasicMatrix<Scalar>>& a_s) const;
    // BP3 and BP4 from those deltas. Computed fresh on every call: nothing accumulates.
    Gradients<Scalar> backprop(const BasicMatrix<Scalar>& Y, const std::vector<BasicMatrix<Scalar>>& z_s,
                               const std::vector<BasicMatrix<Scalar>>& a_s) const;
    // The same into work.delta and work.gradients, reusing their matrices.
    void backprop_into(BackpropWorkspace<Scalar>& work, const BasicMatrix<Scalar>& Y,
                       const std::vector<BasicMatrix<Scalar>>& z_s, const std::vector<BasicMatrix<Scalar>>& a_s) const;
    // Opt-in trace: while out is set, backprop prints each equation in order (BP1, then per
    // layer BP3 and BP4, then BP2 for the layer below...) with the shapes and values it computed.
    // nullptr (the default) turns it off; off, it costs one test per layer.
    void set_trace(std::ostream* out) { trace_ = out; }

    // One gradient-descent step written as the math reads: W^l -= eta nabla_w^l, b^l -= eta
    // nabla_b^l (it allocates its temporaries). train() steps an optimizer instead (training.hpp).
    void update(const Gradients<Scalar>& gradients, double learning_rate);

    // The checks behind every operation that takes data, for callers (train, loss) to report
    // bad shapes the same way. operation names the caller in the message. X: n_0 x batch,
    // Y: n_L x samples.
    void check_input(const char* operation, const BasicMatrix<Scalar>& X) const;
    void check_targets(const char* operation, const BasicMatrix<Scalar>& Y, std::size_t samples) const;

private:
    void check_layers() const;
    // BP1: delta^L into delta, with nabla_a C into nabla_a on the way (when it is needed).
    void output_error_into(BasicMatrix<Scalar>& delta, BasicMatrix<Scalar>& nabla_a, const BasicMatrix<Scalar>& Y,
                           const BasicMatrix<Scalar>& z, const BasicMatrix<Scalar>& a) const;
    // BP1, then BP2 backwards, into work.delta; returns work.delta.
    const std::vector<BasicMatrix<Scalar>>& deltas_into(BackpropWorkspace<Scalar>& work, const BasicMatrix<Scalar>& Y,
                                                        const std::vector<BasicMatrix<Scalar>>& z_s,
                                                        const std::vector<BasicMatrix<Scalar>>& a_s) const;
    void trace_delta(std::size_t l, const BasicMatrix<Scalar>& delta) const;
    void trace_gradients(std::size_t l, const Gradients<Scalar>& gradients) const;

    std::vector<BasicLayer<Scalar>> layers_;
    Cost cost_;
    std::ostream* trace_ = nullptr;
};

using Layer = BasicLayer<double>;
using Network = BasicNetwork<double>;
using FloatLayer = BasicLayer<float>;
using FloatNetwork = BasicNetwork<float>;

}  // namespace fcnn
