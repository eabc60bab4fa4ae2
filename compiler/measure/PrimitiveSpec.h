//===- PrimitiveSpec.h - the oneDNN primitive of a layer, as data -*- C++ -*-===//
//
// `netc measure` runs each layer of a graph as the one oneDNN primitive a
// framework would call for it. This file decides which primitive, with which
// dims and parameters, as plain data that unit tests check without running
// anything (Runner.h builds and times it). The choice is keyed by the op
// table's OpDef::dnnl (kind, algorithm, a refine rule for attributes), never
// by op names: a fused layer becomes its op's primitive with one oneDNN
// post-op per epilogue (an activation: eltwise; a residual add or an SE
// multiply: binary); a folded batchnorm is already in the weights.
//
// Dims are oneDNN's: the report's batch multiplies dim 0 of every activation
// tensor; convolution weights are [O, C, kh, kw], or [g, O/g, C/g, kh, kw]
// when grouped; dilations count the gaps (PyTorch's dilation - 1).
//
//===----------------------------------------------------------------------===//
#ifndef NETC_MEASURE_PRIMITIVESPEC_H
#define NETC_MEASURE_PRIMITIVESPEC_H

#include "ir/Graph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace netc::measure {

using Dims = std::vector<int64_t>;

/// One post-op of a fused layer: an eltwise (src1 empty), a binary op whose
/// other operand has dims src1, or a sum.
struct PostOp {
  ir::DnnlAlg alg = ir::DnnlAlg::None;
  float alpha = 0, beta = 0;
  Dims src1;
  /// A residual add of a tensor of the output's dims: oneDNN's sum post-op,
  /// which accumulates into the output buffer (where a runtime puts the
  /// skip tensor), as oneDNN-based frameworks fuse a residual; a binary add
  /// post-op of a blocked operand makes oneDNN 2.6 fall back to its slow
  /// gemm convolution.
  bool sum = false;
};

/// What a layer needs of oneDNN.
enum class SpecStatus {
  Run,         ///< a primitive to time
  View,        ///< a view or a graph input: no work, nothing to time
  Unsupported, ///< oneDNN cannot run it: `why` says so
};

struct PrimitiveSpec {
  SpecStatus status = SpecStatus::Run;
  std::string why; ///< Unsupported: the reason, naming the op
  ir::DnnlKind kind = ir::DnnlKind::None;
  ir::DnnlAlg alg = ir::DnnlAlg::None;
  float alpha = 0, beta = 0; ///< eltwise parameters
  std::vector<Dims> src;     ///< the inputs (concat: several; binary, matmul: two)
  Dims dst;
  Dims weights, bias;        ///< empty: none
  Dims kernel, strides, dilation, padL, padR; ///< convolution, deconvolution, pooling
  int64_t axis = 0;          ///< softmax, concat, shuffle
  int64_t groupSize = 0;     ///< shuffle
  Dims perm;                 ///< reorder: output dim i is input dim perm[i]
  float eps = 0;             ///< batch and layer normalization
  bool scaleShift = false;   ///< normalization with learnable scale and shift
  std::vector<PostOp> postOps;
};

/// The primitive that runs node `n` of `g` at batch `batch`.
PrimitiveSpec mapNode(const ir::Graph &g, const ir::Node &n, int64_t batch = 1);

/// Two layers with the same key run the same primitive: they are timed once.
/// Every field that changes what oneDNN runs is in it; it reads as a short
/// description ("convolution src [1,3,8,8] ...").
std::string configKey(const PrimitiveSpec &s);

/// A primitive as a calibration sample sees it (target/Kernels.h): its
/// family and dims. A convolution's batch folds into its output height.
struct KernelPoint {
  std::string family; ///< "" for a view or an op oneDNN cannot run
  std::vector<int64_t> dims;
};
KernelPoint kernelPoint(const PrimitiveSpec &s);

/// "convolution", "eltwise", ... (the report's primitive column).
const char *kindName(ir::DnnlKind k);
/// "relu", "binary_add", ...
const char *algName(ir::DnnlAlg a);
/// The primitive and its post-ops: "convolution+relu+binary_add".
std::string primitiveName(const PrimitiveSpec &s);

} // namespace netc::measure

#endif
