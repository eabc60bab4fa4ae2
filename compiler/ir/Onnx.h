//===- Onnx.h - how an op is written as ONNX nodes --------------*- C++ -*-===//
//
// `--emit=onnx` (onnx/OnnxWriter) asks each op how it is written in ONNX
// (opset 17) through OpDef::onnx, a rule next to the op's other rules in
// ir/ops/*.cpp. The rule sees the call (attributes as the shape rule
// normalized them, input and output types, weights) and the names of the
// tensors it reads, and adds ONNX nodes through an OnnxBuilder; it returns
// the names of the op's outputs. ir/ does not depend on ONNX or protobuf:
// the builder is an interface, implemented by the writer.
//
// A rule names nothing itself: the builder names each node after the layer
// ("block.conv2d", then "block.conv2d/Add" for a second node) and each
// tensor it creates; the writer then gives the op's outputs the layer's
// value names. Fused layers are written as their pieces: the writer calls
// the op's rule, then each epilogue op's rule on its result (Conv, Add,
// Relu), each named after the layer it was before fusion. An op without a
// rule, or whose rule returns a reason, has no ONNX form, and the writer
// says so: never a silently wrong file. With OpDef::onnxFunction the rule's
// nodes become a model-local function's body (its inputs and weights named
// x0.., w0..), called by one node.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_IR_ONNX_H
#define NETC_IR_ONNX_H

#include "ir/Attr.h"
#include "ir/Types.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace netc::ir {

struct OpDef;
struct WeightSpec;

/// An attribute of an ONNX node: INT, FLOAT, STRING, INTS or FLOATS.
using OnnxAttrValue = std::variant<int64_t, double, std::string, Ints, std::vector<double>>;
struct OnnxAttr {
  std::string name;
  OnnxAttrValue value;
};

/// Adds ONNX nodes and constants to the model being written.
class OnnxBuilder {
public:
  virtual ~OnnxBuilder() = default;
  /// A node `opType` reading `inputs` (tensor names; "" leaves an optional
  /// input out), with `attrs`; returns the names of its `outputs` outputs.
  virtual std::vector<std::string> nodes(llvm::StringRef opType,
                                         llvm::ArrayRef<std::string> inputs,
                                         std::vector<OnnxAttr> attrs, size_t outputs) = 0;
  /// A constant i64 tensor: 1-D holding `values`, or a 0-d scalar (`scalar`,
  /// one value).
  virtual std::string ints(llvm::ArrayRef<int64_t> values, bool scalar = false) = 0;
  /// A constant f32 tensor of `shape` ([]: a scalar) holding `values`, as
  /// many as the shape's elements, row-major.
  virtual std::string floats(llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<double> values) = 0;
  /// The graph input of the layer (an `input` node) of type `t`; its name.
  virtual std::string graphInput(const TensorType &t) = 0;

  /// A node with one output.
  std::string node(llvm::StringRef opType, llvm::ArrayRef<std::string> inputs,
                   std::vector<OnnxAttr> attrs = {}) {
    return nodes(opType, inputs, std::move(attrs), 1)[0];
  }
  /// A constant f32 scalar.
  std::string scalar(double v) { return floats({}, {v}); }
};

/// What an ONNX rule sees of one call.
struct OnnxCall {
  const OpDef &op;
  const Attrs &attrs;                 ///< normalized by the shape rule
  llvm::ArrayRef<TensorType> inputs;  ///< the op's own inputs
  llvm::ArrayRef<TensorType> outputs; ///< its outputs
  llvm::ArrayRef<WeightSpec> weights; ///< in the order of the weights rule
  llvm::ArrayRef<std::string> in;     ///< names of the input tensors
  llvm::ArrayRef<std::string> w;      ///< names of the weight tensors
  OnnxBuilder &b;
};

/// Adds the nodes computing a call and sets `out` to the names of its
/// outputs (one per output of the op; a name may be an input's or a
/// weight's when the op computes nothing: param). Returns "" or why this
/// call has no ONNX form (one phrase: "a KV cache of past tokens").
using OnnxRule = std::string (*)(const OnnxCall &call, std::vector<std::string> &out);

// ---- helpers shared by the rules (ir/Onnx.cpp) ----------------------------

/// The rule of an op that is one ONNX node of the same inputs and no
/// attributes: onnxSame<kRelu> with `static constexpr char kRelu[] = "Relu"`.
template <const char *OpType>
std::string onnxSame(const OnnxCall &c, std::vector<std::string> &out) {
  out = {c.b.node(OpType, c.in)};
  return "";
}

/// A Reshape of `x` to the static shape `shape`.
std::string onnxReshape(OnnxBuilder &b, const std::string &x, llvm::ArrayRef<int64_t> shape);

/// Netc's padding [top, bottom, left, right] as ONNX pads [top, left,
/// bottom, right].
Ints onnxPads2d(const Ints &tblr);

} // namespace netc::ir

#endif
