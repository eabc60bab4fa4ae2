//===- Sweep.h - --report --sweep: a grid of network variants ---*- C++ -*-===//
//
// The variants are the cartesian product of the --sweep values
// (driver/SweepSpec.h), in odometer order. The program is loaded once (by the
// Compilation); each variant is elaborated with its values as -D overrides,
// optimized and costed (totals only: cost::buildTotals). Variants whose
// elaborated graphs are equal are costed once.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_DRIVER_SWEEP_H
#define NETC_DRIVER_SWEEP_H

#include "driver/SweepSpec.h"
#include "report/SweepWriter.h"

#include <llvm/Support/raw_ostream.h>

#include <cstdint>
#include <vector>

namespace netc::driver {
class Compilation;
}

namespace netc::sweep {

/// What --sweep adds to the pipeline's options.
struct SweepOptions {
  std::vector<SweepSpec> sweeps; ///< in command-line order; empty: no sweep
  bool pareto = false;           ///< --pareto: mark the latency/MACs front
  uint64_t maxVariants = 1'000'000; ///< --max-variants N
};

/// Runs the sweep on the program `c` has loaded (its pipeline options give
/// the network, -D overrides, hardware, cost conventions and passes) and
/// writes the rows to `os` in `format`. Returns the exit code: 0 when at
/// least one variant was costed, 1 when every variant failed or the sweep
/// does not fit the network (an unknown parameter, a fractional value for an
/// int parameter), 2 when there are more variants than maxVariants, 3 after
/// an internal error. Diagnostics go to stderr.
int runSweep(driver::Compilation &c, const SweepOptions &opts, report::ReportFormat format,
             llvm::raw_ostream &os);

} // namespace netc::sweep

#endif
