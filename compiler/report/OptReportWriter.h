//===- OptReportWriter.h - what the passes did (--opt-report) --*- C++ -*-===//
//
// Per pass: the layers, params, memory traffic and roofline latency before and
// after it; then every rewrite it applied with its own delta (layers, params,
// bytes, predicted time), and every candidate it left alone with the reason;
// then the totals as written and as optimized.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_REPORT_OPTREPORTWRITER_H
#define NETC_REPORT_OPTREPORTWRITER_H

#include "cost/Report.h"
#include "passes/Pass.h"

#include <llvm/Support/raw_ostream.h>

namespace netc::report {

void writeOptReport(llvm::raw_ostream &os, const cost::Report &optimized,
                    const std::vector<passes::PassStep> &steps,
                    const std::vector<passes::Rewrite> &rewrites);

} // namespace netc::report

#endif
