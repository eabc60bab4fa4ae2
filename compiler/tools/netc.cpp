//===- netc.cpp - the netc command ------------------------------------------===//
//
// Thin: options -> driver::Compilation -> writers. Exit codes: 0 success, 1 errors in the
// input, a failed write or running out of memory, 2 usage errors.
//
//===----------------------------------------------------------------------===//
#include "calibrate/Calibrate.h"
#include "tools/Fmt.h"
#include "lsp/Server.h"
#include "driver/Backends.h"
#include "codegen/CppEmitter.h"
#include "driver/Compilation.h"
#include "driver/Options.h"
#include "driver/Sweep.h"
#include "ir/DotPrinter.h"
#include "ir/GraphPrinter.h"
#include "ir/OpTable.h"
#include "onnx/OnnxWriter.h"
#include "report/OptReportWriter.h"
#include "report/ReportWriter.h"
#include "sema/Hardware.h"
#include "support/FileOutput.h"
#include "support/OutputMarkers.h"
#include "support/Terminal.h"
#include "syntax/ASTPrinter.h"

#include <llvm/Support/ErrorHandling.h>
#include <llvm/Support/raw_ostream.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <new>

#include <unistd.h>

using namespace netc;

/// What main is doing, for the out-of-memory message: the stage and the
/// options that bound its memory.
static const char *gStage = "reading the options";
static const char *gStageLimits = "";

static void setStage(const char *stage, const char *limits) {
  gStage = stage;
  gStageLimits = limits;
}

/// The out-of-memory message: "netc: error: out of memory while STAGE;
/// lower LIMITS".
static std::string outOfMemoryMessage() {
  std::string m = std::string("netc: error: out of memory while ") + gStage;
  if (*gStageLimits)
    m += std::string("; lower ") + gStageLimits;
  return m + "\n";
}

/// LLVM's containers do not throw when an allocation fails (LLVM is built
/// without exceptions): they call this, which must not return.
static void onLLVMBadAlloc(void *, const char *, bool) {
  char buf[512];
  int n = std::snprintf(buf, sizeof buf, "netc: error: out of memory while %s%s%s\n", gStage,
                        *gStageLimits ? "; lower " : "", gStageLimits);
  if (n > 0)
    (void)!::write(2, buf, std::min<size_t>(static_cast<size_t>(n), sizeof buf - 1));
  ::_exit(1);
}

/// How -o may treat existing files: never over a file the run read (every
/// buffer of the source manager: the program, its imports, the --hw and
/// --compare files), named explicitly too in case one failed to load.
static WritePolicy writePolicy(const Options &opts, driver::Compilation &c) {
  WritePolicy p;
  p.force = opts.force;
  p.inputs = {opts.input, opts.compare, opts.pipeline.hardware};
  const llvm::SourceMgr &sm = c.sourceMgr();
  for (unsigned id = 1; id <= sm.getNumBuffers(); ++id)
    p.inputs.push_back(sm.getMemoryBuffer(id)->getBufferIdentifier().str());
  return p;
}

/// The op table, as users call it: name(arguments), then what it is.
static void listOps(llvm::raw_ostream &os) {
  for (const ir::OpDef *op : ir::OpTable::get().all()) {
    std::string sig;
    for (const ir::ParamSpec &p : op->params) {
      sig += sig.empty() ? "" : ", ";
      sig += p.name;
      if (!p.required)
        sig += "=" + ir::formatAttrValue(p.defaultValue);
    }
    os << op->name << "(" << sig << ")\n    " << op->doc << "\n    cost: " << ir::costText(*op)
       << "\n";
  }
}

