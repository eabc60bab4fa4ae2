//===- Compilation.h - the pipeline, once -----------------------*- C++ -*-===//
//
// One Compilation runs netc's pipeline for every entry point (netc's modes,
// netc measure, --sweep, the benchmarks, the fuzz targets, the tests):
//
//   load -> elaborate -> verify -> optimize -> cost -> Report
//
// It loads the program once and resolves the hardware profile once; each
// stage is a method that reports its errors to the Compilation's DiagEngine
// and records how it failed (an input error, exit code 1, or an internal one,
// exit code 3: a graph that fails verification is a bug in netc). report()
// builds the complete Report: the optimized totals and the totals as written,
// the passes that ran, the rows grouped as --group-by asks, and the largest
// batch when asked, so that the writers only render.
//
// Diagnostics are collected; printDiagnostics() writes the ones not printed
// yet to the error stream. They are flushed before the passes run, so that
// elaboration warnings come before --print-after-all's dumps.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_DRIVER_COMPILATION_H
#define NETC_DRIVER_COMPILATION_H

#include "onnx/OnnxImport.h"
#include "codegen/CppEmitter.h"
#include "cost/Report.h"
#include "ir/Graph.h"
#include "measure/Runner.h"
#include "passes/Pass.h"
#include "sema/Elaborator.h"
#include "support/Diagnostics.h"
#include "syntax/ModuleLoader.h"
#include "target/HardwareProfile.h"

#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/raw_ostream.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace netc::driver {

/// What the pipeline's stages need, and nothing about output.
struct PipelineOptions {
  LoadOptions load;
  onnximport::ImportOptions onnx; ///< a FILE.onnx is imported (onnx/OnnxImport.h), then compiled
  ElabOptions elab;
  std::string hardware; ///< --hw NAME|FILE; empty: target::kDefaultHardware
  cost::CostOptions cost;
  cost::GroupBy groupBy = cost::GroupBy::Layer;
  unsigned depth = 0;    ///< the tree's depth when groupBy is Tree (--depth N)
  bool maxBatch = false; ///< --max-batch: the report gets Report::maxBatch
  /// --phase, --prompt, --context, --generate: the report gets Report::serving
  /// (the elaboration options carry the phase's network arguments).
  cost::PhaseOptions phase;
  bool optimize = true;  ///< false: -O0, the graph as written
  std::vector<std::string> passes; ///< empty: every pass
  bool verifyEach = false;
  bool printAfterAll = false; ///< dumps go to the error stream
  unsigned errorLimit = 20;
};

/// How a Compilation failed, as netc's exit code.
enum class Failure { None = 0, Input = 1, Internal = 3 };

/// What the passes did (--opt-report).
struct PassTrace {
  std::vector<passes::PassStep> steps;
  std::vector<passes::Rewrite> rewrites;
  /// Apply and cost every rewrite on its own, so each Rewrite carries its
  /// own before and after (the opt report's per-rewrite savings).
  bool measureEach = false;
};

class Compilation {
public:
  /// `err` receives diagnostics, internal errors and --print-after-all.
  explicit Compilation(PipelineOptions opts, llvm::raw_ostream &err = llvm::errs());
  ~Compilation();
  Compilation(const Compilation &) = delete;
  Compilation &operator=(const Compilation &) = delete;

  const PipelineOptions &options() const { return opts; }
  llvm::SourceMgr &sourceMgr() { return *sm; }
  DiagEngine &diag() { return *diags; }
  /// Writes the diagnostics not printed yet to the error stream.
  void printDiagnostics();
  Failure failure() const { return failed; }
  /// netc's exit code after a failed stage: 1 (input) or 3 (internal).
  int exitCode() const { return failed == Failure::None ? 1 : static_cast<int>(failed); }

  // ---- load ------------------------------------------------------------------
  /// Loads the file and its imports ("-": the program on standard input,
  /// named <stdin>; its relative imports resolve against the working
  /// directory). False after errors.
  bool load(llvm::StringRef path);
  /// The .net program of the ONNX model at `path` (netc import), or
  /// std::nullopt after reporting why not.
  std::optional<std::string> importOnnx(llvm::StringRef path);
  /// The same for in-memory text named `name` (tests, fuzzers, benchmarks).
  bool loadText(llvm::StringRef text, llvm::StringRef name);
  /// The loaded program (load() or loadText() succeeded).
  const Program &program() const { return *prog; }
  /// Loads another program into this session (--compare): same options,
  /// same diagnostics.
  std::optional<Program> loadOther(llvm::StringRef path);
  /// Whether there is a network to elaborate (a file of blocks has none).
  bool hasNetwork() const;

