//===- Checked.h - overflow-checked 64-bit arithmetic ----------*- C++ -*-===//
//
// Shapes, element counts and costs are computed with these: an overflow is
// reported (as nullopt) and turned into an error naming the layer, never a
// wrapped number.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SUPPORT_CHECKED_H
#define NETC_SUPPORT_CHECKED_H

#include <cstdint>
#include <initializer_list>
#include <optional>

namespace netc {

inline std::optional<int64_t> checkedAdd(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r))
    return std::nullopt;
  return r;
}
inline std::optional<int64_t> checkedSub(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_sub_overflow(a, b, &r))
    return std::nullopt;
  return r;
}
inline std::optional<int64_t> checkedMul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r))
    return std::nullopt;
  return r;
}
/// Product of all factors (a list, or any range of int64: a shape), or
/// nullopt on overflow.
template <typename Range>
std::optional<int64_t> checkedProduct(const Range &xs) {
  int64_t r = 1;
  for (int64_t x : xs)
    if (__builtin_mul_overflow(r, x, &r))
      return std::nullopt;
  return r;
}
inline std::optional<int64_t> checkedProduct(std::initializer_list<int64_t> xs) {
  return checkedProduct<std::initializer_list<int64_t>>(xs);
}

/// Floor division and modulo with Python's signs (the .net language's `//`
/// and `%`), for b != 0.
inline int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0)))
    --q;
  return q;
}
inline int64_t floorMod(int64_t a, int64_t b) { return a - floorDiv(a, b) * b; }
inline int64_t ceilDiv(int64_t a, int64_t b) { return -floorDiv(-a, b); }

} // namespace netc

#endif