/// The built-in hardware profiles, one a line.
static int listHardware(const Options &opts) {
  llvm::SourceMgr sm;
  DiagEngine diag(sm, opts.pipeline.errorLimit);
  auto profiles = sema::builtinHardware(diag, opts.pipeline.load);
  if (!profiles) {
    diag.print(llvm::errs());
    return 1;
  }
  for (const target::HardwareProfile &hw : *profiles)
    llvm::outs() << fmt::format("{:<22} {:>10.1f} GFLOP/s fp32  {:>8.1f} GB/s  ridge {:>6.2f} "
                                "FLOP/B  {}\n",
                                hw.name, hw.peakFor(ir::DType::F32) / 1e9, hw.bandwidth / 1e9,
                                hw.ridge(ir::DType::F32), hw.description);
  return 0;
}

/// Writes the text `print` renders to -o (or stdout); the exit code.
template <typename Print>
static int writeText(const Options &opts, driver::Compilation &c, Print print) {
  setStage("writing the output", "");
  std::string text;
  llvm::raw_string_ostream os(text);
  print(os);
  os.flush();
  return writeOutput(opts.output, text, writePolicy(opts, c)) ? 0 : 1;
}

/// netc import: the ONNX model as a .net program, checked by compiling it
/// (a program that does not elaborate is netc's bug: exit 3).
static int runImport(const Options &opts, driver::Compilation &c) {
  setStage("importing the model", "--max-onnx-size or --max-nodes");
  std::optional<std::string> text = c.importOnnx(opts.input);
  if (!text) {
    c.printDiagnostics();
    return c.exitCode();
  }
  if (!c.loadText(*text, opts.input) || !c.elaborate()) {
    c.printDiagnostics();
    llvm::errs() << "netc: internal error: the program imported from " << opts.input
                 << " does not compile (a bug in netc import)\n";
    return 3;
  }
  return writeText(opts, c, [&](llvm::raw_ostream &os) { os << *text; });
}

/// How the report is rendered: on a terminal the table fits its width;
/// with --wide, -o FILE or any stdout but a terminal, nothing is shortened.
static report::ReportStyle reportStyle(const Options &opts) {
  report::ReportStyle style = opts.style;
  bool toStdout = opts.output.empty() || opts.output == "-";
  style.width = opts.wide || !toStdout ? 0 : terminalColumns(STDOUT_FILENO);
  return style;
}

/// --report (and --compare, --sweep).
static int runReport(const Options &opts, driver::Compilation &c) {
  if (!opts.sweep.sweeps.empty()) {
    std::string text;
    llvm::raw_string_ostream os(text);
    setStage("sweeping", "--max-variants, --max-nodes, --max-edges or --batch");
    if (int rc = sweep::runSweep(c, opts.sweep, opts.format, os))
      return rc;
    os.flush();
    return writeOutput(opts.output, text, writePolicy(opts, c)) ? 0 : 1;
  }
  // One profile for both networks of a --compare: the name is resolved in
  // the main file (and its imports), then among the built-ins.
  c.hardware();
  std::optional<cost::Report> report = c.report();
  std::optional<cost::Report> other;
  if (report && !opts.compare.empty()) {
    std::optional<Program> program = c.loadOther(opts.compare);
    if (program)
      other = c.report(*program, opts.compareElab);
    else
      c.diag().globalError(fmt::format("--compare: cannot compare with '{}'", opts.compare));
  }
  c.printDiagnostics();
  if (!report || (!opts.compare.empty() && !other))
    return c.exitCode();
  return writeText(opts, c, [&](llvm::raw_ostream &os) {
    if (other)
      report::writeComparison(os, *report, *other, opts.format);
    else
      report::writeReport(os, *report, opts.format, reportStyle(opts));
  });
}

/// netc measure: the report, with each layer timed on this machine.
static int runMeasure(const Options &opts, driver::Compilation &c) {
  setStage("measuring the network", "--max-nodes or --batch");
  std::optional<cost::Report> report = c.measure(opts.measure);
  c.printDiagnostics();
  if (!report)
    return c.exitCode();
  return writeText(opts, c, [&](llvm::raw_ostream &os) {
    report::writeReport(os, *report, opts.format, opts.style);
  });
}

