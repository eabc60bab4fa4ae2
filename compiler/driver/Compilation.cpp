//===- Compilation.cpp - the pipeline, once ---------------------------------===//
#include "driver/Compilation.h"

#include "cost/CostModel.h"
#include "ir/Verifier.h"
#include "driver/Backends.h"
#include "sema/Hardware.h"
#include "support/Format.h"
#include "support/StatusLine.h"
#include "syntax/AST.h"

#include <fmt/format.h>
#include <llvm/ADT/ScopeExit.h>
#include <llvm/Support/Casting.h>
#include <llvm/Support/MemoryBuffer.h>

namespace netc::driver {

std::vector<std::string> passNames(const std::vector<std::string> &selected) {
  if (!selected.empty())
    return selected;
  std::vector<std::string> all;
  for (const passes::PassInfo &p : passes::allPasses())
    all.push_back(p.name);
  return all;
}

Compilation::Compilation(PipelineOptions o, llvm::raw_ostream &err)
    : opts(std::move(o)), err(err), sm(std::make_unique<llvm::SourceMgr>()),
      diags(std::make_unique<DiagEngine>(*sm, opts.errorLimit)) {}

Compilation::~Compilation() = default;

bool Compilation::fail(Failure f) {
  if (failed != Failure::Internal)
    failed = f;
  return false;
}

void Compilation::printDiagnostics() {
  const std::vector<Diagnostic> &all = diags->diagnostics();
  const bool color = DiagEngine::useColor(err);
  for (; printed < all.size(); ++printed)
    err << diags->format(all[printed], color);
  err.flush();
}

bool Compilation::load(llvm::StringRef path) {
  if (path == "-") { // the program on standard input, named <stdin> in messages
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> in = llvm::MemoryBuffer::getSTDIN();
    if (!in) {
      diags->fileError("<stdin>",
                       "cannot read standard input: " + in.getError().message());
      return fail(Failure::Input);
    }
    return loadText((*in)->getBuffer(), "<stdin>");
  }
  if (onnximport::isOnnxPath(path)) { // an ONNX model: its .net program, compiled as any
    std::optional<std::string> text = importOnnx(path);
    return text ? loadText(*text, path) : fail(Failure::Input);
  }
  prog = loadProgram(*diags, path, opts.load);
  return prog ? true : fail(Failure::Input);
}

std::optional<std::string> Compilation::importOnnx(llvm::StringRef path) {
  onnximport::ImportOptions o = opts.onnx;
  o.maxNodes = opts.elab.maxNodes;
  std::string why;
  const backend::Onnx *onnx = backend::onnx(why);
  if (!onnx) {
    diags->fileError(path, "cannot import the ONNX model: " + why);
    return std::nullopt;
  }
  return onnx->importFile(*diags, path, o);
}

bool Compilation::loadText(llvm::StringRef text, llvm::StringRef name) {
  prog = loadProgramFromText(*diags, text, name, opts.load);
  return prog ? true : fail(Failure::Input);
}

std::optional<Program> Compilation::loadOther(llvm::StringRef path) {
  std::optional<Program> other;
  if (onnximport::isOnnxPath(path)) {
    if (std::optional<std::string> text = importOnnx(path))
      other = loadProgramFromText(*diags, *text, path, opts.load);
  } else
    other = loadProgram(*diags, path, opts.load);
  if (!other)
    fail(Failure::Input);
  return other;
}

bool Compilation::hasNetwork() const {
  if (!opts.elab.network.empty())
    return true;
  for (const auto &m : prog->modules)
    for (const auto &d : m->decls)
      if (d->kind == ast::DeclKind::Network)
        return true;
  return false;
}

bool Compilation::checkHardwareDecls() {
  bool ok = true;
  for (const auto &m : prog->modules)
    for (const auto &d : m->decls)
      if (const auto *decl = llvm::dyn_cast<ast::HardwareDecl>(d.get()))
        ok &= sema::readHardware(*decl, *diags).has_value();
  return ok ? true : fail(Failure::Input);
}

const target::HardwareProfile *Compilation::hardware() {
  if (!hwResolved) {
    hwResolved = true;
    hw = sema::findHardware(opts.hardware.empty() ? target::kDefaultHardware : opts.hardware,
                            prog ? &*prog : nullptr, *diags, opts.load);
  }
  if (!hw) {
    fail(Failure::Input);
    return nullptr;
  }
  return &*hw;
}

void Compilation::setHardware(target::HardwareProfile profile) {
  hw = std::move(profile);
  hwResolved = true;
}

std::optional<ir::Graph> Compilation::elaborate(const Program &program, const ElabOptions &elab,
                                                DiagEngine &diag) {
  std::optional<ir::Graph> graph;
  {
    StatusLine status(err); // on a terminal: the layers so far of a long elaboration
    // print() in .net: each line shows as it runs, after what came before.
    diag.setNoteSink([&](const Diagnostic &note) {
      status.clear();
      printDiagnostics();
      err << diag.format(note, DiagEngine::useColor(err));
      err.flush();
    });
    auto keepNotes = llvm::make_scope_exit([&diag] { diag.setNoteSink(nullptr); });
    if (status.active()) {
      ElabOptions withProgress = elab;
      withProgress.progress = [&status](size_t nodes) {
        status.show([&] { return fmt::format("netc: elaborating: {} layers so far", nodes); });
      };
      graph = netc::elaborate(program, diag, withProgress);
    } else {
      graph = netc::elaborate(program, diag, elab);
    }
  } // the status line is erased before any message
  if (!graph) {
    fail(Failure::Input);
    return std::nullopt;
  }
  if (std::vector<std::string> problems = ir::verifyGraph(*graph); !problems.empty()) {
    // A verifier failure after elaboration is a bug in netc, not in the input.
    printDiagnostics();
    for (const std::string &p : problems)
      err << "netc: internal error: invalid graph: " << p << '\n';
    fail(Failure::Internal);
    return std::nullopt;
  }
  return graph;
}

bool Compilation::optimize(ir::Graph &g, PassTrace *trace) {
  if (!opts.optimize)
    return true;
  // Warnings so far come before --print-after-all's dumps.
  printDiagnostics();
  passes::PassContext ctx{g, nullptr, "", {}};
  passes::PassOptions po;
  po.passes = opts.passes;
  po.verifyEach = opts.verifyEach;
  po.printAfterAll = opts.printAfterAll ? &err : nullptr;
  if (trace && trace->measureEach) {
    const target::HardwareProfile *profile = hardware();
    if (!profile)
      return false;
    po.measure = [this, profile](const ir::Graph &graph) {
      passes::Snapshot s;
      DiagEngine quiet(*sm);
      if (std::optional<cost::Report> r = cost::buildReport(graph, *profile, opts.cost, quiet)) {
        s.nodes = static_cast<int64_t>(graph.nodes.size());
        s.params = r->totals.params;
        s.bytes = r->totals.memoryBytes;
        s.latency = r->totals.latency;
      }
      return s;
    };
  }
  std::string error = passes::runPasses(ctx, po, trace ? &trace->steps : nullptr);
  if (!error.empty()) { // a graph that fails verification after a pass: a bug in netc
    err << "netc: error: " << error << '\n';
    err.flush();
    return fail(Failure::Internal);
  }
  if (trace)
    trace->rewrites = std::move(ctx.rewrites);
  return true;
}

std::optional<cost::Report> Compilation::report(const Program &program,
                                                const ElabOptions &elab) {
  std::optional<ir::Graph> graph = elaborate(program, elab, *diags);
  if (!graph)
    return std::nullopt;
  std::optional<cost::Report> r = report(*graph);
  if (r && opts.phase.phase != cost::Phase::None && !addServing(program, elab, *r))
    return std::nullopt;
  return r;
}

std::optional<cost::Report> Compilation::report(ir::Graph &graph, PassTrace *trace) {
  const target::HardwareProfile *profile = hardware();
  if (!profile)
    return std::nullopt;
  // The graph as written: its totals go beside the optimized ones (and
  // --opt-report shows them even at -O0).
  std::optional<cost::Totals> asWritten;
  if (opts.optimize || trace) {
    std::optional<cost::Report> before = cost::buildReport(graph, *profile, opts.cost, *diags);
    if (!before) {
      fail(Failure::Input);
      return std::nullopt;
    }
    asWritten = before->totals;
    asWritten->nodes = static_cast<int64_t>(before->layers.size());
    if (!optimize(graph, trace))
      return std::nullopt;
  }
  std::optional<cost::Report> r = cost::buildReport(graph, *profile, opts.cost, *diags);
  if (!r) {
    fail(Failure::Input);
    return std::nullopt;
  }
  r->unoptimized = asWritten;
  warnIfTooLarge(*r);
  if (asWritten && opts.optimize)
    r->passes = passNames(opts.passes);
  if (opts.maxBatch) {
    r->maxBatch = cost::findMaxBatch(graph, *profile, opts.cost, *diags);
    if (!r->maxBatch) {
      fail(Failure::Input);
      return std::nullopt;
    }
  }
  cost::groupRows(*r, opts.groupBy, opts.depth);
  return r;
}

void Compilation::warnIfTooLarge(const cost::Report &r) {
  // No silent trap: a roofline of a network that cannot be loaded is no time
  // at all. Weights, the activations' arena and the KV cache must fit.
  const cost::Totals &t = r.totals;
  if (!(r.hardware.memory > 0))
    return;
  const int64_t kv = cost::storageBytes(t.kvHeld, opts.cost.kvCache().bits).value_or(INT64_MAX);
  const double need = static_cast<double>(t.weightBytes) +
                      static_cast<double>(t.peakActivationBytes) + static_cast<double>(kv);
  if (need <= r.hardware.memory)
    return;
  diags->warning(SourceLoc{},
                 fmt::format("network '{}' needs {} (weights {}, activations {}{}), more than "
                             "the {} of '{}': the times assume it fits",
                             r.network, siBytes(need), siBytes(t.weightBytes),
                             siBytes(t.peakActivationBytes),
                             kv > 0 ? ", KV cache " + siBytes(kv) : "",
                             binaryBytes(r.hardware.memory), r.hardware.name));
}

std::optional<cost::Totals> Compilation::totals(ir::Graph &graph, DiagEngine &diag) {
  const target::HardwareProfile *profile = hardware();
  if (!profile || !optimize(graph))
    return std::nullopt;
  std::optional<cost::Totals> t = cost::buildTotals(graph, *profile, opts.cost, diag);
  if (!t)
    fail(Failure::Input);
  return t;
}

std::optional<cost::Report> Compilation::measure(const measure::RunOptions &run) {
  std::optional<ir::Graph> graph = elaborate();
  if (!graph)
    return std::nullopt;
  std::optional<cost::Report> r = report(*graph); // optimizes the graph in place
  if (!r)
    return std::nullopt;
  measure::RunOptions resolved = run;
  if (resolved.layout == measure::Layout::Auto)
    resolved.layout = opts.optimize ? measure::Layout::Blocked : measure::Layout::Plain;
  std::string why;
  const backend::Dnnl *dnnl = backend::dnnl(why);
  if (!dnnl) {
    err << "netc: error: cannot run oneDNN: " << why << "\n";
    fail(Failure::Input);
    return std::nullopt;
  }
  dnnl->measureGraph(*graph, *r, resolved, err);
  return r;
}

std::optional<std::vector<codegen::EmittedFile>>
Compilation::emitCpp(const codegen::EmitOptions &emit) {
  std::optional<ir::Graph> graph = elaborate();
  if (!graph || !hardware())
    return std::nullopt;
  const ir::Graph original = *graph;
  std::optional<cost::Report> r = report(*graph);
  if (!r)
    return std::nullopt;
  std::optional<std::vector<codegen::EmittedFile>> files =
      codegen::emitCpp(original, *graph, *r, *diags, emit);
  if (!files)
    fail(Failure::Input);
  return files;
}

} // namespace netc::driver
