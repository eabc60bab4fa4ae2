#include "driver/Sweep.h"

#include "driver/Compilation.h"
#include "driver/SweepWorkers.h"
#include "support/StatusLine.h"
#include "syntax/AST.h"

#include <fmt/format.h>
#include <llvm/ADT/SmallVector.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <limits>
#include <numeric>
#include <unordered_map>
#include <variant>

namespace netc::sweep {
namespace {

/// The network elaboration picks (ElabOptions::network's rule), or null.
const ast::NetworkDecl *findNetwork(const Program &program, const std::string &name) {
  const ast::NetworkDecl *last = nullptr, *only = nullptr;
  size_t count = 0;
  for (const auto &m : program.modules)
    for (const ast::DeclPtr &d : m->decls)
      if (auto *n = llvm::dyn_cast<ast::NetworkDecl>(d.get())) {
        if (!name.empty() && n->name == name)
          return n;
        only = n;
        ++count;
      }
  if (!name.empty())
    return nullptr;
  for (const ast::DeclPtr &d : program.main().decls)
    if (auto *n = llvm::dyn_cast<ast::NetworkDecl>(d.get()))
      last = n;
  return last ? last : count == 1 ? only : nullptr;
}

/// The first error of `diag`, on one line.
std::string firstError(const DiagEngine &diag) {
  for (const Diagnostic &d : diag.diagnostics())
    if (d.severity == Severity::Error)
      return d.message;
  return "failed";
}

/// Appends `v`'s bytes to `key`.
template <typename T> void put(std::string &key, const T &v) {
  key.append(reinterpret_cast<const char *>(&v), sizeof v);
}
void putStr(std::string &key, llvm::StringRef s) {
  put(key, s.size());
  key.append(s.data(), s.size());
}

/// Everything the passes and the cost model read of an elaborated graph, as
/// bytes: two graphs with the same key optimize and cost the same. (Widths
/// rounded by make_divisible give many variants the same graph.) Nothing
/// when the graph has what the key does not cover (fused epilogues, folds).
std::optional<std::string> graphKey(const ir::Graph &g) {
  std::string key;
  key.reserve(g.nodes.size() * 96 + g.values.size() * 48);
  put(key, g.nodes.size());
  for (const ir::Node &n : g.nodes) {
    if (!n.epilogue.empty() || !n.folds.empty())
      return std::nullopt;
    put(key, n.op);
    putStr(key, n.name);
    put(key, n.inputs.size());
    for (ir::ValueId v : n.inputs)
      put(key, v);
    put(key, n.outputs.size());
    for (ir::ValueId v : n.outputs)
      put(key, v);
    put(key, n.attrs.all().size());
    for (const ir::Attr &a : n.attrs.all()) {
      putStr(key, a.name);
      put(key, a.value.index());
      if (const auto *i = std::get_if<int64_t>(&a.value))
        put(key, *i);
      else if (const auto *d = std::get_if<double>(&a.value))
        put(key, *d);
      else if (const auto *b = std::get_if<bool>(&a.value))
        put(key, *b);
      else if (const auto *str = std::get_if<std::string>(&a.value))
        putStr(key, *str);
      else if (const auto *ints = std::get_if<ir::Ints>(&a.value)) {
        put(key, ints->size());
        for (int64_t x : *ints)
          put(key, x);
      }
    }
  }
  put(key, g.values.size());
  for (const ir::TensorValue &v : g.values) {
    put(key, v.producer);
    put(key, v.index);
    put(key, v.type.dtype);
    put(key, v.type.shape.size());
    for (int64_t d : v.type.shape)
      put(key, d);
  }
  put(key, g.outputs.size());
  for (ir::ValueId v : g.outputs)
    put(key, v);
  return key;
}

} // namespace

int runSweep(driver::Compilation &c, const SweepOptions &opts, report::ReportFormat format,
             llvm::raw_ostream &os) {
  const driver::PipelineOptions &po = c.options();
  const Program &program = c.program();
  auto fail = [&](const std::string &msg) {
    llvm::errs() << "netc: error: " << msg << '\n';
    return 1;
  };
  const target::HardwareProfile *hw = c.hardware();
  if (!hw) {
    c.printDiagnostics();
    return 1;
  }
  // The sweep against the network's parameters: each must exist; an int
  // parameter takes integer values only; a float one prints them as floats.
  const ast::NetworkDecl *net = findNetwork(program, po.elab.network);
  if (!net) { // let elaboration say why
    if (!c.elaborate())
      c.printDiagnostics();
    return c.exitCode();
  }
  std::vector<bool> asFloat(opts.sweeps.size());
  for (size_t i = 0; i < opts.sweeps.size(); ++i) {
    const SweepSpec &s = opts.sweeps[i];
    const ast::Param *param = nullptr;
    for (const ast::Param &p : net->params)
      if (p.name == s.name)
        param = &p;
    if (!param)
      return fail(fmt::format("--sweep {}: network '{}' has no parameter '{}'", s.name,
                              net->name, s.name));
    const std::string type = param->hasType ? param->type.name : "";
    if (type == "int" && s.isRange && !s.integral)
      return fail(fmt::format("--sweep {}: '{}' is an int parameter; the range's start and step "
                              "must be integers",
                              s.name, s.text));
    if (type == "int" && !s.isRange)
      for (const std::string &v : s.list) {
        std::optional<Decimal> d = parseDecimal(v);
        if (!d || d->scale != 0)
          return fail(fmt::format("--sweep {}: '{}' is an int parameter; '{}' is not an integer",
                                  s.name, s.text, v));
      }
    asFloat[i] = type == "float" || (type.empty() && s.floatText);
    if (type == "int")
      asFloat[i] = false;
  }
  const uint64_t count = variantCount(opts.sweeps);
  if (count > opts.maxVariants) {
    llvm::errs() << fmt::format("netc: error: --sweep: {} variants, more than the limit of {} "
                                "(raise it with --max-variants)\n",
                                count == std::numeric_limits<uint64_t>::max()
                                    ? std::string("too many")
                                    : std::to_string(count),
                                opts.maxVariants);
    return 2;
  }

  report::SweepResult result;
  result.network = net->name;
  for (const SweepSpec &s : opts.sweeps) {
    result.names.push_back(s.name);
    result.specs.push_back(s.text);
  }
  result.overrides = po.elab.overrides;
  result.hardware = *hw;
  result.options = po.cost;
  result.optimized = po.optimize;
  result.pareto = opts.pareto;
  result.rows.reserve(count);

  ElabOptions elab = po.elab;
  const size_t base = elab.overrides.size();
  for (const SweepSpec &s : opts.sweeps)
    elab.overrides.emplace_back(s.name, "");
  /// The totals of each distinct elaborated graph costed so far (per process).
  std::unordered_map<std::string, cost::Totals> costed;
  size_t cachedBytes = 0;
  constexpr size_t kCacheBytes = size_t(256) << 20; // then new graphs are costed uncached
  // Variant k into `row`; false on an internal error (a bug in netc). A
  // failed variant's printed diagnostics go to `failure`.
  auto evaluate = [&](uint64_t k, report::SweepRow &row, std::string &failure) {
    std::vector<uint64_t> idx = variantIndices(opts.sweeps, k);
    for (size_t i = 0; i < opts.sweeps.size(); ++i) {
      row.values.push_back(opts.sweeps[i].value(idx[i], asFloat[i]));
      elab.overrides[base + i].second = row.values.back();
    }
    DiagEngine vd(c.sourceMgr(), po.errorLimit);
    std::optional<ir::Graph> graph = c.elaborate(program, elab, vd);
    if (c.failure() == driver::Failure::Internal)
      return false;
    std::optional<std::string> key = graph ? graphKey(*graph) : std::nullopt;
    if (key) {
      auto it = costed.find(*key);
      if (it != costed.end()) {
        row.ok = true;
        row.totals = it->second;
        return true;
      }
    }
    std::optional<cost::Totals> totals = graph ? c.totals(*graph, vd) : std::nullopt;
    if (c.failure() == driver::Failure::Internal) // a pass broke the graph: a bug in netc
      return false;
    if (totals) {
      row.ok = true;
      row.totals = *totals;
      if (key && cachedBytes + key->size() <= kCacheBytes) {
        cachedBytes += key->size();
        costed.emplace(std::move(*key), *totals);
      }
    } else {
      row.error = firstError(vd);
      llvm::raw_string_ostream fs(failure);
      vd.print(fs);
    }
    return true;
  };
  // The variants in equal chunks, one per core: the other chunks in forked
  // worker processes (each a copy of this one, nothing shared), this
  // process's chunk first; rows and stderr come back in variant order.
  std::vector<Worker> workers = startWorkers(count, [&](uint64_t k, std::string &out) {
    report::SweepRow row;
    std::string failure;
    if (!evaluate(k, row, failure))
      return false;
    putRow(out, row, failure);
    return true;
  });
  const uint64_t mine = workers.empty() ? count : workers.front().begin;
  size_t failed = 0;
  std::string firstFailure; ///< the diagnostics of the first variant that failed
  auto add = [&](report::SweepRow row, const std::string &failure) {
    if (!row.ok && failed++ == 0)
      firstFailure = failure;
    result.rows.push_back(std::move(row));
  };
  {
    StatusLine progress(llvm::errs()); // on a terminal: "variant K of N"
    for (uint64_t k = 0; k < mine; ++k) {
      progress.show([&] { return fmt::format("netc: --sweep: variant {} of {}", k + 1, count); });
      report::SweepRow row;
      std::string failure;
      if (!evaluate(k, row, failure))
        return 3;
      add(std::move(row), failure);
    }
  }
  for (Worker &w : workers) {
    std::vector<std::pair<report::SweepRow, std::string>> rows;
    std::string error = finishWorker(w, rows);
    if (!error.empty()) {
      llvm::errs() << "netc: error: --sweep: " << error << '\n';
      return 3;
    }
    for (auto &[row, failure] : rows)
      add(std::move(row), failure);
  }
  // The HTML page draws the front whether or not the rows carry the mark.
  if (opts.pareto || format == report::ReportFormat::Html) {
    markPareto(result.rows);
    result.pareto = true;
  }
  if (failed == count && count > 0) {
    // Nothing to show: the diagnostics of the first variant say why.
    llvm::errs() << fmt::format("netc: error: --sweep: all {} variants failed; the first:\n",
                                count);
    llvm::errs() << firstFailure;
    return 1;
  }
  report::writeSweep(os, result, format);
  if (failed)
    llvm::errs() << fmt::format("netc: warning: --sweep: {} of {} variants failed (their rows "
                                "give the error)\n",
                                failed, count);
  return 0;
}

} // namespace netc::sweep
