//===- OnnxConvert.h - ONNX nodes to .net statements ------------*- C++ -*-===//
//
// Internal to onnx/: the converter walks the graph's nodes in order. A node
// whose inputs are constants is folded (OnnxFold.cpp); any other is turned
// by its op type's handler (OnnxOps.cpp) into a statement over the
// variables of its inputs, or recognised as the start of a pattern that
// exporters write for one layer (OnnxPatterns.cpp).
//
//===----------------------------------------------------------------------===//
#ifndef NETC_ONNX_ONNXCONVERT_H
#define NETC_ONNX_ONNXCONVERT_H

#include "onnx/OnnxInternal.h"

#include <llvm/ADT/StringMap.h>

namespace netc::onnximport::detail {

/// What the converter knows of a tensor.
struct TensorInfo {
  std::vector<int64_t> shape;
  bool shapeKnown = false;
  int32_t type = 0;
  std::optional<Const> value; ///< a constant
  bool defined = false;       ///< an input, initializer or a node's output seen so far
};

/// A right-hand side under construction.
struct Expr {
  std::vector<Piece> p;
  Expr &t(std::string s);
  Expr &x(std::string tensor);
  Expr &num(std::string literal, std::string hint);
  Expr &num(int64_t v, std::string hint);
};

class Converter {
public:
  Converter(DiagEngine &diag, ::onnx::ModelProto &model, llvm::StringRef name, int64_t opset);
  std::optional<Program> run();

  // For the handlers (OnnxOps.cpp, OnnxPatterns.cpp).
  using Node = ::onnx::NodeProto;
  /// Reports an error about node `n` (op type, name, index) and returns false.
  bool fail(const Node &n, const std::string &message);
  /// Input `k` of `n` after aliases; "" when absent.
  std::string input(const Node &n, int k) const;
  const Const *constant(const std::string &tensor) const;
  const std::vector<int64_t> *shape(const std::string &tensor) const;
  /// Emits `outputs = e` for node `n` (its outputs are activations then).
  void emit(const Node &n, std::vector<std::string> outputs, Expr e);
  /// The output of the layer that used the same initializer as `weight`
  /// before (a tied weight: GPT-2's head and its embedding), or ""; records
  /// `user` as its user otherwise.
  std::string tiedTo(const std::string &weight, const std::string &user);
  /// Makes `to` another name of tensor `from` (Identity, Dropout).
  void alias(const std::string &to, const std::string &from);
  /// The nodes reading `tensor`.
  const std::vector<int> &consumers(const std::string &tensor) const;
  const Node &node(int i) const { return graph.node(i); }
  /// Marks node `i` as converted by a pattern.
  void consume(int i) { done[static_cast<size_t>(i)] = true; }
  /// A constant tensor operand as a `param` statement; returns its tensor.
  std::string paramOf(const Node &n, const std::string &tensor);
  int64_t opset;

private:
  bool convertNode(int i);
  bool defineConstant(const Node &n);
  bool convertValue(const Node &n, int i, const std::vector<const Const *> &ins,
                    const std::vector<std::vector<int64_t>> &shapes, bool allConst,
                    bool allShapes);
  void readValueInfo(const ::onnx::ValueInfoProto &v);

  DiagEngine &diag;
  const ::onnx::GraphProto &graph;
  std::string fileName;
  llvm::StringMap<TensorInfo> tensors;
  llvm::StringMap<std::string> aliases;
  llvm::StringMap<std::vector<int>> readers;
  llvm::StringMap<std::string> firstUser; ///< initializer -> the first layer output using it
  std::vector<bool> done;
  int current = 0;
  Program prog;
  /// Nodes named as netc names layers (--emit=onnx): scopes are the dotted
  /// block path ("layer1.basic_block.conv2d"), not torch's "/layer1/...".
  bool netcNames = false;
};

/// The handler of an op type (OnnxOps.cpp), or nullptr; returns false after
/// reporting an error.
using Handler = bool (*)(Converter &c, const ::onnx::NodeProto &n);
Handler handlerFor(llvm::StringRef opType);

/// Appends `, eps=V` unless V is the default of netc op `op`'s parameter
/// `eps` (the op table's: batchnorm and layernorm 1e-5, rmsnorm 1e-6).
void epsArg(Expr &e, llvm::StringRef op, double eps);

/// A node of netc's domain (kNetcDomain, OnnxOps.cpp): the netc op its
/// function was written for, with the node's attributes as its arguments.
bool netcOp(Converter &c, const ::onnx::NodeProto &n);

/// Patterns starting at node `n` (OnnxPatterns.cpp): true when one matched
/// and was emitted (its nodes consumed), false when none did.
bool matchPattern(Converter &c, const ::onnx::NodeProto &n, int index);

// Attributes of a node, with defaults.
int64_t attrInt(const ::onnx::NodeProto &n, llvm::StringRef name, int64_t dflt);
double attrFloat(const ::onnx::NodeProto &n, llvm::StringRef name, double dflt);
std::string attrString(const ::onnx::NodeProto &n, llvm::StringRef name, std::string dflt);
std::vector<int64_t> attrInts(const ::onnx::NodeProto &n, llvm::StringRef name,
                              std::vector<int64_t> dflt = {});

} // namespace netc::onnximport::detail

#endif
