//===- Types.h - tensor types of the graph IR ------------------*- C++ -*-===//
//
// Layout is NCHW with an explicit batch dimension. A TensorType is a shape
// and an element type; printed as f32[1,3,224,224].
//
//===----------------------------------------------------------------------===//
#ifndef NETC_IR_TYPES_H
#define NETC_IR_TYPES_H

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/SmallVector.h>
#include <llvm/ADT/StringRef.h>

#include <cstdint>
#include <optional>
#include <string>

namespace netc::ir {

/// Element types. I64 holds integer indices (token ids, PyTorch's LongTensor):
/// only ops that take indices accept it (OpDef::takesIndices), nothing
/// computes arithmetic on it, and it is never a --dtype of the cost model.
enum class DType : uint8_t { F32, F16, BF16, I8, I64 };

llvm::StringRef dtypeName(DType t); ///< "f32", "f16", "bf16", "i8", "i64"
/// Whether tensors of `t` hold indices (I64), not numbers to compute on.
inline bool isIndexDType(DType t) { return t == DType::I64; }
std::optional<DType> parseDType(llvm::StringRef s); ///< accepts f32 and fp32 forms
unsigned dtypeBytes(DType t);

using Shape = llvm::SmallVector<int64_t, 4>;

struct TensorType {
  Shape shape;
  DType dtype = DType::F32;

  size_t rank() const { return shape.size(); }
  /// Number of elements, or nullopt if it overflows int64.
  std::optional<int64_t> numElements() const;
  friend bool operator==(const TensorType &a, const TensorType &b) {
    return a.dtype == b.dtype && a.shape == b.shape;
  }
  friend bool operator!=(const TensorType &a, const TensorType &b) { return !(a == b); }
};

std::string formatShape(llvm::ArrayRef<int64_t> shape); ///< [1,3,224,224]
std::string formatType(const TensorType &t);            ///< f32[1,3,224,224]

} // namespace netc::ir

#endif
