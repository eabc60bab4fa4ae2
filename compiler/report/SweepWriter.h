//===- SweepWriter.h - render a parameter sweep -----------------*- C++ -*-===//
//
// `netc --report --sweep ...` (driver/Sweep.h) costs one network at every
// point of a grid of parameter values; this renders the result: one row per
// variant with the swept values, then params, MACs, bytes moved, peak
// activation memory and roofline latency (the optimized graph's totals, the
// same numbers --report prints), optionally the Pareto mark, and the error
// of a variant that failed. Formats as --report: table, json, csv, md.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_REPORT_SWEEPWRITER_H
#define NETC_REPORT_SWEEPWRITER_H

#include "cost/Report.h"
#include "report/ReportWriter.h"

#include <llvm/Support/raw_ostream.h>

#include <string>
#include <utility>
#include <vector>

namespace netc::report {

/// One variant: its swept values (in --sweep order) and its totals, or the
/// error that stopped it.
struct SweepRow {
  std::vector<std::string> values; ///< as passed to the elaborator, one per swept parameter
  bool ok = false;
  cost::Totals totals; ///< when ok
  std::string error;   ///< when !ok: the first error's message
  bool pareto = false; ///< on the latency/MACs Pareto front (with --pareto)
};

struct SweepResult {
  std::string network;                  ///< the network's name
  std::vector<std::string> names;       ///< the swept parameters, in --sweep order
  std::vector<std::string> specs;       ///< each --sweep as given ("width=0.25:1.5:0.25")
  std::vector<std::pair<std::string, std::string>> overrides; ///< the -D overrides
  target::HardwareProfile hardware;
  cost::CostOptions options;
  bool optimized = true;   ///< false with -O0
  bool pareto = false;     ///< --pareto: rows carry the mark
  std::vector<SweepRow> rows; ///< odometer order: the last --sweep varies fastest
};

void writeSweep(llvm::raw_ostream &os, const SweepResult &s, ReportFormat f);

} // namespace netc::report

#endif