/// --opt-report: what each pass rewrote, measured rewrite by rewrite.
static int runOptReport(const Options &opts, driver::Compilation &c) {
  std::optional<ir::Graph> graph = c.elaborate();
  driver::PassTrace trace;
  trace.measureEach = true;
  std::optional<cost::Report> report = graph ? c.report(*graph, &trace) : std::nullopt;
  c.printDiagnostics();
  if (!report)
    return c.exitCode();
  return writeText(opts, c, [&](llvm::raw_ostream &os) {
    report::writeOptReport(os, *report, trace.steps, trace.rewrites, opts.format);
  });
}

/// --emit=cpp -o DIR.
static int runEmitCpp(const Options &opts, driver::Compilation &c) {
  setStage("emitting C++", "--max-emit-bytes, --max-nodes, --max-edges or --batch");
  std::optional<std::vector<codegen::EmittedFile>> files = c.emitCpp(opts.emit);
  c.printDiagnostics();
  if (!files)
    return c.exitCode();
  setStage("writing the output", "");
  return writeOutputDir(opts.output, *files, codegen::kEmitMarker, writePolicy(opts, c)) ? 0 : 1;
}

/// No --emit: check the file (and elaborate its network, if it has one);
/// --emit=graph and --emit=opt-graph print the graph.
static int runGraph(const Options &opts, driver::Compilation &c) {
  if (opts.action == Action::Check && !c.hasNetwork()) { // a library of blocks
    c.printDiagnostics();
    return 0;
  }
  std::optional<ir::Graph> graph = c.elaborate();
  c.printDiagnostics();
  if (!graph)
    return c.exitCode();
  if (opts.action == Action::EmitOptGraph && !c.optimize(*graph))
    return c.exitCode();
  if (opts.action == Action::Check)
    return 0;
  return writeText(opts, c, [&](llvm::raw_ostream &os) {
    os << markers::kGraph << graph->name
       << (opts.action == Action::EmitOptGraph ? " (optimized)\n" : " (as written)\n");
    ir::printGraph(os, *graph, &c.sourceMgr());
  });
}

/// --emit=dot: the graph for Graphviz, optimized unless -O0; with --dot-color
/// bound each layer is coloured by what bounds it on --hw (the report's
/// LayerCost::memoryBound; the report's rows are the graph's nodes, in order).
static int runDot(const Options &opts, driver::Compilation &c) {
  std::optional<ir::Graph> graph = c.elaborate();
  c.printDiagnostics();
  if (!graph)
    return c.exitCode();
  ir::DotStyle style;
  style.stage = opts.pipeline.optimize ? "optimized" : "as written";
  if (opts.dotColorBound) {
    c.hardware();
    std::optional<cost::Report> report = c.report(*graph); // optimizes it in place
    c.printDiagnostics();
    if (!report)
      return c.exitCode();
    if (report->layers.size() != graph->nodes.size()) {
      llvm::errs() << "netc: internal error: the report's layers are not the graph's nodes\n";
      return 3;
    }
    for (const cost::LayerCost &l : report->layers)
      style.bounds.push_back(l.latency <= 0   ? ir::DotBound::None
                             : l.memoryBound ? ir::DotBound::Memory
                                             : ir::DotBound::Compute);
    style.legend = fmt::format("roofline bound on {}, {}", report->hardware.name,
                               ir::dtypeName(report->options.dtype).str());
  } else if (!c.optimize(*graph)) {
    return c.exitCode();
  }
  return writeText(opts, c, [&](llvm::raw_ostream &os) { ir::printDot(os, *graph, style); });
}

