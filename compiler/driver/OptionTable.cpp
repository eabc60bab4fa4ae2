//===- OptionTable.cpp - every option of netc, declared once -----------------===//
#include "driver/OptionTable.h"

#include "passes/Pass.h"

#include <fmt/format.h>

#include <limits>

namespace netc::options {

namespace {

/// A positive limit: --max-steps N and the like.
template <typename T>
std::optional<std::string> parseLimit(llvm::StringRef v, T &out, const char *name,
                                      T limit = std::numeric_limits<T>::max()) {
  unsigned long long n;
  const unsigned long long max = limit;
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

/// At most 2^24 tokens (16M) in a prompt, a context or a generation.
constexpr int64_t kMaxTokens = int64_t(1) << 24;

std::optional<std::string> parseStorage(llvm::StringRef v, std::optional<cost::Storage> &out,
                                        const char *name) {
  if (std::optional<cost::Storage> s = cost::parseStorage(v)) {
    out = *s;
    return std::nullopt;
  }
  return fmt::format("unknown {} '{}' (expected: fp32, fp16, bf16, fp8, int8, int4)", name,
                     v.str());
}

} // namespace

const std::vector<OptionSpec> &specs() {
  static const std::vector<OptionSpec> table = {
      {"--emit", "WHAT",
       "print a stage's output: ast, graph, opt-graph (after the passes), dot (the optimized "
       "graph for Graphviz; with -O0 as written), or write onnx (that graph as an ONNX model, "
       "opset 17: needs -o FILE) or C++ kernels and a self-checking model: cpp (needs -o DIR)",
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
         if (v == "dot") {
           o.action = Action::EmitDot;
           return std::nullopt;
         }
         if (v == "onnx") {
           o.action = Action::EmitOnnx;
           return std::nullopt;
         }
         if (v == "cpp") {
           o.action = Action::EmitCpp;
           return std::nullopt;
         }
         return fmt::format(
             "unknown --emit value '{}' (expected: ast, graph, opt-graph, dot, onnx, cpp)", v.str());
       }},
      {"--dot-color", "WHAT",
       "--emit=dot: colour the layers by what bounds them on --hw: bound (memory or compute, "
       "with a legend), or none (the default)",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         if (v != "bound" && v != "none")
           return fmt::format("unknown --dot-color '{}' (expected: bound, none)", v.str());
         o.dotColorBound = v == "bound";
         return std::nullopt;
       }},
      {"--weights", "WHAT",
       "--emit=onnx: none (the default: every weight a graph input, its shape only) or random "
       "(initializers holding the seeded values netc's evaluator draws)",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         if (v != "none" && v != "random")
           return fmt::format("unknown --weights '{}' (expected: none, random)", v.str());
         o.onnx.weights = v == "random" ? onnxgen::OnnxWeights::Random : onnxgen::OnnxWeights::None;
         return std::nullopt;
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
      {"--max-nodes", "N", "limit on the nodes of the elaborated graph (default 2000000: at most ~1.7 GB)",
       [](Options &o, llvm::StringRef v) {
         return parseLimit(v, o.pipeline.elab.maxNodes, "--max-nodes");
       }},
      {"--max-edges", "N",
       "limit on the inputs of all graph nodes together (default 20000000)",
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
      {"--max-file-size", "BYTES", "limit on the size of each input file (default 8388608: at most ~0.9 GB)",
       [](Options &o, llvm::StringRef v) {
         return parseLimit(v, o.pipeline.load.limits.maxFileBytes, "--max-file-size");
       }},
      {"--max-onnx-size", "BYTES",
       "limit on the size of an ONNX model read (default 2147483647, protobuf's limit)",
       [](Options &o, llvm::StringRef v) {
         return parseLimit(v, o.pipeline.onnx.maxBytes, "--max-onnx-size");
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
      {"--threads", "N", "netc measure: the threads oneDNN runs each layer on (default 1)",
       [](Options &o, llvm::StringRef v) {
         return parseLimit(v, o.measure.threads, "--threads", 1024u);
       }},
      {"--layout", "L",
       "netc measure: tensor layouts between layers: blocked (oneDNN's own, as a tuned "
       "runtime; the default) or plain (NCHW, each call's reorders timed, as eager PyTorch; "
       "the default with -O0)",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         if (v == "blocked")
           o.measure.layout = measure::Layout::Blocked;
         else if (v == "plain")
           o.measure.layout = measure::Layout::Plain;
         else
           return fmt::format("--layout takes blocked or plain, not '{}'", v.str());
         return std::nullopt;
       }},
      {"--repeats", "N",
       "netc measure: timed runs of each layer, after 2 warm-up runs (default 11)",
       [](Options &o, llvm::StringRef v) {
         return parseLimit(v, o.measure.repeats, "--repeats", 100000u);
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
       "report format: table (default), json, csv, md, html (--opt-report: table, json or html)",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         if (auto f = report::parseReportFormat(v)) {
           o.format = *f;
           return std::nullopt;
         }
         return fmt::format("unknown --format '{}' (expected: table, json, csv, md, html)", v.str());
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
         if (auto t = ir::parseDType(v); t && !ir::isIndexDType(*t)) {
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
      {"--phase", "P",
       "cost one step of serving an LLM: prefill (the prompt, with --prompt N) or decode (one "
       "token with --context N tokens in the KV cache); the network takes parameters seq and past",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         for (cost::Phase p : {cost::Phase::Prefill, cost::Phase::Decode})
           if (v == cost::phaseName(p)) {
             o.pipeline.phase.phase = p;
             return std::nullopt;
           }
         return fmt::format("unknown --phase '{}' (expected: prefill, decode)", v.str());
       }},
      {"--prompt", "N", "the prompt's tokens (--phase prefill, --generate)",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         return parseLimit(v, o.pipeline.phase.prompt, "--prompt", kMaxTokens);
       }},
      {"--context", "N", "the tokens in the KV cache before the decode step (--phase decode)",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         if (v == "0") {
           o.pipeline.phase.context = 0;
           return std::nullopt;
         }
         return parseLimit(v, o.pipeline.phase.context, "--context", kMaxTokens);
       }},
      {"--generate", "N",
       "cost a whole request: the prefill of --prompt tokens, then decode steps until N tokens "
       "are generated (time to first token, time per output token, tokens/s)",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         return parseLimit(v, o.pipeline.phase.generate, "--generate", kMaxTokens);
       }},
      {"--weight-dtype", "T",
       "storage type of the weights (default: --dtype): fp32, fp16, bf16, fp8, int8, int4",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         return parseStorage(v, o.pipeline.cost.weightStorage, "--weight-dtype");
       }},
      {"--kv-dtype", "T",
       "storage type of the KV cache (default: --dtype): fp32, fp16, bf16, fp8, int8, int4",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         return parseStorage(v, o.pipeline.cost.kvStorage, "--kv-dtype");
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
      {"--depth", "N",
       "the table as a tree of blocks nested N deep, with subtotals per block (0: the total "
       "only)",
       [](Options &o, llvm::StringRef v) -> std::optional<std::string> {
         o.pipeline.groupBy = cost::GroupBy::Tree;
         return parseUnsigned(v, o.pipeline.depth, "--depth");
       }},
      {"--wide", nullptr,
       "never shorten the table's names and shapes (the default unless stdout is a terminal)",
       [](Options &o, llvm::StringRef) -> std::optional<std::string> {
         o.wide = true;
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

} // namespace netc::options
