#include "driver/Sweep.h"

#include "cost/CostModel.h"
#include "sema/Hardware.h"
#include "passes/Pass.h"
#include "sema/Elaborator.h"
#include "syntax/AST.h"
#include "driver/Options.h"

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

constexpr unsigned kMaxScale = 18;
constexpr int64_t kMaxMantissa = 999'999'999'999'999'999; // 18 digits

int64_t pow10(unsigned n) {
  int64_t p = 1;
  while (n--)
    p *= 10;
  return p;
}

/// `d` at the larger scale `scale`; nothing when it does not fit.
std::optional<int64_t> rescale(const Decimal &d, unsigned scale) {
  __int128 v = static_cast<__int128>(d.mantissa) * pow10(scale - d.scale);
  if (v > kMaxMantissa || v < -kMaxMantissa)
    return std::nullopt;
  return static_cast<int64_t>(v);
}

std::string formatScaled(int64_t v, unsigned scale, bool asFloat) {
  std::string s = std::to_string(v < 0 ? -static_cast<uint64_t>(v) : static_cast<uint64_t>(v));
  std::string intPart, frac;
  if (scale == 0) {
    intPart = s;
  } else {
    if (s.size() <= scale)
      s = std::string(scale + 1 - s.size(), '0') + s;
    intPart = s.substr(0, s.size() - scale);
    frac = s.substr(s.size() - scale);
    while (!frac.empty() && frac.back() == '0')
      frac.pop_back();
  }
  if (frac.empty() && asFloat)
    frac = "0";
  std::string out = (v < 0 ? "-" : "") + intPart;
  return frac.empty() ? out : out + "." + frac;
}

} // namespace

std::optional<Decimal> parseDecimal(llvm::StringRef s) {
  Decimal d;
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-'))
    negative = s[i++] == '-';
  __int128 mant = 0;
  int digits = 0, scale = 0;
  bool seenDigit = false, seenPoint = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '.' && !seenPoint) {
      seenPoint = true;
      continue;
    }
    if (c < '0' || c > '9')
      break;
    seenDigit = true;
    if (mant != 0 || c != '0')
      ++digits;
    mant = mant * 10 + (c - '0');
    if (seenPoint)
      ++scale;
    if (digits > 18)
      return std::nullopt;
  }
  if (!seenDigit)
    return std::nullopt;
  int exponent = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool expNeg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-'))
      expNeg = s[i++] == '-';
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - start < 4)
      exponent = exponent * 10 + (s[i++] - '0');
    if (i == start)
      return std::nullopt;
    if (expNeg)
      exponent = -exponent;
  }
  if (i != s.size())
    return std::nullopt;
  scale -= exponent;
  // Drop trailing zeros of the fraction, then bring a negative scale to 0.
  while (scale > 0 && mant % 10 == 0 && mant != 0) {
    mant /= 10;
    --scale;
  }
  if (mant == 0)
    scale = 0;
  while (scale < 0) {
    mant *= 10;
    ++scale;
    if (mant > kMaxMantissa)
      return std::nullopt;
  }
  if (scale > static_cast<int>(kMaxScale) || mant > kMaxMantissa)
    return std::nullopt;
  d.mantissa = static_cast<int64_t>(negative ? -mant : mant);
  d.scale = static_cast<unsigned>(scale);
  return d;
}

std::string SweepSpec::value(uint64_t i, bool asFloat) const {
  if (!isRange)
    return list[i];
  return formatScaled(start + static_cast<int64_t>(i) * step, scale, asFloat);
}

