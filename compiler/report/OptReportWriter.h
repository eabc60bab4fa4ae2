//===- OptReportWriter.h - what the passes did (--opt-report) --*- C++ -*-===//
//
// Per pass: the layers, params, memory traffic and roofline latency before and
// after it; then every rewrite it applied with its own delta (layers, params,
// bytes, predicted time), and every candidate it left alone with the reason;
// then the totals as written and as optimized.
//
// The same facts as JSON (--opt-report --format json; schema in README.md):
//   {"netc_opt_report": 1, "network", "hardware", "conventions",
//    "passes": [{"pass", "before": SNAP, "after": SNAP}],
//    "rewrites": [{"pass", "node", "applied", "message", "before"?, "after"?}],
//    "totals": {"as_written": {...}, "optimized": {...}} | null}
// where SNAP is {"nodes", "params", "bytes", "latency_s"}; a rewrite has
// before/after only when it was measured on its own.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_REPORT_OPTREPORTWRITER_H
#define NETC_REPORT_OPTREPORTWRITER_H

#include "cost/Report.h"
#include "passes/Pass.h"
#include "report/ReportWriter.h"

#include <llvm/Support/raw_ostream.h>

namespace netc::report {

/// `format` is Table, Json or Html (the options parser refuses csv and md);
/// the HTML page is the report's with a section on what each pass did.
void writeOptReport(llvm::raw_ostream &os, const cost::Report &optimized,
                    const std::vector<passes::PassStep> &steps,
                    const std::vector<passes::Rewrite> &rewrites,
                    ReportFormat format = ReportFormat::Table);

} // namespace netc::report

#endif
