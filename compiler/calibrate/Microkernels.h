//===- Microkernels.h - the kernels netc calibrate times --------*- C++ -*-===//
//
// Each kernel exists once per SIMD width (AVX-512, AVX2+FMA, SSE2 on x86-64;
// the compiler's default elsewhere); kernels() picks the widest the CPU runs,
// at run time (__builtin_cpu_supports). STREAM kernels are plain loops: they
// are memory-bound at any width.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_CALIBRATE_MICROKERNELS_H
#define NETC_CALIBRATE_MICROKERNELS_H

#include <cstddef>
#include <cstdint>

namespace netc::calibrate {

struct KernelSet {
  const char *simd; ///< "avx512f", "avx2+fma", "sse2" or "generic"
  int vectorBytes;
  double (*fmaPeakF32)(int64_t iters);
  int64_t (*fmaFlopsF32)(int64_t iters);
  double (*fmaPeakF64)(int64_t iters);
  int64_t (*fmaFlopsF64)(int64_t iters);
  void (*conv)(const float *in, const float *w, float *out, int H, int W, int Ci, int Co, int K);
  void (*depthwise3x3)(const float *in, const float *w, float *out, int H, int W, int C);
  void (*add)(const float *a, const float *b, float *out, int64_t n);
  void (*relu)(const float *x, float *out, int64_t n);
  void (*maxPool3x3s2)(const float *in, float *out, int H, int W, int C);
};

/// The widest kernel set the CPU supports.
const KernelSet &kernels();

/// STREAM (McCalpin): copy c=a, scale b=s*c, add c=a+b, triad a=b+s*c over
/// [begin, end). Bytes moved per element: 16, 16, 24, 24.
enum class Stream { Copy, Scale, Add, Triad };
void streamKernel(Stream k, double *a, double *b, double *c, size_t begin, size_t end);
inline int streamBytesPerElement(Stream k) {
  return k == Stream::Copy || k == Stream::Scale ? 16 : 24;
}

} // namespace netc::calibrate

#endif
