#include "report/ReportWriter.h"

#include "cost/CostModel.h"

#include "support/Format.h"
#include "report/HtmlWriter.h"
#include "report/WriterCommon.h"

#include <llvm/ADT/StringMap.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace netc::report {

using cost::LayerCost;
using cost::Report;

std::optional<ReportFormat> parseReportFormat(llvm::StringRef s) {
  if (s == "table")
    return ReportFormat::Table;
  if (s == "json")
    return ReportFormat::Json;
  if (s == "csv")
    return ReportFormat::Csv;
  if (s == "md")
    return ReportFormat::Markdown;
  if (s == "html")
    return ReportFormat::Html;
  return std::nullopt;
}

llvm::StringRef reportFormatName(ReportFormat f) {
  switch (f) {
  case ReportFormat::Table: return "table";
  case ReportFormat::Json: return "json";
  case ReportFormat::Csv: return "csv";
  case ReportFormat::Markdown: return "md";
  case ReportFormat::Html: return "html";
  }
  return "table";
}

void writeReport(llvm::raw_ostream &os, const Report &r, ReportFormat f,
                 const ReportStyle &style) {
  switch (f) {
  case ReportFormat::Table: return detail::writeTable(os, r, style);
  case ReportFormat::Json: return detail::writeJson(os, r, style);
  case ReportFormat::Csv: return detail::writeCsv(os, r, style);
  case ReportFormat::Markdown: return detail::writeMarkdown(os, r, style);
  case ReportFormat::Html: return detail::writeHtml(os, r, style);
  }
}

void writeComparison(llvm::raw_ostream &os, const Report &a, const Report &b, ReportFormat f) {
  switch (f) {
  case ReportFormat::Table: return detail::writeTableComparison(os, a, b);
  case ReportFormat::Json: return detail::writeJsonComparison(os, a, b);
  case ReportFormat::Csv: return detail::writeCsvComparison(os, a, b);
  case ReportFormat::Markdown: return detail::writeMarkdownComparison(os, a, b);
  case ReportFormat::Html: return detail::writeHtmlComparison(os, a, b);
  }
}

