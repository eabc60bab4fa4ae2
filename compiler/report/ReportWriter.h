//===- ReportWriter.h - render cost reports ---------------------*- C++ -*-===//
//
// table (default: aligned columns, thousands separators, units; on a
// terminal it fits ReportStyle::width, shortening long layer names so that
// each row's stays unique; elsewhere nothing is shortened), json
// (schema in README.md), csv (one row per layer, then a "(total)" row) and md
// (GitHub Markdown), html (one self-contained page: a roofline chart, the
// time per layer, the tables; HtmlWriter.h). Every format states the conventions (FLOPs, memory
// model, dtype, batch) and that latency is a roofline lower bound.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_REPORT_REPORTWRITER_H
#define NETC_REPORT_REPORTWRITER_H

#include "cost/Report.h"

#include <llvm/Support/raw_ostream.h>

#include <optional>

namespace netc::report {

enum class ReportFormat { Table, Json, Csv, Markdown, Html };
std::optional<ReportFormat> parseReportFormat(llvm::StringRef s); ///< table|json|csv|md|html
llvm::StringRef reportFormatName(ReportFormat f); ///< "table", ..., "html"

/// How a report is rendered. What its rows are (--group-by) is part of the
/// report itself (cost::groupRows): writers only render.
struct ReportStyle {
  unsigned top = 10; ///< the N rows (layers or groups) with the highest latency
  /// The table's width in columns: long names are shortened (each row's
  /// text stays unique), then the op and shape columns, to fit it. 0: no
  /// limit, nothing is shortened (--wide, a pipe or a file).
  size_t width = 0;
};

void writeReport(llvm::raw_ostream &os, const cost::Report &r, ReportFormat f,
                 const ReportStyle &style = {});

/// Two networks side by side (`--compare`): totals of each and the ratio b/a.
void writeComparison(llvm::raw_ostream &os, const cost::Report &a, const cost::Report &b,
                     ReportFormat f);

} // namespace netc::report

#endif
