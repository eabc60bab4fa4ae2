#include "cost/CostModel.h"

#include "analysis/MemoryPlanner.h"
#include "measure/PrimitiveSpec.h"
#include "support/Checked.h"

#include <fmt/format.h>
#include <llvm/ADT/StringMap.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace netc::cost {

namespace {

/// Accumulates checked sums; remembers the first overflow.
struct Acc {
  bool overflow = false;
  int64_t add(int64_t a, int64_t b) {
    auto r = checkedAdd(a, b);
    overflow |= !r;
    return r.value_or(0);
  }
  int64_t mul(int64_t a, int64_t b) {
    auto r = checkedMul(a, b);
    overflow |= !r;
    return r.value_or(0);
  }
};

std::string firstSegment(const std::string &name) {
  size_t dot = name.find('.');
  return dot == std::string::npos ? name : name.substr(0, dot);
}

} // namespace

std::optional<int64_t> storageBytes(int64_t elems, unsigned bits) {
  // elems * bits / 8 rounded up, without forming elems * bits.
  const int64_t whole = elems / 8, rest = elems % 8;
  int64_t out;
  if (__builtin_mul_overflow(whole, static_cast<int64_t>(bits), &out))
    return std::nullopt;
  return out + (rest * bits + 7) / 8;
}

std::string costNode(const ir::Graph &g, const ir::Node &n, const CostOptions &opts,
                     NodeCost &out) {
  out = {};
  Acc acc;
  int64_t tied = 0; // weights shared with another node: read here, owned there
  for (const ir::WeightSpec &w : g.weights(n)) {
    int64_t elems = 1;
    for (int64_t d : w.shape)
      elems = acc.mul(elems, d);
    int64_t &sum = !w.tiedTo.empty() ? tied : w.learnable ? out.params : out.buffers;
    sum = acc.add(sum, elems); // two weights of 2^63 - 1 elements overflow (a fuzzer found it)
  }
  out.weightElems = acc.add(out.params, out.buffers);
  out.activeParams = out.params;

  std::vector<ir::TensorType> ins = g.inputTypes(n);
  std::vector<ir::TensorType> outs;
  for (ir::ValueId v : n.outputs)
    outs.push_back(g.type(v));
  ir::Attrs attrs = n.attrs;
  ir::OpCall call{*n.op, ins, attrs};
  if (std::string e = n.op->cost(call, outs, out.work); !e.empty())
    return e;
  // What the op's own rules say of its weights, traffic and KV cache.
  const int64_t b = opts.batch;
  out.weightReadElems = acc.add(out.weightElems, tied);
  if (n.op->weightReads) {
    std::optional<int64_t> r = n.op->weightReads(call, b);
    acc.overflow |= !r;
    out.weightReadElems = r.value_or(0);
  }
  if (n.op->activeParams) {
    std::optional<int64_t> a = n.op->activeParams(call);
    acc.overflow |= !a;
    out.activeParams = a.value_or(0);
  }
  if (n.op->extraTraffic) {
    std::optional<int64_t> x = n.op->extraTraffic(call);
    acc.overflow |= !x;
    out.extraElems = acc.mul(x.value_or(0), b);
  }
  if (n.op->kvCache) {
    std::optional<ir::KvCache> kv = n.op->kvCache(call);
    acc.overflow |= !kv;
    if (kv)
      out.kv = {acc.mul(kv->held, b), acc.mul(kv->read, b), acc.mul(kv->written, b)};
  }
  // Fused ops add their arithmetic; their operands and results stay on chip
  // except the extra operands, which are among the node's inputs below.
  for (const ir::Epilogue &ep : n.epilogue) {
    std::vector<ir::TensorType> eins{outs[0]};
    if (ep.extraInput >= 0)
      eins.insert(ep.extraFirst ? eins.begin() : eins.end(), g.type(n.inputs[ep.extraInput]));
    ir::Attrs eattrs = ep.attrs;
    ir::OpCall ecall{*ep.op, eins, eattrs};
    ir::OpWork ework;
    if (std::string e = ep.op->cost(ecall, outs, ework); !e.empty())
      return e;
    out.work.elementwiseFlops = acc.add(out.work.elementwiseFlops, ework.elementwiseFlops);
  }

  // Everything but the weights scales with the batch.
  out.work.macs = acc.mul(out.work.macs, b);
  out.work.dotProducts = acc.mul(out.work.dotProducts, b);
  out.work.biasAdds = acc.mul(out.work.biasAdds, b);
  out.work.elementwiseFlops = acc.mul(out.work.elementwiseFlops, b);
  int64_t firstInput = 0, indexInputs = 0, indexOutputs = 0;
  for (size_t i = 0; i < n.inputs.size(); ++i) { // the op's inputs and epilogue operands
    int64_t e = acc.mul(g.type(n.inputs[i]).numElements().value_or(0), b);
    if (i == 0)
      firstInput = e;
    out.inputElems = acc.add(out.inputElems, e);
    if (ir::isIndexDType(g.type(n.inputs[i]).dtype))
      indexInputs = acc.add(indexInputs, e);
  }
  for (const ir::TensorType &t : outs) {
    int64_t e = acc.mul(t.numElements().value_or(0), b);
    out.outputElems = acc.add(out.outputElems, e);
    if (ir::isIndexDType(t.dtype))
      indexOutputs = acc.add(indexOutputs, e);
  }

  switch (opts.flops) {
  case FlopConvention::TwoMac:
    out.flops = acc.add(acc.mul(out.work.macs, 2), out.work.elementwiseFlops);
    break;
  case FlopConvention::Exact:
    out.flops = acc.add(acc.add(acc.mul(out.work.macs, 2), -out.work.dotProducts),
                        acc.add(out.work.biasAdds, out.work.elementwiseFlops));
    break;
  case FlopConvention::Mac:
    out.flops = out.work.macs;
    break;
  }

  if (n.op->view) {
    out.memoryElems = 0; // an alias of its input: nothing moves
  } else {
    // The weights read (all, or what the op's weightReads rule says), and
    // in every model the op's extra traffic (the KV cache, scores).
    const int64_t weights = acc.add(out.weightReadElems, out.extraElems);
    out.memoryWeightElems = out.weightReadElems;
    out.memoryKvElems = out.kv.read; // among the extra traffic
    switch (opts.memory) {
    case MemoryModel::Ideal:
      out.memoryElems = acc.add(acc.add(out.inputElems, weights), out.outputElems);
      out.indexElems = acc.add(indexInputs, indexOutputs);
      break;
    case MemoryModel::NoReuse: {
      // A MAC op reads its (first) input once per multiply-accumulate.
      int64_t inputs = out.inputElems;
      if (out.work.macs > 0)
        inputs = acc.add(acc.add(inputs, -firstInput), out.work.macs);
      out.memoryElems = acc.add(acc.add(inputs, weights), out.outputElems);
      out.indexElems = acc.add(indexInputs, indexOutputs);
      break;
    }
    case MemoryModel::WeightsOutput:
      out.memoryElems = acc.add(weights, out.outputElems);
      out.indexElems = indexOutputs;
      break;
    }
  }
  if (acc.overflow)
    return "a count overflows 64-bit integers";
  return "";
}