namespace detail {

std::string networkTitle(const Report &r) {
  if (r.params.empty())
    return r.network;
  std::string s = r.network + "(";
  for (size_t i = 0; i < r.params.size(); ++i)
    s += (i ? ", " : "") + r.params[i].first + "=" + r.params[i].second;
  return s + ")";
}

llvm::StringRef peakUnit(ir::DType t) { return t == ir::DType::I8 ? "OP/s" : "FLOP/s"; }

std::string deviceMemoryText(double bytes) {
  if (!(bytes > 0))
    return "unknown";
  double mib = bytes / (1024.0 * 1024.0);
  if (mib == std::floor(mib))
    return binaryBytes(bytes);
  return siBytes(bytes);
}

std::vector<std::string> hardwareFacts(const Report &r) {
  ir::DType t = r.options.dtype;
  double peak = r.hardware.peakFor(t);
  std::string dtype = ir::dtypeName(t).str();
  std::vector<std::string> facts;
  facts.push_back(peak > 0 ? "peak " + siRate(peak, peakUnit(t)) + " (" + dtype + ")"
                           : "peak unknown for " + dtype);
  facts.push_back("bandwidth " + siRate(r.hardware.bandwidth, "B/s"));
  facts.push_back("memory " + deviceMemoryText(r.hardware.memory));
  if (peak > 0 && r.hardware.bandwidth > 0)
    facts.push_back(fmt::format("ridge I_max = {:.2f} FLOP/B", r.hardware.ridge(t)));
  else
    facts.push_back("ridge unknown");
  if (r.hardware.hasCalibration) { // what the calibrated estimate uses
    std::string eff = "calibrated efficiency";
    for (int c = 0; c < target::kNumOpClasses; ++c) {
      auto cls = static_cast<target::OpClass>(c);
      eff += fmt::format("{} {} {:.2f}", c ? "," : "", target::opClassName(cls),
                         r.hardware.efficiencyFor(cls));
    }
    facts.push_back(eff);
    facts.push_back("layer overhead " + humanTime(r.hardware.layerOverhead));
    if (!r.hardware.kernels.empty())
      facts.push_back(fmt::format("{} measured kernels", r.hardware.kernels.size()));
  }
  return facts;
}

std::string storageText(const cost::CostOptions &o) {
  std::string s;
  if (o.weightStorage)
    s += fmt::format(" (weights {}", o.weightStorage->name);
  if (o.kvStorage)
    s += fmt::format("{}KV cache {}", s.empty() ? " (" : ", ", o.kvStorage->name);
  return s.empty() ? s : s + ")";
}

std::vector<std::string> conventionFacts(const Report &r) {
  return {"FLOPs " + cost::flopConventionName(r.options.flops).str(),
          "memory " + cost::memoryModelName(r.options.memory).str(),
          "dtype " + ir::dtypeName(r.options.dtype).str() + storageText(r.options),
          "batch " + withThousands(r.options.batch)};
}


std::vector<Quantity> servingQuantities(const Report &r) {
  if (!r.serving)
    return {};
  const cost::Serving &s = *r.serving;
  const bool estimate = r.hardware.hasCalibration;
  std::vector<Quantity> qs;
  auto time = [&](const char *label, const std::string &key, cost::Serving::Time t,
                  const std::string &note) {
    qs.push_back(Quantity{label, "serving." + key + "_s", Quantity::Seconds, 0, t.roofline,
                          note.empty() ? kLatencyNote : note});
    if (estimate)
      qs.push_back(Quantity{std::string(label) + " (estimate)", "serving." + key + "_estimate_s",
                            Quantity::Seconds, 0, t.estimate, "calibrated estimate"});
  };
  auto tokens = [&](const char *label, const std::string &note) {
    qs.push_back(Quantity{label, "serving.tokens_per_s", Quantity::TokenRate, 0,
                          s.tokensPerSecond.roofline, note});
    if (estimate)
      qs.push_back(Quantity{std::string(label) + " (estimate)", "serving.tokens_per_s_estimate",
                            Quantity::TokenRate, 0, s.tokensPerSecond.estimate,
                            "calibrated estimate"});
  };
  const std::string batch = r.options.batch > 1 ? fmt::format(" x batch {}", r.options.batch) : "";
  switch (s.phase.phase) {
  case cost::Phase::None: return {};
  case cost::Phase::Prefill:
    time("time to first token", "time_to_first_token", s.prefill, "");
    tokens("prompt tokens/s", fmt::format("{} prompt tokens{} per prefill", s.phase.prompt, batch));
    break;
  case cost::Phase::Decode:
    time("time per output token", "time_per_output_token", s.decodeStep, "");
    tokens("output tokens/s", r.options.batch > 1 ? fmt::format("{} sequences", r.options.batch)
                                                  : "one sequence");
    if (r.maxBatch) // each sequence of the batch gives one token per step
      qs.push_back(Quantity{"output tokens/s at max batch", "serving.tokens_per_s_at_max_batch",
                            Quantity::TokenRate, 0, r.maxBatch->qps,
                            fmt::format("{} sequences", withThousands(r.maxBatch->batch))});
    break;
  case cost::Phase::Request:
    time("time to first token", "time_to_first_token", s.prefill,
         fmt::format("prefill of {} tokens", s.phase.prompt));
    time("time per output token", "time_per_output_token", s.decodeStep,
         s.decodeSteps > 0 ? fmt::format("mean of {} decode step{}", s.decodeSteps,
                                         s.decodeSteps == 1 ? "" : "s")
                           : "no decode step: the prefill gives the only token");
    time("first decode step", "first_decode_step", s.firstStep,
         fmt::format("past = {}", s.phase.prompt));
    time("last decode step", "last_decode_step", s.lastStep,
         fmt::format("past = {}", s.phase.prompt + std::max<int64_t>(s.decodeSteps - 1, 0)));
    time("request", "request", s.total, "prefill + decode steps");
    tokens("output tokens/s", fmt::format("{} output tokens{} per request", s.phase.generate, batch));
    break;
  }
  // A request ends with more tokens cached than its prefill (the totals').
  if (s.phase.phase == cost::Phase::Request)
    qs.push_back(Quantity{"KV cache at the end", "serving.kv_cache_bytes", Quantity::Bytes,
                          s.kvCacheBytes, static_cast<double>(s.kvCacheBytes),
                          "after the last step, in " +
                              (r.options.kvStorage ? std::string(r.options.kvStorage->name)
                                                   : ir::dtypeName(r.options.dtype).str())});
  return qs;
}

std::string phaseText(const Report &r) {
  if (!r.serving)
    return "";
  const cost::PhaseOptions &p = r.serving->phase;
  switch (p.phase) {
  case cost::Phase::None: return "";
  case cost::Phase::Prefill:
    return fmt::format("prefill: a prompt of {} tokens per sequence, the KV cache empty "
                       "(seq={}, past=0)",
                       withThousands(p.prompt), p.prompt);
  case cost::Phase::Decode:
    return fmt::format("decode: 1 new token per sequence with {} in the KV cache (seq=1, "
                       "past={})",
                       withThousands(p.context), p.context);
  case cost::Phase::Request:
    return fmt::format("request: a prompt of {} tokens, then {} generated; the table shows the "
                       "prefill{}",
                       withThousands(p.prompt), withThousands(p.generate),
                       r.serving->method.empty() ? ""
                                                 : "; decode steps summed " + r.serving->method);
  }
  return "";
}

std::vector<size_t> topByLatency(const std::vector<LayerCost> &rows, unsigned n) {
  std::vector<size_t> order(rows.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t x, size_t y) { return rows[x].latency > rows[y].latency; });
  if (order.size() > n)
    order.resize(n);
  return order;
}

