#include "FuzzPipeline.h"

#include "codegen/CppEmitter.h"
#include "driver/Compilation.h"
#include "report/ReportWriter.h"

#include <llvm/Support/raw_ostream.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace netc::fuzz {

namespace {

[[noreturn]] void bug(const char *what, const std::string &detail) {
  std::fprintf(stderr, "netc fuzz: %s\n%s\n", what, detail.c_str());
  std::abort();
}

/// A fixed profile, so no input has to load stdlib/hardware.net.
const target::HardwareProfile &profile() {
  static const target::HardwareProfile hw = [] {
    target::HardwareProfile p;
    p.name = "fuzz";
    for (double &peak : p.peak)
      peak = 1e12;
    p.bandwidth = 1e11;
    p.memory = 1e10;
    return p;
  }();
  return hw;
}

} // namespace

void runPipeline(const uint8_t *data, size_t size) {
  const std::string text(reinterpret_cast<const char *>(data), size);
  // Small limits keep each input fast; they are the same checks as the
  // defaults, only lower. Imports: the stdlib and the current directory.
  driver::PipelineOptions opts;
  opts.elab.maxNodes = 20'000;
  opts.elab.maxEdges = 50'000;
  opts.elab.maxSteps = 200'000;
  opts.elab.maxRange = 20'000;
  opts.verifyEach = true;
  std::string stderrText; // diagnostics and internal errors
  llvm::raw_string_ostream err(stderrText);
  driver::Compilation c(opts, err);
  c.setHardware(profile());
  // A stage that fails must say why: a new error, or the error limit.
  auto failedSilently = [&](unsigned errorsBefore) {
    return c.diag().errorCount() == errorsBefore && !c.diag().limitReached();
  };
  auto stage = [&](bool ok, unsigned errorsBefore, const char *what) {
    if (c.failure() == driver::Failure::Internal)
      bug(what, err.str() + "\n" + text);
    if (!ok && failedSilently(errorsBefore))
      bug(what, "failed without an error\n" + text);
    return ok;
  };
  unsigned before = c.diag().errorCount();
  if (!stage(c.loadText(text, "fuzz.net"), before, "loading"))
    return;
  (void)c.checkHardwareDecls(); // errors are fine; the network may still cost
  before = c.diag().errorCount();
  std::optional<ir::Graph> graph = c.elaborate();
  if (!stage(graph.has_value(), before, "elaboration"))
    return;
  const ir::Graph original = *graph;
  before = c.diag().errorCount();
  std::optional<cost::Report> report = c.report(*graph);
  if (!stage(report.has_value(), before, "costing"))
    return;
  std::string out;
  llvm::raw_string_ostream os(out);
  for (report::ReportFormat f : {report::ReportFormat::Table, report::ReportFormat::Json,
                                 report::ReportFormat::Csv, report::ReportFormat::Markdown})
    report::writeReport(os, *report, f, {});
  os.flush();

  codegen::EmitOptions emitOpts;
  emitOpts.maxBytes = 4 << 20; // a graph with many edges writes O(edges) bytes
  before = c.diag().errorCount();
  bool emitted = codegen::emitCpp(original, *graph, *report, c.diag(), emitOpts).has_value();
  stage(emitted, before, "kernel emission");
}

} // namespace netc::fuzz
