#include "driver/Options.h"

#include "passes/Pass.h"
#include "support/Suggest.h"

#include <fmt/format.h>
#include <llvm/ADT/StringRef.h>

#include <algorithm>
#include <limits>
#include <functional>

namespace netc {

namespace {

constexpr const char *kUsage = "usage: netc [options] FILE.net\n";
constexpr const char *kCalibrateUsage =
    "       netc calibrate [--quick] [--single-core] [--name NAME] [--layer-overhead TIME] "
    "[-o FILE]\n";

struct OptionSpec {
  const char *name;     ///< "--emit", "-I"
  const char *metavar;  ///< nullptr: a flag without a value
  const char *help;
  std::function<std::optional<std::string>(Options &, llvm::StringRef)> apply;
  /// Only -D, -I, --sweep and --compare-D may be given more than once; any
  /// other option with a value given twice is a usage error, never "the last
  /// one wins" (flags without a value may repeat: they say the same thing).
  bool repeatable = false;
};

/// A positive limit: --max-steps N and the like.
template <typename T>
std::optional<std::string> parseLimit(llvm::StringRef v, T &out, const char *name) {
  unsigned long long n;
  const unsigned long long max = std::numeric_limits<T>::max();
  bool digits = !v.empty() && v.find_first_not_of("0123456789") == llvm::StringRef::npos;
  if (digits && (v.getAsInteger(10, n) || n > max))
    return fmt::format("{} is at most {}, got '{}'", name, max, v.str());
  if (v.getAsInteger(10, n) || n == 0)
    return fmt::format("{} expects a positive integer, got '{}'", name, v.str());
  out = static_cast<T>(n);
  return std::nullopt;
}

std::optional<std::string> parseUnsigned(llvm::StringRef v, unsigned &out, const char *name) {
  unsigned x;
  bool digits = !v.empty() && v.find_first_not_of("0123456789") == llvm::StringRef::npos;
  if (digits && v.getAsInteger(10, x))
    return fmt::format("{} is at most {}, got '{}'", name, std::numeric_limits<unsigned>::max(),
                       v.str());
  if (v.getAsInteger(10, x))
    return fmt::format("{} expects a non-negative integer, got '{}'", name, v.str());
  out = x;
  return std::nullopt;
}

const std::vector<OptionSpec> &specs() {
  static const std::vector<OptionSpec> table = {
      {"--emit", "WHAT",
       "print a stage's output: ast, graph, opt-graph (after the passes), or write C++ "
       "kernels and a self-checking model: cpp (needs -o DIR)",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         if (v == "ast") {
           o.action = Action::EmitAST;
           return std::nullopt;
         }
         if (v == "graph") {
           o.action = Action::EmitGraph;
           return std::nullopt;
         }
         if (v == "opt-graph") {
           o.action = Action::EmitOptGraph;
           return std::nullopt;
         }
         if (v == "cpp") {
           o.action = Action::EmitCpp;
           return std::nullopt;
         }
         return fmt::format("unknown --emit value '{}' (expected: ast, graph, opt-graph, cpp)",
                            v.str());
       }},
      {"--network", "NAME", "the network to compile (default: the last one in FILE)",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         o.pipeline.elab.network = v.str();
         return std::nullopt;
       }},
      {"-D", "NAME=VALUE", "override a network parameter, e.g. -D width=0.75 (repeatable)",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         auto [name, value] = v.split('=');
         if (!v.contains('=') || name.trim().empty())
           return fmt::format("-D expects NAME=VALUE, got '{}'", v.str());
         o.pipeline.elab.overrides.emplace_back(name.trim().str(), value.str());
         return std::nullopt;
       },
       true},
      {"--max-nodes", "N", "limit on the nodes of the elaborated graph (default 10000000)",
       [](Options &o, llvm::StringRef v) {
         return parseLimit(v, o.pipeline.elab.maxNodes, "--max-nodes");
       }},
      {"--max-edges", "N",
       "limit on the inputs of all graph nodes together (default 100000000)",
       [](Options &o, llvm::StringRef v) {
         return parseLimit(v, o.pipeline.elab.maxEdges, "--max-edges");
       }},
      {"--max-steps", "N",
       "limit on statements and loop iterations executed while elaborating (default 100000000)",
       [](Options &o, llvm::StringRef v) {
         return parseLimit(v, o.pipeline.elab.maxSteps, "--max-steps");
       }},
      {"--max-call-depth", "N", "limit on nested block calls (default 200)",
       [](Options &o, llvm::StringRef v) {
         return parseLimit(v, o.pipeline.elab.maxCallDepth, "--max-call-depth");
       }},
      {"--max-file-size", "BYTES", "limit on the size of each input file (default 67108864)",
       [](Options &o, llvm::StringRef v) {
         return parseLimit(v, o.pipeline.load.limits.maxFileBytes, "--max-file-size");
       }},
      {"--max-emit-bytes", "BYTES",
       "limit on the size of the program --emit=cpp writes (default 1073741824)",
       [](Options &o, llvm::StringRef v) {
         return parseLimit(v, o.emit.maxBytes, "--max-emit-bytes");
       }},
      {"--report", nullptr, "report params, MACs, FLOPs, memory, roofline latency per layer",
       [](Options &o, llvm::StringRef) -> std::optional<std::string> {
         o.action = Action::Report;
         return std::nullopt;
       }},
      {"--opt-report", nullptr, "list each rewrite of the passes and what it saved",
       [](Options &o, llvm::StringRef) -> std::optional<std::string> {
         o.action = Action::OptReport;
         return std::nullopt;
       }},
      {"-O0", nullptr, "no optimization: report the graph as written (also --no-opt)",
       [](Options &o, llvm::StringRef) -> std::optional<std::string> {
         o.pipeline.optimize = false;
         return std::nullopt;
       }},
      {"--no-opt", nullptr, "the same as -O0",
       [](Options &o, llvm::StringRef) -> std::optional<std::string> {
         o.pipeline.optimize = false;
         return std::nullopt;
       }},
      {"--passes", "A,B", "run only these passes (in their fixed order); see --help for the list",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         llvm::SmallVector<llvm::StringRef, 8> names;
         v.split(names, ',', -1, /*KeepEmpty=*/false);
         for (llvm::StringRef n : names) {
           if (!passes::findPass(n.trim()))
             return fmt::format("unknown pass '{}' (see --help for the list)", n.trim().str());
           o.pipeline.passes.push_back(n.trim().str());
         }
         return std::nullopt;
       }},
      {"--verify-each", nullptr, "verify the graph after every pass",
       [](Options &o, llvm::StringRef) -> std::optional<std::string> {
         o.pipeline.verifyEach = true;
         return std::nullopt;
       }},
      {"--print-after-all", nullptr, "print the graph after every pass (to stderr)",
       [](Options &o, llvm::StringRef) -> std::optional<std::string> {
         o.pipeline.printAfterAll = true;
         return std::nullopt;
       }},
      {"--hw", "NAME|FILE",
       "hardware profile (default xeon_silver_4210; see --list-hw), or a .net file declaring "
       "exactly one",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         if (v.trim().empty())
           return std::string("--hw expects a profile name or a file, got ''");
         o.pipeline.hardware = v.str();
         return std::nullopt;
       }},
      {"--format", "FMT",
       "report format: table (default), json, csv, md (--opt-report: table or json)",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         if (auto f = report::parseReportFormat(v)) {
           o.format = *f;
           return std::nullopt;
         }
         return fmt::format("unknown --format '{}' (expected: table, json, csv, md)", v.str());
       }},
      {"--flops", "CONV", "FLOP convention: 2mac (default), exact, mac",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         for (auto c : {cost::FlopConvention::TwoMac, cost::FlopConvention::Exact,
                        cost::FlopConvention::Mac})
           if (v == cost::flopConventionName(c)) {
             o.pipeline.cost.flops = c;
             return std::nullopt;
           }
         return fmt::format("unknown --flops '{}' (expected: 2mac, exact, mac)", v.str());
       }},
      {"--memory", "MODEL", "memory model: ideal (default), no-reuse, weights+output",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         for (auto m : {cost::MemoryModel::Ideal, cost::MemoryModel::NoReuse,
                        cost::MemoryModel::WeightsOutput})
           if (v == cost::memoryModelName(m)) {
             o.pipeline.cost.memory = m;
             return std::nullopt;
           }
         return fmt::format("unknown --memory '{}' (expected: ideal, no-reuse, weights+output)",
                            v.str());
       }},
      {"--dtype", "T", "element type of weights and activations: fp32 (default), fp16, bf16, int8",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         if (auto t = ir::parseDType(v)) {
           o.pipeline.cost.dtype = *t;
           return std::nullopt;
         }
         return fmt::format("unknown --dtype '{}' (expected: fp32, fp16, bf16, int8)", v.str());
       }},
      {"--batch", "N", "batch size: multiplies the batch dimension of the inputs (default 1)",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         constexpr long long kMaxBatch = 1LL << 40;
         bool digits = !v.empty() && v.find_first_not_of("0123456789") == llvm::StringRef::npos;
         long long n;
         if (digits && (v.getAsInteger(10, n) || n > kMaxBatch))
           return fmt::format("--batch is at most {} (2^40), got '{}'", kMaxBatch, v.str());
         if (v.getAsInteger(10, n) || n <= 0)
           return fmt::format("--batch expects a positive integer, got '{}'", v.str());
         o.pipeline.cost.batch = n;
         return std::nullopt;
       }},
      {"--max-batch", nullptr, "also report the largest batch that fits the device memory",
       [](Options &o, llvm::StringRef) -> std::optional<std::string> {
         o.pipeline.maxBatch = true;
         return std::nullopt;
       }},
      {"--top", "N", "list the N slowest layers (default 10; 0: none)",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         return parseUnsigned(v, o.style.top, "--top");
       }},
      {"--group-by", "WHAT", "aggregate the table by: layer (default), block, op",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         if (v == "layer")
           o.pipeline.groupBy = cost::GroupBy::Layer;
         else if (v == "block")
           o.pipeline.groupBy = cost::GroupBy::Block;
         else if (v == "op")
           o.pipeline.groupBy = cost::GroupBy::Op;
         else
           return fmt::format("unknown --group-by '{}' (expected: layer, block, op)", v.str());
         return std::nullopt;
       }},
      {"--compare", "FILE", "report FILE's network beside this one, with ratios",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         o.compare = v.str();
         o.action = Action::Report;
         return std::nullopt;
       }},
      {"--compare-network", "NAME", "the network of the --compare file",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         o.compareElab.network = v.str();
         return std::nullopt;
       }},
      {"--compare-D", "NAME=VALUE",
       "override a parameter of the --compare network (repeatable)",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         auto [name, value] = v.split('=');
         if (!v.contains('=') || name.trim().empty())
           return fmt::format("--compare-D expects NAME=VALUE, got '{}'", v.str());
         o.compareElab.overrides.emplace_back(name.trim().str(), value.str());
         o.compareElab.overrideFlag = "--compare-D";
         return std::nullopt;
       },
       true},
      {"--sweep", "SPEC",
       "with --report: a row per variant, SPEC NAME=START:STOP:STEP or NAME=V1,V2,... "
       "(repeatable; the last varies fastest)",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         sweep::SweepSpec spec;
         if (auto problem = sweep::parseSweepSpec(v, spec, UINT64_MAX))
           return problem;
         for (const sweep::SweepSpec &s : o.sweep.sweeps)
           if (s.name == spec.name)
             return fmt::format("--sweep {} is given twice", spec.name);
         o.sweep.sweeps.push_back(std::move(spec));
         return std::nullopt;
       },
       true},
      {"--pareto", nullptr, "with --sweep: mark the variants on the latency/MACs Pareto front",
       [](Options &o, llvm::StringRef) -> std::optional<std::string> {
         o.sweep.pareto = true;
         return std::nullopt;
       }},
      {"--max-variants", "N", "with --sweep: limit on the number of variants (default 1000000)",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         return parseLimit(v, o.sweep.maxVariants, "--max-variants");
       }},
      {"-o", "FILE", "write the output to FILE instead of standard output (--emit=cpp: a directory)",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         o.output = v.str();
         return std::nullopt;
       }},
      {"--force", nullptr, "let -o replace a file or directory netc did not write",
       [](Options &o, llvm::StringRef) -> std::optional<std::string> {
         o.force = true;
         return std::nullopt;
       }},
      {"-I", "DIR", "also look for imported files in DIR (repeatable)",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         o.pipeline.load.includeDirs.push_back(v.str());
         return std::nullopt;
       },
       true},
      {"--stdlib", "DIR", "the standard library directory for import \"std/...\"",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         o.pipeline.load.stdlibDir = v.str();
         return std::nullopt;
       }},
      {"--max-nesting", "N",
       "limit on nested brackets and chained operators (default 200, at most 1000)",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         // The parser and every later walk recurse once or more per level:
         // beyond 1000 levels the stack, not this limit, would stop them.
         if (auto e = parseUnsigned(v, o.pipeline.load.parse.maxNesting, "--max-nesting"))
           return e;
         if (o.pipeline.load.parse.maxNesting > 1000)
           return fmt::format("--max-nesting is at most 1000, got {}", o.pipeline.load.parse.maxNesting);
         return std::nullopt;
       }},
      {"--error-limit", "N", "stop after N errors; 0 means no limit (default 20)",
       [](Options &o, llvm::StringRef v) {
         return parseUnsigned(v, o.pipeline.errorLimit, "--error-limit");
       }},
  };
  return table;
}

