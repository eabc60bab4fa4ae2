//===- OnnxWriter.h - the graph as an ONNX model (--emit=onnx) --*- C++ -*-===//
//
// Writes a graph (optimized, or as written with -O0) as an ONNX ModelProto,
// ir_version 8, opset 17, serialized. Each node becomes the ONNX nodes its
// op's rule (OpDef::onnx, ir/Onnx.h) adds, then its fused epilogue ops' in
// order (Conv, Add, Relu); a batchnorm folded into a layer is already in its
// weights. Names follow netc's: a layer's first ONNX node and its output
// tensor carry the layer's name ("block.conv2d"; "split:1" for output 1 of a
// multi-output layer), its other nodes "layer/OpType", its weights their
// state-dict keys ("block.conv2d.weight"), the graph inputs their `input`
// nodes' names. Graph inputs, outputs and every layer's output carry their
// shape and element type (value_info), so Netron shows the shapes. An op
// with OpDef::onnxFunction (no ONNX operator: rotary, attention, moe) is one
// node of domain ai.netc calling a model-local function "OP_K" whose body its
// rule writes; the node carries the call's attributes (netc import reads it
// back as the op) and the model imports opset ai.netc 1.
//
// Weights: `None` declares each weight a graph input of its shape (f32, no
// values); `Random` stores it as an initializer holding the values netc's
// evaluator draws (eval::randomWeights, the seed in the model's metadata),
// so a runtime can run the model and compare with the evaluator.
//
// The model begins with ir_version then producer_name "netc" (protobuf writes
// fields in field-number order), which is how -o recognises a file netc wrote
// (support/OutputMarkers.h, kOnnx). The bytes are deterministic.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_ONNX_ONNXWRITER_H
#define NETC_ONNX_ONNXWRITER_H

#include "ir/Graph.h"

#include <cstdint>
#include <string>

namespace netc::onnxgen {

enum class OnnxWeights : uint8_t {
  None,   ///< weights are graph inputs: shapes only
  Random, ///< weights are initializers with the evaluator's random values
};

struct OnnxOptions {
  OnnxWeights weights = OnnxWeights::None;
  uint64_t seed = 1; ///< Random: the seed of eval::randomWeights (the emitted check's default)
  std::string stage = "optimized"; ///< "optimized" or "as written", in the graph's doc string
};

/// The largest model protobuf can serialize (2 GiB - 1); a bigger Random
/// model is refused before its weights are drawn.
constexpr uint64_t kMaxModelBytes = (uint64_t(1) << 31) - 1;

/// Serializes `g` as an ONNX model into `bytes`. Returns "" or an error
/// (without "netc: error: "): an op with no ONNX form, "--emit=onnx: op 'X'
/// (layer NAME) has no ONNX form[: why]", a tensor type ONNX is not given
/// here, or a model too big for one file.
std::string writeOnnx(const ir::Graph &g, const OnnxOptions &opts, std::string &bytes);

} // namespace netc::onnxgen

#endif
