//===- SweepWorkers.h - a sweep's variants on every core --------*- C++ -*-===//
//
// Issue 22: a sweep runs its variants on every core. The variants are cut
// into equal chunks, one per core; each chunk but the first runs in a forked
// worker process (a copy of the parent after it parsed the program and
// resolved the hardware: nothing is shared, so nothing needs to be
// thread-safe), which sends its rows back through a pipe together with what
// it printed to stderr (print() notes, warnings). The parent runs the first
// chunk, then takes each worker's rows and stderr in order: the output is
// the same, byte for byte, as one process running every variant in order.
// NETC_SWEEP_WORKERS=N sets the number of processes (default: the cores;
// one for fewer than 64 variants per process).
//
//===----------------------------------------------------------------------===//
#ifndef NETC_DRIVER_SWEEPWORKERS_H
#define NETC_DRIVER_SWEEPWORKERS_H

#include "report/SweepWriter.h"

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace netc::sweep {

/// A forked worker: the variants [begin, end), its pipe's read end.
struct Worker {
  pid_t pid = -1;
  int fd = -1;
  uint64_t begin = 0, end = 0;
};

/// Appends `row` and the printed diagnostics of its failure to a worker's
/// answer.
void putRow(std::string &out, const report::SweepRow &row, const std::string &failure);

/// Forks the workers of [0, count) (all but the first chunk, which is the
/// caller's: [0, front().begin)). A worker runs `variant(k, out)` for each k
/// of its chunk (false: an internal error, the worker stops) and exits.
/// Empty when one process runs everything (one core, a small sweep, or a
/// fork that failed).
std::vector<Worker> startWorkers(uint64_t count,
                                 const std::function<bool(uint64_t, std::string &)> &variant);

/// Reads worker `w`'s rows (with each failure's diagnostics), prints what it
/// printed to stderr, and reaps it; "" or why it failed.
std::string finishWorker(Worker &w, std::vector<std::pair<report::SweepRow, std::string>> &rows);

} // namespace netc::sweep

#endif