void printHelp(llvm::raw_ostream &out) {
  out << "netc - a compiler for .net neural-network descriptions\n\n" << kUsage
      << kCalibrateUsage
      << "\nChecks FILE and everything it imports; with --emit, prints a stage; with --report\n"
      << "or --opt-report, reports costs. One output per run: --emit, --report, --opt-report,\n"
      << "--list-ops and --list-hw exclude each other. netc calibrate measures this machine\n"
      << "and writes a calibrated hardware profile (netc calibrate --help).\n\n"
      << "options:\n";
  auto row = [&](const std::string &left, llvm::StringRef help) {
    out << fmt::format("  {:<22} {}\n", left, help.str());
  };
  for (const OptionSpec &s : specs())
    row(s.metavar ? fmt::format("{} {}", s.name, s.metavar) : s.name, s.help);
  row("--list-ops", "list the ops netc knows, with their arguments and FLOPs, and exit");
  row("--list-hw", "list the built-in hardware profiles and exit");
  out << "\npasses (run in this order by --report, --opt-report and --emit=opt-graph):\n";
  for (const passes::PassInfo &p : passes::allPasses())
    row(p.name, p.description);
  row("-h, --help", "print this help and exit");
  row("--version", "print the version and exit");
  out << "\nexit status: 0 success, 1 errors in the input, 2 usage errors, 3 an internal error\n"
      << "(a bug in netc)\n";
}

