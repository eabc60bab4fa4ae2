//===- WriterCommon.h - shared pieces of the report writers -----*- C++ -*-===//
//
// Internal to report/: what every format says (the header facts, the totals as
// a list of quantities, the row selection) is decided here once, so that the
// table, JSON, CSV and Markdown writers only differ in how they render it.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_REPORT_WRITERCOMMON_H
#define NETC_REPORT_WRITERCOMMON_H

#include <array>
#include "report/ReportWriter.h"
#include "support/OutputMarkers.h"

#include <string>
#include <vector>

namespace netc::report::detail {

/// "resnet18(width=1.0, res=224)", or just the name without parameters.
std::string networkTitle(const cost::Report &r);
/// "FLOP/s", or "OP/s" for int8.
llvm::StringRef peakUnit(ir::DType t);
/// "128 GiB" when the size is a whole number of MiB, else decimal "16.0 GB";
/// "unknown" for 0.
std::string deviceMemoryText(double bytes);
/// The hardware facts for the report's dtype: "peak 960 GFLOP/s (f32)",
/// "bandwidth 76.8 GB/s", "memory 128 GiB", "ridge I_max = 12.50 FLOP/B".
std::vector<std::string> hardwareFacts(const cost::Report &r);
/// "FLOPs 2mac", "memory ideal", "dtype f32", "batch 1".
std::vector<std::string> conventionFacts(const cost::Report &r);
/// " (weights int4, KV cache int8)" when --weight-dtype or --kv-dtype is
/// given, else "".
std::string storageText(const cost::CostOptions &o);
inline constexpr const char *kLatencyNote = "roofline lower bound";

/// "memory", "compute", or "none" for a row without work (a view, an input).
inline const char *boundName(const cost::LayerCost &l) {
  if (l.flops == 0 && l.memoryBytes == 0)
    return "none";
  return l.memoryBound ? "memory" : "compute";
}

/// The report's totals row (cost::Report::totalRow) named `name`.
inline cost::LayerCost totalRow(const cost::Report &r, llvm::StringRef name) {
  cost::LayerCost t = r.totalRow;
  t.name = name.str();
  return t;
}
/// Indices of the (at most) n rows with the highest latency, highest first;
/// ties keep execution order.
std::vector<size_t> topByLatency(const std::vector<cost::LayerCost> &rows, unsigned n);
/// Share of the total latency, in [0, 1]; 0 when the total is 0.
double latencyShare(double latency, const cost::Report &r);
/// The share as people read it, one decimal: "12.3%".
std::string shareText(double latency, const cost::Report &r);
/// The rows the top list ranks: the report's rows, or the layers under
/// --depth (a tree mixes levels, the slowest layers are what to look at).
const std::vector<cost::LayerCost> &rankedRows(const cost::Report &r);
/// What the ranked rows are, plural: "layers", "blocks", "ops".
llvm::StringRef rankedWhat(const cost::Report &r);

/// One line of the totals: an exact count, bytes, seconds, a rate or a share.
struct Quantity {
  enum Kind { Count, Bytes, Seconds, Rate, Share, TokenRate };
  std::string label; ///< for people: "peak activations"
  std::string key;   ///< for machines: "peak_activation_bytes"; "a.b" nests in JSON
  Kind kind;
  int64_t exact = 0; ///< Count and Bytes
  double value = 0;  ///< every kind (exact as a double for Count and Bytes)
  std::string note;  ///< a convention to state beside it in the table, or ""
};

/// The totals that optimization changes, for the report's graph as written
/// and as optimized (r.unoptimized must be set), in the same order.
std::vector<Quantity> unoptimizedQuantities(const cost::Report &r);
std::vector<Quantity> optimizedQuantities(const cost::Report &r);
/// Two lists of quantities in columns, with the ratio of the second to the first.
void writeSideBySide(llvm::raw_ostream &os, const std::vector<Quantity> &qa,
                     const std::vector<Quantity> &qb, const std::array<std::string, 4> &header);

/// The totals, in the order every format prints them.
/// With `other` (a comparison), the quantities shown only where they say
/// something (active params, the KV cache) appear when either report has
/// them, so that both lists pair up row by row.
std::vector<Quantity> totalQuantities(const cost::Report &r, const cost::Report *other = nullptr);
/// Max batch rows (batch, latency, QPS) when the report has them.
std::vector<Quantity> maxBatchQuantities(const cost::Report &r);
/// Serving rows (--phase, --generate) when the report has them: time to
/// first token, time per output token, tokens/s, the KV cache.
std::vector<Quantity> servingQuantities(const cost::Report &r);
/// The phase in words, for the header: "decode: 1 new token per sequence
/// with 4,096 in the KV cache (seq=1, past=4096)"; "" without a phase.
std::string phaseText(const cost::Report &r);
/// Exact value for people: "11,689,512", "14,155,936 B (14.2 MB)", "1.23 ms",
/// "810.4 samples/s", "72.3%".
std::string quantityText(const Quantity &q);
/// Exact value for machines: an integer, or a double that round-trips.
std::string quantityNumber(const Quantity &q);

void writeTable(llvm::raw_ostream &os, const cost::Report &r, const ReportStyle &style);
void writeJson(llvm::raw_ostream &os, const cost::Report &r, const ReportStyle &style);
void writeCsv(llvm::raw_ostream &os, const cost::Report &r, const ReportStyle &style);
void writeMarkdown(llvm::raw_ostream &os, const cost::Report &r, const ReportStyle &style);

/// `netc measure` (Report::measured; MeasuredWriter.cpp): each writer calls
/// these; they do nothing for a report without a measurement.
void writeTableMeasured(llvm::raw_ostream &os, const cost::Report &r, size_t limit);
std::string measuredJson(const cost::Report &r); ///< r.measured must be set
void appendMeasuredCsvHeader(const cost::Report &r, std::vector<std::string> &header);
/// `row` past the layers: the total row.
void appendMeasuredCsvFields(const cost::Report &r, size_t row, std::vector<std::string> &f);
void writeMarkdownMeasured(llvm::raw_ostream &os, const cost::Report &r);

void writeTableComparison(llvm::raw_ostream &os, const cost::Report &a, const cost::Report &b);
void writeJsonComparison(llvm::raw_ostream &os, const cost::Report &a, const cost::Report &b);
void writeCsvComparison(llvm::raw_ostream &os, const cost::Report &a, const cost::Report &b);
void writeMarkdownComparison(llvm::raw_ostream &os, const cost::Report &a,
                             const cost::Report &b);

} // namespace netc::report::detail

#endif