std::optional<std::string> parseSweepSpec(llvm::StringRef text, SweepSpec &out,
                                          uint64_t maxValues) {
  out = SweepSpec();
  out.text = text.str();
  auto [name, rest] = text.split('=');
  name = name.trim();
  rest = rest.trim();
  if (!text.contains('=') || name.empty() || rest.empty())
    return fmt::format("--sweep expects NAME=START:STOP:STEP or NAME=V1,V2,..., got '{}'",
                       text.str());
  out.name = name.str();
  if (rest.contains(':')) {
    llvm::SmallVector<llvm::StringRef, 4> parts;
    rest.split(parts, ':');
    if (parts.size() != 3)
      return fmt::format("--sweep {}: a range is START:STOP:STEP, got '{}'", out.name,
                         rest.str());
    Decimal d[3];
    const char *what[3] = {"start", "stop", "step"};
    for (int k = 0; k < 3; ++k) {
      std::optional<Decimal> v = parseDecimal(parts[k].trim());
      if (!v)
        return fmt::format("--sweep {}: {} '{}' is not a decimal number", out.name, what[k],
                           parts[k].trim().str());
      d[k] = *v;
      out.floatText |= parts[k].contains('.') || parts[k].contains_insensitive("e");
    }
    out.isRange = true;
    out.scale = std::max({d[0].scale, d[1].scale, d[2].scale});
    std::optional<int64_t> a = rescale(d[0], out.scale), b = rescale(d[1], out.scale),
                           st = rescale(d[2], out.scale);
    if (!a || !b || !st)
      return fmt::format("--sweep {}: '{}' has too many digits", out.name, rest.str());
    if (*st <= 0)
      return fmt::format("--sweep {}: the step must be positive, got '{}'", out.name,
                         parts[2].trim().str());
    if (*b < *a)
      return fmt::format("--sweep {}: stop {} is below start {}", out.name,
                         parts[1].trim().str(), parts[0].trim().str());
    out.start = *a;
    out.step = *st;
    out.count = static_cast<uint64_t>((*b - *a) / *st) + 1;
    const int64_t unit = pow10(out.scale);
    out.integral = out.start % unit == 0 && (out.count == 1 || out.step % unit == 0);
  } else {
    llvm::SmallVector<llvm::StringRef, 8> items;
    rest.split(items, ',');
    for (llvm::StringRef item : items) {
      if (item.trim().empty())
        return fmt::format("--sweep {}: empty value in the list '{}'", out.name, rest.str());
      out.list.push_back(item.trim().str());
    }
  }
  if (out.size() > maxValues)
    return fmt::format("--sweep {}: {} values, more than the limit of {} (--max-variants)",
                       out.name, out.size(), maxValues);
  return std::nullopt;
}

uint64_t variantCount(const std::vector<SweepSpec> &specs) {
  uint64_t n = 1;
  for (const SweepSpec &s : specs) {
    uint64_t k = s.size();
    if (k != 0 && n > std::numeric_limits<uint64_t>::max() / k)
      return std::numeric_limits<uint64_t>::max();
    n *= k;
  }
  return n;
}

std::vector<uint64_t> variantIndices(const std::vector<SweepSpec> &specs, uint64_t k) {
  std::vector<uint64_t> idx(specs.size());
  for (size_t i = specs.size(); i-- > 0;) {
    idx[i] = k % specs[i].size();
    k /= specs[i].size();
  }
  return idx;
}

void markPareto(std::vector<report::SweepRow> &rows) {
  std::vector<size_t> order;
  for (size_t i = 0; i < rows.size(); ++i) {
    rows[i].pareto = false;
    if (rows[i].ok)
      order.push_back(i);
  }
  // By MACs, then latency; a group of equal MACs is on the front at its
  // lowest latency when that beats every group of fewer MACs.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const cost::Totals &x = rows[a].totals, &y = rows[b].totals;
    return x.macs != y.macs ? x.macs < y.macs : x.latency < y.latency;
  });
  double best = std::numeric_limits<double>::infinity();
  for (size_t g = 0; g < order.size();) {
    size_t end = g;
    const int64_t macs = rows[order[g]].totals.macs;
    while (end < order.size() && rows[order[end]].totals.macs == macs)
      ++end;
    const double lowest = rows[order[g]].totals.latency;
    if (lowest < best) {
      for (size_t k = g; k < end && rows[order[k]].totals.latency == lowest; ++k)
        rows[order[k]].pareto = true;
      best = lowest;
    }
    g = end;
  }
}

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

