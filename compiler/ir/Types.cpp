#include "ir/Types.h"

#include "support/Checked.h"

namespace netc::ir {

llvm::StringRef dtypeName(DType t) {
  switch (t) {
  case DType::F32: return "f32";
  case DType::F16: return "f16";
  case DType::BF16: return "bf16";
  case DType::I8: return "i8";
  case DType::I64: return "i64";
  }
  return "f32";
}

std::optional<DType> parseDType(llvm::StringRef s) {
  if (s == "f32" || s == "fp32" || s == "float32")
    return DType::F32;
  if (s == "f16" || s == "fp16" || s == "float16")
    return DType::F16;
  if (s == "bf16" || s == "bfloat16")
    return DType::BF16;
  if (s == "i8" || s == "int8")
    return DType::I8;
  if (s == "i64" || s == "int64")
    return DType::I64;
  return std::nullopt;
}

unsigned dtypeBytes(DType t) {
  switch (t) {
  case DType::F32: return 4;
  case DType::F16: return 2;
  case DType::BF16: return 2;
  case DType::I8: return 1;
  case DType::I64: return 8;
  }
  return 4;
}

std::optional<int64_t> TensorType::numElements() const { return checkedProduct(shape); }

std::string formatShape(llvm::ArrayRef<int64_t> shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ',';
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

std::string formatType(const TensorType &t) {
  return dtypeName(t.dtype).str() + formatShape(t.shape);
}

} // namespace netc::ir
