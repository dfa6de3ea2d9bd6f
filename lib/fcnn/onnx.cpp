// ONNX export: the messages of onnx.proto that a feed-forward network needs, encoded by hand.
//
// Protobuf's wire format (protobuf.dev/programming-guides/encoding): a message is a list of
// fields, each a key (field number << 3 | wire type) and a value: wire type 0 a varint (7 bits
// per byte, low first, the high bit set on all but the last), 2 a length and that many bytes
// (strings, bytes, nested messages), 5 four little-endian bytes (a float).
#include "fcnn/onnx.hpp"

#include <cstdint>
#include <string>

#include "fcnn/atomic_file.hpp"
#include "fcnn/npz.hpp"
#include "fcnn/saved_precision.hpp"
#include "fcnn/same_bits.hpp"

namespace fcnn {

namespace {

class Message {
public:
    Message& varint(unsigned field, std::uint64_t value) {
        key(field, 0);
        put_varint(value);
        return *this;
    }
    Message& bytes(unsigned field, const std::vector<std::uint8_t>& value) {
        key(field, 2);
        put_varint(value.size());
        bytes_.insert(bytes_.end(), value.begin(), value.end());
        return *this;
    }
    Message& text(unsigned field, const std::string& value) { return bytes(field, {value.begin(), value.end()}); }
    Message& message(unsigned field, const Message& value) { return bytes(field, value.bytes_); }
    Message& float32(unsigned field, float value) {
        key(field, 5);
        for (int i = 0; i < 4; ++i) bytes_.push_back(std::uint8_t(same_bits<std::uint32_t>(value) >> (8 * i)));
        return *this;
    }
    const std::vector<std::uint8_t>& encoded() const { return bytes_; }

private:
    void key(unsigned field, unsigned wire_type) { put_varint(field << 3 | wire_type); }
    void put_varint(std::uint64_t value) {
        for (; value >= 0x80; value >>= 7) bytes_.push_back(std::uint8_t(value | 0x80));
        bytes_.push_back(std::uint8_t(value));
    }
    std::vector<std::uint8_t> bytes_;
};

// Field numbers and enum values of onnx.proto.
namespace model { constexpr unsigned ir_version = 1, producer_name = 2, producer_version = 3, graph = 7, opset_import = 8; }
namespace opset { constexpr unsigned version = 2; }
namespace graph { constexpr unsigned node = 1, name = 2, initializer = 5, doc_string = 10, input = 11, output = 12; }
namespace node { constexpr unsigned input = 1, output = 2, name = 3, op_type = 4, attribute = 5; }
namespace attribute { constexpr unsigned name = 1, f = 2, i = 3, type = 20, type_float = 1, type_int = 2; }
namespace tensor { constexpr unsigned dims = 1, data_type = 2, name = 8, raw_data = 9, type_float = 1, type_double = 11; }
namespace value_info { constexpr unsigned name = 1, type = 2, tensor_type = 1, elem_type = 1, shape = 2, dim = 1,
                                          dim_value = 1, dim_param = 2; }

// An initializer: a named constant tensor, its values little-endian in raw_data.
template <typename Scalar>
Message constant(const std::string& name, const BasicMatrix<Scalar>& M, std::vector<std::uint64_t> dims, bool as_float) {
    Message t;
    for (std::uint64_t d : dims) t.varint(tensor::dims, d);
    t.varint(tensor::data_type, as_float ? tensor::type_float : tensor::type_double);
    t.text(tensor::name, name);
    std::vector<std::uint8_t> raw;
    for (Scalar x : M.values()) {
        const std::uint64_t bits = as_float ? same_bits<std::uint32_t>(static_cast<float>(x))
                                            : same_bits<std::uint64_t>(static_cast<double>(x));
        for (int i = 0; i < (as_float ? 4 : 8); ++i) raw.push_back(std::uint8_t(bits >> (8 * i)));
    }
    return t.bytes(tensor::raw_data, raw);
}

// A graph input or output: a tensor of rows "batch" (any count) and `width` columns.
Message batch_tensor(const std::string& name, std::size_t width, bool as_float) {
    Message shape;
    shape.message(value_info::dim, Message().text(value_info::dim_param, "batch"));
    shape.message(value_info::dim, Message().varint(value_info::dim_value, width));
    Message tensor_type;
    tensor_type.varint(value_info::elem_type, as_float ? tensor::type_float : tensor::type_double);
    tensor_type.message(value_info::shape, shape);
    return Message().text(value_info::name, name).message(value_info::type, Message().message(value_info::tensor_type, tensor_type));
}

Message operation(const std::string& op_type, const std::string& name, const std::vector<std::string>& inputs,
                  const std::string& output) {
    Message n;
    for (const std::string& input : inputs) n.text(node::input, input);
    return n.text(node::output, output).text(node::name, name).text(node::op_type, op_type);
}

// The ONNX operator of an activation, or "" for linear (no node).
std::string op_type_of(const Activation& activation) {
    switch (activation.kind()) {
        case Activation::Kind::sigmoid: return "Sigmoid";
        case Activation::Kind::tanh: return "Tanh";
        case Activation::Kind::relu: return "Relu";
        case Activation::Kind::leaky_relu: return "LeakyRelu";
        case Activation::Kind::softmax: return "Softmax";
        case Activation::Kind::linear: return "";
    }
    return "";
}

}  // namespace

template <typename Scalar>
std::vector<std::uint8_t> onnx_bytes(const BasicNetwork<Scalar>& network) {
    const bool as_float = all_exact_floats(network);
    Message g;
    g.text(graph::name, "fcnn");
    std::string a = "input";  // the activation entering layer l
    const std::size_t L = network.layers().size();
    for (std::size_t l = 1; l <= L; ++l) {
        const BasicLayer<Scalar>& layer = network.layers()[l - 1];
        const std::string n = std::to_string(l), W = "W" + n, b = "b" + n;
        g.message(graph::initializer, constant(W, layer.weights, {layer.outputs(), layer.inputs()}, as_float));
        g.message(graph::initializer, constant(b, layer.biases, {layer.outputs()}, as_float));
        const std::string op = op_type_of(layer.activation);
        const std::string z = op.empty() ? (l == L ? "output" : "a" + n) : "z" + n;
        // Z^T = A^T W^T + b: Gemm computes alpha A B' + beta C with B' = B^T when transB = 1.
        Message gemm = operation("Gemm", "layer" + n, {a, W, b}, z);
        gemm.message(node::attribute, Message().text(attribute::name, "transB").varint(attribute::i, 1).varint(attribute::type, attribute::type_int));
        g.message(graph::node, gemm);
        a = z;
        if (op.empty()) continue;
        a = l == L ? "output" : "a" + n;
        Message act = operation(op, std::string(layer.activation.name()) + n, {z}, a);
        if (layer.activation.kind() == Activation::Kind::leaky_relu)
            act.message(node::attribute, Message().text(attribute::name, "alpha").float32(attribute::f, 0.01f).varint(attribute::type, attribute::type_float));
        if (layer.activation.kind() == Activation::Kind::softmax)  // over each sample's outputs: a row here
            act.message(node::attribute, Message().text(attribute::name, "axis").varint(attribute::i, 1).varint(attribute::type, attribute::type_int));
        g.message(graph::node, act);
    }
    g.text(graph::doc_string, "fcnn network, cost " + std::string(network.cost().name()) + " (not part of the graph)");
    g.message(graph::input, batch_tensor("input", network.sizes().front(), as_float));
    g.message(graph::output, batch_tensor("output", network.sizes().back(), as_float));

    Message m;
    m.varint(model::ir_version, 7).text(model::producer_name, "fcnn").text(model::producer_version, "0.1.0");
    m.message(model::graph, g);
    m.message(model::opset_import, Message().varint(opset::version, 13));
    return m.encoded();
}

template <typename Scalar>
void save_onnx(const BasicNetwork<Scalar>& network, const std::filesystem::path& path) {
    write_file_atomically(path, onnx_bytes(network), "save_onnx");
}

template std::vector<std::uint8_t> onnx_bytes(const BasicNetwork<float>&);
template std::vector<std::uint8_t> onnx_bytes(const BasicNetwork<double>&);
template void save_onnx(const BasicNetwork<float>&, const std::filesystem::path&);
template void save_onnx(const BasicNetwork<double>&, const std::filesystem::path&);

}  // namespace fcnn
