//===- CostModel.h - per-node and whole-network costs ----------*- C++ -*-===//
//
// For every node: params and buffers from the op's weights rule; MACs,
// dot products, bias adds and elementwise FLOPs from its cost rule; memory
// traffic derived here, the same way for every op, from the input, weight and
// output sizes under the chosen memory model; the roofline on a hardware
// profile. Counts use checked 64-bit arithmetic: an overflow is an error
// naming the layer. --batch N multiplies every count but the weights by N
// (the batch dimension leads every tensor).
//
//===----------------------------------------------------------------------===//
#ifndef NETC_COST_COSTMODEL_H
#define NETC_COST_COSTMODEL_H

#include "cost/Report.h"
#include "ir/Graph.h"
#include "support/Diagnostics.h"

#include <optional>
#include <string>

namespace netc::cost {

/// One node's counts at the report's batch, in elements (not bytes).
struct NodeCost {
  int64_t params = 0;
  int64_t buffers = 0;
  ir::OpWork work;
  int64_t inputElems = 0;  ///< every input tensor once
  int64_t weightElems = 0; ///< params + buffers
  int64_t outputElems = 0;
  int64_t flops = 0;       ///< under the FLOP convention
  int64_t memoryElems = 0; ///< under the memory model
  /// Params one token uses (OpDef::activeParams; else all params).
  int64_t activeParams = 0;
  /// Weight elements the call reads: all of them (params, buffers and tied
  /// weights) unless the op's weightReads rule says fewer.
  int64_t weightReadElems = 0;
  /// Elements moved beyond inputs, weights and outputs (OpDef::extraTraffic).
  int64_t extraElems = 0;
  /// Elements of i64 tensors (token ids) among inputs and outputs: their
  /// bytes are 8 each, whatever the report's dtype.
  int64_t indexElems = 0;
  /// Of memoryElems, the weights read and the KV cache read: their bytes
  /// follow --weight-dtype and --kv-dtype, the rest the activations' dtype.
  int64_t memoryWeightElems = 0, memoryKvElems = 0;
  ir::KvCache kv; ///< OpDef::kvCache at the batch; zero without a KV cache
};

/// Bytes of `elems` elements of `bits` bits each, rounded up to whole bytes
/// (4-bit weights pack two to a byte). Nullopt on overflow.
std::optional<int64_t> storageBytes(int64_t elems, unsigned bits);

/// Costs one node at `opts.batch`; returns an error message or "".
std::string costNode(const ir::Graph &g, const ir::Node &n, const CostOptions &opts,
                     NodeCost &out);

/// The roofline of one layer (or group, or total) whose flops and memoryBytes
/// are set: intensity = FLOPs / bytes; attainable = min(peak, intensity x
/// bandwidth) (the peak when no bytes move, 0 when there is no work at all);
/// memory-bound when bytes / bandwidth > FLOPs / peak, or when it moves bytes
/// without arithmetic. With `setLatency`, latency = max(FLOPs / peak,
/// bytes / bandwidth); groups and totals keep their summed latency instead.
/// The one place this rule lives: the writers call it for groups and totals.
void applyRoofline(LayerCost &l, const target::HardwareProfile &hw, ir::DType dtype,
                   bool setLatency = true);

/// The op class of a node, from the op table: ops with MACs (conv2d,
/// conv_transpose2d, linear, matmul: fusion kind OutElementwiseFusable) are
/// dense, or depthwise when a convolution has one input channel per group;
/// reductions (pooling, softmax, reducing norms) are pool; every other op
/// that moves data is elementwise (activations, arithmetic, batch norm,
/// concat, pad, resampling); views and inputs are None.
target::OpClass opClass(const ir::Graph &g, const ir::Node &n);

/// The calibrated estimate of one layer whose roofline latency is set:
/// latency / efficiency(class) + layer_overhead; 0 for target::OpClass::None or a
/// layer without work.
double calibratedTime(const LayerCost &l, target::OpClass c, const target::HardwareProfile &hw);

/// The calibrated estimate of node `n` of `g`, whose row `l` has its
/// roofline set: with a profile that has measured kernels (fp32 only), the
/// time interpolated from the samples of the layer's primitive family
/// (target::interpolateKernel on measure::kernelPoint) plus layer_overhead;
/// a layer whose family has no samples (or another dtype) falls back to
/// calibratedTime, its op class's efficiency.
double calibratedEstimate(const ir::Graph &g, const ir::Node &n, const LayerCost &l,
                          const target::HardwareProfile &hw, const CostOptions &opts);

/// The whole report. Errors (an overflow, naming the layer; a dtype the
/// hardware has no peak for) go to `diag` and give nullopt.
std::optional<Report> buildReport(const ir::Graph &g, const target::HardwareProfile &hw,
                                  const CostOptions &opts, DiagEngine &diag);

/// The layers aggregated by `by` (Block: the top-level block; Op: the op),
/// in order of first appearance. Counts and latency add up; intensity and
/// bound are recomputed from the sums (the layers themselves for Layer).
std::vector<LayerCost> groupLayers(const Report &r, GroupBy by);

/// The rows of a torchinfo-style tree, in pre-order: the blocks of the
/// layers' hierarchical names ("layer1.bottleneck_1.conv2d" is in block
/// "layer1", itself holding "layer1.bottleneck_1") nested up to `depth`
/// levels, each row the subtotal of every layer below it (counts and
/// latency add up, the roofline is recomputed from the sums); a layer whose
/// name has at most `depth` segments is a row of its own, deeper ones are
/// folded into their block's row. Siblings keep the order of their first
/// layer; LayerCost::depth is the level (1 at the top), the name the path
/// and the op the common op of the layers below, or "(mixed)". Depth 0
/// gives no rows (the total alone).
std::vector<LayerCost> treeRows(const Report &r, unsigned depth);

/// Sets the rows the writers show: r.groupBy, r.depth, r.groups (groupLayers,
/// or treeRows for GroupBy::Tree) and r.totalRow (the totals as a row, the
/// roofline recomputed from the sums). buildReport calls it with
/// GroupBy::Layer; the driver with --group-by or --depth.
void groupRows(Report &r, GroupBy by, unsigned depth = 0);

/// The totals of buildReport alone (the same loop, so the same numbers),
/// without the per-layer rows: for --sweep, which costs many variants.
std::optional<Totals> buildTotals(const ir::Graph &g, const target::HardwareProfile &hw,
                                  const CostOptions &opts, DiagEngine &diag);

/// The largest batch whose weights + batch x peak activations fit the
/// device memory, and the roofline throughput there. Needs hw.memory > 0.
std::optional<MaxBatch> findMaxBatch(const ir::Graph &g, const target::HardwareProfile &hw,
                                     const CostOptions &opts, DiagEngine &diag);

} // namespace netc::cost

#endif
