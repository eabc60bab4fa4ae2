//===- CsvWriter.cpp - the spreadsheet report -------------------------------===//
//
// RFC 4180 fields (quoted only when needed), a header row, one row per layer
// or group (under --depth, per row of the tree: its path, and its level in a
// last "depth" column), then a "(total)" row. latency_share is the row's
// fraction of the total latency. There are no comment lines: the
// conventions are columns repeated on every row, so that each row stands on
// its own after filtering or concatenation. Lines end in "\n".
//
//===----------------------------------------------------------------------===//
#include "support/Format.h"
#include "report/WriterCommon.h"

#include <fmt/format.h>

#include <algorithm>

namespace netc::report::detail {

using cost::LayerCost;
using cost::Report;

namespace {

void writeRow(llvm::raw_ostream &os, const std::vector<std::string> &fields) {
  for (size_t i = 0; i < fields.size(); ++i)
    os << (i ? "," : "") << csvField(fields[i]);
  os << '\n';
}

/// A real for a spreadsheet: round-trip precision, empty when not finite.
std::string real(double v) {
  std::string s = jsonNumber(v);
  return s == "null" ? "" : s;
}

std::string integer(int64_t v) { return fmt::format("{}", v); }

std::string number(const Quantity &q) {
  std::string s = quantityNumber(q);
  return s == "null" ? "" : s;
}

std::vector<std::string> conventionFields(const Report &r) {
  return {cost::flopConventionName(r.options.flops).str(),
          cost::memoryModelName(r.options.memory).str(), ir::dtypeName(r.options.dtype).str(),
          integer(r.options.batch), kLatencyNote};
}

std::vector<std::string> rowFields(const LayerCost &l, const Report &r) {
  std::vector<std::string> f = {l.name,
                                l.op,
                                l.block,
                                l.outputShape.empty() ? "" : ir::formatShape(l.outputShape),
                                integer(l.params),
                                integer(l.buffers),
                                integer(l.macs),
                                integer(l.flops),
                                integer(l.memoryBytes),
                                integer(l.activations),
                                real(l.intensity),
                                real(l.attainable),
                                detail::boundName(l),
                                real(l.latency),
                                real(latencyShare(l.latency, r))};
  std::vector<std::string> conv = conventionFields(r);
  f.insert(f.end(), conv.begin(), conv.end());
  if (r.hardware.hasCalibration) // the calibrated estimate, after the conventions
    f.push_back(real(l.calibratedLatency));
  if (r.groupBy == cost::GroupBy::Tree) // the level in the tree, last (0 for the total)
    f.push_back(integer(l.depth));
  return f;
}

} // namespace

void writeCsv(llvm::raw_ostream &os, const Report &r, const ReportStyle & /*style: the CSV lists every row*/) {
  std::vector<std::string> header = {
      "name",        "op",           "block",         "output_shape", "params",
      "buffers",     "macs",         "flops",         "memory_bytes", "activations",
      "intensity",   "attainable_flops", "bound",     "latency_s",    "latency_share",
      "flops_convention", "memory_model", "dtype",    "batch",        "latency_model"};
  if (r.hardware.hasCalibration)
    header.push_back("calibrated_latency_s");
  if (r.groupBy == cost::GroupBy::Tree)
    header.push_back("depth");
  appendMeasuredCsvHeader(r, header);
  writeRow(os, header);
  for (size_t i = 0; i < r.rows().size(); ++i) {
    std::vector<std::string> f = rowFields(r.rows()[i], r);
    appendMeasuredCsvFields(r, i, f);
    writeRow(os, f);
  }
  std::vector<std::string> total = rowFields(totalRow(r, "(total)"), r);
  appendMeasuredCsvFields(r, r.rows().size(), total);
  writeRow(os, total);
}

void writeCsvComparison(llvm::raw_ostream &os, const Report &a, const Report &b) {
  writeRow(os, {"quantity", "a", "b", "ratio_b_over_a"});
  // What was compared and under which conventions, then the numbers.
  writeRow(os, {"network", networkTitle(a), networkTitle(b), ""});
  writeRow(os, {"hardware", a.hardware.name, b.hardware.name, ""});
  const char *names[] = {"flops_convention", "memory_model", "dtype", "batch", "latency_model"};
  std::vector<std::string> ca = conventionFields(a), cb = conventionFields(b);
  for (size_t i = 0; i < ca.size(); ++i)
    writeRow(os, {names[i], ca[i], cb[i], ""});
  std::vector<Quantity> qa = totalQuantities(a, &b), qb = totalQuantities(b, &a);
  if (a.maxBatch && b.maxBatch) {
    std::vector<Quantity> ma = maxBatchQuantities(a), mb = maxBatchQuantities(b);
    qa.insert(qa.end(), ma.begin(), ma.end());
    qb.insert(qb.end(), mb.begin(), mb.end());
  }
  for (size_t i = 0; i < qa.size(); ++i) {
    std::string key = qa[i].key;
    std::replace(key.begin(), key.end(), '.', '_');
    std::string ratio = qa[i].value != 0 ? real(qb[i].value / qa[i].value) : "";
    writeRow(os, {key, number(qa[i]), number(qb[i]), ratio});
  }
}

} // namespace netc::report::detail