/// --emit=onnx -o FILE: the graph --emit=dot draws (optimized unless -O0)
/// as an ONNX model.
static int runOnnx(const Options &opts, driver::Compilation &c) {
  std::optional<ir::Graph> graph = c.elaborate();
  c.printDiagnostics();
  if (!graph || !c.optimize(*graph))
    return c.exitCode();
  if (!checkOutput(opts.output, writePolicy(opts, c)))
    return 1;
  setStage("writing the ONNX model", "--weights none, --max-nodes or --batch");
  onnxgen::OnnxOptions onnx = opts.onnx;
  onnx.stage = opts.pipeline.optimize ? "optimized" : "as written";
  std::string bytes, why;
  const backend::Onnx *module = backend::onnx(why);
  if (!module) {
    llvm::errs() << "netc: error: --emit=onnx: " << why << "\n";
    return 1;
  }
  if (std::string e = module->writeOnnx(*graph, onnx, bytes); !e.empty()) {
    llvm::errs() << "netc: error: " << e << "\n";
    return 1;
  }
  return writeOutput(opts.output, bytes, writePolicy(opts, c)) ? 0 : 1;
}

static int run(int argc, char **argv) {
#ifdef NETC_LINKED_BACKENDS // a sanitized build (compiler/CMakeLists.txt): no dlopen
  backend::provide(netc_onnx_backend());
  backend::provide(netc_dnnl_backend());
#endif
  if (argc > 1 && std::string_view(argv[1]) == "calibrate") // netc calibrate: measure the host
    return calibrate::calibrateMain(argc - 1, argv + 1);
  if (argc > 1 && std::string_view(argv[1]) == "fmt") // netc fmt: format .net files
    return fmtMain(argc - 1, argv + 1);
  if (argc > 1 && std::string_view(argv[1]) == "lsp") // netc lsp: the language server
    return lsp::lspMain(argc - 1, argv + 1);
  Options opts;
  if (std::optional<int> rc = parseOptions(argc, argv, opts, llvm::outs(), llvm::errs()))
    return *rc;
  if (opts.action == Action::ListOps) {
    listOps(llvm::outs());
    return 0;
  }
  if (opts.action == Action::ListHardware)
    return listHardware(opts);

  driver::PipelineOptions pipeline = opts.pipeline;
  if (opts.action != Action::Report)
    pipeline.maxBatch = false; // only the report shows it
  driver::Compilation c(std::move(pipeline));
  if (opts.action == Action::Import)
    return runImport(opts, c);
  setStage("loading the program", "--max-file-size or --max-nesting");
  if (!c.load(opts.input)) {
    c.printDiagnostics();
    return c.exitCode();
  }
  if (opts.action == Action::EmitAST)
    return writeText(opts, c, [&](llvm::raw_ostream &os) { ast::printModule(os, c.program().main()); });
  // Every hardware declaration is checked, used or not (but for the graph as
  // elaborated, which needs none).
  if (opts.action != Action::EmitGraph && !c.checkHardwareDecls()) {
    c.printDiagnostics();
    return c.exitCode();
  }
  setStage("compiling the network", "--max-nodes, --max-edges, --max-steps or --batch");
  switch (opts.action) {
  case Action::Report: return runReport(opts, c);
  case Action::OptReport: return runOptReport(opts, c);
  case Action::EmitCpp: return runEmitCpp(opts, c);
  case Action::Measure: return runMeasure(opts, c);
  case Action::EmitDot: return runDot(opts, c);
  case Action::EmitOnnx: return runOnnx(opts, c);
  default: return runGraph(opts, c);
  }
}

/// Checks standard output once more at the end (--help, --list-ops and the
/// like print directly) and turns running out of memory into a message and
/// exit 1, rather than an uncaught std::bad_alloc.
int main(int argc, char **argv) {
  llvm::install_bad_alloc_error_handler(onLLVMBadAlloc);
  int rc;
  try {
    rc = run(argc, argv);
  } catch (const std::bad_alloc &) {
    llvm::outs().flush();
    llvm::outs().clear_error();
    llvm::errs() << outOfMemoryMessage();
    return 1;
  }
  if (!flushStdout() && rc == 0)
    rc = 1;
  return rc;
}