void applyRoofline(LayerCost &l, const target::HardwareProfile &hw, ir::DType dtype, bool setLatency) {
  const double peak = hw.peakFor(dtype);
  const double flops = static_cast<double>(l.flops);
  const double bytes = static_cast<double>(l.memoryBytes);
  const double computeTime = peak > 0 ? flops / peak : 0;
  const double memoryTime = hw.bandwidth > 0 ? bytes / hw.bandwidth : 0;
  l.intensity = bytes > 0 ? flops / bytes : 0;
  l.attainable = bytes > 0 ? std::min(peak, l.intensity * hw.bandwidth) : (flops > 0 ? peak : 0);
  // Moving bytes without arithmetic (data movement) is memory-bound by nature.
  l.memoryBound = l.flops == 0 ? l.memoryBytes > 0 : memoryTime > computeTime;
  if (setLatency) {
    l.latency = std::max(computeTime, memoryTime);
    l.memoryBoundLatency = l.memoryBound ? l.latency : 0;
  }
}

target::OpClass opClass(const ir::Graph &g, const ir::Node &n) {
  const ir::OpDef &op = *n.op;
  if (op.view)
    return target::OpClass::None;
  switch (op.pattern) {
  case ir::PatternKind::OutElementwiseFusable: {
    // A convolution with one input channel per group (and groups > 1) is depthwise.
    if (n.attrs.has("groups") && !n.inputs.empty()) {
      int64_t groups = n.attrs.getInt("groups");
      const ir::Shape &in = g.type(n.inputs[0]).shape;
      if (groups > 1 && in.size() >= 2 && in[1] == groups)
        return target::OpClass::Depthwise;
    }
    return target::OpClass::Dense;
  }
  case ir::PatternKind::Reduce:
    return target::OpClass::Pool;
  default:
    return target::OpClass::Elementwise;
  }
}

double calibratedTime(const LayerCost &l, target::OpClass c, const target::HardwareProfile &hw) {
  if (c == target::OpClass::None || (l.flops == 0 && l.memoryBytes == 0))
    return 0;
  return l.latency / hw.efficiencyFor(c) + hw.layerOverhead;
}

