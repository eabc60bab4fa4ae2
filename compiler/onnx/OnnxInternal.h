//===- OnnxInternal.h - the importer's parts --------------------*- C++ -*-===//
//
// Internal to onnx/: OnnxLoad.cpp reads and checks the model, OnnxConvert.cpp
// turns its nodes into statements (folding constants with OnnxFold.cpp), and
// OnnxText.cpp writes the statements as a .net program, with blocks for
// repeated scopes.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_ONNX_ONNXINTERNAL_H
#define NETC_ONNX_ONNXINTERNAL_H

#include "onnx/OnnxImport.h"

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace netc::onnximport::detail {

/// A tensor whose value is known while importing: an initializer, a
/// Constant, or what folding made of them. `values` holds the elements when
/// they were read (small tensors only; weights are never read).
struct Const {
  std::vector<int64_t> dims;
  int32_t type = 0; ///< TensorProto::DataType
  bool hasValues = false;
  std::vector<double> values;
  std::string origin; ///< the initializer (or weight input) it was made from: tied weights
  size_t elements() const;
};

/// The number of elements of `dims`: 0 with a dim <= 0, saturated at 2^62
/// (a corrupt model's dims never wrap around).
size_t elementsOf(const std::vector<int64_t> &dims);
/// A constant's value used as an integer (a dim, an index, an axis):
/// saturated to +-2^62, NaN as 0, so that a corrupt model's value is caught
/// as out of range later instead of converted with undefined behaviour.
int64_t toInt(double v);
/// a * b saturated to +-2^62 (products of a corrupt model's dims).
int64_t mulSat(int64_t a, int64_t b);

/// A piece of a statement's right-hand side: text, a reference to a tensor
/// (written as the variable that holds it) or a number (which a block may
/// turn into a parameter named after `text`'s hint).
struct Piece {
  enum Kind { Text, Tensor, Number } kind = Text;
  std::string text; ///< Text: itself; Tensor: the ONNX tensor; Number: the literal
  std::string hint; ///< Number: the parameter's name in a block ("out", "stride")
};

/// One statement: `VARS = EXPR  # COMMENT`.
struct Stmt {
  std::vector<std::string> outputs; ///< the ONNX tensors it defines (one variable each)
  std::vector<Piece> expr;
  std::string node;    ///< the ONNX node's name
  std::string op;      ///< its op type
  std::string comment; ///< the output shape(s)
  std::vector<std::string> scope; ///< module path from the node's name ("layer1", "layer1.0")
  bool lastIsOp = true; ///< the name's last segment is the op type ("/conv1/Conv"), not a layer
};

struct Input {
  std::string tensor;
  std::vector<int64_t> shape;
  bool ids = false; ///< an integer tensor (token ids): dtype="i64"
};

struct Program {
  std::string network;            ///< the network's name
  std::vector<std::string> header; ///< comment lines at the top
  std::vector<Input> inputs;
  std::vector<Stmt> stmts;
  std::vector<std::string> outputs; ///< the graph's outputs, in order
};

std::optional<std::string> convert(DiagEngine &diag, ::onnx::ModelProto &model,
                                   llvm::StringRef name, int64_t opset,
                                   const ImportOptions &opts);

/// The constant of an initializer or a Constant node's tensor attribute;
/// values are read when it has at most `maxValues` elements.
Const readTensor(const ::onnx::TensorProto &t, size_t maxValues);

/// Folds node `n` over constant inputs (nullptr for a missing optional
/// input); std::nullopt when the op is not one folding knows, or `error` is
/// set when it is but cannot fold these inputs. `inferred` is the shape ONNX
/// inferred for each output.
std::optional<std::vector<Const>> fold(const ::onnx::NodeProto &n,
                                       const std::vector<const Const *> &in,
                                       const std::vector<std::vector<int64_t>> &inputShapes,
                                       std::string &error);

/// Expand and Where over constants (OnnxFoldBroadcast.cpp), for fold().
std::optional<std::vector<Const>> foldBroadcast(const ::onnx::NodeProto &n,
                                                const std::vector<const Const *> &in,
                                                std::string &error);

/// Replaces every node that folds over constants (or, for Shape and Size,
/// over a known shape) by a Constant node holding its value, so that ONNX's
/// shape inference, run again, knows the shapes that depend on it (a Reshape
/// fed by Shape/Gather/Concat arithmetic). Returns how many it replaced.
size_t foldIntoConstants(::onnx::GraphProto &g, size_t maxValues);

/// The .net program's text.
std::string writeProgram(const Program &p, bool blocks);

/// A .net identifier made of `s` (letters, digits, underscores; not a keyword).
std::string identifier(llvm::StringRef s);

/// "[1, 2, 3]" / "(1, 2)"
std::string listText(const std::vector<int64_t> &v, bool tuple = false);

/// A number as .net writes it: integers without a point, others with one.
std::string numberText(double v);

} // namespace netc::onnximport::detail

#endif
