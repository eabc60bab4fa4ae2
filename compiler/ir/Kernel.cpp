#include "ir/Kernel.h"

#include <cmath>
#include <cstdio>

namespace netc::ir {

void CodeWriter::put(const std::string &s) {
  text.append(static_cast<size_t>(2 * depth), ' ');
  text += s;
  text += '\n';
}

void CodeWriter::close(llvm::StringRef tail) {
  --depth;
  put("}" + tail.str());
}

void CodeWriter::forLoop(llvm::StringRef var, int64_t n) { forLoop(var, std::to_string(n)); }

void CodeWriter::forLoop(llvm::StringRef var, llvm::StringRef bound) {
  open("for (i64 {0} = 0; {0} < {1}; ++{0})", var.str(), bound.str());
}

std::string lit(double v) {
  if (std::isinf(v))
    return v > 0 ? "std::numeric_limits<T>::infinity()" : "-std::numeric_limits<T>::infinity()";
  if (v == std::floor(v) && std::fabs(v) < 1e15)
    return fmt::format("T({})", static_cast<int64_t>(v));
  // %.17g round-trips every double.
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return fmt::format("T({})", buf);
}

std::string broadcastIndex(llvm::ArrayRef<int64_t> in, llvm::ArrayRef<int64_t> out,
                           const std::string &flat) {
  if (in == out)
    return flat;
  // Walk the output's dims from the right: coordinate d of the output is
  // (flat / outStride) % out[d]; it contributes coordinate * inStride when the
  // input has that dim (size > 1).
  std::vector<std::string> terms;
  int64_t outStride = 1, inStride = 1;
  const size_t offset = out.size() - in.size();
  for (size_t d = out.size(); d-- > 0;) {
    const bool present = d >= offset && in[d - offset] != 1;
    if (present && out[d] != 1) {
      std::string coord = outStride == 1 ? flat : fmt::format("({} / {})", flat, outStride);
      // The leading dim needs no modulo (flat < numel).
      bool leading = true;
      for (size_t e = 0; e < d; ++e)
        leading &= out[e] == 1;
      if (!leading)
        coord = fmt::format("{} % {}", coord, out[d]);
      if (inStride != 1)
        coord = fmt::format(coord.find(" % ") == std::string::npos ? "{} * {}" : "({}) * {}",
                            coord, inStride);
      terms.push_back(coord);
    }
    outStride *= out[d];
    if (d >= offset)
      inStride *= in[d - offset];
  }
  if (terms.empty())
    return "0";
  std::string s;
  for (size_t i = terms.size(); i-- > 0;)
    s += (s.empty() ? "" : " + ") + terms[i];
  return terms.size() == 1 ? s : "(" + s + ")";
}

std::string flatIndex(llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<std::string> coords) {
  std::string s;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (s.empty() || s == "0")
      s = coords[d];
    else
      s = fmt::format("({}) * {} + {}", s, shape[d], coords[d]);
  }
  return s.empty() ? "0" : s;
}

} // namespace netc::ir
