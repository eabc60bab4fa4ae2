//===- Report.h - the numbers of a cost report ------------------*- C++ -*-===//
//
// Plain data, computed by the cost model (CostModel.h) and rendered by the
// report writers (report/ReportWriter.h). Counts are exact int64 under the
// conventions recorded in `options`; times are seconds, rates per second.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_COST_REPORT_H
#define NETC_COST_REPORT_H

#include "target/HardwareProfile.h"
#include "ir/Types.h"
#include "support/SourceLoc.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace netc::cost {

/// How FLOPs are counted (always printed with the report).
enum class FlopConvention {
  TwoMac, ///< "2mac": 2 per MAC, plus the elementwise FLOPs of other ops
  Exact,  ///< "exact": 2n-1 per dot product of length n, +1 per bias add, plus elementwise
  Mac,    ///< "mac": 1 per MAC (fvcore's convention); other ops count 0
};
/// How memory access is counted (always printed with the report).
enum class MemoryModel {
  Ideal,         ///< "ideal": every input, weight and output tensor moved once
  NoReuse,       ///< "no-reuse": MAC ops read an input element per MAC (seed 000)
  WeightsOutput, ///< "weights+output": weights and outputs only (seed 002)
};

llvm::StringRef flopConventionName(FlopConvention c);
llvm::StringRef memoryModelName(MemoryModel m);
/// One sentence saying what the convention/model counts.
llvm::StringRef flopConventionDoc(FlopConvention c);
llvm::StringRef memoryModelDoc(MemoryModel m);

/// How weights or the KV cache are stored (--weight-dtype, --kv-dtype), as
/// LLM-Viewer allows: 4-bit weights with fp16 activations and an 8-bit KV
/// cache. Only bytes change: the arithmetic runs at the activations' dtype.
struct Storage {
  const char *name; ///< "int4"
  unsigned bits;    ///< per element
};
/// fp32, fp16, bf16, fp8, int8, int4 (and f32, f16, i8, i4).
std::optional<Storage> parseStorage(llvm::StringRef s);
/// The storage of a tensor dtype: fp32 32 bits, ...
Storage storageOf(ir::DType t);

struct CostOptions {
  FlopConvention flops = FlopConvention::TwoMac;
  MemoryModel memory = MemoryModel::Ideal;
  ir::DType dtype = ir::DType::F32; ///< element type of activations (and by default of the rest)
  int64_t batch = 1;                ///< multiplies the batch dimension of the inputs
  std::optional<Storage> weightStorage; ///< --weight-dtype; none: dtype
  std::optional<Storage> kvStorage;     ///< --kv-dtype; none: dtype
  Storage weights() const { return weightStorage ? *weightStorage : storageOf(dtype); }
  Storage kvCache() const { return kvStorage ? *kvStorage : storageOf(dtype); }
};

struct LayerCost {
  std::string name;   ///< hierarchical node name
  std::string op;     ///< op name
  std::string block;  ///< first segment of the name (the top-level block), or the op
  ir::Shape outputShape; ///< first output, at the report's batch
  int64_t params = 0;    ///< learnable parameters (PyTorch's count)
  int64_t buffers = 0;   ///< non-learnable state (BatchNorm running mean/var)
  /// Params one token uses: params, but a mixture of experts' router and
  /// top_k experts only (OpDef::activeParams).
  int64_t activeParams = 0;
  int64_t macs = 0;
  int64_t flops = 0;
  int64_t memoryBytes = 0;
  int64_t activations = 0; ///< output elements written (0 for views and inputs)
  /// The KV cache of attention layers, in elements at the report's batch
  /// (OpDef::kvCache): held after the step, read and written during it.
  int64_t kvHeld = 0, kvRead = 0, kvWritten = 0;
  double intensity = 0;    ///< FLOP per byte (0 when no bytes move)
  double attainable = 0;   ///< FLOP/s the roofline allows at this intensity
  bool memoryBound = false;
  double latency = 0; ///< seconds: max(flops / peak, bytes / bandwidth)
  /// Seconds of `latency` spent memory-bound: a layer's whole latency or 0;
  /// a group's, the sum over its memory-bound layers.
  double memoryBoundLatency = 0;
  /// Seconds, the calibrated estimate (cost::calibratedTime); set only when
  /// the profile is calibrated (hardware.hasCalibration), else 0.
  double calibratedLatency = 0;
  SourceLoc loc;
  /// In a tree (GroupBy::Tree): the row's level, 1 for a top-level block or
  /// layer; its name is then the path of the block ("layer1.bottleneck_1").
  /// 0 in every other kind of row.
  unsigned depth = 0;
};