double calibratedEstimate(const ir::Graph &g, const ir::Node &n, const LayerCost &l,
                          const target::HardwareProfile &hw, const CostOptions &opts) {
  const target::OpClass c = opClass(g, n);
  if (c == target::OpClass::None || (l.flops == 0 && l.memoryBytes == 0))
    return 0;
  if (!hw.kernels.empty() && opts.dtype == ir::DType::F32) {
    const measure::KernelPoint p = measure::kernelPoint(measure::mapNode(g, n, opts.batch));
    if (!p.family.empty())
      if (double t = target::interpolateKernel(hw.kernels, p.family, p.dims); t >= 0)
        return t + hw.layerOverhead;
  }
  return calibratedTime(l, c, hw);
}

static bool checkHardware(const target::HardwareProfile &hw, ir::DType dtype, DiagEngine &diag) {
  if (hw.peakFor(dtype) > 0 && hw.bandwidth > 0)
    return true;
  diag.globalError(fmt::format("hardware '{}' has no peak for {}; add peak_{} to its profile or "
                               "choose another --dtype",
                               hw.name, ir::dtypeName(dtype).str(),
                               dtype == ir::DType::F32   ? "fp32"
                               : dtype == ir::DType::F16 ? "fp16"
                               : dtype == ir::DType::BF16 ? "bf16"
                                                          : "int8"));
  return false;
}

/// The one costing loop behind buildReport and buildTotals: the totals of
/// `g`, and with `layers` each layer's row (names, shapes) too.
static std::optional<Totals> costGraph(const ir::Graph &g, const target::HardwareProfile &hw,
                                       const CostOptions &opts, DiagEngine &diag,
                                       std::vector<LayerCost> *layers) {
  if (!checkHardware(hw, opts.dtype, diag))
    return std::nullopt;
  const int64_t bytes = ir::dtypeBytes(opts.dtype);
  const unsigned weightBits = opts.weights().bits, kvBits = opts.kvCache().bits;
  Acc acc;
  Totals t;
  double memoryBoundTime = 0;
  if (layers)
    layers->reserve(g.nodes.size());
  for (const ir::Node &n : g.nodes) {
    NodeCost c;
    if (std::string e = costNode(g, n, opts, c); !e.empty()) {
      Diagnostic &d = diag.error(n.loc, fmt::format("cannot cost layer '{}': {}", n.name, e));
      (void)d;
      return std::nullopt;
    }
    LayerCost l;
    if (layers) {
      l.name = n.name;
      l.op = n.op->name;
      for (const ir::Epilogue &ep : n.epilogue)
        l.op += "+" + ep.op->name;
      l.block = firstSegment(n.name);
      if (!n.outputs.empty()) {
        l.outputShape = g.type(n.outputs[0]).shape;
        if (!l.outputShape.empty())
          l.outputShape[0] = acc.mul(l.outputShape[0], opts.batch);
      }
      l.loc = n.loc;
    }
    l.params = c.params;
    l.buffers = c.buffers;
    l.macs = c.work.macs;
    l.flops = c.flops;
    // Token ids (i64) are 8 bytes whatever the dtype of the report; the
    // weights and the KV cache are stored as --weight-dtype and --kv-dtype say.
    const int64_t activationElems =
        acc.add(acc.add(c.memoryElems, -c.indexElems),
                -acc.add(c.memoryWeightElems, c.memoryKvElems));
    std::optional<int64_t> weightBytes = storageBytes(c.memoryWeightElems, weightBits);
    std::optional<int64_t> kvBytes = storageBytes(c.memoryKvElems, kvBits);
    acc.overflow |= !weightBytes || !kvBytes;
    l.memoryBytes = acc.add(acc.add(acc.mul(activationElems, bytes),
                                    acc.mul(c.indexElems, ir::dtypeBytes(ir::DType::I64))),
                            acc.add(weightBytes.value_or(0), kvBytes.value_or(0)));
    l.activeParams = c.activeParams;
    l.kvHeld = c.kv.held;
    l.kvRead = c.kv.read;
    l.kvWritten = c.kv.written;
    l.activations = n.op->view ? 0 : c.outputElems; // views and inputs write nothing
    applyRoofline(l, hw, opts.dtype);
    if (hw.hasCalibration) {
      l.calibratedLatency = calibratedEstimate(g, n, l, hw, opts);
      t.calibratedLatency += l.calibratedLatency;
    }
    t.params = acc.add(t.params, l.params);
    t.activeParams = acc.add(t.activeParams, l.activeParams);
    t.kvHeld = acc.add(t.kvHeld, l.kvHeld);
    t.kvRead = acc.add(t.kvRead, l.kvRead);
    t.kvWritten = acc.add(t.kvWritten, l.kvWritten);
    t.buffers = acc.add(t.buffers, l.buffers);
    t.macs = acc.add(t.macs, l.macs);
    t.flops = acc.add(t.flops, l.flops);
    t.memoryBytes = acc.add(t.memoryBytes, l.memoryBytes);
    t.activations = acc.add(t.activations, l.activations);
    t.latency += l.latency;
    if (l.memoryBound)
      memoryBoundTime += l.latency;
    if (acc.overflow) {
      diag.error(n.loc, fmt::format("cannot cost layer '{}': totals overflow 64-bit integers",
                                    n.name));
      return std::nullopt;
    }
    if (layers)
      layers->push_back(std::move(l));
  }
  int64_t weights = acc.add(t.params, t.buffers);
  std::optional<int64_t> weightBytes = storageBytes(weights, weightBits);
  acc.overflow |= !weightBytes;
  t.weightBytes = weightBytes.value_or(0);
  t.modelBytesFp32 = acc.mul(weights, 4);
  t.modelBytesFp16 = acc.mul(weights, 2);
  t.modelBytesInt8 = weights;
  // The arena the memory planner lays out at the graph's shapes; a batch
  // scales every tensor, so the same layout scaled by it serves the batch.
  std::optional<analysis::MemoryPlan> plan = analysis::planMemory(g);
  if (!plan)
    acc.overflow = true;
  t.peakActivationBytes = acc.mul(acc.mul(plan ? plan->arenaElements : 0, opts.batch), bytes);
  if (acc.overflow) {
    diag.globalError(fmt::format("cannot cost network '{}': totals overflow 64-bit integers",
                                 g.name));
    return std::nullopt;
  }
  t.throughput = t.latency > 0 ? static_cast<double>(opts.batch) / t.latency : 0;
  t.memoryBoundShare = t.latency > 0 ? memoryBoundTime / t.latency : 0;
  return t;
}

