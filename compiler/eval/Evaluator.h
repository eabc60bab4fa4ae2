//===- Evaluator.h - the reference evaluator of a graph ---------*- C++ -*-===//
//
// Runs a graph on numbers, naively and in double precision, with the eval
// rules of the op table (PyTorch's eval-mode semantics). It is the judge of
// the rewrites: a pass is exact when the graph before and after it computes
// the same outputs from the same weights and inputs. Fused nodes run their
// op, then their epilogue ops on its result.
//
// Random weights and inputs are deterministic: each tensor draws from its
// own splitmix64 stream, seeded from the seed and a hash of the node (and
// weight) name, so adding a node does not change the others' values, and the
// values are the same on every platform.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_EVAL_EVALUATOR_H
#define NETC_EVAL_EVALUATOR_H

#include "ir/Buffer.h"
#include "ir/Graph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace netc::eval {

/// How randomWeights draws a weight: uniform in [lo, hi), times scale.
struct WeightDistribution {
  double lo = -1, hi = 1, scale = 1;
};
WeightDistribution weightDistribution(const ir::Graph &g, const ir::Node &n,
                                      const ir::WeightSpec &spec);

/// The stream's starting state of one tensor: splitmix64 of the seed, xor the
/// FNV-1a hash of "node\0tensor" (inputs: tensor "<input>"). Each number is
/// lo + (hi - lo) * (splitmix64(state) >> 11) * 2^-53, times scale. The C++
/// emitter's check program draws the same numbers.
uint64_t streamState(uint64_t seed, const std::string &node, const std::string &tensor);

/// Every weight of every node of `g` (by node name and weight name), uniform
/// in [-1, 1): conv2d, conv_transpose2d and linear weights and biases scaled
/// by 1/sqrt(fan-in) (PyTorch's fan-in: the weight's size / its dim 0);
/// the `weight` (gamma) of batchnorm, layernorm and groupnorm and the
/// `running_var` of batchnorm uniform in [0.5, 1.5].
ir::WeightStore randomWeights(const ir::Graph &g, uint64_t seed);

/// One buffer per `input` node of `g`, in order, uniform in [-1, 1); an
/// i64 input (token ids) holds integers uniform in [0, 1000) (embedding takes
/// them modulo its table size). Tied weights (WeightSpec::tiedTo) are not
/// drawn by randomWeights: they are their owner's.
std::vector<ir::Buffer> randomInputs(const ir::Graph &g, uint64_t seed);

/// Rounds every value to the nearest f32, as the emitted model's weight
/// table and an ONNX file's initializers hold them (so the evaluator
/// computes on the same numbers).
void roundToFloat(ir::WeightStore &weights, std::vector<ir::Buffer> &inputs);

/// Evaluates `g` on `inputs` (one per `input` node, in order) with the
/// weights `w` (looked up by node and weight name; extra entries are
/// ignored); fills `outputs` with the graph's outputs, in order. Returns an
/// error message (a missing weight, a wrong input count, a shape mismatch),
/// or "" on success.
std::string evaluate(const ir::Graph &g, const ir::WeightStore &w,
                     const std::vector<ir::Buffer> &inputs, std::vector<ir::Buffer> &outputs);

/// The largest |a - b| / max(|a|, |b|, 1e-3) over all elements (an absolute
/// error near zero, a relative one elsewhere); 0 where both are equal
/// (infinities included) or both NaN; infinity when the counts or shapes
/// differ or only one of two elements is NaN.
double maxRelativeError(const std::vector<ir::Buffer> &a, const std::vector<ir::Buffer> &b);

} // namespace netc::eval

#endif