struct Totals {
  int64_t nodes = 0;     ///< layers in the graph (set for the unoptimized totals)
  int64_t params = 0;
  int64_t activeParams = 0; ///< params one token uses (LayerCost::activeParams summed)
  int64_t buffers = 0;
  int64_t macs = 0;
  int64_t flops = 0;
  int64_t memoryBytes = 0;
  int64_t activations = 0;
  int64_t kvHeld = 0, kvRead = 0, kvWritten = 0; ///< KV cache elements (LayerCost's, summed)
  int64_t weightBytes = 0;          ///< (params + buffers) x dtype size
  /// The arena the memory planner lays out for every activation tensor
  /// (MemoryPlanner.h) x batch x dtype size: never below the largest sum of
  /// live tensors along the execution order, and equal to it when the
  /// tensors pack without gaps.
  int64_t peakActivationBytes = 0;
  int64_t modelBytesFp32 = 0, modelBytesFp16 = 0, modelBytesInt8 = 0; ///< params + buffers
  double latency = 0;     ///< seconds, roofline lower bound (sum over layers)
  double calibratedLatency = 0; ///< seconds, calibrated estimate (sum); 0 when uncalibrated
  double throughput = 0;  ///< samples per second at the report's batch
  double memoryBoundShare = 0; ///< fraction of latency spent in memory-bound layers
};

/// How the rows of a report are grouped (--group-by): one row per layer, or
/// the layers summed per top-level block (the first segment of the node name,
/// like torchinfo's depth 1) or per op, in order of first appearance; or
/// (--depth N) a tree of the blocks nested up to depth N, each with the
/// subtotals of its layers (cost::treeRows).
enum class GroupBy { Layer, Block, Op, Tree };
/// "layer", "block", "op", "tree".
llvm::StringRef groupByName(GroupBy by);

/// The largest batch that fits the device memory and the throughput there.
struct MaxBatch {
  int64_t batch = 0; ///< at least 1 (findMaxBatch reports an error otherwise)
  double latency = 0;
  double qps = 0;
};

/// An LLM serving phase (--phase, --prompt, --context, --generate). A
/// network costed by phase takes two parameters that the phase sets: `seq`,
/// the new tokens of each sequence in this step, and `past`, the tokens
/// already in its KV cache (which its attention layers read).
enum class Phase {
  None,
  Prefill, ///< the prompt in one step: seq = prompt, past = 0 (time to first token)
  Decode,  ///< one generated token: seq = 1, past = context (time per output token)
  Request, ///< a whole request: the prefill, then generate - 1 decode steps at past =
           ///< prompt, prompt + 1, ..., prompt + generate - 2 (the prefill gives the first token)
};
/// "prefill", "decode", "request".
llvm::StringRef phaseName(Phase p);

struct PhaseOptions {
  Phase phase = Phase::None;
  int64_t prompt = 0;   ///< prefill and request: the prompt's tokens
  int64_t context = 0;  ///< decode: the tokens in the KV cache
  int64_t generate = 0; ///< request: the output tokens (at least 1)
  /// The network arguments of the phase's (first) step.
  int64_t seq() const { return phase == Phase::Decode ? 1 : prompt; }
  int64_t past() const { return phase == Phase::Decode ? context : 0; }
};

