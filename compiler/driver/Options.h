//===- Options.h - netc's command line --------------------------*- C++ -*-===//
//
// A small table-driven parser: every option is declared once in Options.cpp
// with its help text, and --help is generated from that table. Usage errors
// return exit code 2 with a short usage text.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_DRIVER_OPTIONS_H
#define NETC_DRIVER_OPTIONS_H

#include "cost/Report.h"
#include "codegen/CppEmitter.h"
#include "report/ReportWriter.h"
#include "sema/Elaborator.h"
#include "syntax/ModuleLoader.h"
#include "driver/Sweep.h"

#include <llvm/Support/raw_ostream.h>

#include <optional>
#include <string>
#include <vector>

namespace netc {

/// What netc produces, in pipeline order (as MLIR Toy's -emit= actions).
/// Check parses and elaborates (when the file has a network) and prints nothing.
enum class Action {
  Check,
  EmitAST,
  EmitGraph,
  EmitOptGraph,
  EmitCpp, ///< a directory of C++ kernels and a self-checking model (-o DIR)
  Report,
  OptReport,
  ListOps,
  ListHardware
};

struct Options {
  Action action = Action::Check;
  std::string input;
  std::string output; ///< empty: standard output; a directory for --emit=cpp
  bool force = false; ///< --force: write into an existing path netc did not create
  LoadOptions load;
  ElabOptions elab;
  // --report
  std::string hardware; ///< --hw NAME|FILE; empty: the default profile
  cost::CostOptions cost;
  report::ReportFormat format = report::ReportFormat::Table;
  report::ReportStyle style;
  bool maxBatch = false;
  codegen::EmitOptions emit; ///< --emit=cpp
  std::string compare; ///< --compare FILE
  ElabOptions compareElab;
  // --report --sweep (driver/Sweep.h)
  std::vector<sweep::SweepSpec> sweeps; ///< in command-line order
  bool pareto = false;                  ///< --pareto: mark the latency/MACs front
  uint64_t maxVariants = 1'000'000;     ///< --max-variants N
  // optimization (--report, --opt-report and --emit=opt-graph optimize)
  bool optimize = true;
  std::vector<std::string> passes; ///< empty: every pass
  bool verifyEach = false;
  bool printAfterAll = false;
  unsigned errorLimit = 20;
};

/// Parses argv. Returns an exit code to stop with (0 after --help or
/// --version, 2 after a usage error), or nothing to go on.
std::optional<int> parseOptions(int argc, const char *const *argv, Options &opts,
                                llvm::raw_ostream &out, llvm::raw_ostream &err);

} // namespace netc

#endif
