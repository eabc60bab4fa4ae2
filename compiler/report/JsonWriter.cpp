//===- JsonWriter.cpp - the machine-readable report -------------------------===//
//
// One object, keys in a fixed order (the schema is in README.md). Counts are
// JSON integers; reals are written in their shortest form that reads back to
// the same double; unknown or non-finite values are null.
//
//===----------------------------------------------------------------------===//
#include "support/Format.h"
#include "report/WriterCommon.h"

#include <fmt/format.h>

#include <functional>

namespace netc::report::detail {

using cost::LayerCost;
using cost::Report;

namespace {

using Members = std::vector<std::pair<std::string, std::string>>;

/// {"k": v, ...} on one line; values are already JSON.
std::string object(const Members &members) {
  std::string s = "{";
  for (size_t i = 0; i < members.size(); ++i)
    s += (i ? ", " : "") + jsonString(members[i].first) + ": " + members[i].second;
  return s + "}";
}

std::string integer(int64_t v) { return fmt::format("{}", v); }
/// A positive quantity, or null when it is unknown (0).
std::string knownNumber(double v) { return v > 0 ? jsonNumber(v) : "null"; }

std::string paramsJson(const Report &r) {
  Members m;
  for (const auto &[name, value] : r.params)
    m.emplace_back(name, jsonString(value));
  return object(m);
}

std::string hardwareJson(const Report &r) {
  const target::HardwareProfile &hw = r.hardware;
  double peak = hw.peakFor(r.options.dtype);
  Members m = {{"name", jsonString(hw.name)},
               {"description", jsonString(hw.description)},
               {"peak_flops", knownNumber(peak)},
               {"bandwidth", knownNumber(hw.bandwidth)},
               {"memory", knownNumber(hw.memory)},
               {"ridge", peak > 0 && hw.bandwidth > 0 ? jsonNumber(hw.ridge(r.options.dtype))
                                                      : "null"}};
  if (hw.hasCalibration) { // the efficiencies the calibrated estimate uses
    Members eff;
    for (int c = 0; c < target::kNumOpClasses; ++c)
      eff.emplace_back(target::opClassName(static_cast<target::OpClass>(c)),
                       jsonNumber(hw.efficiencyFor(static_cast<target::OpClass>(c))));
    m.emplace_back("efficiency", object(eff));
    m.emplace_back("layer_overhead_s", jsonNumber(hw.layerOverhead));
    m.emplace_back("kernels", std::to_string(hw.kernels.size())); // measured configurations
  }
  return object(m);
}

std::string conventionsJson(const Report &r) {
  Members m = {{"flops", jsonString(cost::flopConventionName(r.options.flops))},
               {"memory", jsonString(cost::memoryModelName(r.options.memory))},
               {"dtype", jsonString(ir::dtypeName(r.options.dtype))},
               {"batch", integer(r.options.batch)},
               {"latency", jsonString(kLatencyNote)}};
  if (r.options.weightStorage) // only when given: the schema of other reports stays
    m.emplace_back("weight_dtype", jsonString(r.options.weightStorage->name));
  if (r.options.kvStorage)
    m.emplace_back("kv_dtype", jsonString(r.options.kvStorage->name));
  return object(m);
}

/// The quantities as an object, keys "a.b" nested as {"a": {"b": ...}}
/// (consecutive keys sharing a prefix form one nested object); `strip` is
/// removed from the front of every key first.
Members quantityMembers(const std::vector<Quantity> &qs,
                        const std::function<std::string(size_t)> &value,
                        llvm::StringRef strip = "", Members top = {}) {
  std::string prefix;
  Members nested;
  auto flush = [&] {
    if (!prefix.empty())
      top.emplace_back(prefix, object(nested));
    prefix.clear();
    nested.clear();
  };
  for (size_t i = 0; i < qs.size(); ++i) {
    llvm::StringRef key = qs[i].key;
    key.consume_front(strip);
    auto [head, tail] = key.split('.');
    if (tail.empty()) {
      flush();
      top.emplace_back(head.str(), value(i));
      continue;
    }
    if (head != prefix)
      flush();
    prefix = head.str();
    nested.emplace_back(tail.str(), value(i));
  }
  flush();
  return top;
}

std::string quantitiesJson(const std::vector<Quantity> &qs,
                           const std::function<std::string(size_t)> &value,
                           llvm::StringRef strip = "") {
  return object(quantityMembers(qs, value, strip));
}

std::string totalsJson(const Report &r) {
  std::vector<Quantity> qs = totalQuantities(r);
  return quantitiesJson(qs, [&](size_t i) { return quantityNumber(qs[i]); });
}

std::string maxBatchJson(const Report &r) {
  std::vector<Quantity> qs = maxBatchQuantities(r);
  if (qs.empty())
    return "null";
  return quantitiesJson(qs, [&](size_t i) { return quantityNumber(qs[i]); }, "max_batch.");
}

std::string servingJson(const Report &r) {
  const cost::PhaseOptions &p = r.serving->phase;
  Members m = {{"phase", jsonString(cost::phaseName(p.phase))},
               {"seq", integer(p.seq())},
               {"past", integer(p.past())}};
  if (p.phase == cost::Phase::Request) {
    m.emplace_back("prompt", integer(p.prompt));
    m.emplace_back("generate", integer(p.generate));
    m.emplace_back("decode_steps", integer(r.serving->decodeSteps));
    m.emplace_back("method", jsonString(r.serving->method));
  }
  std::vector<Quantity> qs = servingQuantities(r);
  return object(
      quantityMembers(qs, [&](size_t i) { return quantityNumber(qs[i]); }, "serving.", m));
}

std::string layerJson(const LayerCost &l, bool calibrated) {
  std::string shape = "[";
  for (size_t i = 0; i < l.outputShape.size(); ++i)
    shape += (i ? ", " : "") + integer(l.outputShape[i]);
  shape += "]";
  Members m = {{"name", jsonString(l.name)},
                 {"op", jsonString(l.op)},
                 {"block", jsonString(l.block)},
                 {"output_shape", shape},
                 {"params", integer(l.params)},
                 {"buffers", integer(l.buffers)},
                 {"macs", integer(l.macs)},
                 {"flops", integer(l.flops)},
                 {"memory_bytes", integer(l.memoryBytes)},
                 {"activations", integer(l.activations)},
                 {"intensity", jsonNumber(l.intensity)},
                 {"attainable_flops", jsonNumber(l.attainable)},
                 {"bound", jsonString(detail::boundName(l))},
                 {"latency_s", jsonNumber(l.latency)}};
  if (l.activeParams != l.params) // a mixture of experts
    m.insert(m.begin() + 5, {"active_params", integer(l.activeParams)});
  if (l.kvHeld != 0) { // attention: its KV cache in elements
    m.emplace_back("kv_cache_held", integer(l.kvHeld));
    m.emplace_back("kv_cache_read", integer(l.kvRead));
    m.emplace_back("kv_cache_written", integer(l.kvWritten));
  }
  if (calibrated) // the calibrated estimate, after the lower bound
    m.emplace_back("calibrated_latency_s", jsonNumber(l.calibratedLatency));
  if (l.depth > 0) // a row of the --depth tree: its level
    m.emplace_back("depth", integer(l.depth));
  return object(m);
}

std::string layersJson(const std::vector<LayerCost> &rows, bool calibrated) {
  if (rows.empty())
    return "[]";
  std::string s = "[\n";
  for (size_t i = 0; i < rows.size(); ++i)
    s += "    " + layerJson(rows[i], calibrated) + (i + 1 < rows.size() ? ",\n" : "\n");
  return s + "  ]";
}

/// Top-level members, one per line.
void writeObject(llvm::raw_ostream &os, const Members &members) {
  os << "{\n";
  for (size_t i = 0; i < members.size(); ++i)
    os << "  " << jsonString(members[i].first) << ": " << members[i].second
       << (i + 1 < members.size() ? ",\n" : "\n");
  os << "}\n";
}

std::string ratioNumber(double a, double b) {
  if (a == 0)
    return "null";
  return jsonNumber(b / a);
}

/// Everything but the layers, as an object (for the comparison).
/// null for -O0; else the passes and the totals as written ("unoptimized").
std::string optimizationJson(const Report &r) {
  if (!r.unoptimized)
    return "null";
  std::string passes = "[";
  for (size_t i = 0; i < r.passes.size(); ++i)
    passes += (i ? ", " : "") + jsonString(r.passes[i]);
  passes += "]";
  std::vector<Quantity> qs = unoptimizedQuantities(r);
  return object({{"passes", passes},
                 {"unoptimized",
                  quantitiesJson(qs, [&](size_t i) { return quantityNumber(qs[i]); })}});
}

std::string summaryJson(const Report &r) {
  return object({{"network", jsonString(r.network)},
                 {"params", paramsJson(r)},
                 {"hardware", hardwareJson(r)},
                 {"conventions", conventionsJson(r)},
                 {"totals", totalsJson(r)},
                 {"max_batch", maxBatchJson(r)},
                 {"optimization", optimizationJson(r)}});
}

} // namespace

void writeJson(llvm::raw_ostream &os, const Report &r, const ReportStyle & /*style: the JSON lists every row*/) {
  Members m = {{"netc_report", "1"},
               {"network", jsonString(r.network)},
               {"params", paramsJson(r)},
               {"hardware", hardwareJson(r)},
               {"conventions", conventionsJson(r)},
               {"totals", totalsJson(r)},
               {"max_batch", maxBatchJson(r)},
               {"optimization", optimizationJson(r)},
               {"layers", layersJson(r.layers, r.hardware.hasCalibration)}};
  if (r.groupBy != cost::GroupBy::Layer) {
    m.emplace_back("group_by", jsonString(cost::groupByName(r.groupBy)));
    if (r.groupBy == cost::GroupBy::Tree)
      m.emplace_back("depth", integer(r.depth));
    m.emplace_back("groups", layersJson(r.groups, r.hardware.hasCalibration));
  }
  if (r.serving) // --phase, --generate
    m.emplace_back("serving", servingJson(r));
  if (r.measured) // netc measure
    m.emplace_back("measured", measuredJson(r));
  writeObject(os, m);
}

void writeJsonComparison(llvm::raw_ostream &os, const Report &a, const Report &b) {
  std::vector<Quantity> qa = totalQuantities(a, &b), qb = totalQuantities(b, &a);
  std::string ratio = quantitiesJson(
      qa, [&](size_t i) { return ratioNumber(qa[i].value, qb[i].value); });
  std::string maxBatch = "null";
  if (a.maxBatch && b.maxBatch) {
    std::vector<Quantity> ma = maxBatchQuantities(a), mb = maxBatchQuantities(b);
    maxBatch = quantitiesJson(
        ma, [&](size_t i) { return ratioNumber(ma[i].value, mb[i].value); }, "max_batch.");
  }
  // The ratio object mirrors "totals", plus "max_batch" (null unless both have one).
  ratio.pop_back();
  ratio += ", \"max_batch\": " + maxBatch + "}";
  writeObject(os, {{"netc_comparison", "1"},
                   {"a", summaryJson(a)},
                   {"b", summaryJson(b)},
                   {"ratio", ratio}});
}

} // namespace netc::report::detail