int usageError(llvm::raw_ostream &err, const std::string &msg) {
  err << "netc: error: " << msg << '\n' << kUsage << "Try 'netc --help' for more information.\n";
  return 2;
}

/// --sweep's rules: it needs --report, and neither --compare, --max-batch,
/// --group-by nor --top (a row per variant has no layers and one network);
/// --pareto and --max-variants need it; a -D and a --sweep of one name clash.
std::optional<std::string> checkSweep(const Options &o, const std::vector<llvm::StringRef> &seen) {
  auto given = [&](llvm::StringRef name) {
    return std::find(seen.begin(), seen.end(), name) != seen.end();
  };
  if (o.sweep.sweeps.empty()) {
    for (const char *name : {"--pareto", "--max-variants"})
      if (given(name))
        return fmt::format("option '{}' needs --sweep", name);
    return std::nullopt;
  }
  if (o.action != Action::Report)
    return std::string("option '--sweep' needs --report");
  for (const char *name : {"--compare", "--compare-network", "--compare-D", "--max-batch",
                           "--group-by", "--top", "--opt-report", "--print-after-all"})
    if (given(name))
      return fmt::format("option '{}' cannot be combined with --sweep", name);
  for (const sweep::SweepSpec &s : o.sweep.sweeps)
    for (const auto &[name, value] : o.pipeline.elab.overrides)
      if (name == s.name)
        return fmt::format("parameter '{}' is both set by -D and swept by --sweep", name);
  uint64_t n = sweep::variantCount(o.sweep.sweeps);
  if (n > o.sweep.maxVariants)
    return fmt::format("--sweep: {} variants, more than the limit of {} (see --max-variants)",
                       n == UINT64_MAX ? std::string("too many") : std::to_string(n),
                       o.sweep.maxVariants);
  return std::nullopt;
}

