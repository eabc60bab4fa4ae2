//===- ReportWriter.h - render cost reports ---------------------*- C++ -*-===//
//
// table (default: aligned columns, thousands separators, units, fits a
// 100-column terminal; long layer names are shortened from the left), json
// (schema in README.md), csv (one row per layer, then a "(total)" row) and md
// (GitHub Markdown). Every format states the conventions (FLOPs, memory
// model, dtype, batch) and that latency is a roofline lower bound.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_REPORT_REPORTWRITER_H
#define NETC_REPORT_REPORTWRITER_H

#include "cost/Report.h"

#include <llvm/Support/raw_ostream.h>

#include <optional>

namespace netc::report {

enum class ReportFormat { Table, Json, Csv, Markdown };
std::optional<ReportFormat> parseReportFormat(llvm::StringRef s); ///< table|json|csv|md

/// How a report is rendered. What its rows are (--group-by) is part of the
/// report itself (cost::groupRows): writers only render.
struct ReportStyle {
  unsigned top = 10; ///< the N rows (layers or groups) with the highest latency
};

void writeReport(llvm::raw_ostream &os, const cost::Report &r, ReportFormat f,
                 const ReportStyle &style = {});

/// Two networks side by side (`--compare`): totals of each and the ratio b/a.
void writeComparison(llvm::raw_ostream &os, const cost::Report &a, const cost::Report &b,
                     ReportFormat f);

} // namespace netc::report

#endif
