//===- OnnxImport.h - an ONNX model as a .net program -----------*- C++ -*-===//
//
// `netc import model.onnx` and every mode that takes a .net file given an
// .onnx file: the model (Debian's libonnx, ONNX 1.12, any opset from 7; the
// exporters' opsets 13 to 17 are what the tests cover) becomes .net source a
// person can read and edit, which the driver then compiles as any program.
//
// - One statement per layer, its variable named after the ONNX node, its
//   output shape (as ONNX's shape inference gives it) in a comment.
// - Weights (initializers) become the layers' own weights: only their
//   shapes matter, their values are never read (external data files must
//   exist and be long enough, nothing more).
// - Constant shape arithmetic (Shape, Gather, Concat, Unsqueeze, Slice,
//   Cast, ... on constants) is folded away; Reshape, Flatten, Squeeze and
//   Unsqueeze of activations become `reshape` to the inferred shape.
// - Exporters' decompositions are recognised: MatMul + Add is `linear`, the
//   Erf form of GELU is `gelu`, ReduceMean/Sub/Pow/Sqrt/Div layer norm is
//   `layernorm`.
// - Subgraphs under one module scope (torch.onnx.export's node names
//   "/layer1/layer1.0/conv1/Conv") that repeat with the same structure
//   become one `block`, called once per occurrence; numbers that differ
//   between the occurrences (channels, strides) are its parameters.
//
// A node netc cannot map is an error naming its op type, its name and its
// index in the graph; a truncated or corrupt protobuf, a missing external
// data file or a model over the limits is an error too (exit 1).
//
//===----------------------------------------------------------------------===//
#ifndef NETC_ONNX_ONNXIMPORT_H
#define NETC_ONNX_ONNXIMPORT_H

#include "support/Diagnostics.h"

#include <llvm/ADT/StringRef.h>

#include <cstdint>
#include <optional>
#include <string>

namespace netc::onnximport {

/// The doc string of a graph input that is a weight whose values were left
/// out (netc's --emit=onnx --weights none writes it; netc import reads such
/// an input as the weight it is, not as an input of the network).
constexpr const char *kWeightInputDoc = "netc: a weight; its values are left out";

/// The domain of the model-local functions --emit=onnx writes for netc's ops
/// that ONNX has no operator for (OpDef::onnxFunction): a node of this
/// domain whose op type is "OP_K" is netc's op OP, its attributes the call's.
constexpr const char *kNetcDomain = "ai.netc";

struct ImportOptions {
  uint64_t maxBytes = (2ull << 30) - 1; ///< the model file (protobuf's own limit: 2 GiB)
  uint64_t maxNodes = 2000000;          ///< nodes of the ONNX graph
  bool blocks = true;                   ///< repeated scopes become blocks
};

/// Whether `path` names an ONNX model (by its extension, ".onnx").
inline bool isOnnxPath(llvm::StringRef path) { return path.endswith_insensitive(".onnx"); }

/// The .net program of the model in `path`; errors (naming `path`) go to
/// `diag`, and then the result is empty.
std::optional<std::string> importFile(DiagEngine &diag, llvm::StringRef path,
                                      const ImportOptions &opts = {});

/// The same for the bytes of a model (tests and the fuzz target): `name` is
/// the file name in messages and the network's name; external data files
/// resolve against `dir` ("" refuses them).
std::optional<std::string> importBytes(DiagEngine &diag, llvm::StringRef bytes,
                                       llvm::StringRef name, llvm::StringRef dir,
                                       const ImportOptions &opts = {});

} // namespace netc::onnximport

#endif
