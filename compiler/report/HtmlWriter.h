//===- HtmlWriter.h - the report, comparison and sweep as HTML --*- C++ -*-===//
//
// Internal to report/ (ReportWriter.h, OptReportWriter.h and SweepWriter.h
// choose it with --format html): self-contained pages, see HtmlPage.h.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_REPORT_HTMLWRITER_H
#define NETC_REPORT_HTMLWRITER_H

#include "report/SweepWriter.h"
#include "report/WriterCommon.h"

#include <llvm/ADT/STLFunctionalExtras.h>

namespace netc::report::detail {

/// The report's page; `extra` (the optimization report's passes) writes
/// its sections after the optimization summary.
void writeHtml(llvm::raw_ostream &os, const cost::Report &r, const ReportStyle &style,
               llvm::function_ref<void(llvm::raw_ostream &)> extra = nullptr);
void writeHtmlComparison(llvm::raw_ostream &os, const cost::Report &a, const cost::Report &b);
void writeSweepHtml(llvm::raw_ostream &os, const SweepResult &s);

// The sweep's header, shared by its formats (SweepWriter.cpp).
cost::Report headerReport(const SweepResult &s); ///< only what the header helpers read
std::string conventionsText(const SweepResult &s);
std::string sweepText(const SweepResult &s);     ///< "width=0.5:1:0.25 (3 variants)"
std::string overridesText(const SweepResult &s); ///< "-D a=1 -D b=2"

} // namespace netc::report::detail

#endif
