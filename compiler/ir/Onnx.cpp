//===- Onnx.cpp - helpers shared by the ONNX rules of the op table ----------===//
#include "ir/Onnx.h"

namespace netc::ir {

std::string onnxReshape(OnnxBuilder &b, const std::string &x, llvm::ArrayRef<int64_t> shape) {
  return b.node("Reshape", {x, b.ints(shape)});
}

Ints onnxPads2d(const Ints &tblr) { return {tblr[0], tblr[2], tblr[1], tblr[3]}; }

} // namespace netc::ir