double latencyShare(double latency, const Report &r) {
  return r.totals.latency > 0 ? latency / r.totals.latency : 0;
}

std::string shareText(double latency, const Report &r) {
  return fmt::format("{:.1f}%", 100 * latencyShare(latency, r));
}

const std::vector<LayerCost> &rankedRows(const Report &r) {
  return r.groupBy == cost::GroupBy::Tree ? r.layers : r.rows();
}

llvm::StringRef rankedWhat(const Report &r) {
  switch (r.groupBy) {
  case cost::GroupBy::Block: return "blocks";
  case cost::GroupBy::Op: return "ops";
  default: return "layers";
  }
}

std::vector<Quantity> totalQuantities(const Report &r, const Report *other) {
  const cost::Totals &t = r.totals;
  std::string dtype = ir::dtypeName(r.options.dtype).str();
  auto count = [](std::string label, std::string key, int64_t v, std::string note = "") {
    return Quantity{std::move(label), std::move(key), Quantity::Count, v,
                    static_cast<double>(v), std::move(note)};
  };
  auto bytes = [](std::string label, std::string key, int64_t v, std::string note = "") {
    return Quantity{std::move(label), std::move(key), Quantity::Bytes, v,
                    static_cast<double>(v), std::move(note)};
  };
  auto real = [](std::string label, std::string key, Quantity::Kind k, double v,
                 std::string note = "") {
    return Quantity{std::move(label), std::move(key), k, 0, v, std::move(note)};
  };
  std::vector<Quantity> qs = {
      count("params", "params", t.params, "learnable"),
      count("buffers", "buffers", t.buffers, "non-learnable state"),
      count("MACs", "macs", t.macs),
      count("FLOPs", "flops", t.flops, cost::flopConventionName(r.options.flops).str()),
      bytes("memory access", "memory_bytes", t.memoryBytes,
            cost::memoryModelName(r.options.memory).str() + " memory model"),
      count("activations", "activations", t.activations, "output elements"),
      bytes("weight bytes", "weight_bytes", t.weightBytes,
            "params + buffers in " +
                (r.options.weightStorage ? std::string(r.options.weightStorage->name) : dtype)),
      bytes("peak activations", "peak_activation_bytes", t.peakActivationBytes),
      bytes("model size fp32", "model_bytes.fp32", t.modelBytesFp32),
      bytes("model size fp16", "model_bytes.fp16", t.modelBytesFp16),
      bytes("model size int8", "model_bytes.int8", t.modelBytesInt8),
      real("latency", "latency_s", Quantity::Seconds, t.latency, kLatencyNote),
      real("throughput", "throughput", Quantity::Rate, t.throughput,
           "at batch " + withThousands(r.options.batch)),
      real("memory-bound time", "memory_bound_share", Quantity::Share, t.memoryBoundShare,
           "of latency, in memory-bound layers"),
  };
  // A mixture of experts: the params one token uses, after params.
  auto moe = [](const Report &x) { return x.totals.activeParams != x.totals.params; };
  auto kv = [](const Report &x) { return x.totals.kvHeld != 0; };
  if (moe(r) || (other && moe(*other)))
    qs.insert(qs.begin() + 1, count("active params", "active_params", t.activeParams,
                                    "per token: routers and top_k experts"));
  // Attention layers: their KV cache, after the memory access.
  if (kv(r) || (other && kv(*other))) {
    auto at = std::find_if(qs.begin(), qs.end(),
                           [](const Quantity &q) { return q.key == "memory_bytes"; });
    const cost::Storage kvs = r.options.kvCache();
    auto kvBytes = [&](int64_t elems) { return cost::storageBytes(elems, kvs.bits).value_or(0); };
    qs.insert(at + 1, {bytes("KV cache held", "kv_cache.held_bytes", kvBytes(t.kvHeld),
                             "keys and values after the step, in " +
                                 (r.options.kvStorage ? std::string(kvs.name) : dtype)),
                       bytes("KV cache read", "kv_cache.read_bytes", kvBytes(t.kvRead),
                             "the cached tokens' keys and values"),
                       bytes("KV cache written", "kv_cache.written_bytes", kvBytes(t.kvWritten),
                             "the new tokens' keys and values")});
  }
  // A calibrated profile adds the estimate right after the lower bound.
  if (r.hardware.hasCalibration) {
    auto at = std::find_if(qs.begin(), qs.end(),
                           [](const Quantity &q) { return q.key == "latency_s"; });
    qs.insert(at + 1, real("latency estimate", "calibrated_latency_s", Quantity::Seconds,
                           t.calibratedLatency,
                           r.hardware.kernels.empty()
                               ? "estimate (calibrated): roofline / efficiency + overhead"
                               : "estimate (calibrated): nearest measured kernels + overhead"));
  }
  return qs;
}

