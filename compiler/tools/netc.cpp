//===- netc.cpp - the netc command ------------------------------------------===//
//
// Thin: options -> pipeline -> writers. Exit codes: 0 success, 1 errors in the
// input, 2 usage errors.
//
//===----------------------------------------------------------------------===//
#include "support/Diagnostics.h"
#include "calibrate/Calibrate.h"
#include "cost/CostModel.h"
#include "sema/Hardware.h"
#include "codegen/CppEmitter.h"
#include "report/OptReportWriter.h"
#include "report/ReportWriter.h"
#include "ir/GraphPrinter.h"
#include "passes/Pass.h"
#include "ir/Verifier.h"
#include "sema/Elaborator.h"
#include "syntax/ASTPrinter.h"
#include "syntax/ModuleLoader.h"
#include "driver/Options.h"
#include "driver/Sweep.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include <fmt/format.h>

#include <cstdio>

using namespace netc;

/// Writes `text` into the new file `path`; false after an error (reported).
static bool writeNewFile(const std::string &path, llvm::StringRef text) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (!ec) {
    os << text;
    os.close();
    if (os.has_error()) {
      ec = os.error();
      os.clear_error();
    }
  }
  if (ec)
    llvm::errs() << fmt::format("netc: error: cannot write '{}': {}\n", path, ec.message());
  return !ec;
}

/// True when `head` (the start of an existing file) is how a netc output
/// starts: a report or comparison in any format, an opt report, an AST or a
/// graph. Such a file may be replaced without --force.
static bool looksLikeNetcOutput(llvm::StringRef head) {
  static const char *const starts[] = {
      "network ",         // --report table, --emit=graph, --emit=opt-graph
      "a ",               // --compare table
      "{\n  \"netc_",      // json reports and comparisons
      "name,op,block,",   // csv report
      "quantity,a,b,",    // csv comparison
      "variant,",         // csv sweep
      "# netc ",          // markdown report and comparison
      "optimization report: ",
      "Module \"",        // --emit=ast
  };
  for (const char *s : starts)
    if (head.startswith(s))
      return true;
  return false;
}

/// Writes `text` to `path` through a temporary file renamed into place, so an
/// existing output is replaced whole or not at all. An existing regular file
/// that netc did not write (see looksLikeNetcOutput) is replaced only with
/// `force`; a device or pipe (`-o /dev/null`) is written directly.
static bool writeOutput(const std::string &path, llvm::StringRef text, bool force = false) {
  if (path.empty() || path == "-") {
    llvm::outs() << text;
    llvm::outs().flush();
    return true;
  }
  namespace fs = llvm::sys::fs;
  fs::file_status st;
  if (!fs::status(path, st) && fs::exists(st)) {
    if (fs::is_directory(st)) {
      llvm::errs() << fmt::format("netc: error: cannot write '{}': it is a directory\n", path);
      return false;
    }
    if (!fs::is_regular_file(st))
      return writeNewFile(path, text); // a device or pipe: nothing to replace atomically
    if (!force && st.getSize() > 0) {
      char head[64] = {};
      size_t got = 0;
      if (FILE *f = std::fopen(path.c_str(), "rb")) {
        got = std::fread(head, 1, sizeof head, f);
        std::fclose(f);
      }
      if (!looksLikeNetcOutput(llvm::StringRef(head, got))) {
        llvm::errs() << fmt::format("netc: error: '{}' exists and is not a netc output; use "
                                    "--force to replace it\n",
                                    path);
        return false;
      }
    }
  }
  llvm::SmallString<256> tmp;
  int fd;
  llvm::SmallString<256> model(path);
  model += ".tmp-%%%%%%";
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(model, fd, tmp)) {
    llvm::errs() << fmt::format("netc: error: cannot write '{}': {}\n", path, ec.message());
    return false;
  }
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << text;
    os.close();
    if (os.has_error()) {
      llvm::errs() << fmt::format("netc: error: cannot write '{}': {}\n", path,
                                  os.error().message());
      os.clear_error();
      llvm::sys::fs::remove(tmp);
      return false;
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(tmp, path)) {
    llvm::errs() << fmt::format("netc: error: cannot write '{}': {}\n", path, ec.message());
    llvm::sys::fs::remove(tmp);
    return false;
  }
  return true;
}