  // ---- hardware --------------------------------------------------------------
  /// Checks every hardware declaration of the program, used or not.
  bool checkHardwareDecls();
  /// The profile --hw names (or the default), resolved once: a file, a
  /// declaration of the program or its imports, or a built-in profile. Null
  /// after an error.
  const target::HardwareProfile *hardware();
  /// Uses `hw` instead of resolving --hw (fuzz targets, tests).
  void setHardware(target::HardwareProfile hw);

  // ---- elaborate, verify, optimize -------------------------------------------
  /// Elaborates the program's network (options().elab) and verifies it.
  std::optional<ir::Graph> elaborate() { return elaborate(program(), opts.elab, *diags); }
  /// Elaborates `program` with `elab`, reporting to `diag` (a --sweep
  /// variant has its own), and verifies the graph.
  std::optional<ir::Graph> elaborate(const Program &program, const ElabOptions &elab,
                                     DiagEngine &diag);
  /// Runs the selected passes on `g` unless -O0; `trace` collects what they
  /// did. False (and Failure::Internal) when a graph fails verification.
  bool optimize(ir::Graph &g, PassTrace *trace = nullptr);

  // ---- cost ------------------------------------------------------------------
  /// The complete report of the program's network (see the file comment).
  std::optional<cost::Report> report() { return report(program(), opts.elab); }
  /// The same for `program` elaborated with `elab` (--compare), on this
  /// Compilation's hardware.
  std::optional<cost::Report> report(const Program &program, const ElabOptions &elab);
  /// The report of an elaborated graph: costs it as written, optimizes it
  /// in place and costs it again (unless -O0). `trace` as for optimize().
  std::optional<cost::Report> report(ir::Graph &graph, PassTrace *trace = nullptr);
  /// The totals alone of the optimized `graph` (--sweep), reporting to `diag`.
  std::optional<cost::Totals> totals(ir::Graph &graph, DiagEngine &diag);

  // ---- measure -----------------------------------------------------------------
  /// `netc measure`: the report of the network (optimized unless -O0) with
  /// each layer run as its oneDNN primitive on this machine and timed
  /// (Report::measured; measure/Measure.h). A progress bar goes to the
  /// error stream when it is a terminal.
  std::optional<cost::Report> measure(const measure::RunOptions &run);

  // ---- code generation ---------------------------------------------------------
  /// --emit=cpp: elaborates, optimizes and costs the network, and emits its
  /// C++ program.
  std::optional<std::vector<codegen::EmittedFile>> emitCpp(const codegen::EmitOptions &emit);

private:
  bool fail(Failure f);
  /// Warns when the report's weights, activations and KV cache exceed the
  /// device memory (the profile's `memory`, when it has one).
  void warnIfTooLarge(const cost::Report &r);
  /// Sets r.serving for a report with a phase (driver/Serving.cpp): the
  /// phase's step is `r`; a request costs its decode steps too. False after
  /// errors (a step that fails to elaborate or cost).
  bool addServing(const Program &program, const ElabOptions &elab, cost::Report &r);
  /// One decode step of a request (seq 1 and `past`), optimized and costed.
  std::optional<cost::Report> decodeStep(const Program &program, const ElabOptions &elab,
                                         int64_t past, DiagEngine &diag);

  PipelineOptions opts;
  llvm::raw_ostream &err;
  std::unique_ptr<llvm::SourceMgr> sm;
  std::unique_ptr<DiagEngine> diags;
  size_t printed = 0; ///< diagnostics already written
  std::optional<Program> prog;
  std::optional<target::HardwareProfile> hw;
  bool hwResolved = false;
  Failure failed = Failure::None;
};

/// The names of the passes a report lists: `selected`, or every pass.
std::vector<std::string> passNames(const std::vector<std::string> &selected);

} // namespace netc::driver

#endif