/// --compare shows the two networks' totals side by side: no layer table, so
/// neither --group-by nor --top; --compare-network and --compare-D need it.
/// --opt-report lists passes and rewrites: only the table and JSON formats,
/// and none of the options of the layer table or of --max-batch.
std::optional<std::string> checkCompareAndOptReport(const Options &o,
                                                    const std::vector<llvm::StringRef> &seen) {
  auto given = [&](llvm::StringRef name) {
    return std::find(seen.begin(), seen.end(), name) != seen.end();
  };
  if (o.compare.empty()) {
    for (const char *name : {"--compare-network", "--compare-D"})
      if (given(name))
        return fmt::format("option '{}' needs --compare", name);
  } else {
    for (const char *name : {"--group-by", "--top"})
      if (given(name))
        return fmt::format("option '{}' cannot be combined with --compare (the comparison "
                           "shows totals only)",
                           name);
  }
  if (o.action != Action::OptReport)
    return std::nullopt;
  if (o.format != report::ReportFormat::Table && o.format != report::ReportFormat::Json)
    return fmt::format("--opt-report writes a table or JSON, not --format {}",
                       o.format == report::ReportFormat::Csv ? "csv" : "md");
  for (const char *name : {"--group-by", "--top", "--max-batch"})
    if (given(name))
      return fmt::format("option '{}' needs --report (the optimization report has no layer "
                         "table)",
                         name);
  return std::nullopt;
}