/// Writes `files` as the directory `dir`. The directory is built under a
/// temporary name next to it and renamed into place when complete, so an
/// error leaves any previous output as it was and no partial directory. An
/// existing `dir` is replaced only if netc wrote it (it holds the marker
/// file) or it is empty; otherwise only with `force`, which writes the files
/// into it, each replaced whole.
static bool writeOutputDir(const std::string &dir, const std::vector<codegen::EmittedFile> &files,
                           bool force) {
  namespace fs = llvm::sys::fs;
  auto fail = [&](const std::string &msg) {
    llvm::errs() << fmt::format("netc: error: cannot write '{}': {}\n", dir, msg);
    return false;
  };
  bool replace = false;
  if (fs::exists(dir)) {
    if (!fs::is_directory(dir))
      return fail("it exists and is not a directory");
    llvm::SmallString<256> marker(dir);
    llvm::sys::path::append(marker, codegen::kEmitMarker);
    std::error_code ec;
    const bool empty = fs::directory_iterator(dir, ec) == fs::directory_iterator();
    if (fs::exists(marker) || (empty && !ec)) {
      replace = true;
    } else if (!force) {
      return fail(fmt::format("the directory exists and netc did not write it (it has no {}); "
                              "use --force to write into it",
                              codegen::kEmitMarker));
    } else {
      for (const codegen::EmittedFile &f : files) {
        llvm::SmallString<256> path(dir);
        llvm::sys::path::append(path, f.name);
        if (!writeOutput(std::string(path), f.text, /*force=*/true))
          return false;
      }
      return true;
    }
  }
  llvm::SmallString<256> tmp;
  if (std::error_code ec = fs::createUniqueDirectory(dir + ".tmp", tmp))
    return fail(ec.message());
  for (const codegen::EmittedFile &f : files) {
    llvm::SmallString<256> path(tmp);
    llvm::sys::path::append(path, f.name);
    if (!writeNewFile(std::string(path), f.text)) {
      fs::remove_directories(tmp);
      return false;
    }
  }
  llvm::SmallString<256> old;
  if (replace) {
    // Move the old directory aside, the new one in, then delete the old one.
    if (std::error_code ec = fs::createUniqueDirectory(dir + ".old", old)) {
      fs::remove_directories(tmp);
      return fail(ec.message());
    }
    fs::remove(old);
    if (std::error_code ec = fs::rename(dir, old)) {
      fs::remove_directories(tmp);
      return fail(ec.message());
    }
  }
  if (std::error_code ec = fs::rename(tmp, dir)) {
    if (replace)
      fs::rename(old, dir);
    fs::remove_directories(tmp);
    return fail(ec.message());
  }
  if (replace)
    fs::remove_directories(old);
  return true;
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
  DiagEngine diag(sm, opts.errorLimit);
  auto profiles = sema::builtinHardware(diag, opts.load);
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

/// Checks every hardware declaration of the program, used or not.
static bool checkHardwareDecls(const Program &program, DiagEngine &diag) {
  bool ok = true;
  for (const auto &m : program.modules)
    for (const auto &d : m->decls)
      if (const auto *hw = llvm::dyn_cast<ast::HardwareDecl>(d.get()))
        ok &= sema::readHardware(*hw, diag).has_value();
  return ok;
}

/// Runs the selected passes on `g` (unless -O0). Reports a failure (a verifier
/// error after a pass is a bug in netc) and returns false.
static bool optimize(const Options &opts, ir::Graph &g, std::vector<passes::PassStep> *steps,
                     std::vector<passes::Rewrite> *rewrites,
                     std::function<passes::Snapshot(const ir::Graph &)> measure = {}) {
  if (!opts.optimize)
    return true;
  passes::PassContext ctx{g, nullptr, "", {}};
  passes::PassOptions po;
  po.passes = opts.passes;
  po.verifyEach = opts.verifyEach;
  po.printAfterAll = opts.printAfterAll ? &llvm::errs() : nullptr;
  po.measure = std::move(measure);
  std::string err = passes::runPasses(ctx, po, steps);
  if (!err.empty()) {
    llvm::errs() << "netc: error: " << err << '\n';
    return false;
  }
  if (rewrites)
    *rewrites = std::move(ctx.rewrites);
  return true;
}

/// Elaborates and costs one network for --report on `hw`.
static std::optional<cost::Report> reportFor(const Options &opts, const Program &program,
                                             const ElabOptions &elab,
                                             const std::optional<target::HardwareProfile> &hw,
                                             DiagEngine &diag) {
  std::optional<ir::Graph> graph = elaborate(program, diag, elab);
  if (!graph || !hw)
    return std::nullopt;
  std::optional<cost::Totals> before;
  if (opts.optimize) {
    std::optional<cost::Report> unoptimized = cost::buildReport(*graph, *hw, opts.cost, diag);
    if (!unoptimized || !optimize(opts, *graph, nullptr, nullptr))
      return std::nullopt;
    before = unoptimized->totals;
    before->nodes = static_cast<int64_t>(unoptimized->layers.size());
  }
  std::optional<cost::Report> report = cost::buildReport(*graph, *hw, opts.cost, diag);
  if (!report)
    return std::nullopt;
  report->unoptimized = before;
  if (before) {
    report->passes = opts.passes;
    if (report->passes.empty())
      for (const passes::PassInfo &p : passes::allPasses())
        report->passes.push_back(p.name);
  }
  if (opts.maxBatch) {
    report->maxBatch = cost::findMaxBatch(*graph, *hw, opts.cost, diag);
    if (!report->maxBatch)
      return std::nullopt;
  }
  return report;
}

int main(int argc, char **argv) {
  if (argc > 1 && std::string_view(argv[1]) == "calibrate") // netc calibrate: measure the host
    return calibrate::calibrateMain(argc - 1, argv + 1);
  Options opts;
  if (std::optional<int> rc = parseOptions(argc, argv, opts, llvm::outs(), llvm::errs()))
    return *rc;
  if (opts.action == Action::ListOps) {
    listOps(llvm::outs());
    return 0;
  }
  if (opts.action == Action::ListHardware)
    return listHardware(opts);

  llvm::SourceMgr sm;
  DiagEngine diag(sm, opts.errorLimit);
  std::optional<Program> program = loadProgram(diag, opts.input, opts.load);
  if (!program) {
    diag.print(llvm::errs());
    return 1;
  }

  std::string text;
  llvm::raw_string_ostream os(text);
  if (opts.action == Action::EmitAST) {
    ast::printModule(os, program->main());
    os.flush();
    return writeOutput(opts.output, text, opts.force) ? 0 : 1;
  }

  if (opts.action != Action::EmitGraph && !checkHardwareDecls(*program, diag)) {
    diag.print(llvm::errs());
    return 1;
  }
  if (opts.action == Action::OptReport) {
    std::optional<ir::Graph> graph = elaborate(*program, diag, opts.elab);
    std::optional<target::HardwareProfile> hw =
        graph ? sema::findHardware(opts.hardware.empty() ? target::kDefaultHardware : opts.hardware,
                                   &*program, diag, opts.load)
              : std::nullopt;
    std::optional<cost::Report> before = hw ? cost::buildReport(*graph, *hw, opts.cost, diag)
                                            : std::nullopt;
    diag.print(llvm::errs());
    if (!before)
      return 1;
    auto measure = [&](const ir::Graph &g) {
      passes::Snapshot s;
      DiagEngine quiet(sm);
      if (std::optional<cost::Report> r = cost::buildReport(g, *hw, opts.cost, quiet)) {
        s.nodes = static_cast<int64_t>(g.nodes.size());
        s.params = r->totals.params;
        s.bytes = r->totals.memoryBytes;
        s.latency = r->totals.latency;
      }
      return s;
    };
    std::vector<passes::PassStep> steps;
    std::vector<passes::Rewrite> rewrites;
    if (!optimize(opts, *graph, &steps, &rewrites, measure))
      return 3;
    std::optional<cost::Report> after = cost::buildReport(*graph, *hw, opts.cost, diag);
    if (!after)
      return 1;
    after->unoptimized = before->totals;
    after->unoptimized->nodes = static_cast<int64_t>(before->layers.size());
    report::writeOptReport(os, *after, steps, rewrites);
    os.flush();
    return writeOutput(opts.output, text, opts.force) ? 0 : 1;
  }
  if (opts.action == Action::EmitCpp) {
    std::optional<ir::Graph> graph = elaborate(*program, diag, opts.elab);
    std::optional<target::HardwareProfile> hw =
        graph ? sema::findHardware(opts.hardware.empty() ? target::kDefaultHardware : opts.hardware,
                                   &*program, diag, opts.load)
              : std::nullopt;
    if (!hw) {
      diag.print(llvm::errs());
      return 1;
    }
    const ir::Graph original = *graph;
    if (!optimize(opts, *graph, nullptr, nullptr))
      return 3;
    std::optional<cost::Report> report = cost::buildReport(*graph, *hw, opts.cost, diag);
    std::optional<std::vector<codegen::EmittedFile>> files =
        report ? codegen::emitCpp(original, *graph, *report, diag, opts.emit) : std::nullopt;
    diag.print(llvm::errs());
    if (!files)
      return 1;
    return writeOutputDir(opts.output, *files, opts.force) ? 0 : 1;
  }
  if (opts.action == Action::Report && !opts.sweeps.empty()) {
    int rc = sweep::runSweep(opts, *program, sm, os);
    os.flush();
    if (rc != 0)
      return rc;
    return writeOutput(opts.output, text, opts.force) ? 0 : 1;
  }
  if (opts.action == Action::Report) {
    // One profile for both networks of a --compare: the name is resolved in
    // the main file (and its imports), then among the built-ins.
    std::optional<target::HardwareProfile> hw = sema::findHardware(
        opts.hardware.empty() ? target::kDefaultHardware : opts.hardware, &*program, diag,
        opts.load);
    std::optional<cost::Report> report = reportFor(opts, *program, opts.elab, hw, diag);
    std::optional<Program> other;
    std::optional<cost::Report> otherReport;
    if (report && !opts.compare.empty()) {
      other = loadProgram(diag, opts.compare, opts.load);
      if (!other)
        diag.globalError(fmt::format("--compare: cannot compare with '{}'", opts.compare));
      if (other)
        otherReport = reportFor(opts, *other, opts.compareElab, hw, diag);
    }
    diag.print(llvm::errs());
    if (!report || (!opts.compare.empty() && !otherReport))
      return 1;
    if (otherReport)
      report::writeComparison(os, *report, *otherReport, opts.format);
    else
      report::writeReport(os, *report, opts.format, opts.style);
    os.flush();
    return writeOutput(opts.output, text, opts.force) ? 0 : 1;
  }

  // A file without networks (a library of blocks) is fully checked by parsing.
  bool hasNetwork = !opts.elab.network.empty();
  for (const auto &m : program->modules)
    for (const auto &d : m->decls)
      hasNetwork |= d->kind == ast::DeclKind::Network;
  if (opts.action == Action::Check && !hasNetwork)
    return 0;
  std::optional<ir::Graph> graph = elaborate(*program, diag, opts.elab);
  diag.print(llvm::errs());
  if (!graph)
    return 1;
  if (std::vector<std::string> problems = ir::verifyGraph(*graph); !problems.empty()) {
    // A verifier failure after elaboration is a bug in netc, not in the input.
    for (const std::string &p : problems)
      llvm::errs() << "netc: internal error: invalid graph: " << p << '\n';
    return 3;
  }
  if (opts.action == Action::EmitOptGraph && !optimize(opts, *graph, nullptr, nullptr))
    return 3;
  switch (opts.action) {
  case Action::Check:
    return 0;
  default:
    ir::printGraph(os, *graph, &sm);
    break;
  }
  os.flush();
  return writeOutput(opts.output, text, opts.force) ? 0 : 1;
}
