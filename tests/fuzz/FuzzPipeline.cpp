#include "FuzzPipeline.h"

#include "cost/CostModel.h"
#include "sema/Hardware.h"
#include "codegen/CppEmitter.h"
#include "report/ReportWriter.h"
#include "ir/Verifier.h"
#include "passes/Pass.h"
#include "sema/Elaborator.h"
#include "support/Diagnostics.h"
#include "syntax/ModuleLoader.h"

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
  llvm::SourceMgr sm;
  DiagEngine diag(sm, 20);
  LoadOptions load; // imports: the stdlib and the current directory
  std::optional<Program> program = loadProgramFromText(diag, text, "fuzz.net", load);
  if (!program) {
    if (!diag.hasErrors())
      bug("loading failed without an error", text);
    return;
  }
  for (const auto &m : program->modules)
    for (const auto &d : m->decls)
      if (const auto *hw = llvm::dyn_cast<ast::HardwareDecl>(d.get()))
        (void)sema::readHardware(*hw, diag);
  // Small limits keep each input fast; they are the same checks as the
  // defaults, only lower.
  ElabOptions elab;
  elab.maxNodes = 20'000;
  elab.maxEdges = 50'000;
  elab.maxSteps = 200'000;
  elab.maxRange = 20'000;
  std::optional<ir::Graph> graph = elaborate(*program, diag, elab);
  if (!graph) {
    if (!diag.hasErrors())
      bug("elaboration failed without an error", text);
    return;
  }
  if (std::vector<std::string> problems = ir::verifyGraph(*graph); !problems.empty())
    bug("elaboration produced an invalid graph", problems.front() + "\n" + text);
  const ir::Graph original = *graph;
  passes::PassContext ctx{*graph, nullptr, "", {}};
  passes::PassOptions po;
  po.verifyEach = true;
  if (std::string e = passes::runPasses(ctx, po, nullptr); !e.empty())
    bug("a pass failed", e + "\n" + text);

  DiagEngine costDiag(sm, 20);
  std::optional<cost::Report> report = cost::buildReport(*graph, profile(), {}, costDiag);
  if (!report) {
    if (!costDiag.hasErrors())
      bug("costing failed without an error", text);
    return;
  }
  std::string out;
  llvm::raw_string_ostream os(out);
  for (report::ReportFormat f : {report::ReportFormat::Table, report::ReportFormat::Json,
                               report::ReportFormat::Csv, report::ReportFormat::Markdown})
    report::writeReport(os, *report, f, {});
  os.flush();

  DiagEngine emitDiag(sm, 20);
  codegen::EmitOptions emitOpts;
  emitOpts.maxBytes = 4 << 20; // a graph with many edges writes O(edges) bytes
  if (!codegen::emitCpp(original, *graph, *report, emitDiag, emitOpts) && !emitDiag.hasErrors())
    bug("kernel emission failed without an error", text);
}

} // namespace netc::fuzz