std::optional<Report> buildReport(const ir::Graph &g, const target::HardwareProfile &hw,
                                  const CostOptions &opts, DiagEngine &diag) {
  Report r;
  std::optional<Totals> t = costGraph(g, hw, opts, diag, &r.layers);
  if (!t)
    return std::nullopt;
  r.network = g.name;
  r.params = g.params;
  r.hardware = hw;
  r.options = opts;
  r.totals = *t;
  groupRows(r, GroupBy::Layer);
  return r;
}

std::optional<Totals> buildTotals(const ir::Graph &g, const target::HardwareProfile &hw,
                                  const CostOptions &opts, DiagEngine &diag) {
  return costGraph(g, hw, opts, diag, nullptr);
}

std::optional<MaxBatch> findMaxBatch(const ir::Graph &g, const target::HardwareProfile &hw,
                                     const CostOptions &opts, DiagEngine &diag) {
  if (hw.memory <= 0) {
    diag.globalError(fmt::format("hardware '{}' has no memory size; --max-batch needs one",
                                 hw.name));
    return std::nullopt;
  }
  CostOptions one = opts;
  one.batch = 1;
  std::optional<Report> base = buildReport(g, hw, one, diag);
  if (!base)
    return std::nullopt;
  const double weights = static_cast<double>(base->totals.weightBytes);
  // Each sequence also holds its KV cache (a decode step's, --phase).
  const double kvBytes = static_cast<double>(base->totals.kvHeld) * opts.kvCache().bits / 8.0;
  const double perSample = static_cast<double>(base->totals.peakActivationBytes) + kvBytes;
  MaxBatch mb;
  if (perSample <= 0 || weights + perSample > hw.memory) {
    diag.globalError(fmt::format("network '{}' does not fit in the memory of '{}' even at batch 1 "
                                 "(weights {} B + activations {} B{} > {} B)",
                                 g.name, hw.name, base->totals.weightBytes,
                                 base->totals.peakActivationBytes,
                                 kvBytes > 0 ? fmt::format(" + KV cache {} B", kvBytes) : "",
                                 hw.memory));
    return std::nullopt;
  }
  mb.batch = static_cast<int64_t>(std::floor((hw.memory - weights) / perSample));
  // Per layer, every count but the weights scales with the batch.
  const double bytes = opts.weights().bits / 8.0;
  const double peak = hw.peakFor(opts.dtype);
  const double b = static_cast<double>(mb.batch);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const LayerCost &l = base->layers[i];
    double w = static_cast<double>(l.params + l.buffers) * bytes;
    if (g.nodes[i].op->view)
      w = 0;
    double layerBytes = std::max(0.0, static_cast<double>(l.memoryBytes) - w) * b + w;
    mb.latency += std::max(static_cast<double>(l.flops) * b / peak, layerBytes / hw.bandwidth);
  }
  mb.qps = mb.latency > 0 ? b / mb.latency : 0;
  return mb;
}

} // namespace netc::cost
