//===- Measure.h - `netc measure`: time every layer on this machine -*- C++ -*-===//
//
// Runs each layer of a graph as its oneDNN primitive (PrimitiveSpec.h,
// Runner.h) and records the times in the graph's report, beside the
// roofline bound and the calibrated estimate. Layers with the same
// configuration (configKey) are timed once, in execution order of their
// first use; views and inputs take no time; a layer oneDNN cannot run is
// unmeasured, with the reason, and counts in no total.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_MEASURE_MEASURE_H
#define NETC_MEASURE_MEASURE_H

#include "cost/Report.h"
#include "ir/Graph.h"
#include "measure/Runner.h"

#include <llvm/Support/raw_ostream.h>

namespace netc::measure {

/// Times the layers of `g` (the graph `r` reports, one layer per node) and
/// sets r.measured. `progress` gets a progress bar when it is a terminal.
void measureGraph(const ir::Graph &g, cost::Report &r, const RunOptions &opts,
                  llvm::raw_ostream &progress);

/// The totals of a measurement from its layers and the report's (pure: the
/// unit tests' subject).
void sumMeasurement(const cost::Report &r, cost::Measurement &m);

} // namespace netc::measure

#endif