int runSweep(const Options &opts, const Program &program, llvm::SourceMgr &sm,
             llvm::raw_ostream &os) {
  auto fail = [&](const std::string &msg) {
    llvm::errs() << "netc: error: " << msg << '\n';
    return 1;
  };
  DiagEngine diag(sm, opts.errorLimit);
  std::optional<target::HardwareProfile> hw = sema::findHardware(
      opts.hardware.empty() ? target::kDefaultHardware : opts.hardware, &program, diag, opts.load);
  if (!hw) {
    diag.print(llvm::errs());
    return 1;
  }
  // The sweep against the network's parameters: each must exist; an int
  // parameter takes integer values only; a float one prints them as floats.
  const ast::NetworkDecl *net = findNetwork(program, opts.elab.network);
  if (!net) { // let elaboration say why
    if (!elaborate(program, diag, opts.elab))
      diag.print(llvm::errs());
    return 1;
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
  result.overrides = opts.elab.overrides;
  result.hardware = *hw;
  result.options = opts.cost;
  result.optimized = opts.optimize;
  result.pareto = opts.pareto;
  result.rows.reserve(count);

  ElabOptions elab = opts.elab;
  const size_t base = elab.overrides.size();
  for (const SweepSpec &s : opts.sweeps)
    elab.overrides.emplace_back(s.name, "");
  passes::PassOptions po;
  po.passes = opts.passes;
  po.verifyEach = opts.verifyEach;
  size_t failed = 0;
  /// The totals of each distinct elaborated graph costed so far.
  std::unordered_map<std::string, cost::Totals> costed;
  size_t cachedBytes = 0;
  constexpr size_t kCacheBytes = size_t(256) << 20; // then new graphs are costed uncached
  std::string firstFailure; ///< the diagnostics of the first variant that failed
  for (uint64_t k = 0; k < count; ++k) {
    report::SweepRow row;
    std::vector<uint64_t> idx = variantIndices(opts.sweeps, k);
    for (size_t i = 0; i < opts.sweeps.size(); ++i) {
      row.values.push_back(opts.sweeps[i].value(idx[i], asFloat[i]));
      elab.overrides[base + i].second = row.values.back();
    }
    DiagEngine vd(sm, opts.errorLimit);
    std::optional<ir::Graph> graph = elaborate(program, vd, elab);
    std::optional<std::string> key = graph ? graphKey(*graph) : std::nullopt;
    if (key) {
      auto it = costed.find(*key);
      if (it != costed.end()) {
        row.ok = true;
        row.totals = it->second;
        result.rows.push_back(std::move(row));
        continue;
      }
    }
    if (graph && opts.optimize) {
      passes::PassContext ctx{*graph, nullptr, "", {}};
      std::string err = passes::runPasses(ctx, po, nullptr);
      if (!err.empty()) { // a graph that fails verification after a pass: a bug in netc
        llvm::errs() << "netc: error: " << err << '\n';
        return 3;
      }
    }
    std::optional<cost::Totals> totals =
        graph ? cost::buildTotals(*graph, *hw, opts.cost, vd) : std::nullopt;
    if (totals) {
      row.ok = true;
      row.totals = *totals;
      if (key && cachedBytes + key->size() <= kCacheBytes) {
        cachedBytes += key->size();
        costed.emplace(std::move(*key), *totals);
      }
    } else {
      row.error = firstError(vd);
      if (failed == 0) {
        llvm::raw_string_ostream fs(firstFailure);
        vd.print(fs);
      }
      ++failed;
    }
    result.rows.push_back(std::move(row));
  }
  if (opts.pareto)
    markPareto(result.rows);
  if (failed == count && count > 0) {
    // Nothing to show: the diagnostics of the first variant say why.
    llvm::errs() << fmt::format("netc: error: --sweep: all {} variants failed; the first:\n",
                                count);
    llvm::errs() << firstFailure;
    return 1;
  }
  report::writeSweep(os, result, opts.format);
  if (failed)
    llvm::errs() << fmt::format("netc: warning: --sweep: {} of {} variants failed (their rows "
                                "give the error)\n",
                                failed, count);
  return 0;
}

} // namespace netc::sweep
