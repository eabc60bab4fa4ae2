//===- Microkernels.cpp - FMA, STREAM and op-class kernels -----------------===//
//
// Kernels.inc is compiled once per instruction set, each copy in its own
// namespace under a target pragma; kernels() chooses at run time.
//
//===----------------------------------------------------------------------===//
#include "calibrate/Microkernels.h"

namespace netc::calibrate {

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define NETC_X86_DISPATCH 1
#endif

#ifdef NETC_X86_DISPATCH

// One region per instruction set. The pragmas are written out (not built by
// a macro): clang's _Pragma takes one string literal, not a concatenation.
namespace avx512 {
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512vl,avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,avx512vl,avx2,fma")
#endif
#define NETC_VBYTES 64
#include "calibrate/Kernels.inc"
#undef NETC_VBYTES
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif
} // namespace avx512

namespace avx2 {
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#endif
#define NETC_VBYTES 32
#include "calibrate/Kernels.inc"
#undef NETC_VBYTES
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif
} // namespace avx2

namespace sse {
#define NETC_VBYTES 16
#include "calibrate/Kernels.inc"
#undef NETC_VBYTES
} // namespace sse

#define NETC_SET(ns, name, bytes)                                                              \
  KernelSet {                                                                                  \
    name, bytes, ns::fmaPeakF32, ns::fmaFlopsF32, ns::fmaPeakF64, ns::fmaFlopsF64, ns::conv,   \
        ns::depthwise3x3, ns::add, ns::relu, ns::maxPool3x3s2                                  \
  }

const KernelSet &kernels() {
  static const KernelSet set = [] {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl"))
      return NETC_SET(avx512, "avx512f", 64);
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
      return NETC_SET(avx2, "avx2+fma", 32);
    return NETC_SET(sse, "sse2", 16);
  }();
  return set;
}

#else // not x86-64: the compiler's own vectors

namespace generic {
#define NETC_VBYTES 16
#include "calibrate/Kernels.inc"
#undef NETC_VBYTES
} // namespace generic

const KernelSet &kernels() {
  static const KernelSet set{"generic", 16, generic::fmaPeakF32, generic::fmaFlopsF32,
                             generic::fmaPeakF64, generic::fmaFlopsF64, generic::conv,
                             generic::depthwise3x3, generic::add, generic::relu,
                             generic::maxPool3x3s2};
  return set;
}

#endif

void streamKernel(Stream k, double *a, double *b, double *c, size_t begin, size_t end) {
  const double s = 3.0;
  switch (k) {
  case Stream::Copy:
    for (size_t i = begin; i < end; ++i)
      c[i] = a[i];
    break;
  case Stream::Scale:
    for (size_t i = begin; i < end; ++i)
      b[i] = s * c[i];
    break;
  case Stream::Add:
    for (size_t i = begin; i < end; ++i)
      c[i] = a[i] + b[i];
    break;
  case Stream::Triad:
    for (size_t i = begin; i < end; ++i)
      a[i] = b[i] + s * c[i];
    break;
  }
}

} // namespace netc::calibrate