namespace {
std::vector<Quantity> optimizationSubset(const Report &r, const cost::Totals &t, int64_t layers) {
  Report view = r;
  view.totals = t;
  std::vector<Quantity> all = totalQuantities(view);
  std::vector<Quantity> out{Quantity{"layers", "layers", Quantity::Count, layers,
                                     static_cast<double>(layers), ""}};
  for (const Quantity &q : all)
    if (q.key == "params" || q.key == "buffers" || q.key == "flops" ||
        q.key == "memory_bytes" || q.key == "activations" || q.key == "peak_activation_bytes" ||
        q.key == "latency_s" || q.key == "calibrated_latency_s")
      out.push_back(q);
  return out;
}
} // namespace

std::vector<Quantity> unoptimizedQuantities(const Report &r) {
  return optimizationSubset(r, *r.unoptimized, r.unoptimized->nodes);
}

std::vector<Quantity> optimizedQuantities(const Report &r) {
  return optimizationSubset(r, r.totals, static_cast<int64_t>(r.layers.size()));
}

std::vector<Quantity> maxBatchQuantities(const Report &r) {
  if (!r.maxBatch)
    return {};
  const cost::MaxBatch &m = *r.maxBatch;
  std::string mem = deviceMemoryText(r.hardware.memory);
  std::string fits = m.batch > 0 ? "largest batch fitting in " + mem
                                 : "not even one sample fits in " + mem;
  return {
      Quantity{"max batch", "max_batch.batch", Quantity::Count, m.batch,
               static_cast<double>(m.batch), fits},
      Quantity{"latency at max batch", "max_batch.latency_s", Quantity::Seconds, 0, m.latency,
               kLatencyNote},
      Quantity{"QPS at max batch", "max_batch.qps", Quantity::Rate, 0, m.qps, ""},
  };
}

std::string quantityText(const Quantity &q) {
  switch (q.kind) {
  case Quantity::Count: return withThousands(q.exact);
  case Quantity::Bytes:
    return withThousands(q.exact) + " B" + (q.exact >= 1000 ? " (" + siBytes(q.value) + ")" : "");
  case Quantity::Seconds: return humanTime(q.value);
  case Quantity::Rate: return withThousands(q.value, 1) + " samples/s";
  case Quantity::TokenRate: return withThousands(q.value, 1) + " tokens/s";
  case Quantity::Share: return fmt::format("{:.1f}%", q.value * 100);
  }
  return "";
}

std::string quantityNumber(const Quantity &q) {
  if (q.kind == Quantity::Count || q.kind == Quantity::Bytes)
    return fmt::format("{}", q.exact);
  return jsonNumber(q.value);
}

} // namespace detail
} // namespace netc::report
