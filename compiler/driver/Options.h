//===- Options.h - netc's command line --------------------------*- C++ -*-===//
//
// A small table-driven parser: every option is declared once in Options.cpp
// with its help text, and --help is generated from that table. Usage errors
// return exit code 2 with a short usage text.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_DRIVER_OPTIONS_H
#define NETC_DRIVER_OPTIONS_H

#include "codegen/CppEmitter.h"
#include "driver/Compilation.h"
#include "driver/Sweep.h"
#include "measure/Runner.h"
#include "onnx/OnnxWriter.h"
#include "report/ReportWriter.h"
#include "sema/Elaborator.h"

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
  EmitDot, ///< the graph for Graphviz: optimized, or as written with -O0
  EmitOnnx, ///< the same graph as an ONNX model (-o FILE)
  EmitCpp, ///< a directory of C++ kernels and a self-checking model (-o DIR)
  Report,
  OptReport,
  ListOps,
  ListHardware,
  Measure, ///< `netc measure FILE.net`: the report with each layer timed (measure/)
  Import,  ///< `netc import FILE.onnx`: the model as a .net program
};

struct Options {
  Action action = Action::Check;
  std::string input;
  std::string output; ///< empty: standard output; a directory for --emit=cpp
  bool force = false; ///< --force: write into an existing path netc did not create
  /// Everything the pipeline's stages read (driver::Compilation).
  driver::PipelineOptions pipeline;
  // --report
  report::ReportFormat format = report::ReportFormat::Table;
  report::ReportStyle style;
  bool wide = false; ///< --wide: the table never shortens (style.width is set by main)
  std::string compare; ///< --compare FILE
  ElabOptions compareElab;
  sweep::SweepOptions sweep; ///< --report --sweep (driver/Sweep.h)
  codegen::EmitOptions emit; ///< --emit=cpp
  bool dotColorBound = false; ///< --emit=dot --dot-color bound
  onnxgen::OnnxOptions onnx;  ///< --emit=onnx: --weights
  measure::RunOptions measure; ///< netc measure: --threads, --repeats
};

/// Parses argv. Returns an exit code to stop with (0 after --help or
/// --version, 2 after a usage error), or nothing to go on.
std::optional<int> parseOptions(int argc, const char *const *argv, Options &opts,
                                llvm::raw_ostream &out, llvm::raw_ostream &err);

} // namespace netc

#endif
