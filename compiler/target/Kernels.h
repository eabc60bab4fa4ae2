//===- Kernels.h - measured kernels: the shape of a calibration sample -*- C++ -*-===//
//
// A calibrated profile (`netc calibrate`) stores the time of a spread of
// kernel configurations measured on the machine, one `kernel = ...` line
// each, and the estimate of a layer comes from the measured configurations
// closest to it (cost::kernelTime). This file is the one definition of what
// a sample records, shared by the writer (calibrate), the reader (sema) and
// the estimate (cost):
//
//   - a family: the primitive that runs it ("conv", "deconv", "linear",
//     "matmul", or "<kind>_<algorithm>" for the rest: "eltwise_relu",
//     "binary_add", "pooling_max", "batchnorm", "concat", ...);
//   - its dims, named by the family's keys (kernelKeys): a convolution's
//     channels, groups, output size, kernel and stride; a matrix product's
//     m, k, n; the elements read (src) and written (dst) by any other one
//     (and a concat's number of inputs);
//   - its work (kernelWork), a size the time grows with: a convolution's or
//     product's multiply-accumulates, the elements other primitives move;
//   - its features (kernelFeatures), the log2 coordinates in which
//     neighbours are found.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_TARGET_KERNELS_H
#define NETC_TARGET_KERNELS_H

#include "support/SourceLoc.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>

#include <cstdint>
#include <string>
#include <vector>

namespace netc::target {

/// The families with dims of their own (kernelKeys); measure::kernelPoint
/// names a layer's family with these, every other primitive by
/// "<kind>_<algorithm>".
inline constexpr const char *kFamilyConv = "conv";
inline constexpr const char *kFamilyDeconv = "deconv";
inline constexpr const char *kFamilyLinear = "linear";
inline constexpr const char *kFamilyMatmul = "matmul";
inline constexpr const char *kFamilyConcat = "concat";

/// One measured kernel configuration.
struct KernelSample {
  KernelSample() = default;
  KernelSample(std::string family, std::vector<int64_t> dims, double seconds, SourceLoc loc = {})
      : family(std::move(family)), dims(std::move(dims)), seconds(seconds), loc(loc) {}

  std::string family;
  std::vector<int64_t> dims; ///< in the order of kernelKeys(family)
  double seconds = 0;        ///< the median time of one call
  SourceLoc loc;             ///< the `kernel` line it was read from
  /// kernelFeatures and log(seconds / kernelWork), set by prepareKernel (the
  /// profile reader does) so that an estimate does not recompute them for
  /// every layer; empty: computed when needed.
  std::vector<double> features;
  double logRate = 0;
};

/// Fills `s.features` and `s.logRate` from its family, dims and time.
void prepareKernel(KernelSample &s);

/// The keys of a family's dims: conv and deconv: cin, cout, groups, h, w
/// (the output's), kh, kw, stride; linear: m, k, n; matmul: batch, m, k, n;
/// concat: inputs, src, dst; any other family: src, dst (elements of all
/// inputs, of the output).
llvm::ArrayRef<const char *> kernelKeys(llvm::StringRef family);

/// The work of a configuration (dims as kernelKeys orders them), at least 1:
/// the time per unit of work is what the estimate interpolates.
double kernelWork(llvm::StringRef family, llvm::ArrayRef<int64_t> dims);

/// The coordinates in which configurations are near each other: log2 of the
/// dims (a convolution's per-group channels, groups, output pixels, kernel
/// area and stride).
std::vector<double> kernelFeatures(llvm::StringRef family, llvm::ArrayRef<int64_t> dims);

/// The estimated time of a configuration of `family` with `dims`, from the
/// `samples` of the same family: the time per unit of work of the (at most 4)
/// nearest samples, averaged in log space with inverse-distance weights,
/// times the configuration's work (a sample at distance 0 gives its own
/// time). Negative when no sample has this family.
double interpolateKernel(llvm::ArrayRef<KernelSample> samples, llvm::StringRef family,
                         llvm::ArrayRef<int64_t> dims);

} // namespace netc::target

#endif
