// A network as an ONNX model (onnx.ai), written with a small protobuf encoder of our own: one
// Gemm node per layer (Z = A W^T + b, samples as rows, as ONNX and PyTorch hold them), then the
// layer's activation node (Sigmoid, Tanh, Relu, LeakyRelu with alpha 0.01, Softmax on axis 1;
// none for linear). The graph's input is "input" (batch x n_0), its output "output" (batch x n_L).
// Netron draws it; onnxruntime runs it. The weights keep their precision: float32 when every value
// is exactly a float, else float64.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "fcnn/network.hpp"

namespace fcnn {

// The bytes of the ModelProto (IR version 7, opset 13).
template <typename Scalar>
std::vector<std::uint8_t> onnx_bytes(const BasicNetwork<Scalar>& network);

// Written beside path and renamed over it, as save_model does.
template <typename Scalar>
void save_onnx(const BasicNetwork<Scalar>& network, const std::filesystem::path& path);

}  // namespace fcnn