/// What serving costs, for a report with a phase. Times are the roofline's
/// lower bound and, on a calibrated profile, the calibrated estimate (0
/// otherwise), both summed over the steps; rates are per second at the
/// report's batch.
struct Serving {
  PhaseOptions phase;
  struct Time {
    double roofline = 0, estimate = 0;
  };
  Time prefill;       ///< prefill and request: time to first token
  Time decodeStep;    ///< decode: the step; request: the mean decode step (0 if none)
  Time firstStep, lastStep; ///< request: the first and last decode steps
  Time total;         ///< request: prefill + every decode step; else the phase's step
  int64_t decodeSteps = 0; ///< request: generate - 1
  /// Tokens per second: prefill: batch x prompt / time; decode: batch / step
  /// time; request: batch x generate / total time. From the roofline and
  /// from the estimate.
  Time tokensPerSecond;
  /// Bytes of the KV cache after the phase's last step (a request: the last
  /// decode step's), at the report's batch and KV dtype.
  int64_t kvCacheBytes = 0;
  /// How the request's decode steps were summed: "exact per step" or
  /// "affine in past, checked at the last step".
  std::string method;
  /// request: the layers of the first decode step (past = prompt), beside
  /// Report::layers (the prefill's), for pictures of both phases.
  std::vector<LayerCost> decodeLayers;
  int64_t decodePast = 0;
};

/// One layer timed on this machine by `netc measure` (measure/Measure.h).
struct LayerMeasurement {
  enum class Status {
    Measured,   ///< min, median, max hold its times
    View,       ///< a view or an input: no work, nothing to time
    Unmeasured, ///< oneDNN cannot run it: `why` says so (never a silent zero)
  };
  Status status = Status::Unmeasured;
  double min = 0, median = 0, max = 0; ///< seconds, over the repeats
  std::string primitive; ///< the oneDNN primitive and post-ops: "convolution+relu"
  std::string impl;      ///< oneDNN's implementation: "brg:avx512_core"
  std::string why;       ///< Unmeasured: the reason, naming the op
  bool reused = false;   ///< the timing of an earlier layer of the same configuration
};

/// What `netc measure` measured, parallel to Report::layers.
struct Measurement {
  std::string runtime; ///< "oneDNN 2.6.3 (cpu runtime OpenMP)"
  std::string layout;  ///< "blocked" or "plain" (measure::Layout)
  unsigned threads = 1, warmup = 0, repeats = 0;
  std::vector<LayerMeasurement> layers;
  double total = 0;           ///< seconds: the sum of the measured layers' medians
  double totalMin = 0, totalMax = 0; ///< the sums of their minima and maxima
  int64_t measured = 0, unmeasured = 0, configurations = 0; ///< layers; distinct primitives
  /// The roofline and calibrated estimate of the measured layers only, so
  /// that the ratios compare like with like.
  double rooflineOfMeasured = 0, estimateOfMeasured = 0;
};

struct Report {
  std::string network;
  std::vector<std::pair<std::string, std::string>> params; ///< network parameters as bound
  target::HardwareProfile hardware;
  CostOptions options;
  std::vector<LayerCost> layers; ///< execution order
  Totals totals;
  std::optional<MaxBatch> maxBatch;
  /// --phase/--generate: what serving costs (Totals hold the phase's step).
  std::optional<Serving> serving;
  /// The totals of the graph as written, when the report is of the optimized
  /// graph (the default), and the passes that ran.
  std::optional<Totals> unoptimized;
  std::vector<std::string> passes;
  /// `netc measure`: each layer's time on this machine.
  std::optional<Measurement> measured;
  /// The rows the writers show (cost::groupRows sets these three): the
  /// layers, or their sums per group with the roofline recomputed from the
  /// sums; and the totals as one row (no name) the same way.
  GroupBy groupBy = GroupBy::Layer;
  unsigned depth = 0; ///< the tree's depth when groupBy is Tree (--depth N)
  std::vector<LayerCost> groups; ///< empty when groupBy is Layer
  LayerCost totalRow;

  const std::vector<LayerCost> &rows() const {
    return groupBy == GroupBy::Layer ? layers : groups;
  }
};

} // namespace netc::cost

#endif