/// The options of the passes need an output that runs them; --force needs -o.
std::optional<std::string> checkPassesAndOutput(const Options &o,
                                                const std::vector<llvm::StringRef> &seen) {
  bool runsPasses = o.action == Action::Report || o.action == Action::OptReport ||
                    o.action == Action::EmitOptGraph || o.action == Action::EmitCpp;
  if (!runsPasses)
    for (llvm::StringRef name : seen)
      if (name == "--passes" || name == "--verify-each" || name == "--print-after-all" ||
          name == "-O0" || name == "--no-opt")
        return fmt::format("option '{}' needs an output that runs the passes: --report, "
                           "--opt-report, --emit=opt-graph or --emit=cpp",
                           name.str());
  if (o.output.empty() && std::find(seen.begin(), seen.end(), "--force") != seen.end())
    return std::string("option '--force' needs -o");
  return std::nullopt;
}

} // namespace

std::optional<int> parseOptions(int argc, const char *const *argv, Options &opts,
                                llvm::raw_ostream &out, llvm::raw_ostream &err) {
  std::vector<std::string> inputs;
  bool onlyFiles = false;
  std::string firstReportOption; ///< a --report option, to check --report is there
  std::string firstReportOnlyNotHw; ///< the same but --hw, which --emit=cpp takes too
  std::vector<llvm::StringRef> seen; ///< the options given, by name
  auto given = [&](llvm::StringRef name) {
    return std::find(seen.begin(), seen.end(), name) != seen.end();
  };
  // The option that chose the output ("--emit=graph", "--report"), and its
  // action: a second option asking for another output is a usage error, not
  // a silent "the last one wins". --compare asks for the report too.
  std::string actionBy;
  Action actionChosen = Action::Check;
  auto chooseAction = [&](const std::string &spelled) -> std::optional<std::string> {
    if (actionBy.empty()) {
      actionBy = spelled;
      actionChosen = opts.action;
      return std::nullopt;
    }
    if (opts.action == actionChosen)
      return std::nullopt;
    return fmt::format("options '{}' and '{}' ask for two outputs; run netc twice", actionBy,
                       spelled);
  };
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    if (onlyFiles || arg == "-" || !arg.startswith("-")) {
      inputs.push_back(arg.str());
      continue;
    }
    if (arg == "--") {
      onlyFiles = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      printHelp(out);
      return 0;
    }
    if (arg == "--list-ops" || arg == "--list-hw") {
      opts.action = arg == "--list-ops" ? Action::ListOps : Action::ListHardware;
      if (auto problem = chooseAction(arg.str()))
        return usageError(err, *problem);
      continue;
    }
    if (arg == "--version") {
      out << "netc 0.1.0\n";
      return 0;
    }
    const OptionSpec *match = nullptr;
    std::optional<std::string> value;
    for (const OptionSpec &s : specs()) {
      llvm::StringRef name = s.name;
      if (arg == name) {
        match = &s;
        break;
      }
      // --name=value, and -Ivalue for single-dash options.
      if (s.metavar && arg.startswith(name) &&
          (arg[name.size()] == '=' || !name.startswith("--"))) {
        match = &s;
        value = arg.drop_front(name.size() + (arg[name.size()] == '=' ? 1 : 0)).str();
        break;
      }
    }
    if (!match) {
      std::vector<llvm::StringRef> names = {"--list-ops", "--list-hw", "--help", "--version"};
      for (const OptionSpec &s : specs())
        names.push_back(s.name);
      llvm::StringRef spelled = arg.split('=').first;
      if (auto near = closestName(spelled, names, 2, "-"))
        return usageError(err, fmt::format("unknown option '{}'; did you mean '{}'?", arg.str(),
                                           *near));
      return usageError(err, fmt::format("unknown option '{}'", arg.str()));
    }
    static const llvm::StringRef reportOnly[] = {
        "--hw",  "--format",   "--flops",    "--memory",          "--dtype",    "--batch",
        "--top", "--group-by", "--max-batch", "--compare-network", "--compare-D"};
    const bool isReportOnly =
        std::find(std::begin(reportOnly), std::end(reportOnly), match->name) != std::end(reportOnly);
    if (firstReportOption.empty() && isReportOnly)
      firstReportOption = match->name;
    if (firstReportOnlyNotHw.empty() && isReportOnly && llvm::StringRef(match->name) != "--hw")
      firstReportOnlyNotHw = match->name;
    if (!match->metavar && value)
      return usageError(err, fmt::format("option '{}' takes no value", match->name));
    if (match->metavar && !value) {
      if (i + 1 >= argc)
        return usageError(err, fmt::format("option '{}' needs a value ({})", match->name,
                                           match->metavar));
      value = argv[++i];
    }
    const llvm::StringRef name = match->name;
    // --emit twice is two outputs (or the same one twice), said below.
    if (match->metavar && !match->repeatable && name != "--emit" && given(name))
      return usageError(err, fmt::format("option '{}' given twice", name.str()));
    if (auto problem = match->apply(opts, value ? *value : ""))
      return usageError(err, *problem);
    if (name == "--emit" || name == "--report" || name == "--opt-report" || name == "--compare")
      if (auto problem = chooseAction(name == "--emit" ? "--emit=" + *value : name.str()))
        return usageError(err, *problem);
    seen.push_back(match->name);
  }
  if (auto problem = checkSweep(opts, seen))
    return usageError(err, *problem);
  if (auto problem = checkCompareAndOptReport(opts, seen))
    return usageError(err, *problem);
  if (auto problem = checkPassesAndOutput(opts, seen))
    return usageError(err, *problem);
  // --hw also chooses the profile of the kernel comments of --emit=cpp.
  if (opts.action == Action::EmitCpp && !firstReportOnlyNotHw.empty())
    return usageError(err, fmt::format("option '{}' needs --report", firstReportOnlyNotHw));
  if (!firstReportOption.empty() && opts.action != Action::Report &&
      opts.action != Action::OptReport && opts.action != Action::EmitCpp)
    return usageError(err, fmt::format("option '{}' needs --report", firstReportOption));
  if (opts.action == Action::EmitCpp && (opts.output.empty() || opts.output == "-"))
    return usageError(err, "--emit=cpp writes a directory: give it with -o DIR");
  if (inputs.empty() && (opts.action == Action::ListOps || opts.action == Action::ListHardware))
    return std::nullopt;
  if (inputs.empty())
    return usageError(err, "no input file");
  if (inputs.size() > 1)
    return usageError(err, fmt::format("expected one input file, got {}", inputs.size()));
  opts.input = inputs[0];
  return std::nullopt;
}

} // namespace netc
